"""
SLA metrics as definitions: when a clock starts, stops, pauses.

A metric is data plus two small predicates over a :class:`MetricSignal`
(what one event of the case log means for clocks). The engine owns every
rule common to all metrics: cycles stop when the case is solved or
closed, reopens follow the policy's reopen rule, pauses follow the
policy's pause statuses, targets and breaches are the engine's.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

import attrs

from servicecore.errors import InvalidValueError
from servicecore.models import CaseEvent, CaseStatus, EventKind

__all__ = [
    "BUILTIN_METRICS",
    "ClockBasis",
    "MetricDefinition",
    "MetricSignal",
    "ReopenRule",
    "TargetChangeRule",
]


class ReopenRule(enum.StrEnum):
    """
    What a metric's clock does when a solved case is reopened.

    ``resume`` continues the cycle the solve stopped (time spent solved
    does not count); ``first_close`` measures to the first solve only and
    ignores everything after it; ``new_cycle`` starts a fresh cycle at the
    reopen.

    >>> sc.sla.ReopenRule("first_close")
    <ReopenRule.FIRST_CLOSE: 'first_close'>
    """

    RESUME = "resume"
    FIRST_CLOSE = "first_close"
    NEW_CYCLE = "new_cycle"


class TargetChangeRule(enum.StrEnum):
    """
    What an open clock does when its target changes mid-cycle.

    ``keep_start`` (the default) keeps the start and the time consumed and
    applies the new target; ``restart`` starts the clock again at the
    change, with nothing consumed. A cycle that has already breached keeps
    its breach under either rule.

    >>> sc.sla.TargetChangeRule.KEEP_START.value
    'keep_start'
    """

    KEEP_START = "keep_start"
    RESTART = "restart"


class ClockBasis(enum.StrEnum):
    """
    Whether a target counts business time of the policy's calendar or all time.

    >>> sc.sla.ClockBasis("calendar")
    <ClockBasis.CALENDAR: 'calendar'>
    """

    BUSINESS = "business"
    CALENDAR = "calendar"


@attrs.frozen(kw_only=True)
class MetricSignal:
    """
    What one event of a case log means for SLA clocks.

    The engine builds one signal per event, in log order, and hands it to
    each metric's ``starts`` and ``stops`` predicates. Counters describe
    the case *before* this event.

    >>> signal = sc.sla.MetricSignal(
    ...     index=0, at_s=0, kind=sc.EventKind.CREATED,
    ...     status=sc.CaseStatus.NEW, previous_status=sc.CaseStatus.NEW,
    ... )
    >>> sc.sla.BUILTIN_METRICS[0].starts(signal)
    True

    Args:
        index: The event's position in the case log (0 is the creation).
        at_s: The event's moment, epoch seconds.
        kind: The event's kind.
        status: The case status after the event.
        previous_status: The case status before the event.
        is_customer_message: A public inbound message by the customer.
        is_agent_reply: A public outbound message by an agent, other than
            the message a case opened with (see ``began_outbound``).
        agent_replies: Agent replies logged before this event.
        customer_messages: Customer messages logged before this event.
        unanswered_since_s: The oldest customer message not yet followed
            by an agent reply, before this event; ``None`` if none.
        began_outbound: The case opened with a public agent message logged
            at its creation instant, before any customer message.
        event: The event itself (``None`` only in hand-made signals).
    """

    index: int
    at_s: int
    kind: EventKind
    status: CaseStatus
    previous_status: CaseStatus
    is_customer_message: bool = False
    is_agent_reply: bool = False
    agent_replies: int = 0
    customer_messages: int = 0
    unanswered_since_s: int | None = None
    began_outbound: bool = False
    event: CaseEvent | None = None


SignalTest = Callable[[MetricSignal], bool]

_STOP_STATUSES = frozenset({CaseStatus.SOLVED, CaseStatus.CLOSED})


def _metric_name(
    _: object, attribute: attrs.Attribute[str], value: str
) -> None:
    if not isinstance(value, str) or not value.isidentifier():
        raise InvalidValueError(
            attribute.name,
            f"a metric name is a lower-case identifier, got {value!r}",
        )


def _to_statuses(values: Iterable[str]) -> frozenset[CaseStatus]:
    return frozenset(CaseStatus(v) for v in values)


def _never(_: MetricSignal) -> bool:
    return False


@attrs.frozen(kw_only=True)
class MetricDefinition:
    """
    An SLA metric: the rules that start and stop its clock.

    Every metric's cycles also stop when the case is solved or closed (the
    stop statuses, which can therefore never pause a clock); a reopen
    follows ``reopen`` unless the policy says otherwise; the clock pauses
    while the case is in one of ``pause_statuses`` unless the policy names
    its own. A new cycle starts only when no cycle of the metric is open,
    never while the case is solved or closed, and, for ``once`` metrics,
    only if none ever started (a ``new_cycle`` reopen excepted).

    >>> first_touch = sc.sla.MetricDefinition(
    ...     name="first_touch",
    ...     description="creation to any agent message, public or not",
    ...     starts=lambda s: s.kind == "created",
    ...     stops=lambda s: s.kind == "message" and s.event.interaction
    ...     .author_kind == "agent",
    ...     once=True,
    ... )
    >>> first_touch.name, first_touch.reopen
    ('first_touch', <ReopenRule.RESUME: 'resume'>)

    Args:
        name: The metric's name in policies and reports.
        description: One line for documentation and explanations.
        starts: Whether an event starts a cycle (no cycle being open).
        stops: Whether an event fulfils the open cycle.
        pause_statuses: Statuses that pause the clock by default.
        reopen: The default reopen rule.
        once: At most one cycle per case.
        owed_on_reopen: Whether a reopen that resumed nothing starts a
            cycle anyway (e.g. an unanswered customer message).

    Raises:
        InvalidValueError: the name is not an identifier, or a pause
            status is a stop status.
    """

    name: str = attrs.field(validator=_metric_name)
    description: str = ""
    starts: SignalTest
    stops: SignalTest = _never
    pause_statuses: frozenset[CaseStatus] = attrs.field(
        default=frozenset(), converter=_to_statuses
    )
    reopen: ReopenRule = ReopenRule.RESUME
    once: bool = False
    owed_on_reopen: SignalTest = _never

    @pause_statuses.validator
    def _check_pause(
        self, _: attrs.Attribute[frozenset[CaseStatus]], value: frozenset[str]
    ) -> None:
        stop = sorted(str(s) for s in value & _STOP_STATUSES)
        if stop:
            raise InvalidValueError(
                "pause_statuses",
                f"{stop[0]!r} is a stop status; a clock cannot pause there",
            )


def _created(signal: MetricSignal) -> bool:
    return signal.kind == EventKind.CREATED


def _first_reply_starts(signal: MetricSignal) -> bool:
    if signal.began_outbound:
        return signal.is_customer_message
    return signal.kind == EventKind.CREATED


def _agent_reply(signal: MetricSignal) -> bool:
    return signal.is_agent_reply


def _next_reply_starts(signal: MetricSignal) -> bool:
    return signal.is_customer_message and signal.agent_replies > 0


def _next_reply_owed(signal: MetricSignal) -> bool:
    return signal.unanswered_since_s is not None and signal.agent_replies > 0


_WAITING = frozenset({CaseStatus.PENDING, CaseStatus.ON_HOLD})

BUILTIN_METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition(
        name="first_reply",
        description=(
            "creation (or the first customer message of a case opened by an"
            " agent) to the first public agent reply"
        ),
        starts=_first_reply_starts,
        stops=_agent_reply,
        once=True,
    ),
    MetricDefinition(
        name="next_reply",
        description=(
            "the oldest unanswered customer message after an agent reply to"
            " the next public agent reply; one cycle per run of messages"
        ),
        starts=_next_reply_starts,
        stops=_agent_reply,
        owed_on_reopen=_next_reply_owed,
    ),
    MetricDefinition(
        name="periodic_update",
        description="each public agent reply to the next, while unsolved",
        starts=_agent_reply,
        stops=_agent_reply,
    ),
    MetricDefinition(
        name="pausable_update",
        description=(
            "each public agent reply to the next, while unsolved; paused in"
            " pending and on_hold"
        ),
        starts=_agent_reply,
        stops=_agent_reply,
        pause_statuses=_WAITING,
    ),
    MetricDefinition(
        name="resolution",
        description="creation to solved; a reopen resumes the same clock",
        starts=_created,
        once=True,
    ),
    MetricDefinition(
        name="requester_wait",
        description="time in new, open and on_hold (pending does not count)",
        starts=_created,
        pause_statuses=frozenset({CaseStatus.PENDING}),
        once=True,
    ),
    MetricDefinition(
        name="agent_work",
        description="time in new and open",
        starts=_created,
        pause_statuses=_WAITING,
        once=True,
    ),
)
"""The built-in metrics, in report order."""
