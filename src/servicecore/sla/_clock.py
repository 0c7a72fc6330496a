"""The business-time arithmetic an SLA clock needs, and 24x7 time."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["BusinessClock"]


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
    >>> isinstance(Always(), sc.BusinessClock)
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
        """Return *start_s* plus *seconds*."""
        return start_s + seconds

    def between_s(self, a_s: int, b_s: int) -> int:
        """Return *b_s* minus *a_s*."""
        return b_s - a_s

    def __repr__(self) -> str:
        """Return ``"24x7"``."""
        return "24x7"


ALL_TIME = AllTime()
