"""Charts built once per shape and filled with rows: fast redraws, and no Altair on the way.

A slider move must redraw in well under 100 ms, and building and layering Altair objects
costs tens of milliseconds. So a chart's marks, encodings and scales are built once per
shape by a *template* function (decorated with :func:`template`) whose layers read
``alt.NamedData`` sources; each redraw only puts its rows into the chart's named
``datasets`` (:func:`with_datasets`).

A template's spec is checked in full against the Vega-Lite schema when it is built, and
then kept: in memory, and as JSON in the kit's cache folder
(:func:`rebalance_widgets.chart_library.cache_folder`), so the next kernel that draws the
same shape reads the file and never imports Altair (about half a second of a lesson's
start). Only the kit's own templates (defined in :mod:`rebalance_widgets.charts`) in the
kit's theme are written: their folder is named by the source of that package and Altair's
version, so a changed chart module or theme is never read from an old file, and a file by
the template and its shape. Templates defined elsewhere, and other themes (whose settings a
notebook may change under the same name), keep their specs in memory only.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from rebalance_widgets import chart_library
from rebalance_widgets.charts.lazy import THEME_NAME, active_theme, load_altair

__all__ = [
    "MAX_SPEC_FILES", "STALE_DAYS", "FilledChart", "Template", "ordinal", "prune_specs",
    "spec_folder", "template", "with_datasets",
]


def ordinal(number: float) -> str:
    """Write a percentile as an English ordinal.

    Parameters
    ----------
    number : float
        A percentile such as 5, 50 or 2.5.

    Returns
    -------
    str
        "5th", "21st", "2.5th".

    Examples
    --------
    >>> [ordinal(p) for p in (1, 2, 3, 5, 11, 22, 2.5)]
    ['1st', '2nd', '3rd', '5th', '11th', '22nd', '2.5th']
    """
    text = f"{number:g}"
    if float(number) != int(number) or 11 <= int(number) % 100 <= 13:
        return f"{text}th"
    return text + {1: "st", 2: "nd", 3: "rd"}.get(int(number) % 10, "th")


_PACKAGE = __name__.rpartition(".")[0] + "."  # "rebalance_widgets.charts."


@functools.cache
def spec_folder() -> Path:
    """Name the folder of chart specs for this source of the chart modules and this Altair.

    Returns
    -------
    Path
        ``<cache folder>/chart-specs-<16 hex digits>`` (it may not exist yet).
    """
    digest = hashlib.sha256(metadata.version("altair").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return chart_library.cache_folder() / f"chart-specs-{digest.hexdigest()[:16]}"


#: Spec files kept per folder before the oldest go; folders and leftovers unused this long.
MAX_SPEC_FILES, STALE_DAYS = 2000, 30


def _used(path: Path) -> None:
    """Mark a spec file (and once, its folder) as used, so pruning keeps what is read."""
    with contextlib.suppress(OSError):  # a read-only cache
        os.utime(path)
        _folder_used()


@functools.cache
def _folder_used() -> None:
    with contextlib.suppress(OSError):
        os.utime(spec_folder())


@functools.cache
def prune_specs() -> None:
    """Keep the cache small (once per process, before its first new spec file).

    Removes other ``chart-specs-*`` folders (older sources of the charts or Altair) and
    unfinished ``*.tmp`` files not touched for :data:`STALE_DAYS` days, and the oldest
    files of this folder beyond :data:`MAX_SPEC_FILES` (every new shape a learner draws
    writes one).
    """
    folder = spec_folder()
    old = time.time() - STALE_DAYS * 86400
    with contextlib.suppress(OSError):
        for other in folder.parent.glob("chart-specs-*"):
            if other != folder and other.stat().st_mtime < old:
                shutil.rmtree(other, ignore_errors=True)
        files = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
        for path in files[: max(0, len(files) - MAX_SPEC_FILES)] + [
                tmp for tmp in folder.glob("*.tmp") if tmp.stat().st_mtime < old]:
            path.unlink(missing_ok=True)


class Template:
    """One shape of a chart: an Altair chart built on demand, and its checked spec.

    Parameters
    ----------
    build : callable
        Makes the Altair chart from ``args``; its layers read ``alt.NamedData`` sources.
    args : tuple
        The shape (scenario names, titles, sizes, ...): plain values with a stable ``repr``.
    """

    def __init__(self, build: Callable[..., Any], args: tuple) -> None:
        self._build, self._args = build, args
        self._chart: Any = None
        self._specs: dict[str, str] = {}

    @property
    def chart(self) -> Any:
        """The Altair chart (built, and Altair imported, on first use)."""
        if self._chart is None:
            load_altair()
            self._chart = self._build(*self._args)
        return self._chart

    def spec_json(self) -> str:
        """Give the chart's spec without rows, checked against the schema, as JSON text.

        Returns
        -------
        str
            Read from memory, else from the cache folder, else built with Altair (and
            checked in full) and written there.

        Raises
        ------
        altair.utils.schemapi.SchemaValidationError
            When the template is not a valid chart.
        """
        theme = active_theme()
        text = self._specs.get(theme)
        if text is None:
            path = self._path(theme)
            try:
                if path is None:
                    raise FileNotFoundError
                text = path.read_text(encoding="utf-8")
                json.loads(text)
                _used(path)
            except (OSError, ValueError):
                text = self._checked_spec()
                if path is not None:
                    prune_specs()
                    with contextlib.suppress(OSError):  # read-only: it stays in memory
                        chart_library.write_atomically(path, text)
            self._specs[theme] = text
        return text

    def _path(self, theme: str) -> Path | None:
        """Name this shape's file in the cache folder (None: memory only).

        Only the kit's own templates in the kit's theme are written: everything they read
        is in the source that names the folder. A template defined elsewhere, or another
        theme (whose settings a notebook may change under the same name), stays in memory.
        """
        if theme != THEME_NAME or not self._build.__module__.startswith(_PACKAGE):
            return None
        key = repr((self._args, theme)).encode()
        name = f"{self._build.__module__}.{self._build.__qualname__}"
        return spec_folder() / f"{name}-{hashlib.sha256(key).hexdigest()[:20]}.json"

    def _checked_spec(self) -> str:
        chart = self.chart
        spec = type(chart).to_dict(chart, validate=True)
        spec.pop("datasets", None)
        return json.dumps(spec)


def template(build: Callable[..., Any]) -> Callable[..., Template]:
    """Make a chart-building function return a cached :class:`Template` of its chart.

    Parameters
    ----------
    build : callable
        ``build(*shape)`` returns an Altair chart whose layers read ``alt.NamedData``.

    Returns
    -------
    callable
        ``f(*shape)`` returning the same :class:`Template` for the same shape (the last 64
        shapes are kept in memory).
    """
    cached = functools.lru_cache(maxsize=64)(lambda *args: Template(build, args))
    return functools.wraps(build)(lambda *args: cached(*args))


class FilledChart:
    """A template filled with rows: its Vega-Lite spec, without building Altair objects.

    ``to_dict()`` gives the spec a chart widget draws. It is not itself an Altair chart:
    :meth:`altair` gives the same chart as one (for ``isinstance``), and the Altair
    chart's own methods and attributes (``properties``, ``save``, ``to_json(format=
    "vega")``, ...) and display in a notebook go to it. Its rows are top-level named
    ``datasets``, so it cannot be placed inside ``alt.vconcat`` or ``|`` as it is.
    """

    def __init__(self, shape: Template, datasets: Mapping[str, list[dict] | str]) -> None:
        self._template = shape
        self._datasets = dict(datasets)

    def to_dict(self, validate: bool = True, **kwargs: Any) -> dict[str, Any]:
        """Return the Vega-Lite spec: the template's checked spec plus these rows.

        Parameters
        ----------
        validate : bool, default True
            Ignored for the plain spec (the template was checked when it was built); with
            other keyword arguments (``format="vega"``, ``context``) Altair builds it.

        Returns
        -------
        dict
            A fresh dict each call.
        """
        if kwargs:
            return self.altair().to_dict(validate=validate, **kwargs)
        spec = json.loads(self._template.spec_json())
        spec["datasets"] = json.loads(json.dumps(self._datasets))
        return spec

    def to_json(self, indent: int | str | None = 2, **kwargs: Any) -> str:
        """Return :meth:`to_dict` as JSON text (other options: Altair's ``to_json``)."""
        if kwargs:
            return self.altair().to_json(indent=indent, **kwargs)
        return json.dumps(self.to_dict(), indent=indent)

    def altair(self) -> Any:
        """Return this chart as an Altair chart (imports Altair).

        Returns
        -------
        altair chart
            A copy of the template's chart with these rows in its ``datasets``; its
            ``to_dict()`` checks everything, rows included, against the schema.
        """
        chart = copy.copy(self._template.chart)
        # SchemaBase keeps its properties in ``_kwds``; give the copy its own top-level dict.
        object.__setattr__(chart, "_kwds", {**chart._kwds, "datasets": dict(self._datasets)})
        return chart

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> Any:
        return self.altair()._repr_mimebundle_(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.altair(), name)


def with_datasets(shape: Template, datasets: Mapping[str, list[dict] | str]) -> FilledChart:
    """Fill a template with rows.

    Parameters
    ----------
    shape : Template
        What a :func:`template` function returned.
    datasets : mapping of str to list of dict or str
        Rows of every named source, as plain Python values (or CSV text when the source
        says ``format={"type": "csv"}``).

    Returns
    -------
    FilledChart
        The chart; its spec costs about a millisecond instead of tens.

    Raises
    ------
    altair.utils.schemapi.SchemaValidationError
        When the template is not a valid chart (checked now, not on the first redraw).

    Examples
    --------
    >>> from rebalance_widgets.charts.lazy import alt
    >>> points = template(lambda: alt.Chart(alt.NamedData(name="points")).mark_point()
    ...                   .encode(x="x:Q"))
    >>> with_datasets(points(), {"points": [{"x": 1}]}).to_dict()["datasets"]
    {'points': [{'x': 1}]}
    """
    shape.spec_json()
    return FilledChart(shape, datasets)
