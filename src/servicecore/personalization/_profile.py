"""
Profiles: what personalization decided about a customer, and why.

A :class:`Profile` holds the attributes; which rule set each one, and which
rules it overrode or that ``final`` blocked, is worked out from the matched
rules only when asked (:meth:`Profile.source`), so personalizing stays
cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from servicecore._time import format_duration, to_epoch
from servicecore.conditions._context import EvaluationContext
from servicecore.conditions._fields import Field
from servicecore.conditions._types import FieldType
from servicecore.models import Channel, Priority
from servicecore.personalization._contact import ContactWindow

if TYPE_CHECKING:
    from servicecore.plugins import Registry

__all__ = [
    "AttributeSource",
    "CustomerHistory",
    "PersonalizationContext",
    "Profile",
    "history_fields",
]

_EMPTY: Final[Mapping[str, Any]] = MappingProxyType({})
_PRIORITIES: Final = tuple(Priority)


def _optional_moment(value: datetime | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return to_epoch(value, "last_surveyed_at")


@attrs.frozen(kw_only=True)
class CustomerHistory:
    """
    What the host knows of a customer's history, for rule conditions.

    Rules read it through the ``history.*`` fields: ``history.open_cases``,
    ``history.recent_csat``, ``history.sla_breaches``,
    ``history.since_last_survey``. The host computes it (servicecore keeps
    no store); a field is missing (``None``) when the host did not say.

    >>> history = sc.personalization.CustomerHistory(open_cases=2, recent_csat=3.5,
    ...     last_surveyed_at=pendulum.datetime(2024, 3, 1, tz="UTC"))
    >>> history.last_surveyed_at_s
    1709251200

    Args:
        open_cases: The customer's cases not yet solved.
        recent_csat: The customer's recent CSAT (the host's scale).
        sla_breaches: SLA breaches the customer experienced recently.
        last_surveyed_at: When the customer was last sent a survey
            (aware datetime or epoch seconds).
    """

    open_cases: int | None = None
    recent_csat: float | None = None
    sla_breaches: int | None = None
    last_surveyed_at_s: int | None = attrs.field(
        default=None, alias="last_surveyed_at", converter=_optional_moment
    )


class PersonalizationContext(EvaluationContext):
    """The evaluation context of personalization rules: adds ``history``."""

    history: CustomerHistory | None = None


def _history(attribute: str) -> Any:  # noqa: ANN401 - a getter
    def get(context: Any) -> object:  # noqa: ANN401
        history = getattr(context, "history", None)
        return None if history is None else getattr(history, attribute)

    return get


def _since_last_survey(context: Any) -> object:  # noqa: ANN401
    history = getattr(context, "history", None)
    last = None if history is None else history.last_surveyed_at_s
    return None if last is None else context.at_s - last


def history_fields() -> tuple[Field, ...]:
    """Return the ``history.*`` condition fields personalization adds."""
    return (
        Field(
            name="history.open_cases",
            type=FieldType.integer(),
            get=_history("open_cases"),
            description="the customer's unsolved cases (personalization)",
            example=2,
        ),
        Field(
            name="history.recent_csat",
            type=FieldType.number(),
            get=_history("recent_csat"),
            description="the customer's recent CSAT (personalization)",
            example=3.5,
        ),
        Field(
            name="history.sla_breaches",
            type=FieldType.integer(),
            get=_history("sla_breaches"),
            description="SLA breaches the customer experienced recently "
            "(personalization)",
            example=1,
        ),
        Field(
            name="history.since_last_survey",
            type=FieldType.duration(),
            get=_since_last_survey,
            description="calendar time since the customer was last "
            "surveyed (personalization)",
            example="14d",
        ),
    )


def with_history_fields(registry: Registry) -> Registry:
    """Return *registry*, or a copy of it with the ``history.*`` fields."""
    names = set(registry.field_names())
    missing = [f for f in history_fields() if f.name not in names]
    if not missing:
        return registry
    copy = registry.copy()
    for field in missing:
        copy.add_field(field)
    return copy


@attrs.frozen(kw_only=True)
class AttributeSource:
    """
    Where a profile attribute's value came from.

    >>> rules = sc.Personalizer.from_dict({"schema_version": 1,
    ...     "personalization": {"rules": [
    ...         {"name": "all", "set": {"tone": "informal"}},
    ...         {"name": "vip", "final": True, "set": {"tone": "formal"},
    ...          "when": {"field": "customer.tier", "op": "is", "value": "vip"}},
    ...         {"name": "chat", "set": {"tone": "informal"}},
    ...     ]}})
    >>> profile = rules.personalize(sc.Customer(id="c-1", tier="vip"),
    ...     at=pendulum.datetime(2024, 3, 5, tz="UTC"))
    >>> print(profile.source("tone"))
    tone = 'formal' by rule 'vip' (final; overrode 'all'; blocked 'chat')

    Attributes:
        attribute: The attribute's name.
        value: Its value in the profile.
        rule: The name of the rule that set it; ``None`` when no rule did.
        origin: ``"rule"``, ``"customer"`` (copied from the customer) or
            ``"default"``.
        overridden: Earlier matching rules whose value it replaced, in
            order.
        blocked: Later matching rules that tried to change it after a
            ``final`` rule set it, in order.
        final: Whether the rule that set it is ``final``.
    """

    attribute: str
    value: object
    rule: str | None
    origin: str
    overridden: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    final: bool = False

    def __str__(self) -> str:
        """Return one line: the value, and the rules behind it."""
        value = _show(self.value)
        if self.attribute == "survey_suppression" and isinstance(
            self.value, int
        ):
            value = repr(format_duration(self.value))
        if self.rule is None:
            return f"{self.attribute} = {value} ({self.origin})"
        notes = ["final"] if self.final else []
        if self.overridden:
            notes.append(
                "overrode " + ", ".join(repr(r) for r in self.overridden)
            )
        if self.blocked:
            notes.append("blocked " + ", ".join(repr(r) for r in self.blocked))
        tail = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.attribute} = {value} by rule {self.rule!r}{tail}"


def _show(value: object) -> str:
    if isinstance(value, Channel):
        return repr(value.value)
    if isinstance(value, ContactWindow):
        return repr(str(value))
    return repr(value)


class _Trace:
    """The matched rules behind a profile, to explain it on demand."""

    __slots__ = ("effects", "finals", "matched", "names", "origins")

    # The order of the arguments after *matched* is Personalizer._trace_base.

    def __init__(
        self,
        matched: tuple[int, ...],
        names: Sequence[str],
        effects: Sequence[tuple[tuple[str, object], ...]],
        finals: Sequence[bool],
        origins: Mapping[str, str],
    ) -> None:
        self.matched = matched
        self.names = names
        self.effects = effects
        self.finals = finals
        self.origins = origins


@attrs.frozen(kw_only=True)
class Profile:
    """
    How to treat a customer: the attributes personalization rules set.

    Build profiles with :meth:`Personalizer.personalize`. Attributes no rule
    set come from the customer (``locale``, ``time_zone``,
    ``preferred_channel``) or are defaults. :meth:`source` says, for each
    attribute, which rule set it and which rules it overrode.

    >>> rules = sc.Personalizer.from_dict({"schema_version": 1,
    ...     "personalization": {"rules": [
    ...         {"name": "gold", "set": {"queue": "priority", "priority_boost": 1},
    ...          "when": {"field": "customer.tier", "op": "is", "value": "gold"}},
    ...     ]}})
    >>> profile = rules.personalize(sc.Customer(id="c-1", tier="gold"),
    ...     at=pendulum.datetime(2024, 3, 5, tz="UTC"))
    >>> profile.queue, profile.boosted("normal")
    ('priority', <Priority.HIGH: 'high'>)

    Attributes:
        name: The customer's name ("" when unknown).
        locale: The locale messages render in.
        time_zone: The IANA zone times are shown and windows read in.
        preferred_channel: The channel to use for outbound contact.
        tone: ``"formal"`` or ``"informal"``.
        greeting: The greeting template; by default ``greeting.<tone>``.
        templates: Template choices by purpose (``acknowledgement`` ->
            ``acknowledgement.vip``); :meth:`template` reads them.
        queue: The routing queue, if a rule chose one.
        skill: The routing skill, if a rule chose one.
        priority_boost: Levels to raise (or lower) the case's priority,
            within -3..3; :meth:`boosted` applies it.
        contact_window: When outbound contact is allowed, in ``time_zone``;
            ``None`` for any time.
        survey_suppression_s: Seconds after a survey during which the
            customer is not surveyed again; ``None`` for no limit.
        custom: Custom attributes registered as ``profile_attribute``.
        matched_rules: The names of the rules whose conditions held, in
            rule order.
    """

    name: str = ""
    locale: str = "en"
    time_zone: str = "UTC"
    preferred_channel: Channel | None = None
    tone: str = "formal"
    greeting: str | None = None
    templates: Mapping[str, str] = _EMPTY
    queue: str | None = None
    skill: str | None = None
    priority_boost: int = 0
    contact_window: ContactWindow | None = None
    survey_suppression_s: int | None = None
    custom: Mapping[str, object] = _EMPTY
    _trace: _Trace | None = attrs.field(
        default=None, alias="trace", repr=False, eq=False
    )

    @property
    def matched_rules(self) -> tuple[str, ...]:
        """The names of the rules whose conditions held, in rule order."""
        trace = self._trace
        if trace is None:
            return ()
        return tuple(trace.names[i] for i in trace.matched)

    @property
    def greeting_template(self) -> str:
        """The greeting template to use: ``greeting``, or by ``tone``."""
        return self.greeting or f"greeting.{self.tone}"

    def template(self, purpose: str) -> str:
        """
        Return the template chosen for *purpose* (itself by default).

        >>> sc.personalization.Profile(templates={"acknowledgement": "ack.vip"}).template(
        ...     "acknowledgement"), sc.personalization.Profile().template("resolution")
        ('ack.vip', 'resolution')
        """
        return self.templates.get(purpose, purpose)

    def boosted(self, priority: Priority | str) -> Priority:
        """
        Return *priority* raised by ``priority_boost``, within low..urgent.

        >>> sc.personalization.Profile(priority_boost=3).boosted("high")
        <Priority.URGENT: 'urgent'>
        """
        rank = Priority(priority).rank + self.priority_boost
        return _PRIORITIES[max(0, min(rank, len(_PRIORITIES) - 1))]

    def may_survey(
        self, *, last_surveyed_at: datetime | None, at: datetime
    ) -> bool:
        """
        Return whether a survey may be sent at *at*.

        False while ``survey_suppression_s`` has not passed since the last
        survey; always True without suppression or without a last survey.

        >>> profile = sc.personalization.Profile(survey_suppression_s=14 * 86400)
        >>> profile.may_survey(
        ...     last_surveyed_at=pendulum.datetime(2024, 3, 1, tz="UTC"),
        ...     at=pendulum.datetime(2024, 3, 14, tz="UTC"))
        False

        Raises:
            NaiveDatetimeError: A moment has no time zone.
        """
        at_s = to_epoch(at, "at")
        if self.survey_suppression_s is None or last_surveyed_at is None:
            return True
        last_s = to_epoch(last_surveyed_at, "last_surveyed_at")
        return at_s - last_s >= self.survey_suppression_s

    def next_contact_time(
        self,
        at: datetime,
        *,
        holidays: Any = None,  # noqa: ANN401
    ) -> pendulum.DateTime:
        """
        Return the first moment at or after *at* inside ``contact_window``.

        See :func:`servicecore.next_contact_time`.

        >>> sc.personalization.Profile(time_zone="Asia/Tokyo",
        ...     contact_window=sc.personalization.ContactWindow.parse("09:00-18:00"),
        ... ).next_contact_time(pendulum.datetime(2024, 3, 5, 10, tz="UTC"))
        DateTime(2024, 3, 6, 9, 0, 0, tzinfo=Timezone('Asia/Tokyo'))
        """
        from servicecore.personalization._contact import (  # noqa: PLC0415
            next_contact_time,
        )

        return next_contact_time(self, at, holidays=holidays)

    def get(self, attribute: str) -> object:
        """
        Return an attribute by name: built-in, ``template.<purpose>`` or custom.

        >>> sc.personalization.Profile(custom={"band": "gold"}).get("band")
        'gold'

        Raises:
            KeyError: No such attribute.
        """
        if attribute.startswith("template."):
            return self.template(attribute.removeprefix("template."))
        if attribute == "survey_suppression":
            return self.survey_suppression_s
        if attribute in _BUILTIN_NAMES:
            return getattr(self, attribute)
        return self.custom[attribute]

    def source(self, attribute: str) -> AttributeSource:
        """
        Return which rule set *attribute*, and which rules it overrode.

        Raises:
            KeyError: No such attribute.
        """
        value = self.get(attribute)
        trace = self._trace
        setters: list[int] = []
        final_at: int | None = None
        blocked: list[str] = []
        if trace is not None:
            for i in trace.matched:
                if not any(name == attribute for name, _ in trace.effects[i]):
                    continue
                if final_at is not None:
                    blocked.append(trace.names[i])
                    continue
                setters.append(i)
                if trace.finals[i]:
                    final_at = i
        if not setters:
            origin = "default"
            if trace is not None:
                origin = trace.origins.get(attribute, "default")
            return AttributeSource(
                attribute=attribute, value=value, rule=None, origin=origin
            )
        assert trace is not None  # noqa: S101 - setters came from it
        last = setters[-1]
        return AttributeSource(
            attribute=attribute,
            value=value,
            rule=trace.names[last],
            origin="rule",
            overridden=tuple(trace.names[i] for i in setters[:-1]),
            blocked=tuple(blocked),
            final=trace.finals[last],
        )

    def attribute_names(self) -> list[str]:
        """Return the names of the attributes, built-in then custom."""
        names = [n for n in _BUILTIN_NAMES if n != "templates"]
        names[names.index("survey_suppression_s")] = "survey_suppression"
        names.extend(f"template.{p}" for p in sorted(self.templates))
        names.extend(sorted(self.custom))
        return names

    def explain(self) -> str:
        """
        Return every attribute with its source, one per line.

        >>> print(sc.personalization.Profile(locale="fr", tone="informal").explain())
        name = '' (default)
        locale = 'fr' (default)
        time_zone = 'UTC' (default)
        preferred_channel = None (default)
        tone = 'informal' (default)
        greeting = None (default)
        queue = None (default)
        skill = None (default)
        priority_boost = 0 (default)
        contact_window = None (default)
        survey_suppression = None (default)
        """
        return "\n".join(
            str(self.source(name)) for name in self.attribute_names()
        )

    def to_dict(self) -> dict[str, object]:
        """
        Return the profile as JSON-safe data (with the rules per attribute).

        >>> sc.personalization.Profile(priority_boost=1).to_dict()["priority_boost"]
        {'value': 1, 'rule': None, 'origin': 'default', 'overridden': [], 'blocked': []}
        """
        out: dict[str, object] = {}
        for name in self.attribute_names():
            src = self.source(name)
            value = src.value
            if isinstance(value, Channel | ContactWindow):
                value = str(value)
            out[name] = {
                "value": value,
                "rule": src.rule,
                "origin": src.origin,
                "overridden": list(src.overridden),
                "blocked": list(src.blocked),
            }
        return out


_BUILTIN_NAMES: Final = tuple(
    a.name for a in attrs.fields(Profile) if a.name not in {"custom", "_trace"}
)
