"""The lesson page's front end (``frontend/``, built into the template's ``static`` folder)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "rebalance_widgets/dashboards/share/voila/templates/rebalance/static"
BUILT = ("lesson-page.js", "lesson-page.css", "lesson-page.licenses.txt")
#: Licences that may be bundled into a BSD-3-Clause kit (no copyleft).
PERMISSIVE = {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"}
#: Words of those licences' terms: one of them is in every full licence text.
LICENCE_WORDS = ("Redistribution and use", "Permission is hereby granted",
                 "Permission to use, copy", "Apache License")


def _node_or_skip() -> str:
    node = shutil.which("node")
    if node and (ROOT / "node_modules/esbuild/package.json").exists():
        return node
    reason = "the front end's build tools are not installed (make node)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1, so this is a failure)")
    pytest.skip(reason)


def bundled_packages() -> dict[str, tuple[str, str]]:
    """The first block of the licence file: package name -> (version, licence)."""
    text = (STATIC / "lesson-page.licenses.txt").read_text()
    listing = text.split("\n\n---- ", 1)[0].splitlines()[1:]
    return {name: (version, licence)
            for name, version, licence in (line.rsplit(" ", 2) for line in listing)}


def licence_texts() -> dict[str, str]:
    """The rest of the licence file: package name -> the licence text written for it."""
    text = (STATIC / "lesson-page.licenses.txt").read_text()
    return dict(entry.split("\n", 1) for entry in text.split("\n---- ")[1:])


def test_shipped_files_are_what_the_sources_build(tmp_path):
    node = _node_or_skip()
    subprocess.run([node, str(ROOT / "frontend/build.mjs"), str(tmp_path)], check=True,
                   cwd=ROOT, timeout=120)
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"{name} is out of date: run `npm run build`")


def test_every_bundled_package_has_a_permissive_licence():
    packages = bundled_packages()
    assert {"@jupyter-widgets/controls", "@jupyterlab/services", "anywidget"} <= set(packages)
    assert {licence for _, licence in packages.values()} <= PERMISSIVE, packages
    texts = licence_texts()
    assert set(texts) == set(packages)
    for name, terms in texts.items():  # the terms themselves, not only the licence's name
        assert any(words in terms for words in LICENCE_WORDS), f"{name}: no licence text"


def test_packages_without_a_licence_file_get_the_terms_with_their_holders():
    """The Jupyter and Lumino packages ship no LICENSE: the build writes their terms."""
    texts = licence_texts()
    assert "Copyright (c) Project Jupyter Contributors\n" in texts["@jupyter-widgets/controls"]
    assert "Copyright (c) Project Jupyter Contributors\n" in texts["@jupyterlab/services"]
    widgets = texts["@lumino/widgets"]
    assert "Copyright (c) 2019 Project Jupyter Contributors\n" in widgets
    assert "Copyright (c) 2014-2017, PhosphorJS Contributors\n" in widgets
    assert widgets.count("Redistribution and use in source and binary forms") == 2


def test_the_bundle_speaks_the_installed_widgets_versions():
    """The kernel's widgets and the page's must agree: ipywidgets 8 (controls and base
    protocol 2.x, Output 1.x) and anywidget's release."""
    import anywidget
    import ipywidgets

    bundled = {name: version for name, (version, _) in bundled_packages().items()}
    assert bundled["@jupyter-widgets/controls"].startswith("5.")  # widget protocol 2.x
    assert ipywidgets.__jupyter_widgets_controls_version__.startswith("2.")
    assert ipywidgets.__jupyter_widgets_base_version__.startswith("2.")
    assert ipywidgets.Output()._model_module_version == "1.0.0"
    assert anywidget.__version__.split(".")[:2] == bundled["anywidget"].split(".")[:2]


def test_the_style_sheet_fetches_nothing():
    """Icons and fonts of the widgets' styles are inside the file (data: addresses)."""
    style = (STATIC / "lesson-page.css").read_text()
    assert "@import" not in style
    assert not re.search(r"url\((?![\"']?data:)", style)
