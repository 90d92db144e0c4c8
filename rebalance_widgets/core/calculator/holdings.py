"""Holdings for the rebalance calculator: one fund, what it holds, how many dollars.

A fund holds one asset class (``"stocks"``) or a mix seen through to its asset classes
(a target-date or balanced fund: ``{"stocks": 0.9, "bonds": 0.1}``). Amounts are dollars,
kept to the cent. :func:`parse_holdings_csv` reads the same thing from CSV text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from math import isfinite
from pathlib import Path

__all__ = ["Holding", "parse_holdings_csv", "parse_mix", "read_holdings_csv"]

CSV_COLUMNS = ("fund", "asset_class", "amount")
MAX_HOLDING = 1e11


@dataclass(frozen=True)
class Holding:
    """One fund in the account.

    Parameters
    ----------
    name : str
        The fund's name.
    asset_class : str or mapping
        One asset class (``"stocks"``) or a look-through mix (``{"stocks": 0.9,
        "bonds": 0.1}``) whose shares add up to 1.
    amount : float
        Dollars held, 0 or more; kept to the cent.

    Examples
    --------
    >>> Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 20_000).mix
    {'stocks': 0.9, 'bonds': 0.1}
    """

    name: str
    asset_class: str | Mapping[str, float]
    amount: float

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("Every fund needs a name; one name is blank.")
        object.__setattr__(self, "name", self.name.strip())
        if isinstance(self.asset_class, str):
            label = self.asset_class.strip()
            if not label:
                raise ValueError(f"The asset class of '{self.name}' is blank.")
            object.__setattr__(self, "asset_class", label)
        elif isinstance(self.asset_class, Mapping):
            object.__setattr__(self, "asset_class", _check_mix(self.asset_class, self.name))
        else:
            raise ValueError(
                f"The asset class of '{self.name}' must be a name like 'stocks' or a mix like "
                f"{{'stocks': 0.9, 'bonds': 0.1}}; got {self.asset_class!r}."
            )
        amount = self.amount
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            try:
                amount = float(amount)  # numpy numbers
            except (TypeError, ValueError):
                raise ValueError(
                    f"The amount of '{self.name}' must be a number of dollars; got {amount!r}."
                ) from None
        if not isfinite(amount):
            raise ValueError(f"The amount of '{self.name}' must be a number of dollars.")
        if amount < 0:
            raise ValueError(
                f"The amount of '{self.name}' is negative (${amount:,.2f}). Amounts are what "
                "you hold, so they cannot be below 0."
            )
        if amount > MAX_HOLDING:
            raise ValueError(
                f"The amount of '{self.name}' (${amount:,.0f}) is more than this calculator "
                f"handles (${MAX_HOLDING:,.0f})."
            )
        object.__setattr__(self, "amount", round(float(amount), 2))

    @property
    def is_mixed(self) -> bool:
        """True for a look-through fund (more than one asset class)."""
        return not isinstance(self.asset_class, str) and len(self.asset_class) > 1

    @property
    def mix(self) -> dict[str, float]:
        """Asset class -> share of this fund (a single-class fund gives ``{class: 1.0}``)."""
        if isinstance(self.asset_class, str):
            return {self.asset_class: 1.0}
        return dict(self.asset_class)

    @property
    def single_class(self) -> str | None:
        """The one asset class this fund holds, or ``None`` for a mixed fund."""
        mix = self.mix
        return next(iter(mix)) if len(mix) == 1 else None


def _check_mix(mix: Mapping[str, float], fund: str) -> dict[str, float]:
    if not mix:
        raise ValueError(f"The mix of '{fund}' is empty.")
    checked: dict[str, float] = {}
    for label, share in mix.items():
        name = str(label).strip()
        if not name:
            raise ValueError(f"The mix of '{fund}' has a blank asset class.")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not isfinite(share):
            raise ValueError(f"The {name} share of '{fund}' must be a number; got {share!r}.")
        if not 0 <= share <= 1:
            raise ValueError(
                f"The {name} share of '{fund}' must be between 0 and 1 (90% is 0.9); got {share}."
            )
        if name in checked:
            raise ValueError(f"The mix of '{fund}' names {name} twice.")
        if share > 0:
            checked[name] = float(share)
    total = sum(checked.values())
    if abs(total - 1) > 1e-6:
        raise ValueError(
            f"The mix of '{fund}' must add up to 100%; it adds up to {total * 100:.4g}%."
        )
    return checked


def _share_text(text: str) -> float:
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    value = float(cleaned.rstrip("%").strip())
    return value / 100 if percent else value


def parse_mix(text: str, fund: str = "this fund") -> str | dict[str, float]:
    """Read an asset class cell: ``"stocks"`` or a mix like ``"stocks:0.9;bonds:0.1"``.

    Shares may be fractions (``0.9``) or percents (``90%``).

    Parameters
    ----------
    text : str
        The cell.
    fund : str
        The fund's name, for messages.

    Returns
    -------
    str or dict
        One asset class, or asset class -> share.

    Examples
    --------
    >>> parse_mix("stocks: 90%; bonds: 10%")
    {'stocks': 0.9, 'bonds': 0.1}
    """
    cell = text.strip()
    if not cell:
        raise ValueError(f"The asset class of '{fund}' is blank.")
    if ":" not in cell:
        return cell
    mix: dict[str, float] = {}
    for part in cell.split(";"):
        if not part.strip():
            continue
        label, sep, share = part.partition(":")
        if not sep or not label.strip():
            raise ValueError(
                f"The mix of '{fund}' should look like stocks:0.9;bonds:0.1; got '{cell}'."
            )
        try:
            mix[label.strip()] = _share_text(share)
        except ValueError:
            raise ValueError(
                f"In the mix of '{fund}', the share of {label.strip()} ('{share.strip()}') is "
                "not a number."
            ) from None
    return _check_mix(mix, fund)


def _amount_text(text: str, row: int, fund: str) -> float:
    cleaned = text.strip().replace("$", "").replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError(f"Row {row}: the amount of '{fund}' is blank.")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            f"Row {row}: the amount of '{fund}' ('{text.strip()}') is not a number. "
            "Type dollars like 30000 or 30000.50."
        ) from None
    if not isfinite(value):
        raise ValueError(f"Row {row}: the amount of '{fund}' ('{text.strip()}') is not a number.")
    if value < 0:
        raise ValueError(
            f"Row {row}: the amount of '{fund}' is negative ({text.strip()}). Amounts are what "
            "you hold, so they cannot be below 0."
        )
    return value


def parse_holdings_csv(text: str) -> list[Holding]:
    r"""Read holdings from CSV text with the columns ``fund``, ``asset_class``, ``amount``.

    Column names ignore case and spaces; ``class`` is also accepted for ``asset_class``.
    Amounts may carry a ``$`` and thousands separators. Blank lines are skipped. Row numbers
    in messages count the header as row 1, as a spreadsheet does.

    Parameters
    ----------
    text : str
        The CSV file's content.

    Returns
    -------
    list of Holding
        In file order.

    Examples
    --------
    >>> rows = "fund,asset_class,amount\nS&P 500 Index,stocks,30000\n"
    >>> parse_holdings_csv(rows)[0].amount
    30000.0
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The CSV is empty. It needs the columns fund, asset_class, amount.")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader)
    names = [cell.strip().lower().replace(" ", "_") for cell in header]
    names = ["asset_class" if name == "class" else name for name in names]
    missing = [column for column in CSV_COLUMNS if column not in names]
    if missing:
        raise ValueError(
            f"The CSV needs the columns fund, asset_class, amount; it has "
            f"{', '.join(cell.strip() for cell in header) or 'none'}. "
            f"Missing: {', '.join(missing)}."
        )
    where = {column: names.index(column) for column in CSV_COLUMNS}
    holdings = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: row[i] if i < len(row) else "" for column, i in where.items()}
        fund = cells["fund"].strip()
        if not fund:
            raise ValueError(f"Row {row_number}: the fund name is blank.")
        if not cells["asset_class"].strip():
            raise ValueError(f"Row {row_number}: the asset class of '{fund}' is blank.")
        mix = parse_mix(cells["asset_class"], fund)
        amount = _amount_text(cells["amount"], row_number, fund)
        holdings.append(Holding(fund, mix, amount))
    if not holdings:
        raise ValueError("The CSV has a header but no holdings.")
    return holdings


def read_holdings_csv(path: str | Path) -> list[Holding]:
    """Read holdings from a CSV file (see :func:`parse_holdings_csv`)."""
    return parse_holdings_csv(Path(path).read_text(encoding="utf-8-sig"))
