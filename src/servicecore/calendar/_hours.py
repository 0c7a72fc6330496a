"""
Weekly hours: wall-clock intervals per weekday, parsed and validated.

An interval is a pair ``(start_s, end_s)`` of seconds after the local
midnight of the day it belongs to: ``0 <= start_s < 86_400`` and
``start_s < end_s <= start_s + 86_400``. An overnight shift
``22:00-06:00`` is ``(79_200, 108_000)``: it belongs to the day it starts.
A whole day ``00:00-24:00`` is ``(0, 86_400)``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from datetime import time

from servicecore.errors import CalendarError, did_you_mean

__all__ = [
    "DAY_NAMES",
    "Span",
    "format_span",
    "parse_hours",
    "parse_spans",
]

Span = tuple[int, int]
"""Seconds after local midnight: ``(start_s, end_s)``."""

DAY = 86_400
_MINUTE = 60
_MINUTE = 60
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_NAMES = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WEEKDAYS = {name: i for i, name in enumerate(DAY_NAMES)} | {
    name: i for i, name in enumerate(_LONG_NAMES)
}
# ASCII digits only: int() would read Arabic-Indic or full-width ones.
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?", re.ASCII)


def _clock(text: str, location: str, *, end: bool) -> int:
    """Return the seconds after midnight of ``"HH:MM[:SS]"``."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise CalendarError(
            location, f"unknown time {text!r}; write it like '09:30'"
        )
    hour, minute, second = (int(g or 0) for g in match.groups())
    seconds = hour * 3600 + minute * 60 + second
    if (
        minute >= _MINUTE
        or second >= _MINUTE
        or seconds > DAY
        or (seconds == DAY and not end)
    ):
        upper = "24:00" if end else "23:59"
        raise CalendarError(
            location, f"time {text!r} is out of range 00:00-{upper}"
        )
    return seconds


