"""
The escalation engine: which levels are due for a case at a moment.

``decide(case, at)`` looks at the case as of *at* (events after it are
ignored, like the SLA engine does), finds the policies that cover it, and
for each level checks its trigger: SLA cycles from the SLA engine's report,
elapsed time from the event log, conditions at the evaluation points. A
level whose dedupe key the case already records (an ``EscalationFired``
event at or before *at*) is skipped. The engine also computes, without
any event arriving, the earliest moment after *at* at which a trigger
could start to hold: ``next_check_at``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from servicecore._problems import raise_all
from servicecore._time import format_duration, from_epoch, to_epoch
from servicecore.calendar import BusinessCalendar
from servicecore.conditions import EvaluationContext
from servicecore.errors import (
    EvaluationError,
    InvalidValueError,
    PolicyError,
    did_you_mean,
)
from servicecore.escalation._actions import (
    AssignAction,
    CustomerMessageAction,
    NotifyAction,
    PlannedAction,
    PluginAction,
    PriorityAction,
    TagAction,
)
from servicecore.escalation._policy import (
    EscalationPolicy,
    EscalationPolicySet,
    EscalationScope,
    _calendar_names,
)
from servicecore.escalation._triggers import (
    BreachTrigger,
    ConditionTrigger,
    ElapsedSince,
    ElapsedTrigger,
    ThresholdTrigger,
)
from servicecore.models import (
    AuthorKind,
    Case,
    CaseStatus,
    Direction,
    EscalationFired,
    EventKind,
    Priority,
    StatusChanged,
)
from servicecore.personalization import next_contact_time
from servicecore.sla import ClockState

__all__ = [
    "EscalationCheck",
    "EscalationDecision",
    "EscalationEngine",
    "simulate",
]

_at_s = attrgetter("at_s")
_STOP = frozenset({CaseStatus.SOLVED, CaseStatus.CLOSED})
# Enum members read from a module global: cheaper than from the class.
_NEW = CaseStatus.NEW
_CLOSED = CaseStatus.CLOSED
_ACTIVE = ClockState.ACTIVE
_FIRED = EventKind.ESCALATION_FIRED
_MESSAGE = EventKind.MESSAGE
_STATUS = EventKind.STATUS_CHANGED
_INBOUND = Direction.INBOUND
_CUSTOMER = AuthorKind.CUSTOMER
_AGENT = AuthorKind.AGENT


def _values(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _dt(seconds: int | None) -> pendulum.DateTime | None:
    return None if seconds is None else from_epoch(seconds)


@attrs.frozen(kw_only=True)
class EscalationDecision:
    """
    A level that is due: what fired, why, and what the host should do.

    The host carries out the actions and records the decision on the case
    (:meth:`to_event`); a recorded decision is never returned again.

    >>> decision = sc.escalation.EscalationDecision(
    ...     case_id="c-1", policy="vip", level=0, level_name="lead",
    ...     trigger="sla_breach", reason="first_reply breached",
    ...     metric="first_reply", cycle=0,
    ...     dedupe_key="c-1:vip:first_reply:0:lead", at_s=3600,
    ...     triggered_at_s=3600)
    >>> print(decision)
    1970-01-01T01:00:00+00:00 vip[0] lead: first_reply breached
    >>> decision.to_event().dedupe_key
    'c-1:vip:first_reply:0:lead'

    Args:
        case_id: The case.
        policy: The policy's name.
        level: The level's position in the policy, from 0, when it
            fired (for display: positions change when levels are edited).
        level_name: The level's name.
        trigger: The trigger's kind (``sla_threshold``, ``sla_breach``,
            ``elapsed``, ``condition``).
        reason: Why, in words, with the trigger's values.
        values: The trigger's values (metric, cycle, consumed, threshold,
            deadline, anchor, ...).
        metric: The SLA metric, for SLA triggers.
        cycle: The cycle of the trigger's clock (SLA cycle, or the
            occurrence of the event an elapsed trigger counts from).
        dedupe_key: ``case:policy:metric:cycle:level``, made of the
            case id, the policy's name, the metric (``-`` for none), the
            cycle (``*`` for a level that fires once per case) and the
            level's name, each with ``%`` written ``%25`` and ``:``
            written ``%3A``; names, not positions, so that editing a
            policy's levels never makes a recorded level fire again.
        at_s: The moment of the decision (``decide``'s *at*).
        triggered_at_s: When the trigger started to hold, if known
            (``None`` for a threshold crossed before the case's latest
            event).
        actions: The actions, resolved for the case.
    """

    case_id: str
    policy: str
    level: int
    level_name: str = ""
    trigger: str
    reason: str
    values: Mapping[str, object] = attrs.field(
        factory=dict, converter=_values, eq=False
    )
    metric: str | None = None
    cycle: int | None = None
    dedupe_key: str
    at_s: int
    triggered_at_s: int | None = None
    actions: tuple[PlannedAction, ...] = ()

    @property
    def at(self) -> pendulum.DateTime:
        """The moment of the decision, in UTC."""
        return from_epoch(self.at_s)

    @property
    def triggered_at(self) -> pendulum.DateTime | None:
        """When the trigger started to hold, in UTC, if known."""
        return _dt(self.triggered_at_s)

    def to_event(self, at: datetime | None = None) -> EscalationFired:
        """
        Return the ``EscalationFired`` event that records this decision.

        Args:
            at: When the host carried it out (the decision's moment by
                default).

        Returns:
            The event, for ``case.append``.
        """
        return EscalationFired(
            case_id=self.case_id,
            at=self.at_s if at is None else at,
            policy=self.policy,
            level=self.level,
            dedupe_key=self.dedupe_key,
            metric=self.metric,
            cycle=self.cycle,
        )

    def __str__(self) -> str:
        """Return one line: moment, policy[level], name and reason."""
        name = f" {self.level_name}" if self.level_name else ""
        return (
            f"{self.at.isoformat()} {self.policy}[{self.level}]{name}: "
            f"{self.reason}"
        )


@attrs.frozen(kw_only=True)
class EscalationCheck:
    """
    What :meth:`EscalationEngine.decide` found: decisions and the next check.

    >>> check = sc.escalation.EscalationCheck(case_id="c-1", at_s=0)
    >>> check.decisions, check.next_check_at
    ((), None)

    Args:
        case_id: The case.
        at_s: The moment checked, epoch seconds.
        decisions: The decisions due, in policy then level order.
        next_check_at_s: The earliest moment after *at* at which another
            level could become due if no event arrives; ``None`` if none.
    """

    case_id: str
    at_s: int
    decisions: tuple[EscalationDecision, ...] = ()
    next_check_at_s: int | None = None

    @property
    def at(self) -> pendulum.DateTime:
        """The moment checked, in UTC."""
        return from_epoch(self.at_s)

    @property
    def next_check_at(self) -> pendulum.DateTime | None:
        """When to look again, in UTC; ``None`` if only an event can tell."""
        return _dt(self.next_check_at_s)


_new_object = object.__new__
_set = object.__setattr__


def _check(
    case_id: str,
    at_s: int,
    decisions: tuple[EscalationDecision, ...],
    next_check_at_s: int | None,
) -> EscalationCheck:
    """
    Return the ``EscalationCheck`` of these fields, built directly.

    A check has no validator nor converter: setting its slots skips the
    keyword parsing of the attrs constructor, once per ``decide``.
    """
    check: EscalationCheck = _new_object(EscalationCheck)
    _set(check, "case_id", case_id)
    _set(check, "at_s", at_s)
    _set(check, "decisions", decisions)
    _set(check, "next_check_at_s", next_check_at_s)
    return check


class _AllTime:
    """Every second counts (24x7)."""

    __slots__ = ()

    def add_s(self, start_s: int, seconds: int) -> int:
        return start_s + seconds

    def between_s(self, a_s: int, b_s: int) -> int:
        return b_s - a_s


_ALL_TIME = _AllTime()


@attrs.frozen
class _Hit:
    """A trigger that holds: its clock, its values and its reason."""

    metric: str | None
    cycle: int | None
    triggered_at: int | None
    reason: str
    values: dict[str, object]


#: What a level's check returns: the hit, or when it could next hold.
_Outcome = tuple[_Hit | None, int | None]


class _Run:
    """
    One call of ``decide``: the event log read once, the rest on demand.

    The anchors elapsed triggers count from, the dedupe keys the case
    records and its latest event come from one pass over the log; the SLA
    report, the case's state and condition contexts are made when a level
    first needs them.
    """

    __slots__ = (
        "_contexts",
        "_report",
        "_sla",
        "_state",
        "_transitions",
        "_watched",
        "at_s",
        "case",
        "case_id",
        "created",
        "entered",
        "entries",
        "last_customer",
        "last_reply",
        "last_s",
        "messages",
        "metrics",
        "recorded",
        "replies",
        "status",
        "unanswered",
    )

    def __init__(  # noqa: C901, PLR0915 - one pass, on locals
        self,
        case: Case,
        at_s: int,
        sla: Any,  # noqa: ANN401 - an SLAEngine or None
        sla_report: Any,  # noqa: ANN401 - an SLAReport or None
        watched: frozenset[str],
    ) -> None:
        # One pass over the log, on local variables: this runs every call.
        # The first event is the creation (at or before at_s, checked by
        # the caller): it falls through every branch.
        events: Sequence[Any] = case.events
        created: int = events[0].at_s
        status = _NEW
        entered = last = created
        entries: dict[CaseStatus, int] = {_NEW: 1}
        replies = messages = 0
        last_reply: int | None = None
        last_customer: int | None = None
        unanswered: int | None = None
        recorded: set[str] = set()
        for event in events:
            kind = event.kind
            if kind is _MESSAGE:
                it = event.interaction
                at = it.at_s
                if at > at_s:
                    break
                last = at
                if not it.public:
                    continue
                if it.direction is _INBOUND:
                    if it.author_kind is _CUSTOMER:
                        messages += 1
                        last_customer = at
                        if unanswered is None:
                            unanswered = at
                elif it.author_kind is _AGENT:
                    replies += 1
                    last_reply = at
                    unanswered = None
                continue
            at = event.at_s
            if at > at_s:
                break
            if kind is _FIRED:
                recorded.add(event.dedupe_key)
                continue
            last = at
            if kind is _STATUS:
                status = event.status
                entered = at
                entries[status] = entries.get(status, 0) + 1
        self.case = case
        self.case_id = case.id
        self.at_s = at_s
        self.created = created
        self.status = status
        self.entered = entered
        self.entries = entries
        self.replies = replies
        self.last_reply = last_reply
        self.messages = messages
        self.last_customer = last_customer
        self.unanswered = unanswered
        self.recorded = recorded
        #: The latest event that is not an EscalationFired record.
        self.last_s = last
        self._sla = sla
        #: The SLA metrics the levels read: all an evaluation must report.
        self._watched = watched
        self._report = sla_report
        #: The SLA report's metrics, once a level asked for them.
        self.metrics: Any = None if sla_report is None else sla_report.metrics
        self._state: Any = None
        self._contexts: dict[tuple[int, int], Any] | None = None
        self._transitions: list[tuple[int, CaseStatus]] | None = None

    def transitions(self) -> list[tuple[int, CaseStatus]]:
        """Return (moment, status) of each status change at or before at_s."""
        found = self._transitions
        if found is None:
            at_s = self.at_s
            found = self._transitions = [
                (event.at_s, event.status)
                for event in self.case.events
                if isinstance(event, StatusChanged) and event.at_s <= at_s
            ]
        return found

    def report(self) -> Any:  # noqa: ANN401 - an SLAReport
        if self._report is None:
            sla = self._sla
            assert sla is not None  # noqa: S101 - checked at construction
            self._report = sla.evaluate_s(
                self.case, self.at_s, metrics=self._watched
            )
        return self._report

    def load_metrics(self) -> Any:  # noqa: ANN401 - MetricReports by name
        """Return the SLA report's metrics, evaluating the report if needed."""
        metrics = self.metrics = self.report().metrics
        return metrics

    def state(self) -> Any:  # noqa: ANN401 - a CaseState
        state = self._state
        if state is None:
            # A context's state is the same: contexts are taken between
            # the latest event and at_s, where only EscalationFired
            # records (which change no state) may lie.
            for context in (self._contexts or {}).values():
                state = vars(context).get("state")
                if state is not None:
                    break
            else:
                state = self.case.state_at_s(self.at_s)
            self._state = state
        return state

    def context(self, at_s: int, calendar: Any) -> Any:  # noqa: ANN401
        key = (at_s, id(calendar))
        contexts = self._contexts
        if contexts is None:
            contexts = self._contexts = {}
        else:
            found = contexts.get(key)
            if found is not None:
                return found
        found = EvaluationContext.at_epoch(self.case, at_s, calendar=calendar)
        if self._state is not None:
            found.state = self._state
        contexts[key] = found
        return found


def _key_part(name: str) -> str:
    """Return *name* for a dedupe key: ``%`` and ``:`` escaped."""
    return name.replace("%", "%25").replace(":", "%3A")


def _dedupe_key(case_id: str, level: _Keyed, cycle: int | None) -> str:
    """Return ``case:policy:metric:cycle:level`` for a level's trigger."""
    part = "*" if level.per_case or cycle is None else str(cycle)
    return f"{_key_part(case_id)}{level.middle}{part}{level.tail}"


@attrs.frozen
class _Keyed:
    """What a level's dedupe key is made of, besides the case and cycle."""

    per_case: bool  # fires once per case, not per cycle
    middle: str  # ":policy:metric:" ("-" for no metric), escaped
    tail: str  # ":level name", escaped


@attrs.frozen
class _Level:
    check: Callable[[_Run], _Outcome]  # compiled for the trigger
    index: int
    name: str
    trigger: Any
    actions: tuple[Any, ...]
    quiet: tuple[Any, ...]  # per action: the quiet-hours calendar or None
    keyed: _Keyed


@attrs.frozen
class _Compiled:
    policy: EscalationPolicy
    calendar: Any
    levels: tuple[_Level, ...]
    when: Any  # the policy's condition, or None


class EscalationEngine:
    """
    Decides which escalation levels are due for a case at a moment.

    >>> sla = sc.SLAEngine([sc.sla.SLAPolicy(
    ...     name="standard", targets={"normal": {"first_reply": "4h"}})])
    >>> engine = sc.EscalationEngine([sc.escalation.EscalationPolicy(
    ...     name="first-reply", levels=[
    ...         sc.escalation.EscalationLevel(
    ...             name="lead",
    ...             trigger=sc.escalation.ThresholdTrigger(metric="first_reply",
    ...                                         threshold=0.75),
    ...             actions=[sc.escalation.NotifyAction(to="lead", recipient="role")]),
    ...     ])], sla=sla)
    >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
    >>> case = sc.Case(id="c-1", customer=sc.Customer(id="cu-1"),
    ...                channel="email",
    ...                events=[sc.CaseCreated(case_id="c-1", at=start)])
    >>> check = engine.decide(case, at=start.add(hours=1))
    >>> check.decisions, check.next_check_at
    ((), DateTime(2024, 3, 4, 12, 0, 0, tzinfo=Timezone('UTC')))
    >>> [str(d) for d in engine.decide(case, at=check.next_check_at).decisions]
    ['2024-03-04T12:00:00+00:00 first-reply[0] lead: first_reply consumed 75%: 3h of 4h (cycle 0)']

    Args:
        policies: An :class:`EscalationPolicySet` or a sequence of
            :class:`EscalationPolicy`.
        sla: The SLA engine whose reports SLA triggers read; required when
            a level has an SLA trigger.
        calendars: More calendars policies may name (with the set's own,
            and ``"24x7"``: every second counts).

    Raises:
        PolicyError: an unknown calendar, an SLA trigger without an SLA
            engine or on a metric no SLA policy targets (all together).
    """

    def __init__(
        self,
        policies: EscalationPolicySet | Sequence[EscalationPolicy],
        *,
        sla: Any = None,  # noqa: ANN401 - an SLAEngine
        calendars: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(policies, EscalationPolicySet):
            policies = EscalationPolicySet(policies)
        self.policies = policies
        self.sla = sla
        #: Calendars by name: "24x7" (every second counts) unless a
        #: calendar of that name is given, the set's, then *calendars*.
        self.calendars = {
            "24x7": BusinessCalendar.always(),
            **policies.calendars,
            **(calendars or {}),
        }
        errors: list[PolicyError] = []
        tracked = (
            set()
            if sla is None
            else {m.name for m in getattr(sla, "tracked", ())}
        )
        for i, policy in enumerate(policies):
            where = policy.location or f"escalation.policies[{i}]"
            for rel, name in _calendar_names(policy):
                if name not in self.calendars:
                    errors.append(
                        InvalidValueError(
                            f"{where}.{rel}",
                            f"unknown calendar {name!r}"
                            f"{did_you_mean(name, self.calendars)}; known: "
                            f"{', '.join(sorted(self.calendars)) or 'none'}",
                        )
                    )
            for j, level in enumerate(policy.levels):
                trigger = level.trigger
                if not isinstance(trigger, ThresholdTrigger | BreachTrigger):
                    continue
                at = f"{where}.levels[{j}].trigger"
                if sla is None:
                    errors.append(
                        InvalidValueError(
                            at,
                            "an SLA trigger needs an SLA engine: "
                            "EscalationEngine(policies, sla=SLAEngine(...))",
                        )
                    )
                elif trigger.metric not in tracked:
                    errors.append(
                        InvalidValueError(
                            f"{at}.metric",
                            f"no SLA policy sets a target for "
                            f"{trigger.metric!r}, so this level could never "
                            "fire",
                        )
                    )
        raise_all("escalation", errors)
        self._compiled = tuple(self._compile(p) for p in policies)
        #: The SLA metrics the SLA triggers read: the SLA engine evaluates
        #: only these (each metric's clocks run on their own).
        self._watched = frozenset(
            level.trigger.metric
            for policy in policies
            for level in policy.levels
            if isinstance(level.trigger, ThresholdTrigger | BreachTrigger)
        )

    def _calendar(self, value: Any) -> Any:  # noqa: ANN401
        if isinstance(value, str):
            return self.calendars[value]
        return value

    def _compile(self, policy: EscalationPolicy) -> _Compiled:
        calendar = self._calendar(policy.calendar)
        per_case = policy.scope == EscalationScope.CASE
        levels = []
        for i, level in enumerate(policy.levels):
            trigger = level.trigger
            quiet = tuple(
                self._calendar(getattr(a, "quiet_hours", None))
                for a in level.actions
            )
            metric = getattr(trigger, "metric", None)
            keyed = _Keyed(
                per_case or isinstance(trigger, ConditionTrigger),
                f":{_key_part(policy.name)}:{_key_part(metric or '-')}:",
                f":{_key_part(level.name)}",
            )
            check: Callable[[_Run], _Outcome]
            if isinstance(trigger, ThresholdTrigger | BreachTrigger):
                check = (
                    _breach_check(trigger, keyed)
                    if isinstance(trigger, BreachTrigger)
                    else _threshold_check(trigger, keyed, self.sla)
                )
            elif isinstance(trigger, ElapsedTrigger):
                clock = self._calendar(trigger.calendar) or calendar
                check = _elapsed_check(trigger, keyed, clock or _ALL_TIME)
            else:
                check = _condition_check(trigger, keyed, calendar)
            levels.append(
                _Level(
                    check, i, level.name, trigger, level.actions, quiet, keyed
                )
            )
        return _Compiled(
            policy, calendar, tuple(levels), _predicate(policy.when)
        )

    # -- deciding ---------------------------------------------------------

    def decide(
        self,
        case: Case,
        at: datetime,
        *,
        sla_report: Any = None,  # noqa: ANN401 - an SLAReport
    ) -> EscalationCheck:
        """
        Return the decisions due for *case* at *at*, and the next check.

        Only events at or before *at* count. A decision whose dedupe key
        the case records in an ``EscalationFired`` event at or before *at*
        is never returned. Nothing is due before ``next_check_at`` unless
        an event arrives.

        Args:
            case: The case.
            at: The moment, an aware datetime.
            sla_report: The SLA engine's report of *case* at *at*, if the
                host has it already (saves evaluating it again).

        Returns:
            The check: decisions due and the next moment to look again.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            ModelError: *at* is before the case was created.
            EvaluationError: *sla_report* is of another case or moment.
        """
        return self.decide_s(case, to_epoch(at, "at"), sla_report=sla_report)

    def decide_s(
        self,
        case: Case,
        at_s: int,
        *,
        sla_report: Any = None,  # noqa: ANN401 - an SLAReport
    ) -> EscalationCheck:
        """
        Return :meth:`decide` at epoch seconds *at_s* (the fast path).

        >>> engine = sc.EscalationEngine([])
        >>> case = sc.Case(id="c", customer=sc.Customer(id="u"),
        ...                channel="chat", events=[sc.CaseCreated(
        ...                    case_id="c", at=pendulum.datetime(2024, 1, 1))])
        >>> engine.decide_s(case, 1704067200)
        EscalationCheck(case_id='c', at_s=1704067200, decisions=(), next_check_at_s=None)
        """
        if sla_report is not None and (
            sla_report.at_s != at_s or sla_report.case_id != case.id
        ):
            raise EvaluationError(
                "sla_report",
                f"the report is of case {sla_report.case_id!r} at "
                f"{sla_report.at_s}; pass the report of case {case.id!r} at "
                f"{at_s}",
            )
        if case.events[0].at_s > at_s:
            # Before the case existed nothing can be due: the same error
            # as Case.state_at and SLAEngine.evaluate.
            case.state_at_s(at_s)
        run = _Run(case, at_s, self.sla, sla_report, self._watched)
        last_s = run.last_s
        decisions: list[EscalationDecision] = []
        wake: int | None = None
        for compiled in self._compiled:
            when = compiled.when
            if when is not None and not when(
                run.context(last_s, compiled.calendar)
            ):
                continue
            for level in compiled.levels:
                hit, due = level.check(run)
                if hit is not None:
                    decisions.append(self._decision(run, compiled, level, hit))
                elif due is not None and (wake is None or due < wake):
                    wake = due
        return _check(run.case_id, at_s, tuple(decisions), wake)

    def _decision(
        self,
        run: _Run,
        compiled: _Compiled,
        level: _Level,
        hit: _Hit,
    ) -> EscalationDecision:
        policy = compiled.policy
        planned = tuple(
            self._plan(run, compiled, action, quiet, hit)
            for action, quiet in zip(level.actions, level.quiet, strict=True)
        )
        return EscalationDecision(
            case_id=run.case_id,
            policy=policy.name,
            level=level.index,
            level_name=level.name,
            trigger=level.trigger.kind,
            reason=hit.reason,
            values=hit.values,
            metric=hit.metric,
            cycle=hit.cycle,
            dedupe_key=_dedupe_key(run.case_id, level.keyed, hit.cycle),
            at_s=run.at_s,
            triggered_at_s=hit.triggered_at,
            actions=planned,
        )

    def _plan(
        self,
        run: _Run,
        compiled: _Compiled,
        action: Any,  # noqa: ANN401 - an Action
        quiet: Any,  # noqa: ANN401 - a calendar or None
        hit: _Hit,
    ) -> PlannedAction:
        at_s = run.at_s
        if isinstance(action, NotifyAction):
            due = at_s
            urgent = run.state().priority == Priority.URGENT
            if quiet is not None and not (urgent and action.urgent_bypass):
                due = quiet.next_open_s(at_s)
            return PlannedAction(
                action=action,
                params={"to": action.to, "recipient": action.recipient.value},
                due_at_s=due,
                held=due > at_s,
            )
        params: dict[str, object]
        if isinstance(action, AssignAction):
            params = {
                k: v
                for k, v in (("agent", action.agent), ("team", action.team))
                if v
            }
        elif isinstance(action, PriorityAction):
            current = run.state().priority
            params = {
                "priority": action.resolve(current).value,
                "previous": current.value,
            }
        elif isinstance(action, TagAction):
            params = {"tags": sorted(action.add)}
        elif isinstance(action, CustomerMessageAction):
            due = at_s
            if action.contact_window is not None:
                due = to_epoch(
                    next_contact_time(
                        run.case.customer,
                        from_epoch(at_s),
                        window=action.contact_window,
                    )
                )
            params = {
                "template": action.template,
                "data": self._message_data(run, compiled, action, hit, due),
            }
            return PlannedAction(
                action=action, params=params, due_at_s=due, held=due > at_s
            )
        else:
            assert isinstance(action, PluginAction)  # noqa: S101 - the union
            params = dict(action.params)
        return PlannedAction(action=action, params=params, due_at_s=at_s)

    def _message_data(
        self,
        run: _Run,
        compiled: _Compiled,
        action: CustomerMessageAction,
        hit: _Hit,
        due_s: int,
    ) -> dict[str, object]:
        fills: dict[str, object] = {
            "$deadline": hit.values.get("deadline"),
            "$due_at": _dt(
                run.at_s if hit.triggered_at is None else hit.triggered_at
            ),
            "$metric": hit.metric,
            "$priority": run.state().priority.value,
        }
        data: dict[str, object] = {
            k: fills.get(v, v) if isinstance(v, str) else v
            for k, v in action.data.items()
        }
        if action.expect_reply_within_s is not None:
            clock = compiled.calendar or _ALL_TIME
            data["expected_reply_at"] = from_epoch(
                clock.add_s(due_s, action.expect_reply_within_s)
            )
        return data

    def __repr__(self) -> str:
        """Return the policies' names."""
        return f"<EscalationEngine policies={[p.name for p in self.policies]}>"


def _predicate(condition: Any) -> Any:  # noqa: ANN401
    """Return a condition's compiled closure, or the callable itself."""
    # Calling the closure skips Condition.__call__: one call less per check.
    return getattr(condition, "predicate", condition)


def _sla_hit(
    trigger: ThresholdTrigger | BreachTrigger,
    cycle: Any,  # noqa: ANN401 - a CycleReport
    when: int | None,
) -> _Hit:
    values: dict[str, object] = {
        "metric": trigger.metric,
        "cycle": cycle.number,
        "state": cycle.state.value,
        "elapsed_s": cycle.elapsed_business_s,
        "target_s": cycle.target_s,
        "consumed": cycle.consumed_ratio,
        "deadline": cycle.deadline,
        "sla_policy": cycle.policy,
    }
    if isinstance(trigger, BreachTrigger):
        values["breached_at"] = cycle.breached_at
    else:
        values["threshold"] = trigger.threshold.label
    spent = (
        f"{format_duration(cycle.elapsed_business_s)} of "
        f"{format_duration(cycle.target_s)} (cycle {cycle.number})"
    )
    return _Hit(
        trigger.metric,
        cycle.number,
        when,
        f"{trigger.describe()}: {spent}",
        values,
    )


def _running_cycle(run: _Run, metric: str, keyed: _Keyed) -> Any:  # noqa: ANN401
    """
    Return the latest cycle of *metric* if it runs with a target.

    ``None`` also when the case is solved or closed (every SLA cycle has
    stopped: no need to evaluate the SLA then), and when the case records
    this level's decision for the cycle.
    """
    if run.status in _STOP:
        return None
    found = (run.metrics or run.load_metrics()).get(metric)
    cycles = None if found is None else found.cycles
    if not cycles:
        return None
    cycle = cycles[-1]
    if cycle.stopped_at_s is not None or cycle.target_s is None:
        return None
    recorded = run.recorded
    if recorded and _dedupe_key(run.case_id, keyed, cycle.number) in recorded:
        return None
    return cycle


def _breach_check(
    trigger: BreachTrigger, keyed: _Keyed
) -> Callable[[_Run], _Outcome]:
    """Compile the check of an SLA breach trigger."""
    metric = trigger.metric

    def check(run: _Run) -> _Outcome:
        cycle = _running_cycle(run, metric, keyed)
        if cycle is None:
            return None, None
        if cycle.breached_at_s is not None:
            return _sla_hit(trigger, cycle, cycle.breached_at_s), None
        if cycle.state == _ACTIVE:
            return None, cycle.deadline_s
        return None, None

    return check


def _threshold_check(
    trigger: ThresholdTrigger,
    keyed: _Keyed,
    sla: Any,  # noqa: ANN401 - an SLAEngine
) -> Callable[[_Run], _Outcome]:
    """Compile the check of an SLA threshold trigger."""
    metric = trigger.metric
    consumed_for = trigger.threshold.consumed_for
    # The counted seconds at which the threshold is crossed, by target.
    needs: dict[int, int] = {}

    def check(run: _Run) -> _Outcome:
        cycle = _running_cycle(run, metric, keyed)
        if cycle is None:
            return None, None
        target = cycle.target_s
        need = needs.get(target)
        if need is None:
            need = needs[target] = consumed_for(target)
        used = cycle.elapsed_business_s
        running = cycle.state == _ACTIVE
        if used < need:
            if running:
                clock = sla.clock_for(cycle, run.case)
                return None, clock.add_s(run.at_s, need - used)
            return None, None
        # When did it cross? Known if the clock ran since the latest event.
        last_s = run.last_s
        breached_at_s = cycle.breached_at_s
        when = None
        if running or (breached_at_s is not None and breached_at_s > last_s):
            clock = sla.clock_for(cycle, run.case)
            since = max(last_s, cycle.started_at_s)
            before = used - clock.between_s(since, run.at_s)
            if before < need:
                when = clock.add_s(since, need - before)
        return _sla_hit(trigger, cycle, when), None

    return check


def _since_created(run: _Run) -> tuple[int | None, int]:
    return run.created, 0


def _since_reply(run: _Run) -> tuple[int | None, int]:
    return run.last_reply or run.created, run.replies


def _since_unanswered(run: _Run) -> tuple[int | None, int]:
    return run.unanswered, run.replies


def _since_customer(run: _Run) -> tuple[int | None, int]:
    return run.last_customer, run.messages - 1


def _since_status(run: _Run) -> tuple[int | None, int]:
    return run.entered, run.entries[run.status] - 1


#: How an elapsed trigger reads its anchor and its cycle from a run.
_ANCHORS: dict[ElapsedSince, Callable[[_Run], tuple[int | None, int]]] = {
    ElapsedSince.CREATED: _since_created,
    ElapsedSince.LAST_AGENT_REPLY: _since_reply,
    ElapsedSince.UNANSWERED_CUSTOMER_MESSAGE: _since_unanswered,
    ElapsedSince.LAST_CUSTOMER_MESSAGE: _since_customer,
    ElapsedSince.STATUS: _since_status,
}


def _elapsed_check(
    trigger: ElapsedTrigger,
    keyed: _Keyed,
    clock: Any,  # noqa: ANN401 - a calendar
) -> Callable[[_Run], _Outcome]:
    """Compile the check of an elapsed-time trigger."""
    anchor_of = _ANCHORS[trigger.since]
    # since = "status" holds in that one status; the others in any of
    # their statuses.
    statuses = (
        frozenset({trigger.status})
        if trigger.status is not None
        else trigger.statuses
    )
    after_s = trigger.after_s
    add_s = clock.add_s
    since = trigger.since.value
    pause = trigger.pause

    def check(run: _Run) -> _Outcome:
        if run.status not in statuses:
            return None, None
        anchor, cycle = anchor_of(run)
        if anchor is None:
            return None, None
        recorded = run.recorded
        if recorded and _dedupe_key(run.case_id, keyed, cycle) in recorded:
            return None, None
        if pause:
            due = _counted_due(run, anchor, after_s, pause, clock)
            if due is None:
                return None, None
        else:
            due = add_s(anchor, after_s)
        if due > run.at_s:
            return None, due
        anchor_at = from_epoch(anchor)
        return _Hit(
            None,
            cycle,
            due,
            f"{trigger.describe()}: since {anchor_at.isoformat()}",
            {
                "since": since,
                "anchor": anchor_at,
                "after_s": after_s,
                "due_at": from_epoch(due),
            },
        ), None

    return check


def _counted_due(
    run: _Run,
    anchor: int,
    after_s: int,
    pause: frozenset[CaseStatus],
    clock: Any,  # noqa: ANN401 - a calendar
) -> int | None:
    """
    Return when *after_s* of time counted from *anchor* is reached.

    Time in a *pause* status does not count. ``None`` when the case is
    paused at ``run.at_s`` before the time is reached: only an event (a
    status change) can make the trigger due then.
    """
    changes = run.transitions()
    # The status just after the anchor's instant: changes at or before it.
    i = bisect.bisect_right(changes, anchor, key=_first)
    status = changes[i - 1][1] if i else _NEW
    left = after_s
    start = anchor
    for at, changed in changes[i:]:
        if status not in pause:
            span = clock.between_s(start, at)
            if span >= left:
                return int(clock.add_s(start, left))
            left -= span
        start, status = at, changed
    if status in pause:
        return None
    return int(clock.add_s(start, left))


def _first(change: tuple[int, CaseStatus]) -> int:
    return change[0]


def _condition_check(
    trigger: ConditionTrigger,
    keyed: _Keyed,
    calendar: Any,  # noqa: ANN401 - the policy's calendar or None
) -> Callable[[_Run], _Outcome]:
    """Compile the check of a condition trigger (always once per case)."""
    when = _predicate(trigger.when)
    every = trigger.check_every_s

    def check(run: _Run) -> _Outcome:
        recorded = run.recorded
        if recorded and _dedupe_key(run.case_id, keyed, None) in recorded:
            return None, None
        at_s = run.at_s
        point = run.last_s
        created = run.created
        if every is not None:
            point = max(point, created + (at_s - created) // every * every)
        if when(run.context(point, calendar)):
            evaluated_at = from_epoch(point)
            return _Hit(
                None,
                None,
                point,
                f"{trigger.describe()} at {evaluated_at.isoformat()}",
                {"evaluated_at": evaluated_at},
            ), None
        if every is None or run.status == _CLOSED:
            return None, None
        return None, created + ((at_s - created) // every + 1) * every

    return check


def simulate(
    case: Case,
    policies: EscalationEngine
    | EscalationPolicySet
    | Iterable[EscalationPolicy],
    until: datetime,
    *,
    sla: Any = None,  # noqa: ANN401 - an SLAEngine
    calendars: Mapping[str, Any] | None = None,
    keep_recorded: bool = False,
) -> tuple[EscalationDecision, ...]:
    """
    Replay *case* and list every escalation that would have fired, and when.

    The replay calls ``decide`` at the creation, at every event and at
    every ``next_check_at`` up to *until*, and records each decision as an
    ``EscalationFired`` event at its moment, as a host would. The case's
    own ``EscalationFired`` events are left out unless *keep_recorded*
    (they belong to the policies that ran then).

    >>> sla = sc.SLAEngine([sc.sla.SLAPolicy(
    ...     name="standard", targets={"normal": {"first_reply": "4h"}})])
    >>> policies = [sc.escalation.EscalationPolicy(name="fr", levels=[
    ...     sc.escalation.EscalationLevel(
    ...         name="lead",
    ...         trigger=sc.escalation.ThresholdTrigger(metric="first_reply",
    ...                                     threshold=0.5),
    ...         actions=[sc.escalation.NotifyAction(to="lead")]),
    ...     sc.escalation.EscalationLevel(
    ...         name="manager",
    ...         trigger=sc.escalation.BreachTrigger(metric="first_reply"),
    ...         actions=[sc.escalation.NotifyAction(to="manager")]),
    ... ])]
    >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
    >>> case = sc.Case(id="c-1", customer=sc.Customer(id="cu-1"),
    ...                channel="email",
    ...                events=[sc.CaseCreated(case_id="c-1", at=start)])
    >>> for d in sc.escalation.simulate(case, policies, start.add(days=1), sla=sla):
    ...     print(d.at.time(), d.level, d.reason)
    11:00:00 0 first_reply consumed 50%: 2h of 4h (cycle 0)
    13:00:00 1 first_reply breached: 4h of 4h (cycle 0)

    Args:
        case: The case, with its history.
        policies: An engine, a policy set or policies.
        until: Replay up to this moment (inclusive).
        sla: The SLA engine, when *policies* is not an engine.
        calendars: More calendars, when *policies* is not an engine.
        keep_recorded: Keep the case's own ``EscalationFired`` events.

    Returns:
        The decisions, in the order they would have fired.

    Raises:
        NaiveDatetimeError: *until* has no time zone.
        PolicyError: as :class:`EscalationEngine`.
    """
    engine = (
        policies
        if isinstance(policies, EscalationEngine)
        else EscalationEngine(
            policies
            if isinstance(policies, EscalationPolicySet)
            else tuple(policies),
            sla=sla,
            calendars=calendars,
        )
    )
    until_s = to_epoch(until, "until")
    base = [
        e
        for e in case.events
        if keep_recorded or not isinstance(e, EscalationFired)
    ]
    times = sorted({e.at_s for e in base})
    fired: list[EscalationFired] = []
    found: list[EscalationDecision] = []
    current = _with_events(case, base, fired)
    t: int | None = base[0].at_s
    while t is not None and t <= until_s:
        check = engine.decide_s(current, t)
        if check.decisions:
            found.extend(check.decisions)
            fired.extend(d.to_event() for d in check.decisions)
            current = _with_events(case, base, fired)
        i = bisect.bisect_right(times, t)
        nxt = times[i] if i < len(times) else None
        wake = check.next_check_at_s
        if wake is not None and (nxt is None or wake < nxt):
            nxt = wake
        t = nxt
    return tuple(found)


def _with_events(
    case: Case, base: list[Any], fired: list[EscalationFired]
) -> Case:
    """Return *case* with *fired* merged into *base*, each after its instant."""
    # A stable sort keeps each fired event after the case's own events of
    # its instant.
    events = sorted([*base, *fired], key=_at_s) if fired else base
    return attrs.evolve(case, events=events)
