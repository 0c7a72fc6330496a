"""
Time helpers: aware moments in, integer epoch seconds inside.

Public entry points pass every datetime through :func:`to_epoch`, which
refuses naive ones; inside, a moment is an ``int`` of seconds since the
epoch. Results become pendulum ``DateTime`` objects only when a user reads
them, through :func:`from_epoch`, which avoids pendulum's factory functions
(about 20 µs each here) for the ``DateTime`` constructor (about 2 µs).

Sub-second parts are dropped (floored): SLA arithmetic is exact to the
second, and a deadline at 10:00:00.4 is the deadline at 10:00:00.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import datetime, timedelta, timezone

import pendulum

from servicecore.errors import (
    DurationError,
    NaiveDatetimeError,
    UnknownTimeZoneError,
    did_you_mean,
)

__all__ = ["format_duration", "parse_duration"]

UTC = pendulum.UTC
_ALWAYS_AWARE = frozenset(
    {
        zoneinfo.ZoneInfo,
        timezone,
        pendulum.Timezone,
        pendulum.FixedTimezone,
    }
)


def to_epoch(value: datetime, name: str = "at") -> int:
    """
    Return the aware datetime *value* as integer epoch seconds (floored).

    Raises:
        NaiveDatetimeError: *value* has no time zone; *name* is the argument.
    """
    if not isinstance(value, datetime):
        raise NaiveDatetimeError(
            name, f"expected an aware datetime, got {type(value).__name__}"
        )
    tz = value.tzinfo
    # The zone types below always give an offset; asking any other tzinfo
    # costs a Python call per moment, which hot paths cannot afford.
    if tz is None or (
        type(tz) not in _ALWAYS_AWARE and value.utcoffset() is None
    ):
        raise NaiveDatetimeError(
            name,
            f"naive datetime {value.isoformat()!r}; give it a time zone, "
            "e.g. pendulum.datetime(..., tz='UTC')",
        )
    # The stdlib's C timestamp() (not pendulum's subtraction) is the fast
    # path; it is exact for whole seconds, and removing the microseconds
    # before rounding keeps the floor exact for the others.
    stamp = datetime.timestamp(value)
    if value.microsecond:
        return round(stamp - value.microsecond / 1_000_000)
    return int(stamp)


def from_epoch(seconds: int, tz: pendulum.Timezone = UTC) -> pendulum.DateTime:
    """Return epoch *seconds* as a pendulum ``DateTime`` in zone *tz*."""
    d = datetime.fromtimestamp(seconds, tz)
    if d.fold:
        return pendulum.DateTime(
            d.year, d.month, d.day, d.hour, d.minute, d.second, 0, tz, fold=1
        )
    # Positional arguments only: the constructor is twice as fast so.
    return pendulum.DateTime(
        d.year, d.month, d.day, d.hour, d.minute, d.second, 0, tz
    )


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def get_timezone(name: str, location: str = "time_zone") -> pendulum.Timezone:
    """
    Return the pendulum time zone of IANA *name*.

    Raises:
        UnknownTimeZoneError: *name* is not in the IANA database.
    """
    if not isinstance(name, str) or name not in _zone_names() | {"UTC"}:
        hint = did_you_mean(str(name), _zone_names())
        raise UnknownTimeZoneError(
            location, f"unknown time zone {name!r}{hint}"
        )
    return pendulum.timezone(name)


_UNITS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_UNIT_WORDS = {
    "w": "w",
    "wk": "w",
    "wks": "w",
    "week": "w",
    "weeks": "w",
    "d": "d",
    "day": "d",
    "days": "d",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "m": "m",
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
}
_SHORT = re.compile(r"(\d+)([wdhms])")
_SHORT_FULL = re.compile(r"(?:\d+[wdhms])(?: ?\d+[wdhms])*")
_LOOSE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)")
_ISO = re.compile(
    r"P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?"
)


def _suggest(text: str) -> str:
    """Rewrite a loose duration such as ``"4 hrs"`` in our syntax, or ``""``."""
    total = 0.0
    for number, word in _LOOSE.findall(text):
        unit = _UNIT_WORDS.get(word.lower())
        if unit is None:
            return ""
        total += float(number) * _UNITS[unit]
    leftover = _LOOSE.sub("", text).strip(" ,")
    if total <= 0 or leftover or total != int(total):
        return ""
    return f"; did you mean {format_duration(int(total))!r}?"


def parse_duration(
    text: str | timedelta, location: str = "duration"
) -> pendulum.Duration:
    """
    Read a duration as users write it.

    Two syntaxes: ours, numbers with units ``w`` (7 days), ``d`` (24 hours,
    never a business day), ``h``, ``m`` and ``s``, largest first, each at
    most once, optionally separated by spaces (``"4h"``, ``"1d 4h 30m"``);
    and ISO 8601 durations of weeks, days, hours, minutes and seconds
    (``"PT30M"``, ``"P1DT4H"``). Years and months have no fixed length and
    are refused. A ``timedelta`` of whole seconds is accepted as it is.

    >>> import servicecore as sc
    >>> sc.parse_duration("1d 4h 30m")
    Duration(days=1, hours=4, minutes=30)
    >>> sc.parse_duration("PT30M").in_seconds()
    1800
    >>> sc.parse_duration("4 hrs")
    Traceback (most recent call last):
    ...
    servicecore.errors.DurationError: duration: unknown duration '4 hrs'; did you mean '4h'?

    Args:
        text: The duration string, or a ``timedelta``.
        location: Where the string came from, for the error message.

    Returns:
        The duration, exact to the second.

    Raises:
        DurationError: *text* is not a duration in either syntax, is
            negative, or is not a whole number of seconds.
    """
    if isinstance(text, timedelta):
        seconds = _timedelta_seconds(text)
        if text.microseconds or seconds < 0:
            raise DurationError(
                location,
                f"duration {text!r} must be a whole, non-negative "
                "number of seconds",
            )
        return pendulum.duration(seconds=seconds)
    if not isinstance(text, str):
        raise DurationError(
            location,
            f"expected a duration string such as '4h', got {text!r}",
        )
    stripped = text.strip()
    if _SHORT_FULL.fullmatch(stripped):
        parts = _SHORT.findall(stripped)
        units = [unit for _, unit in parts]
        ordered = sorted(units, key=lambda u: -_UNITS[u])
        if units == ordered and len(set(units)) == len(units):
            return pendulum.duration(
                seconds=sum(int(n) * _UNITS[u] for n, u in parts)
            )
        problem = (
            f"unknown duration {text!r}: give each unit once, largest first"
        )
        raise DurationError(location, problem)
    iso = _ISO.fullmatch(stripped.upper())
    if iso and stripped.upper() != "P" and any(iso.groups()):
        return pendulum.duration(
            seconds=sum(
                int(value) * _UNITS[unit.lower()]
                for unit, value in iso.groupdict().items()
                if value is not None
            )
        )
    problem = f"unknown duration {text!r}{_suggest(stripped)}"
    if not problem.endswith("?"):
        problem += "; write it like '30m', '4h', '1d 4h 30m' or 'PT30M'"
    raise DurationError(location, problem)


def _timedelta_seconds(value: timedelta) -> int:
    """Return the whole seconds of *value*, floored (pendulum-safe)."""
    # pendulum's Duration redefines days and seconds; the stdlib
    # descriptors read the normalised timedelta fields.
    days: int = timedelta.days.__get__(value)
    seconds: int = timedelta.seconds.__get__(value)
    return days * 86_400 + seconds


def duration_seconds(
    value: str | timedelta, location: str = "duration"
) -> int:
    """Return :func:`parse_duration` of *value* as an ``int`` of seconds."""
    return parse_duration(value, location).in_seconds()


def format_duration(value: int | timedelta) -> str:
    """
    Write a duration in the syntax :func:`parse_duration` reads.

    >>> import servicecore as sc
    >>> sc.format_duration(sc.parse_duration("PT90M"))
    '1h 30m'
    >>> sc.format_duration(0), sc.format_duration(-3600)
    ('0s', '-1h')

    Args:
        value: Seconds, or a ``timedelta`` (sub-second parts are dropped).

    Returns:
        Days, hours, minutes and seconds, largest first; ``"0s"`` for zero.
    """
    seconds = (
        _timedelta_seconds(value)
        if isinstance(value, timedelta)
        else int(value)
    )
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    parts = []
    for unit in "dhms":
        count, seconds = divmod(seconds, _UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return sign + (" ".join(parts) or "0s")
