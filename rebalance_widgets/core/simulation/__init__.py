"""The simulation engine: a portfolio held through many return paths under a rebalancing rule.

- :mod:`.engine`: ``simulate`` and ``compare``, the public entry points.
- :mod:`.policies`: the rules (``Never``, ``Calendar``, ``Threshold``, ``CashFlow``).
- :mod:`.inputs`: checks of what ``simulate`` is given.
- :mod:`.steps`: the loop over periods, all paths at once; with :mod:`.buffers`,
  :mod:`.flows` (contributions, withdrawals) and :mod:`.trading` (trades, costs, taxes).
- :mod:`.result`: ``SimulationResult``.
- :mod:`.behaviours`: keep rebalancing, stop rebalancing, or sell after a fall and buy
  back later (``follow``), each month by month.
- :mod:`.footing`: ``compare_accounts``, a 401(k), a Roth and a taxable account fed the
  same pay before tax, compared after every tax.
- :mod:`.streamed`: ``policy_medians``, the compiled loop that keeps only running sums
  (the loop itself in :mod:`.streamed_loop`, imported only when used).

Imports :mod:`rebalance_widgets.core._checks`, :mod:`~rebalance_widgets.core.planning`
(the account types) and :mod:`~rebalance_widgets.core.metrics`.
"""

from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.engine import compare, simulate
from rebalance_widgets.core.simulation.footing import compare_accounts
from rebalance_widgets.core.simulation.result import SimulationResult
from rebalance_widgets.core.simulation.streamed import policy_medians, policy_per_path

__all__ = ["SimulationResult", "compare", "compare_accounts", "policies", "policy_medians",
           "policy_per_path", "simulate"]
