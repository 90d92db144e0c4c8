"""Charts of what trading costs, fund fees and taxes take over the years.

- :func:`cumulative_costs_chart`: dollars paid so far, one line per kind of cost;
- :func:`after_tax_wealth_chart`: money left after tax at the end, one bar per account type,
  with a range rule from a low to a high percentile.

Both take tidy tables that :mod:`rebalance_widgets.core` has already computed.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, ordinal, template, with_datasets
from rebalance_widgets.charts.lazy import alt
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


@template
def _costs_template(kinds: tuple[str, ...], width: int, height: int) -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name="costs"))
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("year:Q", title="Years from now", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("value:Q", title="Paid so far", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("kind:N", title=None, scale=series_scale(kinds),
                            legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("kind:N", legend=None, sort=list(kinds)),
            tooltip=[
                alt.Tooltip("kind:N", title="Cost"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Paid so far", format="$,.0f"),
            ],
        )
        .properties(width=width, height=height)
    )


def cumulative_costs_chart(
    costs: pd.DataFrame, *, width: int = 520, height: int = 240
) -> FilledChart:
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
    FilledChart
        One line per kind of cost; the rows are in the dataset ``"costs"``.

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"year": [0, 1], "kind": "Fund fees", "value": [0.0, 50.0]})
    >>> cumulative_costs_chart(costs).to_dict()["mark"]["type"]
    'line'
    """
    _check(costs, COST_COLUMNS, "costs")
    kinds = tuple(dict.fromkeys(costs["kind"].astype(str)))
    rows = [
        {"year": year, "kind": kind, "value": value}
        for year, kind, value in zip(
            costs["year"].astype(float).tolist(), costs["kind"].astype(str).tolist(),
            costs["value"].astype(float).tolist(), strict=True,
        )
    ]
    return with_datasets(_costs_template(kinds, width, height), {"costs": rows})


@template
def _wealth_template(
    accounts: tuple[str, ...], middle_name: str, low: float, high: float, width: int,
    height: int,
) -> alt.LayerChart:
    low_name, high_name = f"{ordinal(low)} percentile", f"{ordinal(high)} percentile"
    y = alt.Y("account:N", title=None, sort=list(accounts))
    tooltip = [
        alt.Tooltip("account:N", title="Account"),
        alt.Tooltip("middle:Q", title=middle_name.capitalize(), format="$,.0f"),
        alt.Tooltip("low:Q", title=low_name, format="$,.0f"),
        alt.Tooltip("high:Q", title=high_name, format="$,.0f"),
    ]
    base = alt.Chart(alt.NamedData(name="wealth"))
    bars = base.mark_bar(opacity=0.85, height=26).encode(
        x=alt.X(
            "middle:Q",
            title=f"After-tax wealth at the end ({middle_name}; line: {ordinal(low)} to "
            f"{high_name})",
            axis=alt.Axis(format="$,.0f"),
            scale=alt.Scale(zero=True, nice=True),
        ),
        y=y,
        color=alt.Color("account:N", scale=series_scale(accounts), legend=None),
        tooltip=tooltip,
    )
    ranges = base.mark_rule(color="black", strokeWidth=1.5).encode(
        # The primary channel feeds the scale's domain, so the longer end goes there.
        x="high:Q", x2="low:Q", y=y, tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=4, dy=-12, color="black").encode(
        x="middle:Q", y=y, text=alt.Text("middle:Q", format="$,.0f")
    )
    return alt.layer(bars, ranges, labels).properties(width=width, height=height)


def after_tax_wealth_chart(
    wealth: pd.DataFrame, *, width: int = 520, height: int = 200
) -> FilledChart:
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
    FilledChart
        Bars, range rules and the bar values as text; the rows (``account``, ``middle``,
        ``low``, ``high``) are in the dataset ``"wealth"``.

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
    accounts = tuple(dict.fromkeys(wealth["account"].astype(str)))
    values: dict[tuple[str, float], float] = {
        (account, percentile): value
        for account, percentile, value in zip(
            wealth["account"].astype(str).tolist(), wealth["percentile"].astype(float).tolist(),
            wealth["value"].astype(float).tolist(), strict=True,
        )
    }
    rows = [
        {
            "account": account,
            "middle": values[(account, middle)],
            "low": values[(account, low)],
            "high": values[(account, high)],
        }
        for account in accounts
    ]
    middle_name = "median" if middle == 50.0 else f"{ordinal(middle)} percentile"
    template = _wealth_template(
        accounts, middle_name, low, high, width, height
    )
    return with_datasets(template, {"wealth": rows})
