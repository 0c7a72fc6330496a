"""Customers, agents and teams."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.models import _validate as v
from servicecore.models._enums import Channel
from servicecore.models._mapping import EMPTY

__all__ = ["Agent", "Customer", "Team"]


@attrs.frozen(kw_only=True)
class Customer:
    """
    Someone the host application serves.

    Every field is validated when the customer is built: ``locale`` must be
    a locale babel can parse, stored in babel's spelling (``"zh-CN"``
    becomes ``"zh_CN"``, see below), ``time_zone`` an IANA name; ``tags``
    are stripped and lower-cased; ``attributes`` become a read-only mapping
    of str to str, int, float, bool or date (hashable, so customers can be
    set members and dict keys).

    >>> c = sc.Customer(
    ...     id="c-1", name="Lena Meier", locale="de_CH",
    ...     time_zone="Europe/Zurich", tags=["VIP ", "vip"],
    ...     attributes={"plan": "pro"},
    ... )
    >>> c.tags, c.attributes["plan"], c.created_at
    (frozenset({'vip'}), 'pro', None)
    >>> sc.Customer(id="c-2", locale="zh-CN").locale
    'zh_CN'
    >>> sc.Customer(id="c-3", locale="xx_YY")
    Traceback (most recent call last):
    ...
    servicecore.errors.UnknownLocaleError: locale: unknown locale 'xx_YY'...

    ``locale`` keeps what was written, spelled as babel spells its
    identifiers: parts joined by ``_`` and in babel's letter case
    (``"zh-cn"``, ``"zh_CN"`` and ``"ZH-cn"`` are all stored as
    ``"zh_CN"``; ``"zh-Hans-CN"`` as ``"zh_Hans_CN"``), never with a part
    added or removed: ``"zh_CN"`` stays ``"zh_CN"``, though babel fills in
    its script (``babel.Locale.parse("zh_CN")`` is ``zh_Hans_CN``). The
    stored value reads back unchanged, and ``babel.Locale.parse`` reads it.

    Args:
        id: The host's identifier, non-empty.
        name: Display name.
        email: E-mail address, if known.
        phone: Phone number, if known (not validated beyond being text).
        locale: A locale babel can parse (``"de_CH"``, ``"de-CH"``,
            ``"zh_Hans_CN"``), ``"en"`` by default.
        time_zone: IANA time zone name, ``"UTC"`` by default.
        tier: Service tier, e.g. ``"standard"``, ``"gold"``.
        segment: Customer segment, if any.
        tags: Labels; stored stripped, lower-cased, deduplicated.
        attributes: Custom attributes, str to str/int/float/bool/date.
        preferred_channel: The channel the customer prefers, if known.
        created_at: When the customer became a customer (aware datetime or
            epoch seconds), if known; stored as ``created_at_s``.

    Raises:
        ModelError: A field is missing, of the wrong type or empty.
        UnknownLocaleError: ``locale`` is not a locale babel can parse.
        UnknownTimeZoneError: ``time_zone`` is not an IANA name.
        NaiveDatetimeError: ``created_at`` has no time zone.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    name: str = attrs.field(default="", validator=v.is_str)
    email: str | None = attrs.field(default=None, validator=v.email)
    phone: str | None = attrs.field(default=None, validator=v.optional_str)
    locale: str = attrs.field(default="en", converter=v.to_locale)
    time_zone: str = attrs.field(default="UTC", validator=v.time_zone)
    tier: str = attrs.field(default="standard", validator=v.non_empty_str)
    segment: str | None = attrs.field(default=None, validator=v.optional_str)
    tags: frozenset[str] = attrs.field(default=(), converter=v.to_tags)
    attributes: Mapping[str, v.AttributeValue] = attrs.field(
        default=EMPTY, converter=v.to_attributes
    )
    preferred_channel: Channel | None = attrs.field(
        default=None, converter=v.to_preferred_channel
    )
    created_at_s: int | None = attrs.field(
        default=None, alias="created_at", converter=v.to_optional_created_at
    )

    @property
    def created_at(self) -> pendulum.DateTime | None:
        """When the customer became a customer, in UTC, or None."""
        s = self.created_at_s
        return None if s is None else from_epoch(s)


@attrs.frozen(kw_only=True)
class Agent:
    """
    A person (or bot account) who answers customers.

    >>> agent = sc.Agent(id="a-1", name="Ana", team_ids=["t-billing"],
    ...                  skills=["Billing", "ES "], locale="es_ES")
    >>> sorted(agent.skills)
    ['billing', 'es']

    Args:
        id: The host's identifier, non-empty.
        name: Display name.
        team_ids: Ids of the teams the agent belongs to.
        skills: Skills for routing; normalised like tags.
        locale: A locale babel can parse, stored as for a customer.
        time_zone: IANA time zone name.

    Raises:
        ModelError: A field is missing, of the wrong type or empty.
        UnknownLocaleError: ``locale`` is not a locale babel can parse.
        UnknownTimeZoneError: ``time_zone`` is not an IANA name.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    name: str = attrs.field(default="", validator=v.is_str)
    team_ids: frozenset[str] = attrs.field(default=(), converter=v.to_team_ids)
    skills: frozenset[str] = attrs.field(default=(), converter=v.to_skills)
    locale: str = attrs.field(default="en", converter=v.to_locale)
    time_zone: str = attrs.field(default="UTC", validator=v.time_zone)


@attrs.frozen(kw_only=True)
class Team:
    """
    A group of agents that cases can be assigned to.

    >>> sc.Team(id="t-1", name="Billing", member_ids=["a-1", "a-2"],
    ...         time_zone="Europe/Berlin").member_ids == {"a-1", "a-2"}
    True

    Args:
        id: The host's identifier, non-empty.
        name: Display name.
        member_ids: Ids of the agents in the team.
        skills: Skills for routing; normalised like tags.
        locale: A locale babel can parse, stored as for a customer.
        time_zone: IANA time zone name.

    Raises:
        ModelError: A field is missing, of the wrong type or empty.
        UnknownLocaleError: ``locale`` is not a locale babel can parse.
        UnknownTimeZoneError: ``time_zone`` is not an IANA name.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    name: str = attrs.field(default="", validator=v.is_str)
    member_ids: frozenset[str] = attrs.field(
        default=(), converter=v.to_member_ids
    )
    skills: frozenset[str] = attrs.field(default=(), converter=v.to_skills)
    locale: str = attrs.field(default="en", converter=v.to_locale)
    time_zone: str = attrs.field(default="UTC", validator=v.time_zone)
