"""The widget classes; each displays on its own and links to others through traits.

Every class is an ``ipywidgets.VBox`` (built on :mod:`rebalance_widgets.widgets.parts.base`):
put ``AllocationSliders()`` on the last line of a cell to show it, and connect two with
``ipywidgets.dlink((sliders, "value"), (chart, "target"))``.
"""

from rebalance_widgets import charts as _charts  # noqa: F401 - first: Altair's fast import
from rebalance_widgets.widgets.allocation import AllocationChart, AllocationSliders
from rebalance_widgets.widgets.calculator import RebalanceCalculator
from rebalance_widgets.widgets.comparison import RebalancingComparison
from rebalance_widgets.widgets.contributions import ContributionPlanner
from rebalance_widgets.widgets.costs import CostsAndTaxes
from rebalance_widgets.widgets.drift import DriftExplorer
from rebalance_widgets.widgets.glidepath import GlidePathExplorer
from rebalance_widgets.widgets.questionnaire import RiskQuestionnaire

__all__ = [
    "AllocationChart",
    "AllocationSliders",
    "ContributionPlanner",
    "CostsAndTaxes",
    "DriftExplorer",
    "GlidePathExplorer",
    "RebalanceCalculator",
    "RebalancingComparison",
    "RiskQuestionnaire",
]
