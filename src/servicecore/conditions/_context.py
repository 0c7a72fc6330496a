"""
The evaluation context: a case, its customer and a moment, read lazily.

Fields are getters over the context. Everything a getter needs is computed
at most once per context and only when first read: the case's state at the
moment (``case.state_at`` is the expensive part), the latest interaction,
the customer's latest public message, the moment in the calendar's zone and
in the customer's. Plugin fields
share work through :meth:`EvaluationContext.memo`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from servicecore._time import from_epoch, get_timezone, to_epoch
from servicecore.calendar import BusinessCalendar
from servicecore.models import (
    Case,
    CaseState,
    Customer,
    Interaction,
    MessageAdded,
)

__all__ = ["EvaluationContext"]

_T = TypeVar("_T")


class _Nothing:
    """Stands in for a missing case state or interaction: every part is None."""

    __slots__ = ()

    def __getattr__(self, name: str) -> None:
        return None

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "<nothing>"


NOTHING: Any = _Nothing()


def _zone(owner: object) -> Any:  # noqa: ANN401 - tzinfo of pendulum or stdlib
    """Return the time zone of a calendar or customer (UTC by default)."""
    zone = getattr(owner, "time_zone", None) or getattr(owner, "tz", None)
    if zone is None:
        return get_timezone("UTC")
    if isinstance(zone, str):
        return get_timezone(zone)
    return zone


def _compute_at(context: EvaluationContext) -> object:
    return from_epoch(context.at_s)


def _compute_state(context: EvaluationContext) -> object:
    if context.case is None:
        return NOTHING
    return context.case.state_at_s(context.at_s)


def _compute_interaction(context: EvaluationContext) -> object:
    found = context.state.last_interaction
    return NOTHING if found is None else found


def _compute_customer_message(context: EvaluationContext) -> object:
    # What the customer said last: an internal note or an agent's reply
    # after it must not stand for the customer's words (or mood).
    if (
        context.case is None
        or context.state.last_customer_message_at_s is None
    ):
        return NOTHING
    at_s = context.at_s
    for event in reversed(context.case.events):
        if type(event) is MessageAdded:
            message = event.interaction
            if message.at_s <= at_s and message.is_customer_message:
                return message
    return NOTHING  # pragma: no cover - the state says there is one


def _compute_local(context: EvaluationContext) -> object:
    return datetime.fromtimestamp(context.at_s, _zone(context.calendar))


def _compute_customer_local(context: EvaluationContext) -> object:
    if context.customer is None:
        return None
    return datetime.fromtimestamp(context.at_s, _zone(context.customer))


def _compute_business_hours(context: EvaluationContext) -> object:
    if context.calendar is None:
        return True
    return bool(context.calendar.is_open_s(context.at_s))


def _compute_who(context: EvaluationContext) -> object:
    return NOTHING if context.customer is None else context.customer


def _compute_kase(context: EvaluationContext) -> object:
    return NOTHING if context.case is None else context.case


#: Derived attributes of a context: name -> how to compute it once. The
#: built-in fields add theirs (``_builtin._derived``).
LAZY: dict[str, Callable[[EvaluationContext], object]] = {
    "at": _compute_at,
    "state": _compute_state,
    "interaction": _compute_interaction,
    "customer_message": _compute_customer_message,
    "local": _compute_local,
    "customer_local": _compute_customer_local,
    "business_hours": _compute_business_hours,
    "who": _compute_who,
    "kase": _compute_kase,
}


class EvaluationContext:
    """
    What a condition is evaluated over: a case and its customer at a moment.

    Everything is derived lazily and at most once per context: build one
    context per case and moment, and evaluate every condition on it. The
    derived parts are plain attributes once computed (no descriptor in the
    way), which keeps field getters on CPython's fast attribute path.

    >>> context = sc.EvaluationContext(
    ...     at=pendulum.datetime(2024, 3, 9, 23, 30, tz="Europe/Berlin"))
    >>> context.at_s, context.local.hour, context.local.weekday()
    (1710023400, 22, 5)

    Args:
        case: The case (``None`` for customer-only or moment-only
            conditions; case fields are then missing).
        at: The moment, an aware datetime.
        calendar: The business calendar whose zone and hours the
            ``moment.*`` fields use (UTC and always open when ``None``).
        customer: The customer, when there is no case (defaults to the
            case's customer).

    Attributes:
        at_s: The moment, epoch seconds.
        at: The moment as a pendulum ``DateTime`` in UTC.
        state: The case's state at the moment (``case.state_at``), derived
            on first read; without a case, a stand-in whose every
            attribute is ``None``.
        interaction: The case's latest interaction at the moment, of any
            kind: public or internal, by anyone (every attribute ``None``
            when there is none).
        customer_message: The customer's latest public message at the
            moment (every attribute ``None`` when there is none).
        local: The moment in the calendar's zone (UTC without calendar).
        customer_local: The moment in the customer's zone, or ``None``.
        business_hours: Whether the calendar is open (``True`` without).

    Raises:
        NaiveDatetimeError: *at* has no time zone.
    """

    at_s: int
    case: Case | None
    customer: Customer | None
    calendar: BusinessCalendar | None
    at: Any
    state: CaseState
    interaction: Interaction
    customer_message: Interaction
    local: datetime
    customer_local: datetime | None
    business_hours: bool
    who: Any  # the customer, or NOTHING: getters need no None check
    kase: Any  # the case, or NOTHING

    def __init__(
        self,
        case: Case | None = None,
        *,
        at: datetime,
        calendar: BusinessCalendar | None = None,
        customer: Customer | None = None,
    ) -> None:
        self.at_s = to_epoch(at, "at")
        self.case = case
        self.customer = (
            customer
            if customer is not None
            else (case.customer if case is not None else None)
        )
        self.calendar = calendar
        self._memo: dict[Hashable, object] = {}

    @classmethod
    def at_epoch(
        cls,
        case: Case | None,
        at_s: int,
        *,
        calendar: BusinessCalendar | None = None,
        customer: Customer | None = None,
    ) -> EvaluationContext:
        """
        Return the context at epoch seconds *at_s* (the engines' fast path).

        >>> sc.EvaluationContext.at_epoch(None, 0).at
        DateTime(1970, 1, 1, 0, 0, 0, tzinfo=Timezone('UTC'))
        """
        context = cls.__new__(cls)
        context.at_s = at_s
        context.case = case
        context.customer = (
            customer
            if customer is not None
            else (case.customer if case is not None else None)
        )
        context.calendar = calendar
        context._memo = {}  # noqa: SLF001
        return context

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - per attribute
        """Compute a derived attribute on first read, then keep it."""
        try:
            compute = LAZY[name]
        except KeyError:
            raise AttributeError(name) from None
        value = self.__dict__[name] = compute(self)
        return value

    def memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """
        Return ``compute()``, computed once per context for *key*.

        Plugin fields use it to share work, e.g. one SLA evaluation for all
        ``sla.*`` fields of a context.

        >>> context = sc.EvaluationContext.at_epoch(None, 0)
        >>> context.memo("answer", lambda: 42), context.memo("answer", list)
        (42, 42)
        """
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def __repr__(self) -> str:
        """Return the case id and the moment."""
        case_id = getattr(self.case, "id", None)
        return f"<EvaluationContext case={case_id!r} at_s={self.at_s}>"
