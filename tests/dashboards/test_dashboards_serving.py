"""The dashboard configuration and the ``rebalance-widgets`` command, without a browser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from tornado import web

from rebalance_widgets import cli, dashboards
from rebalance_widgets.dashboards import (
    MAX_WARM_KERNELS,
    TEACHER_ONLY_TAG,
    DashboardHook,
    NotebooksNotFoundError,
    dashboard_list,
    find_notebooks,
    load_config_file,
    voila_config,
)
from rebalance_widgets.dashboards.kernel import apply_memory_limit

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "rebalance_widgets/dashboards/share/voila/templates/rebalance"


def test_notebooks_are_found_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REBALANCE_WIDGETS_NOTEBOOKS", raising=False)
    assert find_notebooks() == NOTEBOOKS


def test_missing_notebooks_say_where_to_get_them(tmp_path):
    with pytest.raises(NotebooksNotFoundError, match="come with the package"):
        find_notebooks(tmp_path)


def test_serve_without_notebooks_exits_with_a_clear_message(tmp_path, capsys):
    assert cli.main(["serve", "--notebooks", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("rebalance-widgets: No teaching notebooks found")
    assert "--notebooks" in error


def test_list_prints_every_lesson(capsys):
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == sorted(
        p.name for p in NOTEBOOKS.glob("*.ipynb")
    )
    assert lines[0] == "00-start-here.ipynb\tStart here: keep your 401(k) mix on track"


def test_dashboard_list_uses_titles_and_descriptions(tmp_path):
    (tmp_path / "b.ipynb").write_text(json.dumps({"cells": [], "metadata": {"title": "B"}}))
    (tmp_path / "a.ipynb").write_text(
        json.dumps(
            {
                "cells": [{"cell_type": "markdown", "source": ["Intro\n", "# Heading A\n"]}],
                "metadata": {"description": "About A."},
            }
        )
    )
    (tmp_path / ".hidden.ipynb").write_text("{}")
    assert [vars(d) for d in dashboard_list(tmp_path)] == [
        {"path": "a.ipynb", "title": "Heading A", "summary": "About A."},
        {"path": "b.ipynb", "title": "B", "summary": ""},
    ]


def test_local_configuration_hides_code_and_teacher_cells():
    config, environment = voila_config(NOTEBOOKS, port=9123)
    assert config.Voila.ip == "127.0.0.1"
    assert config.Voila.port == 9123
    assert config.Voila.port_retries == 0
    assert config.Voila.root_dir == str(NOTEBOOKS)
    assert config.Voila.config_file_paths == []
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.template == "rebalance"
    assert config.VoilaConfiguration.file_allowlist == []
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.TagRemovePreprocessor.remove_cell_tags == {TEACHER_ONLY_TAG}
    assert "MappingKernelManager" not in config
    assert config.LessonServer.admission.max_visitors is None
    assert "prelaunch_hook" not in config.VoilaConfiguration  # Voila refuses it with warm kernels
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaConfiguration.default_pool_size == 1
    assert config.VoilaKernelManager.fill_delay == 0  # the server holds refills itself
    first = environment["JUPYTER_PATH"].split(os.pathsep)[0]
    assert Path(first, "voila/templates/rebalance/conf.json").is_file()


def test_public_configuration_culls_caps_and_limits_memory():
    config, environment = voila_config(NOTEBOOKS, public=True, max_visitors=7, max_memory_mb=900)
    kernels = config.MappingKernelManager
    assert (kernels.cull_idle_timeout, kernels.cull_interval) == (900, 60)
    assert kernels.cull_connected is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.LessonServer.admission.max_visitors == 7
    kernel_folder = Path(environment["JUPYTER_PATH"].split(os.pathsep)[0])
    spec = json.loads((kernel_folder / "kernels/python3/kernel.json").read_text())
    assert spec["argv"][:4] == [
        sys.executable, "-m", "rebalance_widgets.dashboards.kernel", "--max-memory-mb=900"
    ]
    assert spec["argv"][-2:] == ["-f", "{connection_file}"]


def test_public_site_keeps_the_address_it_is_given():
    config, _ = voila_config(NOTEBOOKS, public=True, ip="0.0.0.0")
    assert config.Voila.ip == "0.0.0.0"


@pytest.mark.parametrize(("ip", "public", "compress", "expected"), [
    ("127.0.0.1", False, None, False),  # this machine's own browser: nothing to gain
    ("::1", False, None, False),
    ("localhost", False, None, False),
    ("127.0.0.1", True, None, False),  # behind a proxy, which compresses
    ("0.0.0.0", False, None, True),  # a classroom's network
    ("192.168.1.20", False, None, True),
    ("lessons.lan", False, None, True),
    ("0.0.0.0", True, False, False),  # asked for either way
    ("127.0.0.1", False, True, True),
])
def test_responses_are_compressed_when_visitors_come_over_a_network(
        ip, public, compress, expected):
    config, _ = voila_config(NOTEBOOKS, ip=ip, public=public, compress=compress)
    assert config.LessonServer.compress is expected


def test_extra_configuration_file_is_applied_last(tmp_path):
    file = tmp_path / "site.json"
    file.write_text(json.dumps({"MappingKernelManager": {"cull_idle_timeout": 120}}))
    config, _ = voila_config(NOTEBOOKS, public=True, extra=load_config_file(file))
    assert config.MappingKernelManager.cull_idle_timeout == 120
    assert config.MappingKernelManager.cull_interval == 60


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.json", "does not exist"), ("site.yaml", "must end in .json or .py")],
)
def test_bad_configuration_file_is_refused(tmp_path, name, message):
    if name.endswith(".yaml"):
        (tmp_path / name).write_text("a: 1")
    with pytest.raises(ValueError, match=message):
        load_config_file(tmp_path / name)


class FakeHandler:
    """Stands in for Voila's request handler: its kernels, and the cookie it sets."""

    def __init__(self, running: int) -> None:
        ids = [f"k{i}" for i in range(running)]
        self.kernel_manager = SimpleNamespace(list_kernel_ids=lambda: ids)
        self.cookie_set = False

    @property
    def xsrf_token(self) -> bytes:
        self.cookie_set = True
        return b"token"


