"""Chart templates keep their checked spec on disk; kernels that find it need no Altair."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from rebalance_widgets.charts import datasets, message
from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt, load_altair
from rebalance_widgets.charts.message import message_chart


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


def _said(text: str, width: int = 300) -> dict:
    return message_chart(text, width=width).to_dict()


def test_a_kit_chart_spec_is_written_once_and_read_by_a_fresh_template(cache, monkeypatch):
    spec = _said("hello", 311)
    (path,) = _spec_files(cache)
    build = message._message_template.__wrapped__
    expected = build(311, 40).to_dict(validate=True)
    assert json.loads(path.read_text()) == {k: v for k, v in expected.items() if k != "datasets"}
    assert spec == {**expected, "datasets": {"text": [{"text": "hello"}]}}

    def no_altair(*args):
        raise AssertionError("the spec should come from the file")

    monkeypatch.setattr(datasets.Template, "_checked_spec", no_altair)
    fresh = with_datasets(datasets.Template(build, (311, 40)), {"text": [{"text": "again"}]})
    assert fresh.to_dict()["width"] == 311
    assert fresh.to_dict()["datasets"] == {"text": [{"text": "again"}]}


def test_each_shape_has_its_own_file_and_a_damaged_file_is_rebuilt(cache):
    _said("a", 301)
    _said("b", 302)
    files = _spec_files(cache)
    assert len(files) == 2
    files[0].write_text('{"half a')
    build = message._message_template.__wrapped__
    widths = {with_datasets(datasets.Template(build, (w, 40)), {"text": []}).to_dict()["width"]
              for w in (301, 302)}
    assert widths == {301, 302}
    assert all(json.loads(path.read_text()) for path in _spec_files(cache))


MARK = "point"


def _marked() -> alt.Chart:
    return alt.Chart(alt.NamedData(name="points"), mark=MARK).encode(x="x:Q")


def _coloured(colour: str):
    return template(lambda: alt.Chart(alt.NamedData(name="points")).mark_point(color=colour)
                    .encode(x="x:Q"))


def test_templates_defined_outside_the_kit_stay_in_memory(cache, monkeypatch):
    """What such a template reads cannot be known, so no file could be trusted."""
    drawn = [with_datasets(_coloured(c)(), {"points": []}).to_dict()["mark"]["color"]
             for c in ("red", "blue")]
    assert drawn == ["red", "blue"]

    def mark() -> dict:
        return with_datasets(template(_marked)(), {"points": []}).to_dict()["mark"]

    assert mark() == {"type": "point"}
    monkeypatch.setattr(sys.modules[__name__], "MARK", "circle")
    assert mark() == {"type": "circle"}
    assert not _spec_files(cache)


def test_another_theme_stays_in_memory(cache):
    load_altair()
    before = alt.theme.active
    try:
        alt.theme.enable("dark")
        assert _said("dark", 303)["usermeta"]["embedOptions"]["theme"] == "dark"
        assert not _spec_files(cache)
    finally:
        alt.theme.enable(before)
    assert "usermeta" not in _said("kit", 303)
    assert len(_spec_files(cache)) == 1


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
    _said("new", 304)  # a new shape: prune, then write
    assert not stale.exists() and recent.exists()
    assert sorted(path.name for path in folder.glob("shape-*")) == ["shape-1.json",
                                                                  "shape-2.json"]
    (written,) = [path for path in folder.glob("*.json") if not path.name.startswith("shape")]
    assert written.stat().st_mode & 0o777 == 0o644  # other users' kernels can read it
    os.utime(written, (month_ago, month_ago))
    datasets.spec_folder.cache_clear()
    build = message._message_template.__wrapped__
    with_datasets(datasets.Template(build, (304, 40)), {"text": []}).to_dict()
    assert written.stat().st_mtime > month_ago + 86400  # read: marked as used


def test_a_cache_that_cannot_be_written_keeps_the_spec_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REBALANCE_WIDGETS_CACHE", str(blocker / "cache"))
    datasets.spec_folder.cache_clear()
    try:
        assert _said("read-only", 120)["width"] == 120
    finally:
        datasets.spec_folder.cache_clear()


def test_an_invalid_template_fails_when_it_is_filled_not_on_a_later_redraw(cache):
    def broken() -> alt.Chart:
        return alt.Chart(alt.NamedData(name="rows")).mark_point().encode(x="x:Q").properties(
            width="wide")

    with pytest.raises(Exception, match="wide"):
        with_datasets(template(broken)(), {"rows": []})


def test_a_filled_chart_is_also_an_altair_chart_on_demand(cache):
    chart = with_datasets(template(_points)(300), {"points": [{"x": 1.5}]})
    assert isinstance(chart, FilledChart)
    real = chart.altair()
    assert isinstance(real, alt.TopLevelMixin)
    assert real.to_dict(validate=True) == chart.to_dict()
    assert chart.properties(width=100).to_dict()["width"] == 100  # Altair's own method
    assert chart._repr_mimebundle_()
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
