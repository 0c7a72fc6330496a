"""
Hypothesis strategies for servicecore models, for integrators' tests too.

This module needs hypothesis (``pip install hypothesis``); importing
``servicecore`` does not import it. Every strategy draws valid models:

>>> from hypothesis import given, settings
>>> from servicecore.testing import cases
>>> @settings(max_examples=20)
... @given(cases())
... def test_state_is_derived(case):
...     assert case.state_at_s(case.events[-1].at_s).status is case.status
>>> test_state_is_derived()

Moments are drawn between 2000 and 2040 (``MIN_S`` and ``MAX_S``).
"""

from __future__ import annotations

import string
from datetime import date

import pendulum
from hypothesis import strategies as st

from servicecore._time import from_epoch, get_timezone
from servicecore.models import (
    Agent,
    Assigned,
    AuthorKind,
    Case,
    CaseCreated,
    CaseEvent,
    CaseStatus,
    Channel,
    Customer,
    Direction,
    EscalationFired,
    FieldChanged,
    Interaction,
    MessageAdded,
    Priority,
    PriorityChanged,
    StatusChanged,
    SurveyKind,
    SurveyReceived,
    SurveyResponse,
    TagsChanged,
    Team,
)

__all__ = [
    "LOCALES",
    "MAX_S",
    "MIN_S",
    "TIME_ZONES",
    "agents",
    "case_events",
    "cases",
    "customers",
    "interactions",
    "moments",
    "survey_responses",
    "teams",
]

MIN_S = 946_684_800
"""The earliest moment drawn: 2000-01-01T00:00:00Z."""
MAX_S = 2_208_988_800
"""The latest moment drawn: 2040-01-01T00:00:00Z."""

LOCALES = (
    "en",
    "en_US",
    "de_CH",
    "fr_FR",
    "es_ES",
    "pt_BR",
    "ja_JP",
    "ar_EG",
    "zh_CN",
    "sr_Latn_RS",
)
"""The locales drawn."""
TIME_ZONES = (
    "UTC",
    "Europe/Zurich",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
)
"""The time zones drawn (with DST, half-hour and half-hour-DST zones)."""

_ID = st.text(
    string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12
)
_TAG = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8)
_TEXT = st.text(max_size=40)
_NAME = st.text(string.ascii_letters + "_", min_size=1, max_size=10)
_EMAILS = st.builds(lambda user, host: f"{user}@{host}.example", _ID, _ID)
_CHANNELS = st.sampled_from(Channel)
_VALUES = st.one_of(
    st.text(max_size=10),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)


def moments(
    min_s: int = MIN_S, max_s: int = MAX_S
) -> st.SearchStrategy[pendulum.DateTime]:
    """
    Draw aware pendulum ``DateTime`` objects in one of :data:`TIME_ZONES`.

    Args:
        min_s: The earliest moment, epoch seconds.
        max_s: The latest moment, epoch seconds.

    Returns:
        A strategy of whole-second moments between the two.
    """
    return st.builds(
        lambda s, zone: from_epoch(s, get_timezone(zone)),
        st.integers(min_s, max_s),
        st.sampled_from(TIME_ZONES),
    )


def customers() -> st.SearchStrategy[Customer]:
    """
    Draw valid customers with every optional field sometimes set.

    Returns:
        A strategy of :class:`~servicecore.Customer`.
    """
    return st.builds(
        Customer,
        id=_ID,
        name=_TEXT,
        email=st.none() | _EMAILS,
        phone=st.none() | st.integers(10**6, 10**12).map(lambda n: f"+{n}"),
        locale=st.sampled_from(LOCALES),
        time_zone=st.sampled_from(TIME_ZONES),
        tier=st.sampled_from(
            ("basic", "standard", "premium", "enterprise", "vip")
        ),
        segment=st.none() | st.sampled_from(("smb", "enterprise")),
        tags=st.frozensets(_TAG, max_size=3),
        attributes=st.dictionaries(_NAME, _VALUES, max_size=3),
        preferred_channel=st.none() | st.sampled_from(Channel),
        created_at=st.none() | moments(),
    )


