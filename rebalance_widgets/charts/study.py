"""Show the historical rebalancing study (:func:`rebalance_widgets.core.history_study`).

- :func:`study_chart` draws one metric as a dot plot: one row per check frequency (plus
  "Never"), one coloured dot per threshold;
- :func:`study_summary` says in one sentence what that chart shows;
- :func:`study_table` is the study as a readable table (percentages, plain headings).

These only lay out and describe numbers that the study already computed.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import series_scale

__all__ = ["STUDY_METRICS", "study_chart", "study_summary", "study_table"]

#: Metric column -> (title in words, d3 number format).
STUDY_METRICS: dict[str, tuple[str, str]] = {
    "average_stock_weight": ("Average share in stocks", ".0%"),
    "annual_turnover": ("Traded per year (share of the account)", ".1%"),
    "rebalance_count": ("Number of rebalances", ",.0f"),
    "annualised_return": ("Growth per year", ".2%"),
    "annualised_volatility": ("Volatility (swings per year)", ".1%"),
    "max_drawdown": ("Worst fall from a peak", ".0%"),
    "terminal_wealth": ("What $1 grew to", "$,.0f"),
}

_CHECK_NAMES = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual"}
_NEEDED = ("check", "threshold")


def _check(study: pd.DataFrame, metric: str | None = None) -> None:
    missing = [name for name in _NEEDED if name not in study.columns]
    if metric is not None:
        if metric not in STUDY_METRICS:
            raise ValueError(
                f"Unknown study metric {metric!r}; choose one of {', '.join(STUDY_METRICS)}."
            )
        if metric not in study.columns:
            missing.append(metric)
    if missing:
        raise ValueError(f"The study table needs the columns {', '.join(missing)}.")
    if study.empty:
        raise ValueError("The study table is empty.")


def _band_label(threshold: float) -> str:
    if pd.isna(threshold):
        return "Never rebalance"
    if threshold == 0:
        return "No band"
    return f"{threshold * 100:g}% band"


def _check_label(check: str) -> str:
    return _CHECK_NAMES.get(str(check), str(check).capitalize())


def _tidy(study: pd.DataFrame, metric: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "checked": [_check_label(c) for c in study["check"]],
            "band": [_band_label(t) for t in study["threshold"]],
            "value": study[metric].astype(float).to_numpy(),
        }
    )


def study_chart(study: pd.DataFrame, metric: str, *, width: int = 420) -> alt.Chart:
    """Draw one metric of the study: a row per check frequency, a dot per threshold.

    Parameters
    ----------
    study : pandas.DataFrame
        The output of ``history_study`` (columns ``check``, ``threshold`` and the metric;
        ``check == "never"`` with a missing threshold is the never-rebalanced row).
    metric : str
        One of :data:`STUDY_METRICS`, e.g. ``"average_stock_weight"``.
    width : int, optional
        Width in pixels.

    Returns
    -------
    altair.Chart

    Raises
    ------
    ValueError
        If the metric is unknown or a needed column is missing.

    Examples
    --------
    >>> study = pd.DataFrame({"check": ["monthly", "never"], "threshold": [0.05, None],
    ...                       "rebalance_count": [65, 0]})
    >>> study_chart(study, "rebalance_count").to_dict()["mark"]["type"]
    'point'
    """
    _check(study, metric)
    title, number = STUDY_METRICS[metric]
    frame = _tidy(study, metric)
    rows = list(dict.fromkeys(frame["checked"]))
    bands = list(dict.fromkeys(frame["band"]))
    return (
        alt.Chart(frame, width=width, title=title)
        .mark_point(size=150, filled=True, opacity=1)
        .encode(
            x=alt.X("value:Q", title=title, axis=alt.Axis(format=number, tickCount=6),
                    scale=alt.Scale(zero=metric == "rebalance_count", nice=True)),
            y=alt.Y("checked:N", title="Checked", sort=rows),
            color=alt.Color("band:N", title="Trade when off by", scale=series_scale(bands),
                            sort=bands),
            # Same field, title and domain as the colour, so the two share one legend.
            shape=alt.Shape("band:N", title="Trade when off by", sort=bands,
                            scale=alt.Scale(domain=bands)),
            tooltip=[
                alt.Tooltip("checked:N", title="Checked"),
                alt.Tooltip("band:N", title="Trade when off by"),
                alt.Tooltip("value:Q", title=title, format=number),
            ],
        )
    )


def _percent(value: float, decimals: int = 0) -> str:
    return f"{value * 100:.{decimals}f}%"


def study_summary(study: pd.DataFrame, metric: str) -> str:
    """Say in one sentence what :func:`study_chart` shows for a metric.

    Parameters
    ----------
    study : pandas.DataFrame
        The output of ``history_study``.
    metric : str
        ``"average_stock_weight"``, ``"rebalance_count"``, ``"annual_turnover"``,
        ``"annualised_return"`` or ``"annualised_volatility"``.

    Returns
    -------
    str

    Examples
    --------
    >>> study = pd.DataFrame({"check": ["monthly", "never"], "threshold": [0.0, None],
    ...                       "rebalance_count": [1109, 0]})
    >>> study_summary(study, "rebalance_count")
    'Rules that rebalanced traded 1,109 times; never rebalancing traded 0 times.'
    """
    _check(study, metric)
    never = study[study["check"] == "never"]
    rules = study[study["check"] != "never"][metric].astype(float)
    if rules.empty:
        raise ValueError("The study has no rebalancing rule to describe.")
    low, high = rules.min(), rules.max()
    between = "between {} and {}" if low != high else "{}"
    never_value = float(never[metric].iloc[0]) if not never.empty else None
    if metric == "rebalance_count":
        text = "Rules that rebalanced traded " + between.format(f"{low:,.0f}", f"{high:,.0f}")
        text += " times"
        tail = "" if never_value is None else f"never rebalancing traded {never_value:,.0f} times"
    elif metric == "average_stock_weight":
        text = "Rules that rebalanced kept the average share in stocks " + between.format(
            _percent(low), _percent(high)
        )
        tail = (f"never rebalancing averaged {_percent(never_value)} in stocks"
                if never_value is not None else "")
    elif metric == "annual_turnover":
        text = "Rules that rebalanced traded " + between.format(
            _percent(low, 1), _percent(high, 1)
        ) + " of the account a year"
        tail = "never rebalancing traded nothing" if never_value is not None else ""
    elif metric in ("annualised_return", "annualised_volatility"):
        word = "grew" if metric == "annualised_return" else "swung"
        text = f"Rules that rebalanced {word} " + between.format(
            _percent(low, 1), _percent(high, 1)
        ) + " a year"
        tail = (f"never rebalancing {word} {_percent(never_value, 1)} a year"
                if never_value is not None else "")
    else:
        title, _ = STUDY_METRICS[metric]
        text = f"{title}: from {low:,.2f} to {high:,.2f} across the rules that rebalanced"
        tail = f"{never_value:,.2f} without rebalancing" if never_value is not None else ""
    return f"{text}; {tail}." if tail else f"{text}."


def study_table(study: pd.DataFrame) -> pd.io.formats.style.Styler:
    """Return the study as a readable table: plain headings, percentages, no index.

    Parameters
    ----------
    study : pandas.DataFrame
        The output of ``history_study``.

    Returns
    -------
    pandas.io.formats.style.Styler
        Displays as an HTML table in a notebook or dashboard.

    Examples
    --------
    >>> study = pd.DataFrame({"check": ["annual"], "threshold": [0.05], "policy": ["Annual"],
    ...                       "average_stock_weight": [0.61]})
    >>> "Average share in stocks" in study_table(study).to_html()
    True
    """
    _check(study)
    columns = ["policy", *[m for m in STUDY_METRICS if m in study.columns]]
    table = study[[c for c in columns if c in study.columns]].rename(
        columns={"policy": "Rule", **{m: STUDY_METRICS[m][0] for m in STUDY_METRICS}}
    )
    formats = {}
    for title, number in STUDY_METRICS.values():
        if title not in table.columns:
            continue
        if number.endswith("%"):
            decimals = int(number[1]) if number[1].isdigit() else 0
            formats[title] = f"{{:.{decimals}%}}"
        elif number.startswith("$"):
            formats[title] = "${:,.0f}"
        else:
            formats[title] = "{:,.0f}"
    return (
        table.style.format(formats)
        .hide(axis="index")
        .set_caption("One row per rebalancing rule")
        .set_table_attributes('class="rebalance-study"')
    )
