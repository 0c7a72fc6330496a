"""
Small statistics in pure Python: normal and t quantiles, Wilson, and more.

``bounded_mean`` is the adjusted-Wald interval of a mean on a bounded
scale.

The core may not depend on scipy, so the Student t quantile is computed
here from the regularized incomplete beta function (Lentz's continued
fraction, as in Numerical Recipes section 6.4) and Newton's method; the
tests hold it against ``scipy.stats.t.ppf`` to 1e-9.
"""

from __future__ import annotations

import functools
import math
from statistics import NormalDist

from servicecore.errors import InvalidValueError

_STANDARD = NormalDist()
_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 300
# Above this many degrees of freedom, the lgamma differences in the t
# density lose digits; the Cornish-Fisher expansion is exact to 1e-15 there.
_LARGE_DF = 1e5


def check_confidence(confidence: float, location: str = "confidence") -> None:
    """Refuse a confidence level outside the open interval (0, 1)."""
    if not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise InvalidValueError(
            location,
            f"confidence level {confidence!r} must be between 0 and 1, "
            "e.g. 0.95",
        )


@functools.cache
def z_value(confidence: float) -> float:
    """Return the two-sided standard normal quantile for *confidence*."""
    return _STANDARD.inv_cdf(1 - (1 - confidence) / 2)


def normal_two_sided_p(z: float) -> float:
    """Return the two-sided p-value of a standard normal statistic *z*."""
    return min(1.0, 2 * _STANDARD.cdf(-abs(z)))


def wilson(share: float, n: float, confidence: float) -> tuple[float, float]:
    """
    Return the Wilson score interval of a proportion.

    *share* is the observed proportion and *n* the (effective) sample size:
    centre ``(p + z^2/2n) / (1 + z^2/n)``, half width
    ``z / (1 + z^2/n) * sqrt(p(1 - p)/n + z^2/4n^2)``.
    """
    z = z_value(confidence)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = (
        z / denominator * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    )
    # The bounds bracket the share exactly; clamping removes rounding
    # residue such as a lower bound of 3e-17 for a share of 0.
    return max(0.0, min(share, centre - half)), min(
        1.0, max(share, centre + half)
    )


def bounded_mean(
    mean: float,
    second_moment: float,
    n: float,
    *,
    low: float,
    high: float,
    confidence: float,
) -> tuple[float, float]:
    """
    Return the adjusted-Wald interval of a mean on the scale *low*-*high*.

    Agresti and Coull's adjustment (1998) carried from a proportion to a
    bounded scale: add ``z^2/2`` pseudo-answers at each end of the scale,
    then take the Wald interval of the adjusted mean ``m~`` with the
    adjusted variance and ``n + z^2`` answers. On a two-point scale it is
    exactly the Agresti-Coull interval. Answers piled at one value (all 7)
    no longer give a zero-width interval. The bounds are clipped to the
    scale and bracket the observed *mean*.

    *second_moment* is the mean of the squared answers; *n* the (effective)
    count.

    >>> bounds = bounded_mean(7.0, 49.0, 30, low=1.0, high=7.0, confidence=0.95)
    >>> [round(b, 4) for b in bounds]
    [6.1917, 7.0]
    """
    z = z_value(confidence)
    extra = z * z / 2
    total = n + 2 * extra
    centre = (mean * n + extra * (low + high)) / total
    spread = (second_moment * n + extra * (low * low + high * high)) / total
    half = z * math.sqrt(max(0.0, spread - centre * centre) / total)
    return (
        max(low, min(mean, centre - half)),
        min(high, max(mean, centre + half)),
    )


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1 / d
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """Return the regularized incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast below the mean a / (a + b);
    # above it, use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Return the Student t distribution function at *t*, *df* > 0."""
    tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t > 0 else tail


def _t_pdf(t: float, df: float) -> float:
    log_pdf = (
        math.lgamma((df + 1) / 2)
        - math.lgamma(df / 2)
        - 0.5 * math.log(df * math.pi)
        - (df + 1) / 2 * math.log1p(t * t / df)
    )
    return math.exp(log_pdf)


@functools.lru_cache(maxsize=4096)
def t_value(confidence: float, df: float) -> float:
    """Return the two-sided Student t quantile for *confidence*, *df*."""
    if df >= _LARGE_DF:
        z = z_value(confidence)
        z3, z5 = z**3, z**5
        return (
            z
            + (z3 + z) / (4 * df)
            + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
        )
    target = 1 - (1 - confidence) / 2
    low, high = 0.0, 1.0
    while t_cdf(high, df) < target:
        low, high = high, high * 2
    t = z_value(confidence)
    t = t if low <= t <= high else (low + high) / 2
    # Newton's method, kept inside the bracket by bisection when it strays.
    for _ in range(_MAX_ITER):
        error = t_cdf(t, df) - target
        if error > 0:
            high = t
        else:
            low = t
        step = error / _t_pdf(t, df)
        candidate = t - step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - t) < 1e-13 * max(1.0, t):
            return candidate
        t = candidate
    return t
