"""Markets: the embedded history of US returns and the return models built on it.

- :mod:`.history`: ``load_history``, monthly (1926-07 to 2022-11) or yearly (1928-2025)
  returns of stocks, bonds, bills and inflation.
- :mod:`.lognormal`: ``Lognormal``, random returns matched to means, volatilities, correlations.
- :mod:`.resample`: ``Bootstrap``, ``HistoricalWindows``, ``Replay``, real months reused.
- :mod:`.presets`: ``assumptions(name)``, ready-made markets, and their descriptions.

Every model's ``sample(...)`` returns simple per-period returns of shape
(n_paths, n_periods, n_assets). Imports only :mod:`rebalance_widgets.core._checks`.
"""

from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.markets.lognormal import Lognormal, MixStats
from rebalance_widgets.core.markets.presets import (
    ASSUMPTION_NAMES,
    assumptions,
    describe_assumptions,
    expected_inflation,
    income_yields,
)
from rebalance_widgets.core.markets.resample import Bootstrap, HistoricalWindows, Replay

__all__ = [
    "ASSUMPTION_NAMES",
    "Bootstrap",
    "HistoricalWindows",
    "Lognormal",
    "MixStats",
    "Replay",
    "assumptions",
    "describe_assumptions",
    "expected_inflation",
    "income_yields",
    "load_history",
]
