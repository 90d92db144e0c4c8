"""Pure numpy/pandas finance, in rooms a learner of the field would name.

- :mod:`.markets`: the embedded history and the return models built on it.
- :mod:`.simulation`: the engine, the rebalancing rules and the compiled comparison loop.
- :mod:`.metrics`: per-path metrics and their summaries across paths.
- :mod:`.planning`: contributions and IRS limits, glide paths, accounts, the risk profile.
- :mod:`.calculator`: a person's holdings in, the trades out.
- :mod:`.study`: a mix through real history under many rules (uses all of the above);
  :mod:`.history_runs`: the same, step by step (growth, stock share, worst falls);
  :mod:`.published`: a published study's figures beside ours (uses ``study``).
- :mod:`.discipline`: real crashes, and what keeping the plan was worth against stopping
  or selling after a fall (uses ``markets`` and ``simulation``).

Lower rooms never import higher ones: ``markets`` and ``planning`` import only
``_checks``, ``metrics`` and ``calculator`` nothing of ``core``; ``simulation`` adds
``planning`` and ``metrics``; ``study`` and ``history_runs`` may import everything,
``published`` imports ``study``, ``discipline`` ``markets`` and ``simulation``. Nothing
here imports ipywidgets, altair, IPython or traitlets (a test enforces both rules).
"""

from rebalance_widgets.core import metrics
from rebalance_widgets.core.calculator import (
    Holding,
    Trade,
    TradePlan,
    parse_holdings_csv,
    plan_trades,
    trades,
)
from rebalance_widgets.core.discipline import (
    EPISODES,
    available_episodes,
    compare_behaviours,
    episode_returns,
)
from rebalance_widgets.core.history_runs import HistoryRuns, history_runs, worst_falls
from rebalance_widgets.core.markets import (
    ASSUMPTION_NAMES,
    Bootstrap,
    HistoricalWindows,
    Lognormal,
    Replay,
    assumptions,
    load_history,
)
from rebalance_widgets.core.planning import (
    IRS_LIMITS_2025,
    IRS_LIMITS_2026,
    ContributionLimits,
    ContributionSchedule,
    GlidePath,
    Match,
    Plan,
    Questionnaire,
    RiskResult,
    Roth,
    Taxable,
    TaxDeferred,
    accounts,
    constant,
    contribution_schedule,
    contributions,
    custom,
    glidepath,
    irs_limits,
    load_presets,
    load_questionnaire,
    risk,
    rule_of_thumb,
    score,
    target_date,
)
from rebalance_widgets.core.published import VANGUARD_2010, published_comparison
from rebalance_widgets.core.simulation import (
    SimulationResult,
    compare,
    compare_accounts,
    policies,
    policy_medians,
    policy_per_path,
    simulate,
)
from rebalance_widgets.core.simulation.behaviours import (
    KeepRebalancing,
    SellAfterFall,
    StopRebalancing,
)
from rebalance_widgets.core.study import history_study

__all__ = [
    # the engine (the contract of DESIGN.md)
    "simulate", "compare", "SimulationResult", "policies", "policy_medians", "metrics",
    "compare_accounts", "policy_per_path",
    # markets
    "load_history", "Lognormal", "Bootstrap", "HistoricalWindows", "Replay", "assumptions",
    "ASSUMPTION_NAMES",
    # a mix through real history under many rules
    "history_study", "history_runs", "HistoryRuns", "worst_falls",
    "published_comparison", "VANGUARD_2010",
    # sticking to the plan through a crash
    "KeepRebalancing", "StopRebalancing", "SellAfterFall", "compare_behaviours",
    "EPISODES", "available_episodes", "episode_returns",
    # planning
    "accounts", "TaxDeferred", "Roth", "Taxable",
    "contributions", "Match", "Plan", "ContributionLimits", "ContributionSchedule",
    "IRS_LIMITS_2025", "contribution_schedule", "IRS_LIMITS_2026", "irs_limits",
    "glidepath", "GlidePath", "target_date", "rule_of_thumb", "custom", "constant",
    "risk", "Questionnaire", "RiskResult", "load_questionnaire", "load_presets", "score",
    # the calculator
    "trades", "Holding", "parse_holdings_csv", "Trade", "TradePlan", "plan_trades",
]  # fmt: skip
