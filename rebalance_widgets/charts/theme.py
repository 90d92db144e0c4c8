"""One colour-blind-safe Altair theme for every chart in the kit.

The theme ``"rebalance"`` is registered when the kit first imports Altair
(:mod:`rebalance_widgets.charts.lazy`) and enabled unless a notebook chose another theme, so
every chart built by :mod:`rebalance_widgets.charts` uses (and a notebook's own charts too,
after :func:`enable`, or built with :data:`rebalance_widgets.charts.lazy.alt`):

- the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), which stays
  distinguishable for the common kinds of colour blindness;
- a fixed colour per asset class (:data:`ASSET_COLORS`: stocks are always blue, bonds
  always orange, cash always green), so a learner never has to re-read a legend;
- readable font sizes (13 px labels, 14 px axis titles, 16 px chart titles).

Chart builders use :func:`asset_scale` for asset colours and :func:`series_scale` for
named series (``"Target"``, ``"Current"``, ``"Rebalanced"``, ...).

Examples
--------
>>> from rebalance_widgets.charts import theme
>>> from rebalance_widgets.charts.lazy import alt
>>> alt.theme.active
'rebalance'
>>> theme.ASSET_COLORS["stocks"]
'#0072B2'
"""

from __future__ import annotations

from collections.abc import Iterable

from rebalance_widgets.charts.lazy import THEME_NAME, alt

__all__ = [
    "ASSET_COLORS",
    "FONT",
    "OKABE_ITO",
    "SERIES_COLORS",
    "THEME_NAME",
    "asset_color",
    "asset_scale",
    "enable",
    "register",
    "series_scale",
]

#: The eight Okabe-Ito colours, in their usual order.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Neutral grey for anything that is not an asset (bands, reference lines, "other").
GREY = "#7F7F7F"

#: A fixed colour per asset class (lower-case names; aliases share a colour).
ASSET_COLORS: dict[str, str] = {
    "stocks": OKABE_ITO["blue"],
    "us stocks": OKABE_ITO["blue"],
    "international stocks": OKABE_ITO["sky_blue"],
    "international": OKABE_ITO["sky_blue"],
    "bonds": OKABE_ITO["orange"],
    "cash": OKABE_ITO["bluish_green"],
    "bills": OKABE_ITO["bluish_green"],
    "stable value": OKABE_ITO["bluish_green"],
    "real estate": OKABE_ITO["reddish_purple"],
    "tips": OKABE_ITO["vermillion"],
    "other": GREY,
}

#: Colours for named series that recur across charts.
SERIES_COLORS: dict[str, str] = {
    "Target": OKABE_ITO["black"],
    "Current": OKABE_ITO["blue"],
    "Before": GREY,
    "After": OKABE_ITO["blue"],
    "Rebalanced": OKABE_ITO["blue"],
    "Never rebalanced": OKABE_ITO["vermillion"],
    "Glide path": OKABE_ITO["blue"],
    "Fixed mix": OKABE_ITO["vermillion"],
    "Your contributions": OKABE_ITO["sky_blue"],
    "Employer match": OKABE_ITO["bluish_green"],
    "Growth": OKABE_ITO["orange"],
    "Keep rebalancing": OKABE_ITO["blue"],
    "Stop rebalancing": OKABE_ITO["orange"],
    "Sell after a fall": OKABE_ITO["vermillion"],
}

_FALLBACK = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def asset_color(asset: str, position: int = 0) -> str:
    """Return the fixed colour of an asset class.

    Parameters
    ----------
    asset : str
        Asset class name, any case (``"Stocks"``, ``"bonds"``...).
    position : int, default 0
        Position of an unknown asset among the others; picks a distinct fallback colour.

    Returns
    -------
    str
        A hex colour.

    Examples
    --------
    >>> asset_color("Bonds")
    '#E69F00'
    """
    known = ASSET_COLORS.get(asset.strip().lower())
    if known is not None:
        return known
    return _FALLBACK[position % len(_FALLBACK)]


def asset_scale(assets: Iterable[str]) -> alt.Scale:
    """Return a colour scale that gives each asset its fixed colour.

    Parameters
    ----------
    assets : iterable of str
        The asset names exactly as they appear in the chart's data, in legend order.

    Returns
    -------
    altair.Scale
        A scale with ``domain`` = the assets and ``range`` = their colours.

    Examples
    --------
    >>> asset_scale(["stocks", "bonds"]).to_dict()["range"]
    ['#0072B2', '#E69F00']
    """
    domain = list(dict.fromkeys(assets))
    return alt.Scale(domain=domain, range=[asset_color(a, i) for i, a in enumerate(domain)])


def series_scale(series: Iterable[str]) -> alt.Scale:
    """Return a colour scale for named series (known names keep their colour).

    Parameters
    ----------
    series : iterable of str
        Series names in legend order.

    Returns
    -------
    altair.Scale
        A scale with ``domain`` = the names and ``range`` = their colours.

    Examples
    --------
    >>> series_scale(["Rebalanced", "Never rebalanced"]).to_dict()["range"]
    ['#0072B2', '#D55E00']
    """
    domain = list(dict.fromkeys(series))
    used = {SERIES_COLORS[s] for s in domain if s in SERIES_COLORS}
    spare = [c for c in _FALLBACK if c not in used]
    colours = []
    for name in domain:
        if name in SERIES_COLORS:
            colours.append(SERIES_COLORS[name])
        else:
            colours.append(spare.pop(0) if spare else GREY)
    return alt.Scale(domain=domain, range=colours)


def _config() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 260},
            "range": {"category": _FALLBACK},
            "title": {"fontSize": 16, "fontWeight": "bold", "anchor": "start", "color": "#222222"},
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 14,
                "labelColor": "#333333",
                "titleColor": "#222222",
                "gridColor": "#E5E5E5",
                "domainColor": "#888888",
                "tickColor": "#888888",
                "labelLimit": 220,
            },
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 14,
                "labelLimit": 260,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 3,
                "symbolSize": 140,
            },
            "header": {"labelFontSize": 13, "titleFontSize": 14},
            "text": {"fontSize": 13},
            "line": {"strokeWidth": 2.5},
            "area": {"opacity": 0.9},
        }
    )


def register() -> None:
    """Register the ``"rebalance"`` theme with Altair (once), without enabling it."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_config)


def enable() -> None:
    """Register the ``"rebalance"`` theme (once) and make it the active Altair theme.

    Examples
    --------
    >>> enable()
    >>> alt.theme.active
    'rebalance'
    """
    register()
    alt.theme.enable(THEME_NAME)
