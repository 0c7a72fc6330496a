"""
The evaluation context: a case, its customer and a moment, read lazily.

Fields are getters over the context. Everything a getter needs is computed
at most once per context and only when first read: the case's state at the
moment (``case.state_at`` is the expensive part), the latest interaction,
the moment in the calendar's zone and in the customer's. Plugin fields
share work through :meth:`EvaluationContext.memo`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from servicecore._time import from_epoch, get_timezone, to_epoch
from servicecore.models import Case, CaseState, Customer, Interaction

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


class EvaluationContext:
    """
    What a condition is evaluated over: a case and its customer at a moment.

    Everything is derived lazily and at most once per context: build one
    context per case and moment, and evaluate every condition on it.

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

    Raises:
        NaiveDatetimeError: *at* has no time zone.
    """

    def __init__(
        self,
        case: Case | None = None,
        *,
        at: datetime,
        calendar: Any = None,  # noqa: ANN401 - a BusinessCalendar
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
        calendar: Any = None,  # noqa: ANN401 - a BusinessCalendar
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

    @functools.cached_property
    def at(self) -> Any:  # noqa: ANN401 - pendulum DateTime
        """The moment as a pendulum ``DateTime`` in UTC."""
        return from_epoch(self.at_s)

    @functools.cached_property
    def state(self) -> CaseState:
        """
        The case's state at the moment, derived once per context.

        Without a case, a stand-in whose every attribute is ``None``.

        Raises:
            ModelError: The moment is before the case was created.
        """
        if self.case is None:
            return NOTHING  # type: ignore[no-any-return]
        return self.case.state_at_s(self.at_s)

    @functools.cached_property
    def interaction(self) -> Interaction:
        """The latest interaction at the moment (every part None if none)."""
        found = self.state.last_interaction
        return NOTHING if found is None else found

    @functools.cached_property
    def local(self) -> datetime:
        """The moment in the calendar's time zone (UTC without calendar)."""
        return datetime.fromtimestamp(self.at_s, _zone(self.calendar))

    @functools.cached_property
    def customer_local(self) -> datetime | None:
        """The moment in the customer's time zone (None without customer)."""
        if self.customer is None:
            return None
        return datetime.fromtimestamp(self.at_s, _zone(self.customer))

    @functools.cached_property
    def business_hours(self) -> bool:
        """Whether the calendar is open at the moment (True without one)."""
        if self.calendar is None:
            return True
        return bool(self.calendar.is_open_s(self.at_s))

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
