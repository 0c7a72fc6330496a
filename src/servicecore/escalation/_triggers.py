"""
What makes an escalation level fire.

SLA thresholds and breaches, time since an event, or any condition of the
shared language.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from servicecore._problems import add_error
from servicecore._time import duration_seconds, format_duration
from servicecore._when import compile_when
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    ServiceCoreError,
    did_you_mean,
)
from servicecore.models import CaseStatus
from servicecore.sla import SLAThreshold

__all__ = [
    "BreachTrigger",
    "ConditionTrigger",
    "ElapsedSince",
    "ElapsedTrigger",
    "ThresholdTrigger",
    "Trigger",
    "parse_trigger",
]

#: A compiled condition: called with an EvaluationContext.
Predicate = Callable[[Any], bool]

_STOP = frozenset({CaseStatus.SOLVED, CaseStatus.CLOSED})
_UNSOLVED = frozenset(CaseStatus) - _STOP


def _positive_seconds(value: object, location: str) -> int:
    """Read a duration (``"4h"``, a timedelta or seconds) above zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) or hasattr(value, "total_seconds"):
        try:
            seconds = duration_seconds(value, location)  # type: ignore[arg-type]
        except ServiceCoreError as exc:
            raise InvalidValueError(exc.location, exc.problem) from exc
    else:
        raise InvalidValueError(
            location, f"expected a duration such as '4h', got {value!r}"
        )
    if seconds <= 0:
        raise InvalidValueError(location, "a duration must be above 0s")
    return seconds


