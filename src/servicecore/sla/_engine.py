"""
The SLA engine: replay a case's event log through every metric's clock.

The walk goes through the events in log order, grouped by instant. At each
instant it first records the breach of every running clock whose deadline
is at or before that instant, then selects the policy (first match wins)
and the target (from the priority) over the case as it is after all of
that instant's events, applies the new targets to running clocks, and
finally feeds the instant's events one by one, in log order, to each
metric's clock. A report at ``at`` only ever sees events at or before
``at``, so it is what the engine would have said then.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from servicecore._problems import raise_all
from servicecore._time import format_duration, from_epoch, to_epoch
from servicecore.conditions import Condition, EvaluationContext
from servicecore.errors import (
    InvalidValueError,
    ModelError,
    PolicyError,
    did_you_mean,
)
from servicecore.models import (
    AuthorKind,
    Case,
    CaseCreated,
    CaseEvent,
    CaseStatus,
    Direction,
    EventKind,
    Interaction,
    MessageAdded,
    Priority,
    StatusChanged,
)
from servicecore.plugins import register_kind
from servicecore.sla._clock import ALL_TIME, BusinessClock

if TYPE_CHECKING:
    from servicecore.sla._compliance import ComplianceReport, PolicyDiff
from servicecore.sla._metrics import (
    BUILTIN_METRICS,
    ClockBasis,
    MetricDefinition,
    MetricSignal,
    ReopenRule,
    TargetChangeRule,
)
from servicecore.sla._policy import SLAPolicy, SLAPolicySet, SLAThreshold
from servicecore.sla._report import (
    ClockState,
    CycleReport,
    LedgerKind,
    MetricReport,
    PolicyChoice,
    SLALedgerEntry,
    SLAReport,
    metric_report,
)

__all__ = ["SLAEngine", "sla_metrics"]

_STOP = frozenset({CaseStatus.SOLVED, CaseStatus.CLOSED})
# Enum members read through their class cost a descriptor call each time;
# the walk compares against these module constants instead.
_STATUS_CHANGED = EventKind.STATUS_CHANGED
_at_s = attrgetter("at_s")
_BREACHED = ClockState.BREACHED
_ACHIEVED = ClockState.ACHIEVED
_PAUSED = ClockState.PAUSED
_ACTIVE = ClockState.ACTIVE
_MEASURING = ClockState.MEASURING
_MEASURED = ClockState.MEASURED
_BASIS_TEXT = {basis: basis.value for basis in ClockBasis}

# What an event is to the clocks, as play() classifies it.
_ON_CREATED = 0
_ON_CUSTOMER = 1  # a customer message
_ON_REPLY = 2  # an agent reply
_ON_STATUS = 3
_ON_OTHER = 4  # notes, other messages, tags, fields, assignments...
_ROLES = range(5)
#: The roles of the events whose signals each built-in metric's predicates
#: can answer True to (status changes reach every clock: the engine stops,
#: reopens and pauses them). Feeding a clock anything else does nothing, so
#: the walk skips it; metrics from elsewhere get every event.
_BUILTIN_REACTS: dict[str, frozenset[int]] = {
    "first_reply": frozenset({_ON_CREATED, _ON_CUSTOMER, _ON_REPLY}),
    "next_reply": frozenset({_ON_CUSTOMER, _ON_REPLY}),
    "periodic_update": frozenset({_ON_REPLY}),
    "pausable_update": frozenset({_ON_REPLY}),
    "resolution": frozenset({_ON_CREATED}),
    "requester_wait": frozenset({_ON_CREATED}),
    "agent_work": frozenset({_ON_CREATED}),
}


def _reacts(definition: MetricDefinition) -> frozenset[int]:
    """Return the roles of the events *definition*'s clock reacts to."""
    if definition in BUILTIN_METRICS:
        return _BUILTIN_REACTS[definition.name] | {_ON_STATUS}
    return frozenset(_ROLES)


_K = EventKind
#: What can change each built-in field between events: the event kinds
#: after which a condition reading it must be checked again. Fields not
#: listed (time-dependent ones such as ``case.age``, plugin fields) are
#: checked at every instant with events.
_CHANGED_BY: dict[str, frozenset[EventKind]] = {
    "case.id": frozenset(),
    "case.channel": frozenset(),
    "case.subject": frozenset(),
    "case.status": frozenset({_K.STATUS_CHANGED}),
    "case.reopen_count": frozenset({_K.STATUS_CHANGED}),
    "case.priority": frozenset({_K.PRIORITY_CHANGED}),
    "case.tags": frozenset({_K.TAGS_CHANGED}),
    "case.assignee": frozenset({_K.ASSIGNED}),
    "case.team": frozenset({_K.ASSIGNED}),
    "case.message_count": frozenset({_K.MESSAGE}),
    "case.customer_message_count": frozenset({_K.MESSAGE}),
    "case.agent_message_count": frozenset({_K.MESSAGE}),
    "case.note_count": frozenset({_K.MESSAGE}),
    "case.has_agent_reply": frozenset({_K.MESSAGE}),
    "interaction.author_kind": frozenset({_K.MESSAGE}),
    "interaction.body": frozenset({_K.MESSAGE}),
    "interaction.channel": frozenset({_K.MESSAGE}),
    "interaction.direction": frozenset({_K.MESSAGE}),
    "interaction.public": frozenset({_K.MESSAGE}),
}
_STATIC_PREFIXES = ("customer.",)
_TIMED = frozenset({"customer.local_hour", "customer.local_weekday"})


def _changed_by(policies: Iterable[SLAPolicy]) -> frozenset[EventKind] | None:
    """Return the event kinds that can change the selection (None: all)."""
    kinds: set[EventKind] = set()
    for policy in policies:
        when = policy.when
        if when is None:
            continue
        if not isinstance(when, Condition):
            return None
        for field in when.fields:
            if field.startswith("case.fields."):
                kinds.add(_K.FIELD_CHANGED)
            elif field in _CHANGED_BY:
                kinds |= _CHANGED_BY[field]
            elif field.startswith(_STATIC_PREFIXES) and field not in _TIMED:
                continue
            else:
                return None
    return frozenset(kinds)


def _reads_calendar(when: object) -> bool:
    """
    Return whether condition *when* may read the policy's calendar.

    Only the ``moment.*`` fields read it (zone and hours); a condition over
    case and customer fields alone gives the same answer in any context of
    the case and moment, so the walk evaluates all such conditions on one.
    """
    if not isinstance(when, Condition):
        return True
    return not all(
        field in _CHANGED_BY or field.startswith(("case.fields.", "customer."))
        for field in when.fields
    )


#: The registry kind under which plugins may add SLA metrics.
METRIC_KIND = "sla_metric"


def _check_metric(item: object) -> str:
    """Return what is wrong with *item* as an SLA metric, or ``""``."""
    if isinstance(item, MetricDefinition):
        return ""
    return "is not an SLA metric: build it with servicecore.MetricDefinition"


register_kind(
    METRIC_KIND,
    _check_metric,
    evaluates=("starts", "stops", "owed_on_reopen"),
)


