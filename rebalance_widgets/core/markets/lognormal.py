"""A lognormal market drawn month by month, matched to annual moments.

Importable from :mod:`rebalance_widgets.core.markets`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np

from rebalance_widgets.core._checks import check_count

_CHUNK_DRAWS = 1 << 15  # normal draws per chunk of sample(): small enough to stay in cache


def _percent(value: float) -> str:
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


class MixStats(NamedTuple):
    """Expected annual return and volatility of a mix of assets."""

    expected_return: float
    volatility: float


def _as_numbers(values: Any, what: str, count: int, assets: tuple[str, ...]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or len(array) != count:
        raise ValueError(
            f"Give one {what} per asset: {count} assets ({', '.join(assets)}) but "
            f"{array.size} {what} value(s)."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"Every {what} must be a number; got {values!r}.")
    return array


def _correlation_factor(correlation: np.ndarray) -> np.ndarray:
    """Return F with F @ F.T == correlation (Cholesky, or eigenvalues if singular)."""
    try:
        return np.linalg.cholesky(correlation)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(correlation)
        return vectors * np.sqrt(np.clip(values, 0.0, None))


@dataclass(frozen=True)
class Lognormal:
    """A market whose annual gross returns are lognormal, drawn month by month.

    Each asset's annual simple return has exactly the stated arithmetic mean ``expected`` and
    standard deviation ``volatility``: the annual log return is normal with variance
    ``s2 = log(1 + volatility**2 / (1 + expected)**2)`` and mean
    ``log(1 + expected) - s2 / 2``. A period's log return is normal with 1/12 of that mean
    and variance (monthly periods), independent across periods, so twelve compounded
    months give the annual figures exactly. ``correlation`` is the correlation of the
    *log* returns (annual and monthly alike); the simple returns' correlation is slightly
    smaller in size (:attr:`simple_correlation`).

    Parameters
    ----------
    expected : sequence of float
        Annual arithmetic expected returns (0.07 = 7%), each above -100%.
    volatility : sequence of float
        Annual standard deviations of simple returns, each 0 or more.
    correlation : square matrix or None
        Correlations of log returns; symmetric, ones on the diagonal, positive
        semi-definite. ``None``: uncorrelated.
    assets : tuple of str
        Asset names, one per expected return.
    periods_per_year : int
        Periods in a year (12: monthly draws).

    Examples
    --------
    >>> market = Lognormal(expected=(0.07, 0.03), volatility=(0.16, 0.05),
    ...                    correlation=((1.0, 0.1), (0.1, 1.0)), assets=("stocks", "bonds"))
    >>> market.sample(1000, 360, rng=42).shape
    (1000, 360, 2)
    >>> round(market.annual_stats([0.6, 0.4]).expected_return, 4)
    0.054
    """

    expected: tuple[float, ...]
    volatility: tuple[float, ...]
    correlation: tuple[tuple[float, ...], ...] | None = None
    assets: tuple[str, ...] = ("stocks", "bonds", "cash")
    periods_per_year: int = 12
    _drift: np.ndarray = field(init=False, repr=False, compare=False)
    _factor: np.ndarray = field(init=False, repr=False, compare=False)
    _log_sd: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        assets = tuple(str(name) for name in self.assets)
        count = len(assets)
        if count == 0 or len(set(assets)) != count:
            raise ValueError("Give each asset a different name, at least one.")
        periods = check_count(self.periods_per_year, "periods per year")
        expected = _as_numbers(self.expected, "expected return", count, assets)
        volatility = _as_numbers(self.volatility, "volatility", count, assets)
        for name, mean, vol in zip(assets, expected, volatility, strict=True):
            if mean <= -1:
                raise ValueError(
                    f"The expected return of {name} must be above -100%; got {_percent(mean)}."
                )
            if vol < 0:
                raise ValueError(
                    f"The volatility of {name} cannot be negative; got {_percent(vol)}."
                )
        correlation = self._checked_correlation(count)
        log_variance = np.log1p((volatility / (1.0 + expected)) ** 2)
        log_sd = np.sqrt(log_variance)
        drift = (np.log1p(expected) - log_variance / 2) / periods
        factor = log_sd[:, None] * _correlation_factor(correlation) / math.sqrt(periods)
        settings = {
            "assets": assets,
            "periods_per_year": periods,
            "expected": tuple(float(x) for x in expected),
            "volatility": tuple(float(x) for x in volatility),
            "correlation": tuple(tuple(float(x) for x in row) for row in correlation),
            "_drift": drift,
            "_factor": factor,
            "_log_sd": log_sd,
        }
        for name, value in settings.items():
            object.__setattr__(self, name, value)

    def _checked_correlation(self, count: int) -> np.ndarray:
        if self.correlation is None:
            return np.eye(count)
        try:
            matrix = np.array(self.correlation, dtype=np.float64)
        except (ValueError, TypeError) as error:
            raise ValueError("The correlations must be a square table of numbers.") from error
        if matrix.shape != (count, count):
            raise ValueError(
                f"The correlations must be a {count} by {count} table, one row and column per "
                f"asset; got shape {matrix.shape}."
            )
        if not np.all(np.isfinite(matrix)):
            raise ValueError("Every correlation must be a number.")
        if not np.allclose(np.diag(matrix), 1.0, rtol=0, atol=1e-9):
            raise ValueError("Each asset's correlation with itself (the diagonal) must be 1.")
        if not np.allclose(matrix, matrix.T, rtol=0, atol=1e-9):
            raise ValueError("The correlations must be symmetric: A with B equals B with A.")
        if np.any(np.abs(matrix) > 1 + 1e-9):
            raise ValueError("Every correlation must lie between -1 and 1.")
        matrix = (matrix + matrix.T) / 2
        if np.linalg.eigvalsh(matrix)[0] < -1e-9:
            raise ValueError(
                "These correlations cannot all hold at once (the table is not positive "
                "semi-definite); make the strongest ones weaker."
            )
        return matrix

    @property
    def simple_correlation(self) -> np.ndarray:
        """Correlation of the annual simple returns implied by the log correlation."""
        log_cov = np.array(self.correlation) * np.outer(self._log_sd, self._log_sd)
        spread = np.sqrt(np.expm1(self._log_sd**2))
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.expm1(log_cov) / np.outer(spread, spread)
        result[~np.isfinite(result)] = 0.0
        np.fill_diagonal(result, 1.0)
        return result

    def annual_covariance(self) -> np.ndarray:
        """Covariance matrix of the annual simple returns (exact under the model).

        Returns
        -------
        numpy.ndarray
            ``(1 + m_i)(1 + m_j)(exp(rho_ij s_i s_j) - 1)`` with ``s`` the annual log
            standard deviations; its diagonal is ``volatility**2``.

        Examples
        --------
        >>> Lognormal((0.05,), (0.1,), assets=("stocks",)).annual_covariance().round(6)
        array([[0.01]])
        """
        gross = 1.0 + np.array(self.expected)
        log_cov = np.array(self.correlation) * np.outer(self._log_sd, self._log_sd)
        return np.outer(gross, gross) * np.expm1(log_cov)

    def _check_weights(self, weights: Any) -> np.ndarray:
        array = _as_numbers(weights, "weight", len(self.assets), self.assets)
        if np.any(array < 0):
            raise ValueError("Weights cannot be negative.")
        total = float(array.sum())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"Weights must add up to 100%; these add up to {_percent(total)}.")
        return array

    def annual_stats(self, weights: Any) -> MixStats:
        """Give the expected return and volatility of a mix held for one year.

        Closed form from the annual moments. The mix is bought at ``weights`` and held for
        the year without trading, so its annual return is ``weights @ annual returns``
        exactly: mean ``weights @ expected`` and variance
        ``weights @ annual_covariance() @ weights``.

        Parameters
        ----------
        weights : sequence of float
            One weight per asset, 0 or more, adding up to 1.

        Returns
        -------
        MixStats
            ``expected_return`` and ``volatility`` (annual, simple).

        Examples
        --------
        >>> market = Lognormal((0.08, 0.03), (0.2, 0.0), assets=("stocks", "cash"))
        >>> stats = market.annual_stats([0.5, 0.5])
        >>> round(stats.expected_return, 4), round(stats.volatility, 4)
        (0.055, 0.1)
        """
        array = self._check_weights(weights)
        mean = float(array @ np.array(self.expected))
        variance = float(array @ self.annual_covariance() @ array)
        return MixStats(mean, math.sqrt(max(variance, 0.0)))

    def one_year_range(self, weights: Any, low: float = 0.05, high: float = 0.95
                       ) -> tuple[float, float]:
        """Range of one-year returns of a mix: its ``low`` and ``high`` percentiles.

        A lognormal approximation (no simulation, no randomness): the mix's gross annual
        return is treated as lognormal with the exact mean and volatility from
        :meth:`annual_stats`. For a single asset this is exact; for long-only mixes it is
        close (within about half a percentage point at 5%/95% for typical stock/bond mixes).

        Parameters
        ----------
        weights : sequence of float
            One weight per asset, 0 or more, adding up to 1.
        low, high : float
            Percentiles as fractions, ``0 < low < high < 1``.

        Returns
        -------
        tuple of float
            One-year simple returns at the ``low`` and ``high`` percentiles.

        Examples
        --------
        >>> market = Lognormal((0.07,), (0.0,), assets=("cash",))
        >>> tuple(round(x, 4) for x in market.one_year_range([1.0]))
        (0.07, 0.07)
        """
        if not 0 < low < high < 1:
            raise ValueError(
                f"Percentiles must satisfy 0 < low < high < 1; got low={low}, high={high}."
            )
        mean, volatility = self.annual_stats(weights)
        log_variance = math.log1p((volatility / (1.0 + mean)) ** 2)
        log_mean = math.log1p(mean) - log_variance / 2
        normal = NormalDist()
        spread = math.sqrt(log_variance)
        return (
            math.expm1(log_mean + normal.inv_cdf(low) * spread),
            math.expm1(log_mean + normal.inv_cdf(high) * spread),
        )

    def sample(self, n_paths: int, n_periods: int, rng: Any = None) -> np.ndarray:
        """Draw random paths of per-period simple returns.

        Parameters
        ----------
        n_paths, n_periods : int
            Number of paths and periods (months) per path.
        rng : numpy.random.Generator, int or None
            Source of randomness; the same seed gives the same paths.

        Returns
        -------
        numpy.ndarray
            Shape (n_paths, n_periods, n_assets), float64.

        Examples
        --------
        >>> Lognormal((0.07, 0.03, 0.02), (0.16, 0.06, 0.01)).sample(2, 12, rng=0).shape
        (2, 12, 3)
        """
        n_paths = check_count(n_paths, "paths")
        n_periods = check_count(n_periods, "periods")
        rng = np.random.default_rng(rng)
        count = len(self.assets)
        out = np.empty((n_paths, n_periods, count), dtype=np.float64)
        factor_t = np.ascontiguousarray(self._factor.T)
        rows = max(1, _CHUNK_DRAWS // (n_periods * count))
        scratch = np.empty((min(rows, n_paths), n_periods, count), dtype=np.float64)
        # Chunks of paths keep the scratch small and in cache; draws are made in the same
        # order as one big draw, so the result does not depend on the chunk size.
        for first in range(0, n_paths, rows):
            shocks = scratch[: min(rows, n_paths - first)]
            rng.standard_normal(out=shocks, dtype=np.float64)
            chunk = out[first : first + len(shocks)]
            np.matmul(shocks, factor_t, out=chunk)
            chunk += self._drift
            np.expm1(chunk, out=chunk)
        return out
