"""
The events of a case's log.

A case is an append-only, time-ordered tuple of events; its status,
priority, assignee, reply times and counts are derived from them
(:meth:`Case.state_at`). Every event has ``case_id``, ``at_s`` (epoch
seconds) with an ``at`` property, and a class attribute ``kind``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.errors import CaseMismatchError, ModelError
from servicecore.models import _validate as v
from servicecore.models._enums import CaseStatus, EventKind, Priority
from servicecore.models._interaction import Interaction
from servicecore.models._mapping import EMPTY
from servicecore.models._survey import SurveyResponse

__all__ = [
    "Assigned",
    "CaseCreated",
    "CaseEvent",
    "EscalationFired",
    "FieldChanged",
    "MessageAdded",
    "PriorityChanged",
    "StatusChanged",
    "SurveyReceived",
    "TagsChanged",
]


class _At:
    """The ``at`` property shared by every event."""

    __slots__ = ()
    at_s: int

    @property
    def at(self) -> pendulum.DateTime:
        """When the event happened, in UTC."""
        return from_epoch(self.at_s)


@attrs.frozen(kw_only=True)
class CaseCreated(_At):
    """
    The first event of every case; the case starts ``new``.

    >>> e = sc.CaseCreated(case_id="case-1", at=pendulum.datetime(2024, 3, 1, tz="UTC"),
    ...                    priority="high", tags=["Billing"], fields={"order": "A-7"})
    >>> e.kind, e.priority
    (<EventKind.CREATED: 'created'>, <Priority.HIGH: 'high'>)
    >>> e.tags, e.fields
    (frozenset({'billing'}), {'order': 'A-7'})

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds (stored as ``at_s``).
        priority: The initial priority, ``normal`` by default.
        tags: The initial tags; normalised like customer tags.
        fields: The initial custom fields (a read-only mapping of str to
            str, int, float, bool or date).

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.CREATED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    priority: Priority = attrs.field(
        default=Priority.NORMAL, converter=v.to_priority
    )
    tags: frozenset[str] = attrs.field(default=(), converter=v.to_tags)
    fields: Mapping[str, v.FieldValue] = attrs.field(
        default=EMPTY, converter=v.to_fields
    )


def _message_case(
    _: MessageAdded, __: attrs.Attribute[Any], value: object
) -> None:
    if not isinstance(value, Interaction):
        raise ModelError(
            "interaction", f"expected an Interaction, got {v.brief(value)}"
        )


@attrs.frozen(kw_only=True)
class MessageAdded:
    """
    A message, call or internal note added to a case.

    Its moment is its interaction's: ``at_s`` is ``interaction.at_s``.

    >>> m = sc.Interaction(id="m-1", channel="chat", direction="outbound",
    ...                    author_kind="agent", author_id="a-1", at=1709283600)
    >>> e = sc.MessageAdded(case_id="case-1", interaction=m)
    >>> e.kind, e.at_s, e.interaction.is_agent_reply
    (<EventKind.MESSAGE: 'message'>, 1709283600, True)

    Args:
        case_id: The case, non-empty.
        interaction: The interaction.

    Raises:
        ModelError: A field is wrong.
    """

    kind: ClassVar[EventKind] = EventKind.MESSAGE

    case_id: str = attrs.field(validator=v.non_empty_str)
    interaction: Interaction = attrs.field(validator=_message_case)

    @property
    def at_s(self) -> int:
        """When the interaction happened, epoch seconds."""
        return self.interaction.at_s

    @property
    def at(self) -> pendulum.DateTime:
        """When the interaction happened, in UTC."""
        return from_epoch(self.interaction.at_s)


@attrs.frozen(kw_only=True)
class StatusChanged(_At):
    """
    The case moved to another status.

    Which changes are allowed depends on the status before, so the case
    checks them (:meth:`Case.append`): closed is terminal, nothing goes
    back to ``new``, a change to the same status is refused; leaving
    ``solved`` for anything but ``closed`` is a reopen.

    >>> sc.StatusChanged(case_id="case-1", at=1709283600, status="pending").status
    <CaseStatus.PENDING: 'pending'>

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        status: The new status.

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.STATUS_CHANGED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    status: CaseStatus = attrs.field(converter=v.to_status)


@attrs.frozen(kw_only=True)
class PriorityChanged(_At):
    """
    The case's priority changed.

    >>> sc.PriorityChanged(case_id="case-1", at=1709283600, priority="urgent").priority
    <Priority.URGENT: 'urgent'>

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        priority: The new priority.

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.PRIORITY_CHANGED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    priority: Priority = attrs.field(converter=v.to_priority)


