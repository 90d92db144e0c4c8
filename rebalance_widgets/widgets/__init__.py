"""The widget classes; each displays on its own and links to others through traits.

Every class is an ``ipywidgets.VBox`` (built on :mod:`rebalance_widgets.widgets.parts.base`):
put ``AllocationSliders()`` on the last line of a cell to show it, and connect two with
``ipywidgets.dlink((sliders, "value"), (chart, "target"))``.

Each class is imported from its own module on first use (``lazy_loader``: ``from
rebalance_widgets.widgets import DriftExplorer`` loads the drift explorer and what it
needs, not the others), so a lesson's kernel pays only for the widgets it shows.
"""

import lazy_loader

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

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__, submod_attrs={module: [name for name, m in MODULES.items() if m == module]
                            for module in MODULES.values()})
