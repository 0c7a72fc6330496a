"""
CSAT, NPS and CES scores with their intervals.

Every score is computed from a :class:`Tally`, the histogram of answers
(how many of each score, and with time-decay weighting the sum of the
weights and of their squares). A tally is a sufficient statistic for all
three scores and merges by addition, so hosts can tally per shard and
combine. Results carry their count, effective count, interval and
confidence level, and below ``minimum_sample`` (default 30) they are
*insufficient*: the numbers are ``None`` and the text says so.
"""

from __future__ import annotations

import math
import types
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from servicecore._words import plural
from servicecore.errors import InvalidValueError
from servicecore.feedback._scales import (
    NPS_MAX,
    NPS_MIN,
    CESScale,
    CSATScale,
    check_score,
)
from servicecore.feedback._stats import (
    bounded_mean,
    check_confidence,
    wilson,
)
from servicecore.feedback._stats import z_value as _z

__all__ = [
    "DEFAULT_MINIMUM_SAMPLE",
    "CESScore",
    "CSATScore",
    "Interval",
    "NPSScore",
    "Tally",
    "ces_score",
    "csat_score",
    "nps_score",
]

DEFAULT_MINIMUM_SAMPLE = 30
"""Fewer (effective) responses than this make a score insufficient."""

DEFAULT_CONFIDENCE = 0.95
# The published adjusted-Wald constants for NPS (Rocks 2016; Sauro and
# Lewis 2021): add 3/4 of a promoter and 3/4 of a detractor, and 3 to n.
_NPS_ADD = 0.75
_NPS_ADD_N = 3.0
_PROMOTER_MIN = 9
_DETRACTOR_MAX = 6
_CES_MIN_SAMPLE = 2


def _read_only(values: Mapping[int, float]) -> Mapping[int, float]:
    return types.MappingProxyType(dict(sorted(values.items())))


def _read_only_counts(values: Mapping[int, int]) -> Mapping[int, int]:
    return types.MappingProxyType(dict(sorted(values.items())))