def sla_metrics(registry: Any = None) -> tuple[MetricDefinition, ...]:  # noqa: ANN401 - a Registry
    """
    Return the built-in metrics plus those *registry* holds.

    A registry that knows the ``sla_metric`` kind contributes its items
    (as :class:`MetricDefinition`) after the built-ins.

    >>> [m.name for m in sc.sla.sla_metrics()][:3]
    ['first_reply', 'next_reply', 'periodic_update']

    Args:
        registry: A :class:`~servicecore.Registry`, or ``None``.

    Returns:
        The metric definitions, built-ins first.
    """
    found = list(BUILTIN_METRICS)
    if registry is not None:
        try:
            names = registry.names(METRIC_KIND)
        except (KeyError, AttributeError):
            names = []
        for name in names:
            item = registry.get(METRIC_KIND, name)
            if isinstance(item, MetricDefinition):
                found = [m for m in found if m.name != item.name]
                found.append(item)
    return tuple(found)


@attrs.frozen
class _Settings:
    """One policy's resolved settings for one metric."""

    pause: frozenset[CaseStatus]
    reopen: ReopenRule
    change: TargetChangeRule
    warnings: tuple[SLAThreshold, ...]
    basis: ClockBasis


@attrs.frozen
class _View:
    """The tracked metrics one evaluation follows, and what each reacts to."""

    #: The metrics' positions among the engine's tracked metrics.
    positions: tuple[int, ...]
    #: By event role (_ON_*), the indexes (into ``positions``) of the
    #: metrics whose clocks can react to such an event.
    reacting: tuple[tuple[int, ...], ...]
    #: By event role, whether all the metrics that react are built in
    #: (the walk then feeds them without a MetricSignal).
    builtin_only: tuple[bool, ...]


#: The policy that applies (None: no SLA) and the policies rejected before it.
_Selection = tuple["_Compiled | None", tuple[str, ...]]
#: How many selections an engine keeps (see SLAEngine.selections).
_SELECTIONS = 4096
#: A metric's settings, target and thresholds under a policy and priority.
_Row = tuple[_Settings, int | None, tuple[tuple[int, str], ...]]


@attrs.frozen
class _Compiled:
    """A policy ready for the walk."""

    policy: SLAPolicy
    index: int
    calendar: BusinessClock | None
    by_customer_zone: bool
    #: Whether the condition may read the calendar (see _reads_calendar).
    reads_calendar: bool
    #: The condition's test (its compiled predicate); None: every case.
    test: Callable[[Any], bool] | None
    #: By priority, each tracked metric's settings, target and warning
    #: thresholds ``(consumed seconds, label)``, in track order: what
    #: reselect() gives the tracks, worked out once for every walk.
    rows: Mapping[Priority, tuple[_Row, ...]]
    name: str


class _Cycle:
    """One running or finished cycle of a metric (mutable during a walk)."""

    __slots__ = (
        "active_since",
        "basis",
        "breached",
        "by_solve",
        "clock",
        "consumed",
        "deadline",
        "index",
        "original_deadline",
        "policy",
        "priority",
        "start",
        "stop_cause",
        "stopped",
        "target",
        "thresholds",
    )

    def __init__(self, index: int, start: int, track: _Track) -> None:
        self.index = index
        self.start = start
        self.active_since: int | None = None
        self.consumed = 0
        self.deadline: int | None = None
        self.original_deadline: int | None = None
        self.stopped: int | None = None
        self.stop_cause: _Cause | None = None
        self.breached: int | None = None
        self.by_solve = False
        # The target the track's policy and priority give now.
        self.target = track.target
        self.clock = track.clock
        self.policy = track.policy
        self.priority = track.priority
        self.basis = track.settings.basis
        self.thresholds = track.thresholds


class _Track:
    """
    One metric's cycles during a walk, and what its policy gives it now.

    ``settings``, ``target``, ``thresholds``, ``clock``, ``policy`` and
    ``priority`` follow the policy and priority selected (``reselect``);
    a new cycle takes them as they are.
    """

    __slots__ = (
        "builtin",
        "clock",
        "cycles",
        "definition",
        "finished",
        "name",
        "open",
        "policy",
        "position",
        "priority",
        "settings",
        "starts_on",
        "target",
        "thresholds",
    )

    def __init__(
        self, spec: _Spec, settings: _Settings, position: int
    ) -> None:
        self.definition, self.name, self.builtin, self.starts_on = spec
        self.settings = settings
        #: The metric's position among the engine's tracked metrics.
        self.position = position
        self.cycles: list[_Cycle] = []
        self.open: _Cycle | None = None
        self.finished = False
        self.target: int | None = None
        self.thresholds: tuple[tuple[int, str], ...] = ()
        self.clock: BusinessClock = ALL_TIME
        self.policy: str | None = None
        self.priority: str | None = None


#: What a track is, for every walk: its metric, the metric's name, whether
#: it is built in, and for a built-in metric the role of the events that
#: start its cycles (see _BUILTIN_STARTS; None for metrics from elsewhere).
_Spec = tuple[MetricDefinition, str, bool, int | None]


#: The event role that starts each built-in metric's cycles (first_reply's
#: is the customer's message instead when agents opened the case, and
#: next_reply's needs an agent reply before it; see _Walk.fast_feed).
_BUILTIN_STARTS = {
    "first_reply": _ON_CREATED,
    "next_reply": _ON_CUSTOMER,
    "periodic_update": _ON_REPLY,
    "pausable_update": _ON_REPLY,
    "resolution": _ON_CREATED,
    "requester_wait": _ON_CREATED,
    "agent_work": _ON_CREATED,
}


def _opening_end(events: Sequence[CaseEvent], n: int) -> int:
    """
    Return the end of the opening: agent messages that opened the case.

    Public agent messages logged at the creation instant before any
    customer message open the case; they answer no one, so they are not
    replies (and first_reply starts at the customer's first message).
    """
    created_s = events[0].at_s
    end = 0
    for k in range(1, n):
        event = events[k]
        if event.at_s != created_s:
            break
        if isinstance(event, MessageAdded) and event.interaction.public:
            it = event.interaction
            if it.direction == Direction.INBOUND:
                break
            if it.author_kind == AuthorKind.AGENT:
                end = k + 1
    return end


_INBOUND = Direction.INBOUND
_CUSTOMER = AuthorKind.CUSTOMER
_AGENT = AuthorKind.AGENT
_CREATED = EventKind.CREATED
_PRIORITY_CHANGED = EventKind.PRIORITY_CHANGED
#: What re-selects the policy when conditions read time or plugin fields:
#: every event but a recorded escalation, so that recording one (as a host
#: does for every escalation decision it carries out) never changes SLA
#: state, and escalation triggers reading SLA state see the same clocks.
_EVERY_KIND = frozenset(EventKind) - {EventKind.ESCALATION_FIRED}


def _instant(
    events: Sequence[CaseEvent],
    i: int,
    n: int,
    kinds: frozenset[EventKind],
    priority: Priority,
) -> tuple[int, bool, Priority]:
    """
    Scan the events of one instant, from *i*.

    Return the end of the instant, whether an event of one of *kinds*
    happened, and the priority after it.
    """
    at = events[i].at_s
    changed = False
    j = i
    while j < n:
        event = events[j]
        if event.at_s != at:
            break
        kind = event.kind
        if kind in kinds:
            changed = True
        if kind is _PRIORITY_CHANGED or kind is _CREATED:
            priority = event.priority  # type: ignore[union-attr]
        j += 1
    return j, changed, priority


