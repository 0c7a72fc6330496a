"""BusinessCalendar: exact business-time arithmetic on an index of intervals."""

from __future__ import annotations

import functools
import operator
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, NoReturn

import pendulum

from servicecore._documents import parse_text
from servicecore._time import (
    duration_seconds as _parse_seconds,
)
from servicecore._time import (
    from_epoch,
    get_timezone,
    to_epoch,
)
from servicecore.calendar._arith import (
    DAY,
    END_S,
    FIRST_S,
    MARGIN_DAYS,
    Table,
    build_table,
    day_intervals,
    day_of,
    empty_table,
    local_to_epoch,
    real_intervals,
)
from servicecore.calendar._explain import (
    BusinessInterval,
    CalendarClosure,
    CalendarExplanation,
)
from servicecore.calendar._holidays import Holiday, HolidaySet, Override
from servicecore.calendar._hours import (
    DAY_NAMES,
    Span,
    format_span,
    parse_hours,
)
from servicecore.calendar._load import (
    calendar_from_dict,
    calendar_to_dict,
)
from servicecore.calendar._skip import PAST_THE_END, DaySums, zone_rules
from servicecore.errors import (
    CalendarError,
    DurationError,
    UnknownTimeZoneError,
)

__all__ = ["BusinessCalendar"]

# A search for open time gives up after this long without any: a calendar
# whose holidays close everything is an error, not an endless loop.
SEARCH_LIMIT_S = 10 * 366 * DAY
# The index starts with about two months around the first query and then
# at least doubles: most deadlines are weeks away, some are years away.
_FIRST_DAYS = 62
_GROW_DAYS = 92
# The index may reach past the supported days (they have no intervals), so
# that it trusts every supported moment.
_MIN_DAY = date.min.toordinal() - 2 * MARGIN_DAYS - 3
_MAX_DAY = date.max.toordinal() + 2 * MARGIN_DAYS + 3
# Spans of more days than this skip whole days arithmetically (DaySums)
# instead of extending the index over them.
SKIP_DAYS = 400
# A query this many days away from the index gets a new index instead of
# extending the old one over the days in between.
_FRESH_DAYS = 3653
_MIN_S = FIRST_S
_MAX_S = END_S - 1
_WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


_TOTAL_SECONDS = timedelta.total_seconds


def _duration_s(value: timedelta | str, location: str) -> int:
    """Return whole non-negative seconds of a ``timedelta`` or string."""
    if isinstance(value, timedelta):
        # The stdlib method: pendulum's Duration redefines the fields.
        total = _TOTAL_SECONDS(value)
        seconds = int(total)
        if seconds == total and seconds >= 0:
            return seconds
        raise DurationError(
            location,
            f"duration {value!r} must be a whole, non-negative number of "
            "seconds",
        )
    return _parse_seconds(value, location)


def _subtract(spans: Iterable[Span], closed: Iterable[Span]) -> list[Span]:
    """Return *spans* without the parts covered by *closed*."""
    result = list(spans)
    for cut_start, cut_end in closed:
        kept = []
        for start, end in result:
            if end <= cut_start or cut_end <= start:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        result = kept
    return result


def _flatten_holidays(
    holidays: HolidaySet | Iterable[Holiday | HolidaySet],
) -> HolidaySet:
    if isinstance(holidays, HolidaySet):
        return holidays
    items: list[Holiday] = []
    for i, item in enumerate(holidays):
        if isinstance(item, HolidaySet):
            items.extend(item.holidays)
        elif isinstance(item, Holiday):
            items.append(item)
        else:
            raise CalendarError(
                f"holidays[{i}]",
                f"expected a Holiday or HolidaySet, got {item!r}",
            )
    return HolidaySet(items)


def _fast(table: Table) -> tuple[Any, ...]:
    """Return the hot fields of *table* as a plain tuple (fast to unpack)."""
    return tuple(table[:9])