def agents() -> st.SearchStrategy[Agent]:
    """Draw valid agents."""
    return st.builds(
        Agent,
        id=_ID,
        name=_TEXT,
        team_ids=st.frozensets(_ID, max_size=2),
        skills=st.frozensets(_TAG, max_size=3),
        locale=st.sampled_from(LOCALES),
        time_zone=st.sampled_from(TIME_ZONES),
    )


def teams() -> st.SearchStrategy[Team]:
    """Draw valid teams."""
    return st.builds(
        Team,
        id=_ID,
        name=_TEXT,
        member_ids=st.frozensets(_ID, max_size=4),
        skills=st.frozensets(_TAG, max_size=3),
        locale=st.sampled_from(LOCALES),
        time_zone=st.sampled_from(TIME_ZONES),
    )


def interactions(
    min_s: int = MIN_S, max_s: int = MAX_S
) -> st.SearchStrategy[Interaction]:
    """
    Draw valid interactions: messages, calls and internal notes.

    Args:
        min_s: The earliest ``at``, epoch seconds.
        max_s: The latest ``at``, epoch seconds.

    Returns:
        A strategy of :class:`~servicecore.Interaction`.
    """
    return st.builds(
        Interaction,
        id=_ID,
        channel=st.sampled_from(Channel),
        direction=st.sampled_from(Direction),
        author_kind=st.sampled_from(AuthorKind),
        author_id=st.none() | _ID,
        at=moments(min_s, max_s),
        body=_TEXT,
        public=st.booleans(),
    )


@st.composite
def _survey(
    draw: st.DrawFn, min_s: int, max_s: int, case_id: str | None
) -> SurveyResponse:
    kind = draw(st.sampled_from(SurveyKind))
    lo, hi = {SurveyKind.CSAT: (1, 5), SurveyKind.NPS: (0, 10)}.get(
        kind, (1, 7)
    )
    return SurveyResponse(
        id=draw(_ID),
        kind=kind,
        score=draw(st.integers(lo, hi)),
        comment=draw(_TEXT),
        at=draw(st.integers(min_s, max_s)),
        case_id=case_id,
        customer_id=draw(st.none() | _ID),
        agent_id=draw(st.none() | _ID),
        team_id=draw(st.none() | _ID),
        channel=draw(st.none() | st.sampled_from(Channel)),
    )


def survey_responses(
    min_s: int = MIN_S, max_s: int = MAX_S
) -> st.SearchStrategy[SurveyResponse]:
    """
    Draw valid survey responses of every kind, on their default scales.

    Args:
        min_s: The earliest ``at``, epoch seconds.
        max_s: The latest ``at``, epoch seconds.

    Returns:
        A strategy of :class:`~servicecore.SurveyResponse`.
    """
    return _survey(min_s, max_s, None)


# Messages and status changes are the common events of a real log.
_KINDS = st.sampled_from(
    ("message",) * 3 + ("status",) * 2
    + ("priority", "assigned", "tags", "field", "other")
)  # fmt: skip
_DIRECTIONS = st.sampled_from(Direction)
_AUTHORS = st.sampled_from(AuthorKind)
_STATUSES = tuple(CaseStatus)
_NEW = CaseStatus.NEW
_CLOSED = CaseStatus.CLOSED


def _next_statuses(status: CaseStatus) -> list[CaseStatus]:
    """The statuses a case in *status* may change to."""
    if status is _CLOSED:
        return []
    return [s for s in _STATUSES if s is not status and s is not _NEW]


