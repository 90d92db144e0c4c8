"""Altair, imported the first time a chart really needs it.

Importing Altair costs a kernel about half a second (its schema classes and ``jsonschema``).
Most of a lesson never needs it: every chart is a template whose checked spec is kept on
disk (:mod:`rebalance_widgets.charts.datasets`), and a redraw only puts new rows into it. So
the chart modules write ``alt.Chart(...)`` as usual, but their ``alt`` is :data:`alt`, a
stand-in module that imports Altair (the fast way, :func:`~rebalance_widgets.chart_library.
import_altair`) and enables the kit's theme (:mod:`rebalance_widgets.charts.theme`) on the
first attribute anyone reads from it.

A notebook that wants the kit's colours for charts of its own uses this ``alt`` (or calls
:func:`rebalance_widgets.charts.theme.enable`).

Examples
--------
>>> from rebalance_widgets.charts.lazy import alt
>>> alt.Chart.__module__.startswith("altair")
True
>>> alt.theme.active
'rebalance'
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["THEME_NAME", "active_theme", "alt", "load_altair"]

#: The kit's theme (registered by :mod:`rebalance_widgets.charts.theme`).
THEME_NAME = "rebalance"

_loaded: types.ModuleType | None = None


class _OnDemand(types.ModuleType):
    """A module that becomes Altair on first use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(load_altair(), name)


#: Stand-in for ``altair``: the first attribute read imports Altair and enables the theme.
alt = _OnDemand("altair", "Altair, imported on first use (rebalance_widgets.charts.lazy).")


def load_altair() -> types.ModuleType:
    """Import Altair (once) and enable the kit's theme unless another one was chosen.

    The theme is switched on when Altair's active theme is still its ``"default"``, so a
    notebook that picked a theme of its own keeps it, whoever imported Altair first.

    Returns
    -------
    module
        The ``altair`` module.
    """
    global _loaded
    if _loaded is None:
        from rebalance_widgets.chart_library import import_altair

        module = import_altair()
        # Later reads find Altair's names directly, without this module's __getattr__.
        alt.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
        _loaded = module
        from rebalance_widgets.charts import theme

        theme.register()
        if module.theme.active == "default":
            theme.enable()
    return _loaded


def active_theme() -> str:
    """Name the Altair theme the kit's charts are drawn with, without importing Altair.

    Returns
    -------
    str
        Altair's active theme; the kit's own when Altair's is still ``"default"`` and the
        kit has not loaded it yet (loading switches the kit's theme on), or when nobody
        has imported Altair.

    Examples
    --------
    >>> active_theme() == load_altair().theme.active
    True
    """
    module = sys.modules.get("altair")
    if module is None or not hasattr(module, "theme"):
        return THEME_NAME
    active = str(module.theme.active)
    return THEME_NAME if _loaded is None and active == "default" else active