@attrs.frozen(kw_only=True, repr=False)
class Tally:
    """
    The histogram of answers to one question: mergeable, order-free.

    ``counts`` maps each score to how many responses gave it. A weighted
    tally (time decay) also keeps, per score, the sum of the weights
    (``weights``) and of their squares (``squares``); an unweighted one
    uses the counts for both. Tallies add up (``a + b``), which is how
    shards combine: the result is the tally of all their responses.

    Args:
        counts: Responses per score.
        weights: Sum of the weights per score; defaults to *counts*.
        squares: Sum of the squared weights per score; defaults to
            *counts*.

    >>> a = sc.feedback.Tally.of([5, 4, 4])
    >>> a + sc.feedback.Tally.of([1])
    Tally(counts={1: 1, 4: 2, 5: 1})
    >>> (a + sc.feedback.Tally.of([1])).count
    4
    """

    counts: Mapping[int, int] = attrs.field(converter=_read_only_counts)
    weights: Mapping[int, float] = attrs.field(
        converter=_read_only,
        default=attrs.Factory(lambda self: self.counts, takes_self=True),
    )
    squares: Mapping[int, float] = attrs.field(
        converter=_read_only,
        default=attrs.Factory(lambda self: self.weights, takes_self=True),
    )

    @classmethod
    def of(
        cls, scores: Iterable[int], weights: Iterable[float] | None = None
    ) -> Tally:
        """
        Tally *scores*, each with its weight from *weights* if given.

        Args:
            scores: The answers.
            weights: One positive weight per answer (same order), or
                ``None`` for an unweighted tally.

        Returns:
            The tally.

        Raises:
            InvalidValueError: A weight is not positive and finite.

        >>> sc.feedback.Tally.of([5, 5, 3], weights=[1.0, 0.5, 0.25]).weights
        mappingproxy({3: 0.25, 5: 1.5})
        """
        if weights is None:
            return cls(counts=Counter(scores))
        counts: dict[int, int] = {}
        sums: dict[int, float] = {}
        squares: dict[int, float] = {}
        for score, weight in zip(scores, weights, strict=True):
            if not (weight > 0 and math.isfinite(weight)):
                raise InvalidValueError(
                    "weights", f"weight {weight!r} must be positive"
                )
            counts[score] = counts.get(score, 0) + 1
            sums[score] = sums.get(score, 0.0) + weight
            squares[score] = squares.get(score, 0.0) + weight * weight
        return cls(counts=counts, weights=sums, squares=squares)

    @property
    def is_weighted(self) -> bool:
        """
        Whether the weights differ from the counts.

        >>> sc.feedback.Tally.of([4]).is_weighted
        False
        """
        return self.weights != self.counts or self.squares != self.counts

    @property
    def count(self) -> int:
        """
        The number of responses.

        >>> sc.feedback.Tally(counts={4: 2, 5: 3}).count
        5
        """
        return sum(self.counts.values())

    @property
    def total_weight(self) -> float:
        """
        The sum of the weights (the count when unweighted).

        >>> sc.feedback.Tally(counts={4: 2}).total_weight
        2
        """
        return sum(self.weights.values())

    @property
    def effective_count(self) -> float:
        """
        Kish's effective sample size, ``(sum w)^2 / sum w^2``.

        Equal to the count when unweighted; smaller when a few responses
        carry most of the weight.

        >>> sc.feedback.Tally.of([5, 4], weights=[1.0, 1.0]).effective_count
        2.0
        >>> sc.feedback.Tally.of([5, 4], weights=[1.0, 0.5]).effective_count
        1.8
        """
        squares = sum(self.squares.values())
        if not squares:
            return 0.0
        total = self.total_weight
        return float(total * total / squares)

    def __add__(self, other: Tally) -> Tally:
        """Return the tally of both tallies' responses."""
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(
            counts=_add(self.counts, other.counts),
            weights=_add(self.weights, other.weights),
            squares=_add(self.squares, other.squares),
        )

    def __repr__(self) -> str:
        """Show the counts, and the weights when they differ."""
        text = f"Tally(counts={dict(self.counts)}"
        if self.is_weighted:
            text += f", weights={dict(self.weights)}"
        return text + ")"


_Number = TypeVar("_Number", int, float)


def _add(
    a: Mapping[int, _Number], b: Mapping[int, _Number]
) -> dict[int, _Number]:
    out = dict(a)
    for key, value in b.items():
        out[key] = out[key] + value if key in out else value
    return out


def as_tally(scores: Iterable[int] | Tally) -> Tally:
    """Return *scores* as a tally (a tally is returned as it is)."""
    return scores if isinstance(scores, Tally) else Tally.of(scores)


@attrs.frozen(kw_only=True)
class Interval:
    """
    A confidence interval: ``low`` and ``high`` at ``confidence`` level.

    >>> iv = sc.feedback.Interval(low=0.7, high=0.9, confidence=0.95)
    >>> iv.contains(0.8), round(iv.width, 10)
    (True, 0.2)
    """

    low: float
    high: float
    confidence: float

    @property
    def width(self) -> float:
        """The distance from ``low`` to ``high``."""
        return self.high - self.low

    def contains(self, value: float) -> bool:
        """
        Return whether *value* lies within the interval (bounds included).

        >>> sc.feedback.Interval(low=-5.0, high=3.0, confidence=0.95).contains(0)
        True
        """
        return self.low <= value <= self.high


def _check_options(confidence: float, minimum_sample: int, least: int) -> None:
    check_confidence(confidence)
    if (
        isinstance(minimum_sample, bool)
        or not isinstance(minimum_sample, int)
        or minimum_sample < least
    ):
        raise InvalidValueError(
            "minimum_sample",
            f"{minimum_sample!r} must be an integer of at least {least}",
        )