class BusinessCalendar:
    """
    Business hours in a time zone, with holidays and overrides.

    The weekly schedule is local wall-clock time: any number of intervals
    per weekday, overnight shifts (``"22:00-06:00"`` belongs to the day it
    starts) and whole days (``"00:00-24:00"``). Holidays close the
    intervals that belong to their date (or part of them); an override
    gives one date its own intervals and wins over holidays. Overlapping
    or touching open time merges, so a 24x7 calendar has no gap at
    midnight.

    DST: an interval lasts the real time between its local start and end;
    a local time in a spring-forward gap moves forward to the first valid
    instant; an ambiguous local time takes its first occurrence.

    The calendar is immutable and safe to share between threads: it
    indexes the UTC boundaries of its intervals with cumulated business
    seconds, lazily, extending the index (under a lock) as queries reach
    further into the past or future. ``add`` and ``between`` are a bisect
    plus arithmetic; the ``*_s`` methods do the same on integer epoch
    seconds, without making ``DateTime`` objects.

    >>> cal = sc.BusinessCalendar(
    ...     "Europe/Berlin",
    ...     {"mon-fri": ["09:00-12:00", "13:00-17:00"]},
    ...     holidays=[sc.calendar.Holiday("12-25", "Christmas Day")],
    ... )
    >>> friday = pendulum.datetime(2024, 3, 8, 16, tz="Europe/Berlin")
    >>> cal.add(friday, pendulum.duration(hours=2))
    DateTime(2024, 3, 11, 10, 0, 0, tzinfo=Timezone('Europe/Berlin'))
    >>> cal.between(friday, cal.add(friday, "2h")).in_words()
    '2 hours'

    Args:
        time_zone: The IANA zone of the wall-clock hours.
        hours: Weekday (``"mon"``, ``"monday"``, a range ``"mon-fri"``, or
            0 for Monday) to intervals (``"09:00-17:00"`` or a list).
            Missing days are closed.
        holidays: A ``HolidaySet``, or ``Holiday`` objects and sets.
        overrides: ``Override`` objects, at most one per date.

    Raises:
        CalendarError: a bad or overlapping interval, an unknown weekday,
            two overrides of one date, or no open time at all.
        UnknownTimeZoneError: *time_zone* is not an IANA zone.
    """

    __slots__ = (
        "__weakref__",
        "_fast",
        "_holidays",
        "_hours",
        "_lock",
        "_overrides",
        "_overrides_by_day",
        "_sums",
        "_table",
        "_time_zone",
        "_tz",
        "_zones",
    )

    _hours: tuple[tuple[Span, ...], ...]
    _holidays: HolidaySet
    _lock: threading.Lock
    _overrides: tuple[Override, ...]
    _overrides_by_day: Mapping[date, Override]
    _sums: DaySums | None
    _table: Table
    _fast: tuple[
        Sequence[int],
        Sequence[int],
        Sequence[int],
        Sequence[int],
        int,
        int,
        Sequence[int],
        Sequence[int],
        int,
    ]
    _time_zone: str
    _tz: pendulum.Timezone
    _zones: dict[str, BusinessCalendar]

    def __init__(
        self,
        time_zone: str,
        hours: Mapping[str | int, object],
        *,
        holidays: HolidaySet | Iterable[Holiday | HolidaySet] = (),
        overrides: Iterable[Override] = (),
    ) -> None:
        weekly = parse_hours(hours, "hours")
        self._init(
            time_zone, weekly, _flatten_holidays(holidays), tuple(overrides)
        )

    def _init(
        self,
        time_zone: str,
        weekly: tuple[tuple[Span, ...], ...],
        holidays: HolidaySet,
        overrides: tuple[Override, ...],
    ) -> None:
        setter = object.__setattr__
        setter(self, "_tz", _timezone(time_zone))
        setter(self, "_time_zone", time_zone)
        setter(self, "_hours", weekly)
        setter(self, "_holidays", holidays)
        by_day: dict[date, Override] = {}
        for i, override in enumerate(overrides):
            if not isinstance(override, Override):
                raise CalendarError(
                    f"overrides[{i}]",
                    f"expected an Override, got {override!r}",
                )
            if override.on in by_day:
                first = overrides.index(by_day[override.on])
                raise CalendarError(
                    f"overrides[{i}]",
                    f"{override.on} is already overridden by "
                    f"overrides[{first}]",
                )
            by_day[override.on] = override
        if not any(weekly) and not any(o.hours for o in overrides):
            raise CalendarError(
                "hours",
                "the calendar has no open time at all; give at least one "
                "weekday hours, e.g. {'mon-fri': '09:00-17:00'}",
            )
        setter(self, "_overrides", overrides)
        setter(self, "_overrides_by_day", MappingProxyType(by_day))
        setter(self, "_table", empty_table())
        setter(self, "_fast", _fast(self._table))
        setter(self, "_lock", threading.Lock())
        setter(self, "_zones", {})
        rules = zone_rules(time_zone)
        setter(
            self,
            "_sums",
            None
            if rules is None
            else DaySums(
                self._tz,
                rules,
                weekly=weekly,
                spans_on=self.spans_on,
                dated=(h.on for h in holidays if isinstance(h.on, date)),
                overridden=by_day,
                annual=(h.on for h in holidays if not isinstance(h.on, date)),
            ),
        )

    @classmethod
    def _from_parts(
        cls,
        time_zone: str,
        weekly: tuple[tuple[Span, ...], ...],
        holidays: HolidaySet,
        overrides: tuple[Override, ...],
    ) -> BusinessCalendar:
        calendar = cls.__new__(cls)
        calendar._init(time_zone, weekly, holidays, overrides)  # noqa: SLF001
        return calendar

    @classmethod
    def always(cls, time_zone: str = "UTC") -> BusinessCalendar:
        """
        Return the 24x7 calendar: always open, no gap at midnight.

        >>> cal = sc.BusinessCalendar.always()
        >>> cal.between(
        ...     pendulum.datetime(2024, 1, 1, 23, 59, tz="UTC"),
        ...     pendulum.datetime(2024, 1, 2, 0, 1, tz="UTC"),
        ... ).in_seconds()
        120

        Args:
            time_zone: The zone results are given in.

        Returns:
            A shared, cached calendar.

        Raises:
            UnknownTimeZoneError: *time_zone* is not an IANA zone.
        """
        return _always(time_zone)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], location: str = "calendar"
    ) -> BusinessCalendar:
        """
        Return the calendar described by plain data (as TOML/JSON give).

        Keys: ``time_zone`` (default ``"UTC"``), ``hours`` (as in the
        constructor), ``holidays`` (a list of ``{date, name, closed}``;
        ``date`` is ``"YYYY-MM-DD"``, or ``"MM-DD"`` for every year),
        ``overrides`` (a list of ``{date, hours, name}``) and, with the
        optional ``holidays`` package, ``holidays_from`` (``{country,
        subdiv, years}``).

        >>> cal = sc.BusinessCalendar.from_dict({
        ...     "time_zone": "Europe/Berlin",
        ...     "hours": {"mon-fri": ["09:00-17:00"]},
        ...     "holidays": [{"date": "12-25", "name": "Christmas Day"}],
        ...     "overrides": [{"date": "2024-12-24", "hours": ["09:00-12:00"]}],
        ... })
        >>> cal.hours["mon"], len(cal.holidays)
        (('09:00-17:00',), 1)
        >>> try:
        ...     sc.BusinessCalendar.from_dict(
        ...         {"hours": {"mon": ["09:00-17:00", "16:00-18:00"]}},
        ...         location="calendars.support",
        ...     )
        ... except sc.errors.CalendarError as err:
        ...     print(err.location)
        ...     print(err.problem)
        calendars.support.hours.mon[1]
        interval 16:00-18:00 overlaps 09:00-17:00 (calendars.support.hours.mon[0])

        Args:
            data: The mapping.
            location: Where the data came from; prefixes error locations.

        Returns:
            The calendar.

        Raises:
            CalendarError: any problem of the description, at its location
                (``calendars.support.hours.mon[1]``).
            UnknownTimeZoneError: ``time_zone`` is not an IANA zone.
        """
        return calendar_from_dict(cls, data, location)

    @classmethod
    def from_toml(
        cls, text: str | bytes, location: str = "calendar"
    ) -> BusinessCalendar:
        """
        Return the calendar of a TOML document (see :meth:`from_dict`).

        >>> cal = sc.BusinessCalendar.from_toml('''
        ... time_zone = "America/New_York"
        ... [hours]
        ... mon-fri = "08:00-18:00"
        ... ''')
        >>> cal.time_zone
        'America/New_York'

        Args:
            text: The document.
            location: Its name (a file name), for error locations.

        Returns:
            The calendar.

        Raises:
            CalendarError: not TOML, or a bad description.
            UnknownTimeZoneError: ``time_zone`` is not an IANA zone.
        """
        return calendar_from_dict(
            cls, parse_text(text, "toml", location, CalendarError), location
        )

    @classmethod
    def from_json(
        cls, text: str | bytes, location: str = "calendar"
    ) -> BusinessCalendar:
        """
        Return the calendar of a JSON document (see :meth:`from_dict`).

        >>> sc.BusinessCalendar.from_json('{"hours": {"sat": "10:00-14:00"}}')
        BusinessCalendar('UTC', {'sat': ('10:00-14:00',)}, holidays=0, overrides=0)

        Args:
            text: The document.
            location: Its name (a file name), for error locations.

        Returns:
            The calendar.

        Raises:
            CalendarError: not JSON, or a bad description.
            UnknownTimeZoneError: ``time_zone`` is not an IANA zone.
        """
        return calendar_from_dict(
            cls, parse_text(text, "json", location, CalendarError), location
        )

    def to_dict(self) -> dict[str, Any]:
        """
        Return the calendar as plain data that :meth:`from_dict` reads.

        >>> cal = sc.BusinessCalendar("UTC", {"mon": "22:00-06:00"})
        >>> cal.to_dict()
        {'time_zone': 'UTC', 'hours': {'mon': ['22:00-06:00']}}
        >>> sc.BusinessCalendar.from_dict(cal.to_dict()) == cal
        True

        Returns:
            A JSON- and TOML-safe dict.
        """
        return calendar_to_dict(self)

    # -- what the calendar is -------------------------------------------

    @property
    def time_zone(self) -> str:
        """
        Return the IANA name of the calendar's zone.

        >>> sc.BusinessCalendar.always("Asia/Kolkata").time_zone
        'Asia/Kolkata'

        Returns:
            The zone name.
        """
        return self._time_zone

    @property
    def hours(self) -> Mapping[str, tuple[str, ...]]:
        """
        Return the weekly intervals of each weekday, as strings.

        >>> sc.BusinessCalendar("UTC", {"sat": "22:00-06:00"}).hours["sat"]
        ('22:00-06:00',)

        Returns:
            ``"mon"`` to ``"sun"``, each with its intervals (maybe none).
        """
        return MappingProxyType(
            {
                name: tuple(format_span(span) for span in spans)
                for name, spans in zip(DAY_NAMES, self._hours, strict=True)
            }
        )

    @property
    def holidays(self) -> HolidaySet:
        """
        Return the calendar's holidays.

        >>> len(sc.BusinessCalendar.always().holidays)
        0

        Returns:
            One ``HolidaySet`` of every holiday given.
        """
        return self._holidays

    @property
    def overrides(self) -> tuple[Override, ...]:
        """
        Return the calendar's overrides, in the order given.

        >>> sc.BusinessCalendar.always().overrides
        ()

        Returns:
            The ``Override`` objects.
        """
        return self._overrides

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """
        Return the business intervals that belong to local date *day*.

        Seconds after local midnight; an overnight end is past 86,400.

        >>> from datetime import date
        >>> sc.BusinessCalendar("UTC", {"sun": "22:00-06:00"}).spans_on(
        ...     date(2024, 3, 10)
        ... )
        ((79200, 108000),)

        Args:
            day: A date in the calendar's zone.

        Returns:
            Sorted, non-overlapping ``(start_s, end_s)`` pairs.
        """
        override = self._overrides_by_day.get(day)
        if override is not None:
            return override.hours
        spans = self._hours[day.weekday()]
        if not spans:
            return spans
        for holiday in self._holidays.on(day):
            if not holiday.closed:
                return ()
            spans = tuple(_subtract(spans, holiday.closed))
        return spans

    def in_zone(self, time_zone: str) -> BusinessCalendar:
        """
        Return the same hours, holidays and overrides in another zone.

        For support that follows the customer's zone: 09:00-17:00 in
        whatever zone the customer is in. Cached per zone.

        >>> cal = sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})
        >>> cal.in_zone("Asia/Kolkata").time_zone
        'Asia/Kolkata'
        >>> cal.in_zone("Asia/Kolkata") is cal.in_zone("Asia/Kolkata")
        True

        Args:
            time_zone: An IANA zone name.

        Returns:
            The calendar in *time_zone*.

        Raises:
            UnknownTimeZoneError: *time_zone* is not an IANA zone.
        """
        _timezone(time_zone)
        if time_zone == self._time_zone:
            return self
        found = self._zones.get(time_zone)
        if found is None:
            made = BusinessCalendar._from_parts(
                time_zone, self._hours, self._holidays, self._overrides
            )
            with self._lock:
                found = self._zones.setdefault(time_zone, made)
        return found

    # -- immutability, equality -----------------------------------------

    def __setattr__(self, name: str, value: object) -> NoReturn:
        """Refuse every assignment: calendars are immutable."""
        raise AttributeError(f"BusinessCalendar is immutable: {name}")

    def __delattr__(self, name: str) -> NoReturn:
        """Refuse every deletion: calendars are immutable."""
        raise AttributeError(f"BusinessCalendar is immutable: {name}")

    def _key(self) -> tuple[object, ...]:
        return (self._time_zone, self._hours, self._holidays, self._overrides)

    def __eq__(self, other: object) -> bool:
        """Return whether *other* is a calendar of the same definition."""
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        """Hash the definition."""
        return hash(self._key())

    def __repr__(self) -> str:
        """Return the calendar's zone, hours and counts of the rest."""
        hours = {name: v for name, v in self.hours.items() if v}
        return (
            f"BusinessCalendar({self._time_zone!r}, {hours!r}, "
            f"holidays={len(self._holidays)}, "
            f"overrides={len(self._overrides)})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the definition (not the index)."""
        return (
            BusinessCalendar._from_parts,
            (self._time_zone, self._hours, self._holidays, self._overrides),
        )

    # -- the index ------------------------------------------------------

    def _cover(self, lo_s: int, hi_s: int, location: str) -> Table:
        """Return an index that covers ``[lo_s, hi_s]``, extending it."""
        table = self._table
        if table.lo <= lo_s and hi_s < table.hi:
            return table
        with self._lock:
            table = self._table
            if table.lo <= lo_s and hi_s < table.hi:
                return table
            need_first = day_of(lo_s) - MARGIN_DAYS - 1
            need_last = day_of(hi_s) + MARGIN_DAYS + 2
            if (
                table.first_day == table.last_day
                or need_first > table.last_day + _FRESH_DAYS
                or need_last < table.first_day - _FRESH_DAYS
            ):
                # Far from the index: a new one, not the days in between.
                first, last = need_first - 7, need_last + _FIRST_DAYS
                kept: list[tuple[int, int]] = []
                old_first = old_last = first
            else:
                old_first, old_last = table.first_day, table.last_day
                span = old_last - old_first
                # Grow geometrically, so durations of years stay linear.
                first = old_first
                if need_first < old_first:
                    first = min(need_first, old_first - max(_GROW_DAYS, span))
                last = old_last
                if need_last > old_last:
                    last = max(need_last, old_last + max(_GROW_DAYS, span))
                kept = list(real_intervals(table))
            first = max(first, _MIN_DAY)
            last = min(last, _MAX_DAY)
            if need_first < first or need_last > last:
                raise CalendarError(
                    location,
                    "business time is only known between the years 1 and 9999",
                )
            spans_on = self.spans_on
            zone = self._tz
            kept += day_intervals(zone, first, old_first, spans_on)
            kept += day_intervals(zone, old_last, last, spans_on)
            table = build_table(kept, first, last)
            object.__setattr__(self, "_table", table)
            object.__setattr__(self, "_fast", _fast(table))
            return table

    def _give_up(self, table: Table, since_s: int, location: str) -> None:
        """Raise when a search found no open time for ten years."""
        if table.hi - since_s < SEARCH_LIMIT_S:
            return
        k = bisect_left(table.opens, table.hi) - 1
        if k > 0 and table.closes[k] > table.hi - SEARCH_LIMIT_S:
            return
        start = datetime.fromtimestamp(max(since_s, table.lo), self._tz)
        raise CalendarError(
            location,
            f"the calendar has no open time in the ten years after "
            f"{start.date()}; check its holidays and overrides",
        )

    # -- epoch-seconds API ----------------------------------------------

    def add_s(self, start_s: int, seconds: int) -> int:
        """
        Return the moment *seconds* of business time after *start_s*.

        The fast path of :meth:`add`, on integer epoch seconds.

        >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        >>> cal.add_s(1_709_917_200, 3_600)  # Fri 2024-03-08 17:00 UTC
        1710151200

        Args:
            start_s: Epoch seconds.
            seconds: Business seconds, zero or more.

        Returns:
            Epoch seconds.

        Raises:
            DurationError: *seconds* is negative.
            CalendarError: no open time for ten years after *start_s*.
        """
        # A plain tuple: unpacking a NamedTuple takes the slow generic path.
        opens, closes, shift, cum_end, lo, hi, kidx, cidx, bits = self._fast
        # Floats and other types fail here and are refused by _add_slow.
        try:
            if lo <= start_s < hi and seconds > 0:
                k = kidx[(start_s - lo) >> bits]
                while opens[k + 1] <= start_s:
                    k += 1
                target = (
                    start_s - shift[k] if start_s < closes[k] else cum_end[k]
                ) + seconds
                j = cidx[target >> bits]
                while cum_end[j] < target:
                    j += 1
                end = shift[j] + target
                if end < hi:
                    return end
        except (IndexError, TypeError):
            pass
        return self._add_slow(start_s, seconds)

    def _add_slow(self, start_s: int, seconds: int) -> int:
        start_s = _epoch_seconds(start_s, "start_s")
        seconds = _whole_seconds(seconds, "seconds")
        if seconds < 0:
            raise DurationError(
                "duration", f"negative duration of {seconds} seconds"
            )
        if seconds > _MAX_S - start_s:
            raise CalendarError("seconds", PAST_THE_END)
        if seconds == 0:
            return self.next_open_s(start_s)
        table = self._cover(start_s, start_s, "start")
        far = True
        while True:
            opens, closes, shift, cum_end, _, hi = table[:6]
            k = bisect_right(opens, start_s) - 1
            target = (
                start_s - shift[k] if start_s < closes[k] else cum_end[k]
            ) + seconds
            end = shift[bisect_left(cum_end, target)] + target
            if end < hi:
                return end
            if far:
                found = self._add_far(start_s, seconds)
                if found is not None:
                    return found
                far = False
            self._give_up(table, start_s, "start")
            table = self._cover(start_s, hi, "start")

    def _local_day(self, at_s: int) -> int:
        """Return the ordinal of the local date of epoch *at_s*."""
        try:
            return datetime.fromtimestamp(at_s, self._tz).toordinal()
        except (OverflowError, ValueError):  # the local year 0 or 10000
            return 0 if at_s < 0 else date.max.toordinal() + 1

    def _days_before(self, table: Table, day: int) -> int:
        """
        Return the business time of the days before *day*, in *table*.

        That is the position of *day*'s local midnight, plus what the
        previous day's overnight intervals add after it.
        """
        midnight = local_to_epoch(self._tz, day, 0)
        spill = sum(
            closed - max(opened, midnight)
            for opened, closed in day_intervals(
                self._tz, day - 1, day, self.spans_on
            )
            if closed > midnight
        )
        return _position(table, midnight) + spill

    def _far_table(self, day: int, location: str) -> Table:
        """Return an index of the days around *day*, not kept."""
        first, last = day - 2 * MARGIN_DAYS, day + 2 * MARGIN_DAYS + 2
        if first < _MIN_DAY or last > _MAX_DAY:
            raise CalendarError(
                location,
                "business time is only known between the years 1 and 9999",
            )
        return build_table(
            day_intervals(self._tz, first, last, self.spans_on), first, last
        )

    def _add_far(self, start_s: int, seconds: int) -> int | None:
        """Return ``add_s`` by skipping whole days; None when it is near."""
        sums = self._sums
        if sums is None:
            return None
        near = self._local_day(start_s) + 2
        if near > date.max.toordinal():  # the index reaches the end
            return None
        table = self._cover(
            start_s, local_to_epoch(self._tz, near, 0), "start"
        )
        need = _position(table, start_s) + seconds
        need -= self._days_before(table, near)
        if need <= 0:
            return None
        day, done = sums.find(near, need, date.max.toordinal() + 1, "seconds")
        if day - near < SKIP_DAYS:
            return None
        far = self._far_table(day, "seconds")
        target = self._days_before(far, day) + need - done
        return int(far.shift[bisect_left(far.cum_end, target)] + target)

    def _between_far(self, a_s: int, b_s: int) -> int | None:
        """Return ``between_s`` (*a_s* < *b_s*) by skipping whole days."""
        sums = self._sums
        first = self._local_day(a_s) + 2
        last = self._local_day(b_s) - 1
        if sums is None or last - first < SKIP_DAYS:
            return None
        near = self._cover(a_s, local_to_epoch(self._tz, first, 0), "a")
        far = self._far_table(last, "b")
        return (
            self._days_before(near, first)
            - _position(near, a_s)
            + sums.total(first, last)
            + _position(far, b_s)
            - self._days_before(far, last)
        )

    def between_s(self, a_s: int, b_s: int) -> int:
        """
        Return the business seconds from *a_s* to *b_s*.

        Negative when *b_s* is before *a_s*: ``between_s(b, a) ==
        -between_s(a, b)``.

        >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        >>> cal.between_s(1_709_913_600, 1_710_154_800)  # Fri 16:00 to Mon 11:00
        10800

        Args:
            a_s: Epoch seconds.
            b_s: Epoch seconds.

        Returns:
            Business seconds in ``[a_s, b_s)``, negated if ``b_s < a_s``.
        """
        opens, closes, shift, cum_end, lo, hi, kidx, _, bits = self._fast
        # Floats and other types fail here and are refused below.
        try:
            if lo <= a_s < hi and lo <= b_s < hi:
                k = kidx[(a_s - lo) >> bits]
                while opens[k + 1] <= a_s:
                    k += 1
                a = a_s - shift[k] if a_s < closes[k] else cum_end[k]
                k = kidx[(b_s - lo) >> bits]
                while opens[k + 1] <= b_s:
                    k += 1
                b = b_s - shift[k] if b_s < closes[k] else cum_end[k]
                return b - a
        except TypeError:
            pass
        a_s = _epoch_seconds(a_s, "a_s")
        b_s = _epoch_seconds(b_s, "b_s")
        found = (
            self._between_far(a_s, b_s)
            if a_s <= b_s
            else self._between_far(b_s, a_s)
        )
        if found is not None:
            return found if a_s <= b_s else -found
        table = self._cover(min(a_s, b_s), max(a_s, b_s), "a")
        return _position(table, b_s) - _position(table, a_s)

    def is_open_s(self, at_s: int) -> bool:
        """
        Return whether the calendar is open at epoch second *at_s*.

        Open intervals include their start and exclude their end.

        >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        >>> cal.is_open_s(1_709_888_400), cal.is_open_s(1_709_917_200)
        (True, False)

        Args:
            at_s: Epoch seconds.

        Returns:
            True inside an interval.
        """
        if type(at_s) is not int:
            at_s = _epoch_seconds(at_s, "at_s")
        table = self._table
        if not table.lo <= at_s < table.hi:
            table = self._cover(at_s, at_s, "at")
        return at_s < table.closes[bisect_right(table.opens, at_s) - 1]

    def next_open_s(self, at_s: int) -> int:
        """
        Return the first open epoch second at or after *at_s*.

        >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        >>> cal.next_open_s(1_709_917_200)  # Fri 17:00 -> Mon 09:00
        1710147600

        Args:
            at_s: Epoch seconds.

        Returns:
            *at_s* itself when open, else the next opening.

        Raises:
            CalendarError: no open time for ten years after *at_s*.
        """
        if type(at_s) is not int:
            at_s = _epoch_seconds(at_s, "at_s")
        table = self._table
        while True:
            if table.lo <= at_s < table.hi:
                k = bisect_right(table.opens, at_s) - 1
                if at_s < table.closes[k]:
                    return at_s
                found = table.opens[k + 1]
                if found < table.hi:
                    return found
                self._give_up(table, at_s, "at")
                table = self._cover(at_s, table.hi, "at")
            else:
                table = self._cover(at_s, at_s, "at")

    def next_close_s(self, at_s: int) -> int:
        """
        Return the end of the open interval at or after *at_s*.

        When open at *at_s*, the moment it closes; when closed, the close of
        the next open interval.

        >>> cal = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        >>> cal.next_close_s(1_709_888_400)  # Fri 09:00 -> Fri 17:00
        1709917200

        Args:
            at_s: Epoch seconds.

        Returns:
            Epoch seconds of the next closing.

        Raises:
            CalendarError: no closing (or no opening) for ten years.
        """
        if type(at_s) is not int:
            at_s = _epoch_seconds(at_s, "at_s")
        table = self._table
        while True:
            if table.lo <= at_s < table.hi:
                k = bisect_right(table.opens, at_s) - 1
                if at_s >= table.closes[k]:
                    k += 1
                found = table.closes[k]
                if found < table.hi:
                    return found
                if table.hi - at_s >= SEARCH_LIMIT_S:
                    raise CalendarError(
                        "at",
                        "the calendar does not close in the ten years after "
                        f"{datetime.fromtimestamp(at_s, self._tz).date()}",
                    )
                table = self._cover(at_s, table.hi, "at")
            else:
                table = self._cover(at_s, at_s, "at")

    # -- datetime API ---------------------------------------------------

    def add(
        self, start: datetime, duration: timedelta | str
    ) -> pendulum.DateTime:
        """
        Return the moment *duration* of business time after *start*.

        Counting starts at *start*, or at the next opening when the
        calendar is closed then. A zero duration returns *start* when open
        and the next opening when closed. A positive duration ending exactly
        at a closing returns the closing (Friday 17:00, not Monday 09:00).

        >>> cal = sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})
        >>> saturday = pendulum.datetime(2024, 3, 9, 12, tz="UTC")
        >>> cal.add(saturday, "0s")
        DateTime(2024, 3, 11, 9, 0, 0, tzinfo=Timezone('Europe/Berlin'))
        >>> cal.add(saturday, "8h")
        DateTime(2024, 3, 11, 17, 0, 0, tzinfo=Timezone('Europe/Berlin'))

        Args:
            start: An aware datetime, of any zone.
            duration: A ``timedelta`` (pendulum ``Duration``) or a duration
                string such as ``"4h"``.

        Returns:
            A ``DateTime`` in the calendar's zone.

        Raises:
            NaiveDatetimeError: *start* has no time zone.
            DurationError: *duration* is negative or not a duration.
            CalendarError: no open time for ten years after *start*.
        """
        # The common case, a timedelta of whole seconds, without a call.
        seconds = -1
        if isinstance(duration, timedelta):
            total = _TOTAL_SECONDS(duration)
            seconds = int(total)
            if seconds != total:
                seconds = -1
        if seconds < 0:
            seconds = _duration_s(duration, "duration")
        return from_epoch(
            self.add_s(to_epoch(start, "start"), seconds), self._tz
        )

    def between(self, a: datetime, b: datetime) -> pendulum.Duration:
        """
        Return the business time elapsed from *a* to *b*.

        Negative when *b* is before *a* (``between(b, a) == -between(a,
        b)``), so differences add up; clamp at zero where that is wanted.

        >>> cal = sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})
        >>> fri = pendulum.datetime(2024, 3, 8, 16, tz="Europe/Berlin")
        >>> mon = pendulum.datetime(2024, 3, 11, 10, tz="Europe/Berlin")
        >>> cal.between(fri, mon)
        Duration(hours=2)
        >>> cal.between(mon, fri).in_seconds()
        -7200

        Args:
            a: An aware datetime.
            b: An aware datetime.

        Returns:
            The business time in ``[a, b)``, negated if ``b < a``.

        Raises:
            NaiveDatetimeError: *a* or *b* has no time zone.
        """
        seconds = self.between_s(to_epoch(a, "a"), to_epoch(b, "b"))
        return pendulum.duration(seconds=seconds)

    def is_open(self, at: datetime) -> bool:
        """
        Return whether the calendar is open at *at*.

        >>> cal = sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})
        >>> cal.is_open(pendulum.datetime(2024, 3, 8, 17, tz="Europe/Berlin"))
        False

        Args:
            at: An aware datetime.

        Returns:
            True inside a business interval (start included, end excluded).

        Raises:
            NaiveDatetimeError: *at* has no time zone.
        """
        return self.is_open_s(to_epoch(at, "at"))

    def next_open(self, at: datetime) -> pendulum.DateTime:
        """
        Return the first moment at or after *at* when the calendar is open.

        >>> cal = sc.BusinessCalendar("Europe/Amsterdam", {"mon-fri": "09:00-17:00"})
        >>> cal.next_open(pendulum.datetime(2024, 3, 9, 12, tz="Europe/Amsterdam"))
        DateTime(2024, 3, 11, 9, 0, 0, tzinfo=Timezone('Europe/Amsterdam'))

        Args:
            at: An aware datetime.

        Returns:
            *at* (in the calendar's zone) when open, else the next opening.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            CalendarError: no open time for ten years after *at*.
        """
        return from_epoch(self.next_open_s(to_epoch(at, "at")), self._tz)

    def next_close(self, at: datetime) -> pendulum.DateTime:
        """
        Return the end of the open interval at or after *at*.

        >>> cal = sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})
        >>> cal.next_close(pendulum.datetime(2024, 3, 9, tz="Europe/Berlin"))
        DateTime(2024, 3, 11, 17, 0, 0, tzinfo=Timezone('Europe/Berlin'))

        Args:
            at: An aware datetime.

        Returns:
            The closing of the interval open at *at*, or of the next one.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
            CalendarError: the calendar does not close within ten years.
        """
        return from_epoch(self.next_close_s(to_epoch(at, "at")), self._tz)

    def explain(
        self, start: datetime, duration: timedelta | str
    ) -> CalendarExplanation:
        """
        Return how :meth:`add` reached its result: what counted, what not.

        The business intervals counted and the closures skipped between
        them, each with its reasons (weekday without hours, named holidays,
        overrides), so a user can see why a deadline lands on Monday.

        >>> cal = sc.BusinessCalendar(
        ...     "Europe/Berlin",
        ...     {"mon-fri": "09:00-17:00"},
        ...     holidays=[sc.calendar.Holiday("2024-03-29", "Good Friday")],
        ... )
        >>> thursday = pendulum.datetime(2024, 3, 28, 15, tz="Europe/Berlin")
        >>> print(cal.explain(thursday, "4h"))
        2024-03-28 15:00 + 4h of business time = 2024-04-01 11:00 (Europe/Berlin)
          counted 2024-03-28 15:00 - 2024-03-28 17:00 (2h)
          closed  2024-03-28 17:00 - 2024-04-01 09:00
                  2024-03-29 holiday 'Good Friday'
                  2024-03-30 Saturday: no business hours
                  2024-03-31 Sunday: no business hours
          counted 2024-04-01 09:00 - 2024-04-01 11:00 (2h)

        Args:
            start: An aware datetime.
            duration: A ``timedelta`` or a duration string.

        Returns:
            The explanation; its ``end`` equals ``add(start, duration)``.

        Raises:
            NaiveDatetimeError: *start* has no time zone.
            DurationError: *duration* is negative or not a duration.
            CalendarError: no open time for ten years after *start*.
        """
        start_s = to_epoch(start, "start")
        seconds = _duration_s(duration, "duration")
        end_s = self.add_s(start_s, seconds)
        table = self._cover(start_s, end_s, "start")
        tz = self._tz
        counted = []
        closures = []
        at = start_s
        k = bisect_right(table.opens, start_s) - 1
        if start_s >= table.closes[k]:
            k += 1
        while at < end_s:
            opened = max(at, table.opens[k])
            if at < opened:
                closures.append(
                    CalendarClosure(
                        start=from_epoch(at, tz),
                        end=from_epoch(opened, tz),
                        reasons=self._reasons(at, opened),
                    )
                )
            if opened >= end_s:
                break
            closed = min(table.closes[k], end_s)
            counted.append(
                BusinessInterval(
                    start=from_epoch(opened, tz), end=from_epoch(closed, tz)
                )
            )
            at = closed
            k += 1
        return CalendarExplanation(
            start=from_epoch(start_s, tz),
            duration=pendulum.duration(seconds=seconds),
            end=from_epoch(end_s, tz),
            counted=tuple(counted),
            closures=tuple(closures),
            time_zone=self._time_zone,
        )

    def _reasons(self, closed_s: int, opened_s: int) -> tuple[str, ...]:
        """Return why the calendar is closed from *closed_s* to *opened_s*."""
        first = datetime.fromtimestamp(closed_s, self._tz).date()
        last = datetime.fromtimestamp(opened_s, self._tz).date()
        reasons = []
        for ordinal in range(first.toordinal(), last.toordinal() + 1):
            day = date.fromordinal(ordinal)
            override = self._overrides_by_day.get(day)
            if override is not None:
                reasons.append(f"{day} {override.describe()}")
                continue
            if not self._hours[day.weekday()]:
                name = _WEEKDAY_NAMES[day.weekday()]
                reasons.append(f"{day} {name}: no business hours")
                continue
            reasons.extend(
                f"{day} {holiday.describe()}"
                for holiday in self._holidays.on(day)
            )
        return tuple(reasons) or ("outside business hours",)


def _timezone(name: object) -> pendulum.Timezone:
    """Return the zone of IANA *name*, refusing what is not a string."""
    if not isinstance(name, str):
        raise UnknownTimeZoneError(
            "time_zone",
            f"expected an IANA time zone name such as 'Europe/Berlin', "
            f"got {name!r}",
        )
    return get_timezone(name, "time_zone")


def _epoch_seconds(value: object, location: str) -> int:
    """Return *value* as whole epoch seconds of the supported range."""
    if type(value) is not int:
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise CalendarError(
                location,
                f"expected whole epoch seconds (an int), got {value!r}",
            )
        value = operator.index(value)
    if not _MIN_S <= value <= _MAX_S:
        raise CalendarError(
            location,
            f"{value} is outside the supported range, 0001-01-01 to "
            "9999-12-31T23:59:59 UTC",
        )
    return value


def _whole_seconds(value: object, location: str) -> int:
    """Return *value* as an int of seconds, refusing floats and bools."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise DurationError(
            location,
            f"expected a whole number of seconds (an int), got {value!r}",
        )
    return operator.index(value)


def _position(table: Table, at_s: int) -> int:
    """Return the business position of epoch *at_s* in *table*."""
    k = bisect_right(table.opens, at_s) - 1
    return int(
        at_s - table.shift[k] if at_s < table.closes[k] else table.cum_end[k]
    )


@functools.cache
def _always(time_zone: str) -> BusinessCalendar:
    return BusinessCalendar(time_zone, {"mon-sun": "00:00-24:00"})
