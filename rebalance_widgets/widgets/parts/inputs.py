"""What a person types, read into numbers; the server caps (formatting lives in ``formatting``).

Every parser raises ``ValueError`` with a sentence a learner can act on, e.g.
"Salary must be a number, like 25,000; you typed “abc”." Widgets show it as-is.
"""

from __future__ import annotations

import math
import re

from rebalance_widgets.widgets.parts.class_settings import class_settings
from rebalance_widgets.widgets.parts.formatting import html_escape, money, percent

__all__ = [
    "DEFAULT_COST_RATE",
    "DEFAULT_EXPENSE_RATIO",
    "DEFAULT_MODEL",
    "DEFAULT_PATHS",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "MAX_AMOUNT",
    "MAX_PATHS",
    "MAX_SEED",
    "MAX_YEARS",
    "MIN_PATHS",
    "PERIODS_PER_YEAR",
    "clamp_paths",
    "clamp_years",
    "html_escape",
    "money",
    "parse_amount",
    "parse_number",
    "parse_percent",
    "parse_seed",
    "parse_whole_number",
    "parse_year",
    "percent",
]

_CLASS = class_settings()  # an instructor's file, if any, sets the defaults below
#: Default number of simulated futures.
DEFAULT_PATHS = _CLASS.futures
#: Default horizon in years.
DEFAULT_YEARS = _CLASS.years
#: Default seed, so a class sees the same futures on every screen.
DEFAULT_SEED = _CLASS.seed
#: Default return model.
DEFAULT_MODEL = _CLASS.model
#: Default trading cost, as a fraction of each trade.
DEFAULT_COST_RATE = _CLASS.trading_cost
#: Default fund fee, as a fraction a year.
DEFAULT_EXPENSE_RATIO = _CLASS.expense_ratio
#: Most simulated futures a visitor may ask for (protects a shared server).
MAX_PATHS = 5_000
#: Fewest simulated futures that still give a readable range.
MIN_PATHS = 10
#: Longest horizon a visitor may ask for, in years.
MAX_YEARS = 60
#: Steps per year in every simulation (monthly).
PERIODS_PER_YEAR = 12
#: Largest dollar amount any box accepts ($1 billion).
MAX_AMOUNT = 1e9
#: Largest seed accepted.
MAX_SEED = 2**32 - 1


def _shown(text: str, limit: int = 40) -> str:
    """Quote what the person typed, shortened, for a message."""
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


# --------------------------------------------------------------------------- parsers
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _clean_number(text: str) -> str:
    cleaned = str(text).strip().replace("$", "").replace("_", "")
    cleaned = re.sub(r"(?<=\d),(?=\d{3}(\D|$))", "", cleaned)
    return cleaned.replace(" ", "")


def parse_number(
    text: str,
    *,
    name: str,
    minimum: float | None = None,
    maximum: float | None = None,
    unit: str = "",
    example: str = "25",
) -> float:
    """Read a number typed by a person, or raise a ``ValueError`` that says what to fix.

    Accepts spaces, thousands separators (``12,000``) and a leading ``$``. Refuses blanks,
    letters, ``nan``, ``inf`` and values outside ``[minimum, maximum]``.

    Parameters
    ----------
    text : str
        What was typed.
    name : str
        The box's name as the learner sees it (``"Salary"``), used in messages.
    minimum, maximum : float, optional
        Allowed range, inclusive.
    unit : str, default ""
        ``"$"`` to show limits as dollars, ``"%"`` to show them as percents, else plain.
    example : str, default "25"
        A valid example shown in the message.

    Returns
    -------
    float
        The number.

    Raises
    ------
    ValueError
        With a sentence such as "Salary must be a number, like 60,000; you typed “abc”."

    Examples
    --------
    >>> parse_number(" 1,250.5 ", name="Amount")
    1250.5
    """
    raw = "" if text is None else str(text)
    if not raw.strip():
        raise ValueError(f"{name} is empty: type a number, like {example}.")
    cleaned = _clean_number(raw)
    if unit == "%" and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if not _NUMBER.match(cleaned):
        raise ValueError(f"{name} must be a number, like {example}; you typed {_shown(raw)}.")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"{name} is too large to use; type a number, like {example}.")

    def show(limit: float) -> str:
        if unit == "$":
            return money(limit)
        if unit == "%":
            return f"{limit:g}%"
        return f"{limit:,g}"

    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {show(minimum)}; you typed {_shown(raw)}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {show(maximum)}; you typed {_shown(raw)}.")
    return value


def parse_amount(
    text: str, *, name: str, minimum: float = 0.0, maximum: float = MAX_AMOUNT
) -> float:
    """Read a dollar amount (``"$12,000"``, ``"12000"``, ``"12000.50"``).

    Parameters
    ----------
    text : str
        What was typed.
    name : str
        The box's name as the learner sees it.
    minimum, maximum : float
        Allowed range in dollars (default 0 to $1 billion).

    Returns
    -------
    float
        Dollars.

    Raises
    ------
    ValueError
        "Salary must be at most $10,000,000; you typed “12,000,000,000”."

    Examples
    --------
    >>> parse_amount("$12,000", name="Amount")
    12000.0
    """
    return parse_number(
        text, name=name, minimum=minimum, maximum=maximum, unit="$", example="25,000"
    )


