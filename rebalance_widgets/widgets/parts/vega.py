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
carries a few lines that wait for it and then draw exactly as ``alt.JupyterChart`` does. A
:class:`Chart` holds only a Vega-Lite spec, so a kernel that reads the library from the
cache folder (:func:`rebalance_widgets.chart_library.library_file`) draws without importing
Altair. If a future Altair shapes its bundle differently, :func:`chart_view` falls back to
plain ``alt.JupyterChart`` (one copy per chart again).
"""

from __future__ import annotations

import os
from typing import Any

import anywidget
import traitlets

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
// On a narrow screen (a phone) a chart wider than the screen is drawn to fit it, so that its
// words keep their size; drawn at full width it would be shrunk, words and all. The spec's
// width is the plot's alone: 140 px is about what its axes and legend add beside it.
function fitted(spec) {{
  const room = document.documentElement.clientWidth - 48;
  if (!spec || typeof spec.width !== "number" || spec.width + 140 <= room || room < 200) {{
    return spec;
  }}
  const config = spec.config || {{}};  // a legend's entries one under another, not cut off
  return {{...spec, width: room, autosize: {{type: "fit", contains: "padding"}},
          config: {{...config, legend: {{...(config.legend || {{}}), columns: 1}}}}}};
}}
export default {{
  async render(context) {{
    const chart = await library();
    const model = new Proxy(context.model, {{
      get(target, name) {{
        if (name === "get") {{
          return (key) => (key === "spec" ? fitted(target.get(key)) : target.get(key));
        }}
        const value = target[name];
        return typeof value === "function" ? value.bind(target) : value;
      }},
    }});
    return chart.render({{...context, model}});
  }},
}};
"""

def _library_text() -> str | None:
    """Read the library module from the cache (built there first, with Altair, if missing)."""
    path = chart_library.library_file()
    if path is None:
        chart_library.enable_offline()
        path = chart_library.library_file()
    if path is not None:
        return path.read_text(encoding="utf-8")
    from rebalance_widgets.charts.lazy import load_altair

    return chart_library.library_module(load_altair().JupyterChart._esm)


class VegaLibrary(anywidget.AnyWidget):
    """The chart library, sent to the page once; never displayed."""

    _esm = "export default {};"  # replaced by the library before the first one is made


class Chart(anywidget.AnyWidget):
    """A chart widget drawn by the page's one copy of the chart library.

    It carries what the library's drawing code reads (the same traits as
    ``alt.JupyterChart``), so it needs no Altair in the kernel: set :attr:`spec` to a
    Vega-Lite spec (a dict) to draw it; the page redraws in place.
    """

    _esm = _LOADER
    _css = ".vega-embed { overflow: visible; }"  # keeps the action menu uncut
    spec = traitlets.Dict(allow_none=True).tag(sync=True)
    debounce_wait = traitlets.Float(default_value=10).tag(sync=True)
    max_wait = traitlets.Bool(default_value=True).tag(sync=True)
    local_tz = traitlets.Unicode(default_value=None, allow_none=True).tag(sync=True)
    embed_options = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    _vl_selections = traitlets.Dict().tag(sync=True)
    _params = traitlets.Dict().tag(sync=True)
    _js_watch_plan = traitlets.Any(allow_none=True).tag(sync=True)
    _js_to_py_updates = traitlets.Any(allow_none=True).tag(sync=True)
    _py_to_js_updates = traitlets.Any(allow_none=True).tag(sync=True)


_library: VegaLibrary | None = None
_shared: bool | None = None  # can the page share one library? (known after the first chart)


def chart_view(spec: dict[str, Any] | None = None) -> anywidget.AnyWidget:
    """Make a chart widget that shares the page's chart library.

    Parameters
    ----------
    spec : dict or None
        The Vega-Lite spec to draw (None: nothing yet; set ``spec`` later).

    Returns
    -------
    anywidget.AnyWidget
        A :class:`Chart`; or, if Altair's library could not be shared, a plain
        ``alt.JupyterChart`` (one copy of the library per chart again).
    """
    global _library, _shared
    if _shared is None:
        text = None if _SERVED else _library_text()
        _shared = _SERVED or text is not None
        if text is not None:
            VegaLibrary._esm = text
    if not _shared:
        from rebalance_widgets.charts.lazy import load_altair

        chart_library.enable_offline()
        view = load_altair().JupyterChart(None)
        view.spec = spec
        return view
    if not _SERVED and (_library is None or _library.comm is None):
        _library = VegaLibrary()
    return Chart(spec=spec)
