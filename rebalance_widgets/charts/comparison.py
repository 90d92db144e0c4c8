"""Chart comparing rebalancing policies on the same simulated futures.

:func:`policy_dot_chart` draws one small dot plot per metric (annualised return, volatility,
worst drawdown, ...), stacked, with one row per policy, so a learner reads across a row to
see what a policy gains and what it costs. It takes a long table that is ready to draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from rebalance_widgets.charts.theme import series_scale

__all__ = ["policy_dot_chart"]

DOT_COLUMNS = ("policy", "metric", "value")


def policy_dot_chart(
    table: pd.DataFrame,
    *,
    formats: Mapping[str, str] | None = None,
    width: int = 360,
) -> alt.VConcatChart:
    """Draw one dot plot per metric, one row per policy, stacked top to bottom.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with columns ``policy`` (a label such as "Never rebalance"), ``metric``
        (the metric's title, such as "Annualised return") and ``value``. Metrics appear in
        the order they first occur, policies likewise. Missing values (NaN) are left out.
    formats : mapping of str to str, optional
        A d3 number format per metric title (such as ``".1%"`` or ``"$,.0f"``); ``",.2f"``
        for metrics not listed.
    width : int, optional
        Width of each dot plot in pixels.

    Returns
    -------
    altair.VConcatChart
        One panel per metric, each with its own x axis.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"policy": ["Never", "Annual"], "metric": "Volatility",
    ...                       "value": [0.16, 0.14]})
    >>> len(policy_dot_chart(table, formats={"Volatility": ".1%"}).to_dict()["vconcat"])
    1
    """
    missing = [name for name in DOT_COLUMNS if name not in table.columns]
    if missing:
        raise ValueError(f"The comparison table needs the columns {', '.join(missing)}.")
    if table.empty:
        raise ValueError("The comparison table is empty; tick at least one policy.")
    formats = dict(formats or {})
    frame = table[list(DOT_COLUMNS)].astype({"value": float})
    frame = frame[frame["value"].notna()]
    policies: Sequence[str] = list(dict.fromkeys(table["policy"]))
    metrics: Sequence[str] = list(dict.fromkeys(table["metric"]))
    color = alt.Color("policy:N", scale=series_scale(policies), legend=None)
    panels = []
    for metric in metrics:
        number = formats.get(metric, ",.2f")
        rows = frame[frame["metric"] == metric]
        panel = (
            alt.Chart(rows)
            .mark_circle(size=110, opacity=1)
            .encode(
                x=alt.X(
                    "value:Q",
                    title=metric,
                    axis=alt.Axis(format=number, tickCount=5),
                    scale=alt.Scale(zero=False, nice=True),
                ),
                y=alt.Y("policy:N", title=None, sort=list(policies)),
                color=color,
                tooltip=[
                    alt.Tooltip("policy:N", title="Policy"),
                    alt.Tooltip("value:Q", title=metric, format=number),
                ],
            )
            .properties(width=width, height=18 * len(policies))
        )
        panels.append(panel)
    return alt.vconcat(*panels, spacing=14)
