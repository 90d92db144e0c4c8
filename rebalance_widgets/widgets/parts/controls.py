"""Controls that several widgets share: assumptions menu, age sliders, percent sliders.

Each builder returns standard ipywidgets (keyboard usable, each with a ``description``);
:func:`check_ages` reads the two ages and says what to fix when they do not make a plan.
"""

from __future__ import annotations

import ipywidgets as widgets

from rebalance_widgets.core import markets
from rebalance_widgets.widgets.parts.inputs import DEFAULT_MODEL, MAX_YEARS

__all__ = ["age_sliders", "check_ages", "market_menu", "percent_slider"]

_STYLE = {"description_width": "initial"}


def market_menu() -> widgets.Dropdown:
    """Build the menu of market assumptions (where expected returns and risks come from).

    Returns
    -------
    ipywidgets.Dropdown
        Options are the names of :data:`rebalance_widgets.core.markets.ASSUMPTION_NAMES`;
        the class settings' model is picked first when it is one of them.

    Examples
    --------
    >>> market_menu().description
    'Assumptions'
    """
    return widgets.Dropdown(
        options=[(name.capitalize(), name) for name in markets.ASSUMPTION_NAMES],
        value=DEFAULT_MODEL if DEFAULT_MODEL in markets.ASSUMPTION_NAMES else None,
        description="Assumptions",
        tooltip="Where expected returns and risks come from",
        style=_STYLE,
    )


def percent_slider(
    value: float,
    maximum: float,
    step: float,
    description: str,
    tooltip: str,
    *,
    decimals: int = 0,
    width: str | None = None,
    label_width: str = "initial",
) -> widgets.FloatSlider:
    """Build a slider for a share from 0 to ``maximum``, read out as a percent.

    It reports its value only when released (``continuous_update=False``).

    Parameters
    ----------
    value, maximum, step : float
        Start, top and step, as fractions (0.05 = 5%).
    description, tooltip : str
        Label and longer help, read by screen readers.
    decimals : int, default 0
        Digits after the point in the readout.
    width : str, optional
        CSS width of the whole slider (default: ipywidgets' own).
    label_width : str, default "initial"
        CSS width of the label.

    Returns
    -------
    ipywidgets.FloatSlider
        The slider.

    Examples
    --------
    >>> percent_slider(0.06, 0.5, 0.01, "You save", "Share of pay").readout_format
    '.0%'
    """
    layout = {} if width is None else {"layout": widgets.Layout(width=width)}
    return widgets.FloatSlider(
        value=value,
        min=0.0,
        max=maximum,
        step=step,
        readout_format=f".{decimals}%",
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        style={"description_width": label_width},
        **layout,
    )


def age_sliders(*, age_max: int, retire_min: int) -> tuple[widgets.IntSlider, widgets.IntSlider]:
    """Build the "Age now" (from 35) and "Retire at" (from 65) sliders.

    Parameters
    ----------
    age_max : int
        Highest age now offered (the lowest is 18).
    retire_min : int
        Lowest retirement age offered (the highest is 80).

    Returns
    -------
    tuple of ipywidgets.IntSlider
        The age slider and the retirement slider.

    Examples
    --------
    >>> age, retire = age_sliders(age_max=70, retire_min=40)
    >>> age.value, retire.value
    (35, 65)
    """
    age = widgets.IntSlider(
        value=35, min=18, max=age_max, description="Age now", continuous_update=False, style=_STYLE
    )
    retire = widgets.IntSlider(
        value=65,
        min=retire_min,
        max=80,
        description="Retire at",
        continuous_update=False,
        style=_STYLE,
    )
    return age, retire


def check_ages(age: int, retire: int) -> None:
    """Refuse a retirement age that is not later than the age now, or too far to simulate.

    Parameters
    ----------
    age, retire : int
        Age now and retirement age.

    Raises
    ------
    ValueError
        "Retirement age (30) must be later than your age now (35)." or "At most 60 years
        can be simulated here: choose a retirement age up to 78."

    Examples
    --------
    >>> check_ages(35, 65)
    """
    if retire <= age:
        raise ValueError(f"Retirement age ({retire}) must be later than your age now ({age}).")
    if retire - age > MAX_YEARS:
        raise ValueError(
            f"At most {MAX_YEARS} years can be simulated here: "
            f"choose a retirement age up to {age + MAX_YEARS}."
        )
