"""Widgets and notebooks for teaching 401(k) asset allocation, drift and rebalancing.

The finance lives in :mod:`rebalance_widgets.core` (plain numpy and pandas). The widget
classes are imported lazily, so ``import rebalance_widgets.core`` never loads ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

from rebalance_widgets import _moved

__version__ = "0.2.0"

_moved.install()

WIDGETS = (
    "AllocationSliders",
    "AllocationChart",
    "RiskQuestionnaire",
    "DriftExplorer",
    "RebalancingComparison",
    "CostsAndTaxes",
    "ContributionPlanner",
    "GlidePathExplorer",
    "RebalanceCalculator",
    "AutopilotComparison",
    "StickingToPlan",
    "HistoryLab",
)

__all__ = ["__version__", *WIDGETS]


def __getattr__(name: str) -> Any:
    """Import a widget class on first use."""
    if name in WIDGETS:
        return getattr(importlib.import_module("rebalance_widgets.widgets"), name)
    raise AttributeError(f"module 'rebalance_widgets' has no attribute {name!r}")
