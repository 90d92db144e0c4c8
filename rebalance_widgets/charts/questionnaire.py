"""Chart for the risk questionnaire: where a score falls among the profiles.

A pure builder; the bands and the score come from :mod:`rebalance_widgets.core.planning.risk`.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.fan import require_columns
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import OKABE_ITO

__all__ = ["score_chart"]

# light to dark blue-greens, then oranges: readable with black text, ordered
_STEPS = ["#D9EEF7", "#A9D6EC", "#56B4E9", "#F6D38A", "#E69F00", "#F0A97A", "#D55E00"]


def score_chart(bands: pd.DataFrame, score: float, *, width: int = 520) -> FilledChart:
    """Draw the profile bands along the score scale and a marker at the person's score.

    Parameters
    ----------
    bands : pandas.DataFrame
        One row per profile, lowest first, with columns ``profile``, ``low`` and ``high``
        (inclusive score range).
    score : float
        The person's total score.
    width : int, default 520
        Width in pixels.

    Returns
    -------
    FilledChart
        Coloured segments named by profile (dataset ``"bands"``) and a black triangle with
        the score (dataset ``"you"``).

    Examples
    --------
    >>> frame = pd.DataFrame({"profile": ["Careful", "Balanced", "Bold"], "low": [0, 10, 20],
    ...                       "high": [9, 19, 30]})
    >>> len(score_chart(frame, 14).to_dict()["layer"])
    4
    """
    require_columns(bands, ["profile", "low", "high"], "profile bands")
    order = list(bands["profile"])
    colours = [
        _STEPS[round(i * (len(_STEPS) - 1) / max(1, len(order) - 1))] for i in range(len(order))
    ]
    data = bands.assign(start=bands["low"] - 0.5, end=bands["high"] + 0.5)
    lo, hi = float(data["start"].min()), float(data["end"].max())
    pixels = (data["end"] - data["start"]) / max(hi - lo, 1e-9) * width
    data["name"] = [
        name if len(name) * 7.5 + 8 < room else ""
        for name, room in zip(data["profile"], pixels, strict=True)
    ]
    you = [{"score": float(score), "label": f"You: {score:g}"}]
    shape = _score_template(tuple(order), tuple(colours), lo, hi, int(width))
    return with_datasets(shape, {"bands": data.to_dict("records"), "you": you})


@template
def _score_template(order: tuple[str, ...], colours: tuple[str, ...], lo: float, hi: float,
                    width: int) -> alt.LayerChart:
    x_scale = alt.Scale(domain=[lo, hi], nice=False)
    segments = (
        alt.Chart(alt.NamedData(name="bands"))
        .mark_bar(height=34, stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("start:Q", title="Score", scale=x_scale, axis=alt.Axis(format="d")),
            x2="end:Q",
            color=alt.Color(
                "profile:N",
                title=None,
                scale=alt.Scale(domain=list(order), range=list(colours)),
                legend=alt.Legend(columns=3, symbolType="square"),
            ),
            tooltip=[
                alt.Tooltip("profile:N", title="Profile"),
                alt.Tooltip("low:Q", title="From score"),
                alt.Tooltip("high:Q", title="To score"),
            ],
        )
    )
    names = (
        alt.Chart(alt.NamedData(name="bands"))
        .transform_calculate(mid="(datum.start + datum.end) / 2")
        .mark_text(fontSize=12, color="#111111", fontWeight="bold")
        .encode(x=alt.X("mid:Q", scale=x_scale), text="name:N")
    )
    marker = (
        alt.Chart(alt.NamedData(name="you"))
        .mark_point(
            shape="triangle-down", filled=True, size=220, color=OKABE_ITO["black"], yOffset=-24
        )
        .encode(x=alt.X("score:Q", scale=x_scale))
    )
    label = (
        alt.Chart(alt.NamedData(name="you"))
        .mark_text(dy=-40, fontSize=13, fontWeight="bold", color=OKABE_ITO["black"])
        .encode(x=alt.X("score:Q", scale=x_scale), text="label:N")
    )
    return alt.layer(segments, names, marker, label).properties(width=width, height=60)
