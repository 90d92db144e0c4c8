"""The rules the history lab offers, and the run of a span under the rules ticked.

:data:`LAB_RULES` names every rule a learner can tick (checks every month, quarter or year
crossed with bands of 0, 1, 5 and 10 points; never; cash flows); a learner may add band rules
of their own (:class:`~rebalance_widgets.widgets.parts.rule_builder.RuleBuilder`).
:func:`usable_with` says which rules yearly data can run; :func:`lab_runs` runs a span,
keeping the last results so that going back to an earlier span or mix is read from memory.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from rebalance_widgets.core.history_runs import HistoryRuns, history_runs
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import history_words as words

__all__ = ["CASH_FLOWS", "DEFAULT_RULES", "LAB_RULES", "PUBLISHED_RULES", "lab_runs",
           "usable_with"]

_CHECKS = (("monthly", "Monthly"), ("quarterly", "Quarterly"), ("annual", "Annual"))
_BANDS = (0.0, 0.01, 0.05, 0.10)
CASH_FLOWS = "Cash flows only"


def _lab_rules() -> dict[str, policies.Policy]:
    rules: dict[str, policies.Policy] = {words.NEVER: policies.Never()}
    for check, name in _CHECKS:
        for band in _BANDS:
            label = f"{name}, no band" if band == 0 else f"{name}, {band * 100:g}% band"
            rules[label] = policies.Threshold(absolute=band, check=check)
    rules[CASH_FLOWS] = policies.CashFlow()
    return rules


LAB_RULES: dict[str, policies.Policy] = _lab_rules()
"""Every rule a learner can tick, by its name, in the order shown. A band rule trades back
to the target on a check date when a share is off by more than the band (no band: always)."""

DEFAULT_RULES = (words.NEVER, "Monthly, no band", "Quarterly, 5% band", "Annual, no band",
                 "Annual, 10% band")
PUBLISHED_RULES = tuple(
    name for name in LAB_RULES if name != CASH_FLOWS
    and name not in ("Quarterly, no band", "Annual, no band"))
"""The eleven rules of the published table."""



@functools.lru_cache(maxsize=24)
def lab_runs(mix: tuple[float, ...], rules: tuple[tuple[str, policies.Policy], ...],
             start: int, end: int, frequency: str, cost_rate: float, contribution: float,
             balance: float) -> HistoryRuns:
    """Run ``rules`` ((name, policy) pairs) through the span; the last 24 results are kept."""
    return history_runs(dict(rules), mix, start, end, frequency, cost_rate, contribution,
                        balance)


def usable_with(frequency: str, rules: Mapping[str, policies.Policy]) -> tuple[str, ...]:
    """Return the names of the rules the data can run: yearly data check once a year."""
    if frequency != "yearly":
        return tuple(rules)
    return tuple(name for name, policy in rules.items()
                 if (policy.check_every(12) or 12) >= 12)
