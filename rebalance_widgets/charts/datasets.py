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
start). A file is named by the source of :mod:`rebalance_widgets.charts` and Altair's
version (its folder), and by the template function's code, its module's source, the plain
values it reads, its shape and the active theme; a template that reads anything else (a
function defined at a prompt, a captured object) keeps its spec in memory only.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from types import CodeType
from typing import Any

from rebalance_widgets import chart_library
from rebalance_widgets.charts.lazy import active_theme, load_altair

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


def _code_key(code: CodeType) -> bytes:
    """Give bytes that change when a function's code does, the same in every process."""
    parts = [code.co_code, repr(code.co_names).encode()]
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            parts.append(_code_key(constant))
        elif isinstance(constant, frozenset):  # its order follows the session's hash seed
            parts.append(repr(sorted(map(repr, constant))).encode())
        else:
            parts.append(repr(constant).encode())
    return b"\0".join(parts)


def _plain(value: Any) -> bool:
    """Tell whether a value's ``repr`` says all of it, the same in every process."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return True
    if isinstance(value, (tuple, list)):
        return all(map(_plain, value))
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _names(constant)
    return names


@functools.cache
def _source_digest(module: str) -> str | None:
    found = sys.modules.get(module)
    path = getattr(found, "__file__", None)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
    except OSError:
        return None


def _function_key(build: Callable[..., Any]) -> bytes | None:
    """Give bytes naming everything a template function's chart depends on, or None.

    Its code, its module's source, its default arguments, the values it captured and the
    plain values of the module-level names it reads. None when something cannot be written
    down the same way in another process (a function defined at a prompt, a captured
    object): its specs then stay in memory only.
    """
    source = _source_digest(build.__module__)
    captured = [cell.cell_contents for cell in build.__closure__ or ()]
    defaults = [build.__defaults__, build.__kwdefaults__]
    if source is None or not _plain(captured) or not _plain(defaults):
        return None
    globals_ = build.__globals__
    read = sorted((name, repr(globals_[name])) for name in _names(build.__code__)
                  if name in globals_ and _plain(globals_[name]))
    return b"\0".join([_code_key(build.__code__), source.encode(), repr(captured).encode(),
                       repr(defaults).encode(), repr(read).encode()])


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
            except (OSError, ValueError):
                text = self._checked_spec()
                if path is not None:
                    prune_specs()
                    with contextlib.suppress(OSError):  # read-only: it stays in memory
                        chart_library.write_atomically(path, text)
            self._specs[theme] = text
        return text

    def _path(self, theme: str) -> Path | None:
        """Name this shape's file in the cache folder (None: memory only)."""
        function = _function_key(self._build)
        if function is None:
            return None
        key = function + repr((self._args, theme)).encode()
        name = re.sub(r"[^\w.]+", "_", f"{self._build.__module__}.{self._build.__qualname__}")
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
