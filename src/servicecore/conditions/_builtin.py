"""
The built-in fields: the case, its customer, interaction and moment.

Getters read the lazily computed parts of
:class:`~servicecore.conditions.EvaluationContext`; ``attrgetter`` chains
keep the common ones in C.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from typing import Any, Final

from servicecore.conditions._context import LAZY
from servicecore.conditions._fields import Field, FieldFamily
from servicecore.conditions._types import FieldType
from servicecore.models import (
    AuthorKind,
    CaseStatus,
    Channel,
    Direction,
    Priority,
)

__all__ = ["BUILTIN_FIELDS", "WEEKDAYS"]

#: Weekday names, Monday first, as ``moment.weekday`` yields them.
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PRIORITY: Final = FieldType.enum("priority", Priority, ordered=True)
STATUS: Final = FieldType.enum("status", CaseStatus)
CHANNEL: Final = FieldType.enum("channel", Channel)
DIRECTION: Final = FieldType.enum("direction", Direction)
AUTHOR_KIND: Final = FieldType.enum("author kind", AuthorKind)
WEEKDAY: Final = FieldType.enum("weekday", WEEKDAYS, ordered=True)

_STRING = FieldType.string()
_INT = FieldType.integer()
_DURATION = FieldType.duration()
_MOMENT = FieldType.moment()
_BOOL = FieldType.boolean()
_SET = FieldType.string_set()
_ANY = FieldType.scalar()


def _derived(
    name: str, compute: Callable[[Any], object]
) -> Callable[[Any], object]:
    """
    Return a getter of *compute*, run at most once per context.

    The value becomes a plain attribute of the context on first read (see
    ``_context._LAZY``), so later reads are one C-level ``attrgetter``.
    """
    LAZY[name] = compute
    return attrgetter(name)


def _since(attribute: str) -> Callable[[Any], object]:
    """Return a getter of the seconds from *attribute* to the moment."""
    read = attrgetter(attribute)

    def compute(context: Any) -> object:  # noqa: ANN401
        start = read(context)
        return None if start is None else context.at_s - start

    return _derived("since_" + attribute.replace(".", "_"), compute)


def _custom_field(context: Any, key: str) -> object:  # noqa: ANN401
    fields = context.state.fields
    return None if fields is None else fields.get(key)


def _customer_attribute(context: Any, key: str) -> object:  # noqa: ANN401
    attributes = context.who.attributes
    return None if attributes is None else attributes.get(key)


def _customer(attribute: str) -> Callable[[Any], object]:
    return attrgetter(f"who.{attribute}")


def _language(context: Any) -> object:  # noqa: ANN401
    locale = context.who.locale
    return None if locale is None else locale.split("_")[0]


def _customer_local(
    name: str, part: Callable[[datetime], object]
) -> Callable[[Any], object]:
    def compute(context: Any) -> object:  # noqa: ANN401
        local = context.customer_local
        return None if local is None else part(local)

    return _derived(name, compute)


def _has_agent_reply(context: Any) -> object:  # noqa: ANN401
    if context.case is None:
        return None
    return context.state.first_agent_reply_at_s is not None


def _weekday(context: Any) -> object:  # noqa: ANN401
    return WEEKDAYS[context.local.weekday()]


def _f(
    name: str,
    ftype: FieldType,
    get: Callable[[Any], object],
    description: str,
    example: object = None,
) -> Field:
    return Field(
        name=name,
        type=ftype,
        get=get,
        description=description,
        example=example,
    )


#: The fields every registry starts with, in documentation order.
BUILTIN_FIELDS: Final[tuple[Field | FieldFamily, ...]] = (
    _f("case.id", _STRING, attrgetter("kase.id"), "the case's id", "c-1"),
    _f(
        "case.status",
        STATUS,
        attrgetter("state.status"),
        "the case's status at the moment",
        "open",
    ),
    _f(
        "case.priority",
        PRIORITY,
        attrgetter("state.priority"),
        "the case's priority at the moment; ordered low < normal < high "
        "< urgent",
        "high",
    ),
    _f(
        "case.channel",
        CHANNEL,
        attrgetter("kase.channel"),
        "the channel the case came in through",
        "email",
    ),
    _f(
        "case.subject",
        _STRING,
        attrgetter("kase.subject"),
        "the case's subject",
        "Refund",
    ),
    _f(
        "case.tags",
        _SET,
        attrgetter("state.tags"),
        "the case's tags at the moment",
        "billing",
    ),
    FieldFamily(
        name="case.fields.*",
        type=_ANY,
        get=_custom_field,
        description="a custom field of the case at the moment, by name "
        "(e.g. case.fields.order_id)",
        example="A-17",
    ),
    _f(
        "case.assignee",
        _STRING,
        attrgetter("state.assignee_id"),
        "the id of the agent the case is assigned to",
        "a-7",
    ),
    _f(
        "case.team",
        _STRING,
        attrgetter("state.team_id"),
        "the id of the team the case is assigned to",
        "t-billing",
    ),
    _f(
        "case.reopen_count",
        _INT,
        attrgetter("state.reopen_count"),
        "how often the case was reopened (solved, then open again)",
        2,
    ),
    _f(
        "case.age",
        _DURATION,
        _since("state.created_at_s"),
        "calendar time since the case was created",
        "2d",
    ),
    _f(
        "case.created_at",
        _MOMENT,
        attrgetter("state.created_at_s"),
        "when the case was created",
        "2024-06-01",
    ),
    _f(
        "case.first_agent_reply_at",
        _MOMENT,
        attrgetter("state.first_agent_reply_at_s"),
        "when an agent first replied publicly",
        "2024-06-01T09:00:00Z",
    ),
    _f(
        "case.last_agent_reply_at",
        _MOMENT,
        attrgetter("state.last_agent_reply_at_s"),
        "when an agent last replied publicly",
        "2024-06-01T09:00:00Z",
    ),
    _f(
        "case.last_customer_message_at",
        _MOMENT,
        attrgetter("state.last_customer_message_at_s"),
        "when the customer last wrote publicly",
        "2024-06-01T09:00:00Z",
    ),
    _f(
        "case.solved_at",
        _MOMENT,
        attrgetter("state.solved_at_s"),
        "when the case was last solved, while it is solved or closed",
        "2024-06-01",
    ),
    _f(
        "case.closed_at",
        _MOMENT,
        attrgetter("state.closed_at_s"),
        "when the case was closed",
        "2024-06-01",
    ),
    _f(
        "case.message_count",
        _INT,
        attrgetter("state.message_count"),
        "messages on the case (public and internal)",
        10,
    ),
    _f(
        "case.customer_message_count",
        _INT,
        attrgetter("state.customer_message_count"),
        "public messages from the customer",
        3,
    ),
    _f(
        "case.agent_message_count",
        _INT,
        attrgetter("state.agent_message_count"),
        "public replies from agents",
        1,
    ),
    _f(
        "case.note_count",
        _INT,
        attrgetter("state.note_count"),
        "internal notes",
        0,
    ),
    _f(
        "case.has_agent_reply",
        _BOOL,
        _derived("has_agent_reply", _has_agent_reply),
        "whether an agent has replied publicly yet",
        example=False,
    ),
    _f(
        "case.since_customer_message",
        _DURATION,
        _since("state.last_customer_message_at_s"),
        "calendar time since the customer's last public message",
        "4h",
    ),
    _f(
        "case.since_agent_reply",
        _DURATION,
        _since("state.last_agent_reply_at_s"),
        "calendar time since the last public agent reply",
        "1d",
    ),
    _f("customer.id", _STRING, _customer("id"), "the customer's id", "cu-1"),
    _f(
        "customer.email",
        _STRING,
        _customer("email"),
        "the customer's e-mail address",
        "ana@example.com",
    ),
    _f(
        "customer.tier",
        _STRING,
        _customer("tier"),
        "the customer's tier (free text: standard, premium, vip, ...)",
        "vip",
    ),
    _f(
        "customer.segment",
        _STRING,
        _customer("segment"),
        "the customer's segment",
        "enterprise",
    ),
    _f(
        "customer.tags",
        _SET,
        _customer("tags"),
        "the customer's tags",
        "vip",
    ),
    _f(
        "customer.locale",
        _STRING,
        _customer("locale"),
        "the customer's locale, such as de_CH",
        "de_CH",
    ),
    _f(
        "customer.language",
        _STRING,
        _derived("language", _language),
        "the language part of the customer's locale",
        "de",
    ),
    _f(
        "customer.time_zone",
        _STRING,
        _customer("time_zone"),
        "the customer's IANA time zone",
        "Europe/Zurich",
    ),
    _f(
        "customer.preferred_channel",
        CHANNEL,
        _customer("preferred_channel"),
        "the channel the customer prefers",
        "chat",
    ),
    FieldFamily(
        name="customer.attributes.*",
        type=_ANY,
        get=_customer_attribute,
        description="an attribute of the customer, by name "
        "(e.g. customer.attributes.plan)",
        example="gold",
    ),
    _f(
        "customer.local_hour",
        _INT,
        _customer_local("customer_local_hour", attrgetter("hour")),
        "the hour (0-23) of the moment in the customer's time zone",
        20,
    ),
    _f(
        "customer.local_weekday",
        WEEKDAY,
        _customer_local(
            "customer_local_weekday", lambda local: WEEKDAYS[local.weekday()]
        ),
        "the weekday of the moment in the customer's time zone",
        "sat",
    ),
    _f(
        "interaction.channel",
        CHANNEL,
        attrgetter("interaction.channel"),
        "the channel of the case's latest interaction of any kind "
        "(internal notes included)",
        "chat",
    ),
    _f(
        "interaction.direction",
        DIRECTION,
        attrgetter("interaction.direction"),
        "inbound or outbound, for the latest interaction of any kind",
        "inbound",
    ),
    _f(
        "interaction.author_kind",
        AUTHOR_KIND,
        attrgetter("interaction.author_kind"),
        "who wrote the latest interaction of any kind: customer, agent, "
        "system, bot",
        "customer",
    ),
    _f(
        "interaction.body",
        _STRING,
        attrgetter("customer_message.body"),
        "the text of the customer's latest public message (never an "
        "agent's reply or internal note)",
        "refund",
    ),
    _f(
        "interaction.public",
        _BOOL,
        attrgetter("interaction.public"),
        "whether the latest interaction of any kind is public (not an "
        "internal note)",
        example=True,
    ),
    _f(
        "interaction.age",
        _DURATION,
        _since("interaction.at_s"),
        "calendar time since the latest interaction of any kind",
        "30m",
    ),
    _f(
        "moment.at",
        _MOMENT,
        attrgetter("at_s"),
        "the moment of the evaluation itself",
        "2024-07-01",
    ),
    _f(
        "moment.weekday",
        WEEKDAY,
        _derived("weekday", _weekday),
        "the weekday in the calendar's zone (mon ... sun, ordered)",
        "sat",
    ),
    _f(
        "moment.hour",
        _INT,
        attrgetter("local.hour"),
        "the hour (0-23) in the calendar's zone",
        9,
    ),
    _f(
        "moment.minute",
        _INT,
        attrgetter("local.minute"),
        "the minute (0-59) in the calendar's zone",
        30,
    ),
    _f(
        "moment.business_hours",
        _BOOL,
        attrgetter("business_hours"),
        "whether the calendar is open (always, without a calendar)",
        example=True,
    ),
)
