"""Old module paths that still import, with a DeprecationWarning, for one release.

Version 0.2 put ``core`` into rooms (``core.simulation``, ``core.markets``, ...) and the
widgets' shared parts into ``widgets.parts``. ``import rebalance_widgets.core.engine`` still
works and returns the module now at ``rebalance_widgets.core.simulation.engine``; the
warning names the new path. The public names (``from rebalance_widgets.core import
simulate, policies, ...``) never moved and do not warn.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from types import ModuleType

#: old path -> new path, both under rebalance_widgets.
MOVED = {
    "core.accounts": "core.planning.accounts",
    "core.contribution_checks": "core.planning.contribution_checks",
    "core.contributions": "core.planning.contributions",
    "core.engine": "core.simulation.engine",
    "core.engine_buffers": "core.simulation.buffers",
    "core.engine_flows": "core.simulation.flows",
    "core.engine_inputs": "core.simulation.inputs",
    "core.engine_steps": "core.simulation.steps",
    "core.engine_trades": "core.simulation.trading",
    "core.glidepath": "core.planning.glidepath",
    "core.glidepath_checks": "core.planning.glidepath_checks",
    "core.history": "core.markets.history",
    "core.holdings": "core.calculator.holdings",
    "core.limits": "core.planning.limits",
    "core.lognormal": "core.markets.lognormal",
    "core.path_metrics": "core.metrics.paths",
    "core.percentiles": "core.metrics.percentiles",
    "core.policies": "core.simulation.policies",
    "core.questionnaire": "core.planning.questionnaire",
    "core.resample": "core.markets.resample",
    "core.result": "core.simulation.result",
    "core.risk": "core.planning.risk",
    "core.streamed": "core.simulation.streamed",
    "core.streamed_loop": "core.simulation.streamed_loop",
    "core.trade_rules": "core.calculator.rules",
    "core.trades": "core.calculator.trades",
    "widgets.base": "widgets.parts.base",
    "widgets.controls": "widgets.parts.controls",
    "widgets.draws": "widgets.parts.draws",
    "widgets.formatting": "widgets.parts.formatting",
    "widgets.inputs": "widgets.parts.inputs",
    "widgets.mixes": "widgets.parts.mixes",
    "widgets.planning": "widgets.parts.planning",
    "widgets.simulated": "widgets.parts.simulated",
    "widgets.views": "widgets.parts.views",
}


class _Alias(importlib.abc.Loader):
    """Loads an old path as the module that now lives at the new one."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} moved to {self.new}; the old path goes away in the next release.",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Run nothing: give back the module's own spec, which the import system replaced."""
        module.__spec__ = self.spec


class _MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old paths of :data:`MOVED` and nothing else."""

    def find_spec(self, fullname: str, path: object = None, target: object = None
                  ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname.removeprefix("rebalance_widgets."))
        if new is None or not fullname.startswith("rebalance_widgets."):
            return None
        return importlib.util.spec_from_loader(fullname, _Alias("rebalance_widgets." + new))


def install() -> None:
    """Put the finder on sys.meta_path once."""
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
