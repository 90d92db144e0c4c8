"""Charts of what trading costs, fund fees and taxes take over the years.

- :func:`cumulative_costs_chart`: dollars paid so far, one line per kind of cost;
- :func:`after_tax_wealth_chart`: money left after tax at the end, one bar per account type,
  with a range rule from a low to a high percentile.

Both take tidy tables that :mod:`rebalance_widgets.core` has already computed.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from rebalance_widgets.charts.drift import ordinal
from rebalance_widgets.charts.theme import series_scale

__all__ = ["after_tax_wealth_chart", "cumulative_costs_chart"]

COST_COLUMNS = ("year", "kind", "value")
WEALTH_COLUMNS = ("account", "percentile", "value")


def _check(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"The {what} table needs the columns {', '.join(missing)}.")
    if frame.empty:
        raise ValueError(f"The {what} table is empty; there is nothing to draw.")


def cumulative_costs_chart(
    costs: pd.DataFrame, *, width: int = 520, height: int = 240
) -> alt.Chart:
    """Draw the dollars paid so far for each kind of cost, year by year.

    Parameters
    ----------
    costs : pandas.DataFrame
        Long table with columns ``year`` (years from now), ``kind`` (such as "Trading
        costs", "Fund fees", "Taxes") and ``value`` (dollars paid up to that year, for
        example the median across simulated futures).
    width, height : int, optional
        Size of the plot in pixels.

    Returns
    -------
    altair.Chart
        One line per kind of cost.

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"year": [0, 1], "kind": "Fund fees", "value": [0.0, 50.0]})
    >>> cumulative_costs_chart(costs).to_dict()["mark"]["type"]
    'line'
    """
    _check(costs, COST_COLUMNS, "costs")
    kinds = list(dict.fromkeys(costs["kind"]))
    return (
        alt.Chart(costs[list(COST_COLUMNS)])
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("year:Q", title="Years from now", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("value:Q", title="Paid so far", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("kind:N", title=None, scale=series_scale(kinds),
                            legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("kind:N", legend=None, sort=kinds),
            tooltip=[
                alt.Tooltip("kind:N", title="Cost"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Paid so far", format="$,.0f"),
            ],
        )
        .properties(width=width, height=height)
    )


def after_tax_wealth_chart(
    wealth: pd.DataFrame, *, width: int = 520, height: int = 200
) -> alt.LayerChart:
    """Draw the money left after tax at the end, one bar per account type, with a range.

    Parameters
    ----------
    wealth : pandas.DataFrame
        Long table with columns ``account`` (such as "401(k)", "Roth 401(k)", "Taxable"),
        ``percentile`` (0-100) and ``value`` (dollars). The bar shows the middle percentile
        (the median when 50 is given, otherwise the middle one of those given); the rule
        runs from the smallest to the largest percentile.
    width, height : int, optional
        Size of the plot in pixels.

    Returns
    -------
    altair.LayerChart
        Bars, range rules and the bar values as text.

    Examples
    --------
    >>> import pandas as pd
    >>> wealth = pd.DataFrame({"account": "Roth 401(k)", "percentile": [10, 50, 90],
    ...                        "value": [80.0, 100.0, 130.0]})
    >>> after_tax_wealth_chart(wealth).to_dict()["layer"][0]["mark"]["type"]
    'bar'
    """
    _check(wealth, WEALTH_COLUMNS, "after-tax wealth")
    percentiles = sorted(float(p) for p in wealth["percentile"].unique())
    middle = 50.0 if 50.0 in percentiles else percentiles[(len(percentiles) - 1) // 2]
    low, high = percentiles[0], percentiles[-1]
    wide = wealth.pivot_table(index="account", columns="percentile", values="value", sort=False)
    accounts = list(dict.fromkeys(wealth["account"]))
    frame = pd.DataFrame(
        {
            "account": accounts,
            "middle": wide.loc[accounts, middle].to_numpy(dtype=float),
            "low": wide.loc[accounts, low].to_numpy(dtype=float),
            "high": wide.loc[accounts, high].to_numpy(dtype=float),
        }
    )
    middle_name = "Median" if middle == 50.0 else f"{ordinal(middle)} percentile"
    y = alt.Y("account:N", title=None, sort=accounts)
    tooltip = [
        alt.Tooltip("account:N", title="Account"),
        alt.Tooltip("middle:Q", title=middle_name, format="$,.0f"),
        alt.Tooltip("low:Q", title=f"{ordinal(low)} percentile", format="$,.0f"),
        alt.Tooltip("high:Q", title=f"{ordinal(high)} percentile", format="$,.0f"),
    ]
    top = float(frame[["middle", "low", "high"]].max().max())
    x_scale = alt.Scale(domain=[0, top * 1.08 if top > 0 else 1.0])
    base = alt.Chart(frame).properties(width=width, height=height)
    bars = base.mark_bar(opacity=0.85, height=26).encode(
        x=alt.X(
            "middle:Q",
            title=f"After-tax wealth at the end ({middle_name.lower()}; "
            f"line: {ordinal(low)} to {ordinal(high)} percentile)",
            axis=alt.Axis(format="$,.0f"),
            scale=x_scale,
        ),
        y=y,
        color=alt.Color("account:N", scale=series_scale(accounts), legend=None),
        tooltip=tooltip,
    )
    ranges = base.mark_rule(color="black", strokeWidth=1.5).encode(
        x="low:Q", x2="high:Q", y=y, tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=4, dy=-12, color="black").encode(
        x="middle:Q", y=y, text=alt.Text("middle:Q", format="$,.0f")
    )
    return alt.layer(bars, ranges, labels)