@st.composite
def case_events(
    draw: st.DrawFn,
    case_id: str = "case-1",
    *,
    max_events: int = 20,
    min_s: int = MIN_S,
    max_s: int = MAX_S - 100 * 86_400,
) -> list[CaseEvent]:
    """
    Draw a valid event log: CaseCreated first, then time-ordered events.

    Status changes follow the lifecycle (closed is terminal, nothing goes
    back to new, no change to the same status); gaps between events range
    from zero (same second) to a few days.

    Args:
        draw: Supplied by hypothesis; callers leave it out.
        case_id: The case the events belong to.
        max_events: The most events drawn, CaseCreated included.
        min_s: The earliest creation, epoch seconds.
        max_s: The latest creation, epoch seconds.

    Returns:
        A strategy of lists of events, valid as a :class:`~servicecore.Case`
        log.
    """
    t = draw(st.integers(min_s, max_s))
    events: list[CaseEvent] = [
        CaseCreated(
            case_id=case_id,
            at=t,
            priority=draw(st.sampled_from(Priority)),
            tags=draw(st.frozensets(_TAG, max_size=3)),
            fields=draw(st.dictionaries(_NAME, _VALUES, max_size=2)),
        )
    ]
    status = _NEW
    count = draw(st.integers(0, max_events - 1))
    gaps = st.one_of(st.just(0), st.integers(1, 3 * 86_400))
    for _ in range(count):
        t += draw(gaps)
        kind = draw(_KINDS)
        event: CaseEvent
        if kind == "message":
            message = Interaction(
                id=draw(_ID),
                channel=draw(_CHANNELS),
                direction=draw(_DIRECTIONS),
                author_kind=draw(_AUTHORS),
                author_id=draw(st.none() | _ID),
                at=t,
                body=draw(_TEXT),
                public=draw(st.booleans()),
            )
            event = MessageAdded(case_id=case_id, interaction=message)
        elif kind == "status":
            choices = _next_statuses(status)
            if not choices:
                continue
            status = draw(st.sampled_from(choices))
            event = StatusChanged(case_id=case_id, at=t, status=status)
        elif kind == "priority":
            event = PriorityChanged(
                case_id=case_id, at=t, priority=draw(st.sampled_from(Priority))
            )
        elif kind == "assigned":
            event = Assigned(
                case_id=case_id,
                at=t,
                agent_id=draw(st.none() | _ID),
                team_id=draw(st.none() | _ID),
            )
        elif kind == "tags":
            added = draw(st.frozensets(_TAG, max_size=2))
            removed = draw(st.frozensets(_TAG, max_size=2)) - added
            event = TagsChanged(
                case_id=case_id, at=t, added=added, removed=removed
            )
        elif kind == "field":
            event = FieldChanged(
                case_id=case_id,
                at=t,
                name=draw(_NAME),
                value=draw(st.none() | _VALUES),
            )
        elif draw(st.booleans()):
            response = draw(_survey(t, t, draw(st.none() | st.just(case_id))))
            event = SurveyReceived(case_id=case_id, response=response)
        else:
            event = EscalationFired(
                case_id=case_id,
                at=t,
                policy=draw(_ID),
                level=draw(st.integers(0, 3)),
                dedupe_key=draw(_ID),
                metric=draw(
                    st.none() | st.sampled_from(("first_reply", "resolution"))
                ),
                cycle=draw(st.none() | st.integers(0, 3)),
            )
        events.append(event)
    return events


@st.composite
def cases(draw: st.DrawFn, *, max_events: int = 20) -> Case:
    """
    Draw valid cases: a customer, a channel and a valid event log.

    Args:
        draw: Supplied by hypothesis; callers leave it out.
        max_events: The most events in the log.

    Returns:
        A strategy of :class:`~servicecore.Case`.
    """
    case_id = draw(_ID)
    return Case(
        id=case_id,
        customer=draw(customers()),
        subject=draw(_TEXT),
        channel=draw(st.sampled_from(Channel)),
        events=draw(case_events(case_id, max_events=max_events)),
    )
