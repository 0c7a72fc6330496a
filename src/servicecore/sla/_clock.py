"""The business-time arithmetic an SLA clock needs, and 24x7 time."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from servicecore._time import format_duration, from_epoch
from servicecore.errors import CalendarError

__all__ = ["BusinessClock"]

#: The earliest and latest supported moments, epoch seconds: datetime's
#: range, 0001-01-01T00:00:00 to 9999-12-31T23:59:59 UTC.
EARLIEST_S = -62_135_596_800
LATEST_S = 253_402_300_799


@runtime_checkable
class BusinessClock(Protocol):
    """
    **Protocol:** the business-time arithmetic an SLA clock needs.

    :class:`~servicecore.BusinessCalendar` implements it. ``add_s`` must
    return the *earliest* moment at which *seconds* of business time have
    elapsed after *start_s* (for ``seconds > 0``), and ``between_s`` the
    business seconds in ``[a_s, b_s)``.

    >>> class Always:
    ...     def add_s(self, start_s, seconds):
    ...         return start_s + seconds
    ...     def between_s(self, a_s, b_s):
    ...         return b_s - a_s
    >>> isinstance(Always(), sc.sla.BusinessClock)
    True
    """

    def add_s(self, start_s: int, seconds: int) -> int:
        """Return the moment *seconds* of business time after *start_s*."""
        ...

    def between_s(self, a_s: int, b_s: int) -> int:
        """Return the business seconds from *a_s* to *b_s*."""
        ...


class AllTime:
    """Every second counts: the clock of calendar-time targets."""

    __slots__ = ()

    def add_s(self, start_s: int, seconds: int) -> int:
        """
        Return *start_s* plus *seconds*.

        >>> from servicecore.sla._clock import ALL_TIME
        >>> ALL_TIME.add_s(0, 3600)
        3600
        >>> try:
        ...     ALL_TIME.add_s(0, 9_000 * 365 * 86_400)
        ... except sc.errors.CalendarError as err:
        ...     print(err.location, "|", err.problem)
        seconds | 3285000d after 1970-01-01T00:00:00+00:00 is past
        9999-12-31T23:59:59 UTC, the latest supported moment

        Raises:
            CalendarError: the result is past the latest supported moment.
        """
        end = start_s + seconds
        if end > LATEST_S:
            raise CalendarError(
                "seconds",
                f"{format_duration(seconds)} after "
                f"{from_epoch(start_s).isoformat()} is past "
                "9999-12-31T23:59:59 UTC, the latest supported moment",
            )
        return end

    def between_s(self, a_s: int, b_s: int) -> int:
        """Return *b_s* minus *a_s*."""
        return b_s - a_s

    def __repr__(self) -> str:
        """Return ``"24x7"``."""
        return "24x7"


ALL_TIME = AllTime()
