"""A published rebalancing study, and the same test run on the embedded history.

Vanguard's research on rebalancing ran a stock/bond portfolio through US history from 1926
through 2009 under monthly, quarterly and annual checks with minimum thresholds of 0%, 1%,
5% and 10%, and never rebalanced. :data:`VANGUARD_2010` holds the figures as published;
:func:`published_comparison` puts them beside the same rules run here.

Where each figure was read:

- the two counts of rebalancing events quoted in the paper's executive summary (monthly
  with no threshold: 1,008; annually with a 10% threshold: 15): Colleen M. Jaconetti,
  Francis M. Kinniry Jr. and Yan Zilbering, *Best practices for portfolio rebalancing*,
  Vanguard research, July 2010;
- the other figures (average equity allocation, annual turnover, number of rebalancing
  events, average annualized return, volatility, for a 60% stock / 40% bond portfolio,
  1926-2009): the table "Impact of rebalancing" in the article "With rebalancing, less is
  more" (Advisor.ca), which presents that research. It shows eleven rules: monthly 0%,
  1%, 5%, 10%; quarterly 1%, 5%, 10%; annually 1%, 5%, 10%; never.

Only the numbers are kept here; the paper's own figures and text are not reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rebalance_widgets.core.study import history_study

__all__ = ["COMPARED", "VANGUARD_2010", "PublishedStudy", "published_comparison"]

COMPARED: tuple[str, ...] = (
    "average_stock_weight", "annual_turnover", "rebalance_count", "annualised_return",
    "annualised_volatility",
)
"""Figures compared, as columns of :func:`rebalance_widgets.core.history_study`."""


@dataclass(frozen=True)
class PublishedStudy:
    """Figures of a published historical rebalancing test, one row per rule.

    Attributes
    ----------
    citation : str
        The paper.
    table_source : str
        Where the table of figures was read.
    target : tuple of float
        Stock and bond shares of the portfolio.
    years : tuple of int
        First and last year of the test.
    rows : tuple of tuple
        (check, threshold, average_stock_weight, annual_turnover, rebalance_count,
        annualised_return, annualised_volatility); check in "monthly", "quarterly",
        "annual", "never" (threshold NaN); fractions, as published (one decimal of a
        percent).
    indexes : str
        The indexes the test used, as far as the sources read say.
    """

    citation: str
    table_source: str
    target: tuple[float, float]
    years: tuple[int, int]
    rows: tuple[tuple[str, float, float, float, int, float, float], ...]
    indexes: str


VANGUARD_2010 = PublishedStudy(
    citation=("Colleen M. Jaconetti, Francis M. Kinniry Jr. and Yan Zilbering, "
              "\"Best practices for portfolio rebalancing\", Vanguard research, July 2010"),
    table_source=("table \"Impact of rebalancing\" (60% stocks / 40% bonds, 1926-2009) in "
                  "\"With rebalancing, less is more\", Advisor.ca; the counts 1,008 and 15 "
                  "also appear in the paper's executive summary"),
    target=(0.6, 0.4),
    years=(1926, 2009),
    rows=(
        ("monthly", 0.00, 0.601, 0.027, 1008, 0.085, 0.121),
        ("monthly", 0.01, 0.601, 0.023, 389, 0.085, 0.121),
        ("monthly", 0.05, 0.612, 0.017, 58, 0.086, 0.122),
        ("monthly", 0.10, 0.616, 0.013, 20, 0.088, 0.122),
        ("quarterly", 0.01, 0.602, 0.022, 210, 0.087, 0.122),
        ("quarterly", 0.05, 0.609, 0.017, 50, 0.089, 0.121),
        ("quarterly", 0.10, 0.626, 0.015, 21, 0.086, 0.123),
        ("annual", 0.01, 0.605, 0.017, 72, 0.086, 0.119),
        ("annual", 0.05, 0.607, 0.016, 28, 0.086, 0.118),
        ("annual", 0.10, 0.630, 0.014, 15, 0.087, 0.121),
        ("never", np.nan, 0.841, 0.000, 0, 0.081, 0.144),
    ),
    indexes=("US stocks and bonds as Vanguard's research measured them (the article and the "
             "paper's opening pages read here do not list the indexes)"),
)
"""The published figures (see the module's notes for where each was read)."""


def published_comparison(study: PublishedStudy = VANGUARD_2010) -> pd.DataFrame:
    """Put a published test beside the same rules run on the embedded monthly history.

    Ours: :func:`rebalance_widgets.core.history_study` with the study's mix, from the
    first month of the study's first year that the history holds (July 1926; the history
    starts there) to December of its last year, no costs, no money added.

    Parameters
    ----------
    study : PublishedStudy, default VANGUARD_2010

    Returns
    -------
    pandas.DataFrame
        One row per published rule: ``check``, ``threshold``, ``policy`` (our label), and
        for each of :data:`COMPARED` the columns ``published_<name>`` and ``ours_<name>``.

    Examples
    --------
    >>> table = published_comparison()
    >>> int(table.loc[table["check"] == "annual", "ours_rebalance_count"].iloc[-1])
    15
    """
    ours = history_study(
        target=study.target, start=str(study.years[0]) if study.years[0] > 1926 else "1926-07",
        end=f"{study.years[1]}-12", checks=("monthly", "quarterly", "annual"),
        thresholds=sorted({row[1] for row in study.rows if row[0] != "never"}),
    )
    rows = []
    for check, threshold, *figures in study.rows:
        if check == "never":
            match = ours[ours["check"] == "never"]
        else:
            match = ours[(ours["check"] == check) & np.isclose(ours["threshold"], threshold)]
        mine = match.iloc[0]
        row = {"check": check, "threshold": threshold, "policy": mine["policy"]}
        for name, value in zip(COMPARED, figures, strict=True):
            row[f"published_{name}"] = value
            row[f"ours_{name}"] = mine[name]
        rows.append(row)
    return pd.DataFrame(rows)
