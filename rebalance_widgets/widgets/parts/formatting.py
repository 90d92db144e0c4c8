"""Numbers and text formatted for the sentences under charts: dollars, percents, safe HTML."""

from __future__ import annotations

import html

__all__ = ["html_escape", "money", "percent", "share"]


def money(value: float) -> str:
    """Format dollars for a sentence: ``$12,345`` (cents only under $100).

    Parameters
    ----------
    value : float
        Amount in dollars.

    Returns
    -------
    str
        The formatted amount, with a leading minus for negatives.

    Examples
    --------
    >>> money(12345.6), money(-20), money(5.5)
    ('$12,346', '-$20', '$5.50')
    """
    sign = "-" if value < 0 else ""
    size = abs(value)
    text = f"{size:,.2f}" if size < 100 and size != round(size) else f"{size:,.0f}"
    return f"{sign}${text}"


def percent(fraction: float, decimals: int = 0) -> str:
    """Format a fraction as a percent: ``0.6`` -> ``60%``.

    Parameters
    ----------
    fraction : float
        The share, 1.0 = 100%.
    decimals : int, default 0
        Digits after the point.

    Returns
    -------
    str
        The formatted percent.

    Examples
    --------
    >>> percent(0.6), percent(0.0534, 1)
    ('60%', '5.3%')
    """
    return f"{fraction * 100:,.{decimals}f}%"


def share(fraction: float) -> str:
    """Format a share of futures for a sentence, never rounding a few cases to none.

    Parameters
    ----------
    fraction : float
        The share, 0 to 1.

    Returns
    -------
    str
        ``"none"``, ``"under 1%"``, ``"45%"``, ``"over 99%"`` or ``"all"``.

    Examples
    --------
    >>> [share(x) for x in (0.0, 0.003, 0.449, 0.996, 1.0)]
    ['none', 'under 1%', '45%', 'over 99%', 'all']
    """
    if fraction <= 0:
        return "none"
    if fraction >= 1:
        return "all"
    if fraction < 0.005:
        return "under 1%"
    if fraction > 0.995:
        return "over 99%"
    return percent(fraction)


def html_escape(text: object) -> str:
    """Escape any text before it goes into an HTML widget.

    Parameters
    ----------
    text : object
        Anything; converted with ``str``.

    Returns
    -------
    str
        HTML-safe text.

    Examples
    --------
    >>> html_escape("<script>")
    '&lt;script&gt;'
    """
    return html.escape(str(text), quote=True)
