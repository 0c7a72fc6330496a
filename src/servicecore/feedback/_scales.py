"""
Survey scales: which answers a question allows and what they mean.

There is no single CSAT standard, so its scale and the answers that count
as *satisfied* are typed configuration. NPS is fixed at 0-10. CES comes in
two published forms whose directions are opposite: the original 1-5
*effort* question (1 = very low effort, the best) and CES 2.0's 1-7
*agreement* question ("the company made it easy", 7 = strongly agree, the
best); the direction is part of a :class:`CESScale`, so an easy answer is
never mistaken for a hard one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from servicecore.errors import InvalidValueError, ScoreOutOfRangeError

__all__ = [
    "CESDirection",
    "CESScale",
    "CSATScale",
    "NPSCategory",
    "nps_category",
]

NPS_MIN = 0
NPS_MAX = 10
_PROMOTER_MIN = 9
_PASSIVE_MIN = 7


class NPSCategory(enum.StrEnum):
    """
    The three groups of the Net Promoter question (0-10).

    >>> sc.feedback.NPSCategory.PROMOTER.value
    'promoter'
    """

    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


def nps_category(score: int) -> NPSCategory:
    """
    Return the NPS group of a 0-10 answer: 9-10 promoter, 7-8 passive.

    Args:
        score: The answer to "how likely are you to recommend us?".

    Returns:
        The group; 0-6 are detractors.

    Raises:
        ScoreOutOfRangeError: *score* is not an integer from 0 to 10.

    >>> [sc.feedback.nps_category(s).value for s in (9, 8, 6)]
    ['promoter', 'passive', 'detractor']
    """
    check_score(score, NPS_MIN, NPS_MAX, "score")
    if score >= _PROMOTER_MIN:
        return NPSCategory.PROMOTER
    if score >= _PASSIVE_MIN:
        return NPSCategory.PASSIVE
    return NPSCategory.DETRACTOR


def check_score(score: object, low: int, high: int, location: str) -> None:
    """Refuse *score* unless it is an integer from *low* to *high*."""
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not low <= score <= high
    ):
        raise ScoreOutOfRangeError(
            location,
            f"score {score!r} is not an integer from {low} to {high}",
        )


def _to_answers(values: Iterable[int]) -> frozenset[int]:
    return frozenset(values)


def _check_bounds(minimum: int, maximum: int, location: str) -> None:
    for name, value in (("minimum", minimum), ("maximum", maximum)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(
                f"{location}.{name}", f"{value!r} is not an integer"
            )
    if minimum >= maximum:
        raise InvalidValueError(
            location,
            f"minimum {minimum} must be below maximum {maximum}",
        )


def _check_answers(
    answers: frozenset[int], minimum: int, maximum: int, location: str
) -> None:
    if not answers:
        raise InvalidValueError(location, "name at least one answer")
    off = sorted(a for a in answers if not minimum <= a <= maximum)
    if off:
        raise InvalidValueError(
            location,
            f"answers {off} are off the scale {minimum}-{maximum}",
        )


def _default_satisfied(scale: CSATScale) -> frozenset[int]:
    return frozenset({scale.maximum - 1, scale.maximum})


@attrs.frozen(kw_only=True)
class CSATScale:
    """
    A customer-satisfaction question: its range and the satisfied answers.

    The default is the common 1-5 scale with the top two boxes (4 and 5)
    counting as satisfied; by default the top two answers of any range.

    Args:
        minimum: The lowest answer.
        maximum: The highest answer.
        satisfied: The answers that count as satisfied.

    Raises:
        InvalidValueError: The range is empty, or a satisfied answer is off
            it.

    >>> sc.feedback.CSATScale().satisfied
    frozenset({4, 5})
    >>> sc.feedback.CSATScale(minimum=1, maximum=10, satisfied=[9, 10]).is_satisfied(8)
    False
    """

    minimum: int = 1
    maximum: int = 5
    satisfied: frozenset[int] = attrs.field(
        converter=_to_answers,
        default=attrs.Factory(_default_satisfied, takes_self=True),
    )

    def __attrs_post_init__(self) -> None:
        """Validate the range and the satisfied answers."""
        _check_bounds(self.minimum, self.maximum, "scale")
        _check_answers(
            self.satisfied, self.minimum, self.maximum, "scale.satisfied"
        )

    def check(self, score: object, location: str = "score") -> None:
        """
        Refuse *score* unless it is an answer of this scale.

        Raises:
            ScoreOutOfRangeError: *score* is off the scale.

        >>> sc.feedback.CSATScale().check(6)
        Traceback (most recent call last):
        ...
        servicecore.errors.ScoreOutOfRangeError: score: score 6 is not an integer from 1 to 5
        """
        check_score(score, self.minimum, self.maximum, location)

    def is_satisfied(self, score: int) -> bool:
        """
        Return whether *score* counts as satisfied.

        >>> sc.feedback.CSATScale().is_satisfied(4)
        True
        """
        return score in self.satisfied


class CESDirection(enum.StrEnum):
    """
    Which end of a Customer Effort Score scale is the good one.

    >>> sc.feedback.CESDirection("higher_is_easier")
    <CESDirection.HIGHER_IS_EASIER: 'higher_is_easier'>
    """

    HIGHER_IS_EASIER = "higher_is_easier"
    LOWER_IS_EASIER = "lower_is_easier"


def _default_easy(scale: CESScale) -> frozenset[int]:
    # The best third of the range, rounded up: 5-7 of 1-7, 1-2 of 1-5.
    width = -(-(scale.maximum - scale.minimum + 1) // 3)
    if scale.direction is CESDirection.HIGHER_IS_EASIER:
        return frozenset(range(scale.maximum - width + 1, scale.maximum + 1))
    return frozenset(range(scale.minimum, scale.minimum + width))


@attrs.frozen(kw_only=True)
class CESScale:
    """
    A Customer Effort Score question: range, direction and easy answers.

    The default is CES 2.0: "the company made it easy to handle my issue",
    1 (strongly disagree) to 7 (strongly agree), higher is easier, and 5-7
    count as easy. :meth:`effort_5` is the original 1-5 effort question,
    where *lower* is easier and 1-2 count as easy.

    Args:
        minimum: The lowest answer.
        maximum: The highest answer.
        direction: Which end is easy.
        easy: The answers that count as easy; by default the best third
            of the range (rounded up) at the easy end.

    Raises:
        InvalidValueError: The range is empty, or an easy answer is off it.

    >>> sc.feedback.CESScale().easy
    frozenset({5, 6, 7})
    >>> sc.feedback.CESScale.effort_5().ease(1), sc.feedback.CESScale().ease(1)
    (1.0, 0.0)
    """

    minimum: int = 1
    maximum: int = 7
    direction: CESDirection = attrs.field(
        default=CESDirection.HIGHER_IS_EASIER, converter=CESDirection
    )
    easy: frozenset[int] = attrs.field(
        converter=_to_answers,
        default=attrs.Factory(_default_easy, takes_self=True),
    )

    def __attrs_post_init__(self) -> None:
        """Validate the range and the easy answers."""
        _check_bounds(self.minimum, self.maximum, "scale")
        _check_answers(self.easy, self.minimum, self.maximum, "scale.easy")

    @classmethod
    def agreement_7(cls) -> CESScale:
        """
        Return the CES 2.0 scale: 1-7 agreement, higher is easier.

        >>> sc.feedback.CESScale.agreement_7() == sc.feedback.CESScale()
        True
        """
        return cls()

    @classmethod
    def effort_5(cls) -> CESScale:
        """
        Return the original CES scale: 1-5 effort, lower is easier.

        >>> sc.feedback.CESScale.effort_5().easy
        frozenset({1, 2})
        """
        return cls(
            minimum=1, maximum=5, direction=CESDirection.LOWER_IS_EASIER
        )

    def check(self, score: object, location: str = "score") -> None:
        """
        Refuse *score* unless it is an answer of this scale.

        Raises:
            ScoreOutOfRangeError: *score* is off the scale.

        >>> sc.feedback.CESScale.effort_5().check(3)
        """
        check_score(score, self.minimum, self.maximum, location)

    def is_easy(self, score: int) -> bool:
        """
        Return whether *score* counts as easy.

        >>> sc.feedback.CESScale.effort_5().is_easy(5)
        False
        """
        return score in self.easy

    def ease(self, score: float) -> float:
        """
        Return *score* as ease from 0 (hardest) to 1 (easiest).

        >>> sc.feedback.CESScale().ease(5.5)
        0.75
        """
        position = (score - self.minimum) / (self.maximum - self.minimum)
        if self.direction is CESDirection.LOWER_IS_EASIER:
            return 1 - position
        return position
