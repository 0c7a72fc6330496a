"""Cases: a customer, a channel and a time-ordered log of events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import pendulum

from servicecore._time import from_epoch, to_epoch
from servicecore.errors import (
    CaseMismatchError,
    EventOrderError,
    InvalidTransitionError,
    ModelError,
)
from servicecore.models import _validate as v
from servicecore.models._enums import (
    AuthorKind,
    CaseStatus,
    Channel,
    Direction,
)
from servicecore.models._events import (
    EVENT_TYPES,
    Assigned,
    CaseCreated,
    CaseEvent,
    FieldChanged,
    MessageAdded,
    PriorityChanged,
    StatusChanged,
    TagsChanged,
)
from servicecore.models._mapping import FrozenMap
from servicecore.models._people import Customer
from servicecore.models._state import CaseState

__all__ = ["Case", "check_transition"]

_EVENT_CLASSES = frozenset(EVENT_TYPES.values())
_NEW = CaseStatus.NEW
_OPEN = CaseStatus.OPEN
_SOLVED = CaseStatus.SOLVED
_CLOSED = CaseStatus.CLOSED
_AGENT = AuthorKind.AGENT
_CUSTOMER = AuthorKind.CUSTOMER
_INBOUND = Direction.INBOUND
_OUTBOUND = Direction.OUTBOUND


def check_transition(
    before: CaseStatus, after: CaseStatus, location: str
) -> None:
    """
    Raise unless a case may go from status *before* to *after*.

    Raises:
        InvalidTransitionError: *before* is closed (terminal), *after* is
            *before*, or *after* is new.
    """
    if before is _CLOSED:
        raise InvalidTransitionError(
            location,
            f"cannot change a closed case to {after.value!r}: closed is "
            "terminal; open a new case instead",
        )
    if after is before:
        raise InvalidTransitionError(
            location, f"the case is already {after.value!r}"
        )
    if after is _NEW:
        raise InvalidTransitionError(
            location,
            f"cannot change a {before.value!r} case back to 'new'",
        )


def _iso(seconds: int) -> str:
    return from_epoch(seconds).isoformat()


def _to_events(values: Iterable[CaseEvent]) -> tuple[CaseEvent, ...]:
    if isinstance(values, tuple):
        return values
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ModelError("events", f"expected events, got {v.brief(values)}")
    return tuple(values)


def _customer(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Customer):
        raise ModelError(
            "customer", f"expected a Customer, got {v.brief(value)}"
        )


def _events(
    instance: Case, _: attrs.Attribute[Any], events: tuple[CaseEvent, ...]
) -> None:
    """Check the whole log in one pass and cache the last status."""
    if not events or type(events[0]) is not CaseCreated:
        first = type(events[0]).__name__ if events else "nothing"
        raise ModelError(
            "events[0]", f"a case starts with CaseCreated, got {first}"
        )
    case_id = instance.id
    status = _NEW
    last_s = events[0].at_s
    for i, event in enumerate(events):
        cls = type(event)
        if cls not in _EVENT_CLASSES:
            raise ModelError(
                f"events[{i}]", f"expected a case event, got {v.brief(event)}"
            )
        if i and cls is CaseCreated:
            raise ModelError(
                f"events[{i}]", "a case has one CaseCreated, the first event"
            )
        if event.case_id != case_id:
            raise CaseMismatchError(
                f"events[{i}].case_id",
                f"event of case {event.case_id!r} in case {case_id!r}",
            )
        at_s = event.at_s
        if at_s < last_s:
            raise EventOrderError(
                f"events[{i}].at",
                f"{_iso(at_s)} is before the previous event at "
                f"{_iso(last_s)}; events are time-ordered",
            )
        last_s = at_s
        if cls is StatusChanged:
            after = event.status  # type: ignore[union-attr]
            check_transition(status, after, f"events[{i}].status")
            status = after
    object.__setattr__(instance, "_status", status)


@attrs.frozen(kw_only=True)
class Case:
    """
    A customer's request: who, through which channel, and its event log.

    The log is an append-only, time-ordered tuple of events starting with
    :class:`CaseCreated`, all of this case. Status, priority, assignee,
    reply times and counts are derived from it at a moment by
    :meth:`state_at`. Cases are immutable: :meth:`append` returns a new
    case. The whole log is validated when a case is built; :meth:`append`
    checks only the new event.

    >>> t0 = pendulum.datetime(2024, 3, 1, 9, tz="Europe/Zurich")
    >>> case = sc.Case(
    ...     id="case-1", customer=sc.Customer(id="c-1"), subject="Refund",
    ...     channel="email", events=[sc.CaseCreated(case_id="case-1", at=t0)],
    ... )
    >>> case = case.append(sc.StatusChanged(
    ...     case_id="case-1", at=t0.add(hours=1), status="open"))
    >>> case.state_at(t0.add(hours=2)).status, len(case.events)
    (<CaseStatus.OPEN: 'open'>, 2)
    >>> case.append(sc.StatusChanged(case_id="case-1", at=t0, status="solved"))
    Traceback (most recent call last):
    ...
    servicecore.errors.EventOrderError: event.at: 2024-03-01T08:00:00+00:00 is before ...

    Args:
        id: The host's identifier, non-empty.
        customer: The customer.
        subject: The subject line.
        channel: The channel the case came in through.
        events: The log: CaseCreated first, time-ordered, all with
            ``case_id == id``.

    Raises:
        ModelError: A field is wrong, or the log does not start with one
            CaseCreated.
        CaseMismatchError: An event belongs to another case.
        EventOrderError: An event is before the event preceding it.
        InvalidTransitionError: A status change the lifecycle forbids.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    customer: Customer = attrs.field(validator=_customer)
    subject: str = attrs.field(default="", validator=v.is_str)
    channel: Channel = attrs.field(converter=v.to_channel)
    events: tuple[CaseEvent, ...] = attrs.field(
        converter=_to_events, validator=_events
    )
    # The status after the last event, so append() checks one transition
    # instead of replaying the log. Derived, hence out of eq/hash/repr.
    _status: CaseStatus = attrs.field(
        init=False, default=_NEW, eq=False, hash=False, repr=False
    )

    @property
    def created_at_s(self) -> int:
        """When the case was created, epoch seconds."""
        return self.events[0].at_s

    @property
    def created_at(self) -> pendulum.DateTime:
        """When the case was created, in UTC."""
        return from_epoch(self.events[0].at_s)

    @property
    def status(self) -> CaseStatus:
        """The status after the last event (see :meth:`state_at`)."""
        return self._status

    def append(self, event: CaseEvent) -> Case:
        """
        Return a new case with *event* at the end of the log.

        Only the new event is checked: it must be of this case, not before
        the last event (the same second is fine), and a status change must
        be allowed from the current status.

        >>> t0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")
        >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="chat",
        ...                events=[sc.CaseCreated(case_id="k", at=t0)])
        >>> closed = case.append(sc.StatusChanged(case_id="k", at=t0, status="closed"))
        >>> closed.append(sc.StatusChanged(case_id="k", at=t0, status="open"))
        Traceback (most recent call last):
        ...
        servicecore.errors.InvalidTransitionError: event.status: cannot change a closed case...

        Args:
            event: The event to add.

        Returns:
            A new case; this one is unchanged.

        Raises:
            ModelError: *event* is not a case event, or is a CaseCreated.
            CaseMismatchError: *event* belongs to another case.
            EventOrderError: *event* is before the last event.
            InvalidTransitionError: the status change is not allowed.
        """
        cls = type(event)
        if cls not in _EVENT_CLASSES:
            raise ModelError(
                "event", f"expected a case event, got {v.brief(event)}"
            )
        if cls is CaseCreated:
            raise ModelError("event", "a case has one CaseCreated, the first")
        if event.case_id != self.id:
            raise CaseMismatchError(
                "event.case_id",
                f"event of case {event.case_id!r} appended to case "
                f"{self.id!r}",
            )
        last_s = self.events[-1].at_s
        if event.at_s < last_s:
            raise EventOrderError(
                "event.at",
                f"{_iso(event.at_s)} is before the case's last event at "
                f"{_iso(last_s)}; events are time-ordered",
            )
        status = self._status
        if cls is StatusChanged:
            after = event.status  # type: ignore[union-attr]
            check_transition(status, after, "event.status")
            status = after
        # Everything is checked: build the new case without re-validating
        # the whole log in Python (only the tuple is copied, in C).
        new = object.__new__(Case)
        setattr_ = object.__setattr__
        setattr_(new, "id", self.id)
        setattr_(new, "customer", self.customer)
        setattr_(new, "subject", self.subject)
        setattr_(new, "channel", self.channel)
        setattr_(new, "events", (*self.events, event))
        setattr_(new, "_status", status)
        return new

    def state_at(self, at: datetime) -> CaseState:
        """
        Return what the log says at *at*: events at or before it count.

        >>> t0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")
        >>> reply = sc.Interaction(id="m-1", channel="email", direction="outbound",
        ...                        author_kind="agent", author_id="a-1", at=t0.add(hours=2))
        >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="email", events=[
        ...     sc.CaseCreated(case_id="k", at=t0),
        ...     sc.MessageAdded(case_id="k", interaction=reply),
        ... ])
        >>> case.state_at(t0.add(hours=1)).first_agent_reply_at is None
        True
        >>> case.state_at(t0.add(hours=3)).first_agent_reply_at
        DateTime(2024, 3, 1, 11, 0, 0, tzinfo=Timezone('UTC'))

        Args:
            at: The moment, an aware datetime of any zone.

        Returns:
            The derived state.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            ModelError: *at* is before the case was created.
        """
        return self.state_at_s(to_epoch(at, "at"))

    def state_at_s(self, at_s: int) -> CaseState:  # noqa: C901, PLR0912, PLR0915
        """
        Return :meth:`state_at` for a moment in epoch seconds (the fast path).

        One pass over the events up to *at_s*, on integers.

        >>> case = sc.Case(id="k", customer=sc.Customer(id="c"), channel="web",
        ...                events=[sc.CaseCreated(case_id="k", at=100, priority="low")])
        >>> case.state_at_s(100).priority
        <Priority.LOW: 'low'>

        Args:
            at_s: The moment, epoch seconds.

        Returns:
            The derived state.

        Raises:
            ModelError: *at_s* is before the case was created.
        """
        events = self.events
        created: CaseCreated = events[0]  # type: ignore[assignment]
        created_s = created.at_s
        if at_s < created_s:
            raise ModelError(
                "at",
                f"{_iso(at_s)} is before the case was created at "
                f"{_iso(created_s)}",
            )
        status = _NEW
        priority = created.priority
        assignee_id: str | None = None
        team_id: str | None = None
        tags = created.tags
        fields: dict[str, Any] | None = None  # copied on the first change
        first_reply = last_customer = last_reply = None
        solved = closed = None
        reopens = messages = customer_messages = agent_messages = notes = 0
        last_interaction = None
        for i in range(1, len(events)):
            event = events[i]
            cls = type(event)
            if cls is MessageAdded:
                m = event.interaction  # type: ignore[union-attr]
                t = m.at_s
                if t > at_s:
                    break
                messages += 1
                last_interaction = m
                if not m.public:
                    notes += 1
                elif m.author_kind is _AGENT and m.direction is _OUTBOUND:
                    agent_messages += 1
                    last_reply = t
                    if first_reply is None:
                        first_reply = t
                elif m.author_kind is _CUSTOMER and m.direction is _INBOUND:
                    customer_messages += 1
                    last_customer = t
                continue
            t = event.at_s
            if t > at_s:
                break
            if cls is StatusChanged:
                after = event.status  # type: ignore[union-attr]
                if status is _SOLVED and after is not _CLOSED:
                    reopens += 1
                    solved = None
                if after is _SOLVED:
                    solved = t
                elif after is _CLOSED:
                    closed = t
                status = after
            elif cls is PriorityChanged:
                priority = event.priority  # type: ignore[union-attr]
            elif cls is Assigned:
                assignee_id = event.agent_id  # type: ignore[union-attr]
                team_id = event.team_id  # type: ignore[union-attr]
            elif cls is TagsChanged:
                tags = (tags | event.added) - event.removed  # type: ignore[union-attr]
            elif cls is FieldChanged:
                if fields is None:
                    fields = dict(created.fields)
                name = event.name  # type: ignore[union-attr]
                value = event.value  # type: ignore[union-attr]
                if value is None:
                    fields.pop(name, None)
                else:
                    fields[name] = value
        return CaseState(
            status=status,
            priority=priority,
            assignee_id=assignee_id,
            team_id=team_id,
            tags=tags,
            fields=created.fields if fields is None else FrozenMap(fields),
            created_at_s=created_s,
            first_agent_reply_at_s=first_reply,
            last_customer_message_at_s=last_customer,
            last_agent_reply_at_s=last_reply,
            solved_at_s=solved,
            closed_at_s=closed,
            reopen_count=reopens,
            message_count=messages,
            customer_message_count=customer_messages,
            agent_message_count=agent_messages,
            note_count=notes,
            last_interaction=last_interaction,
        )