def _insufficient(kind: str, count: int, n_eff: float, minimum: int) -> str:
    if count == 0:
        return f"{kind} insufficient: no responses"
    effective = "" if n_eff == count else f" (effective {n_eff:.1f})"
    return (
        f"{kind} insufficient: {plural(count, 'response')}{effective}, "
        f"{minimum} needed"
    )


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


@attrs.frozen(kw_only=True)
class CSATScore:
    """
    Customer satisfaction: the share of satisfied answers, with interval.

    ``share`` is the (weighted) share of answers in the scale's satisfied
    set, ``interval`` its Wilson score interval computed with the effective
    count. Both are ``None`` when the effective count is below
    ``minimum_sample``; ``tally`` keeps the raw answers either way.

    >>> score = sc.feedback.csat_score([5] * 40 + [2] * 10)
    >>> score.share, score.count
    (0.8, 50)
    >>> print(score)
    CSAT 80.0% (95% interval 67.0%-88.8%, n=50)
    """

    count: int
    effective_count: float
    satisfied: float
    share: float | None
    interval: Interval | None
    confidence: float
    minimum_sample: int
    scale: CSATScale
    tally: Tally

    @property
    def is_sufficient(self) -> bool:
        """
        Whether there are enough responses for a number.

        >>> sc.feedback.csat_score([5, 4]).is_sufficient
        False
        """
        return self.share is not None

    def __str__(self) -> str:
        """Say the share and its interval, or that it is insufficient."""
        if self.share is None or self.interval is None:
            return _insufficient(
                "CSAT", self.count, self.effective_count, self.minimum_sample
            )
        return (
            f"CSAT {_percent(self.share)} "
            f"({self.confidence:.0%} interval {_percent(self.interval.low)}"
            f"-{_percent(self.interval.high)}, n={self.count})"
        )


