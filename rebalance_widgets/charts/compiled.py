"""Chart specs compiled ahead from Vega-Lite to Vega, so that pages need not compile them.

A page draws a Vega-Lite spec by first compiling it to Vega, in the browser, every time the
chart is drawn or redrawn (about 25 ms a chart on a modest machine, a sixth of drawing a
lesson's charts). The compiled Vega of a template does not depend on its rows, so it is
compiled once per shape, beside the template's spec in the cache folder
(:func:`rebalance_widgets.charts.datasets.spec_folder`), by a process that may load a
JavaScript engine: ``rebalance-widgets prepare``, and ``rebalance-widgets serve`` in the
background as it starts (:func:`compile_specs`, with vl-convert, the compiler Altair uses).
A kernel only reads the file and puts its rows in (:func:`fill`); it never loads the
compiler. A shape with no compiled file (new since the last ``prepare``) is sent as
Vega-Lite and compiled by the page, as before.

The file name carries the versions of Altair and vl-convert, like the charts' library the
page draws with (:func:`rebalance_widgets.chart_library.bundle_path`), so the Vega always
matches the Vega that draws it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rebalance_widgets import chart_library

__all__ = ["compile_specs", "fill", "vega_path"]


@functools.cache
def _versions() -> str:
    return chart_library.bundle_path().stem.removeprefix("jupyterchart-")


def vega_path(spec_path: Path) -> Path:
    """Name the compiled Vega file of a template's cached Vega-Lite spec file.

    Parameters
    ----------
    spec_path : Path
        ``<spec folder>/<template>-<shape>.json``.

    Returns
    -------
    Path
        ``<spec folder>/<template>-<shape>.vega-<altair>-<vl-convert>.json`` (it may not
        exist).
    """
    return spec_path.with_name(f"{spec_path.stem}.vega-{_versions()}.json")


def _sources(node: Any, found: dict[str, Any]) -> dict[str, Any]:
    """Named data sources of a Vega-Lite spec -> an empty stand-in for their rows."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            csv = (data.get("format") or {}).get("type") == "csv"
            found[data["name"]] = "" if csv else []
        for value in node.values():
            _sources(value, found)
    elif isinstance(node, list):
        for value in node:
            _sources(value, found)
    return found


def compile_spec(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """Compile a template's Vega-Lite spec (without rows) to Vega, with vl-convert.

    Parameters
    ----------
    spec : mapping
        A Vega-Lite spec whose rows come from named sources (``{"data": {"name": ...}}``).

    Returns
    -------
    dict or None
        The Vega spec, every named source a ``data`` entry of the same name with empty
        ``values``; None if the compiler did not keep a source as such (the spec is then
        left to the page).
    """
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    chart_library.import_altair()
    with_rows = dict(spec)
    with_rows["datasets"] = _sources(spec, {})
    vega = vl_convert.vegalite_to_vega(with_rows, vl_version=vl_version_for_vl_convert())
    kept = {entry.get("name") for entry in vega.get("data", []) if "values" in entry}
    return vega if set(with_rows["datasets"]) <= kept else None


def compile_specs(folder: Path | None = None) -> int:
    """Compile every cached Vega-Lite spec of ``folder`` that has no Vega file yet.

    Parameters
    ----------
    folder : Path, optional
        The spec folder (default: :func:`~rebalance_widgets.charts.datasets.spec_folder`).

    Returns
    -------
    int
        How many files were written (a spec the compiler cannot keep sources of, or a
        read-only folder, is skipped).
    """
    if folder is None:
        from rebalance_widgets.charts.datasets import spec_folder

        folder = spec_folder()
    written = 0
    for path in sorted(folder.glob("*.json")):
        target = vega_path(path)
        if ".vega-" in path.name or target.exists():
            continue
        try:
            vega = compile_spec(json.loads(path.read_text(encoding="utf-8")))
            if vega is not None:
                chart_library.write_atomically(target, json.dumps(vega))
                written += 1
        except (OSError, ValueError):
            continue
    return written


def fill(vega_json: str, datasets: Mapping[str, list[dict] | str]) -> dict[str, Any]:
    """Put rows into a compiled template.

    Parameters
    ----------
    vega_json : str
        A file written by :func:`compile_specs`.
    datasets : mapping of str to list of dict or str
        Rows of each named source (CSV text for a CSV source); a name the chart does not
        read is left out, as the compiler leaves it out.

    Returns
    -------
    dict
        The Vega spec with these rows: what the compiler gives for the template filled
        with them.
    """
    vega = json.loads(vega_json)
    for entry in vega.get("data", []):
        if "values" in entry and entry.get("name") in datasets:
            entry["values"] = copy.deepcopy(datasets[entry["name"]])
    return vega


def read(spec_path: Path | None) -> str | None:
    """Read the compiled Vega text beside a cached spec file, if there is a sound one."""
    if spec_path is None:
        return None
    with contextlib.suppress(OSError, ValueError):  # missing, unreadable or damaged
        text = vega_path(spec_path).read_text(encoding="utf-8")
        if isinstance(json.loads(text).get("data"), list):
            return text
    return None
