"""Shared parts of the simulation widgets (drift, comparison, costs and taxes).

- :data:`POLICY_CHOICES` and the return models a learner can pick;
- :class:`MixWidget`, the base of the three widgets: its ``target`` trait is a mix
  (asset -> share over stocks, bonds and cash, like ``AllocationSliders.value``), so
  ``ipywidgets.dlink((sliders, "value"), (explorer, "target"))`` drives it; its "Stocks"
  slider moves the stock share and rescales the rest in proportion;
- :func:`target_weights` lines a mix up with a return model's assets;
- :func:`yearly` keeps one step per year of a result, for charts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from rebalance_widgets.core import markets
from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.mixes import ASSETS, check_mix, rescale, valid_mix

__all__ = [
    "POLICY_CHOICES",
    "MixWidget",
    "describe_model",
    "model_choices",
    "model_inflation",
    "model_picker",
    "return_model",
    "target_weights",
    "yearly",
]

POLICY_CHOICES: tuple[policies.Policy, ...] = (
    policies.Never(),
    policies.Calendar("monthly"),
    policies.Calendar("quarterly"),
    policies.Calendar("semiannual"),
    policies.Calendar("annual"),
    policies.Threshold(absolute=0.05),
    policies.Threshold(absolute=0.10),
    policies.Threshold(absolute=0.05, relative=0.25),
)
"""Policies offered by the drift and costs widgets, in the order shown."""


_MODEL_LABELS = {
    "historical": "Historical averages",
    "forward-looking": "Forward-looking",
    "resampled": "Resampled history (1-year blocks)",
}


def model_choices() -> list[tuple[str, str]]:
    """Return the return models a learner can pick, as (label, name) pairs for a dropdown.

    Returns
    -------
    list of (str, str)
        The presets of :func:`rebalance_widgets.core.markets.assumptions` and
        ``"resampled"`` (a block bootstrap of the embedded history).

    Examples
    --------
    >>> model_choices()[0]
    ('Historical averages', 'historical')
    """
    names = [*markets.ASSUMPTION_NAMES, "resampled"]
    return [(_MODEL_LABELS.get(name, name.replace("-", " ").capitalize()), name) for name in names]


@functools.cache
def return_model(name: str) -> Any:
    """Return the return model called ``name`` (one shared instance per name).

    Parameters
    ----------
    name : str
        A name from :func:`model_choices`.

    Returns
    -------
    object
        A model with ``assets`` and ``sample(n_paths, n_periods, rng)``.

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> return_model("historical").assets
    ('stocks', 'bonds', 'cash')
    """
    if name == "resampled":
        return markets.Bootstrap(block=12)
    return markets.assumptions(name)


@functools.cache
def model_inflation(name: str) -> float:
    """Yearly inflation that goes with a return model, for showing today's dollars.

    The presets take :func:`rebalance_widgets.core.markets.expected_inflation`;
    ``"resampled"`` (real months drawn at random) takes the compound average of every month
    of the embedded history's CPI inflation.

    Parameters
    ----------
    name : str
        A name from :func:`model_choices`.

    Returns
    -------
    float
        Yearly inflation as a fraction.

    Examples
    --------
    >>> 0.02 < model_inflation("resampled") < 0.04
    True
    """
    if name == "resampled":
        months = load_history(columns=["inflation"])["inflation"]
        return float((1.0 + months).prod() ** (12.0 / len(months)) - 1.0)
    return markets.expected_inflation(name)


def describe_model(name: str) -> str:
    """Say in one sentence where a return model comes from.

    Parameters
    ----------
    name : str
        A name from :func:`model_choices`.

    Returns
    -------
    str
        The description.

    Examples
    --------
    >>> describe_model("resampled").startswith("Random one-year blocks")
    True
    """
    if name == "resampled":
        history = load_history()
        return (
            f"Random one-year blocks of real months, {history.index[0]:%B %Y} to "
            f"{history.index[-1]:%B %Y}, strung together."
        )
    return markets.describe_assumptions(name)


def yearly(
    result: Any, periods_per_year: int = base.PERIODS_PER_YEAR, *, before_trade: bool = False
) -> SimpleNamespace:
    """Return a view of a simulation result with one step per year, for charts.

    Only the attributes :func:`rebalance_widgets.core.metrics.weight_percentiles` reads are
    kept: weights, target, assets and periods per year (now 1).

    Parameters
    ----------
    result : SimulationResult
        The engine's result with monthly steps.
    periods_per_year : int, default 12
        Steps per year in ``result``.
    before_trade : bool, default False
        Take the weights each year end just before any rebalancing trade (the result's
        ``weights_before_trade``), which shows how far the mix drifted before it was put
        back; otherwise the weights after the trade.

    Returns
    -------
    types.SimpleNamespace
        ``weights`` (P, years + 1, A), ``target`` (years + 1, A), ``assets``,
        ``periods_per_year`` = 1.

    Examples
    --------
    >>> run = SimpleNamespace(weights=np.zeros((2, 25, 2)), target=np.array([0.6, 0.4]),
    ...                       assets=("stocks", "bonds"))
    >>> yearly(run).weights.shape, yearly(run).target.shape
    ((2, 3, 2), (3, 2))
    """
    source = result.weights_before_trade if before_trade else result.weights
    weights = np.asarray(source)[:, ::periods_per_year]
    target = np.asarray(result.target, dtype=float)
    if target.ndim == 1:
        target = np.broadcast_to(target, weights.shape[1:])
    else:
        target = target[::periods_per_year]
    return SimpleNamespace(
        weights=weights, target=target, assets=tuple(result.assets), periods_per_year=1
    )


def model_picker(model: str) -> tuple[widgets.Dropdown, widgets.HTML]:
    """Make the "Markets" dropdown and a caption that says where the chosen model comes from.

    Parameters
    ----------
    model : str
        The name chosen at the start (see :func:`model_choices`).

    Returns
    -------
    tuple of (ipywidgets.Dropdown, ipywidgets.HTML)
        The dropdown (its value is the model's name) and its caption, kept in step.

    Examples
    --------
    >>> dropdown, caption = model_picker("historical")
    >>> dropdown.value = "resampled"
    >>> "one-year blocks" in caption.value
    True
    """
    dropdown = widgets.Dropdown(
        options=model_choices(), value=model, description="Markets",
        tooltip="Assumptions for the simulated futures", style={"description_width": "initial"},
    )
    caption = widgets.HTML(layout=widgets.Layout(max_width="46em"))

    def describe(change: dict[str, Any] | None = None) -> None:
        caption.value = f"<small>{base.html_escape(describe_model(dropdown.value))}</small>"

    describe()
    dropdown.observe(describe, names="value")
    return dropdown, caption


_ALIASES = {"bills": "cash", "cash": "bills"}


def target_weights(mix: Mapping[str, float], assets: tuple[str, ...]) -> np.ndarray:
    """Line a mix up with a return model's assets (cash and bills are the same thing).

    Parameters
    ----------
    mix : mapping of str to float
        Asset -> share, adding up to 1.
    assets : tuple of str
        The model's asset names.

    Returns
    -------
    numpy.ndarray
        One weight per asset of the model.

    Raises
    ------
    ValueError
        When the mix holds an asset the model does not have.

    Examples
    --------
    >>> target_weights({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, ("stocks", "bonds", "bills"))
    array([0.6, 0.3, 0.1])
    """
    names = [str(name).lower() for name in assets]
    weights = np.zeros(len(names))
    for asset, share in mix.items():
        if share == 0:
            continue
        name = asset if asset in names else _ALIASES.get(asset, asset)
        if name not in names:
            raise ValueError(
                f"These markets have {', '.join(names)}; they have no {asset} for the "
                f"{share:.0%} in the mix."
            )
        weights[names.index(name)] += share
    return weights


def stock_mix(share: float) -> dict[str, float]:
    """Return the mix with ``share`` in stocks and the rest in bonds.

    Parameters
    ----------
    share : float
        Stock share, 0 to 1.

    Returns
    -------
    dict
        Asset -> share over stocks, bonds and cash.

    Examples
    --------
    >>> stock_mix(0.8)
    {'stocks': 0.8, 'bonds': 0.2, 'cash': 0.0}
    """
    return check_mix({"stocks": share, "bonds": round(1.0 - share, 12)}, ASSETS)


class MixWidget(base.TeachingWidget):
    """Base of the simulation widgets: a target mix with a "Stocks" slider.

    ``target`` is the mix (asset -> share over stocks, bonds and cash, adding up to 1);
    a float is read as the stock share with the rest in bonds. ``target_slider`` shows
    and moves the stock share; moving it rescales bonds and cash in proportion.
    Subclasses observe ``target``.

    Parameters
    ----------
    target : float or mapping
        Starting mix.

    Examples
    --------
    >>> w = MixWidget(target=0.6)
    >>> w.target_slider.value = 0.8
    >>> w.target
    {'stocks': 0.8, 'bonds': 0.2, 'cash': 0.0}
    """

    target = traitlets.Dict()

    def __init__(self, target: float | Mapping[str, float] = 0.6, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_slider = widgets.FloatSlider(
            value=0.0, min=0.0, max=1.0, step=0.05, readout_format=".0%",
            description="Stocks", tooltip="Target share of stocks; bonds and cash share the rest",
            continuous_update=False, style={"description_width": "initial"},
        )
        self.target = stock_mix(target) if isinstance(target, int | float) else dict(target)
        self.target_slider.value = self.target["stocks"]
        self.target_slider.observe(self._on_target_slider, names="value")

    @traitlets.validate("target")
    def _valid_target(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal, ASSETS)

    @traitlets.observe("target")
    def _show_target(self, change: dict[str, Any]) -> None:
        if hasattr(self, "target_slider"):
            self.target_slider.value = change["new"]["stocks"]

    def _on_target_slider(self, change: dict[str, Any]) -> None:
        if abs(change["new"] - self.target["stocks"]) > 1e-12:
            mix = rescale(self.target, "stocks", change["new"], step=None)
            self.target = {asset: round(share, 12) for asset, share in mix.items()}

    @property
    def stock_share(self) -> float:
        """The target share of stocks."""
        return float(self.target["stocks"])