def csat_score(
    scores: Iterable[int] | Tally,
    *,
    scale: CSATScale | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> CSATScore:
    """
    Score customer satisfaction: the share of satisfied answers.

    Args:
        scores: The answers, or their :class:`Tally`.
        scale: The question's scale; default 1-5, satisfied 4-5.
        confidence: The confidence level of the interval.
        minimum_sample: Below this effective count the score is
            insufficient.

    Returns:
        The score.

    Raises:
        ScoreOutOfRangeError: An answer is off the scale.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> print(sc.feedback.csat_score([5, 4, 1], minimum_sample=1))
    CSAT 66.7% (95% interval 20.8%-93.9%, n=3)
    """
    scale = scale or CSATScale()
    _check_options(confidence, minimum_sample, 1)
    tally = as_tally(scores)
    for score in tally.counts:
        scale.check(score, "scores")
    n_eff = tally.effective_count
    total = tally.total_weight
    satisfied = sum(
        w for score, w in tally.weights.items() if score in scale.satisfied
    )
    share: float | None = None
    interval: Interval | None = None
    if n_eff >= minimum_sample and total > 0:
        share = satisfied / total
        low, high = wilson(share, n_eff, confidence)
        interval = Interval(low=low, high=high, confidence=confidence)
    return CSATScore(
        count=tally.count,
        effective_count=n_eff,
        satisfied=satisfied,
        share=share,
        interval=interval,
        confidence=confidence,
        minimum_sample=minimum_sample,
        scale=scale,
        tally=tally,
    )


@attrs.frozen(kw_only=True)
class NPSScore:
    """
    Net Promoter Score: promoters minus detractors, in points.

    ``score`` runs from -100 (all detractors) to 100 (all promoters). The
    ``interval`` is the adjusted-Wald interval: 3/4 of a promoter and 3/4
    of a detractor are added and 3 to the count, then the trinomial
    variance ``p + d - (p - d)^2`` gives the standard error; its centre is
    therefore pulled slightly toward 0, and it is widened, where needed, to
    hold the score itself. Both are ``None`` below ``minimum_sample``.

    >>> score = sc.feedback.nps_score([10] * 50 + [8] * 30 + [3] * 20)
    >>> score.score
    30.0
    >>> print(score)
    NPS 30.0 (95% interval 14.1-44.2, n=100)
    """

    count: int
    effective_count: float
    promoters: float
    passives: float
    detractors: float
    score: float | None
    interval: Interval | None
    confidence: float
    minimum_sample: int
    tally: Tally

    @property
    def is_sufficient(self) -> bool:
        """
        Whether there are enough responses for a number.

        >>> sc.feedback.nps_score([10]).is_sufficient
        False
        """
        return self.score is not None

    def __str__(self) -> str:
        """Say the score and its interval, or that it is insufficient."""
        if self.score is None or self.interval is None:
            return _insufficient(
                "NPS", self.count, self.effective_count, self.minimum_sample
            )
        return (
            f"NPS {self.score:.1f} ({self.confidence:.0%} interval "
            f"{self.interval.low:.1f}-{self.interval.high:.1f}, "
            f"n={self.count})"
        )


def nps_adjusted_wald(
    promoters: float, detractors: float, total: float, n_eff: float
) -> tuple[float, float]:
    """
    Return the adjusted-Wald NPS and its standard error, in shares.

    *promoters* and *detractors* are weights out of *total*; *n_eff* is the
    effective count they stand for.
    """
    n = n_eff + _NPS_ADD_N
    p = (promoters / total * n_eff + _NPS_ADD) / n
    d = (detractors / total * n_eff + _NPS_ADD) / n
    net = p - d
    return net, math.sqrt((p + d - net * net) / n)


def nps_score(
    scores: Iterable[int] | Tally,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> NPSScore:
    """
    Score the Net Promoter question: promoters (9-10) minus detractors (0-6).

    Args:
        scores: The 0-10 answers, or their :class:`Tally`.
        confidence: The confidence level of the interval.
        minimum_sample: Below this effective count the score is
            insufficient.

    Returns:
        The score, -100 to 100, with its adjusted-Wald interval.

    Raises:
        ScoreOutOfRangeError: An answer is not an integer from 0 to 10.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> print(sc.feedback.nps_score([10, 9, 7, 0], minimum_sample=4))
    NPS 25.0 (95% interval -44.2-72.7, n=4)
    """
    _check_options(confidence, minimum_sample, 1)
    tally = as_tally(scores)
    for score in tally.counts:
        check_score(score, NPS_MIN, NPS_MAX, "scores")
    weights = tally.weights
    promoters = sum(w for s, w in weights.items() if s >= _PROMOTER_MIN)
    detractors = sum(w for s, w in weights.items() if s <= _DETRACTOR_MAX)
    total = tally.total_weight
    n_eff = tally.effective_count
    value: float | None = None
    interval: Interval | None = None
    if n_eff >= minimum_sample and total > 0:
        value = (promoters - detractors) * 100 / total
        net, se = nps_adjusted_wald(promoters, detractors, total, n_eff)
        half = _z(confidence) * se
        # The adjustment's fixed constants suit 95 %: at lower levels, or
        # with one answer, its bounds can miss the score itself (all
        # promoters at 80 % never reach 100); the interval holds the score.
        interval = Interval(
            low=max(-100.0, min(value, (net - half) * 100)),
            high=min(100.0, max(value, (net + half) * 100)),
            confidence=confidence,
        )
    return NPSScore(
        count=tally.count,
        effective_count=n_eff,
        promoters=promoters,
        passives=total - promoters - detractors,
        detractors=detractors,
        score=value,
        interval=interval,
        confidence=confidence,
        minimum_sample=minimum_sample,
        tally=tally,
    )


@attrs.frozen(kw_only=True)
class CESScore:
    """
    Customer effort: the mean answer and the share of easy answers.

    ``mean`` is on the scale's own units (read it with the scale's
    direction in mind); ``interval`` is its adjusted-Wald interval: z^2/2
    answers are added at each end of the scale (Agresti and Coull's
    adjustment, carried to a bounded scale), so that equal answers do not
    give a zero-width interval; it stays on the scale and holds the mean.
    ``easy_share`` is the
    share of answers in the scale's easy set with its Wilson interval
    ``easy_interval``. ``ease`` is the mean turned into 0 (hardest) to 1
    (easiest) whatever the direction. All are ``None`` below
    ``minimum_sample``.

    >>> score = sc.feedback.ces_score([7, 6, 6, 5, 3, 2], minimum_sample=6)
    >>> round(score.mean, 4), round(score.easy_share, 4)
    (4.8333, 0.6667)
    >>> print(score)
    CES 4.83 of 1-7, higher is easier (95% interval 3.03-5.99, n=6); 66.7% easy
    """

    count: int
    effective_count: float
    mean: float | None
    interval: Interval | None
    easy_share: float | None
    easy_interval: Interval | None
    ease: float | None
    confidence: float
    minimum_sample: int
    scale: CESScale
    tally: Tally

    @property
    def is_sufficient(self) -> bool:
        """
        Whether there are enough responses for a number.

        >>> sc.feedback.ces_score([7, 6]).is_sufficient
        False
        """
        return self.mean is not None

    def __str__(self) -> str:
        """Say the mean, its interval and the easy share, or insufficient."""
        if (
            self.mean is None
            or self.interval is None
            or self.easy_share is None
        ):
            return _insufficient(
                "CES", self.count, self.effective_count, self.minimum_sample
            )
        direction = self.scale.direction.value.replace("_", " ")
        return (
            f"CES {self.mean:.2f} of {self.scale.minimum}-"
            f"{self.scale.maximum}, {direction} ({self.confidence:.0%} "
            f"interval {self.interval.low:.2f}-{self.interval.high:.2f}, "
            f"n={self.count}); {_percent(self.easy_share)} easy"
        )


def ces_score(
    scores: Iterable[int] | Tally,
    *,
    scale: CESScale | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> CESScore:
    """
    Score customer effort: mean answer with interval, and share of easy.

    Args:
        scores: The answers, or their :class:`Tally`.
        scale: The question's scale; default CES 2.0 (1-7, higher is
            easier).
        confidence: The confidence level of the intervals.
        minimum_sample: Below this effective count (at least 2) the score
            is insufficient.

    Returns:
        The score.

    Raises:
        ScoreOutOfRangeError: An answer is off the scale.
        InvalidValueError: *confidence* or *minimum_sample* is invalid.

    >>> effort = sc.feedback.CESScale.effort_5()
    >>> print(sc.feedback.ces_score([1, 2, 2, 4], scale=effort, minimum_sample=4))
    CES 2.25 of 1-5, lower is easier (95% interval 1.47-3.77, n=4); 75.0% easy
    """
    scale = scale or CESScale()
    _check_options(confidence, minimum_sample, _CES_MIN_SAMPLE)
    tally = as_tally(scores)
    for score in tally.counts:
        scale.check(score, "scores")
    n_eff = tally.effective_count
    total = tally.total_weight
    mean: float | None = None
    interval = easy_interval = None
    easy_share = ease = None
    if n_eff >= minimum_sample and total > 0:
        weights = tally.weights
        mean = sum(s * w for s, w in weights.items()) / total
        low, high = bounded_mean(
            mean,
            sum(s * s * w for s, w in weights.items()) / total,
            n_eff,
            low=float(scale.minimum),
            high=float(scale.maximum),
            confidence=confidence,
        )
        interval = Interval(low=low, high=high, confidence=confidence)
        easy_share = (
            sum(w for s, w in weights.items() if s in scale.easy) / total
        )
        low, high = wilson(easy_share, n_eff, confidence)
        easy_interval = Interval(low=low, high=high, confidence=confidence)
        ease = scale.ease(mean)
    return CESScore(
        count=tally.count,
        effective_count=n_eff,
        mean=mean,
        interval=interval,
        easy_share=easy_share,
        easy_interval=easy_interval,
        ease=ease,
        confidence=confidence,
        minimum_sample=minimum_sample,
        scale=scale,
        tally=tally,
    )
