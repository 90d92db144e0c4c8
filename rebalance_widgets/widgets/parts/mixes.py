"""Mixes of asset classes: check one, move one share, say one in words.

Plain functions used by the allocation widgets (and the others that take a ``target``
mix). A mix is a mapping asset class -> share (fractions adding up to 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import traitlets

from rebalance_widgets.widgets.parts.inputs import percent

__all__ = ["ASSETS", "check_mix", "describe_mix", "rescale", "valid_mix"]

#: The asset classes of every widget, in display order.
ASSETS = ("stocks", "bonds", "cash")


def check_mix(mix: Mapping[str, float], assets: Iterable[str]) -> dict[str, float]:
    """Check a mix (asset -> share) and return it in asset order, adding up to exactly 1.

    Parameters
    ----------
    mix : mapping of str to float
        Shares (fractions). Assets missing from ``mix`` count as 0.
    assets : iterable of str
        The asset classes allowed, in display order.

    Returns
    -------
    dict
        Asset -> share, in ``assets`` order; a rounding residual above 1e-12 (and under
        1e-6) is put on the largest share so the total is 1 within 1e-12.

    Raises
    ------
    ValueError
        For unknown assets, negative or non-numeric shares, or a total away from 100%.

    Examples
    --------
    >>> check_mix({"stocks": 0.6, "bonds": 0.4}, ASSETS)
    {'stocks': 0.6, 'bonds': 0.4, 'cash': 0.0}
    """
    order = tuple(assets)
    unknown = [name for name in mix if name not in order]
    if unknown:
        raise ValueError(
            f"Unknown asset class {', '.join(map(str, unknown))}; use {', '.join(order)}."
        )
    out: dict[str, float] = {}
    for name in order:
        share = mix.get(name, 0.0)
        try:
            number = float(share)
        except (TypeError, ValueError):
            raise ValueError(f"The share of {name} must be a number; got {share!r}.") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"The share of {name} must be a number; got {share!r}.")
        if number < 0:
            raise ValueError(f"The share of {name} cannot be negative; got {number:.0%}.")
        out[name] = number
    total = sum(out.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"Weights must add up to 100%; these add up to {total * 100:.4g}%.")
    if abs(total - 1.0) > 1e-12:
        largest = max(out, key=out.__getitem__)
        out[largest] += 1.0 - sum(out.values())
    return out


def valid_mix(proposal: Mapping[str, object], assets: Iterable[str] = ASSETS) -> dict[str, float]:
    """Check the mix in a ``@traitlets.validate`` proposal, as :func:`check_mix` does.

    Parameters
    ----------
    proposal : mapping
        The proposal handed to a validator; its ``"value"`` is the mix.
    assets : iterable of str, default ASSETS
        The asset classes allowed, in display order.

    Returns
    -------
    dict
        The checked mix.

    Raises
    ------
    traitlets.TraitError
        With :func:`check_mix`'s sentence as-is, so the trait keeps its last good value.

    Examples
    --------
    >>> valid_mix({"value": {"stocks": 1.0}})
    {'stocks': 1.0, 'bonds': 0.0, 'cash': 0.0}
    """
    try:
        return check_mix(proposal["value"], assets)  # type: ignore[arg-type]
    except ValueError as error:
        raise traitlets.TraitError(str(error)) from None


def rescale(
    mix: Mapping[str, float],
    moved: str,
    new_share: float,
    locked: Iterable[str] = (),
    step: float | None = 0.01,
) -> dict[str, float]:
    """Move one share and rescale the unlocked others in proportion, keeping the total 100%.

    The moved share is limited to what the locked shares leave (if every other asset is
    locked it cannot move at all). The room left is shared among the unlocked others in
    proportion to their current shares (equally if they are all 0). With ``step`` (1%) the
    others land on whole steps (largest remainders get the leftover steps), so the shares
    shown add up to 100%.

    Parameters
    ----------
    mix : mapping of str to float
        The current mix, adding up to 1.
    moved : str
        The asset whose share the person moved.
    new_share : float
        Its requested share.
    locked : iterable of str
        Assets whose shares must not change.
    step : float or None, default 0.01
        Grid of the others' shares; ``None`` for exact proportions.

    Returns
    -------
    dict
        The new mix (same keys and order), adding up to 1 within 1e-12; locked shares
        unchanged.

    Examples
    --------
    >>> rescale({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.8)
    {'stocks': 0.8, 'bonds': 0.15, 'cash': 0.05}
    >>> rescale({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.8, locked=["cash"])
    {'stocks': 0.8, 'bonds': 0.1, 'cash': 0.1}
    """
    if moved not in mix:
        raise ValueError(f"Unknown asset class {moved!r}; use {', '.join(mix)}.")
    fixed = {name for name in locked if name in mix and name != moved}
    others = [name for name in mix if name != moved and name not in fixed]
    room = max(0.0, 1.0 - sum(mix[name] for name in fixed))
    share = room if not others else min(max(float(new_share), 0.0), room)
    rest = room - share
    out = dict(mix)
    out[moved] = share
    if others:
        current = [max(mix[name], 0.0) for name in others]
        total = sum(current)
        weights = [c / total for c in current] if total > 0 else [1 / len(others)] * len(others)
        parts = [rest * w for w in weights]
        units = rest / step if step else 0.0
        if step and abs(units - round(units)) < 1e-6:
            parts = _on_grid(parts, int(round(units)), step)
        for name, part in zip(others, parts, strict=True):
            out[name] = part
        residual = 1.0 - sum(out.values())
        if abs(residual) > 1e-12:
            largest = max(others, key=out.__getitem__)
            out[largest] = max(0.0, out[largest] + residual)
    return out


def _on_grid(parts: list[float], units: int, step: float) -> list[float]:
    """Round parts to whole steps that add up to ``units`` steps (largest remainders)."""
    exact = [p / step for p in parts]
    whole = [int(e + 1e-9) for e in exact]
    order = sorted(range(len(parts)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in order[: max(0, units - sum(whole))]:
        whole[i] += 1
    return [round(w * step, 10) for w in whole]


def describe_mix(mix: Mapping[str, float]) -> str:
    """Say a mix in words: ``"60% stocks, 35% bonds and 5% cash"``.

    Parameters
    ----------
    mix : mapping of str to float
        Asset -> share.

    Returns
    -------
    str
        The shares in words (assets with 0% left out).

    Examples
    --------
    >>> describe_mix({"stocks": 0.8, "bonds": 0.2, "cash": 0.0})
    '80% stocks and 20% bonds'
    """
    parts = [f"{percent(share)} {name}" for name, share in mix.items() if share > 0.0005]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
