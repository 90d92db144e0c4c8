"""Paired comparisons: two policies on the same futures, compared future by future.

Medians side by side hide how often one policy beats another. When every policy runs on the
same simulated futures, row ``i`` of each per-path table is the same future, so the
difference ``policy - reference`` can be taken path by path: the share of futures where a
policy ended ahead, and the spread of the difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rebalance_widgets.core.metrics.percentiles import check_percentiles, percentile_name

__all__ = ["TIE_TOLERANCE", "paired_differences"]

TIE_TOLERANCE = 1e-9
"""Two values closer than this, relative to the larger of them (or 1), count as a tie."""


def _values(table: pd.DataFrame, column: str, name: str) -> np.ndarray:
    if not isinstance(table, pd.DataFrame) or column not in table.columns:
        raise ValueError(f"The table of {name!r} has no column {column!r}.")
    return table[column].to_numpy(dtype=float)


def paired_differences(
    per_path: Mapping[str, pd.DataFrame],
    reference: str,
    column: str = "terminal_wealth",
    percentiles: Sequence[float] = (10, 50, 90),
) -> pd.DataFrame:
    """Compare each policy with a reference policy, future by future.

    For each policy other than the reference, with d_i = value_i(policy) - value_i(reference)
    on future i (paths where either value is NaN are left out):

    - ``share_ahead``: the share of futures with d_i > 0, ``share_behind``: d_i < 0, and
      ``share_tied``: |d_i| <= :data:`TIE_TOLERANCE` x max(|values|, 1) (the three add to 1);
    - ``difference_p<q>``: the q-th percentile of d_i (numpy's linear interpolation);
    - ``futures``: the number of futures compared.

    Parameters
    ----------
    per_path : mapping of str to pandas.DataFrame
        Policy name -> one row per future, as
        :func:`~rebalance_widgets.core.simulation.streamed.policy_per_path` gives; every
        table must have the same number of rows (the same futures, in the same order).
    reference : str
        The name of the policy the others are measured against.
    column : str, default "terminal_wealth"
        The per-path metric compared (ending wealth in dollars by default).
    percentiles : sequence of float, default (10, 50, 90)
        Percentiles of the difference to report, each in [0, 100].

    Returns
    -------
    pandas.DataFrame
        One row per policy other than the reference (index ``policy``, in the order
        given), columns ``share_ahead``, ``share_behind``, ``share_tied``,
        ``difference_p<q>`` for each percentile, and ``futures``.

    Raises
    ------
    ValueError
        When the reference is missing, a table lacks the column, or the tables have
        different numbers of rows.

    Examples
    --------
    >>> tables = {"Never": pd.DataFrame({"terminal_wealth": [100.0, 200.0, 300.0]}),
    ...           "Annual": pd.DataFrame({"terminal_wealth": [110.0, 190.0, 300.0]})}
    >>> row = paired_differences(tables, "Never").loc["Annual"]
    >>> row[["share_ahead", "share_behind", "difference_p50"]].round(3).tolist()
    [0.333, 0.333, 0.0]
    """
    if reference not in per_path:
        raise ValueError(f"The reference policy {reference!r} is not among those compared.")
    wanted = check_percentiles(percentiles)
    base = _values(per_path[reference], column, reference)
    rows = {}
    for name, table in per_path.items():
        if name == reference:
            continue
        values = _values(table, column, name)
        if values.shape != base.shape:
            raise ValueError(f"{name!r} has {values.size} futures and {reference!r} "
                             f"{base.size}: compare policies on the same futures.")
        kept = ~(np.isnan(values) | np.isnan(base))
        difference = values[kept] - base[kept]
        scale = np.maximum(np.maximum(np.abs(values[kept]), np.abs(base[kept])), 1.0)
        tied = np.abs(difference) <= TIE_TOLERANCE * scale
        count = int(kept.sum())
        row = {
            "share_ahead": float(np.mean((difference > 0) & ~tied)) if count else np.nan,
            "share_behind": float(np.mean((difference < 0) & ~tied)) if count else np.nan,
            "share_tied": float(np.mean(tied)) if count else np.nan,
        }
        spread = np.percentile(difference, wanted) if count else np.full(len(wanted), np.nan)
        for percentile, value in zip(wanted, spread, strict=True):
            row[f"difference_{percentile_name(percentile)}"] = float(value)
        row["futures"] = count
        rows[str(name)] = row
    columns = ["share_ahead", "share_behind", "share_tied",
               *(f"difference_{percentile_name(p)}" for p in wanted), "futures"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    return table.rename_axis("policy")