def _message_role(it: Interaction, opening: bool) -> int:  # noqa: FBT001
    """
    Return the role of a message: a customer message, an agent reply, other.

    Public agent messages of the opening (see _opening_end) are no replies.
    """
    if not it.public:
        return _ON_OTHER
    if it.direction is _INBOUND:
        return _ON_CUSTOMER if it.author_kind is _CUSTOMER else _ON_OTHER
    if it.author_kind is _AGENT and not opening:
        return _ON_REPLY
    return _ON_OTHER


def _calendar_of(clock: BusinessClock) -> Any:  # noqa: ANN401 - a calendar
    """Return the calendar conditions see (``None`` for 24x7 time)."""
    return None if clock is ALL_TIME else clock


#: A cause in words, or a deferred call that makes it: ``(function, *args)``.
#: Causes show only in the ledger and in ``stop_cause``, which most callers
#: never read, so the walk keeps the call and the words are made on demand.
_Cause = str | tuple[Any, ...]
#: A ledger entry's fields as the walk records them, cause deferred.
_Entry = tuple[int, str, int, LedgerKind, _Cause, int | None]


def _text(cause: _Cause) -> str:
    """Return *cause* in words, making them if deferred."""
    if isinstance(cause, str):
        return cause
    return str(cause[0](*cause[1:]))


def _used_up(target: int) -> str:
    return f"target {format_duration(target)} used up"


def _target_applied(
    target: int | None,
    policy: str | None,
    priority: str,
    restart: bool,  # noqa: FBT001 - a positional part of a deferred call
    cause: _Cause,
) -> str:
    shown = "no target" if target is None else format_duration(target)
    source = (
        "no SLA policy"
        if policy is None
        else f"policy {policy!r} at priority {priority}"
    )
    how = " (restarted)" if restart else ""
    return f"{shown} from {source}{how}: {_text(cause)}"


def _build_ledger(entries: list[_Entry]) -> tuple[SLALedgerEntry, ...]:
    """Return the ledger of a walk's recorded entries."""
    return tuple(
        SLALedgerEntry(
            at_s=at,
            metric=metric,
            cycle=cycle,
            kind=kind,
            cause=_text(cause),
            event_index=event,
        )
        for at, metric, cycle, kind, cause, event in entries
    )


#: Every kind of message and status change in words, made once.
_MESSAGE_TEXT = {
    (public, direction, who): (
        f"{'public' if public else 'internal'} {direction.value} "
        f"{who.value} message"
    )
    for public in (True, False)
    for direction in Direction
    for who in AuthorKind
}
_STATUS_TEXT = {
    (old, new): f"status {old.value} -> {new.value}"
    for old in CaseStatus
    for new in CaseStatus
}
_KIND_TEXT = {
    kind: str(kind.value).replace("_", " ") for kind in EventKind
} | {EventKind.CREATED: "case created"}


def _describe(event: Any, index: int, previous: CaseStatus) -> str:  # noqa: ANN401 - a CaseEvent
    kind = event.kind
    if kind == EventKind.MESSAGE:
        it = event.interaction
        text = _MESSAGE_TEXT[it.public, it.direction, it.author_kind]
    elif kind == EventKind.STATUS_CHANGED:
        text = _STATUS_TEXT[previous, event.status]
    elif kind == EventKind.PRIORITY_CHANGED:
        text = f"priority changed to {event.priority.value}"
    else:
        text = _KIND_TEXT[kind]
    return f"{text} (event {index})"


def _policy_clock(compiled: _Compiled, time_zone: str) -> BusinessClock:
    """Return the clock of *compiled*'s business-time targets in a zone."""
    calendar = compiled.calendar
    if calendar is None:
        return ALL_TIME
    if not compiled.by_customer_zone:
        return calendar
    return calendar.in_zone(time_zone)  # type: ignore[attr-defined,no-any-return]


_ACTIVATED = LedgerKind.ACTIVATED
_PAUSED_ENTRY = LedgerKind.PAUSED
_RESUMED = LedgerKind.RESUMED
_TARGET_APPLIED = LedgerKind.TARGET_APPLIED
_FULFILLED = LedgerKind.FULFILLED
_BREACHED_ENTRY = LedgerKind.BREACHED
_RESTART = TargetChangeRule.RESTART
_FIRST_CLOSE = ReopenRule.FIRST_CLOSE
_PRIORITY_TEXT = {priority: priority.value for priority in Priority}
_STATUS_VALUE = {status: status.value for status in CaseStatus}
_new_tuple = tuple.__new__


