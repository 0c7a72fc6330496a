"""
What an escalation level asks the host to do, and plugin actions.

The engine never performs an action: a decision lists
:class:`PlannedAction` items (the action, its parameters resolved for the
case, and when it is due) for the host to carry out.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Protocol, runtime_checkable

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    did_you_mean,
)
from servicecore.models import Priority
from servicecore.personalization import ContactWindow

__all__ = [
    "ACTION_KIND",
    "AssignAction",
    "CustomerMessageAction",
    "EscalationActionType",
    "NotifyAction",
    "PlannedAction",
    "PluginAction",
    "PriorityAction",
    "RecipientKind",
    "TagAction",
    "parse_action",
]

#: The registry kind under which plugins add escalation actions.
ACTION_KIND: Final = "escalation_action"


class RecipientKind(enum.StrEnum):
    """
    Who a notification goes to: a person, a team or a role.

    >>> [kind.value for kind in sc.escalation.RecipientKind]
    ['person', 'team', 'role']
    """

    PERSON = "person"
    TEAM = "team"
    ROLE = "role"


def _non_empty(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, "expected a non-empty string")


@attrs.frozen(kw_only=True)
class NotifyAction:
    """
    Tell a person, a team or a role about the case.

    With *quiet_hours* (a calendar, or a calendar name the engine
    resolves), the notification is held to the recipient's business hours
    unless the case is urgent: the planned action is then due at the next
    open moment.

    >>> sc.escalation.NotifyAction(to="team-lead", recipient="role").kind
    'notify'

    Args:
        to: The recipient's id or name.
        recipient: A :class:`RecipientKind` (``"person"`` by default).
        quiet_hours: The recipient's business calendar, or ``None``.
        urgent_bypass: Urgent cases notify at once, even in quiet hours.
    """

    kind = "notify"

    to: str = attrs.field(validator=_non_empty)
    recipient: RecipientKind = attrs.field(
        default=RecipientKind.PERSON, converter=RecipientKind
    )
    quiet_hours: Any = None
    urgent_bypass: bool = True


@attrs.frozen(kw_only=True)
class AssignAction:
    """
    Assign the case to an agent and/or a team.

    >>> sc.escalation.AssignAction(team="billing-specialists").team
    'billing-specialists'

    Args:
        agent: The agent's id, or ``None``.
        team: The team's id, or ``None``.

    Raises:
        InvalidValueError: neither given.
    """

    kind = "assign"

    agent: str | None = None
    team: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check that one of agent and team is given."""
        if not self.agent and not self.team:
            raise InvalidValueError("assign", "give an agent, a team or both")


def _priority(value: str | None) -> Priority | None:
    return None if value is None else Priority(value)


@attrs.frozen(kw_only=True)
class PriorityAction:
    """
    Set the case's priority, or raise it by some steps (up to urgent).

    >>> sc.escalation.PriorityAction(raise_by=1).resolve(sc.Priority.HIGH)
    <Priority.URGENT: 'urgent'>
    >>> sc.escalation.PriorityAction(set_to="high").resolve(sc.Priority.LOW)
    <Priority.HIGH: 'high'>

    Args:
        set_to: The priority to set, or ``None``.
        raise_by: Steps to raise by, when *set_to* is ``None``.

    Raises:
        InvalidValueError: both or neither given.
    """

    set_to: Priority | None = attrs.field(default=None, converter=_priority)
    raise_by: int = 0

    def __attrs_post_init__(self) -> None:
        """Check that exactly one of set_to and raise_by is given."""
        if (self.set_to is None) == (self.raise_by == 0):
            raise InvalidValueError(
                "priority", "give set_to or raise_by (a positive step count)"
            )
        if self.raise_by < 0:
            raise InvalidValueError("raise_by", "raise by 1 or more steps")

    @property
    def kind(self) -> str:
        """``"set_priority"`` or ``"raise_priority"``."""
        return "set_priority" if self.set_to is not None else "raise_priority"

    def resolve(self, current: Priority) -> Priority:
        """Return the priority the case gets from *current*."""
        if self.set_to is not None:
            return self.set_to
        order = list(Priority)
        return order[min(len(order) - 1, current.rank + self.raise_by)]