@attrs.frozen(kw_only=True)
class Assigned(_At):
    """
    The case was assigned (or unassigned).

    The event gives the whole assignment: ``agent_id=None`` means no agent
    (e.g. assigned to a team's queue), and both None unassigns the case.

    >>> sc.Assigned(case_id="case-1", at=1709283600, agent_id="a-1", team_id="t-1").agent_id
    'a-1'

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        agent_id: The agent now responsible, or None.
        team_id: The team now responsible, or None.

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.ASSIGNED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    agent_id: str | None = attrs.field(default=None, validator=v.optional_str)
    team_id: str | None = attrs.field(default=None, validator=v.optional_str)


def _disjoint(
    instance: TagsChanged, _: attrs.Attribute[Any], value: frozenset[str]
) -> None:
    both = instance.added & value
    if both:
        raise ModelError(
            "removed",
            f"tags both added and removed: {', '.join(sorted(both))}",
        )


@attrs.frozen(kw_only=True)
class TagsChanged(_At):
    """
    Tags were added to and/or removed from the case.

    >>> e = sc.TagsChanged(case_id="case-1", at=1709283600, added=["VIP"], removed=["new"])
    >>> e.added, e.removed
    (frozenset({'vip'}), frozenset({'new'}))

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        added: Tags added; normalised like customer tags.
        removed: Tags removed; none may also be in ``added``.

    Raises:
        ModelError: A field is wrong, or a tag is both added and removed.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.TAGS_CHANGED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    added: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_added
    )
    removed: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_removed, validator=_disjoint
    )


def _field_value(
    _: FieldChanged, __: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        v.check_value(value, "value")


@attrs.frozen(kw_only=True)
class FieldChanged(_At):
    """
    A custom field of the case was set, or removed (``value=None``).

    >>> sc.FieldChanged(case_id="case-1", at=1709283600, name="order", value="A-7").value
    'A-7'

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        name: The field, non-empty.
        value: Its new value (str, int, float, bool or date), or None to
            remove it.

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.FIELD_CHANGED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    name: str = attrs.field(validator=v.non_empty_str)
    value: v.FieldValue | None = attrs.field(validator=_field_value)


def _response_at(self: SurveyReceived) -> int:
    return self.response.at_s


def _response(
    instance: SurveyReceived, _: attrs.Attribute[Any], value: object
) -> None:
    if not isinstance(value, SurveyResponse):
        raise ModelError(
            "response", f"expected a SurveyResponse, got {v.brief(value)}"
        )
    if value.case_id is not None and value.case_id != instance.case_id:
        raise CaseMismatchError(
            "response.case_id",
            f"the response is for case {value.case_id!r}, "
            f"not {instance.case_id!r}",
        )


@attrs.frozen(kw_only=True)
class SurveyReceived(_At):
    """
    A survey response arrived for the case.

    ``at`` defaults to the response's ``at``.

    >>> r = sc.SurveyResponse(id="s-1", kind="nps", score=9, at=1709283600)
    >>> e = sc.SurveyReceived(case_id="case-1", response=r)
    >>> e.kind, e.at_s
    (<EventKind.SURVEY_RECEIVED: 'survey_received'>, 1709283600)

    Args:
        case_id: The case, non-empty.
        response: The response; its ``case_id``, if set, must match.
        at: When it arrived: aware datetime or epoch seconds.

    Raises:
        CaseMismatchError: The response names another case.
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.SURVEY_RECEIVED

    case_id: str = attrs.field(validator=v.non_empty_str)
    response: SurveyResponse = attrs.field(validator=_response)
    at_s: int = attrs.field(
        alias="at",
        default=attrs.Factory(_response_at, takes_self=True),
        converter=v.to_at,
    )


def _positive_or_none(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None and (
        type(value) is not int or not 0 <= value < 2**63
    ):
        raise ModelError(
            attribute.name,
            f"expected None or an int >= 0, got {v.brief(value)}",
        )


def _level(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or not 0 <= value < 2**63:
        raise ModelError(
            attribute.name, f"expected an int >= 0, got {v.brief(value)}"
        )


@attrs.frozen(kw_only=True)
class EscalationFired(_At):
    """
    An escalation level fired for the case.

    ``dedupe_key`` identifies the firing, so a level fires once per cycle
    however often the host asks.

    >>> e = sc.EscalationFired(case_id="case-1", at=1709283600, policy="vip",
    ...                        level=1, dedupe_key="vip:1:first_reply:0",
    ...                        metric="first_reply", cycle=0)
    >>> e.kind, e.level
    (<EventKind.ESCALATION_FIRED: 'escalation_fired'>, 1)

    Args:
        case_id: The case, non-empty.
        at: When: aware datetime or epoch seconds.
        policy: The escalation policy's name.
        level: The level that fired (an int >= 0).
        dedupe_key: The key that makes the firing unique.
        metric: The SLA metric that triggered it, if any.
        cycle: The metric cycle, if any (an int >= 0).

    Raises:
        ModelError: A field is wrong.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    kind: ClassVar[EventKind] = EventKind.ESCALATION_FIRED

    case_id: str = attrs.field(validator=v.non_empty_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    policy: str = attrs.field(validator=v.non_empty_str)
    level: int = attrs.field(validator=_level)
    dedupe_key: str = attrs.field(validator=v.non_empty_str)
    metric: str | None = attrs.field(default=None, validator=v.optional_str)
    cycle: int | None = attrs.field(default=None, validator=_positive_or_none)


CaseEvent = (
    CaseCreated
    | MessageAdded
    | StatusChanged
    | PriorityChanged
    | Assigned
    | TagsChanged
    | FieldChanged
    | SurveyReceived
    | EscalationFired
)
"""Any event of a case's log (a union type; ``isinstance`` accepts it)."""

EVENT_TYPES: dict[EventKind, type[CaseEvent]] = {
    cls.kind: cls
    for cls in (
        CaseCreated,
        MessageAdded,
        StatusChanged,
        PriorityChanged,
        Assigned,
        TagsChanged,
        FieldChanged,
        SurveyReceived,
        EscalationFired,
    )
}
