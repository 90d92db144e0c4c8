"""Numbers and text formatted for the sentences under charts: dollars, percents, safe HTML."""

from __future__ import annotations

import html
import uuid

__all__ = ["html_escape", "money", "percent", "share", "titled_table"]


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


def titled_table(title: str, rows: str, style: str) -> str:
    """Write an HTML table under its title, the title a paragraph that names the table.

    A ``<caption>`` is as wide as its table, so on a phone, where a wide table scrolls
    sideways inside its column, its words run past the screen; a paragraph wraps to the
    column, and ``aria-labelledby`` still gives the table its name.

    Parameters
    ----------
    title : str
        The title, already HTML-escaped.
    rows : str
        The table's inside (``<thead>...</tbody>``).
    style : str
        CSS of the table.

    Returns
    -------
    str
        The paragraph and the table.

    Examples
    --------
    >>> titled_table("Trades", "<tbody></tbody>", "").startswith('<p id="rebalance-table-')
    True
    """
    key = f"rebalance-table-{uuid.uuid4().hex[:10]}"
    return (f'<p id="{key}" style="font-weight:bold;margin:4px 0;max-width:46em">{title}</p>'
            f'<table class="rebalance-table" aria-labelledby="{key}" style="{style}">{rows}'
            "</table>")