class _Walk:
    """The replay of one case up to one moment."""

    def __init__(
        self, engine: SLAEngine, case: Case, at_s: int, view: _View
    ) -> None:
        self.engine = engine
        self.case = case
        self.at_s = at_s
        self.ledger: list[_Entry] = []
        #: At or before the earliest deadline of a running clock (start()
        #: and schedule() set deadlines and lower it); None: no deadline.
        self.due_hint: int | None = None
        self.clocks: dict[int, BusinessClock] = {}
        self.policy: _Compiled | None = None
        self.priority: Priority = Priority.NORMAL
        self.status: CaseStatus = CaseStatus.NEW
        #: The policies rejected at the latest selection (None: none yet);
        #: the report's PolicyChoice is built from it once, at the end.
        self.rejected: tuple[str, ...] | None = None
        self.opening_end = 0
        self.last_at = 0
        self.agent_replies = 0
        self.customer_messages = 0
        self.unanswered: int | None = None
        self.tracks = tracks = [
            _Track(engine.specs[n], engine.unmatched[n][0], n)
            for n in view.positions
        ]
        #: By event role, the tracks whose clocks can react, in track order.
        self.reacting = [
            tuple(tracks[k] for k in indexes) for indexes in view.reacting
        ]
        #: By event role, whether only built-in metrics' clocks react.
        self.builtin_only = view.builtin_only

    # -- clocks ---------------------------------------------------------

    def clock_for(
        self, compiled: _Compiled | None, basis: ClockBasis
    ) -> BusinessClock:
        if compiled is None or basis == ClockBasis.CALENDAR:
            return ALL_TIME
        key = id(compiled)
        found = self.clocks.get(key)
        if found is None:
            found = _policy_clock(compiled, self.case.customer.time_zone)
            self.clocks[key] = found
        return found

    def breach_due(self, upto: int) -> None:
        """Record the breach of every running clock due at or before *upto*."""
        if self.due_hint is None or self.due_hint > upto:
            return  # nothing can be due yet: skip the scan
        due = [
            (cycle.deadline, n, track, cycle)
            for n, track in enumerate(self.tracks)
            if (cycle := track.open) is not None
            and cycle.breached is None
            and cycle.active_since is not None
            and cycle.deadline is not None
            and cycle.deadline <= upto
        ]
        # In deadline order, so that the ledger stays chronological.
        for deadline, _, track, cycle in sorted(due, key=lambda d: d[:2]):
            self.breach(track, cycle, deadline)
        self.due_hint = min(
            (
                cycle.deadline
                for track in self.tracks
                if (cycle := track.open) is not None
                and cycle.breached is None
                and cycle.active_since is not None
                and cycle.deadline is not None
            ),
            default=None,
        )

    def breach(self, track: _Track, cycle: _Cycle, at: int) -> None:
        cycle.breached = at
        cycle.deadline = at
        if cycle.original_deadline is None:
            cycle.original_deadline = at
        self.ledger.append(
            (
                at,
                track.name,
                cycle.index,
                _BREACHED_ENTRY,
                (_used_up, cycle.target or 0),
                None,
            )
        )

    def schedule(self, track: _Track, cycle: _Cycle, at: int) -> None:
        """Compute the deadline of a cycle; breach if its target is used up."""
        if cycle.breached is not None:
            return
        if cycle.target is None:
            cycle.deadline = None
            return
        rest = cycle.target - cycle.consumed
        if rest <= 0:
            # A new target already used up (even while paused) is broken now.
            self.breach(track, cycle, at)
            return
        if cycle.active_since is None:
            cycle.deadline = None
            return
        deadline = cycle.deadline = cycle.clock.add_s(cycle.active_since, rest)
        if cycle.original_deadline is None:
            cycle.original_deadline = deadline
        if self.due_hint is None or deadline < self.due_hint:
            self.due_hint = deadline

    def settle(self, cycle: _Cycle, at: int) -> None:
        """Count the time since the clock last (re)started, up to *at*."""
        if cycle.active_since is not None:
            cycle.consumed += cycle.clock.between_s(cycle.active_since, at)
            cycle.active_since = at

    def apply_target(
        self, track: _Track, cycle: _Cycle, at: int, cause: _Cause
    ) -> None:
        """Give a running *cycle* its track's target (keep_start/restart)."""
        if cycle.breached is not None:
            return  # a breached cycle keeps its outcome
        target = track.target
        if (target, track.clock, track.policy) == (
            cycle.target,
            cycle.clock,
            cycle.policy,
        ):
            return
        self.settle(cycle, at)
        restart = track.settings.change == _RESTART and target != cycle.target
        if restart:
            cycle.start = at
            cycle.consumed = 0
            cycle.original_deadline = None
        cycle.target = target
        cycle.clock = track.clock
        cycle.policy = track.policy
        cycle.priority = track.priority
        cycle.basis = track.settings.basis
        cycle.thresholds = track.thresholds
        self.ledger.append(
            (
                at,
                track.name,
                cycle.index,
                _TARGET_APPLIED,
                (
                    _target_applied,
                    target,
                    cycle.policy,
                    cycle.priority,
                    restart,
                    cause,
                ),
                None,
            )
        )
        self.schedule(track, cycle, at)

    def pause_state(
        self, track: _Track, at: int, cause: _Cause, event: int | None
    ) -> None:
        cycle = track.open
        if cycle is None:
            return
        paused = self.status in track.settings.pause
        if paused and cycle.active_since is not None:
            self.settle(cycle, at)
            cycle.active_since = None
            cycle.deadline = None if cycle.breached is None else cycle.deadline
            self.ledger.append(
                (at, track.name, cycle.index, _PAUSED_ENTRY, cause, event)
            )
        elif not paused and cycle.active_since is None:
            cycle.active_since = at
            self.ledger.append(
                (at, track.name, cycle.index, _RESUMED, cause, event)
            )
            self.schedule(track, cycle, at)

    def start(
        self, track: _Track, at: int, cause: _Cause, event: int | None
    ) -> None:
        """Start a cycle of *track* at *at*, with the track's target."""
        cycles = track.cycles
        index = len(cycles)
        cycle = _Cycle(index, at, track)
        cycles.append(cycle)
        track.open = cycle
        name = track.name
        ledger = self.ledger
        ledger.append((at, name, index, _ACTIVATED, cause, event))
        paused = self.status in track.settings.pause
        if not paused:
            cycle.active_since = at
        target = track.target
        if target is not None:
            ledger.append(
                (
                    at,
                    name,
                    index,
                    _TARGET_APPLIED,
                    (
                        _target_applied,
                        target,
                        track.policy,
                        track.priority,
                        False,
                        cause,
                    ),
                    None,
                )
            )
            if target <= 0:
                self.breach(track, cycle, at)
            elif not paused:
                deadline = cycle.deadline = cycle.original_deadline = (
                    track.clock.add_s(at, target)
                )
                due = self.due_hint
                if due is None or deadline < due:
                    self.due_hint = deadline
        if paused:
            ledger.append(
                (
                    at,
                    name,
                    index,
                    _PAUSED_ENTRY,
                    f"status {_STATUS_VALUE[self.status]}",
                    event,
                )
            )

    def stop(
        self,
        track: _Track,
        at: int,
        cause: _Cause,
        event: int | None,
        *,
        solve: bool,
    ) -> None:
        cycle = track.open
        if cycle is None:
            return
        since = cycle.active_since
        if since is not None:
            cycle.consumed += cycle.clock.between_s(since, at)
            cycle.active_since = None
        cycle.stopped = at
        cycle.stop_cause = cause
        cycle.by_solve = solve
        track.open = None
        self.ledger.append(
            (at, track.name, cycle.index, _FULFILLED, cause, event)
        )

    # -- the walk ---------------------------------------------------------

    def select(self, at: int) -> _Selection:
        """Return the policy that applies at *at*, and those rejected."""
        engine = self.engine
        getters = engine.selection_fields
        if getters is None:
            return self.select_in(at, None)
        context = EvaluationContext.at_epoch(self.case, at)
        try:
            key = tuple([get(context) for get in getters])
            found = engine.selections.get(key)
        except TypeError:  # a value that cannot be a key: no cache
            return self.select_in(at, context)
        if found is None:
            found = self.select_in(at, context)
            if len(engine.selections) >= _SELECTIONS:
                engine.selections.clear()
            engine.selections[key] = found
        return found

    def select_in(self, at: int, context: Any) -> _Selection:  # noqa: ANN401
        """
        Return the policy that applies at *at*, and those rejected.

        *context* is the case's context in 24x7 time, or ``None``.
        """
        rejected: list[str] = []
        contexts: dict[int, Any] = {}
        if context is not None:
            contexts[id(ALL_TIME)] = context
        for compiled in self.engine.compiled:
            test = compiled.test
            if test is None:
                return compiled, tuple(rejected)
            clock = (
                self.clock_for(compiled, ClockBasis.BUSINESS)
                if compiled.reads_calendar
                else ALL_TIME
            )
            context = contexts.get(id(clock))
            if context is None:
                context = EvaluationContext.at_epoch(
                    self.case, at, calendar=_calendar_of(clock)
                )
                contexts[id(clock)] = context
            if test(context):
                return compiled, tuple(rejected)
            rejected.append(compiled.name)
        return None, tuple(rejected)

    def open_case(self, events: Sequence[CaseEvent], n: int) -> None:
        """Take the priority and the opening of a case's first *n* events."""
        created = events[0]
        if isinstance(created, CaseCreated):
            self.priority = created.priority
        self.opening_end = _opening_end(events, n)
        if self.opening_end:
            # Agents opened the case: first_reply starts at the customer.
            for track in self.tracks:
                if track.builtin and track.name == "first_reply":
                    track.starts_on = _ON_CUSTOMER

    def run(self) -> None:
        events = self.case.events
        n = bisect.bisect_right(events, self.at_s, key=_at_s)
        if n == 0:
            # Before its creation a case has no state (Case.state_at says
            # the same): there is no clock to report on.
            raise ModelError(
                "at",
                f"{from_epoch(self.at_s).isoformat()} is before the case was "
                f"created at {from_epoch(events[0].at_s).isoformat()}",
            )
        self.open_case(events, n)
        kinds = self.engine.changed_by
        if kinds is None:
            kinds = _EVERY_KIND  # (nearly) every instant with events
        play = self.play
        i = 0
        while i < n:
            at = events[i].at_s
            due = self.due_hint
            if due is not None and due <= at:
                self.breach_due(at)
            j, changed, priority = _instant(events, i, n, kinds, self.priority)
            if changed or self.rejected is None or priority != self.priority:
                self.reselect(at, priority)
            self.last_at = at
            for k in range(i, j):
                play(events[k], k)
            i = j
        self.breach_due(self.at_s)

    def play(self, event: CaseEvent, index: int) -> None:  # noqa: C901 - one hot path
        """Feed one event to every metric's clock that can react to it."""
        previous = self.status
        if isinstance(event, MessageAdded):
            role = _message_role(event.interaction, index < self.opening_end)
        elif isinstance(event, StatusChanged):
            self.status = event.status
            role = _ON_STATUS
        elif isinstance(event, CaseCreated):
            role = _ON_CREATED
        else:
            # Targets follow priorities in reselect, not here.
            role = _ON_OTHER
        tracks = self.reacting[role]
        if tracks:
            at = event.at_s
            cause = (_describe, event, index, previous)
            if not self.builtin_only[role]:
                signal = self.signal(event, index, role, previous)
                for track in tracks:
                    self.feed(track, signal, cause)
            elif role == _ON_STATUS:
                self.status_change_all(tracks, at, index, cause, previous)
            elif self.status not in _STOP:
                self.fast_feed(tracks, role, at, index, cause)
        if role == _ON_CUSTOMER:
            self.customer_messages += 1
            if self.unanswered is None:
                self.unanswered = event.at_s
        elif role == _ON_REPLY:
            self.agent_replies += 1
            self.unanswered = None

    def status_change_all(
        self,
        tracks: tuple[_Track, ...],
        at: int,
        index: int,
        cause: _Cause,
        previous: CaseStatus,
    ) -> None:
        """Apply a status change to built-in metrics' clocks."""
        status = self.status
        if status in _STOP or previous in _STOP:
            for track in tracks:
                self.status_change(track, at, index, cause, previous, None)
            return
        # Neither a solve nor a reopen: clocks whose pause state changes
        # pause or resume (as status_change would).
        for track in tracks:
            cycle = track.open
            if cycle is not None and (status in track.settings.pause) is (
                cycle.active_since is not None
            ):
                self.pause_state(track, at, cause, index)

    def signal(
        self, event: CaseEvent, index: int, role: int, previous: CaseStatus
    ) -> MetricSignal:
        """Return what *event* means for clocks, for metrics' predicates."""
        return MetricSignal(
            index=index,
            at_s=event.at_s,
            kind=event.kind,
            status=self.status,
            previous_status=previous,
            is_customer_message=role == _ON_CUSTOMER,
            is_agent_reply=role == _ON_REPLY,
            agent_replies=self.agent_replies,
            customer_messages=self.customer_messages,
            unanswered_since_s=self.unanswered,
            began_outbound=self.opening_end > 0,
            event=event,
        )

    def fast_feed(
        self,
        tracks: tuple[_Track, ...],
        role: int,
        at: int,
        index: int,
        cause: _Cause,
    ) -> None:
        """
        Feed a built-in metric's clocks a creation or message (as feed()).

        Every built-in clock that reacts to an agent reply stops at it;
        each starts at its role's events (next_reply only after an agent
        reply), at most once for ``once`` metrics.
        """
        for track in tracks:
            if track.finished:
                continue
            if role == _ON_REPLY and track.open is not None:
                self.stop(track, at, cause, index, solve=False)
            if (
                track.open is None
                and track.starts_on == role
                and not (track.definition.once and track.cycles)
                and (
                    role != _ON_CUSTOMER
                    or track.name != "next_reply"
                    or self.agent_replies > 0
                )
            ):
                self.start(track, at, cause, index)

    def make_choice(
        self, at: int, compiled: _Compiled | None, rejected: tuple[str, ...]
    ) -> PolicyChoice:
        engine = self.engine
        case = self.case
        index = None if compiled is None else compiled.index

        def explain() -> str:
            return engine.explain_choice(case, at, index)

        return PolicyChoice(
            policy=None if compiled is None else compiled.policy.name,
            index=index,
            at_s=at,
            rejected=rejected,
            explainer=explain,
        )

    def reselect(self, at: int, priority: Priority) -> None:
        compiled, rejected = self.select(at)
        first = self.rejected is None
        engine = self.engine
        self.rejected = rejected
        causes = []
        if compiled is not self.policy:
            old = (
                "no SLA"
                if self.policy is None
                else repr(self.policy.policy.name)
            )
            new = "no SLA" if compiled is None else repr(compiled.policy.name)
            causes.append(f"policy {new} now applies (was {old})")
        if priority != self.priority:
            causes.append(
                f"priority {self.priority.value} -> {priority.value}"
            )
        if not first and not causes:
            return
        self.policy = compiled
        self.priority = priority
        cause = "; ".join(causes)
        text = _PRIORITY_TEXT[priority]
        if compiled is None:
            rows, policy = engine.unmatched, None
        else:
            rows, policy = compiled.rows[priority], compiled.name
        business = self.clock_for(compiled, ClockBasis.BUSINESS)
        for track in self.tracks:
            settings, target, thresholds = rows[track.position]
            track.settings = settings
            track.target = target
            track.thresholds = thresholds
            track.policy = policy
            track.clock = (
                ALL_TIME if settings.basis is ClockBasis.CALENDAR else business
            )
            track.priority = text
            cycle = track.open
            if cycle is not None and not first:
                self.apply_target(track, cycle, at, cause)
                self.pause_state(track, at, cause, None)

    def status_change(  # noqa: PLR0917 - the parts of one status event
        self,
        track: _Track,
        at: int,
        index: int,
        cause: _Cause,
        previous: CaseStatus,
        signal: MetricSignal | None,
    ) -> bool:
        """
        Apply the engine's rules for a status change to *track*'s clock.

        Stop at a solve or close, follow the reopen rule at a reopen, pause
        or resume otherwise. Return whether the event is done with (for
        metrics from elsewhere, feed() then asks their predicates).
        *signal* is ``None`` for built-in metrics.
        """
        status = self.status
        if status in _STOP:
            if previous not in _STOP:
                self.stop(track, at, cause, index, solve=True)
                if track.settings.reopen == _FIRST_CLOSE:
                    track.finished = True
            return True
        if previous in _STOP:
            self.reopen(track, at, index, cause, signal)
            return True
        if track.finished:
            return True
        if signal is None:
            # Built-in metrics neither stop nor start at status changes.
            self.pause_state(track, at, cause, index)
            return True
        return False

    def feed(self, track: _Track, signal: MetricSignal, cause: _Cause) -> None:
        """Feed *signal* to *track*'s clock, asking the metric's predicates."""
        at = signal.at_s
        index = signal.index
        definition = track.definition
        status_event = signal.kind is _STATUS_CHANGED
        if status_event:
            if self.status_change(
                track, at, index, cause, signal.previous_status, signal
            ):
                return
        elif signal.status in _STOP or track.finished:
            return
        if track.open is not None and definition.stops(signal):
            self.stop(track, at, cause, index, solve=False)
        if (
            track.open is None
            and not (definition.once and track.cycles)
            and definition.starts(signal)
        ):
            self.start(track, at, cause, index)
        elif status_event:
            self.pause_state(track, at, cause, index)

    def reopen(
        self,
        track: _Track,
        at: int,
        index: int,
        cause: _Cause,
        signal: MetricSignal | None,
    ) -> None:
        if track.finished:
            return
        rule = track.settings.reopen
        last = track.cycles[-1] if track.cycles else None
        if rule == ReopenRule.RESUME and last is not None and last.by_solve:
            last.stopped = None
            last.stop_cause = None
            last.by_solve = False
            track.open = last
            paused = self.status in track.settings.pause
            if not paused:
                last.active_since = at
                self.ledger.append(
                    (at, track.name, last.index, _RESUMED, cause, index)
                )
            else:
                self.ledger.append(
                    (at, track.name, last.index, _PAUSED_ENTRY, cause, index)
                )
            # The target may have changed while the case was solved.
            self.apply_target(track, last, at, cause)
            self.schedule(track, last, at)
            return
        if signal is None:
            # Of the built-in metrics, next_reply is owed an unanswered
            # customer message (its owed_on_reopen).
            owed = (
                track.name == "next_reply"
                and self.unanswered is not None
                and self.agent_replies > 0
            )
        else:
            owed = track.definition.owed_on_reopen(signal)
        if rule == ReopenRule.NEW_CYCLE or owed:
            self.start(track, at, cause, index)

    # -- the report -----------------------------------------------------------

    def report(self) -> SLAReport:
        metrics: dict[str, MetricReport] = {}
        wake: int | None = None
        # Cycles stopped by one event share its cause: word it once.
        words: dict[int, str] = {}
        for track in self.tracks:
            name = track.name
            cycles = []
            for cycle in track.cycles:
                cycles.append(self.cycle_report(name, cycle, words))
                if cycle.stopped is None and cycle.breached is None:
                    due = self.next_change(cycle)
                    if due is not None and (wake is None or due < wake):
                        wake = due
            metrics[name] = metric_report(name, tuple(cycles))
        # Selection may have been skipped at later instants (nothing that the
        # conditions read changed): the choice is reported as of the latest.
        choice = (
            None
            if self.rejected is None
            else self.make_choice(self.last_at, self.policy, self.rejected)
        )
        return SLAReport(
            case_id=self.case.id,
            at_s=self.at_s,
            metrics=MappingProxyType(metrics),
            ledger=functools.partial(_build_ledger, self.ledger),
            choice=choice,
            next_change_at_s=wake,
        )

    def cycle_report(
        self, metric: str, cycle: _Cycle, words: dict[int, str]
    ) -> CycleReport:
        at_s = self.at_s
        consumed = cycle.consumed
        since = cycle.active_since
        if since is not None:
            consumed += cycle.clock.between_s(since, at_s)
        stopped = cycle.stopped
        if cycle.breached is not None:
            state = _BREACHED
        elif cycle.target is None:
            state = _MEASURING if stopped is None else _MEASURED
        elif stopped is not None:
            state = _ACHIEVED
        elif since is None:
            state = _PAUSED
        else:
            state = _ACTIVE
        cause = cycle.stop_cause
        stop_cause = None
        if cause is not None:
            stop_cause = words.get(id(cause))
            if stop_cause is None:
                stop_cause = words[id(cause)] = _text(cause)
        thresholds = cycle.thresholds
        # The fields in CycleReport's order; a named tuple built from them
        # directly skips the keyword parsing of its constructor.
        return _new_tuple(
            CycleReport,
            (
                metric,
                cycle.index,
                state,
                cycle.start,
                cycle.deadline,
                cycle.original_deadline,
                stopped,
                cycle.breached,
                consumed,
                (at_s if stopped is None else stopped) - cycle.start,
                cycle.target,
                tuple(
                    [
                        label
                        for threshold, label in thresholds
                        if consumed >= threshold
                    ]
                )
                if thresholds
                else (),
                cycle.policy,
                cycle.priority,
                _BASIS_TEXT[cycle.basis],
                stop_cause,
            ),
        )

    def next_change(self, cycle: _Cycle) -> int | None:
        if (
            cycle.stopped is not None
            or cycle.breached is not None
            or cycle.active_since is None
            or cycle.target is None
        ):
            return None
        best = cycle.deadline
        for threshold, _ in cycle.thresholds:
            rest = threshold - cycle.consumed
            if rest > 0:
                due = cycle.clock.add_s(cycle.active_since, rest)
                if due > self.at_s and (best is None or due < best):
                    best = due
        return best


