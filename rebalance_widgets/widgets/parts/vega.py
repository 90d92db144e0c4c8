"""One copy of the chart library per page, however many charts the page shows.

``alt.JupyterChart`` sends its whole JavaScript (Vega, Vega-Lite and vega-embed, about
0.9 MB offline) with every chart, and the browser loads it once per chart. Here a page loads
it once, in one of two ways:

- Served by ``rebalance-widgets serve`` (the kernel sees ``$REBALANCE_WIDGETS_CHART_LIBRARY``
  = ``"served"``): the library is a file of the same server
  (``rebalance-widgets/chart-library.js``); the page asks for it while its own scripts load,
  and every :class:`Chart` imports it from there.
- Anywhere else (JupyterLab, Notebook 7, Voila on its own): :class:`VegaLibrary`, a widget
  that is never displayed, carries the library to the page; :func:`chart_view` creates one
  per kernel with the first chart.

Either way the library leaves the chart code on ``globalThis`` and each :class:`Chart`
carries a few lines that wait for it and then draw exactly as ``alt.JupyterChart`` does. If a
future Altair shapes its bundle differently, :func:`chart_view` falls back to plain
``alt.JupyterChart`` (one copy per chart again).
"""

from __future__ import annotations

import os
from typing import Any

import altair as alt
import anywidget

from rebalance_widgets import chart_library

__all__ = ["Chart", "VegaLibrary", "chart_view"]

_SERVED = os.environ.get(chart_library.LIBRARY_SERVED) == "served"

_LOADER = f"""
function pageBase() {{
  const data = document.getElementById("jupyter-config-data");
  try {{ return JSON.parse(data.textContent).baseUrl || "/"; }} catch (error) {{ return "/"; }}
}}
async function library() {{
  if ({'true' if _SERVED else 'false'} && !globalThis.{chart_library.LIBRARY_GLOBAL}) {{
    await import(new URL(pageBase() + "{chart_library.LIBRARY_ROUTE}", location.href).href);
  }}
  for (let waited = 0; !globalThis.{chart_library.LIBRARY_GLOBAL}; waited += 25) {{
    if (waited > 60000) throw new Error("The chart library did not load.");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }}
  return globalThis.{chart_library.LIBRARY_GLOBAL};
}}
export default {{
  async render(context) {{
    const chart = await library();
    return chart.render(context);
  }},
}};
"""

chart_library.enable_offline()
_LIBRARY = chart_library.library_module(alt.JupyterChart._esm)


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
    chart : altair chart or None
        What to draw (None: nothing yet; set ``spec`` or ``chart`` later).

    Returns
    -------
    alt.JupyterChart
        A :class:`Chart` (or, if the library could not be shared, a plain JupyterChart).
    """
    global _library
    if _LIBRARY is None:
        return alt.JupyterChart(chart)
    if not _SERVED and (_library is None or _library.comm is None):
        _library = VegaLibrary()
    return Chart(chart)
