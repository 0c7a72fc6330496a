"""
SLA policies and policy sets: what is promised, to which cases, how.

A document (dict, TOML or JSON) is validated completely before anything is
built: every problem is collected with its location and reported together
in one :class:`~servicecore.errors.PolicyValidationError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from types import MappingProxyType
from typing import Any

import attrs

from servicecore._problems import add_error, as_policy_error, raise_all
from servicecore._time import duration_seconds, format_duration
from servicecore._when import When, compile_when, is_catch_all
from servicecore.config import (
    FromDocument,
    PolicyDocument,
    inline_calendar,
    register_section,
    section_calendars,
    section_table,
)
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    PolicyValidationError,
    ServiceCoreError,
    did_you_mean,
)
from servicecore.models import CaseStatus, Priority
from servicecore.sla._clock import EARLIEST_S, LATEST_S, BusinessClock
from servicecore.sla._metrics import (
    BUILTIN_METRICS,
    ClockBasis,
    ReopenRule,
    TargetChangeRule,
)

__all__ = [
    "MetricSettings",
    "SLAPolicy",
    "SLAPolicySet",
    "SLAThreshold",
]


_STOP = frozenset({CaseStatus.SOLVED, CaseStatus.CLOSED})
_ZONES = ("calendar", "customer")
_POLICY_KEYS = ("name", "when", "calendar", "zone", "targets", "metrics")
_SETTING_KEYS = ("basis", "pause", "reopen", "on_target_change", "warnings")


@attrs.frozen(kw_only=True)
class SLAThreshold:
    """
    A warning threshold: a fraction of the target, or time before the deadline.

    >>> sc.sla.SLAThreshold.parse(0.75).consumed_for(3600)
    2700
    >>> warn = sc.sla.SLAThreshold.parse("30m")
    >>> warn.label, warn.consumed_for(3600)
    ('30m before', 1800)

    Args:
        fraction: Crossed once this share of the target is consumed,
            strictly between 0 and 1.
        before_s: Crossed this many seconds of counted time before the
            deadline.

    Raises:
        InvalidValueError: neither or both given, or out of range.
    """

    fraction: float | None = None
    before_s: int | None = None

    def __attrs_post_init__(self) -> None:
        """Check that exactly one form is given, in range."""
        if (self.fraction is None) == (self.before_s is None):
            raise InvalidValueError(
                "warning", "give a fraction (0.75) or a duration ('30m')"
            )
        if self.fraction is not None and not 0 < self.fraction < 1:
            raise InvalidValueError(
                "warning",
                f"a fraction must be between 0 and 1, got {self.fraction!r}",
            )
        if self.before_s is not None and self.before_s <= 0:
            raise InvalidValueError(
                "warning", "a time before the deadline must be above 0s"
            )

    @classmethod
    def parse(cls, value: object, location: str = "warning") -> SLAThreshold:
        """
        Read a threshold as policies write it: ``0.75`` or ``"30m"``.

        Args:
            value: A fraction, or a duration string or ``timedelta``.
            location: Where it came from, for the error.

        Returns:
            The threshold.

        Raises:
            InvalidValueError: not a fraction in (0, 1) or a duration > 0.
        """
        if isinstance(value, bool):
            pass
        elif isinstance(value, float | int):
            if 0 < value < 1:
                return cls(fraction=float(value))
            raise InvalidValueError(
                location,
                f"a warning fraction must be between 0 and 1 (0.75 is 75 %),"
                f" got {value!r}",
            )
        elif isinstance(value, str | timedelta):
            try:
                seconds = duration_seconds(value, location)
            except ServiceCoreError as exc:
                raise as_policy_error(exc) from exc
            if seconds > 0:
                return cls(before_s=seconds)
            raise InvalidValueError(
                location, "a time before the deadline must be above 0s"
            )
        raise InvalidValueError(
            location,
            f"a warning is a fraction (0.75) or a time before the deadline "
            f"('30m'), got {value!r}",
        )

    @property
    def label(self) -> str:
        """``"75%"`` or ``"30m before"``."""
        if self.fraction is not None:
            return f"{self.fraction * 100:g}%"
        return f"{format_duration(self.before_s or 0)} before"

    def consumed_for(self, target_s: int) -> int:
        """Return the counted seconds at which the threshold is crossed."""
        if self.fraction is not None:
            return math.ceil(self.fraction * target_s)
        return max(0, target_s - (self.before_s or 0))


def _pause_converter(
    values: Iterable[str] | None,
) -> frozenset[CaseStatus] | None:
    return None if values is None else _statuses(values, "pause")


def _warnings_converter(values: Iterable[object]) -> tuple[SLAThreshold, ...]:
    return _thresholds(values, "warnings")


def _basis(value: object) -> ClockBasis:
    found = _setting("basis", value, "basis")
    assert isinstance(found, ClockBasis)  # noqa: S101 - by _setting
    return found


def _reopen(value: object) -> ReopenRule | None:
    if value is None:
        return None
    found = _setting("reopen", value, "reopen")
    assert isinstance(found, ReopenRule)  # noqa: S101 - by _setting
    return found


def _target_change(value: object) -> TargetChangeRule:
    found = _setting("on_target_change", value, "on_target_change")
    assert isinstance(found, TargetChangeRule)  # noqa: S101 - by _setting
    return found


@attrs.frozen(kw_only=True)
class MetricSettings:
    """
    How one policy runs one metric's clock.

    >>> settings = sc.sla.MetricSettings(pause=["pending"], warnings=[0.75])
    >>> sorted(status.value for status in settings.pause), settings.reopen
    (['pending'], None)

    Args:
        basis: Count business time of the policy's calendar (default) or
            all time.
        pause: Statuses that pause the clock; ``None`` keeps the metric's
            own (``requester_wait`` pauses in pending, ...).
        reopen: The reopen rule; ``None`` keeps the metric's default.
        on_target_change: What an open clock does when its target changes.
        warnings: Warning thresholds, fractions or times before deadline.

    Raises:
        InvalidValueError: a pause status is unknown or a stop status.
    """

    basis: ClockBasis = attrs.field(
        default=ClockBasis.BUSINESS, converter=_basis
    )
    pause: frozenset[CaseStatus] | None = attrs.field(
        default=None, converter=_pause_converter
    )
    reopen: ReopenRule | None = attrs.field(default=None, converter=_reopen)
    on_target_change: TargetChangeRule = attrs.field(
        default=TargetChangeRule.KEEP_START, converter=_target_change
    )
    warnings: tuple[SLAThreshold, ...] = attrs.field(
        default=(), converter=_warnings_converter
    )


def _statuses(values: Iterable[str], location: str) -> frozenset[CaseStatus]:
    if not isinstance(values, list | tuple | set | frozenset):
        raise InvalidValueError(
            location, f"expected a list of statuses, got {values!r}"
        )
    known = [s.value for s in CaseStatus]
    out: set[CaseStatus] = set()
    for i, value in enumerate(values):
        where = f"{location}[{i}]"
        if not isinstance(value, str) or value.lower() not in known:
            raise InvalidValueError(
                where,
                f"{value!r} is not a status{did_you_mean(str(value), known)}",
            )
        status = CaseStatus(value.lower())
        if status in _STOP:
            raise InvalidValueError(
                where,
                f"{status.value!r} is the stop status of every metric; a "
                "clock cannot pause there",
            )
        out.add(status)
    return frozenset(out)


def _thresholds(
    values: Iterable[object], location: str
) -> tuple[SLAThreshold, ...]:
    if not isinstance(values, list | tuple):
        raise InvalidValueError(
            location, f"expected a list of warnings, got {values!r}"
        )
    out = [
        v
        if isinstance(v, SLAThreshold)
        else SLAThreshold.parse(v, f"{location}[{i}]")
        for i, v in enumerate(values)
    ]
    return tuple(out)


def _priority(value: object, location: str) -> Priority:
    known = [p.value for p in Priority]
    if isinstance(value, str) and value.lower() in known:
        return Priority(value.lower())
    raise InvalidValueError(
        location,
        f"{value!r} is not a priority{did_you_mean(str(value), known)}; "
        f"priorities are {', '.join(known)}",
    )


#: No clock can count more seconds than the supported range holds.
_LONGEST_S = LATEST_S - EARLIEST_S


def _target_problem(seconds: int) -> str:
    """Return what is wrong with a target of *seconds*, or ``""``."""
    if seconds <= 0:
        return "a target must be above 0s"
    if seconds > _LONGEST_S:
        return (
            f"{format_duration(seconds)} can never be met: it is longer than"
            " the supported time range (0001-01-01 to 9999-12-31 UTC)"
        )
    return ""


def _targets(
    value: object, location: str, errors: list[PolicyError]
) -> Mapping[Priority, Mapping[str, int]]:
    if not isinstance(value, Mapping):
        add_error(
            errors,
            PolicySyntaxError(
                location,
                "expected a table of priorities, each a table of metric = "
                "duration",
            ),
        )
        return {}
    out: dict[Priority, Mapping[str, int]] = {}
    for key, row in value.items():
        where = f"{location}.{key}"
        try:
            priority = _priority(key, where)
        except PolicyError as exc:
            add_error(errors, exc)
            continue
        if not isinstance(row, Mapping):
            add_error(
                errors,
                PolicySyntaxError(
                    where, "expected a table of metric = duration ('4h')"
                ),
            )
            continue
        metrics: dict[str, int] = {}
        for metric, text in row.items():
            at = f"{where}.{metric}"
            if isinstance(text, int) and not isinstance(text, bool):
                seconds = text
            else:
                try:
                    seconds = duration_seconds(text, at)
                except ServiceCoreError as exc:
                    add_error(errors, as_policy_error(exc))
                    continue
            problem = _target_problem(seconds)
            if problem:
                add_error(errors, InvalidValueError(at, problem))
                continue
            metrics[str(metric)] = seconds
        out[priority] = MappingProxyType(metrics)
    return MappingProxyType(out)


def _read_targets(value: object) -> Mapping[Priority, Mapping[str, int]]:
    errors: list[PolicyError] = []
    targets = _targets(value, "targets", errors)
    if errors:
        raise (
            errors[0]
            if len(errors) == 1
            else PolicyValidationError.collect("targets", errors)
        )
    return targets


def _read_metrics(value: object) -> Mapping[str, MetricSettings]:
    if not isinstance(value, Mapping):
        raise PolicySyntaxError("metrics", "expected a table of metrics")
    errors: list[PolicyError] = []
    found: dict[str, MetricSettings] = {}
    for key, item in value.items():
        if isinstance(item, MetricSettings):
            found[str(key)] = item
            continue
        settings = _settings_table(item, f"metrics.{key}", errors)
        if settings is not None:
            found[str(key)] = settings
    raise_all("metrics", errors)
    return MappingProxyType(found)


def _read_when(value: object) -> When | None:
    return None if value is None else compile_when(value, "when")


def _zone(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in _ZONES:
        raise InvalidValueError(
            "zone",
            f"{value!r} is not a zone rule{did_you_mean(str(value), _ZONES)};"
            " use 'calendar' or 'customer'",
        )


def _name(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("name", "a policy needs a non-empty name")


@attrs.frozen(kw_only=True)
class SLAPolicy:
    """
    One SLA policy: which cases it covers and what it promises them.

    >>> policy = sc.sla.SLAPolicy(
    ...     name="standard",
    ...     targets={"urgent": {"first_reply": "30m"},
    ...              "normal": {"first_reply": "4h", "resolution": "2d"}},
    ... )
    >>> policy.target("normal", "resolution"), policy.is_catch_all
    (172800, True)

    Args:
        name: Unique within its set; reports name it.
        when: The condition deciding which cases it covers: a condition
            document (compiled with the built-in registry), a
            :class:`~servicecore.Condition`, any callable taking an
            :class:`~servicecore.EvaluationContext`, or ``None`` for every
            case. It is evaluated at events only, over the case as it is
            after all events of that instant.
        calendar: The calendar of business-time targets: a name from the
            engine's calendars, a calendar, or ``None`` for 24x7.
        zone: ``"calendar"`` keeps the calendar's own time zone;
            ``"customer"`` uses the same hours in the customer's
            ``time_zone`` (``"UTC"`` when not given, never the calendar's).
        targets: Per priority, per metric, a duration (``"4h"``).
        metrics: Per metric, how its clock runs (see
            :class:`MetricSettings`).
        location: Where the policy was defined, for errors.

    Raises:
        PolicyError: a bad target, setting or zone.
    """

    name: str = attrs.field(validator=_name)
    when: When | None = attrs.field(default=None, converter=_read_when)
    calendar: str | BusinessClock | None = None
    zone: str = attrs.field(default="calendar", validator=_zone)
    targets: Mapping[Priority, Mapping[str, int]] = attrs.field(
        factory=dict, converter=_read_targets
    )
    metrics: Mapping[str, MetricSettings] = attrs.field(
        factory=dict, converter=_read_metrics
    )
    location: str = attrs.field(default="", eq=False, repr=False)

    @property
    def is_catch_all(self) -> bool:
        """Whether the policy covers every case (it has no condition)."""
        return is_catch_all(self.when)

    def target(self, priority: str, metric: str) -> int | None:
        """Return the target of *metric* at *priority*, seconds, or ``None``."""
        row = self.targets.get(Priority(priority))
        return None if row is None else row.get(metric)

    def metric_names(self) -> list[str]:
        """Return the metrics the policy sets a target or settings for."""
        names = dict.fromkeys(m for row in self.targets.values() for m in row)
        names.update(dict.fromkeys(self.metrics))
        return list(names)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        location: str = "policy",
        registry: object = None,
        metric_names: Sequence[str] | None = None,
    ) -> SLAPolicy:
        """
        Build a policy from a document, validating all of it first.

        >>> try:
        ...     sc.sla.SLAPolicy.from_dict(
        ...         {"name": "x", "targets": {"hgh": {"first_reply": "1h"}}},
        ...         location="sla.policies[0]",
        ...     )
        ... except sc.errors.InvalidValueError as err:
        ...     print(err.location, "|", err.problem)
        sla.policies[0].targets.hgh | 'hgh' is not a priority; did you mean
        'high'?; priorities are low, normal, high, urgent

        Args:
            data: The policy table.
            location: Its path in the document.
            registry: The plugin registry conditions compile against.
            metric_names: The known metrics (the built-ins when ``None``).

        Returns:
            The policy.

        Raises:
            PolicyError: the first problem alone, or all of them together
                as a :class:`PolicyValidationError`.
        """
        errors: list[PolicyError] = []
        policy = _policy_from_dict(
            data, location, errors, registry, metric_names
        )
        raise_all(location, errors)
        assert policy is not None  # noqa: S101 - no errors means built
        return policy


def _policy_from_dict(
    data: object,
    location: str,
    errors: list[PolicyError],
    registry: object,
    metric_names: Sequence[str] | None,
) -> SLAPolicy | None:
    start = len(errors)
    data = section_table(
        data, location, _POLICY_KEYS, errors, expected="a table (a policy)"
    )
    if data is None:
        return None
    known = list(metric_names or [m.name for m in BUILTIN_METRICS])
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        add_error(
            errors,
            InvalidValueError(
                f"{location}.name", "a policy needs a non-empty name"
            ),
        )
    when: When | None = None
    if data.get("when") is not None:
        try:
            when = compile_when(data["when"], f"{location}.when", registry)
        except PolicyError as exc:
            add_error(errors, exc)
    calendar = _calendar_setting(
        data.get("calendar"), f"{location}.calendar", errors
    )
    zone = data.get("zone", "calendar")
    if zone not in _ZONES:
        add_error(
            errors,
            InvalidValueError(
                f"{location}.zone",
                f"{zone!r} is not a zone rule{did_you_mean(str(zone), _ZONES)}"
                "; use 'calendar' or 'customer'",
            ),
        )
    targets = _targets(data.get("targets", {}), f"{location}.targets", errors)
    _check_target_metrics(targets, f"{location}.targets", errors, known)
    metrics = _settings(
        data.get("metrics", {}), f"{location}.metrics", errors, known
    )
    if len(errors) > start:
        return None
    return SLAPolicy(
        name=str(name),
        when=when,
        calendar=calendar,
        zone=str(zone),
        targets=targets,
        metrics=metrics,
        location=location,
    )


def _check_target_metrics(
    targets: Mapping[Priority, Mapping[str, int]],
    location: str,
    errors: list[PolicyError],
    known: Sequence[str],
) -> None:
    for priority, row in targets.items():
        for metric in row:
            if metric not in known:
                add_error(
                    errors,
                    InvalidValueError(
                        f"{location}.{priority.value}.{metric}",
                        f"unknown metric {metric!r}"
                        f"{did_you_mean(metric, known)}",
                    ),
                )


def _calendar_setting(
    calendar: object, location: str, errors: list[PolicyError]
) -> str | BusinessClock | None:
    if calendar is None or calendar == "24x7":
        return None
    if isinstance(calendar, str):
        return calendar
    if isinstance(calendar, Mapping):
        return inline_calendar(calendar, location, errors)
    add_error(
        errors,
        InvalidValueError(
            location,
            "expected a calendar name, '24x7' or an inline calendar table",
        ),
    )
    return None


def _settings(
    value: object,
    location: str,
    errors: list[PolicyError],
    known: Sequence[str],
) -> dict[str, MetricSettings]:
    if not isinstance(value, Mapping):
        add_error(
            errors, PolicySyntaxError(location, "expected a table of metrics")
        )
        return {}
    out: dict[str, MetricSettings] = {}
    for metric, table in value.items():
        where = f"{location}.{metric}"
        if metric not in known:
            add_error(
                errors,
                InvalidValueError(
                    where,
                    f"unknown metric {metric!r}{did_you_mean(str(metric), known)}",
                ),
            )
            continue
        settings = _settings_table(table, where, errors)
        if settings is not None:
            out[str(metric)] = settings
    return out


def _settings_table(
    table: object, where: str, errors: list[PolicyError]
) -> MetricSettings | None:
    if not isinstance(table, Mapping):
        add_error(
            errors, PolicySyntaxError(where, "expected a table of settings")
        )
        return None
    start = len(errors)
    kwargs: dict[str, Any] = {}
    for key, item in table.items():
        at = f"{where}.{key}"
        if key not in _SETTING_KEYS:
            add_error(
                errors,
                PolicySyntaxError(
                    at,
                    f"unknown key {key!r}"
                    f"{did_you_mean(str(key), _SETTING_KEYS)}",
                ),
            )
            continue
        try:
            kwargs[key] = _setting(key, item, at)
        except PolicyError as exc:
            add_error(errors, exc)
    if len(errors) > start:
        return None
    return MetricSettings(**kwargs)


def _setting(key: str, value: object, location: str) -> object:
    choices: dict[str, type[ClockBasis | ReopenRule | TargetChangeRule]] = {
        "basis": ClockBasis,
        "reopen": ReopenRule,
        "on_target_change": TargetChangeRule,
    }
    if key in choices:
        enum = choices[key]
        known = [e.value for e in enum]
        if not isinstance(value, str) or value not in known:
            raise InvalidValueError(
                location,
                f"{value!r} is not a {key.replace('_', ' ')} rule"
                f"{did_you_mean(str(value), known)}; use one of "
                f"{', '.join(known)}",
            )
        return enum(value)
    if key == "pause":
        return _statuses(value, location)  # type: ignore[arg-type]
    return _thresholds(value, location)  # type: ignore[arg-type]


def _check_set(
    policies: Sequence[SLAPolicy], location: str
) -> list[PolicyError]:
    errors: list[PolicyError] = []
    seen: dict[str, int] = {}
    catch_all: int | None = None
    for i, policy in enumerate(policies):
        where = policy.location or f"{location}.policies[{i}]"
        if policy.name in seen:
            errors.append(
                InvalidValueError(
                    f"{where}.name",
                    f"duplicate policy name {policy.name!r} (also "
                    f"policies[{seen[policy.name]}])",
                )
            )
        seen.setdefault(policy.name, i)
        if catch_all is not None:
            errors.append(
                InvalidValueError(
                    where,
                    f"policy {policy.name!r} is unreachable: policy "
                    f"{policies[catch_all].name!r} (policies[{catch_all}]) "
                    "before it has no condition and matches every case",
                )
            )
        elif policy.is_catch_all:
            catch_all = i
    return errors


def _to_policies(values: Iterable[SLAPolicy]) -> tuple[SLAPolicy, ...]:
    return tuple(values)


def _to_calendars(
    values: Mapping[str, BusinessClock],
) -> Mapping[str, BusinessClock]:
    return MappingProxyType(dict(values))


@attrs.frozen
class SLAPolicySet(FromDocument["SLAPolicySet"]):
    """
    Ordered SLA policies: the first whose condition matches applies.

    A case no policy matches has no SLA, which is a valid outcome. The set
    refuses a policy that can never apply because a policy without a
    condition comes before it, and duplicate names. In a policy document
    the set is the ``[sla]`` section::

        schema_version = 1

        [[sla.policies]]
        name = "vip"
        when = {field = "customer.tier", op = "is", value = "vip"}
        calendar = "support"          # a name, "24x7" or an inline table
        zone = "customer"             # the calendar's hours, customer's zone
        targets.urgent = {first_reply = "30m", resolution = "4h"}
        targets.normal = {first_reply = "2h", resolution = "1d"}
        metrics.first_reply = {warnings = [0.75, "15m"]}
        metrics.resolution = {pause = ["pending"], reopen = "resume"}

    >>> try:
    ...     sc.SLAPolicySet.from_dict({"schema_version": 1, "sla": {
    ...         "policies": [
    ...             {"name": "all", "targets": {"low": {"first_reply": "4h"}}},
    ...             {"name": "vip", "targets": {"low": {"first_reply": "1h"}}},
    ...         ]}})
    ... except sc.errors.PolicyError as err:
    ...     print(err.location, "|", err.problem)
    sla.policies[1] | policy 'vip' is unreachable: policy 'all'
    (policies[0]) before it has no condition and matches every case

    Args:
        policies: The policies, in order.
        calendars: Calendars the policies name, defined with the set (the
            engine's own calendars are added to them).

    Raises:
        PolicyError: duplicate names or an unreachable policy.
    """

    policies: tuple[SLAPolicy, ...] = attrs.field(converter=_to_policies)
    calendars: Mapping[str, BusinessClock] = attrs.field(
        factory=dict, converter=_to_calendars, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        """Check names and reachability."""
        raise_all("sla", _check_set(self.policies, "sla"))

    def __iter__(self) -> Iterator[SLAPolicy]:
        """Iterate over the policies, in order."""
        return iter(self.policies)

    def __len__(self) -> int:
        """Return the number of policies."""
        return len(self.policies)

    @classmethod
    def from_section(
        cls,
        data: Mapping[str, Any],
        *,
        location: str = "sla",
        registry: Any = None,  # noqa: ANN401 - a Registry
    ) -> SLAPolicySet:
        """
        Build a policy set from the body of an ``[sla]`` section.

        >>> try:
        ...     sc.SLAPolicySet.from_section({"policies": [
        ...         {"name": "a",
        ...          "metrics": {"resolution": {"pause": ["solved"]}},
        ...          "targets": {"normal": {"first_reply": "4 hrs"}}},
        ...     ]})
        ... except sc.errors.PolicyValidationError as err:
        ...     for problem in err.errors:
        ...         print(problem.location, "|", problem.problem)
        sla.policies[0].targets.normal.first_reply | unknown duration
        '4 hrs'; did you mean '4h'?
        sla.policies[0].metrics.resolution.pause[0] | 'solved' is the stop
        status of every metric; a clock cannot pause there

        Args:
            data: ``{"policies": [...], "calendars": {...}}``.
            location: The section's path, prefixed to every location.
            registry: The plugin registry conditions compile against and
                metrics come from.

        Returns:
            The policy set.

        Raises:
            PolicyError: the first problem alone, or all of them together
                as a :class:`PolicyValidationError`.
        """
        errors: list[PolicyError] = []
        found = _load_section(data, location, registry, errors)
        raise_all(location, errors)
        assert isinstance(found, SLAPolicySet)  # noqa: S101 - no errors
        return found

    @classmethod
    def from_document(cls, document: PolicyDocument) -> SLAPolicySet:
        """
        Return the policy set of a loaded document's ``sla`` section.

        ``from_dict``, ``from_toml``, ``from_json`` and ``load`` check a
        whole document and return this (empty without an ``sla`` section).

        >>> sc.SLAPolicySet.from_dict({"schema_version": 1, "sla": {
        ...     "policies": [{"name": "all",
        ...                   "targets": {"low": {"resolution": "2d"}}}]}})
        SLAPolicySet(policies=(SLAPolicy(name='all', ...),), calendars=...)
        >>> sc.SLAPolicySet.from_toml("schema_version = 1")
        SLAPolicySet(policies=(), calendars=mappingproxy({}))
        >>> try:
        ...     sc.SLAPolicySet.from_toml("schema_version = ")
        ... except sc.errors.PolicySyntaxError as err:
        ...     print(err.problem.split(":")[0])
        not valid TOML
        >>> len(sc.SLAPolicySet.from_json('{"schema_version": 1, "sla": {}}'))
        0

        Args:
            document: A loaded policy document.

        Returns:
            The policy set.
        """
        found = document.sections.get("sla")
        if found is None:
            return cls(())
        assert isinstance(found, SLAPolicySet)  # noqa: S101 - our loader
        return found


def _load_section(
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    errors: list[PolicyError],
) -> SLAPolicySet | None:
    """Load the ``[sla]`` section of a policy document (config's hook)."""
    from servicecore.sla._engine import sla_metrics  # noqa: PLC0415

    start = len(errors)
    data = section_table(
        data,
        location,
        ("policies", "calendars"),
        errors,
        expected="a table with policies",
    )
    if data is None:
        return None
    known = [m.name for m in sla_metrics(registry)]
    local: list[PolicyError] = []
    calendars = section_calendars(
        data.get("calendars", {}), f"{location}.calendars", local
    )
    items = data.get("policies", [])
    if not isinstance(items, Sequence) or isinstance(items, str):
        add_error(
            local,
            PolicySyntaxError(
                f"{location}.policies", "expected a list of policies"
            ),
        )
        items = []
    loaded = [
        _policy_from_dict(
            item, f"{location}.policies[{i}]", local, registry, known
        )
        for i, item in enumerate(items)
    ]
    policies = [policy for policy in loaded if policy is not None]
    if not local:
        local.extend(_check_set(policies, location))
    errors.extend(local)
    if len(errors) > start:
        return None
    return SLAPolicySet(policies, calendars=calendars)


def _build_engine(
    section: object,
    engines: Mapping[str, object | None],  # noqa: ARG001 - needs none
    registry: Any,  # noqa: ANN401 - a Registry
) -> object:
    """Build the SLA engine a document's ``[sla]`` section feeds."""
    from servicecore.sla._engine import SLAEngine  # noqa: PLC0415

    assert isinstance(section, SLAPolicySet)  # noqa: S101 - our loader
    return SLAEngine(section, registry=registry)


register_section("sla", _load_section, build=_build_engine)
