"""Today's dollars: a switch that shows future dollars at today's prices.

A dollar in 30 years buys less than a dollar today. The switch divides a dollar amount
``years`` from now by ``(1 + inflation) ** years``, with the yearly inflation that goes
with the return model (:func:`~rebalance_widgets.widgets.parts.simulated.model_inflation`),
and the sentences say which dollars they speak of.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from rebalance_widgets.widgets.parts.formatting import percent

__all__ = ["TodaysDollars", "deflator"]


def deflator(inflation: float, years: Any) -> Any:
    """Return the factor that turns dollars ``years`` from now into today's dollars.

    Parameters
    ----------
    inflation : float
        Yearly inflation as a fraction (0.03 = 3%); above -1.
    years : float or numpy.ndarray
        Years from now (0 = today), one number or an array of them.

    Returns
    -------
    float or numpy.ndarray
        ``1 / (1 + inflation) ** years``: multiply future dollars by it.

    Raises
    ------
    ValueError
        For inflation at or below -100%, or not a number.

    Examples
    --------
    >>> round(deflator(0.03, 24), 3)
    0.492
    """
    rate = float(inflation)
    if not np.isfinite(rate) or rate <= -1.0:
        raise ValueError(f"Inflation must be a number above -100%; got {inflation!r}.")
    factor = (1.0 + rate) ** -np.asarray(years, dtype=float)
    return float(factor) if factor.ndim == 0 else factor


class TodaysDollars(widgets.Checkbox):
    """A tick box "Show today's dollars" and the words that say which dollars are shown.

    ``value`` True shows today's dollars. :meth:`factor` gives the multiplier for an amount
    ``years`` from now (1 when the box is not ticked); :meth:`words` the phrase for a
    sentence.
    """

    def __init__(self, value: bool = False, **kwargs: Any) -> None:
        super().__init__(
            value=bool(value), description="Show today's dollars", indent=False,
            tooltip="Divide future dollars by the rise in prices, so that they buy what a "
                    "dollar buys today",
            layout=widgets.Layout(width="auto"), **kwargs,
        )

    def factor(self, inflation: float, years: Any) -> Any:
        """Multiplier for dollars ``years`` from now (see :func:`deflator`); 1 unticked."""
        return deflator(inflation if self.value else 0.0, years)

    def words(self, inflation: float) -> str:
        """Say which dollars are shown, for a sentence.

        "in today's dollars (prices rising 2.9% a year)", or "in dollars of the day they are
        counted (not adjusted for rising prices)".
        """
        if self.value:
            return f"in today's dollars (prices rising {percent(inflation, 1)} a year)"
        return "in dollars of the day they are counted (not adjusted for rising prices)"