class SLAEngine:
    """
    Evaluates cases against an SLA policy set: clocks, deadlines, breaches.

    >>> policies = sc.SLAPolicySet([sc.sla.SLAPolicy(
    ...     name="standard", targets={"normal": {"first_reply": "4h"}})])
    >>> engine = sc.SLAEngine(policies)
    >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
    >>> case = sc.Case(
    ...     id="c-1", customer=sc.Customer(id="cu-1"), channel="email",
    ...     events=[sc.CaseCreated(case_id="c-1", at=start)],
    ... )
    >>> report = engine.evaluate(case, at=start.add(hours=3))
    >>> first = report["first_reply"].current
    >>> first.state, first.remaining
    (<ClockState.ACTIVE: 'active'>, Duration(hours=1))
    >>> first.deadline
    DateTime(2024, 3, 4, 13, 0, 0, tzinfo=Timezone('UTC'))
    >>> report.next_change_at == first.deadline
    True

    Args:
        policies: The ordered policies (a :class:`SLAPolicySet` or a
            sequence of :class:`SLAPolicy`).
        calendars: Calendars that policies name, by name (added to those
            the policy set defines).
        registry: The plugin registry; metrics of its ``sla_metric`` kind
            join the built-in ones.
        metrics: More metric definitions (replacing built-ins of the same
            name).

    Raises:
        PolicyError: a policy names an unknown calendar or metric (all
            problems together).
    """

    def __init__(
        self,
        policies: SLAPolicySet | Sequence[SLAPolicy],
        *,
        calendars: Mapping[str, BusinessClock] | None = None,
        registry: Any = None,  # noqa: ANN401 - a Registry
        metrics: Iterable[MetricDefinition] = (),
    ) -> None:
        if not isinstance(policies, SLAPolicySet):
            policies = SLAPolicySet(policies)
        self.policies = policies
        self.calendars = {**policies.calendars, **(calendars or {})}
        self.registry = registry
        definitions = {m.name: m for m in sla_metrics(registry)}
        for metric in metrics:
            definitions[metric.name] = metric
        self.metrics: tuple[MetricDefinition, ...] = tuple(
            definitions.values()
        )
        errors: list[PolicyError] = []
        used: set[str] = set()
        for i, policy in enumerate(policies):
            where = policy.location or f"sla.policies[{i}]"
            for name in policy.metric_names():
                if name not in definitions:
                    errors.append(
                        InvalidValueError(
                            where,
                            f"unknown metric {name!r}"
                            f"{did_you_mean(name, definitions)}",
                        )
                    )
                used.add(name)
            calendar = policy.calendar
            if isinstance(calendar, str) and calendar not in self.calendars:
                errors.append(
                    InvalidValueError(
                        f"{where}.calendar",
                        f"unknown calendar {calendar!r}"
                        f"{did_you_mean(calendar, self.calendars)}; known: "
                        f"{', '.join(sorted(self.calendars)) or 'none'}",
                    )
                )
        raise_all("sla", errors)
        #: The metrics some policy uses, in definition order.
        self.tracked = tuple(m for m in self.metrics if m.name in used)
        self.defaults = {
            m.name: _Settings(
                m.pause_statuses,
                m.reopen,
                TargetChangeRule.KEEP_START,
                (),
                ClockBasis.BUSINESS,
            )
            for m in self.tracked
        }
        #: Each tracked metric's settings without a policy, in track order.
        self.unmatched: tuple[_Row, ...] = tuple(
            (self.defaults[m.name], None, ()) for m in self.tracked
        )
        self.specs: tuple[_Spec, ...] = tuple(
            (
                m,
                m.name,
                m in BUILTIN_METRICS,
                _BUILTIN_STARTS.get(m.name) if m in BUILTIN_METRICS else None,
            )
            for m in self.tracked
        )
        self.compiled = tuple(
            self._compile(i, p) for i, p in enumerate(policies)
        )
        #: The views of the metrics evaluations follow, by the names asked
        #: for (None: every tracked metric).
        self._views: dict[frozenset[str] | None, _View] = {
            None: self._make_view(range(len(self.tracked)))
        }
        self._by_name = {c.policy.name: c for c in self.compiled}
        #: The event kinds after which the policy is selected again (None:
        #: after every instant with events).
        self.changed_by = _changed_by(policies)
        #: The getters of the fields the policies' conditions read, when
        #: these change only at events (not with time, not with the
        #: calendar): the selection is then a function of their values,
        #: cached in ``selections``. None: no cache.
        self.selection_fields: tuple[Callable[[Any], object], ...] | None = (
            None
            if self.changed_by is None
            else tuple(
                {
                    field: get
                    for policy in policies
                    if isinstance(policy.when, Condition)
                    for field, get in policy.when.getters.items()
                }.values()
            )
        )
        self.selections: dict[tuple[object, ...], _Selection] = {}

    def clock_for(self, cycle: CycleReport, case: Case) -> BusinessClock:
        """
        Return the clock in which *cycle* of *case* counts business time.

        The calendar of the cycle's policy, in the customer's zone where the
        policy says so; all time for calendar-time targets and cycles
        without a policy. Escalation thresholds count in this clock.

        >>> engine = sc.SLAEngine(sc.SLAPolicySet([sc.sla.SLAPolicy(
        ...     name="standard", targets={"normal": {"first_reply": "4h"}})]))
        >>> case = sc.Case(id="c-1", customer=sc.Customer(id="cu-1"),
        ...     channel=sc.Channel.EMAIL, events=[sc.CaseCreated(case_id="c-1",
        ...     at=pendulum.datetime(2024, 3, 4, 9, tz="UTC"))])
        >>> report = engine.evaluate(case, at=case.created_at)
        >>> cycle = report.metrics["first_reply"].cycles[0]
        >>> engine.clock_for(cycle, case).add_s(0, 60)
        60

        Args:
            cycle: A cycle of a report this engine made for *case*.
            case: The case, whose customer's zone a zoned policy uses.

        Returns:
            The clock, with ``add_s`` and ``between_s`` on epoch seconds.
        """
        compiled = self._by_name.get(cycle.policy) if cycle.policy else None
        if compiled is None or cycle.basis == ClockBasis.CALENDAR:
            return ALL_TIME
        return _policy_clock(compiled, case.customer.time_zone)

    def _compile(self, index: int, policy: SLAPolicy) -> _Compiled:
        calendar = policy.calendar
        if isinstance(calendar, str):
            calendar = self.calendars[calendar]
        settings = {}
        for metric in self.tracked:
            own = policy.metrics.get(metric.name)
            default = self.defaults[metric.name]
            if own is None:
                settings[metric.name] = default
                continue
            settings[metric.name] = _Settings(
                default.pause if own.pause is None else own.pause,
                default.reopen if own.reopen is None else own.reopen,
                own.on_target_change,
                own.warnings,
                own.basis,
            )
        rows: dict[Priority, tuple[_Row, ...]] = {}
        for priority in Priority:
            targets = policy.targets.get(priority, {})
            row: list[_Row] = []
            for metric in self.tracked:
                chosen = settings[metric.name]
                target = targets.get(metric.name)
                thresholds = (
                    ()
                    if target is None
                    else tuple(
                        (w.consumed_for(target), w.label)
                        for w in chosen.warnings
                    )
                )
                row.append((chosen, target, thresholds))
            rows[priority] = tuple(row)
        when = policy.when
        return _Compiled(
            policy,
            index,
            calendar,
            policy.zone == "customer",
            _reads_calendar(when),
            when.predicate if isinstance(when, Condition) else when,
            rows,
            policy.name,
        )

    def _make_view(self, positions: Iterable[int]) -> _View:
        """Return the view of the tracked metrics at *positions*."""
        positions = tuple(positions)
        reacting = tuple(
            tuple(
                k
                for k, n in enumerate(positions)
                if role in _reacts(self.tracked[n])
            )
            for role in _ROLES
        )
        return _View(
            positions,
            reacting,
            tuple(
                all(self.specs[positions[k]][2] for k in indexes)
                for indexes in reacting
            ),
        )

    def _view(self, metrics: Iterable[str] | None) -> _View:
        """Return the view of the metrics named (None: all of them)."""
        if isinstance(metrics, str):
            raise InvalidValueError(
                "metrics",
                f"expected metric names, got the string {metrics!r}; "
                f"write [{metrics!r}]",
            )
        key = None if metrics is None else frozenset(metrics)
        view = self._views.get(key)
        if view is None:
            assert key is not None  # noqa: S101 - None is always there
            known = {m.name for m in self.metrics}
            unknown = sorted(key - known, key=repr)
            if unknown:
                raise InvalidValueError(
                    "metrics",
                    f"unknown metric {unknown[0]!r}"
                    f"{did_you_mean(str(unknown[0]), known)}",
                )
            view = self._views[key] = self._make_view(
                n for n, m in enumerate(self.tracked) if m.name in key
            )
        return view

    def evaluate(
        self,
        case: Case,
        at: datetime,
        *,
        metrics: Iterable[str] | None = None,
    ) -> SLAReport:
        """
        Return the SLA state of *case* at the moment *at*.

        Only events at or before *at* count, so evaluating at a past moment
        gives what the engine would have said then; before the case's
        creation there is nothing to say, as for :meth:`Case.state_at`.
        Each metric's clocks run on their own, so asking for some *metrics*
        gives exactly their part of the whole report (its
        ``next_change_at`` too), sooner.

        Args:
            case: The case.
            at: The moment, an aware datetime.
            metrics: Report only these metrics (None: every one the
                policies use).

        Returns:
            The report.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            ModelError: *at* is before the case was created.
            InvalidValueError: a metric of *metrics* is unknown.
        """
        return self.evaluate_s(case, to_epoch(at, "at"), metrics=metrics)

    def evaluate_s(
        self,
        case: Case,
        at_s: int,
        *,
        metrics: Iterable[str] | None = None,
    ) -> SLAReport:
        """
        Return the SLA state of *case* at epoch seconds *at_s*.

        >>> engine = sc.SLAEngine([])
        >>> case = sc.Case(id="c", customer=sc.Customer(id="u"),
        ...                channel="chat", events=[sc.CaseCreated(
        ...                    case_id="c", at=pendulum.datetime(2024, 1, 1))])
        >>> engine.evaluate_s(case, 1704067200).metrics
        mappingproxy({})

        Args:
            case: The case.
            at_s: The moment, epoch seconds.
            metrics: Report only these metrics (see :meth:`evaluate`).

        Returns:
            The report (see :meth:`evaluate`).

        Raises:
            ModelError: *at_s* is before the case was created.
            InvalidValueError: a metric of *metrics* is unknown.
        """
        walk = _Walk(self, case, at_s, self._view(metrics))
        walk.run()
        return walk.report()

    def add_fields(self, registry: Any, *, replace: bool = False) -> None:  # noqa: ANN401 - a Registry
        """
        Add this engine's ``sla.<metric>.*`` fields to *registry*.

        Conditions compiled against the registry (escalation triggers,
        personalization rules) can then read ``sla.first_reply.state``,
        ``.consumed``, ``.remaining`` and ``.breached``; the engine
        evaluates a context's case once per metric read, following only
        that metric's clocks (see ``metrics`` of :meth:`evaluate`). An
        SLA policy's
        own condition must not read them.

        >>> engine = sc.SLAEngine([sc.sla.SLAPolicy(
        ...     name="all", targets={"normal": {"first_reply": "4h"}})])
        >>> registry = sc.Registry()
        >>> engine.add_fields(registry)
        >>> late = sc.Condition.from_dict(
        ...     {"field": "sla.first_reply.consumed", "op": "gte",
        ...      "value": 0.5}, registry=registry)
        >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
        >>> case = sc.Case(id="c", customer=sc.Customer(id="u"),
        ...                channel="chat",
        ...                events=[sc.CaseCreated(case_id="c", at=start)])
        >>> late(sc.EvaluationContext(case, at=start.add(hours=1)))
        False
        >>> late(sc.EvaluationContext(case, at=start.add(hours=2)))
        True

        Args:
            registry: A :class:`~servicecore.Registry`.
            replace: Replace fields of the same names already there.

        Raises:
            PluginError: a field name is taken (without *replace*).
        """
        from servicecore.sla._fields import sla_fields  # noqa: PLC0415

        for field in sla_fields(self):
            registry.add_field(field, replace=replace)

    def evaluate_many(
        self, cases: Iterable[Case], at: datetime
    ) -> Iterator[SLAReport]:
        """
        Yield the report of each case at *at*, lazily, in order.

        Args:
            cases: The cases (any iterable, e.g. ``sc.read_cases(path)``).
            at: The moment, an aware datetime.

        Yields:
            Each case's report.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            ModelError: a case was created after *at*.
        """
        at_s = to_epoch(at, "at")
        for case in cases:
            yield self.evaluate_s(case, at_s)

    def compliance(
        self,
        cases: Iterable[Case],
        at: datetime,
        *,
        confidence: float = 0.95,
    ) -> ComplianceReport:
        """
        Return how *cases* did against the policies, as known at *at*.

        Per policy, metric, priority, channel, team and month: cycles
        achieved, breached and in progress, cases that ever breached, each
        rate with a Wilson interval; percentiles of the time stopped cycles
        took (business and calendar) and of their margins. Cases created
        after *at* did not exist yet: they are left out (and not counted).

        >>> every = ["low", "normal", "high", "urgent"]
        >>> engine = sc.SLAEngine([sc.sla.SLAPolicy(
        ...     name="all", targets={p: {"first_reply": "4h"} for p in every})])
        >>> cases = sc.generate_cases(50, seed=1)
        >>> at = max(case.events[-1].at for case in cases)
        >>> report = engine.compliance(cases, at)
        >>> row = report.row("first_reply")
        >>> row.achieved + row.breached + row.in_progress == 50
        True

        Args:
            cases: The cases.
            at: The moment, an aware datetime.
            confidence: The level of the Wilson intervals.

        Returns:
            The compliance report.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
        """
        from servicecore.sla._compliance import (  # noqa: PLC0415
            ComplianceReport,
            evaluate_pairs,
        )

        at_s = to_epoch(at, "at")
        return ComplianceReport.from_reports(
            evaluate_pairs(self, cases, at_s), at_s=at_s, confidence=confidence
        )

    def diff(
        self,
        other: SLAEngine,
        cases: Iterable[Case],
        at: datetime,
    ) -> PolicyDiff:
        """
        Compare this engine's policies with *other*'s over the same cases.

        >>> old = sc.SLAEngine([sc.sla.SLAPolicy(
        ...     name="all", targets={"normal": {"first_reply": "8h"}})])
        >>> new = sc.SLAEngine([sc.sla.SLAPolicy(
        ...     name="all", targets={"normal": {"first_reply": "1m"}})])
        >>> cases = sc.generate_cases(30, seed=2)
        >>> at = max(case.events[-1].at for case in cases)
        >>> diff = old.diff(new, cases, at)
        >>> len(diff.newly_breached) > 0, diff.no_longer_breached
        (True, ())

        Args:
            other: The engine of the proposed policies.
            cases: The cases (read once); those created after *at* are
                left out.
            at: The moment, an aware datetime.

        Returns:
            Cycles newly breached and no longer breached, and both
            compliance reports.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
        """
        from servicecore.sla._compliance import (  # noqa: PLC0415
            ComplianceReport,
            PolicyDiff,
            breached_cycles,
            evaluate_pairs,
        )

        at_s = to_epoch(at, "at")
        kept = list(cases)
        old_breached, old_pairs = breached_cycles(
            evaluate_pairs(self, kept, at_s)
        )
        new_breached, new_pairs = breached_cycles(
            evaluate_pairs(other, kept, at_s)
        )
        return PolicyDiff(
            old=ComplianceReport.from_reports(old_pairs, at_s=at_s),
            new=ComplianceReport.from_reports(new_pairs, at_s=at_s),
            newly_breached=tuple(sorted(new_breached - old_breached)),
            no_longer_breached=tuple(sorted(old_breached - new_breached)),
        )

    def explain_choice(self, case: Case, at_s: int, index: int | None) -> str:
        """
        Explain the policy selection for *case* at *at_s*, policy by policy.

        Args:
            case: The case.
            at_s: The moment of the selection.
            index: The position of the policy chosen (``None``: none).

        Returns:
            One block per policy examined, ``yes``/``no`` per condition part.
        """
        blocks = []
        last = len(self.compiled) - 1 if index is None else index
        for compiled in self.compiled[: last + 1]:
            when = compiled.policy.when
            name = compiled.policy.name
            if when is None:
                blocks.append(f"policy {name!r}: no condition, every case")
                continue
            explain = getattr(when, "explain", None)
            if explain is None:
                blocks.append(f"policy {name!r}: a custom condition")
                continue
            walk = _Walk(self, case, at_s, self._views[None])
            clock = walk.clock_for(compiled, ClockBasis.BUSINESS)
            context = EvaluationContext.at_epoch(
                case, at_s, calendar=_calendar_of(clock)
            )
            blocks.append(f"policy {name!r}:\n{explain(context)}")
        return "\n".join(blocks)

    def __repr__(self) -> str:
        """Return the policies and metrics."""
        names = [p.name for p in self.policies]
        return f"<SLAEngine policies={names} metrics={[m.name for m in self.tracked]}>"
