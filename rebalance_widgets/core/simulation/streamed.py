"""Per-path metrics computed while simulating, without recording every step.

A comparison of policies shows a few medians per policy, yet :func:`simulate` records the
wealth, the weights before and after each trade, the buys, sells and costs of every step
of every path, and :func:`~rebalance_widgets.core.metrics.per_path` reads them back. For
the common case (money only ever added, the same amount on every path; no return of
-100%; no tax on trades) :func:`streamed_per_path` runs the same timeline one path
at a time in compiled code and keeps only running sums, so that no (paths x steps) array is
made. The numbers are those of ``per_path(simulate(...))`` up to rounding (the tests hold
them to 1e-9 relative for every policy); anything outside that case goes to
:func:`~rebalance_widgets.core.simulation.engine.simulate`. :func:`policy_medians` picks the way for
each policy.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core import metrics
from rebalance_widgets.core.simulation.engine import Setup, prepare, simulate_prepared
from rebalance_widgets.core.simulation.policies import Policy
from rebalance_widgets.core.simulation.steps import Rules
from rebalance_widgets.core.simulation.trading import TRADE_TOLERANCE

__all__ = [
    "STREAMED_COLUMNS",
    "compile_ahead",
    "compiled_kernel",
    "policy_medians",
    "policy_per_path",
    "streamable",
    "streamed_per_path",
]

STREAMED_COLUMNS: tuple[str, ...] = (
    "terminal_wealth", "after_tax_wealth", "cagr", "volatility", "max_drawdown",
    "worst_12_months", "average_drift", "largest_drift", "average_total_drift",
    "rebalance_count", "rebalances_per_year", "annual_turnover", "costs_paid", "taxes_paid",
    "fees_paid",
)
"""The metrics of :func:`~rebalance_widgets.core.metrics.per_path` computed here."""

# columns of the kernel's output, in this order
_KERNEL_COLUMNS = (
    "terminal_wealth", "cagr", "volatility", "max_drawdown", "worst_12_months",
    "average_drift", "largest_drift", "average_total_drift", "rebalance_count",
    "annual_turnover", "costs_paid", "fees_paid",
)


_ROOM_NEEDED = 512 * 2**20  # importing numba and loading the loop take about 330 MiB of it


@functools.cache
def compiled_kernel() -> Callable[..., None] | None:
    """Return the compiled loop, :func:`~rebalance_widgets.core.simulation.streamed_loop.run`.

    numba (and the LLVM library it brings, about 100 MiB) is imported on the first call
    only, so that a process that never compares policies does not load it. Returns None
    when it cannot load here: numba missing or broken, or an address-space limit (such as
    the one ``rebalance-widgets serve --public`` puts on each kernel) without room for it,
    where loading it could fail or hang. Callers then use the engine.
    """
    if not _room_to_load():
        return None
    try:  # the import compiles the loop, or loads it from the disk cache
        from rebalance_widgets.core.simulation import streamed_loop
    except Exception:  # noqa: BLE001 - whatever stops it, the engine does the work
        return None
    return streamed_loop.run


def _read_only(array: np.ndarray) -> np.ndarray:
    """Return a C-ordered float view of ``array`` that cannot be written (the loop's input)."""
    view = np.ascontiguousarray(array, dtype=float).view()
    view.flags.writeable = False
    return view


def _room_to_load() -> bool:
    """Whether this process's address-space limit leaves room to load numba."""
    try:
        import resource
    except ImportError:  # no such limits on this system
        return True
    limit, _ = resource.getrlimit(resource.RLIMIT_AS)
    if limit == resource.RLIM_INFINITY:
        return True
    try:
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return False
    return limit - used >= _ROOM_NEEDED


def streamable(setup: Setup, rules: Rules, columns: Sequence[str]) -> bool:
    """Whether :func:`streamed_per_path` can compute ``columns`` for these settings.

    It can when every column is one of :data:`STREAMED_COLUMNS`, no return is -100%, the
    account does not tax trades, cash flows are the same on every
    path and never negative, and 3 x the cost rate is below 1 (so the cost of a step can
    never exceed what the portfolio holds). The start may be 0. And the compiled loop
    must load (see :func:`compiled_kernel`).
    """
    flows = setup.flows_in
    return (
        set(columns) <= set(STREAMED_COLUMNS)
        and not setup.wiped_out
        and not rules.taxable
        and (flows is None or (flows.ndim == 1 and bool(np.all(flows >= 0))))
        and 3 * rules.cost_rate < 1
        and compiled_kernel() is not None
    )


def streamed_per_path(setup: Setup, policy: Policy,
                      columns: Sequence[str] = STREAMED_COLUMNS) -> pd.DataFrame:
    """Return ``per_path(simulate(...), columns=columns)`` without recording the steps.

    Parameters
    ----------
    setup : Setup
        Checked inputs, from :func:`~rebalance_widgets.core.simulation.engine.prepare`.
    policy : Policy
        The rebalancing policy.
    columns : sequence of str
        Metrics to return, each one of :data:`STREAMED_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per path (index ``path``), one column per metric.

    Raises
    ------
    ValueError
        When :func:`streamable` says no.

    Examples
    --------
    >>> from rebalance_widgets.core import policies
    >>> from rebalance_widgets.core.simulation.engine import prepare
    >>> setup = prepare(np.array([[0.10, 0.0], [-0.05, 0.0]]), [0.6, 0.4])
    >>> table = streamed_per_path(setup, policies.Never(), ["terminal_wealth"])
    >>> round(float(table["terminal_wealth"].iloc[0]), 6)
    1.027
    """
    rules = setup.rules(policy)
    if not streamable(setup, rules, columns):
        raise ValueError("These settings (or this machine) need the full simulation: use "
                         "simulate().")
    return _stream(setup, rules, columns)


def _stream(setup: Setup, rules: Rules, columns: Sequence[str]) -> pd.DataFrame:
    """Run the compiled loop, once :func:`streamable` has said yes."""
    periods = setup.returns.shape[1]
    flows = np.zeros(periods) if setup.flows_in is None else setup.flows_in
    has_band = rules.bands is not None
    bands = rules.bands if has_band else np.zeros_like(rules.targets)
    window = max(round(float(setup.periods_per_year)), 1)
    out = np.empty((setup.returns.shape[0], len(_KERNEL_COLUMNS)))
    compiled_kernel()(
        returns=_read_only(setup.returns), targets=_read_only(rules.targets),
        bands=_read_only(bands), has_band=has_band, every=rules.check_every or 0,
        to_band=rules.to_band and has_band, underweight=rules.underweight,
        initial=rules.initial_value, flows=_read_only(flows), cost_rate=rules.cost_rate,
        keep_after_fee=rules.keep_after_fee, ppy=float(setup.periods_per_year),
        tolerance=TRADE_TOLERANCE, window=window, out=out,
    )
    values = dict(zip(_KERNEL_COLUMNS, out.T, strict=True))
    values["rebalance_count"] = values["rebalance_count"].astype(np.int64)
    values["rebalances_per_year"] = values["rebalance_count"] / (
        periods / float(setup.periods_per_year))
    values["after_tax_wealth"] = np.asarray(setup.account.after_tax_wealth(
        values["terminal_wealth"], None, None), dtype=float)
    values["taxes_paid"] = np.zeros(out.shape[0])
    return pd.DataFrame({name: values[name] for name in columns},
                        index=pd.RangeIndex(out.shape[0], name="path"))


def compile_ahead() -> None:
    """Compile the kernel now (and cache it on disk).

    ``rebalance-widgets serve`` runs this in a separate process as it starts, so that the
    first visitor of a comparison does not wait for the compiler.
    """
    compiled_kernel()  # compiles as it loads, or loads from the disk cache


def _named(policies: Mapping[str, Policy] | Sequence[Policy]) -> dict[str, Policy]:
    """Name each policy: a mapping keeps its names, a sequence takes each ``label``."""
    if not isinstance(policies, Mapping):
        labels = [policy.label for policy in policies]
        twice = sorted({label for label in labels if labels.count(label) > 1})
        if twice:
            raise ValueError(f"Two policies have the same name ({', '.join(twice)}): give "
                             "them names, as a name -> policy mapping.")
        policies = dict(zip(labels, policies, strict=True))
    if not policies:
        raise ValueError("Give at least one policy.")
    return {str(name): policy for name, policy in policies.items()}


def policy_per_path(
    returns: Any,
    target: Any,
    policies: Mapping[str, Policy] | Sequence[Policy],
    *,
    columns: Sequence[str] | None = None,
    done: Callable[[], None] | None = None,
    **simulate_kwargs: Any,
) -> dict[str, pd.DataFrame]:
    """Return the per-path metrics of each policy, all run on the same returns.

    Row ``i`` of every table is the same future (path ``i`` of ``returns``), so the tables
    can be compared path by path (see
    :func:`~rebalance_widgets.core.metrics.paired_differences`). Each table is
    ``per_path(simulate(returns, target, policy, ...), columns=columns)``, computed by
    :func:`streamed_per_path` when the settings allow it and by :func:`simulate` otherwise.

    Parameters
    ----------
    returns, target : array-like
        As in :func:`simulate`; checked once for all policies.
    policies : mapping of str to Policy, or sequence of Policy
        Name -> policy; a sequence is named by each policy's ``label`` (which must then
        differ).
    columns : sequence of str, optional
        Metrics of ``per_path`` to compute; all of them by default (and then every policy
        goes through :func:`simulate`, as some of them are not streamed).
    done : callable, optional
        Called with no argument after each policy (to move a progress bar).
    **simulate_kwargs
        As in :func:`simulate` (``initial_value``, ``cost_rate``, ``cash_flows``, ...).

    Returns
    -------
    dict of str to pandas.DataFrame
        Name -> one row per path (index ``path``), one column per metric.

    Raises
    ------
    ValueError
        For no policy, two policies with the same label, or what :func:`simulate` refuses.

    Examples
    --------
    >>> from rebalance_widgets.core import policies
    >>> returns = np.array([[[0.10, 0.0]], [[-0.10, 0.0]]])
    >>> tables = policy_per_path(returns, [0.5, 0.5], [policies.Never()],
    ...                          columns=["terminal_wealth"])
    >>> tables["Never rebalance"]["terminal_wealth"].round(2).tolist()
    [1.05, 0.95]
    """
    named = _named(policies)
    setup = prepare(returns, target, **simulate_kwargs)
    wanted = list(columns) if columns is not None else None
    tables = {}
    for name, policy in named.items():
        rules = setup.rules(policy)
        if wanted is not None and streamable(setup, rules, wanted):
            tables[name] = _stream(setup, rules, wanted)
        else:
            tables[name] = metrics.per_path(simulate_prepared(setup, policy), columns=wanted)
        if done is not None:
            done()
    return tables


def policy_medians(
    returns: Any,
    target: Any,
    policies: Mapping[str, Policy] | Sequence[Policy],
    *,
    columns: Sequence[str] | None = None,
    done: Callable[[], None] | None = None,
    **simulate_kwargs: Any,
) -> pd.DataFrame:
    """Return the median of each metric across paths, per policy, on the same returns.

    The numbers of :func:`~rebalance_widgets.core.metrics.compare_row` for each policy
    (without terminal-wealth percentiles): the medians of :func:`policy_per_path`.

    Parameters
    ----------
    returns, target, policies, columns, done, **simulate_kwargs
        As in :func:`policy_per_path`.

    Returns
    -------
    pandas.DataFrame
        One row per policy (index ``policy``), one column per metric.

    Examples
    --------
    >>> from rebalance_widgets.core import policies
    >>> returns = np.zeros((3, 12, 2))
    >>> table = policy_medians(returns, [0.5, 0.5], [policies.Never()], columns=["cagr"])
    >>> float(table.loc["Never rebalance", "cagr"])
    0.0
    """
    tables = policy_per_path(returns, target, policies, columns=columns, done=done,
                             **simulate_kwargs)
    rows = {name: metrics.medians(table) for name, table in tables.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")
