"""Interactions: one message, call or note between customer and service."""

from __future__ import annotations

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.models import _validate as v
from servicecore.models._enums import AuthorKind, Channel, Direction

__all__ = ["Interaction"]

# Module constants: reading Enum.MEMBER is slow enough to matter in loops.
_AGENT = AuthorKind.AGENT
_CUSTOMER = AuthorKind.CUSTOMER
_INBOUND = Direction.INBOUND
_OUTBOUND = Direction.OUTBOUND


@attrs.frozen(kw_only=True)
class Interaction:
    """
    One message, call, chat or internal note on a case.

    A *public* interaction is seen by the customer; ``public=False`` is an
    internal note. An *agent reply* is a public outbound interaction by an
    agent; a *customer message* is a public inbound one by the customer.

    >>> m = sc.Interaction(
    ...     id="m-1", channel="email", direction="inbound",
    ...     author_kind="customer", author_id="c-1",
    ...     at=pendulum.datetime(2024, 3, 1, 10, tz="Europe/Zurich"),
    ...     body="My invoice is wrong.",
    ... )
    >>> m.channel, m.at_s, m.at
    (<Channel.EMAIL: 'email'>, 1709283600, DateTime(2024, 3, 1, 9, 0, 0, tzinfo=Timezone('UTC')))

    Args:
        id: The host's identifier, non-empty.
        channel: The channel (a :class:`Channel` or its value).
        direction: Inbound (to the service) or outbound.
        author_kind: Customer, agent, system or bot.
        author_id: The author's id, if known.
        at: When it happened: an aware datetime or epoch seconds; stored as
            ``at_s``.
        body: The text.
        public: False for an internal note.

    Raises:
        ModelError: A field is missing or of the wrong type.
        NaiveDatetimeError: ``at`` has no time zone.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    channel: Channel = attrs.field(converter=v.to_channel)
    direction: Direction = attrs.field(converter=v.to_direction)
    author_kind: AuthorKind = attrs.field(converter=v.to_author_kind)
    author_id: str | None = attrs.field(default=None, validator=v.optional_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    body: str = attrs.field(default="", validator=v.is_str)
    public: bool = attrs.field(default=True, validator=v.is_bool)

    @property
    def at(self) -> pendulum.DateTime:
        """When it happened, in UTC."""
        return from_epoch(self.at_s)

    @property
    def is_agent_reply(self) -> bool:
        """Whether this is a public outbound interaction by an agent."""
        return (
            self.public
            and self.author_kind is _AGENT
            and self.direction is _OUTBOUND
        )

    @property
    def is_customer_message(self) -> bool:
        """Whether this is a public inbound interaction by the customer."""
        return (
            self.public
            and self.author_kind is _CUSTOMER
            and self.direction is _INBOUND
        )
