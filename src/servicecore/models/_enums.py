"""The vocabularies of the models: string enums with lower-case values."""

from __future__ import annotations

import enum

__all__ = [
    "AuthorKind",
    "CaseStatus",
    "Channel",
    "Direction",
    "EventKind",
    "Priority",
    "SurveyKind",
]


class Channel(enum.StrEnum):
    """
    The way a customer and the service reach each other.

    >>> sc.Channel("in_person"), sc.Channel.EMAIL == "email"
    (<Channel.IN_PERSON: 'in_person'>, True)
    """

    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"
    WEB = "web"
    IN_PERSON = "in_person"
    SMS = "sms"
    MESSAGING = "messaging"
    BOT = "bot"


class Direction(enum.StrEnum):
    """
    Whether an interaction comes to the service or goes from it.

    >>> sc.Direction("inbound")
    <Direction.INBOUND: 'inbound'>
    """

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class AuthorKind(enum.StrEnum):
    """
    Who wrote an interaction: the customer, an agent, the system or a bot.

    >>> sc.AuthorKind.AGENT.value
    'agent'
    """

    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    BOT = "bot"


class Priority(enum.StrEnum):
    """
    How urgent a case is; ordered ``low < normal < high < urgent``.

    Comparisons between priorities go by :attr:`rank`, not by the string
    values (which sort alphabetically); comparing with anything but a
    ``Priority`` is a ``TypeError``.

    >>> sc.Priority.LOW < sc.Priority.URGENT, sc.Priority.HIGH.rank
    (True, 2)
    >>> max([sc.Priority.HIGH, sc.Priority.NORMAL, sc.Priority.URGENT])
    <Priority.URGENT: 'urgent'>
    """

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """The position of the priority: 0 for ``low`` to 3 for ``urgent``."""
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        """Return whether *self* ranks below *other*."""
        if isinstance(other, Priority):
            return _RANKS[self] < _RANKS[other]
        raise _not_comparable(self, "<", other)

    def __le__(self, other: object) -> bool:
        """Return whether *self* ranks at or below *other*."""
        if isinstance(other, Priority):
            return _RANKS[self] <= _RANKS[other]
        raise _not_comparable(self, "<=", other)

    def __gt__(self, other: object) -> bool:
        """Return whether *self* ranks above *other*."""
        if isinstance(other, Priority):
            return _RANKS[self] > _RANKS[other]
        raise _not_comparable(self, ">", other)

    def __ge__(self, other: object) -> bool:
        """Return whether *self* ranks at or above *other*."""
        if isinstance(other, Priority):
            return _RANKS[self] >= _RANKS[other]
        raise _not_comparable(self, ">=", other)


def _not_comparable(priority: Priority, op: str, other: object) -> TypeError:
    # Returning NotImplemented would let str compare the values
    # alphabetically ('high' < 'low'), silently wrong.
    return TypeError(
        f"'{op}' not supported between Priority {priority.value!r} and "
        f"{type(other).__name__} {other!r}; compare priorities, e.g. "
        f"Priority({other!r})"
    )


_RANKS: dict[Priority, int] = {p: i for i, p in enumerate(Priority)}


class CaseStatus(enum.StrEnum):
    """
    Where a case is in its lifecycle.

    ``pending`` waits on the customer, ``on_hold`` on a third party;
    ``closed`` is terminal, and ``solved`` followed by ``open`` is a reopen.

    >>> sc.CaseStatus("on_hold")
    <CaseStatus.ON_HOLD: 'on_hold'>
    """

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


class SurveyKind(enum.StrEnum):
    """
    The kind of a satisfaction survey.

    ``csat`` (customer satisfaction, 1-5 by default), ``nps`` (net promoter
    score, 0-10) and ``ces`` (customer effort score, 1-7 by default).

    >>> sc.SurveyKind("nps")
    <SurveyKind.NPS: 'nps'>
    """

    CSAT = "csat"
    NPS = "nps"
    CES = "ces"


class EventKind(enum.StrEnum):
    """
    The kind of a case event; each event class has it as ``kind``.

    >>> sc.MessageAdded.kind
    <EventKind.MESSAGE: 'message'>
    """

    CREATED = "created"
    MESSAGE = "message"
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    ASSIGNED = "assigned"
    TAGS_CHANGED = "tags_changed"
    FIELD_CHANGED = "field_changed"
    SURVEY_RECEIVED = "survey_received"
    ESCALATION_FIRED = "escalation_fired"
