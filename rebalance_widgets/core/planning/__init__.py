"""401(k) planning: contributions and IRS limits, glide paths, account types, risk profile.

- :mod:`.contributions` (checks in :mod:`.contribution_checks`, the employer's formula in
  :mod:`.match`, the IRS figures by year in :mod:`.limits`):
  elective deferrals, the employer match and the IRS limits, as a schedule of cash flows.
- :mod:`.glidepath` (checks in :mod:`.glidepath_checks`): target mixes by age.
- :mod:`.accounts`: tax-deferred (401(k)), Roth and taxable accounts, as the engine taxes them.
- :mod:`.risk` (the questions in :mod:`.questionnaire`): the risk questionnaire and its score.

Imports only :mod:`rebalance_widgets.core._checks`. Each name is imported from its module on
first use (``lazy_loader``), so the engine's use of :mod:`.accounts` loads nothing else.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["accounts", "contributions", "glidepath", "limits", "risk"],
    submod_attrs={
        "accounts": ["Roth", "Taxable", "TaxDeferred"],
        "contributions": ["IRS_LIMITS_2025", "IRS_LIMITS_2026", "ContributionLimits",
                          "ContributionSchedule", "Match", "Plan", "contribution_schedule",
                          "irs_limits"],
        "glidepath": ["GlidePath", "constant", "custom", "rule_of_thumb", "target_date"],
        "risk": ["Questionnaire", "RiskResult", "load_presets", "load_questionnaire", "score"],
    },
)