def test_dashboard_hook_sets_the_cookie_the_close_request_needs():
    handler = FakeHandler(running=50)
    assert DashboardHook()(handler, notebook=None, cwd="") is None
    assert handler.cookie_set


def test_visitor_limit_refuses_the_visitor_after_the_cap():
    limit = DashboardHook(3)
    assert limit(FakeHandler(running=2), notebook=None, cwd="") is None
    full = FakeHandler(running=3)
    with pytest.raises(web.HTTPError) as refused:
        limit(full, notebook=None, cwd="")
    assert refused.value.status_code == 503
    assert "try again" in refused.value.reason
    assert not full.cookie_set
    with pytest.raises(ValueError, match="at least 1; it is 0"):
        DashboardHook(0)


def test_memory_limited_kernel_cannot_allocate_beyond_its_limit():
    script = (
        "from rebalance_widgets.dashboards.kernel import apply_memory_limit\n"
        "apply_memory_limit(400)\n"
        "try:\n"
        "    bytearray(800 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
        "small = bytearray(20 * 1024 * 1024)\n"
        "print('small ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["refused", "small", "ok"]


def test_memory_limit_below_a_kernel_is_refused():
    with pytest.raises(ValueError, match="at least 64 MiB; the limit is 10 MiB"):
        apply_memory_limit(10)


def test_template_asks_nothing_from_other_hosts():
    for file in TEMPLATE.glob("*.*"):  # static/, the front end: test_front_end.py
        lines = [line for line in file.read_text().splitlines() if "| replace(" not in line]
        assert not any("https://" in line for line in lines), file
    index = (TEMPLATE / "index.html.j2").read_text()
    assert index.count("fontawesome-free") == 2  # only inside the two replace() filters
    assert "| replace(" in index


def test_binder_configuration_matches_the_served_one():
    server = json.loads((ROOT / "binder/jupyter_server_config.json").read_text())
    assert server["TagRemovePreprocessor"]["remove_cell_tags"] == [TEACHER_ONLY_TAG]
    voila = json.loads((ROOT / "binder/voila.json").read_text())
    assert voila["VoilaConfiguration"]["template"] == dashboards.TEMPLATE
    assert voila["VoilaConfiguration"]["strip_sources"] is True
    post_build = ROOT / "binder/postBuild"
    assert os.access(post_build, os.X_OK)
    assert "pip install --no-cache-dir ." in post_build.read_text()


@pytest.mark.parametrize("warm", [-1, MAX_WARM_KERNELS + 1, True])
def test_warm_kernels_outside_their_range_are_refused(warm):
    with pytest.raises(ValueError, match=f"must be 0 to {MAX_WARM_KERNELS}"):
        voila_config(NOTEBOOKS, warm_kernels=warm)


def test_no_warm_kernels_starts_a_kernel_per_page():
    config, _ = voila_config(NOTEBOOKS, warm_kernels=0)
    assert config.VoilaConfiguration.preheat_kernel is False
    assert "prelaunch_hook" not in config.VoilaConfiguration


def test_a_class_can_have_one_lesson_kept_warmer_than_the_others():
    config, _ = voila_config(NOTEBOOKS, warm_kernels=1,
                             warm_lessons={"03-drift": 30, "04-rebalancing-frequency.ipynb": 0})
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 1},
        "03-drift.ipynb": {"pool_size": 30},
        "04-rebalancing-frequency.ipynb": {"pool_size": 0},
    }
    only, _ = voila_config(NOTEBOOKS, warm_kernels=0, warm_lessons={"03-drift": 5})
    assert only.VoilaConfiguration.preheat_kernel is True  # that lesson only
    assert only.VoilaKernelManager.kernel_pools_config["default"] == {"pool_size": 0}
    plain, _ = voila_config(NOTEBOOKS)
    assert "kernel_pools_config" not in plain.VoilaKernelManager


