"""The lessons travel with the package: a wheel, used without the clone, serves and copies them.

Builds the wheel (``pip wheel --no-deps``), unpacks it in a temporary folder and runs the
command from there with ``python -S`` and ``PYTHONPATH`` = the wheel's files, then this
environment's libraries, so that nothing of the clone can be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_support import start_serve, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(folder), str(ROOT)], check=True, timeout=600)
    wheel = next(folder.glob("rebalance_widgets-*.whl"))
    unpacked = folder / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    libraries = sysconfig.get_paths()["purelib"]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(unpacked), libraries])}
    environment.pop("REBALANCE_WIDGETS_NOTEBOOKS", None)
    return unpacked, environment


def _run(installed, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    _, environment = installed
    return subprocess.run([sys.executable, "-S", "-m", "rebalance_widgets.cli", *args],
                          capture_output=True, text=True, env=environment, cwd=cwd,
                          timeout=120, check=False)


def test_the_wheel_carries_the_lessons_and_the_licence(installed):
    unpacked, _ = installed
    assert sorted(p.name for p in (unpacked / "rebalance_widgets/lessons").glob("*.ipynb")) \
        == LESSONS
    licences = list(unpacked.glob("rebalance_widgets-*.dist-info/**/LICENSE*"))
    assert licences, "the wheel has no LICENSE"
    assert "BSD 3-Clause" in licences[0].read_text()


def test_lessons_copies_them_out_without_a_clone(installed, tmp_path):
    done = _run(installed, "lessons", "my-lessons", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "my-lessons").glob("*.ipynb")) == LESSONS
    again = _run(installed, "lessons", "my-lessons", cwd=tmp_path)
    assert again.returncode == 2
    assert "already has 00-start-here.ipynb" in again.stderr
    assert _run(installed, "lessons", "my-lessons", "--force", cwd=tmp_path).returncode == 0


def test_serve_works_without_a_clone(installed, tmp_path):
    unpacked, environment = installed
    server = start_serve("--warm-kernels", "0", log=tmp_path / "serve.log", cwd=tmp_path,
                         env=environment, command=(sys.executable, "-S", "-m",
                                                   "rebalance_widgets.cli"))
    try:
        with urllib.request.urlopen(server.url, timeout=30) as page:
            landing = page.read().decode()
        assert "03-drift.ipynb" in landing
        assert str(unpacked / "rebalance_widgets" / "lessons") in (tmp_path / "serve.log") \
            .read_text()
    finally:
        stop_server(server.process)
