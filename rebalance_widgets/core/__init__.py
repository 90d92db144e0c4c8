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

from rebalance_widgets.core.streamed import policy_medians  # noqa: E402
from rebalance_widgets.core.study import history_study  # noqa: E402

__all__ += ["history_study", "policy_medians"]

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

from rebalance_widgets.core import contributions, glidepath, risk, trades  # noqa: E402
from rebalance_widgets.core.contributions import (  # noqa: E402
    IRS_LIMITS_2025,
    ContributionLimits,
    ContributionSchedule,
    Match,
    Plan,
    contribution_schedule,
)
from rebalance_widgets.core.glidepath import (  # noqa: E402
    GlidePath,
    constant,
    custom,
    rule_of_thumb,
    target_date,
)
from rebalance_widgets.core.holdings import Holding, parse_holdings_csv  # noqa: E402
from rebalance_widgets.core.risk import (  # noqa: E402
    Questionnaire,
    RiskResult,
    load_presets,
    load_questionnaire,
    score,
)
from rebalance_widgets.core.trades import Trade, TradePlan, plan_trades  # noqa: E402

__all__ += ["contributions", "glidepath", "risk", "trades"]
__all__ += ["Match", "Plan", "ContributionLimits", "ContributionSchedule", "IRS_LIMITS_2025"]
__all__ += ["contribution_schedule", "GlidePath", "target_date", "rule_of_thumb", "custom"]
__all__ += ["constant", "Questionnaire", "RiskResult", "load_questionnaire", "score"]
__all__ += ["load_presets", "Holding", "parse_holdings_csv", "Trade", "TradePlan", "plan_trades"]
