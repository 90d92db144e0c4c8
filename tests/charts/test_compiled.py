"""Charts compiled ahead to Vega: the same Vega the compiler gives, and no compiler in kernels."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import pytest

from rebalance_widgets import cli
from rebalance_widgets.charts import compiled, datasets
from rebalance_widgets.charts.datasets import template, with_datasets
from rebalance_widgets.charts.lazy import alt

vl_convert = pytest.importorskip("vl_convert")

_EVERY_CHART = textwrap.dedent("""
    import json, sys
    import rebalance_widgets as rw
    from rebalance_widgets.widgets.parts.views import ChartPanel

    def panels(widget):
        if isinstance(widget, ChartPanel):
            yield widget
        for child in getattr(widget, "children", ()):
            yield from panels(child)

    found = []
    for name in rw.WIDGETS:
        for panel in panels(getattr(rw, name)()):
            found.append({"lite": panel.chart.to_dict(), "vega": panel.chart.to_vega(),
                          "sent": panel.view.spec})
    loaded = [name for name in ("altair", "vl_convert") if name in sys.modules]
    print(json.dumps({"charts": found, "loaded": loaded}))
""")


def _reference(spec: dict) -> dict:
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.vegalite_to_vega(spec, vl_version=vl_version_for_vl_convert())


def test_every_widget_sends_the_vega_the_compiler_gives_and_loads_no_compiler(tmp_path):
    environment = {**os.environ, "REBALANCE_WIDGETS_CACHE": str(tmp_path)}

    def run(code: str) -> str:
        return subprocess.run(cli._python(code), env=environment, capture_output=True,
                              text=True, check=True, timeout=600).stdout

    run(cli._BUILD_SPECS)  # an empty cache: the Vega-Lite specs, built with Altair
    run(cli._COMPILE_SPECS)
    seen = json.loads(run(_EVERY_CHART))
    assert seen["loaded"] == []  # neither Altair nor the compiler in a kernel
    charts = seen["charts"]
    assert len(charts) >= 12
    compiled_ahead = [chart for chart in charts if chart["vega"] is not None]
    assert len(compiled_ahead) >= len(charts) - 2  # a shape first drawn later may miss
    for chart in compiled_ahead:
        assert chart["sent"] == chart["vega"]
        assert chart["vega"] == _reference(chart["lite"])
    assert all(chart["sent"] == chart["lite"] for chart in charts if chart["vega"] is None)


@template
def _points(width: int) -> alt.LayerChart:
    source = alt.NamedData(name="points")
    dots = alt.Chart(source).mark_point().encode(x="x:Q", y="y:Q")
    words = alt.Chart(alt.NamedData(name="words", format=alt.DataFormat(
        type="csv", parse={"x": "number"}))).mark_text().encode(x="x:Q", text="word:N")
    return alt.layer(dots, words).properties(width=width)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REBALANCE_WIDGETS_CACHE", str(tmp_path))
    monkeypatch.setattr(datasets, "_PACKAGE", __name__.rpartition(".")[0])  # written to disk
    monkeypatch.setattr(datasets, "RECHECK_SECONDS", -1.0)
    datasets.spec_folder.cache_clear()
    yield tmp_path
    datasets.spec_folder.cache_clear()


@pytest.mark.parametrize(("width", "rows"), [
    (300, {"points": [], "words": ""}),
    (310, {"points": [{"x": 1, "y": 2}, {"x": 3, "y": -1}], "words": "x,word\n1,one\n3,3\n"}),
])
def test_filled_vega_is_the_compiled_filled_chart_for_any_rows(cache, width, rows):
    chart = with_datasets(_points(width), rows)
    assert chart.to_vega() is None  # not compiled yet: the page gets Vega-Lite
    assert compiled.compile_specs() == 1
    assert compiled.compile_specs() == 0  # once per shape
    assert chart.to_vega() == _reference(chart.to_dict())
    other = with_datasets(_points(width + 1), rows)  # another shape: not compiled
    assert other.to_vega() is None


def test_a_damaged_compiled_file_leaves_the_chart_to_the_page(cache):
    chart = with_datasets(_points(200), {"points": [{"x": 1, "y": 1}], "words": ""})
    compiled.compile_specs()
    [path] = list(datasets.spec_folder().glob("*.vega-*.json"))
    path.write_text("{ not json")
    assert chart.to_vega() is None
