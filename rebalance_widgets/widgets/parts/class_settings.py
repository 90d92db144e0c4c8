"""Class settings: one file an instructor writes to set every widget's starting values.

A TOML file, found in this order:

1. the path in the environment variable ``REBALANCE_WIDGETS_SETTINGS`` (``rebalance-widgets
   serve --settings FILE`` sets it for every lesson's kernel);
2. ``rebalance-widgets.toml`` in the folder the kernel runs in (the lessons' folder);
3. none: the kit's own defaults.

Every key is optional::

    seed = 7                  # the same futures on every learner's screen
    years = 25                # horizon of the simulations, 1 to 60
    futures = 500             # simulated futures, 10 to 5,000
    model = "forward-looking" # historical, forward-looking or resampled
    trading_cost = 0.1        # percent of each trade
    expense_ratio = 0.3       # percent a year (fund fees)
    match = "Our district"    # the employer match picked first

    [matches]                 # more match formulas: [rate %, up to % of pay] tiers
    "Our district" = [[100, 3], [50, 2]]

    [mixes]                   # more named mixes, in percent
    "Class mix" = {stocks = 70, bonds = 25, cash = 5}

A file that cannot be read, or a value out of range, stops with a ``ValueError`` that names
the file and the key: a class should not start on settings nobody meant.
"""

from __future__ import annotations

import functools
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["BUILT_IN_MATCHES", "ENVIRONMENT", "FILE_NAME", "ClassSettings", "class_settings",
           "read_settings"]

ENVIRONMENT = "REBALANCE_WIDGETS_SETTINGS"
"""Environment variable naming the settings file."""
FILE_NAME = "rebalance-widgets.toml"
"""Name of a settings file found in the kernel's folder."""
MODELS = ("historical", "forward-looking", "resampled")
BUILT_IN_MATCHES = (
    "100% of the first 3% + 50% of the next 2%",
    "50% of the first 6%",
    "100% of the first 4%",
    "100% of the first 6%",
    "3% of pay, whatever you put in",
    "No employer money",
)
"""The employer match formulas the contribution planner offers, by name."""
_KEYS = {"seed", "years", "futures", "model", "trading_cost", "expense_ratio", "match",
         "matches", "mixes"}


@dataclass(frozen=True)
class ClassSettings:
    """Starting values for every widget (see the module's docstring for the file).

    Attributes
    ----------
    seed, years, futures : int
        Random seed, horizon in years, number of simulated futures.
    model : str
        Return model: "historical", "forward-looking" or "resampled".
    trading_cost, expense_ratio : float
        Fractions (0.001 = 0.1% of each trade; 0.005 = 0.5% a year).
    match : str or None
        Name of the employer match picked first (a formula of the planner or of ``matches``).
    matches : dict of str to tuple of (float, float)
        Extra match formulas: name -> tiers of (match rate, up to this share of pay), as
        fractions.
    mixes : dict of str to dict of str to float
        Extra named mixes: name -> {"stocks", "bonds", "cash"} fractions adding up to 1.
    source : str
        Where the settings came from (a path, or "the kit's defaults").
    """

    seed: int = 2024
    years: int = 30
    futures: int = 1_000
    model: str = "historical"
    trading_cost: float = 0.001
    expense_ratio: float = 0.005
    match: str | None = None
    matches: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    mixes: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = "the kit's defaults"


def _whole(table: dict, key: str, low: int, high: int, where: str) -> int | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{where}: {key} must be a whole number from {low:,} to {high:,}; "
                         f"got {value!r}.")
    return value


def _percent(value: Any, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value) or not low <= value <= high:
        raise ValueError(f"{what} must be a percent from {low:g} to {high:g}; got {value!r}.")
    return float(value) / 100.0


def _matches(table: Any, where: str) -> dict[str, tuple[tuple[float, float], ...]]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [matches] must be a table of name = [[rate, up to], ...].")
    found = {}
    for name, tiers in table.items():
        what = f"{where}: match {name!r}"
        if not isinstance(tiers, list) or not tiers or not all(
                isinstance(tier, list) and len(tier) == 2 for tier in tiers):
            raise ValueError(f"{what} must be a list of [rate %, up to % of pay] pairs.")
        found[str(name)] = tuple((_percent(rate, 0, 200, f"{what}: a rate"),
                                  _percent(upto, 0, 100, f"{what}: a share of pay"))
                                 for rate, upto in tiers)
    return found


def _mixes(table: Any, where: str) -> dict[str, dict[str, float]]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [mixes] must be a table of name = {{stocks = ..., ...}}.")
    found = {}
    for name, mix in table.items():
        what = f"{where}: mix {name!r}"
        if not isinstance(mix, dict) or not set(mix) <= {"stocks", "bonds", "cash"}:
            raise ValueError(f"{what} may name only stocks, bonds and cash, in percent.")
        shares = {asset: _percent(mix.get(asset, 0), 0, 100, f"{what}: {asset}")
                  for asset in ("stocks", "bonds", "cash")}
        if abs(sum(shares.values()) - 1.0) > 1e-9:
            raise ValueError(f"{what} must add up to 100%.")
        found[str(name)] = shares
    return found


def read_settings(path: str | os.PathLike[str]) -> ClassSettings:
    """Read and check a class settings file.

    Parameters
    ----------
    path : str or path
        A TOML file (see the module's docstring).

    Returns
    -------
    ClassSettings

    Raises
    ------
    ValueError
        When the file is missing or not TOML, names an unknown key, or a value is out of
        range; the message names the file and the key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "class.toml").write_text(chr(10).join(["seed = 7", "trading_cost = 0.25"]))
    >>> settings = read_settings(folder / "class.toml")
    >>> settings.seed, settings.trading_cost
    (7, 0.0025)
    """
    where = str(path)
    try:
        table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"The class settings file {where} cannot be read: {error}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"The class settings file {where} is not TOML: {error}.") from None
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown setting {unknown[0]!r}; the settings are "
                         f"{', '.join(sorted(_KEYS))}.")
    values: dict[str, Any] = {"source": where}
    for key, low, high in (("seed", 0, 2**32 - 1), ("years", 1, 60), ("futures", 10, 5_000)):
        value = _whole(table, key, low, high, where)
        if value is not None:
            values[key] = value
    if "model" in table:
        if table["model"] not in MODELS:
            raise ValueError(f"{where}: model must be one of {', '.join(MODELS)}; got "
                             f"{table['model']!r}.")
        values["model"] = table["model"]
    for key, high in (("trading_cost", 10.0), ("expense_ratio", 5.0)):
        if key in table:
            values[key] = _percent(table[key], 0, high, f"{where}: {key}")
    values["matches"] = _matches(table.get("matches", {}), where)
    values["mixes"] = _mixes(table.get("mixes", {}), where)
    if "match" in table:
        known = (*BUILT_IN_MATCHES, *values["matches"])
        if not isinstance(table["match"], str) or table["match"] not in known:
            raise ValueError(f"{where}: match {table['match']!r} is not one of the formulas: "
                             f"{', '.join(known)}.")
        values["match"] = table["match"]
    return ClassSettings(**values)


@functools.cache
def class_settings() -> ClassSettings:
    """Return the settings in force for this process (read once; see the module's docstring).

    Returns
    -------
    ClassSettings

    Raises
    ------
    ValueError
        When the file named, or found, is not a valid settings file.
    """
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        return read_settings(named)
    local = Path.cwd() / FILE_NAME
    return read_settings(local) if local.is_file() else ClassSettings()
