"""401(k) planning: contributions and IRS limits, glide paths, account types, risk profile.

- :mod:`.contributions` (checks in :mod:`.contribution_checks`, the employer's formula in
  :mod:`.match`, the IRS figures by year in :mod:`.limits`):
  elective deferrals, the employer match and the IRS limits, as a schedule of cash flows.
- :mod:`.glidepath` (checks in :mod:`.glidepath_checks`): target mixes by age.
- :mod:`.accounts`: tax-deferred (401(k)), Roth and taxable accounts, as the engine taxes them.
- :mod:`.risk` (the questions in :mod:`.questionnaire`): the risk questionnaire and its score.

Imports only :mod:`rebalance_widgets.core._checks`.
"""

from rebalance_widgets.core.planning import accounts, contributions, glidepath, limits, risk
from rebalance_widgets.core.planning.accounts import Roth, Taxable, TaxDeferred
from rebalance_widgets.core.planning.contributions import (
    IRS_LIMITS_2025,
    IRS_LIMITS_2026,
    ContributionLimits,
    ContributionSchedule,
    Match,
    Plan,
    contribution_schedule,
    irs_limits,
)
from rebalance_widgets.core.planning.glidepath import (
    GlidePath,
    constant,
    custom,
    rule_of_thumb,
    target_date,
)
from rebalance_widgets.core.planning.risk import (
    Questionnaire,
    RiskResult,
    load_presets,
    load_questionnaire,
    score,
)

__all__ = [
    "IRS_LIMITS_2025",
    "IRS_LIMITS_2026",
    "ContributionLimits",
    "ContributionSchedule",
    "GlidePath",
    "Match",
    "Plan",
    "Questionnaire",
    "RiskResult",
    "Roth",
    "TaxDeferred",
    "Taxable",
    "accounts",
    "constant",
    "contribution_schedule",
    "contributions",
    "custom",
    "glidepath",
    "irs_limits",
    "limits",
    "load_presets",
    "load_questionnaire",
    "risk",
    "rule_of_thumb",
    "score",
    "target_date",
]
