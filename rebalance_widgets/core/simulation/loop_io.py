"""What the engine's loop is given (``Rules``) and what it hands back (``Outputs``).

Arrays in ``Outputs`` are time-major, as :mod:`rebalance_widgets.core.simulation.steps`
fills them; ``simulate`` turns them into (P, T+1, ...) views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Outputs", "Rules"]


@dataclass(frozen=True)
class Rules:
    """Everything the loop needs to know, already checked by ``simulate``."""

    targets: np.ndarray  # (T+1, A)
    bands: np.ndarray | None  # (T+1, A) or None: trade on any difference
    check_every: int | None
    to_band: bool
    underweight: bool
    initial_value: float
    cost_rate: float
    tax_rate: float
    taxable: bool
    keep_after_fee: float  # (1 - expense_ratio) ** (1 / periods_per_year)
    wiped_out: bool  # some return is -100%
    # (A,) dividend and interest yield per period and its tax rate, taxable accounts only
    income: tuple[np.ndarray, float] | None = None


@dataclass(frozen=True)
class Outputs:
    """Time-major results of the loop."""

    wealth: np.ndarray  # (T+1, P)
    weights: np.ndarray  # (T+1, A, P)
    before: np.ndarray  # (T+1, A, P)
    rebalanced: np.ndarray  # (T+1, P) bool
    buys: np.ndarray
    sells: np.ndarray
    costs: np.ndarray
    taxes: np.ndarray
    fees: np.ndarray
    flows: np.ndarray
    holdings: np.ndarray  # (A, P) at the end
    basis: np.ndarray | None  # (A, P) at the end, taxable accounts only
    income_taxes: np.ndarray | None = None  # (T+1, P) tax on dividends and interest
