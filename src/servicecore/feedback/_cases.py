"""
Feedback over cases: survey responses, customer health, condition fields.

Cases carry survey responses as ``SurveyReceived`` events; this module
reads them out, computes a customer's health from their cases, and offers
the condition fields ``interaction.sentiment`` and ``customer.health`` to a
:class:`~servicecore.plugins.Registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from servicecore._time import duration_seconds, to_epoch
from servicecore.conditions import EvaluationContext, Field, FieldType
from servicecore.feedback._health import (
    HealthScore,
    HealthWeights,
    customer_health,
    satisfaction,
)
from servicecore.feedback._scales import CESScale
from servicecore.feedback._sentiment import (
    LexiconSentimentScorer,
    SentimentScorer,
)
from servicecore.models import (
    AuthorKind,
    Case,
    Direction,
    MessageAdded,
    SurveyReceived,
    SurveyResponse,
)

__all__ = [
    "feedback_fields",
    "health_from_cases",
    "survey_responses",
]


def survey_responses(cases: Iterable[Case]) -> Iterator[SurveyResponse]:
    """
    Yield the survey response of every ``SurveyReceived`` event of *cases*.

    Args:
        cases: The cases, in any order.

    Yields:
        Each response, case by case, in event order.

    >>> at = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
    >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="chat",
    ...                events=[sc.CaseCreated(case_id="k", at=at)])
    >>> response = sc.SurveyResponse(id="r", kind="csat", score=5, at=at)
    >>> case = case.append(sc.SurveyReceived(case_id="k", response=response))
    >>> [r.score for r in sc.feedback.survey_responses([case])]
    [5]
    """
    for case in cases:
        for event in case.events:
            if isinstance(event, SurveyReceived):
                yield event.response


def _is_contact(event: object) -> bool:
    if not isinstance(event, MessageAdded):
        return False
    message = event.interaction
    return (
        message.public
        and message.direction is Direction.INBOUND
        and message.author_kind is AuthorKind.CUSTOMER
    )


def health_from_cases(
    cases: Iterable[Case],
    *,
    at: datetime,
    window: str | timedelta = "90d",
    sla_breaches: int = 0,
    sla_targets: int = 0,
    expected_contacts: float = 4.0,
    weights: HealthWeights | None = None,
    ces_scale: CESScale | None = None,
) -> HealthScore:
    """
    Return a customer's health from their cases over the last *window*.

    Feedback is every survey response received in the window; cases are
    those created by *at* with activity in the window, reopened ones those
    reopened by *at*; contacts are the customer's public messages in the
    window. SLA counts come from the host (from its SLA reports).

    Args:
        cases: The customer's cases.
        at: The moment of the health score.
        window: How far back to look.
        sla_breaches: As for :func:`customer_health`.
        sla_targets: As for :func:`customer_health`.
        expected_contacts: Contacts that are normal in the window.
        weights: As for :func:`customer_health`.
        ces_scale: As for :func:`satisfaction`.

    Returns:
        The health score.

    Raises:
        NaiveDatetimeError: *at* has no time zone.
        DurationError: *window* cannot be read.

    >>> at = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
    >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="chat",
    ...                events=[sc.CaseCreated(case_id="k", at=at)])
    >>> print(sc.feedback.health_from_cases([case], at=at.add(hours=1)))
    health 80.0 (healthy)
    """
    at_s = to_epoch(at, "at")
    since_s = at_s - duration_seconds(window, "window")
    feedback: list[float] = []
    reopened = total = contacts = 0
    for case in cases:
        events = [e for e in case.events if e.at_s <= at_s]
        if not events or events[-1].at_s < since_s:
            continue
        total += 1
        reopened += case.state_at_s(at_s).reopen_count > 0
        for event in events:
            if event.at_s < since_s:
                continue
            if isinstance(event, SurveyReceived):
                feedback.append(
                    satisfaction(event.response, ces_scale=ces_scale)
                )
            elif _is_contact(event):
                contacts += 1
    return customer_health(
        feedback=feedback,
        sla_breaches=sla_breaches,
        sla_targets=sla_targets,
        reopens=reopened,
        cases=total,
        contacts=contacts,
        expected_contacts=expected_contacts,
        weights=weights,
    )


HealthGetter = Callable[[EvaluationContext], "HealthScore | float | None"]


def _case_health(context: EvaluationContext) -> HealthScore | None:
    if context.case is None:
        return None
    return health_from_cases([context.case], at=context.at)


def feedback_fields(
    *,
    scorer: SentimentScorer | None = None,
    health: HealthGetter | None = None,
) -> tuple[Field, Field]:
    """
    Return the condition fields ``interaction.sentiment`` and ``customer.health``.

    Register them with ``registry.add_field(field)`` for each field (or
    :meth:`Registry.add_field` with ``replace=True`` to swap the scorer).
    ``interaction.sentiment`` is the sentiment (-1 to 1) of the text of the
    customer's latest public message (never an agent's reply or internal
    note), ``None`` without text. ``customer.health``
    is 0-100 from *health*, which receives the evaluation context; by
    default the health computed from the context's case alone (a host with
    the customer's other cases and SLA counts should pass its own).

    Args:
        scorer: The sentiment scorer; the core lexicon scorer by default.
        health: Returns a context's customer health (score or number).

    Returns:
        The two fields.

    >>> registry = sc.Registry()
    >>> for field in sc.feedback.feedback_fields():
    ...     registry.add_field(field)
    >>> angry = sc.Condition.from_dict(
    ...     {"field": "interaction.sentiment", "op": "lt", "value": -0.5},
    ...     registry=registry)
    >>> at = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
    >>> message = sc.Interaction(id="m", channel="chat", direction="inbound",
    ...     author_kind="customer", at=at, body="Still broken. Terrible!")
    >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="chat",
    ...     events=[sc.CaseCreated(case_id="k", at=at),
    ...             sc.MessageAdded(case_id="k", interaction=message)])
    >>> angry(sc.EvaluationContext(case, at=at))
    True
    """
    chosen = scorer or LexiconSentimentScorer()
    health_of = health or _case_health

    def sentiment(context: EvaluationContext) -> float | None:
        body = context.customer_message.body
        if not body:
            return None
        return context.memo(
            ("interaction.sentiment", id(chosen)), lambda: chosen.score(body)
        )

    def customer_health_value(context: EvaluationContext) -> float | None:
        value: Any = context.memo(
            ("customer.health", id(health_of)), lambda: health_of(context)
        )
        if value is None:
            return None
        return float(value.score if isinstance(value, HealthScore) else value)

    return (
        Field(
            name="interaction.sentiment",
            type=FieldType.number(),
            get=sentiment,
            description="the sentiment (-1 to 1) of the customer's latest "
            "public message (never an agent's reply or internal note)",
            example=-0.5,
        ),
        Field(
            name="customer.health",
            type=FieldType.number(),
            get=customer_health_value,
            description="the customer's health score, 0 to 100",
            example=40,
        ),
    )
