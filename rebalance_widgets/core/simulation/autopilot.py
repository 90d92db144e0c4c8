"""Savers on autopilot and by hand: the same futures, different ways of keeping a mix.

Three common ways to keep a 401(k) near its mix, each a :class:`Saver` (a rule, a target
and a yearly fee), run by :func:`run_savers` on the same returns and the same deposits:

- :func:`by_hand`: the saver trades back to the mix once a year (``Calendar("annual")``)
  and pays the funds' fee;
- :func:`automatic`: a service sends new money to what is behind and trades when a weight
  drifts past a band (``CashFlow(band=Threshold(band))``, checked monthly), for the funds'
  fee plus its own;
- :func:`target_date_fund`: one fund that holds a glide path (the stock share falls as the
  fund's year comes near) and trades back to it every month inside the fund, for its fee.

Fees are modelled as a drag, as :func:`~rebalance_widgets.core.simulation.engine.simulate`
charges an expense ratio: every step keeps ``(1 - fee) ** (1 / periods_per_year)`` of each
holding, so exactly ``fee`` of the balance leaves over a year with no deposits.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import check_fraction
from rebalance_widgets.core.metrics import paired_differences
from rebalance_widgets.core.planning import glidepath
from rebalance_widgets.core.planning.glidepath import GlidePath
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.engine import simulate
from rebalance_widgets.core.simulation.policies import Policy

__all__ = ["Saver", "SaverRuns", "automatic", "by_hand", "fund_glide_path", "run_savers",
           "target_date_fund"]

_REUSE_LIMIT = 12  # runs kept for reuse (each a few small tables)
MAX_FEE = 0.05
"""Highest yearly fee accepted (5%): far above any plan's, low enough to keep the drag sane."""


@dataclass(frozen=True)
class Saver:
    """One way of keeping a mix: its name, rule, target and yearly fee.

    Attributes
    ----------
    name : str
        What a learner calls it ("By hand, once a year").
    policy : Policy
        When and how far it trades.
    target : tuple of float or GlidePath
        Fixed weights (one per asset, adding up to 1) or a glide path whose rows are the
        steps of the run (``n_periods + 1`` rows).
    fee : float
        Yearly fee as a fraction of the balance (0.001 = 0.1%), 0 to :data:`MAX_FEE`.
    cost_rate : float
        Cost of each trade as a fraction of the dollars traded (0 inside a fund).
    """

    name: str
    policy: Policy
    target: Any
    fee: float
    cost_rate: float = 0.0

    def __post_init__(self) -> None:
        check_fraction(self.fee, f"The fee of “{self.name}”")
        if self.fee > MAX_FEE:
            raise ValueError(f"The fee of “{self.name}” must be at most {MAX_FEE:.0%} a year; "
                             f"got {self.fee:.2%}.")

    def weights(self, assets: Sequence[str]) -> np.ndarray:
        """Return the target as an array: (n_assets,) or, for a glide path, (steps, n_assets).

        Raises
        ------
        ValueError
            When the glide path lacks one of ``assets``.
        """
        if isinstance(self.target, GlidePath):
            missing = [a for a in assets if a not in self.target.asset_names]
            if missing:
                raise ValueError(f"The glide path has no {', '.join(missing)}.")
            order = [self.target.asset_names.index(asset) for asset in assets]
            return self.target.weights[:, order]
        return np.asarray(self.target, dtype=float)


def by_hand(weights: Sequence[float], fee: float, cost_rate: float = 0.0) -> Saver:
    """Return a saver who trades back to ``weights`` once a year and pays ``fee`` a year."""
    return Saver("By hand, once a year", policies.Calendar("annual"), tuple(weights), fee,
                 cost_rate)


def automatic(weights: Sequence[float], fee: float, band: float = 0.05,
              cost_rate: float = 0.0) -> Saver:
    """Return an automatic service: new money to what is behind, a trade past a ``band``."""
    rule = policies.CashFlow(band=policies.Threshold(absolute=band))
    return Saver("Automatic (band + new money)", rule, tuple(weights), fee, cost_rate)


