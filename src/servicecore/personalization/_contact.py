"""
Contact windows: the local hours when a customer may be contacted.

A window is hours of the day (``"08:00-20:00"``) on some weekdays, in the
customer's time zone. ``end`` before ``start`` is an overnight window
(``"22:00-06:00"``), which belongs to the day it starts on. Wall times are
turned into moments with the zone's rules: a start inside a DST gap moves
forward by the gap (02:30 on a spring-forward night is 03:30), and a wall
time that occurs twice is its first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol, Self, runtime_checkable

import attrs
import pendulum

from servicecore._time import from_epoch, get_timezone, to_epoch
from servicecore.errors import (
    CalendarError,
    InvalidValueError,
    PolicySyntaxError,
    did_you_mean,
)

__all__ = ["ContactWindow", "next_contact_time"]

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"\s*([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})\s*\Z", re.ASCII
)
_DAY = 24 * 60
#: How far ahead next_contact_time looks before giving up (holidays and
#: closed calendars could otherwise hide every window forever).
_HORIZON_DAYS: Final = 400


def _minutes(hour: str, minute: str, location: str) -> int:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and m):  # noqa: PLR2004
        raise InvalidValueError(
            location, f"{hour}:{minute} is not a time of day (00:00-24:00)"
        )
    return h * 60 + m


def _days(value: object, location: str) -> frozenset[int]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple | frozenset | set):
        raise PolicySyntaxError(
            location, "expected weekdays such as ['mon', 'tue'] or 'mon-fri'"
        )
    found: set[int] = set()
    for i, item in enumerate(value):
        where = f"{location}[{i}]"
        text = str(item).strip().lower()
        first, _, last = text.partition("-")
        for name in (first, last) if last else (first,):
            if name not in WEEKDAYS:
                raise InvalidValueError(
                    where,
                    f"unknown weekday {name!r}"
                    f"{did_you_mean(name, WEEKDAYS) or '; use mon ... sun'}",
                )
        a = WEEKDAYS.index(first)
        b = WEEKDAYS.index(last) if last else a
        span = (b - a) % 7
        found.update((a + k) % 7 for k in range(span + 1))
    if not found:
        raise InvalidValueError(location, "no weekdays given")
    return frozenset(found)


@attrs.frozen(kw_only=True)
class ContactWindow:
    """
    Local hours, on some weekdays, when outbound contact is allowed.

    >>> window = sc.personalization.ContactWindow.parse("08:00-20:00")
    >>> window
    ContactWindow(start_minute=480, end_minute=1200, weekdays=frozenset({0, 1, 2, 3, 4, 5, 6}))
    >>> str(sc.personalization.ContactWindow.parse({"hours": "22:00-06:00", "days": "mon-fri"}))
    '22:00-06:00 mon-fri'

    Attributes:
        start_minute: Minutes after local midnight when the window opens.
        end_minute: When it closes (up to 1440); at or before the start
            for an overnight window.
        weekdays: The days (0 = Monday) on which the window opens.
    """

    start_minute: int
    end_minute: int
    weekdays: frozenset[int] = frozenset(range(7))

    @classmethod
    def parse(cls, value: object, location: str = "contact_window") -> Self:
        """
        Read a window: ``"HH:MM-HH:MM"`` or ``{hours = ..., days = ...}``.

        Args:
            value: The hours string, or a table with ``hours`` and
                optional ``days`` (``["mon", "wed"]``, ``"mon-fri"``).
            location: Where *value* is, for errors.

        Returns:
            The window.

        Raises:
            PolicyError: Not a window; the error names *location*.
        """
        days: frozenset[int] = frozenset(range(7))
        if isinstance(value, Mapping):
            unknown = [k for k in value if k not in {"hours", "days"}]
            if unknown:
                key = str(unknown[0])
                raise PolicySyntaxError(
                    f"{location}.{key}",
                    f"unknown key {key!r}"
                    f"{did_you_mean(key, ['hours', 'days'])}",
                )
            if "hours" not in value:
                raise PolicySyntaxError(location, "missing 'hours'")
            if "days" in value:
                days = _days(value["days"], f"{location}.days")
            location = f"{location}.hours"
            value = value["hours"]
        match = _HOURS.match(value) if isinstance(value, str) else None
        if match is None:
            raise InvalidValueError(
                location,
                f"expected hours such as '08:00-20:00', got {value!r}",
            )
        start = _minutes(match[1], match[2], location)
        end = _minutes(match[3], match[4], location)
        if start in {end, _DAY}:
            raise InvalidValueError(
                location,
                f"the window {value!r} is empty; write '00:00-24:00' for "
                "the whole day",
            )
        return cls(start_minute=start, end_minute=end, weekdays=days)

    @property
    def is_overnight(self) -> bool:
        """Whether the window closes on the day after it opens."""
        return self.end_minute <= self.start_minute

    def contains(self, local: datetime) -> bool:
        """
        Return whether the wall time *local* is inside the window.

        >>> window = sc.personalization.ContactWindow.parse("22:00-06:00")
        >>> window.contains(pendulum.datetime(2024, 3, 5, 5, 59))
        True
        """
        minute = local.hour * 60 + local.minute
        today = local.weekday()
        if not self.is_overnight:
            return (
                today in self.weekdays
                and self.start_minute <= minute < self.end_minute
            )
        if minute >= self.start_minute:
            return today in self.weekdays
        return minute < self.end_minute and (today - 1) % 7 in self.weekdays

    def openings_s(
        self,
        day: date,
        zone: Any,  # noqa: ANN401 - a tzinfo
    ) -> tuple[int, int] | None:
        """Return the epoch seconds the window opens and closes on *day*."""
        if day.weekday() not in self.weekdays:
            return None
        start = _wall_s(day, self.start_minute, zone)
        end_day = day + timedelta(days=1) if self.is_overnight else day
        return start, _wall_s(end_day, self.end_minute, zone)

    def __str__(self) -> str:
        """Return the window as a policy would write it."""
        text = f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"
        if self.weekdays == frozenset(range(7)):
            return text
        days = sorted(self.weekdays)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:  # noqa: PLR2004
            return f"{text} {WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
        return f"{text} {','.join(WEEKDAYS[d] for d in days)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _wall_s(day: date, minute: int, zone: Any) -> int:  # noqa: ANN401
    """Return the epoch second of wall time *minute* on *day* in *zone*."""
    extra, minute = divmod(minute, _DAY)
    moment = datetime(
        day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone
    ) + timedelta(days=extra)
    # datetime arithmetic is wall-clock; timestamp() applies the zone's
    # rules (fold=0: gaps move forward, repeated times take the first).
    return int(moment.timestamp())


@runtime_checkable
class _OpenCalendar(Protocol):
    def is_open_s(self, at_s: int) -> bool: ...

    def next_open_s(self, at_s: int) -> int: ...


def next_contact_time(
    customer: Any,  # noqa: ANN401 - a servicecore Customer (or Profile)
    at: datetime,
    *,
    window: ContactWindow | str | None = None,
    time_zone: str | None = None,
    holidays: Iterable[date] | Any = None,  # noqa: ANN401
) -> pendulum.DateTime:
    """
    Return the first moment at or after *at* when *customer* may be contacted.

    The window is read in the customer's time zone; holidays are dates in
    that zone, or a business calendar (anything with ``is_open_s`` and
    ``next_open_s``, such as :class:`servicecore.BusinessCalendar`) whose
    closed times are skipped too.

    >>> customer = sc.Customer(id="c-1", time_zone="Europe/Paris")
    >>> sc.personalization.next_contact_time(
    ...     customer, pendulum.datetime(2024, 3, 8, 21, 30, tz="UTC"),
    ...     window="08:00-20:00 ",
    ... )
    DateTime(2024, 3, 9, 8, 0, 0, tzinfo=Timezone('Europe/Paris'))

    Args:
        customer: The customer, or a :class:`~servicecore.Profile` (its
            ``contact_window`` and ``time_zone`` are used).
        at: The moment from which to search, an aware datetime.
        window: The window; by default the customer's ``contact_window``
            (always open when it has none).
        time_zone: The zone of the window; by default the customer's.
        holidays: Dates on which the customer is not contacted, or a
            business calendar.

    Returns:
        The moment, in the customer's zone; *at* itself when allowed now.

    Raises:
        NaiveDatetimeError: *at* has no time zone.
        CalendarError: No allowed moment in the next 400 days, or before
            the end of 9999.
    """
    at_s = to_epoch(at, "at")
    zone_name = time_zone or getattr(customer, "time_zone", None) or "UTC"
    zone = get_timezone(zone_name)
    try:
        datetime.fromtimestamp(at_s, zone)
    except OverflowError:
        raise CalendarError(
            "at",
            f"{at} is outside the years 1-9999 in the time zone {zone_name}",
        ) from None
    if window is None:
        window = getattr(customer, "contact_window", None)
    if isinstance(window, str):
        window = ContactWindow.parse(window, "window")
    calendar = holidays if isinstance(holidays, _OpenCalendar) else None
    days_off = (
        frozenset()
        if holidays is None or calendar is not None
        else frozenset(holidays)
    )
    t = at_s
    for _ in range(_HORIZON_DAYS * 4):
        found = _next_in_window(window, t, zone, days_off)
        if found is None:
            break
        if calendar is None or calendar.is_open_s(found):
            return from_epoch(found, zone)
        t = calendar.next_open_s(found)
    raise CalendarError(
        "at",
        f"no moment in the next {_HORIZON_DAYS} days is inside the contact "
        "window, off the holidays and open in the calendar",
    )


def _next_in_window(
    window: ContactWindow | None,
    at_s: int,
    zone: Any,  # noqa: ANN401
    days_off: frozenset[date],
) -> int | None:
    today = datetime.fromtimestamp(at_s, zone).toordinal()
    # Start a day early: last night's overnight window may still be open.
    for offset in range(max(-1, 1 - today), _HORIZON_DAYS):
        try:
            day = date.fromordinal(today + offset)
            if day in days_off:
                continue
            if window is None:
                if offset < 0:
                    continue
                start = at_s if offset == 0 else _wall_s(day, 0, zone)
                return max(start, at_s)
            span = window.openings_s(day, zone)
        except (OverflowError, ValueError):
            # The day, or the end of its window, is past 9999-12-31.
            raise CalendarError(
                "at",
                "no moment is inside the contact window before "
                "9999-12-31T23:59:59 UTC, the latest supported moment",
            ) from None
        if span is None:
            continue
        start, end = span
        if at_s < end:
            return max(start, at_s)
    return None
