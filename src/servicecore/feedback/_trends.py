"""
Period-over-period change with its significance, and per-period series.

A change compares a *before* and an *after* sample (two periods, two
teams): CSAT with the two-proportion z-test (pooled) and Newcombe's hybrid
score interval for the difference of shares; NPS with the adjusted-Wald
interval for the difference (the two variances add); CES with Welch's
t-test. A change is *significant* when its interval excludes 0, which for
CSAT is also when the z-test's p-value is below ``1 - confidence``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import attrs

from servicecore.feedback._aggregate import (
    Aggregate,
    ScoreKind,
    _kind,
    sorted_keys,
)
from servicecore.feedback._scales import CESScale, CSATScale
from servicecore.feedback._scores import (
    DEFAULT_CONFIDENCE,
    DEFAULT_MINIMUM_SAMPLE,
    CESScore,
    CSATScore,
    Interval,
    NPSScore,
    Tally,
    ces_score,
    csat_score,
    nps_adjusted_wald,
    nps_score,
)
from servicecore.feedback._stats import (
    normal_two_sided_p,
    t_cdf,
    t_value,
    z_value,
)

__all__ = [
    "CESChange",
    "CSATChange",
    "NPSChange",
    "TrendPoint",
    "compare_ces",
    "compare_csat",
    "compare_nps",
    "trend",
]


def _describe(
    label: str,
    change: CSATChange | NPSChange | CESChange,
    test: tuple[str, float | None],
    *,
    scale: float = 1.0,
    digits: int = 1,
    unit: str = " points",
) -> str:
    """Say *change*: its size, interval, the *test* statistic and verdict."""
    name, statistic = test
    difference, interval = change.difference, change.interval
    if (
        difference is None
        or interval is None
        or statistic is None
        or change.p_value is None
    ):
        return f"{label} change insufficient"
    low, high = (
        f"{v * scale:+.{digits}f}" for v in (interval.low, interval.high)
    )
    verdict = (
        "insufficient"
        if change.significant is None
        else "significant"
        if change.significant
        else "not significant"
    )
    return (
        f"{label} {difference * scale:+.{digits}f}{unit} "
        f"({change.confidence:.0%} interval {low} to {high}; "
        f"{name}={statistic:.2f}, p={change.p_value:.2g}): {verdict}"
    )


@attrs.frozen(kw_only=True)
class CSATChange:
    """
    The change of a CSAT share from *before* to *after*, with significance.

    ``difference`` is ``after.share - before.share``; ``interval`` is
    Newcombe's hybrid score interval of that difference (built from both
    Wilson intervals); ``z`` and ``p_value`` are the pooled two-proportion
    z-test. All are ``None`` when either side is insufficient, and then
    ``significant`` is ``None`` too.

    >>> change = sc.feedback.compare_csat([5] * 60 + [1] * 40, [5] * 80 + [1] * 20)
    >>> round(change.difference, 10), round(change.p_value, 4)
    (0.2, 0.002)
    >>> print(change)
    CSAT +20.0 points (95% interval +7.3 to +31.9; z=3.09, p=0.002): significant
    """

    before: CSATScore
    after: CSATScore
    difference: float | None
    interval: Interval | None
    z: float | None
    p_value: float | None
    significant: bool | None
    confidence: float

    def __str__(self) -> str:
        """Say the change in points, its interval, the test and verdict."""
        return _describe("CSAT", self, ("z", self.z), scale=100)


def compare_csat(
    before: Iterable[int] | Tally,
    after: Iterable[int] | Tally,
    *,
    scale: CSATScale | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> CSATChange:
    """
    Compare two CSAT samples: difference, interval and two-proportion test.

    Weighted tallies use their effective counts.

    Args:
        before: The earlier (or reference) answers, or their tally.
        after: The later answers, or their tally.
        scale: As for :func:`csat_score`.
        confidence: The confidence level; the test's level is
            ``1 - confidence``.
        minimum_sample: As for :func:`csat_score`, for each side.

    Returns:
        The change.

    Raises:
        ScoreOutOfRangeError: An answer is off the scale.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> sc.feedback.compare_csat([5, 1] * 20, [5, 5, 5, 1, 1] * 8).significant
    False
    """
    first, second = (
        csat_score(
            side,
            scale=scale,
            confidence=confidence,
            minimum_sample=minimum_sample,
        )
        for side in (before, after)
    )
    if first.share is None or second.share is None:
        return CSATChange(
            before=first,
            after=second,
            difference=None,
            interval=None,
            z=None,
            p_value=None,
            significant=None,
            confidence=confidence,
        )
    assert first.interval is not None  # noqa: S101 - set with the share
    assert second.interval is not None  # noqa: S101
    p1, p2 = first.share, second.share
    n1, n2 = first.effective_count, second.effective_count
    difference = p2 - p1
    # Newcombe (1998), method 10: the hybrid score interval.
    l1, u1 = first.interval.low, first.interval.high
    l2, u2 = second.interval.low, second.interval.high
    low = difference - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = difference + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = difference / se if se else 0.0
    p_value = normal_two_sided_p(z) if se else 1.0
    return CSATChange(
        before=first,
        after=second,
        difference=difference,
        interval=Interval(low=low, high=high, confidence=confidence),
        z=z,
        p_value=p_value,
        significant=p_value < 1 - confidence,
        confidence=confidence,
    )


@attrs.frozen(kw_only=True)
class NPSChange:
    """
    The change of an NPS from *before* to *after*, with its interval.

    ``difference`` is ``after.score - before.score`` in points. The
    ``interval`` is the adjusted-Wald interval of the difference: each side
    is adjusted (3/4 promoter, 3/4 detractor, n + 3), the difference of the
    adjusted scores is its centre and ``sqrt(se1^2 + se2^2)`` its standard
    error. ``significant`` says whether the interval excludes 0; ``z`` and
    ``p_value`` are the matching test.

    >>> change = sc.feedback.compare_nps([10] * 40 + [0] * 30 + [8] * 30,
    ...                         [10] * 60 + [0] * 20 + [8] * 20)
    >>> change.difference
    30.0
    >>> print(change)
    NPS +30.0 points (95% interval +6.9 to +51.4; z=2.57, p=0.01): significant
    """

    before: NPSScore
    after: NPSScore
    difference: float | None
    interval: Interval | None
    z: float | None
    p_value: float | None
    significant: bool | None
    confidence: float

    def __str__(self) -> str:
        """Say the change in points, its interval, the test and verdict."""
        return _describe("NPS", self, ("z", self.z))


def compare_nps(
    before: Iterable[int] | Tally,
    after: Iterable[int] | Tally,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> NPSChange:
    """
    Compare two NPS samples: difference and adjusted-Wald interval.

    Args:
        before: The earlier (or reference) 0-10 answers, or their tally.
        after: The later answers, or their tally.
        confidence: The confidence level of the interval.
        minimum_sample: As for :func:`nps_score`, for each side.

    Returns:
        The change.

    Raises:
        ScoreOutOfRangeError: An answer is not 0-10.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> sc.feedback.compare_nps([10, 0] * 20, [10, 10, 0] * 14).significant
    False
    """
    first = nps_score(
        before, confidence=confidence, minimum_sample=minimum_sample
    )
    second = nps_score(
        after, confidence=confidence, minimum_sample=minimum_sample
    )
    if first.score is None or second.score is None:
        return NPSChange(
            before=first,
            after=second,
            difference=None,
            interval=None,
            z=None,
            p_value=None,
            significant=None,
            confidence=confidence,
        )
    net1, se1 = _adjusted(first)
    net2, se2 = _adjusted(second)
    se = math.sqrt(se1 * se1 + se2 * se2)
    centre = net2 - net1
    half = z_value(confidence) * se
    interval = Interval(
        low=(centre - half) * 100,
        high=(centre + half) * 100,
        confidence=confidence,
    )
    z = centre / se
    return NPSChange(
        before=first,
        after=second,
        difference=second.score - first.score,
        interval=interval,
        z=z,
        p_value=normal_two_sided_p(z),
        significant=not interval.contains(0.0),
        confidence=confidence,
    )


def _adjusted(score: NPSScore) -> tuple[float, float]:
    total = score.promoters + score.passives + score.detractors
    return nps_adjusted_wald(
        score.promoters, score.detractors, total, score.effective_count
    )


@attrs.frozen(kw_only=True)
class CESChange:
    """
    The change of a CES mean from *before* to *after*: Welch's t-test.

    ``difference`` is ``after.mean - before.mean`` in scale units (read it
    with the scale's direction); ``interval`` is Welch's interval with
    Welch-Satterthwaite degrees of freedom ``df``.

    >>> change = sc.feedback.compare_ces([4, 5, 6, 5] * 10, [5, 6, 7, 6] * 10)
    >>> change.difference, round(change.p_value, 8)
    (1.0, 2e-08)
    """

    before: CESScore
    after: CESScore
    difference: float | None
    interval: Interval | None
    t: float | None
    df: float | None
    p_value: float | None
    significant: bool | None
    confidence: float

    def __str__(self) -> str:
        """Say the change, its interval, the test and the verdict."""
        return _describe("CES", self, ("t", self.t), digits=2, unit="")


def _spread(score: CESScore) -> float:
    """Return the squared standard error of a CES mean."""
    tally, mean = score.tally, score.mean
    assert mean is not None  # noqa: S101 - only called when sufficient
    total = tally.total_weight
    spread = sum(w * (s - mean) ** 2 for s, w in tally.weights.items())
    n = score.effective_count
    return spread / total * n / (n - 1) / n


def compare_ces(
    before: Iterable[int] | Tally,
    after: Iterable[int] | Tally,
    *,
    scale: CESScale | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> CESChange:
    """
    Compare two CES samples with Welch's unequal-variance t-test.

    Args:
        before: The earlier (or reference) answers, or their tally.
        after: The later answers, or their tally.
        scale: As for :func:`ces_score`.
        confidence: The confidence level of the interval.
        minimum_sample: As for :func:`ces_score`, for each side.

    Returns:
        The change; when both sides have no spread at all, the test is
        undefined and ``t``, ``p_value`` and ``significant`` are ``None``.

    Raises:
        ScoreOutOfRangeError: An answer is off the scale.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> print(sc.feedback.compare_ces([4, 5] * 20, [4, 5] * 20))
    CES +0.00 (95% interval -0.23 to +0.23; t=0.00, p=1): not significant
    """
    first, second = (
        ces_score(
            side,
            scale=scale,
            confidence=confidence,
            minimum_sample=minimum_sample,
        )
        for side in (before, after)
    )
    empty = CESChange(
        before=first,
        after=second,
        difference=None,
        interval=None,
        t=None,
        df=None,
        p_value=None,
        significant=None,
        confidence=confidence,
    )
    if first.mean is None or second.mean is None:
        return empty
    v1, v2 = _spread(first), _spread(second)
    difference = second.mean - first.mean
    if v1 + v2 == 0:
        return attrs.evolve(empty, difference=difference)
    n1, n2 = first.effective_count, second.effective_count
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    se = math.sqrt(v1 + v2)
    t = difference / se
    p_value = min(1.0, 2 * t_cdf(-abs(t), df))
    half = t_value(confidence, df) * se
    return CESChange(
        before=first,
        after=second,
        difference=difference,
        interval=Interval(
            low=difference - half,
            high=difference + half,
            confidence=confidence,
        ),
        t=t,
        df=df,
        p_value=p_value,
        significant=p_value < 1 - confidence,
        confidence=confidence,
    )


Score = CSATScore | NPSScore | CESScore
Change = CSATChange | NPSChange | CESChange


@attrs.frozen(kw_only=True)
class TrendPoint:
    """
    One period of a series: its score, and its change from the period before.

    ``value``, ``low`` and ``high`` are ready to plot: the CSAT share
    (0-1), the NPS (points) or the CES mean, and the interval's bounds;
    ``None`` when the period is insufficient. ``change`` compares with the
    previous period of the series (``None`` for the first).

    >>> series = sc.feedback.trend({"2026-01": sc.feedback.Tally.of([5, 1] * 20),
    ...                    "2026-02": sc.feedback.Tally.of([5, 5, 5, 1] * 10)}, "csat")
    >>> [(p.period, p.value) for p in series]
    [('2026-01', 0.5), ('2026-02', 0.75)]
    >>> series[1].change.significant
    True
    """

    period: Hashable
    count: int
    value: float | None
    low: float | None
    high: float | None
    score: Score
    change: Change | None


def _value(score: Score) -> float | None:
    if isinstance(score, CSATScore):
        return score.share
    if isinstance(score, NPSScore):
        return score.score
    return score.mean


def trend(
    periods: Aggregate | Mapping[Hashable, Tally],
    kind: ScoreKind | str,
    *,
    csat_scale: CSATScale | None = None,
    ces_scale: CESScale | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> tuple[TrendPoint, ...]:
    """
    Return the series of scores per period, each with its change.

    Periods are sorted by key, naturally when the keys compare (numbers,
    the labels of :func:`by_month` and :func:`by_week`), else by repr. Each point compares with the
    previous period: :func:`compare_csat`, :func:`compare_nps` or
    :func:`compare_ces`.

    Args:
        periods: An aggregate keyed by period, or a mapping of period to
            tally.
        kind: ``"csat"``, ``"nps"`` or ``"ces"``.
        csat_scale: The CSAT scale, for ``"csat"``.
        ces_scale: The CES scale, for ``"ces"``.
        confidence: The confidence level of intervals and tests.
        minimum_sample: Below this effective count a period is
            insufficient.

    Returns:
        One point per period, in order.

    Raises:
        InvalidValueError: *kind* is unknown.
        ScoreOutOfRangeError: An answer is off the scale.

    >>> agg = sc.feedback.aggregate([(1, "2026-02"), (5, "2026-01")],
    ...                    by=lambda r: r[1], score=lambda r: r[0])
    >>> [p.period for p in sc.feedback.trend(agg, "nps")]
    ['2026-01', '2026-02']
    """
    kind = _kind(kind)
    groups = periods.groups if isinstance(periods, Aggregate) else periods
    points: list[TrendPoint] = []
    previous: Tally | None = None
    for period in sorted_keys(groups):
        tally = groups[period]
        score: Score
        change: Change | None = None
        if kind is ScoreKind.CSAT:
            score = csat_score(
                tally,
                scale=csat_scale,
                confidence=confidence,
                minimum_sample=minimum_sample,
            )
            if previous is not None:
                change = compare_csat(
                    previous,
                    tally,
                    scale=csat_scale,
                    confidence=confidence,
                    minimum_sample=minimum_sample,
                )
        elif kind is ScoreKind.NPS:
            score = nps_score(
                tally, confidence=confidence, minimum_sample=minimum_sample
            )
            if previous is not None:
                change = compare_nps(
                    previous,
                    tally,
                    confidence=confidence,
                    minimum_sample=minimum_sample,
                )
        else:
            score = ces_score(
                tally,
                scale=ces_scale,
                confidence=confidence,
                minimum_sample=minimum_sample,
            )
            if previous is not None:
                change = compare_ces(
                    previous,
                    tally,
                    scale=ces_scale,
                    confidence=confidence,
                    minimum_sample=minimum_sample,
                )
        interval = score.interval
        points.append(
            TrendPoint(
                period=period,
                count=score.count,
                value=_value(score),
                low=None if interval is None else interval.low,
                high=None if interval is None else interval.high,
                score=score,
                change=change,
            )
        )
        previous = tally
    return tuple(points)