def fund_glide_path(age: float, retirement_age: float, *, far: float = 0.9,
                    at_retirement: float = 0.5, slide_years: float = 25.0) -> GlidePath:
    """Return the glide path a target-date fund holds for a saver aged ``age``, to retirement.

    The fund's path depends on the years left, not on the saver: ``far`` stocks while
    retirement is more than ``slide_years`` away, then a straight line down to
    ``at_retirement`` at the retirement age (one common shape; real funds differ, so the
    numbers are examples). A saver who starts late joins the line part way down.

    Parameters
    ----------
    age, retirement_age : float
        Ages with ``age < retirement_age``.
    far, at_retirement : float, default 0.9 and 0.5
        Stock shares (0 to 1) far from retirement and at it.
    slide_years : float, default 25
        Years before retirement when the share starts to fall (more than 0).

    Returns
    -------
    GlidePath
        Monthly rows from ``age`` to ``retirement_age``, stocks and bonds only.

    Examples
    --------
    >>> path = fund_glide_path(55, 65)
    >>> round(float(path.stocks[0]), 2), round(float(path.stocks[-1]), 2)
    (0.66, 0.5)
    """
    if not slide_years > 0:
        raise ValueError(f"The glide path must slide over more than 0 years; got {slide_years}.")
    start = retirement_age - slide_years
    if age < start:
        return glidepath.custom([age, start, retirement_age], [far, far, at_retirement],
                                cash_of_rest=0.0)
    now = far + (at_retirement - far) * (age - start) / slide_years
    return glidepath.custom([age, retirement_age], [now, at_retirement], cash_of_rest=0.0)


def target_date_fund(glide: GlidePath, fee: float) -> Saver:
    """Return a target-date fund: its glide path, kept every month inside the fund."""
    return Saver("Target-date fund", policies.Calendar("monthly"), glide, fee)


@dataclass(frozen=True)
class SaverRuns:
    """What :func:`run_savers` found, per saver (all tables long, years from 0).

    Attributes
    ----------
    balances : pandas.DataFrame
        Columns ``saver``, ``year``, ``percentile``, ``value``: percentiles of the balance
        at each whole year, in dollars (times the deflator of that step, if given).
    stock_shares : pandas.DataFrame
        Same columns: percentiles of the stock share at each whole year (0..1).
    endings : dict of str to numpy.ndarray
        Saver -> ending balance of every future, shape (n_paths,).
    fees_paid : dict of str to numpy.ndarray
        Saver -> fees paid over the whole run in every future, shape (n_paths,).
    """

    balances: pd.DataFrame
    stock_shares: pd.DataFrame
    endings: dict[str, np.ndarray]
    fees_paid: dict[str, np.ndarray]

    def paired(self, reference: str) -> pd.DataFrame:
        """Each saver's ending balance against ``reference``'s, future by future."""
        tables = {name: pd.DataFrame({"terminal_wealth": end})
                  for name, end in self.endings.items()}
        return paired_differences(tables, reference)


def _yearly(values: np.ndarray, per_year: int, percentiles: Sequence[float], name: str
            ) -> pd.DataFrame:
    """Percentiles across paths of (paths, steps) values at every whole year."""
    yearly = values[:, ::per_year]
    table = np.percentile(yearly, list(percentiles), axis=0)
    years = np.arange(yearly.shape[1], dtype=float)
    return pd.DataFrame({
        "saver": name,
        "year": np.tile(years, len(percentiles)),
        "percentile": np.repeat(np.asarray(percentiles, dtype=float), len(years)),
        "value": table.ravel(),
    })


