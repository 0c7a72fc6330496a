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
from datetime import date, datetime, time, timedelta, timezone

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


def _exact_to_epoch(value: datetime, name: str) -> int:
    """Return *value* as floored epoch seconds the exact, slower way."""
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


def _exact_from_epoch(
    seconds: int, tz: pendulum.Timezone
) -> pendulum.DateTime:
    """Return epoch *seconds* as a ``DateTime`` the exact, slower way."""
    d = datetime.fromtimestamp(seconds, tz)
    if d.fold:
        return pendulum.DateTime(
            d.year, d.month, d.day, d.hour, d.minute, d.second, 0, tz, fold=1
        )
    # Positional arguments only: the constructor is twice as fast so.
    return pendulum.DateTime(
        d.year, d.month, d.day, d.hour, d.minute, d.second, 0, tz
    )


# UTC offsets of recently seen local hours, per zone and fold: converting a
# pendulum DateTime through zoneinfo costs several µs (zoneinfo takes its
# slow path for datetime subclasses), a dict lookup a fraction of that. An
# hour is cached only when its first and last second have the offset of
# the moment converted, i.e. when no transition falls inside it.
_ZONES: dict[int, tuple[object, dict[int, int]]] = {}
_OFFSETS_MAX = 1 << 16
_ZONES_MAX = 256
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = 86_400


def to_epoch(value: datetime, name: str = "at") -> int:
    """
    Return the aware datetime *value* as integer epoch seconds (floored).

    The UTC offsets of local hours seen before come from a cache; others
    take the exact path and are cached when no transition falls inside.

    Raises:
        NaiveDatetimeError: *value* has no time zone; *name* is the argument.
    """
    zone = getattr(value, "tzinfo", None)
    entry = _ZONES.get(id(zone))
    if entry is None or entry[0] is not zone:
        if type(zone) not in _ALWAYS_AWARE or not isinstance(value, datetime):
            return _exact_to_epoch(value, name)
        entry = (zone, {})
        if len(_ZONES) >= _ZONES_MAX:  # zones made per call must not leak
            _ZONES.clear()
        _ZONES[id(zone)] = entry
    ordinal = value.toordinal()
    hour = value.hour
    local = (
        (ordinal - _EPOCH_ORDINAL) * _DAY
        + hour * 3600
        + value.minute * 60
        + value.second
    )
    key = ordinal * 50 + hour * 2 + value.fold
    offsets = entry[1]
    offset = offsets.get(key)
    if offset is not None:
        return local - offset
    offset = local - _exact_to_epoch(value, name)
    first = datetime.combine(
        date.fromordinal(ordinal), time(hour, fold=value.fold), zone
    )
    last = first.replace(minute=59, second=59)
    if first.utcoffset() == last.utcoffset() == timedelta(seconds=offset):
        if len(offsets) >= _OFFSETS_MAX:
            offsets.clear()
        offsets[key] = offset
    return local - offset


# The same for results: the local (year, month, day, hour, minute) at the
# start of recently seen quarter hours of UTC in which the offset is
# constant, no wall time repeats (fold 0 throughout) and the local start
# is a whole quarter hour (true of every offset in use since 1980); the
# rest of the moment is then two integer operations away.
_QUARTERS: dict[int, tuple[object, dict[int, tuple[int, ...]]]] = {}
_QUARTER = 900


def from_epoch(
    seconds: int, zone: pendulum.Timezone = UTC
) -> pendulum.DateTime:
    """
    Return epoch *seconds* as a pendulum ``DateTime`` in *zone*.

    Quarter hours of UTC seen before build the result from cached local
    fields; others take the exact path (``datetime.fromtimestamp``).
    """
    entry = _QUARTERS.get(id(zone))
    if entry is None or entry[0] is not zone:
        entry = (zone, {})
        if len(_QUARTERS) >= _ZONES_MAX:
            _QUARTERS.clear()
        _QUARTERS[id(zone)] = entry
    quarter = seconds // _QUARTER
    found = entry[1].get(quarter)
    if found is None:
        _learn_quarter(entry[1], quarter, zone)
        return _exact_from_epoch(seconds, zone)
    year, month, day, hour, minute = found
    more, second = divmod(seconds - quarter * _QUARTER, 60)
    # Positional arguments: the constructor is twice as fast without
    # keywords; fold is 0 in every cached quarter.
    return pendulum.DateTime(
        year, month, day, hour, minute + more, second, 0, zone
    )


def _learn_quarter(
    quarters: dict[int, tuple[int, ...]],
    quarter: int,
    zone: pendulum.Timezone,
) -> None:
    """Cache the local start of UTC quarter hour *quarter*, if it is plain."""
    first = datetime.fromtimestamp(quarter * _QUARTER, zone)
    last = datetime.fromtimestamp(quarter * _QUARTER + _QUARTER - 1, zone)
    if (
        first.utcoffset() == last.utcoffset()
        and not first.fold
        and not last.fold
        and first.minute % 15 == 0
        and first.second == 0
    ):
        if len(quarters) >= _OFFSETS_MAX:
            quarters.clear()
        quarters[quarter] = (
            first.year,
            first.month,
            first.day,
            first.hour,
            first.minute,
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
