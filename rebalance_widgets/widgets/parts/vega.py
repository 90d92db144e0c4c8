"""One copy of the chart library per page, however many charts the page shows.

``alt.JupyterChart`` sends its whole JavaScript (Vega, Vega-Lite and vega-embed, about
0.9 MB offline) with every chart, and the browser loads it once per chart. Here the page
gets it once: :class:`VegaLibrary`, a widget that is never displayed, carries the library
and leaves it on ``globalThis``; every :class:`Chart` carries a few lines that wait for it
and then draw exactly as ``alt.JupyterChart`` does. A kernel makes one ``VegaLibrary``
(:func:`chart_view` creates it with the first chart).

If a future Altair shapes its bundle differently (its default export cannot be found),
:func:`chart_view` falls back to plain ``alt.JupyterChart``: one copy per chart again.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import anywidget

from rebalance_widgets.charts import offline

__all__ = ["Chart", "VegaLibrary", "chart_view", "library_module"]

_GLOBAL = "__rebalanceVegaChart"
_DEFAULT_EXPORT = re.compile(r"export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\}\s*;?")

_LOADER = f"""
async function library() {{
  for (let waited = 0; !globalThis.{_GLOBAL}; waited += 25) {{
    if (waited > 60000) throw new Error("The chart library did not load.");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }}
  return globalThis.{_GLOBAL};
}}
export default {{
  async render(context) {{
    const chart = await library();
    return chart.render(context);
  }},
}};
"""


def library_module(bundle: str) -> str | None:
    """Turn Altair's offline chart module into one that leaves its chart code on the page.

    Parameters
    ----------
    bundle : str
        The ES module ``alt.JupyterChart`` uses offline.

    Returns
    -------
    str or None
        The module with its default export also stored in ``globalThis``; None if the
        bundle has no ``export { name as default }`` to rewrite.

    Examples
    --------
    >>> library_module("const d = {render}; export { d as default };").endswith("{};")
    True
    >>> library_module("export default 1;") is None
    True
    """
    found = list(_DEFAULT_EXPORT.finditer(bundle))
    if len(found) != 1:
        return None
    match = found[0]
    name = match.group(1)
    return (bundle[: match.start()] + f"globalThis.{_GLOBAL} = {name};"
            + bundle[match.end():] + "\nexport default {};")


offline.enable_offline()
_LIBRARY = library_module(alt.JupyterChart._esm)


class VegaLibrary(anywidget.AnyWidget):
    """The chart library, sent to the page once; never displayed."""

    _esm = _LIBRARY or "export default {};"


class Chart(alt.JupyterChart):
    """``alt.JupyterChart`` that draws with the page's one copy of the chart library."""

    _esm = _LOADER


_library: VegaLibrary | None = None


def chart_view(chart: Any) -> alt.JupyterChart:
    """Make a chart widget for ``chart`` that shares the page's chart library.

    Parameters
    ----------
    chart : altair chart
        What to draw.

    Returns
    -------
    alt.JupyterChart
        A :class:`Chart` (or, if the library could not be shared, a plain JupyterChart).
    """
    global _library
    if _LIBRARY is None:
        return alt.JupyterChart(chart)
    if _library is None or _library.comm is None:
        _library = VegaLibrary()
    return Chart(chart)