def run_savers(
    returns: np.ndarray,
    savers: Sequence[Saver],
    *,
    assets: Sequence[str],
    stock_asset: str = "stocks",
    initial_value: float = 0.0,
    cash_flows: float | None = None,
    periods_per_year: int = 12,
    percentiles: Sequence[float] = (10, 50, 90),
    deflators: np.ndarray | None = None,
    reuse: MutableMapping[tuple, tuple] | None = None,
) -> SaverRuns:
    """Run each saver on the same returns and deposits.

    Parameters
    ----------
    returns : numpy.ndarray
        Simple per-period returns, shape (n_paths, n_periods, n_assets).
    savers : sequence of Saver
        Each with a distinct name.
    assets : sequence of str
        Names of the assets (the columns of ``returns``); one must be ``stock_asset``.
    stock_asset : str, default "stocks"
        The asset whose share is reported.
    initial_value : float, default 0
        Dollars at the start.
    cash_flows : float, optional
        Dollars added at every step.
    periods_per_year : int, default 12
        Steps per year; the tables keep one row per whole year.
    percentiles : sequence of float, default (10, 50, 90)
        Percentiles across futures in the tables.
    deflators : numpy.ndarray, optional
        One factor per step, shape (n_periods + 1,), applied to the balances and to each
        step's fee before the fees are added up (today's dollars); none by default.
    reuse : dict, optional
        Kept between calls, it holds each saver's run keyed by everything that shapes it
        (the returns' identity and corners, the saver, the money and the deflators), so a
        call that changes one saver re-runs only that one.

    Returns
    -------
    SaverRuns

    Raises
    ------
    ValueError
        For two savers with one name, a missing stock asset, or what ``simulate`` refuses.

    Examples
    --------
    >>> returns = np.zeros((2, 24, 2))
    >>> runs = run_savers(returns, [by_hand([0.6, 0.4], fee=0.01)], assets=("stocks", "bonds"),
    ...                   initial_value=100.0)
    >>> round(float(runs.endings["By hand, once a year"][0]), 2)
    98.01
    """
    names = [saver.name for saver in savers]
    if not names or len(set(names)) != len(names):
        raise ValueError("Give one or more savers, each with its own name.")
    if stock_asset not in assets:
        raise ValueError(f"The assets {tuple(assets)} have no {stock_asset!r}.")
    column = list(assets).index(stock_asset)
    returns = np.asarray(returns, dtype=float)
    # an asset no saver ever holds (cash, often) changes nothing: leave it out, a third faster
    held = [i for i in range(len(assets)) if i == column or any(
        np.any(saver.weights(assets)[..., i] > 0) for saver in savers)]
    kept_assets, kept_column = tuple(assets[i] for i in held), held.index(column)
    kept_returns: np.ndarray | None = None
    money = (float(initial_value), cash_flows, periods_per_year, tuple(percentiles),
             None if deflators is None else np.asarray(deflators, dtype=float).tobytes())
    where = (id(returns), returns.shape, returns[0, 0].tobytes(), returns[-1, -1].tobytes())
    pieces = []
    for saver in savers:
        target = saver.weights(assets)
        key = (where, saver.name, saver.policy, saver.fee, saver.cost_rate,
               target.tobytes(), target.shape, tuple(assets), column, money)
        piece = None if reuse is None else reuse.get(key)
        if piece is None:
            if kept_returns is None:
                kept_returns = returns if len(held) == len(assets) else returns[:, :, held]
            result = simulate(kept_returns, target[..., held], saver.policy,
                              initial_value=initial_value, cash_flows=cash_flows,
                              cost_rate=saver.cost_rate, expense_ratio=saver.fee,
                              periods_per_year=periods_per_year, assets=kept_assets)
            wealth, paid = np.asarray(result.wealth), np.asarray(result.fees)
            if deflators is not None:
                wealth, paid = wealth * deflators, paid * deflators
            piece = (_yearly(wealth, periods_per_year, percentiles, saver.name),
                     _yearly(np.asarray(result.weights)[:, :, kept_column], periods_per_year,
                             percentiles, saver.name),
                     wealth[:, -1].copy(), paid.sum(axis=1))
            if reuse is not None:
                if len(reuse) >= _REUSE_LIMIT:
                    reuse.pop(next(iter(reuse)))
                reuse[key] = piece
        pieces.append((saver.name, piece))
    return SaverRuns(pd.concat([p[0] for _, p in pieces], ignore_index=True),
                     pd.concat([p[1] for _, p in pieces], ignore_index=True),
                     {name: p[2] for name, p in pieces}, {name: p[3] for name, p in pieces})
