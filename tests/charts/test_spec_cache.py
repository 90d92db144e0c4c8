"""Chart templates keep their checked spec on disk; kernels that find it need no Altair."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from rebalance_widgets.charts import datasets
from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """A fresh, empty cache folder for this test."""
    monkeypatch.setenv("REBALANCE_WIDGETS_CACHE", str(tmp_path))
    datasets.spec_folder.cache_clear()
    datasets.prune_specs.cache_clear()
    yield tmp_path
    datasets.spec_folder.cache_clear()
    datasets.prune_specs.cache_clear()


def _points(width: int) -> alt.Chart:
    return alt.Chart(alt.NamedData(name="points")).mark_point().encode(x="x:Q").properties(
        width=width)


def _spec_files(folder):
    return sorted(folder.glob("chart-specs-*/*.json"))


def test_the_checked_spec_is_written_once_and_read_by_a_fresh_template(cache, monkeypatch):
    chart = with_datasets(template(_points)(300), {"points": [{"x": 1.5}]})
    (path,) = _spec_files(cache)
    expected = _points(300).to_dict(validate=True)
    assert json.loads(path.read_text()) == expected
    assert chart.to_dict() == {**expected, "datasets": {"points": [{"x": 1.5}]}}

    def no_altair(*args):
        raise AssertionError("the spec should come from the file")

    monkeypatch.setattr(datasets.Template, "_checked_spec", no_altair)
    again = with_datasets(template(_points)(300), {"points": [{"x": 2.0}]})  # a new handle
    assert again.to_dict()["width"] == 300
    assert again.to_dict()["datasets"] == {"points": [{"x": 2.0}]}


def test_each_shape_has_its_own_file_and_a_damaged_file_is_rebuilt(cache):
    with_datasets(template(_points)(300), {"points": []})
    with_datasets(template(_points)(200), {"points": []})
    files = _spec_files(cache)
    assert len(files) == 2
    files[0].write_text('{"half a')
    datasets.spec_folder.cache_clear()
    widths = {with_datasets(template(_points)(w), {"points": []}).to_dict()["width"]
              for w in (300, 200)}
    assert widths == {300, 200}
    assert all(json.loads(path.read_text()) for path in _spec_files(cache))


MARK = "point"


def _marked() -> alt.Chart:
    return alt.Chart(alt.NamedData(name="points"), mark=MARK).encode(x="x:Q")


def _coloured(colour: str):
    return template(lambda: alt.Chart(alt.NamedData(name="points")).mark_point(color=colour)
                    .encode(x="x:Q"))


def test_what_a_template_reads_names_its_file(cache, monkeypatch):
    """Captured values and module-level values are part of the key, not only the code."""
    drawn = [with_datasets(_coloured(c)(), {"points": []}).to_dict()["mark"]["color"]
             for c in ("red", "blue")]
    assert drawn == ["red", "blue"]
    def mark() -> dict:
        return with_datasets(template(_marked)(), {"points": []}).to_dict()["mark"]

    assert mark() == {"type": "point"}
    monkeypatch.setattr(sys.modules[__name__], "MARK", "circle")
    assert mark() == {"type": "circle"}
    assert len(_spec_files(cache)) == 4


def test_a_template_holding_an_object_keeps_its_spec_in_memory_only(cache):
    scale = alt.Scale(zero=False)
    shape = template(lambda: alt.Chart(alt.NamedData(name="points")).mark_point()
                     .encode(x=alt.X("x:Q", scale=scale)))
    assert with_datasets(shape(), {"points": []}).to_dict()["encoding"]["x"]["scale"] == {
        "zero": False}
    assert not _spec_files(cache)


def test_the_cache_keeps_its_newest_files_and_drops_old_folders(cache, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_SPEC_FILES", 2)
    stale = cache / "chart-specs-0000000000000000"
    stale.mkdir()
    (stale / "old.json").write_text("{}")
    recent = cache / "chart-specs-1111111111111111"
    recent.mkdir()
    month_ago = time.time() - 40 * 86400
    os.utime(stale, (month_ago, month_ago))
    folder = datasets.spec_folder()
    folder.mkdir(parents=True)
    for number in range(3):
        (folder / f"shape-{number}.json").write_text("{}")
        os.utime(folder / f"shape-{number}.json", (month_ago + number, month_ago + number))
    with_datasets(template(_points)(99), {"points": []})  # a new shape: prune, then write
    assert not stale.exists() and recent.exists()
    assert sorted(path.name for path in folder.glob("shape-*")) == ["shape-1.json",
                                                                  "shape-2.json"]
    (written,) = [path for path in folder.glob("*.json") if not path.name.startswith("shape")]
    assert written.stat().st_mode & 0o777 == 0o644  # other users' kernels can read it


def test_a_cache_that_cannot_be_written_keeps_the_spec_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REBALANCE_WIDGETS_CACHE", str(blocker / "cache"))
    datasets.spec_folder.cache_clear()
    try:
        chart = with_datasets(template(_points)(120), {"points": [{"x": 3}]})
        assert chart.to_dict()["width"] == 120
    finally:
        datasets.spec_folder.cache_clear()


def test_an_invalid_template_fails_when_it_is_filled_not_on_a_later_redraw(cache):
    def broken() -> alt.Chart:
        return alt.Chart(alt.NamedData(name="rows")).mark_point().encode(x="x:Q").properties(
            width="wide")

    with pytest.raises(Exception, match="wide"):
        with_datasets(template(broken)(), {"rows": []})
    assert not _spec_files(cache)


def test_a_filled_chart_is_also_an_altair_chart_on_demand(cache):
    chart = with_datasets(template(_points)(300), {"points": [{"x": 1.5}]})
    assert isinstance(chart, FilledChart)
    real = chart.altair()
    assert isinstance(real, alt.TopLevelMixin)
    assert real.to_dict(validate=True) == chart.to_dict()
    assert chart.properties(width=100).to_dict()["width"] == 100  # Altair's own method
    assert "application/vnd.vegalite.v5+json" in str(chart._repr_mimebundle_()) or \
        chart._repr_mimebundle_()
    assert json.loads(chart.to_json()) == chart.to_dict()
    assert "$schema" in json.loads(chart.to_json(format="vega"))
    with pytest.raises(AttributeError):
        chart._no_such_thing  # noqa: B018


_EVERY_WIDGET = textwrap.dedent("""
    import sys
    import rebalance_widgets as rw
    for name in rw.WIDGETS:
        getattr(rw, name)()
    loaded = [name for name in ("altair", "jsonschema", "vl_convert") if name in sys.modules]
    print(",".join(loaded) or "none")
""")


def test_with_a_warm_cache_no_widget_imports_altair(tmp_path):
    """The first kernel builds the specs; every later one draws without Altair."""
    environment = {**os.environ, "REBALANCE_WIDGETS_CACHE": str(tmp_path)}

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", _EVERY_WIDGET], env=environment,
                              capture_output=True, text=True, check=True, timeout=300)
        return done.stdout.strip()

    assert "altair" in run()  # an empty cache: the specs are built with Altair
    assert run() == "none"
