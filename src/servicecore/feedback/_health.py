"""
Customer health: one 0-100 number with the contribution of each part.

Four parts, each scored as *goodness* from 0 (worst) to 1 (best) and
weighted (default feedback 40, SLA 25, reopens 15, contacts 20):

- **feedback**: the customer's recent answers as satisfaction 0-1 (CSAT and
  NPS by position on their scale, CES by ease), averaged with two neutral
  (0.5) pseudo-answers so that one answer cannot swing it to an extreme;
- **sla**: ``1 - breaches / targets`` over the SLA targets the customer's
  cases were measured against (1 when none were);
- **reopens**: ``1 - reopened / cases`` (1 without cases);
- **contacts**: 1 while contacts stay within what is expected, then
  ``expected / contacts``: a customer who must write three times as often as
  usual scores 1/3.

``score = sum(weight * goodness)``; each :class:`HealthContribution` says
how many points its part gave and how many it cost, and why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from servicecore.errors import InvalidValueError
from servicecore.feedback._scales import CESScale
from servicecore.models import SurveyKind, SurveyResponse

__all__ = [
    "HealthContribution",
    "HealthScore",
    "HealthWeights",
    "customer_health",
    "satisfaction",
]

_NEUTRAL = 0.5
_FEEDBACK_PRIOR = 2.0
_HEALTHY = 70.0
_AT_RISK = 40.0


def _non_negative(
    instance: object, attribute: attrs.Attribute[float], value: float
) -> None:
    del instance
    if not (
        isinstance(value, int | float) and value >= 0 and math.isfinite(value)
    ):
        raise InvalidValueError(
            f"weights.{attribute.name}", f"{value!r} must be 0 or more"
        )


@attrs.frozen(kw_only=True)
class HealthWeights:
    """
    How much each part counts in customer health; normalised to 100.

    Args:
        feedback: Weight of survey feedback.
        sla: Weight of the SLA experience.
        reopens: Weight of reopened cases.
        contacts: Weight of contact frequency.

    Raises:
        InvalidValueError: A weight is negative, or all are 0.

    >>> sc.feedback.HealthWeights(feedback=1, sla=1, reopens=0, contacts=0).shares()
    {'feedback': 0.5, 'sla': 0.5, 'reopens': 0.0, 'contacts': 0.0}
    """

    feedback: float = attrs.field(default=40.0, validator=_non_negative)
    sla: float = attrs.field(default=25.0, validator=_non_negative)
    reopens: float = attrs.field(default=15.0, validator=_non_negative)
    contacts: float = attrs.field(default=20.0, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        """Refuse weights that are all 0."""
        if not self.feedback + self.sla + self.reopens + self.contacts:
            raise InvalidValueError("weights", "at least one must be above 0")

    def shares(self) -> dict[str, float]:
        """
        Return each part's share of the total weight, summing to 1.

        >>> sc.feedback.HealthWeights().shares()["feedback"]
        0.4
        """
        parts = {
            "feedback": self.feedback,
            "sla": self.sla,
            "reopens": self.reopens,
            "contacts": self.contacts,
        }
        total = sum(parts.values())
        return {name: weight / total for name, weight in parts.items()}


@attrs.frozen(kw_only=True)
class HealthContribution:
    """
    What one part gave to a health score, and why.

    ``points`` is ``100 * share * goodness``, ``lost`` the rest of the
    part's share; the points of all parts add up to the score.

    >>> part = sc.feedback.customer_health(reopens=1, cases=4).contributions[2]
    >>> part.part, part.goodness, part.points, part.lost
    ('reopens', 0.75, 11.25, 3.75)
    """

    part: str
    share: float
    goodness: float
    points: float
    lost: float
    reason: str


@attrs.frozen(kw_only=True)
class HealthScore:
    """
    A customer's health from 0 to 100, with the contribution of each part.

    ``band`` is ``healthy`` from 70, ``at risk`` from 40, else ``critical``.

    >>> health = sc.feedback.customer_health(
    ...     feedback=[1.0, 0.75, 1.0], sla_breaches=1, sla_targets=4,
    ...     reopens=0, cases=2, contacts=3, expected_contacts=4)
    >>> round(health.score, 2), health.band
    (83.75, 'healthy')
    >>> print(health.explain())
    health 83.8 (healthy)
      feedback  30.0 of  40  3 answers, mean satisfaction 0.92, smoothed 0.75
      sla       18.8 of  25  1 breach of 4 SLA targets
      reopens   15.0 of  15  0 of 2 cases reopened
      contacts  20.0 of  20  3 contacts, 4 expected
    """

    score: float
    contributions: tuple[HealthContribution, ...]

    @property
    def band(self) -> str:
        """``healthy``, ``at risk`` or ``critical``."""
        if self.score >= _HEALTHY:
            return "healthy"
        if self.score >= _AT_RISK:
            return "at risk"
        return "critical"

    def explain(self) -> str:
        """Return the score and one line per part: points, lost, reason."""
        lines = [f"health {self.score:.1f} ({self.band})"]
        lines.extend(
            f"  {c.part:<9}{c.points:5.1f} of {100 * c.share:3.0f}  {c.reason}"
            for c in self.contributions
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        """Return the score and its band."""
        return f"health {self.score:.1f} ({self.band})"


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(name, f"{value!r} must be an integer >= 0")
    return value


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


def customer_health(
    *,
    feedback: Iterable[float] = (),
    sla_breaches: int = 0,
    sla_targets: int = 0,
    reopens: int = 0,
    cases: int = 0,
    contacts: int = 0,
    expected_contacts: float = 4.0,
    weights: HealthWeights | None = None,
) -> HealthScore:
    """
    Combine feedback, SLA experience, reopens and contacts into 0-100.

    The inputs cover one window the host chooses (say the last 90 days).

    Args:
        feedback: The customer's answers as satisfaction from 0 to 1 (see
            :func:`satisfaction`).
        sla_breaches: SLA targets breached on the customer's cases.
        sla_targets: SLA targets measured on the customer's cases.
        reopens: The customer's cases that were reopened.
        cases: The customer's cases.
        contacts: Messages (or calls) from the customer.
        expected_contacts: The number of contacts that is normal for the
            window; more lower the score.
        weights: The weights of the parts.

    Returns:
        The score with its contributions.

    Raises:
        InvalidValueError: A count is negative, breaches exceed targets,
            reopens exceed cases, a feedback value is outside 0-1, or
            *expected_contacts* is not positive.

    >>> print(sc.feedback.customer_health())
    health 80.0 (healthy)
    """
    weights = weights or HealthWeights()
    values = [float(v) for v in feedback]
    if any(not 0 <= v <= 1 for v in values):
        raise InvalidValueError("feedback", "values must be from 0 to 1")
    breaches = _count(sla_breaches, "sla_breaches")
    targets = _count(sla_targets, "sla_targets")
    reopened = _count(reopens, "reopens")
    total_cases = _count(cases, "cases")
    contact_count = _count(contacts, "contacts")
    if breaches > targets:
        raise InvalidValueError(
            "sla_breaches", f"{breaches} breaches exceed {targets} targets"
        )
    if reopened > total_cases:
        raise InvalidValueError(
            "reopens", f"{reopened} reopens exceed {total_cases} cases"
        )
    if not (expected_contacts > 0 and math.isfinite(expected_contacts)):
        raise InvalidValueError(
            "expected_contacts", f"{expected_contacts!r} must be above 0"
        )
    smoothed = (sum(values) + _FEEDBACK_PRIOR * _NEUTRAL) / (
        len(values) + _FEEDBACK_PRIOR
    )
    if values:
        mean = sum(values) / len(values)
        feedback_reason = (
            f"{_plural(len(values), 'answer')}, mean satisfaction "
            f"{mean:.2f}, smoothed {smoothed:.2f}"
        )
    else:
        feedback_reason = "no answers: neutral 0.50"
    parts = [
        ("feedback", smoothed, feedback_reason),
        (
            "sla",
            1 - breaches / targets if targets else 1.0,
            f"{_plural(breaches, 'breach').replace('breachs', 'breaches')} "
            f"of {targets} SLA targets"
            if targets
            else "no SLA targets measured",
        ),
        (
            "reopens",
            1 - reopened / total_cases if total_cases else 1.0,
            f"{reopened} of {_plural(total_cases, 'case')} reopened"
            if total_cases
            else "no cases",
        ),
        (
            "contacts",
            min(1.0, expected_contacts / contact_count)
            if contact_count
            else 1.0,
            (
                f"{_plural(contact_count, 'contact')}, "
                f"{expected_contacts:g} expected"
            ),
        ),
    ]
    shares = weights.shares()
    contributions = tuple(
        HealthContribution(
            part=name,
            share=shares[name],
            goodness=goodness,
            points=100 * shares[name] * goodness,
            lost=100 * shares[name] * (1 - goodness),
            reason=reason,
        )
        for name, goodness, reason in parts
    )
    score = sum(c.points for c in contributions)
    return HealthScore(
        score=min(100.0, max(0.0, score)), contributions=contributions
    )


def satisfaction(
    response: SurveyResponse, *, ces_scale: CESScale | None = None
) -> float:
    """
    Return a survey answer as satisfaction from 0 (worst) to 1 (best).

    CSAT and NPS answers count by their position on the scale (an NPS 9 is
    0.9); a CES answer by its ease on *ces_scale*, by default the
    response's own range read as CES 2.0 agreement (higher is easier).

    Args:
        response: The survey response.
        ces_scale: The CES scale, to read the original effort question
            (``sc.feedback.CESScale.effort_5()``, lower is easier).

    Returns:
        The satisfaction.

    >>> at = pendulum.datetime(2026, 3, 2, tz="UTC")
    >>> sc.feedback.satisfaction(sc.SurveyResponse(id="r", kind="csat", score=4, at=at))
    0.75
    >>> sc.feedback.satisfaction(sc.SurveyResponse(id="r", kind="ces", score=2, at=at,
    ...                 scale_min=1, scale_max=5),
    ...                 ces_scale=sc.feedback.CESScale.effort_5())
    0.75
    """
    low, high = response.scale_min, response.scale_max
    if response.kind is SurveyKind.CES:
        scale = ces_scale or CESScale(minimum=low, maximum=high)
        return scale.ease(response.score)
    return (response.score - low) / (high - low)