@pytest.mark.parametrize(("lessons", "message"), [
    ({"03-drfit": 30}, "There is no lesson '03-drfit'"),
    ({"../03-drift": 2}, "There is no lesson"),
    ({"03-drift": 61}, "must be 0 to 60; got 61 for 03-drift"),
    ({"03-drift": -1}, "must be 0 to 60"),
])
def test_warm_kernels_for_a_lesson_that_is_not_there_or_too_many_are_refused(
        lessons, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        voila_config(NOTEBOOKS, warm_lessons=lessons)


@pytest.mark.parametrize("flag", ["03-drift", "03-drift=many", "=30", "03-drift=-2"])
def test_serve_refuses_a_warm_lesson_it_cannot_read_with_a_clear_message(flag, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--warm-lesson", flag, "--port", "0"])
    assert stopped.value.code == 2
    assert f"write it as LESSON=N, e.g. 03-drift=30; got '{flag}'" in capsys.readouterr().err


def test_serve_names_the_lessons_when_a_warm_lesson_is_not_one(capsys):
    assert cli.main(["serve", "--warm-lesson", "03-drfit=30", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "There is no lesson '03-drfit' to keep kernels warm for; the lessons are: " in error
    assert "03-drift, 04-rebalancing-frequency" in error


def test_prepare_builds_what_every_kernel_would_otherwise_build(tmp_path):
    """``prepare`` leaves the chart library and every widget's chart specs in the cache."""
    environment = {**os.environ, "REBALANCE_WIDGETS_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "rebalance_widgets.cli", "prepare"],
                          env=environment, capture_output=True, text=True, check=True,
                          timeout=600)
    assert "Charts' specs:" in done.stdout
    assert list(tmp_path.glob("chart-library-*.js"))
    specs = {path.name.split("-")[0] for path in tmp_path.glob("chart-specs-*/*.json")}
    drawn = {"drift", "comparison", "costs", "contributions", "glidepath", "calculator",
             "allocation", "questionnaire", "history_lab", "discipline", "fan"}
    assert {f"rebalance_widgets.charts.{name}." for name in drawn} <= {
        name.rsplit(".", 1)[0] + "." for name in specs}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is new in Python 3.11")
def test_build_steps_ignore_a_module_named_like_another_in_the_current_folder(tmp_path):
    """A folder served from may hold ``html.py``; the steps ``serve`` starts still work."""
    (tmp_path / "html.py").write_text("raise SystemExit('the folder\\'s html.py ran')\n")
    done = subprocess.run(cli._python("import html; print(html.escape('<'))"),
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "&lt;"


def test_kernels_read_the_bytecode_written_before_they_start(tmp_path):
    """Bytecode written by ``compile_bytecode`` is what a new process (a kernel) loads, even
    where Python is told not to write bytecode itself; a source changed later is compiled
    again, not read from stale bytecode."""
    (tmp_path / "lesson_module.py").write_text("ANSWER = 42\n")
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tmp_path)}

    def loaded_from() -> str:
        done = subprocess.run([sys.executable, "-v", "-c", "import lesson_module"],
                              env=environment, capture_output=True, text=True, check=True)
        return next(line for line in done.stderr.splitlines()
                    if "code object from" in line and "lesson_module" in line)

    assert "__pycache__" not in loaded_from()  # nothing written by the import itself
    cli.compile_bytecode(tmp_path)
    assert "__pycache__" in loaded_from()
    source = tmp_path / "lesson_module.py"
    source.write_text("ANSWER = 43\n")
    os.utime(source, (source.stat().st_atime, source.stat().st_mtime + 10))
    assert "__pycache__" not in loaded_from()
    cli.compile_bytecode(tmp_path)
    assert "__pycache__" in loaded_from()


def test_serve_builds_the_chart_specs_once_before_its_kernels_start(tmp_path, monkeypatch):
    """With no specs for this charts' source yet, ``serve`` builds them before Voila starts."""
    from rebalance_widgets.charts import datasets
    from rebalance_widgets.dashboards.server import LessonServer

    steps: list[str] = []
    saved = dict(os.environ)  # serve sets its kernels' environment in its own
    monkeypatch.setenv("REBALANCE_WIDGETS_CACHE", str(tmp_path / "cache"))
    datasets.spec_folder.cache_clear()
    monkeypatch.setattr(subprocess, "run", lambda command, **_: steps.append(command[-1]))
    monkeypatch.setattr(subprocess, "Popen", lambda command, **_: SimpleNamespace(
        wait=lambda: steps.append(command[-1])))
    monkeypatch.setattr(LessonServer, "launch_instance",
                        classmethod(lambda cls, **_: steps.append("voila")))
    monkeypatch.setattr(cli, "compile_bytecode", lambda: steps.append("bytecode"))
    try:
        assert cli.main(["serve", "--port", "0"]) == 0
        assert steps.index("bytecode") < steps.index(cli._BUILD_SPECS) < steps.index("voila")
        steps.clear()
        datasets.spec_folder().mkdir(parents=True)  # specs there: not built again
        assert cli.main(["serve", "--port", "0"]) == 0
        assert cli._BUILD_SPECS not in steps and "voila" in steps
    finally:
        datasets.spec_folder.cache_clear()
        os.environ.clear()
        os.environ.update(saved)


def test_an_instructor_can_see_a_failing_cells_traceback_but_never_on_a_public_site(capsys):
    assert cli.main(["serve", "--public", "--show-tracebacks", "--port", "0"]) == 2
    assert "A public site never shows tracebacks" in capsys.readouterr().err
    config, _ = voila_config(NOTEBOOKS, extra=cli._with_tracebacks(None))
    assert config.VoilaConfiguration.show_tracebacks is True
    assert voila_config(NOTEBOOKS)[0].VoilaConfiguration.show_tracebacks is False