def _time_seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def format_clock(seconds: int) -> str:
    """Return ``"HH:MM"`` (or ``"HH:MM:SS"``) of seconds after midnight."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}"
    return f"{text}:{secs:02d}" if secs else text


def format_span(span: Span) -> str:
    """Return ``"HH:MM-HH:MM"`` of *span*; an overnight end wraps round."""
    start, end = span
    shown = end - DAY if end > DAY else end
    return f"{format_clock(start)}-{format_clock(shown)}"


def parse_span(value: object, location: str) -> Span:
    """
    Return the span of ``"HH:MM-HH:MM"`` or a pair of times or strings.

    An end before the start is an overnight shift, ending the next day.

    Raises:
        CalendarError: not an interval, a time out of range, or an end
            equal to its start.
    """
    if (
        isinstance(value, tuple)
        and len(value) == 2  # noqa: PLR2004 - start and end
        and all(type(v) is int for v in value)
    ):
        start, end = value
        if 0 <= start < DAY and start < end <= start + DAY:
            return (start, end)
        raise CalendarError(
            location, f"{value!r} is no span of seconds after midnight"
        )
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) != 2:  # noqa: PLR2004 - start and end
            raise CalendarError(
                location,
                f"unknown interval {value!r}; write it like '09:00-17:00'",
            )
        first: object
        second: object
        first, second = parts
    elif isinstance(value, tuple | list) and len(value) == 2:  # noqa: PLR2004
        first, second = value
    else:
        raise CalendarError(
            location,
            f"expected an interval such as '09:00-17:00', got {value!r}",
        )
    start = _endpoint(first, location, end=False)
    end = _endpoint(second, location, end=True)
    if end == start:
        raise CalendarError(
            location,
            f"interval {value!r}: end is not after start; use "
            "'00:00-24:00' for a whole day",
        )
    if end < start:
        end += DAY
    return (start, end)


def _endpoint(value: object, location: str, *, end: bool) -> int:
    if isinstance(value, time):
        return _time_seconds(value)
    if isinstance(value, str):
        return _clock(value, location, end=end)
    raise CalendarError(
        location, f"expected a time such as '09:00', got {value!r}"
    )


def parse_spans(value: object, location: str) -> tuple[Span, ...]:
    """
    Return the sorted spans of one day: a string or a list of intervals.

    Raises:
        CalendarError: a bad interval, or two that overlap.
    """
    items: Iterable[object]
    if isinstance(value, str):
        items = [value] if value.strip() else []
    elif isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = list(value)
        if len(items) == 2 and all(  # noqa: PLR2004 - a single pair
            isinstance(v, time) for v in items
        ):
            items = [tuple(items)]
    else:
        raise CalendarError(
            location,
            f"expected a list of intervals such as ['09:00-17:00'], "
            f"got {value!r}",
        )
    spans = [
        (parse_span(item, f"{location}[{i}]"), i)
        for i, item in enumerate(items)
    ]
    spans.sort()
    for (before, i), (after, j) in itertools.pairwise(spans):
        if after[0] < before[1]:
            # Report the item given later, naming the one given first.
            (late, k), (early, m) = sorted(
                [(before, i), (after, j)], key=lambda item: -item[1]
            )
            raise CalendarError(
                f"{location}[{k}]",
                f"interval {format_span(late)} overlaps "
                f"{format_span(early)} ({location}[{m}])",
            )
    return tuple(span for span, _ in spans)


def weekday_index(key: object, location: str) -> int:
    """
    Return 0 (Monday) to 6 (Sunday) of a weekday name or number.

    Raises:
        CalendarError: not a weekday; the closest name is suggested.
    """
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < 7:  # noqa: PLR2004
        return key
    name = key.strip().lower() if isinstance(key, str) else key
    if isinstance(name, str) and name in _WEEKDAYS:
        return _WEEKDAYS[name]
    hint = did_you_mean(str(name), list(_WEEKDAYS)) if name else ""
    raise CalendarError(
        location,
        f"unknown weekday {key!r}{hint}; use mon, tue, wed, thu, fri, "
        "sat, sun (or a range such as 'mon-fri')",
    )


def _weekdays_of(key: object, location: str) -> list[int]:
    """Return the weekdays of a key: ``"mon"``, ``"mon-fri"``, ``0``."""
    if isinstance(key, str) and "-" in key:
        first, _, last = key.partition("-")
        start = weekday_index(first, location)
        stop = weekday_index(last, location)
        return [(start + i) % 7 for i in range((stop - start) % 7 + 1)]
    return [weekday_index(key, location)]


def parse_hours(
    value: object, location: str = "hours"
) -> tuple[tuple[Span, ...], ...]:
    """
    Return the spans of each weekday, Monday first, of a weekly schedule.

    *value* maps weekday names (``"mon"``, ``"monday"``), ranges
    (``"mon-fri"``) or numbers (0 is Monday) to intervals; missing days
    are closed.

    Raises:
        CalendarError: an unknown weekday, a day given twice, a bad or
            overlapping interval, or an overnight shift running into the
            next day's first interval.
    """
    if not isinstance(value, Mapping):
        raise CalendarError(
            location,
            "expected a mapping of weekdays to intervals, such as "
            f"{{'mon-fri': ['09:00-17:00']}}, got {value!r}",
        )
    days: list[tuple[Span, ...]] = [()] * 7
    where: dict[int, str] = {}
    for key, spans in value.items():
        at = f"{location}.{key}"
        for day in _weekdays_of(key, at):
            if day in where:
                raise CalendarError(
                    at,
                    f"{DAY_NAMES[day]} is already given by {where[day]}",
                )
            where[day] = at
            days[day] = parse_spans(spans, at)
    for day, spans in enumerate(days):
        if not spans or spans[-1][1] <= DAY:
            continue
        spill = spans[-1][1] - DAY
        following = days[(day + 1) % 7]
        if following and following[0][0] < spill:
            raise CalendarError(
                where[day],
                f"overnight interval {format_span(spans[-1])} overlaps "
                f"{format_span(following[0])} of "
                f"{DAY_NAMES[(day + 1) % 7]}",
            )
    return tuple(days)
