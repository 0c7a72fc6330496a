"""
Escalation policies: which cases, which levels, how often each fires.

In a policy document they are the ``[escalation]`` section, validated
completely (every problem with its location, all reported together)::

    schema_version = 1

    [escalation.calendars.support]
    time_zone = "Europe/Berlin"
    hours = {mon-fri = "09:00-17:00"}

    [[escalation.policies]]
    name = "first-reply"
    scope = "cycle"
    calendar = "support"

    [[escalation.policies.levels]]
    name = "team lead"
    trigger = {metric = "first_reply", consumed = 0.75}
    actions = [{do = "notify", to = "team-lead", recipient = "role"}]
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType, SimpleNamespace
from typing import Any

import attrs

from servicecore._problems import add_error, raise_all
from servicecore._when import compile_when
from servicecore.config import (
    FromDocument,
    PolicyDocument,
    register_section,
    section_calendars,
    section_table,
)
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    did_you_mean,
)
from servicecore.escalation._actions import Action, parse_action
from servicecore.escalation._triggers import (
    BreachTrigger,
    Predicate,
    ThresholdTrigger,
    Trigger,
    _same_condition,
    parse_trigger,
)

__all__ = [
    "EscalationLevel",
    "EscalationPolicy",
    "EscalationPolicySet",
    "EscalationScope",
]

_POLICY_KEYS = ("name", "when", "scope", "calendar", "levels")
_LEVEL_KEYS = ("name", "trigger", "actions")


class EscalationScope(enum.StrEnum):
    """
    How often a level may fire: once per SLA cycle, or once per case.

    ``cycle``: once per cycle of the trigger's clock (each ``next_reply``
    cycle, each time the case enters ``pending``, ...). ``case``: once for
    the whole case. Condition triggers fire once per case either way.

    >>> sc.escalation.EscalationScope("case")
    <EscalationScope.CASE: 'case'>
    """

    CYCLE = "cycle"
    CASE = "case"


def _actions(values: Iterable[Action]) -> tuple[Action, ...]:
    return tuple(values)


_LEVEL_NAME = "a level needs a non-empty name, unique within its policy"


def _level_name(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("name", _LEVEL_NAME)


@attrs.frozen(kw_only=True)
class EscalationLevel:
    """
    One level of a policy: a trigger and the actions it asks for.

    >>> level = sc.escalation.EscalationLevel(
    ...     name="team lead",
    ...     trigger=sc.escalation.ThresholdTrigger(metric="first_reply", threshold=0.75),
    ...     actions=[sc.escalation.NotifyAction(to="team-lead", recipient="role")],
    ... )
    >>> level.trigger.describe(), [a.kind for a in level.actions]
    ('first_reply consumed 75%', ['notify'])

    Args:
        name: The level's name, unique within its policy: decisions and
            summaries show it, and dedupe keys are made of it, so that a
            recorded level stays recorded when levels are added, removed
            or reordered. Renaming a level makes it a new level.
        trigger: When the level fires.
        actions: What the host should do then, in order.

    Raises:
        InvalidValueError: an empty name.
    """

    name: str = attrs.field(validator=_level_name)
    trigger: Trigger
    actions: tuple[Action, ...] = attrs.field(converter=_actions)


def _levels(values: Iterable[EscalationLevel]) -> tuple[EscalationLevel, ...]:
    return tuple(values)


def _unique_levels(
    _: object,
    __: attrs.Attribute[tuple[EscalationLevel, ...]],
    value: tuple[EscalationLevel, ...],
) -> None:
    raise_all("levels", _duplicate_levels([lv.name for lv in value], "levels"))


def _duplicate_levels(
    names: Sequence[str | None], location: str
) -> list[PolicyError]:
    """Return an error for each level name used earlier in the policy."""
    errors: list[PolicyError] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name is None:
            continue
        if name in seen:
            errors.append(
                InvalidValueError(
                    f"{location}[{i}].name",
                    f"duplicate level name {name!r} (also "
                    f"levels[{seen[name]}]); dedupe keys name levels, so "
                    "names are unique within a policy",
                )
            )
        seen.setdefault(name, i)
    return errors


def _when(value: object) -> Predicate | None:
    return None if value is None else compile_when(value, "when")


def _name(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError("name", "a policy needs a non-empty name")


@attrs.frozen(kw_only=True)
class EscalationPolicy:
    """
    An escalation policy: the cases it covers and its ordered levels.

    Levels are independent: each fires when its own trigger holds, once per
    scope. A hierarchical chain (team lead at 75 %, manager at breach) and
    a functional one (billing cases to the billing specialists) are both
    levels; their order is the order of decisions.

    >>> policy = sc.escalation.EscalationPolicy(
    ...     name="vip",
    ...     when={"field": "customer.tier", "op": "is", "value": "vip"},
    ...     levels=[sc.escalation.EscalationLevel(
    ...         name="vip desk",
    ...         trigger=sc.escalation.BreachTrigger(metric="first_reply"),
    ...         actions=[sc.escalation.AssignAction(team="vip-desk")])],
    ... )
    >>> policy.scope, len(policy.levels)
    (<EscalationScope.CYCLE: 'cycle'>, 1)

    Args:
        name: Unique within its set; decisions and dedupe keys name it.
        when: Which cases it covers: a condition document, a
            :class:`~servicecore.Condition`, a callable, or ``None`` for
            every case. Evaluated over the case as it is after its latest
            event, at that event's moment.
        levels: The levels, in order; their names are unique.
        scope: Fire each level once per cycle or once per case.
        calendar: Business hours (a calendar or a name the engine
            resolves) for elapsed-time triggers and promised reply times;
            ``None`` is 24x7.
        location: Where the policy was defined, for errors.

    Raises:
        PolicyError: a bad name, condition or scope, or two levels of one
            name.
    """

    name: str = attrs.field(validator=_name)
    when: Predicate | None = attrs.field(
        default=None,
        converter=_when,
        eq=attrs.cmp_using(eq=_same_condition),
        hash=False,
    )
    levels: tuple[EscalationLevel, ...] = attrs.field(
        factory=tuple, converter=_levels, validator=_unique_levels
    )
    scope: EscalationScope = attrs.field(
        default=EscalationScope.CYCLE, converter=EscalationScope
    )
    calendar: Any = None
    location: str = attrs.field(default="", eq=False, repr=False)


def _policy_from_dict(  # noqa: C901 - one check per key
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    metrics: Sequence[str],
    errors: list[PolicyError],
) -> EscalationPolicy | None:
    start = len(errors)
    data = section_table(
        data, location, _POLICY_KEYS, errors, expected="a policy table"
    )
    if data is None:
        return None
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(
            InvalidValueError(
                f"{location}.name", "a policy needs a non-empty name"
            )
        )
    when = None
    if data.get("when") is not None:
        try:
            when = compile_when(data["when"], f"{location}.when", registry)
        except PolicyError as exc:
            add_error(errors, exc)
    scope = data.get("scope", "cycle")
    scopes = [s.value for s in EscalationScope]
    if scope not in scopes:
        errors.append(
            InvalidValueError(
                f"{location}.scope",
                f"{scope!r} is not a scope{did_you_mean(str(scope), scopes)};"
                " use 'cycle' or 'case'",
            )
        )
    calendar = data.get("calendar")
    if calendar is not None and not isinstance(calendar, str):
        errors.append(
            InvalidValueError(
                f"{location}.calendar",
                "expected a calendar name from escalation.calendars",
            )
        )
    items = data.get("levels")
    levels: list[EscalationLevel] = []
    if not isinstance(items, list | tuple) or not items:
        errors.append(
            PolicySyntaxError(
                f"{location}.levels", "expected a non-empty list of levels"
            )
        )
        items = []
    for i, item in enumerate(items):
        level = _level_from_dict(
            item, f"{location}.levels[{i}]", registry, metrics, errors
        )
        if level is not None:
            levels.append(level)
    errors.extend(
        _duplicate_levels(
            [
                name if isinstance(name, str) else None
                for name in (
                    item.get("name") if isinstance(item, Mapping) else None
                    for item in items
                )
            ],
            f"{location}.levels",
        )
    )
    if len(errors) > start:
        return None
    return EscalationPolicy(
        name=name,  # type: ignore[arg-type]
        when=when,
        levels=levels,
        scope=scope,
        calendar=calendar,
        location=location,
    )


def _level_from_dict(
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    metrics: Sequence[str],
    errors: list[PolicyError],
) -> EscalationLevel | None:
    start = len(errors)
    data = section_table(
        data, location, _LEVEL_KEYS, errors, expected="a level table"
    )
    if data is None:
        return None
    name = data.get("name")
    if name is None:
        errors.append(
            PolicySyntaxError(f"{location}.name", f"missing: {_LEVEL_NAME}")
        )
    elif not isinstance(name, str) or not name.strip():
        errors.append(InvalidValueError(f"{location}.name", _LEVEL_NAME))
    if "trigger" not in data:
        errors.append(
            PolicySyntaxError(f"{location}.trigger", "missing: when it fires")
        )
        trigger = None
    else:
        trigger = parse_trigger(
            data["trigger"], f"{location}.trigger", registry, metrics, errors
        )
    items = data.get("actions")
    actions = []
    if not isinstance(items, list | tuple) or not items:
        errors.append(
            PolicySyntaxError(
                f"{location}.actions", "expected a non-empty list of actions"
            )
        )
        items = []
    for i, item in enumerate(items):
        action = parse_action(
            item, f"{location}.actions[{i}]", registry, errors
        )
        if action is not None:
            actions.append(action)
    if len(errors) > start or trigger is None or not isinstance(name, str):
        return None
    return EscalationLevel(name=name, trigger=trigger, actions=actions)


def _check_set(
    policies: Sequence[EscalationPolicy], location: str
) -> list[PolicyError]:
    errors: list[PolicyError] = []
    seen: dict[str, int] = {}
    for i, policy in enumerate(policies):
        if policy.name in seen:
            where = policy.location or f"{location}.policies[{i}]"
            errors.append(
                InvalidValueError(
                    f"{where}.name",
                    f"duplicate policy name {policy.name!r} (also "
                    f"policies[{seen[policy.name]}])",
                )
            )
        seen.setdefault(policy.name, i)
    return errors


def _to_policies(
    values: Iterable[EscalationPolicy],
) -> tuple[EscalationPolicy, ...]:
    return tuple(values)


def _to_calendars(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@attrs.frozen
class EscalationPolicySet(FromDocument["EscalationPolicySet"]):
    """
    The escalation policies of a document, with the calendars they name.

    Every policy whose condition matches applies (unlike SLA policies,
    where the first match wins).

    >>> policies = sc.EscalationPolicySet.from_dict({
    ...     "schema_version": 1,
    ...     "escalation": {"policies": [{
    ...         "name": "stale",
    ...         "levels": [{
    ...             "name": "owner",
    ...             "trigger": {"since": "status", "status": "pending",
    ...                         "after": "3d"},
    ...             "actions": [{"do": "notify", "to": "owner"}],
    ...         }],
    ...     }]},
    ... })
    >>> [p.name for p in policies]
    ['stale']

    Args:
        policies: The policies, in order.
        calendars: Calendars the policies name, by name.

    Raises:
        PolicyError: duplicate policy names.
    """

    policies: tuple[EscalationPolicy, ...] = attrs.field(
        converter=_to_policies
    )
    calendars: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_to_calendars, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        """Check that names are unique."""
        raise_all("escalation", _check_set(self.policies, "escalation"))

    def __iter__(self) -> Iterator[EscalationPolicy]:
        """Iterate over the policies, in order."""
        return iter(self.policies)

    def __len__(self) -> int:
        """Return the number of policies."""
        return len(self.policies)

    @classmethod
    def from_document(cls, document: PolicyDocument) -> EscalationPolicySet:
        """
        Return the set of a loaded document's ``escalation`` section.

        ``from_dict``, ``from_toml``, ``from_json`` and ``load`` check a
        whole document and return this (empty without an ``escalation``
        section).

        >>> try:
        ...     sc.EscalationPolicySet.from_dict({
        ...         "schema_version": 1,
        ...         "escalation": {"policies": [{
        ...             "name": "x", "scope": "cycles",
        ...             "levels": [{"name": "lead",
        ...                         "trigger": {"metric": "first_reply",
        ...                                     "consumed": 1.5},
        ...                         "actions": [{"do": "notfy"}]}]}]},
        ...     })
        ... except sc.errors.PolicyValidationError as err:
        ...     for problem in err.errors:
        ...         print(problem.location, "|", problem.problem)
        escalation.policies[0].scope | 'cycles' is not a scope; did you
        mean 'cycle'?; use 'cycle' or 'case'
        escalation.policies[0].levels[0].trigger.consumed | a warning
        fraction must be between 0 and 1 (0.75 is 75 %), got 1.5
        escalation.policies[0].levels[0].actions[0].do | unknown action
        'notfy'; did you mean 'notify'?; known: notify, assign,
        set_priority, raise_priority, add_tags, message_customer
        >>> len(sc.EscalationPolicySet.from_toml("schema_version = 1"))
        0
        >>> len(sc.EscalationPolicySet.from_json('{"schema_version": 1}'))
        0

        Args:
            document: A loaded policy document.

        Returns:
            The set.
        """
        found = document.sections.get("escalation")
        if found is None:
            return cls(())
        assert isinstance(found, EscalationPolicySet)  # noqa: S101 - our loader
        return found


def load_section(
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    errors: list[PolicyError],
) -> EscalationPolicySet | None:
    """Load the ``[escalation]`` section of a policy document."""
    from servicecore.sla import sla_metrics  # noqa: PLC0415

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
    calendars = section_calendars(
        data.get("calendars", {}), f"{location}.calendars", errors
    )
    items = data.get("policies", [])
    if not isinstance(items, list | tuple):
        errors.append(
            PolicySyntaxError(
                f"{location}.policies", "expected a list of policies"
            )
        )
        items = []
    metrics = [m.name for m in sla_metrics(registry)]
    loaded = [
        _policy_from_dict(
            item, f"{location}.policies[{i}]", registry, metrics, errors
        )
        for i, item in enumerate(items)
    ]
    policies = [p for p in loaded if p is not None]
    if len(errors) == start:
        errors.extend(_check_set(policies, location))
    if len(errors) > start:
        return None
    return EscalationPolicySet(policies, calendars=calendars)


def _calendar_names(policy: EscalationPolicy) -> list[tuple[str, str]]:
    """Return (relative location, name) of every calendar *policy* names."""
    found = []
    if isinstance(policy.calendar, str):
        found.append(("calendar", policy.calendar))
    for i, level in enumerate(policy.levels):
        calendar = getattr(level.trigger, "calendar", None)
        if isinstance(calendar, str):
            found.append((f"levels[{i}].trigger.calendar", calendar))
        for j, action in enumerate(level.actions):
            quiet = getattr(action, "quiet_hours", None)
            if isinstance(quiet, str):
                found.append((f"levels[{i}].actions[{j}].quiet_hours", quiet))
    return found


def _build_engine(
    section: object,
    engines: Mapping[str, object | None],
    registry: Any,  # noqa: ANN401 - a Registry
) -> object | None:
    """
    Build the escalation engine a document's ``[escalation]`` feeds.

    With the document's SLA engine when it has an ``[sla]`` section (none
    when that section has problems). Without one, the document's SLA
    triggers read an SLA engine the host brings: the engine is then built
    against every known metric, to check the rest, and not kept.
    """
    from servicecore.escalation._engine import EscalationEngine  # noqa: PLC0415
    from servicecore.sla import sla_metrics  # noqa: PLC0415

    assert isinstance(section, EscalationPolicySet)  # noqa: S101 - our loader
    if "sla" in engines:
        sla = engines["sla"]
        return None if sla is None else EscalationEngine(section, sla=sla)
    needs_sla = any(
        isinstance(level.trigger, ThresholdTrigger | BreachTrigger)
        for policy in section
        for level in policy.levels
    )
    if not needs_sla:
        return EscalationEngine(section)
    EscalationEngine(
        section, sla=SimpleNamespace(tracked=sla_metrics(registry))
    )
    return None


register_section("escalation", load_section, build=_build_engine)