def parse_percent(text: str, *, name: str, minimum: float = 0.0, maximum: float = 100.0) -> float:
    """Read a percent typed as a percent number (``"6"`` or ``"6%"`` = 6%) as a fraction.

    Parameters
    ----------
    text : str
        What was typed. ``"6"``, ``"6%"`` and ``"6.5 %"`` are all accepted.
    name : str
        The box's name as the learner sees it.
    minimum, maximum : float
        Allowed range in percent points (default 0 to 100).

    Returns
    -------
    float
        The fraction (``"6"`` -> 0.06).

    Raises
    ------
    ValueError
        "Deferral must be at most 100%; you typed “150”."

    Examples
    --------
    >>> parse_percent("6%", name="Deferral")
    0.06
    """
    value = parse_number(
        text, name=name, minimum=minimum, maximum=maximum, unit="%", example="6 (for 6%)"
    )
    return round(value / 100.0, 12)


def parse_whole_number(text: str, *, name: str, minimum: int = 0, maximum: int = 1_000_000) -> int:
    """Read a whole number (``"1,000"``), refusing fractions.

    Parameters
    ----------
    text : str
        What was typed.
    name : str
        The box's name as the learner sees it.
    minimum, maximum : int
        Allowed range.

    Returns
    -------
    int
        The number.

    Raises
    ------
    ValueError
        "Years must be a whole number, like 30; you typed “2.5”."

    Examples
    --------
    >>> parse_whole_number("1,000", name="Paths")
    1000
    """
    example = f"{max(minimum, min(maximum, 30)):,}"
    value = parse_number(text, name=name, minimum=minimum, maximum=maximum, example=example)
    if value != int(value):
        raise ValueError(
            f"{name} must be a whole number, like {example}; you typed {_shown(str(text))}."
        )
    return int(value)


def parse_year(text: str, *, name: str, first: int, last: int) -> int:
    """Read a calendar year from ``first`` to ``last`` (written without a thousands comma).

    Parameters
    ----------
    text : str
        What was typed.
    name : str
        The box's name as the learner sees it.
    first, last : int
        The years the data covers.

    Returns
    -------
    int
        The year.

    Raises
    ------
    ValueError
        "Start year must be a year from 1926 to 2022; you typed “1900”."

    Examples
    --------
    >>> parse_year(" 2008 ", name="Start year", first=1926, last=2022)
    2008
    """
    example = str(min(max(2000, first), last))
    value = parse_number(text, name=name, example=example)
    if value != int(value) or not first <= value <= last:
        raise ValueError(f"{name} must be a year from {first} to {last}; you typed "
                         f"{_shown(str(text))}.")
    return int(value)


def parse_seed(text: str) -> int:
    """Read a random seed (a whole number from 0 to 4,294,967,295).

    Parameters
    ----------
    text : str
        What was typed.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    ValueError
        "Seed must be a whole number, like 2024; ..."

    Examples
    --------
    >>> parse_seed("42")
    42
    """
    raw = "" if text is None else str(text)
    if not raw.strip():
        raise ValueError("Seed is empty: type a whole number, like 2024.")
    cleaned = _clean_number(raw)
    if not re.fullmatch(r"\d+", cleaned):
        raise ValueError(f"Seed must be a whole number, like 2024; you typed {_shown(raw)}.")
    value = int(cleaned)
    if value > MAX_SEED:
        raise ValueError(f"Seed must be at most {MAX_SEED:,}; you typed {_shown(raw)}.")
    return value


# --------------------------------------------------------------------------- caps
def clamp_paths(n_paths: int) -> tuple[int, str | None]:
    """Clamp a number of simulated futures to ``[MIN_PATHS, MAX_PATHS]``.

    Parameters
    ----------
    n_paths : int
        Requested number of paths.

    Returns
    -------
    tuple of (int, str or None)
        The number to use and, if it changed, a note that says so.

    Examples
    --------
    >>> clamp_paths(10_000)
    (5000, 'At most 5,000 simulated futures run on this server, so 5,000 are used.')
    """
    return _clamp(
        n_paths,
        MIN_PATHS,
        MAX_PATHS,
        f"At least {MIN_PATHS:,} simulated futures are needed to show a range, "
        f"so {MIN_PATHS:,} are used.",
        f"At most {MAX_PATHS:,} simulated futures run on this server, so {MAX_PATHS:,} are used.",
    )


def clamp_years(years: int) -> tuple[int, str | None]:
    """Clamp a horizon to ``[1, MAX_YEARS]`` years.

    Parameters
    ----------
    years : int
        Requested number of years.

    Returns
    -------
    tuple of (int, str or None)
        The years to use and, if it changed, a note that says so.

    Examples
    --------
    >>> clamp_years(100)
    (60, 'At most 60 years can be simulated here, so 60 are used.')
    """
    return _clamp(
        years,
        1,
        MAX_YEARS,
        "At least 1 year is needed, so 1 is used.",
        f"At most {MAX_YEARS} years can be simulated here, so {MAX_YEARS} are used.",
    )


def _clamp(value: int, low: int, high: int, below: str, above: str) -> tuple[int, str | None]:
    """Clamp ``value`` to ``[low, high]``, with the note for the side it left by (else None)."""
    if value > high:
        return high, above
    if value < low:
        return low, below
    return int(value), None
