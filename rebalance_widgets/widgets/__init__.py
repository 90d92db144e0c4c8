"""The widget classes; each displays on its own and links to others through traits.

Every class is an ``ipywidgets.VBox`` (built on :mod:`rebalance_widgets.widgets.parts.base`):
put ``AllocationSliders()`` on the last line of a cell to show it, and connect two with
``ipywidgets.dlink((sliders, "value"), (chart, "target"))``.

Each class is imported from its own module on first use (``from rebalance_widgets.widgets
import DriftExplorer`` loads the drift explorer and what it needs, not the other eight), so
a lesson's kernel pays only for the widgets it shows.
"""

from __future__ import annotations

import importlib
from typing import Any

from rebalance_widgets import charts as _charts  # noqa: F401 - first: Altair's fast import

#: Widget class -> the module that defines it.
MODULES = {
    "AllocationChart": "allocation",
    "AllocationSliders": "allocation",
    "AutopilotComparison": "autopilot",
    "ContributionPlanner": "contributions",
    "CostsAndTaxes": "costs",
    "DriftExplorer": "drift",
    "GlidePathExplorer": "glidepath",
    "HistoryLab": "history_lab",
    "RebalanceCalculator": "calculator",
    "RebalancingComparison": "comparison",
    "RiskQuestionnaire": "questionnaire",
    "StickingToPlan": "discipline",
}

__all__ = sorted(MODULES)


def __getattr__(name: str) -> Any:
    """Import a widget class from its module on first use."""
    if name in MODULES:
        module = importlib.import_module(f"rebalance_widgets.widgets.{MODULES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'rebalance_widgets.widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *MODULES])
