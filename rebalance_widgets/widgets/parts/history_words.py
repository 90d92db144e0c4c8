"""The history lab in words and tables.

One sentence per chart, the rules' table, and the published study beside ours.

Each function takes numbers that :mod:`rebalance_widgets.core` computed (a
:class:`~rebalance_widgets.core.history_runs.HistoryRuns` or the published comparison)
and only says them; nothing here computes finance.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.core.history_runs import HistoryRuns
from rebalance_widgets.core.published import VANGUARD_2010
from rebalance_widgets.widgets.parts.formatting import titled_table
from rebalance_widgets.widgets.parts.inputs import html_escape, money, percent

__all__ = [
    "NEVER", "falls_sentence", "growth_sentence", "published_html", "rules_table_html",
    "share_sentence", "span_words", "table_sentence",
]

NEVER = "Never rebalance"

_TABLE = (  # column, heading, how to show it
    ("average_stock_weight", "Average share in stocks", lambda v: percent(v, 1)),
    ("rebalance_count", "Rebalances", lambda v: f"{v:,.0f}"),
    ("annual_turnover", "Traded per year", lambda v: percent(v, 1)),
    ("annualised_return", "Growth per year", lambda v: percent(v, 2)),
    ("annualised_volatility", "Volatility", lambda v: percent(v, 1)),
    ("max_drawdown", "Worst fall", lambda v: percent(v, 0)),
    ("worst_12_months", "Worst 12 months", lambda v: "–" if v != v else percent(v, 0)),
    ("growth_of_1", "What $1 grew to", money),
)


def _end_of(date: pd.Timestamp, frequency: str) -> str:
    return f"the end of {date:%Y}" if frequency == "yearly" else f"the end of {date:%B %Y}"


def span_words(runs: HistoryRuns) -> str:
    """Say the span replayed: "from July 1926 to November 2022" (or "from 1928 to 2025")."""
    first, last = runs.dates[1], runs.dates[-1]
    if runs.frequency == "yearly":
        return f"from {first:%Y} to {last:%Y}"
    return f"from {first:%B %Y} to {last:%B %Y}"


def _quoted(rule: str) -> str:
    return f"“{rule}”"


def table_sentence(runs: HistoryRuns, real: bool = False) -> str:
    """One sentence under the table: fastest and slowest growth, and the stock shares.

    With ``real`` the growth is after inflation, as the table then shows it.
    """
    table = runs.table.set_index("rule")
    growth = table["real_annualised_return" if real else "annualised_return"]
    best, worst = growth.idxmax(), growth.idxmin()
    after = " after inflation" if real else ""
    text = f"Replaying {span_words(runs)}, {_quoted(best)} grew fastest{after}, " \
           f"{percent(growth[best], 2)} a year"
    if best != worst:
        text += f", and {_quoted(worst)} slowest, {percent(growth[worst], 2)}"
    kept = table.drop(index=[NEVER], errors="ignore")["average_stock_weight"]
    if len(kept):
        low, high = percent(kept.min(), 0), percent(kept.max(), 0)
        span = low if low == high else f"between {low} and {high}"
        text += f"; the other rules held {span} in stocks on average" if NEVER in table.index \
            and len(table) > 1 else f"; on average the account held {span} in stocks"
    if NEVER in table.index:
        text += f", never rebalancing {percent(table.loc[NEVER, 'average_stock_weight'], 0)}"
    return text + "."


def growth_sentence(runs: HistoryRuns, real: bool = False) -> str:
    """One sentence under the growth chart: what 1 dollar became, highest and lowest.

    With ``real`` the amounts are after inflation, in dollars of the start.
    """
    ending = (runs.real_growth if real else runs.growth).iloc[-1]
    high, low = ending.idxmax(), ending.idxmin()
    start, end = _end_of(runs.dates[0], runs.frequency), _end_of(runs.dates[-1],
                                                                  runs.frequency)
    text = f"$1 put in at {start} grew to {money(ending[high])} by {end} with {_quoted(high)}"
    if high != low:
        text += f" and to {money(ending[low])} with {_quoted(low)}"
    if real:
        text += (f", counted in dollars of {start[len('the end of '):]}: prices rose "
                 f"{runs.prices.iloc[-1]:,.1f} times (CPI-U)")
    return text + "; the axis is a log scale, so equal steps up are equal percentage gains."


def share_sentence(runs: HistoryRuns, target: float) -> str:
    """One sentence under the stock-share chart: how far each kind of rule let it wander."""
    shares = runs.stock_share
    text = f"The target was {percent(target, 0)} in stocks"
    if NEVER in shares.columns:
        never = shares[NEVER]
        text += (f"; never rebalanced, the share wandered between {percent(never.min(), 0)} "
                 f"and {percent(never.max(), 0)}")
    others = shares.drop(columns=[NEVER], errors="ignore")
    if others.shape[1]:
        text += (f"; the other rules kept it between {percent(others.min().min(), 0)} and "
                 f"{percent(others.max().max(), 0)}")
    return text + "."


def falls_sentence(runs: HistoryRuns) -> str:
    """One sentence under the falls chart: the deepest fall, its dates, and the mildest."""
    falls = runs.falls
    if falls.empty:
        return f"No rule's account fell below an earlier peak {span_words(runs)}."
    worst = falls.loc[falls["depth"].idxmin()]
    when = runs.frequency
    back = ("and it had not climbed back when the span ended" if pd.isna(worst["recovery"])
            else f"and it was back at that peak by {_end_of(worst['recovery'], when)}")
    text = (f"The deepest fall was {percent(-worst['depth'], 0)} with {_quoted(worst['rule'])}, "
            f"from {_end_of(worst['peak'], when)} to {_end_of(worst['trough'], when)}, {back}")
    firsts = falls.groupby("rule", sort=False)["depth"].min()
    mildest = firsts.idxmax() if len(firsts) == runs.growth.shape[1] else None
    if mildest is not None and mildest != worst["rule"]:
        text += (f"; the mildest worst fall was {percent(-firsts[mildest], 0)}, with "
                 f"{_quoted(mildest)}")
    return text + "."


def rules_table_html(runs: HistoryRuns, show_balance: bool, real: bool = False) -> str:
    """Return the table, one row per rule.

    ``show_balance`` adds the ending balance in dollars; ``real`` shows growth after
    inflation (in dollars of the start) instead of before.
    """
    columns = list(_TABLE)
    if real:
        columns = [_REAL.get(column[0], column) for column in columns]
    if show_balance:
        columns.append(("ending_balance", "Ending balance", money))
    head = "".join(f'<th scope="col" style="{_HEAD}">{html_escape(title)}</th>'
                   for _, title, _ in columns)
    rows = []
    for _, row in runs.table.iterrows():
        cells = "".join(f'<td style="{_CELL}">{html_escape(show(row[name]))}</td>'
                        for name, _, show in columns)
        rows.append(f'<tr><th scope="row" style="text-align:left;white-space:nowrap">'
                    f"{html_escape(row['rule'])}</th>{cells}</tr>")
    return titled_table(
        f"One row per rule, {html_escape(span_words(runs))}",
        f"<thead><tr><th scope=\"col\">Rule</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>",
        _TABLE_STYLE,
    )


def rules_table_frame(runs: HistoryRuns, show_balance: bool, real: bool = False
                      ) -> pd.DataFrame:
    """Return the table as a file: a row per rule, percents in percent points, dollars.

    The same columns as :func:`rules_table_html`, each with its unit in its name
    ("Worst fall (%)", "What $1 grew to ($)").
    """
    columns = list(_TABLE)
    if real:
        columns = [_REAL.get(column[0], column) for column in columns]
    if show_balance:
        columns.append(("ending_balance", "Ending balance", money))
    table = runs.table
    frame = {"Rule": table["rule"].tolist()}
    for name, title, show in columns:
        in_percent = show is not money and name != "rebalance_count"
        unit = " (%)" if in_percent else " ($)" if show is money else ""
        values = table[name].astype(float) * (100.0 if in_percent else 1.0)
        frame[title + unit] = values.round(4).to_numpy()
    return pd.DataFrame(frame)


_REAL = {
    "annualised_return": ("real_annualised_return", "Growth per year after inflation",
                          lambda v: percent(v, 2)),
    "growth_of_1": ("real_growth_of_1", "What $1 grew to after inflation", money),
}
_CELL = "text-align:right;white-space:nowrap;padding:2px 8px"
_HEAD = "padding:2px 8px;vertical-align:bottom"
_TABLE_STYLE = "border-collapse:collapse;font-size:13px;line-height:1.4"

_PUBLISHED = (
    ("average_stock_weight", "Average share in stocks", 1),
    ("rebalance_count", "Rebalances", None),
    ("annual_turnover", "Traded per year", 1),
    ("annualised_return", "Growth per year", 1),
    ("annualised_volatility", "Volatility", 1),
)


def published_html(comparison: pd.DataFrame) -> str:
    """Return the published figures beside ours, one row per rule (``published_comparison()``)."""
    head = "".join(f'<th scope="col" style="{_HEAD}">{html_escape(title)}</th>'
                   for _, title, _ in _PUBLISHED)
    rows = []
    for _, row in comparison.iterrows():
        cells = []
        for name, _, decimals in _PUBLISHED:
            theirs, ours = row[f"published_{name}"], row[f"ours_{name}"]
            if decimals is None:
                text = f"{theirs:,.0f} / {ours:,.0f}"
            else:
                text = f"{percent(theirs, decimals)} / {percent(ours, decimals)}"
            cells.append(f'<td style="{_CELL}">{text}</td>')
        rows.append(f'<tr><th scope="row" style="text-align:left;white-space:nowrap">'
                    f"{html_escape(row['policy'])}</th>{''.join(cells)}</tr>")
    source = html_escape(f"Published: {VANGUARD_2010.citation}; figures from the "
                         f"{VANGUARD_2010.table_source}. Ours: the embedded history, "
                         f"July 1926 to December 2009.")
    table = titled_table(
        "A published test (60% stocks, 40% bonds, 1926-2009) beside the same rules run here; "
        "each cell: published / ours",
        f"<thead><tr><th scope=\"col\">Rule</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>",
        _TABLE_STYLE,
    )
    return f'{table}<p style="font-size:12px;line-height:1.4;max-width:46em">{source}</p>'


def published_frame(comparison: pd.DataFrame) -> pd.DataFrame:
    """Return the published figures beside ours as a file: percents in percent points."""
    frame = {"Rule": comparison["policy"].tolist()}
    for name, title, decimals in _PUBLISHED:
        scale = 1.0 if decimals is None else 100.0
        unit = "" if decimals is None else " (%)"
        for who in ("published", "ours"):
            values = comparison[f"{who}_{name}"].astype(float) * scale
            frame[f"{title} ({who}){unit}"] = values.round(4).to_numpy()
    return pd.DataFrame(frame)
