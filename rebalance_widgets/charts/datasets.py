"""Charts that keep their marks and only swap their rows, and a small label helper.

A slider move must redraw in well under 100 ms, and building and layering Altair objects
costs tens of milliseconds. So a chart's marks, encodings and scales are built once per
shape and cached as a template that reads ``alt.NamedData`` sources; each redraw only puts
its rows into the chart's named ``datasets`` (:func:`with_datasets`). The result is an
ordinary Altair chart, validated in full by ``to_dict()``.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from typing import Any, TypeVar

import altair as alt

__all__ = ["ordinal", "with_datasets"]

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


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


def _template_spec(template: alt.TopLevelMixin) -> str:
    """Return the template's full spec without rows, checked against the schema, as JSON.

    Kept on the template, per active Altair theme (the theme is merged into the spec).
    """
    theme_name = alt.theme.active
    cached = template.__dict__.get("_checked_spec")
    if cached is None or cached[0] != theme_name:
        spec = type(template).to_dict(template, validate=True)
        spec.pop("datasets", None)
        cached = (theme_name, json.dumps(spec))
        object.__setattr__(template, "_checked_spec", cached)
    return cached[1]


@functools.cache
def _filled_class(cls: type) -> type:
    """Subclass of an Altair chart class for copies of a template with new rows.

    Its ``to_dict()`` is the template's checked spec plus the copy's ``datasets``: the same
    dict Altair would build, without walking and re-checking the unchanged marks on every
    redraw. Any other use (``format="vega"``, a context) takes Altair's ordinary path.
    """

    def to_dict(self: Any, validate: bool = True, **kwargs: Any) -> dict[str, Any]:
        if kwargs:
            return cls.to_dict(self, validate=validate, **kwargs)
        spec = json.loads(_template_spec(self.__dict__["_template"]))
        spec["datasets"] = json.loads(json.dumps(self._kwds["datasets"]))
        return spec

    to_dict.__doc__ = cls.to_dict.__doc__
    return type(cls.__name__, (cls,), {"to_dict": to_dict, "__module__": cls.__module__})


def with_datasets(template: ChartT, datasets: Mapping[str, list[dict] | str]) -> ChartT:
    """Return a copy of a chart whose top-level named ``datasets`` are replaced.

    The copy shares the template's marks and encodings (which are never modified), so it
    costs microseconds instead of rebuilding and re-layering the chart. The template's spec
    is built and checked in full against the Vega-Lite schema once; the copy's
    ``to_dict()`` is that spec with the copy's rows, so a redraw costs about a millisecond
    instead of tens.

    Parameters
    ----------
    template : altair chart
        A chart whose layers read ``alt.NamedData`` sources.
    datasets : mapping of str to list of dict or str
        Rows of every named source, as plain Python values (or CSV text when the source
        says ``format={"type": "csv"}``).

    Returns
    -------
    altair chart
        A chart of (a subclass of) the template's class.

    Raises
    ------
    altair.utils.schemapi.SchemaValidationError
        When the template is not a valid chart.

    Examples
    --------
    >>> base = alt.Chart(alt.NamedData(name="points")).mark_point().encode(x="x:Q")
    >>> with_datasets(base, {"points": [{"x": 1}]}).to_dict()["datasets"]
    {'points': [{'x': 1}]}
    """
    _template_spec(template)  # check the template now, not on the first redraw
    chart = copy.copy(template)
    # SchemaBase keeps its properties in ``_kwds``; give the copy its own top-level dict.
    object.__setattr__(chart, "_kwds", {**template._kwds, "datasets": dict(datasets)})
    object.__setattr__(chart, "_template", template)
    object.__setattr__(chart, "__class__", _filled_class(type(template)))
    return chart