def _tags(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    if isinstance(values, Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError(
            "tags", f"expected a list of tags, got {values!r}"
        )
    tags = set()
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(
                f"tags[{i}]", f"expected a non-empty tag (text), got {value!r}"
            )
        tags.add(value.strip().lower())
    if not tags:
        raise InvalidValueError("tags", "give one or more non-empty tags")
    return frozenset(tags)


@attrs.frozen(kw_only=True)
class TagAction:
    """
    Add tags to the case.

    >>> sorted(sc.escalation.TagAction(add=["At-Risk", "sla"]).add)
    ['at-risk', 'sla']

    Args:
        add: The tags (normalised like case tags): a list of strings, or
            one string.

    Raises:
        InvalidValueError: no tags, or a value that is not a list of
            non-empty strings (a table of tags is refused).
    """

    kind = "add_tags"

    add: frozenset[str] = attrs.field(converter=_tags)


def _data(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _optional_seconds(value: object) -> int | None:
    if value is None:
        return None
    from servicecore.escalation._triggers import (  # noqa: PLC0415
        _positive_seconds,
    )

    return _positive_seconds(value, "expect_reply_within")


def _optional_window(value: object) -> ContactWindow | None:
    if value is None or isinstance(value, ContactWindow):
        return value
    return ContactWindow.parse(value, "contact_window")


@attrs.frozen(kw_only=True)
class CustomerMessageAction:
    """
    Send the customer a proactive message: a template and its data.

    String values of *data* starting with ``$`` are filled in when the
    level fires: ``$deadline`` (the SLA cycle's deadline), ``$due_at``
    (when the trigger fired), ``$metric``, ``$priority``. With
    *contact_window*, the message is held to that window in the customer's
    time zone: the planned action is due at the next moment inside it
    (see :func:`~servicecore.next_contact_time`). With
    *expect_reply_within*, the data also gets ``expected_reply_at``: that
    much business time (of the policy's calendar) after the message is due.

    >>> message = sc.escalation.CustomerMessageAction(
    ...     template="delay-apology", data={"deadline": "$deadline"},
    ...     expect_reply_within="2h", contact_window="08:00-20:00")
    >>> message.kind, message.expect_reply_within_s, str(message.contact_window)
    ('message_customer', 7200, '08:00-20:00')

    Args:
        template: The host's template id.
        data: The values the template needs.
        expect_reply_within: Promise a reply within this duration.
        contact_window: When the customer may be messaged, in their zone:
            a :class:`~servicecore.ContactWindow` or its text
            (``"08:00-20:00"``, ``{hours = ..., days = ...}``).

    Raises:
        PolicyError: the template is empty, the duration or the window
            is wrong.
    """

    kind = "message_customer"

    template: str = attrs.field(validator=_non_empty)
    data: Mapping[str, object] = attrs.field(
        factory=dict, converter=_data, eq=False
    )
    expect_reply_within_s: int | None = attrs.field(
        default=None,
        alias="expect_reply_within",
        converter=_optional_seconds,
    )
    contact_window: ContactWindow | None = attrs.field(
        default=None, converter=_optional_window
    )


@attrs.frozen(kw_only=True)
class PluginAction:
    """
    An action a plugin registered, with its checked parameters.

    >>> sc.escalation.PluginAction(name="open_ticket", params={"project": "SUP"}).kind
    'open_ticket'

    Args:
        name: The registered action's name (``do`` in policies).
        params: The parameters, as the plugin's ``check`` returned them.
    """

    name: str = attrs.field(validator=_non_empty)
    params: Mapping[str, object] = attrs.field(
        factory=dict, converter=_data, eq=False
    )

    @property
    def kind(self) -> str:
        """The action's name."""
        return self.name


Action = (
    NotifyAction
    | AssignAction
    | PriorityAction
    | TagAction
    | CustomerMessageAction
    | PluginAction
)


@runtime_checkable
class EscalationActionType(Protocol):
    """
    **Protocol:** an escalation action a plugin adds (``do = "<name>"``).

    Register one with ``registry.add("escalation_action", action)``. Its
    ``check`` runs when a policy loads: it returns the parameters checked
    and normalised, or raises :class:`~servicecore.PolicyError` naming
    *location*. The engine never runs an action; decisions carry a
    :class:`PluginAction` with the checked parameters.

    >>> class OpenTicket:
    ...     name = "open_ticket"
    ...     description = "open a ticket in the engineering tracker"
    ...     def check(self, params, location):
    ...         return {"project": params.get("project", "SUP")}
    >>> registry = sc.Registry()
    >>> registry.add("escalation_action", OpenTicket())
    >>> registry.names("escalation_action")
    ['open_ticket']
    """

    @property
    def name(self) -> str:
        """The name policies use in ``do``."""
        ...

    @property
    def description(self) -> str:
        """One line for documentation."""
        ...

    def check(
        self, params: Mapping[str, Any], location: str
    ) -> Mapping[str, Any]:
        """Return *params* checked; raise PolicyError naming *location*."""
        ...


def _check_action(item: object) -> str:
    if not isinstance(item, EscalationActionType):
        return "is not an escalation action: it needs name, description and check()"
    if not isinstance(item.name, str) or not item.name.isidentifier():
        return f"action name {item.name!r} is not lower_snake_case"
    if item.name in _BUILTIN:
        return f"{item.name!r} is a built-in action"
    return ""


def install_kind() -> None:
    """Declare the ``escalation_action`` kind to plugin registries."""
    from servicecore.plugins import register_kind  # noqa: PLC0415

    register_kind(ACTION_KIND, _check_action, loads=("check",))


def registered_actions(registry: Any) -> dict[str, Any]:  # noqa: ANN401 - a Registry
    """Return the plugin actions *registry* holds, by name."""
    if registry is None:
        return {}
    try:
        names = registry.names(ACTION_KIND)
    except (KeyError, AttributeError):
        return {}
    return {name: registry.get(ACTION_KIND, name) for name in names}


_BUILTIN = (
    "notify",
    "assign",
    "set_priority",
    "raise_priority",
    "add_tags",
    "message_customer",
)
_KEYS: dict[str, tuple[str, ...]] = {
    "notify": ("to", "recipient", "quiet_hours", "urgent_bypass"),
    "assign": ("agent", "team"),
    "set_priority": ("priority",),
    "raise_priority": ("by",),
    "add_tags": ("tags",),
    "message_customer": (
        "template",
        "data",
        "expect_reply_within",
        "contact_window",
    ),
}


def parse_action(  # noqa: PLR0911 - one branch per built-in action
    data: object,
    location: str,
    registry: Any,  # noqa: ANN401 - a Registry
    errors: list[PolicyError],
) -> Action | None:
    """Read an action table (``{do = "notify", ...}``); collect problems."""
    if isinstance(
        data,
        NotifyAction
        | AssignAction
        | PriorityAction
        | TagAction
        | CustomerMessageAction
        | PluginAction,
    ):
        return data
    if not isinstance(data, Mapping) or "do" not in data:
        errors.append(
            PolicySyntaxError(
                location,
                "expected an action table with do = 'notify', 'assign', ...",
            )
        )
        return None
    do = data["do"]
    plugins = registered_actions(registry)
    known = [*_BUILTIN, *plugins]
    if do not in known:
        errors.append(
            InvalidValueError(
                f"{location}.do",
                f"unknown action {do!r}{did_you_mean(str(do), known)}; "
                f"known: {', '.join(known)}",
            )
        )
        return None
    params = {k: v for k, v in data.items() if k != "do"}
    if do in plugins:
        try:
            checked = plugins[do].check(params, location)
        except PolicyError as exc:
            errors.append(exc)
            return None
        return PluginAction(name=do, params=checked)
    start = len(errors)
    errors.extend(
        PolicySyntaxError(
            f"{location}.{key}",
            f"unknown key {key!r} for {do!r}"
            f"{did_you_mean(str(key), _KEYS[do])}; known: "
            f"{', '.join(_KEYS[do])}",
        )
        for key in params
        if key not in _KEYS[do]
    )
    if len(errors) > start:
        return None
    try:
        return _build(do, params, location)
    except PolicyError as exc:
        where = (
            f"{location}.{exc.location}"
            if exc.location and not exc.location.startswith(location)
            else location
        )
        errors.append(type(exc)(where, exc.problem))
    except ValueError as exc:
        errors.append(InvalidValueError(location, str(exc)))
    return None


def _build(  # noqa: C901, PLR0912 - one branch per built-in action
    do: str, params: dict[str, Any], location: str
) -> Action:
    if do == "notify":
        if "to" not in params:
            raise PolicySyntaxError("to", "missing: who to notify")
        recipients = [r.value for r in RecipientKind]
        recipient = params.get("recipient", "person")
        if recipient not in recipients:
            raise InvalidValueError(
                "recipient",
                f"{recipient!r} is not one of {', '.join(recipients)}"
                f"{did_you_mean(str(recipient), recipients)}",
            )
        quiet = params.get("quiet_hours")
        if quiet is not None and not isinstance(quiet, str):
            raise InvalidValueError("quiet_hours", "expected a calendar name")
        bypass = params.get("urgent_bypass", True)
        if not isinstance(bypass, bool):
            raise InvalidValueError("urgent_bypass", "expected true or false")
        return NotifyAction(
            to=params["to"],
            recipient=recipient,
            quiet_hours=quiet,
            urgent_bypass=bypass,
        )
    if do == "assign":
        return AssignAction(agent=params.get("agent"), team=params.get("team"))
    if do == "set_priority":
        known = [p.value for p in Priority]
        value = params.get("priority")
        if value not in known:
            raise InvalidValueError(
                "priority",
                f"{value!r} is not a priority"
                f"{did_you_mean(str(value), known)}; priorities are "
                f"{', '.join(known)}",
            )
        return PriorityAction(set_to=value)
    if do == "raise_priority":
        by = params.get("by", 1)
        if not isinstance(by, int) or isinstance(by, bool) or by < 1:
            raise InvalidValueError("by", "raise by 1 or more steps")
        return PriorityAction(raise_by=by)
    if do == "add_tags":
        return TagAction(add=params.get("tags", ()))
    data = params.get("data", {})
    if not isinstance(data, Mapping):
        raise InvalidValueError("data", "expected a table of values")
    if "template" not in params:
        raise PolicySyntaxError("template", "missing: the template id")
    del location
    return CustomerMessageAction(
        template=params["template"],
        data=data,
        expect_reply_within=params.get("expect_reply_within"),
        contact_window=params.get("contact_window"),
    )


@attrs.frozen(kw_only=True)
class PlannedAction:
    """
    One action of a decision: what, with which parameters, due when.

    >>> planned = sc.escalation.PlannedAction(
    ...     action=sc.escalation.NotifyAction(to="lead"), params={"to": "lead"},
    ...     due_at_s=0, held=False)
    >>> planned.kind, planned.due_at
    ('notify', DateTime(1970, 1, 1, 0, 0, 0, tzinfo=Timezone('UTC')))

    Args:
        action: The action as the policy defines it.
        params: Its parameters resolved for the case (the priority a
            raise gives, the message data filled in, ...).
        due_at_s: When to carry it out, epoch seconds: the decision's
            moment, or later for a notification held to quiet hours.
        held: Whether quiet hours moved it later.
    """

    action: Action
    params: Mapping[str, object] = attrs.field(converter=_data)
    due_at_s: int
    held: bool = False

    @property
    def kind(self) -> str:
        """The action's kind (``"notify"``, ``"assign"``, ...)."""
        return self.action.kind

    @property
    def due_at(self) -> pendulum.DateTime:
        """When to carry it out, in UTC."""
        return from_epoch(self.due_at_s)