def _metric(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidValueError("metric", "name an SLA metric")


def _threshold(value: object) -> SLAThreshold:
    if isinstance(value, SLAThreshold):
        return value
    return SLAThreshold.parse(value, "consumed")


@attrs.frozen(kw_only=True)
class ThresholdTrigger:
    """
    Fires when an SLA metric's running cycle has used up part of its target.

    The threshold is a fraction of the target (``0.75``) or a time before
    the deadline (``"30m"``), counted like the metric's own clock: business
    time of the SLA policy's calendar, or calendar time for a
    calendar-basis metric (the rules of :class:`~servicecore.SLAThreshold`).
    It holds while the cycle runs, so a cycle already fulfilled when the
    host asks fires nothing.

    >>> trigger = sc.escalation.ThresholdTrigger(metric="first_reply", threshold=0.75)
    >>> trigger.kind, trigger.describe()
    ('sla_threshold', 'first_reply consumed 75%')

    Args:
        metric: The SLA metric's name.
        threshold: ``0.75``, ``"30m"`` or an :class:`SLAThreshold`.

    Raises:
        InvalidValueError: a bad threshold.
    """

    kind = "sla_threshold"

    metric: str = attrs.field(validator=_metric)
    threshold: SLAThreshold = attrs.field(converter=_threshold)

    def describe(self) -> str:
        """Return the trigger in words."""
        if self.threshold.fraction is not None:
            return f"{self.metric} consumed {self.threshold.label}"
        return f"{self.metric} within {self.threshold.label} the deadline"


@attrs.frozen(kw_only=True)
class BreachTrigger:
    """
    Fires when an SLA metric's running cycle breaches its target.

    >>> sc.escalation.BreachTrigger(metric="resolution").describe()
    'resolution breached'

    Args:
        metric: The SLA metric's name.
    """

    kind = "sla_breach"

    metric: str = attrs.field(validator=_metric)

    def describe(self) -> str:
        """Return the trigger in words."""
        return f"{self.metric} breached"


class ElapsedSince(enum.StrEnum):
    """
    The events an :class:`ElapsedTrigger` measures time from.

    - ``created``: the case's creation.
    - ``last_agent_reply``: the latest public agent reply (the creation
      when there is none): "no agent reply for 4 business hours".
    - ``unanswered_customer_message``: the first public customer message
      not yet answered by a public agent reply (nothing while none waits).
    - ``last_customer_message``: the latest public customer message.
    - ``status``: when the case entered its current status; the trigger
      names the status (``pending`` for "pending for 3 days").

    >>> sc.escalation.ElapsedSince("status")
    <ElapsedSince.STATUS: 'status'>
    """

    CREATED = "created"
    LAST_AGENT_REPLY = "last_agent_reply"
    UNANSWERED_CUSTOMER_MESSAGE = "unanswered_customer_message"
    LAST_CUSTOMER_MESSAGE = "last_customer_message"
    STATUS = "status"


def _status_or_none(value: str | None) -> CaseStatus | None:
    return None if value is None else _status(value, "status")


def _status(value: object, location: str) -> CaseStatus:
    return CaseStatus(_choice(value, [s.value for s in CaseStatus], location))


def _since(value: object) -> ElapsedSince:
    return ElapsedSince(
        _choice(value, [e.value for e in ElapsedSince], "since")
    )


def _after(value: object) -> int:
    return _positive_seconds(value, "after")


def _when_predicate(value: object) -> Predicate:
    return compile_when(value, "when")


def _status_set(values: object, location: str) -> frozenset[CaseStatus]:
    if isinstance(values, str):
        values = [values]
    if isinstance(values, Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError(location, "expected a list of statuses")
    return frozenset(
        _status(v, f"{location}[{i}]") for i, v in enumerate(values)
    )


def _statuses(values: Iterable[str] | str | None) -> frozenset[CaseStatus]:
    return _UNSOLVED if values is None else _status_set(values, "statuses")


_PAUSE_WITH_STATUS = (
    "since = 'status' counts the time in that one status; pause goes with "
    "the other since values"
)


def _pause(values: Iterable[str] | str | None) -> frozenset[CaseStatus]:
    return frozenset() if values is None else _status_set(values, "pause")


@attrs.frozen(kw_only=True)
class ElapsedTrigger:
    """
    Fires once a duration has passed since an event, in business time.

    The duration counts business time of *calendar* (a name the engine
    resolves, ``"24x7"`` for every second, a calendar, or ``None``: the
    policy's calendar, else 24x7). ``d`` is 24 hours of counted time, never
    a business day: in a calendar open 10 hours a day, ``"3d"`` is 72
    business hours, about a week and a half; for three calendar days
    write ``after = "3d"`` with ``calendar = "24x7"``.

    Time the case spends in a status of *pause* does not count ("no reply
    for 4 business hours, not counting time waiting on the customer":
    ``pause=["pending"]``), so a customer who answers after two days is
    owed a reply 4 business hours later, not at once. The trigger holds
    only while the case's status is one of *statuses* (by default any
    status but solved and closed); *statuses* does not stop the time from
    counting, *pause* does. With ``since="status"`` it holds only while the
    case is in *status*, and counts all that time.

    >>> trigger = sc.escalation.ElapsedTrigger(since="status", status="pending",
    ...                             after="3d", calendar="24x7")
    >>> trigger.describe()
    'pending for 3d'
    >>> sc.escalation.ElapsedTrigger(since="last_agent_reply", after="4h",
    ...                   pause=["solved", "pending"]).describe()
    'no public agent reply for 4h, not counting pending, solved'

    Args:
        since: What the time counts from (:class:`ElapsedSince`).
        after: The duration: ``"4h"``, a timedelta or seconds.
        status: The status, for ``since="status"`` (required there).
        statuses: Statuses in which the trigger may hold.
        calendar: The business calendar of the duration.
        pause: Statuses whose time does not count (not with
            ``since="status"``).

    Raises:
        InvalidValueError: a bad duration, an unknown status or event
            name, a status missing or given without ``since="status"``, or
            *pause* with it.
    """

    kind = "elapsed"

    since: ElapsedSince = attrs.field(converter=_since)
    after_s: int = attrs.field(alias="after", converter=_after)
    status: CaseStatus | None = attrs.field(
        default=None, converter=_status_or_none
    )
    statuses: frozenset[CaseStatus] = attrs.field(
        default=None, converter=_statuses
    )
    calendar: Any = None
    pause: frozenset[CaseStatus] = attrs.field(default=None, converter=_pause)

    def __attrs_post_init__(self) -> None:
        """Check that ``status`` goes with ``since="status"``, pause not."""
        if (self.since == ElapsedSince.STATUS) != (self.status is not None):
            raise InvalidValueError(
                "status",
                "give status exactly when since = 'status' "
                "(e.g. since = 'status', status = 'pending')",
            )
        if self.pause and self.since == ElapsedSince.STATUS:
            raise InvalidValueError(
                "pause",
                _PAUSE_WITH_STATUS,
            )

    def describe(self) -> str:
        """Return the trigger in words."""
        after = format_duration(self.after_s)
        since = self.since
        if since == ElapsedSince.STATUS:
            return f"{self.status} for {after}"
        if since == ElapsedSince.LAST_AGENT_REPLY:
            words = f"no public agent reply for {after}"
        elif since == ElapsedSince.UNANSWERED_CUSTOMER_MESSAGE:
            words = f"customer message unanswered for {after}"
        elif since == ElapsedSince.LAST_CUSTOMER_MESSAGE:
            words = f"{after} since the last customer message"
        else:
            words = f"{after} since creation"
        if self.pause:
            paused = [s.value for s in CaseStatus if s in self.pause]
            words += f", not counting {', '.join(paused)}"
        return words


def _same_condition(a: object, b: object) -> bool:
    """Compare conditions by their documents; others (None) by identity."""
    if a is b:
        return True
    a_dict = getattr(a, "to_dict", None)
    b_dict = getattr(b, "to_dict", None)
    if a_dict is None or b_dict is None:
        return False
    return bool(a_dict() == b_dict())


def _check_every(value: object) -> int | None:
    return None if value is None else _positive_seconds(value, "check_every")


@attrs.frozen(kw_only=True)
class ConditionTrigger:
    """
    Fires when a condition of the shared language holds.

    The condition is evaluated at the case's events (over the case as it
    is after all events of that instant, at that instant) and, with
    *check_every*, also every *check_every* from the creation, so that
    time-dependent fields (``case.age``, ``moment.weekday``) are checked
    at moments the engine can announce in ``next_check_at``.

    >>> vip = sc.escalation.ConditionTrigger(
    ...     when={"field": "customer.tier", "op": "is", "value": "vip"})
    >>> vip.kind, vip.describe()
    ('condition', 'condition holds')

    Args:
        when: A condition document, a :class:`~servicecore.Condition` or
            any callable taking an :class:`~servicecore.EvaluationContext`.
        check_every: Also check at this period from the creation.
        label: Words for reasons (``"negative sentiment"``).

    Raises:
        PolicyError: the condition is wrong.
    """

    kind = "condition"

    when: Predicate = attrs.field(
        converter=_when_predicate,
        eq=attrs.cmp_using(eq=_same_condition),
        hash=False,
    )
    check_every_s: int | None = attrs.field(
        default=None, alias="check_every", converter=_check_every
    )
    label: str = ""

    def describe(self) -> str:
        """Return the trigger in words."""
        return self.label or "condition holds"


Trigger = ThresholdTrigger | BreachTrigger | ElapsedTrigger | ConditionTrigger

_SHAPES = {
    "consumed": ("metric", "consumed"),
    "breached": ("metric", "breached"),
    "since": ("since", "after", "status", "statuses", "pause", "calendar"),
    "when": ("when", "check_every", "label"),
}
_ALL_KEYS = tuple(dict.fromkeys(k for keys in _SHAPES.values() for k in keys))


def parse_trigger(  # noqa: C901, PLR0911, PLR0912 - one branch per shape
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    metrics: Iterable[str],
    errors: list[PolicyError],
) -> Trigger | None:
    """
    Read a trigger table; append its problems to *errors*.

    The table's keys tell its kind: ``consumed`` (a threshold), ``breached``,
    ``since`` (elapsed time) or ``when`` (a condition).
    """
    if isinstance(data, ThresholdTrigger | BreachTrigger | ElapsedTrigger):
        return data
    if isinstance(data, ConditionTrigger):
        return data
    if not isinstance(data, Mapping):
        errors.append(
            PolicySyntaxError(
                location,
                "expected a trigger table: {metric, consumed}, {metric, "
                "breached = true}, {since, after} or {when}",
            )
        )
        return None
    kinds = [k for k in _SHAPES if k in data]
    if len(kinds) != 1:
        problem = (
            "a trigger has exactly one of consumed, breached, since, when"
            if kinds
            else "a trigger needs consumed, breached, since or when"
        )
        errors.append(PolicySyntaxError(location, problem))
        return None
    kind = kinds[0]
    start = len(errors)
    for key in data:
        if key not in _SHAPES[kind]:
            hint = did_you_mean(str(key), _ALL_KEYS)
            errors.append(
                PolicySyntaxError(
                    f"{location}.{key}",
                    f"unknown key {key!r} for a {kind!r} trigger{hint}; "
                    f"known: {', '.join(_SHAPES[kind])}",
                )
            )
    if kind in {"consumed", "breached"}:
        metric = data.get("metric")
        known = list(metrics)
        if not isinstance(metric, str):
            errors.append(
                PolicySyntaxError(
                    f"{location}.metric", "name the SLA metric (a string)"
                )
            )
        elif metric not in known:
            errors.append(
                InvalidValueError(
                    f"{location}.metric",
                    f"unknown SLA metric {metric!r}"
                    f"{did_you_mean(metric, known)}",
                )
            )
        if kind == "breached" and data["breached"] is not True:
            errors.append(
                InvalidValueError(
                    f"{location}.breached", "write breached = true"
                )
            )
    try:
        if len(errors) > start:
            return None
        if kind == "consumed":
            threshold = SLAThreshold.parse(
                data["consumed"], f"{location}.consumed"
            )
            return ThresholdTrigger(metric=data["metric"], threshold=threshold)
        if kind == "breached":
            return BreachTrigger(metric=data["metric"])
        if kind == "since":
            return _elapsed(data, location)
        when = compile_when(data["when"], f"{location}.when", registry)
        every = data.get("check_every")
        label = data.get("label", "")
        if not isinstance(label, str):
            raise InvalidValueError(f"{location}.label", "expected a string")
        return ConditionTrigger(
            when=when,
            check_every=None
            if every is None
            else _positive_seconds(every, f"{location}.check_every"),
            label=label,
        )
    except PolicyError as exc:
        add_error(errors, exc)
        return None


def _choice(value: object, known: Iterable[str], location: str) -> str:
    names = list(known)
    if not isinstance(value, str) or value not in names:
        raise InvalidValueError(
            location,
            f"{value!r} is not one of {', '.join(names)}"
            f"{did_you_mean(str(value), names)}",
        )
    return value


def _elapsed(data: Mapping[str, Any], location: str) -> ElapsedTrigger:
    since = _choice(
        data["since"], [e.value for e in ElapsedSince], f"{location}.since"
    )
    if "after" not in data:
        raise PolicySyntaxError(
            f"{location}.after", "missing: how long, e.g. after = '4h'"
        )
    after = _positive_seconds(data["after"], f"{location}.after")
    statuses_known = [s.value for s in CaseStatus]
    status = data.get("status")
    if status is not None:
        status = _choice(status, statuses_known, f"{location}.status")
    if (since == "status") != (status is not None):
        raise InvalidValueError(
            f"{location}.status",
            "give status exactly when since = 'status' "
            "(e.g. since = 'status', status = 'pending')",
        )
    statuses, pause = (
        _status_list(data.get(key), f"{location}.{key}")
        for key in ("statuses", "pause")
    )
    if pause and since == "status":
        raise InvalidValueError(
            f"{location}.pause",
            _PAUSE_WITH_STATUS,
        )
    calendar = data.get("calendar")
    if calendar is not None and not isinstance(calendar, str):
        raise InvalidValueError(
            f"{location}.calendar", "expected a calendar name or '24x7'"
        )
    return ElapsedTrigger(
        since=since,
        after=after,
        status=status,
        statuses=statuses,
        calendar=calendar,
        pause=pause,
    )


def _status_list(value: object, location: str) -> frozenset[CaseStatus] | None:
    """Read an optional list of statuses (``statuses``, ``pause``)."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidValueError(location, "expected a list of statuses")
    return _status_set(value, location)
