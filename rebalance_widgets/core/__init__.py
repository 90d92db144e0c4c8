"""Pure numpy/pandas finance: history, return models, policies, the engine and metrics.

Nothing here imports ipywidgets, altair, IPython or traitlets.
"""

from rebalance_widgets.core import accounts, metrics, policies
from rebalance_widgets.core.accounts import Roth, Taxable, TaxDeferred
from rebalance_widgets.core.engine import SimulationResult, compare, simulate

__all__: list[str] = []
__all__ += ["metrics"]

__all__ += ["simulate", "compare", "SimulationResult", "policies", "accounts"]
__all__ += ["TaxDeferred", "Roth", "Taxable"]

from rebalance_widgets.core.study import history_study  # noqa: E402

__all__ += ["history_study"]

from rebalance_widgets.core.history import load_history  # noqa: E402
from rebalance_widgets.core.markets import (  # noqa: E402
    ASSUMPTION_NAMES,
    Bootstrap,
    HistoricalWindows,
    Lognormal,
    Replay,
    assumptions,
)

__all__ += ["load_history", "Lognormal", "Bootstrap", "HistoricalWindows", "Replay"]
__all__ += ["assumptions", "ASSUMPTION_NAMES"]
