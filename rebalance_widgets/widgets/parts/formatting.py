"""Numbers and text formatted for the sentences under charts: dollars, percents, safe HTML."""

from __future__ import annotations

import html

__all__ = ["html_escape", "money", "percent"]


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
