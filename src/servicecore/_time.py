"""
Time helpers: aware moments in, integer epoch seconds inside.

Public entry points pass every datetime through :func:`to_epoch`, which
refuses naive ones; inside, a moment is an ``int`` of seconds since the
epoch. Results become pendulum ``DateTime`` objects only when a user reads
them, through :func:`from_epoch`, which avoids pendulum's factory functions
(about 20 µs each here) for the ``DateTime`` constructor (about 2 µs).

Sub-second parts are dropped (floored): SLA arithmetic is exact to the
second, and a deadline at 10:00:00.4 is the deadline at 10:00:00.

Supported moments are those of ``datetime`` in UTC, from
0001-01-01T00:00:00Z (:data:`MIN_EPOCH_S`) to 9999-12-31T23:59:59Z
(:data:`MAX_EPOCH_S`); a moment outside them is a :class:`TimeError`, and
so is a duration longer than the span between them.
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
    TimeError,
    UnknownTimeZoneError,
    did_you_mean,
)

__all__ = ["format_duration", "parse_duration"]

UTC = pendulum.UTC

#: The earliest supported moment, 0001-01-01T00:00:00Z, in epoch seconds.
MIN_EPOCH_S = -62_135_596_800
#: The latest supported moment, 9999-12-31T23:59:59Z, in epoch seconds.
MAX_EPOCH_S = 253_402_300_799
_RANGE = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
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
    seconds = (
        round(stamp - value.microsecond / 1_000_000)
        if value.microsecond
        else int(stamp)
    )
    if not MIN_EPOCH_S <= seconds <= MAX_EPOCH_S:
        raise TimeError(
            name,
            f"{value.isoformat()} is outside the supported moments, {_RANGE}",
        )
    return seconds


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
    start = local - value.minute * 60 - value.second - offset
    if (
        first.utcoffset() == last.utcoffset() == timedelta(seconds=offset)
        # Every second of a cached hour is a supported moment.
        and start >= MIN_EPOCH_S
        and start + 3599 <= MAX_EPOCH_S
    ):
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

    Raises:
        TimeError: *seconds* is not a supported moment, or its local time
            in *zone* is outside the years 1-9999.
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
        if not MIN_EPOCH_S <= seconds <= MAX_EPOCH_S:
            raise TimeError(
                "moment",
                f"epoch seconds {seconds} are outside the supported "
                f"moments, {_RANGE}",
            )
        _learn_quarter(entry[1], quarter, zone)
        try:
            return _exact_from_epoch(seconds, zone)
        except (OverflowError, ValueError, OSError):
            raise TimeError(
                "moment",
                f"epoch seconds {seconds} cannot be shown in {zone.name}: "
                "the local time is outside the years 1-9999",
            ) from None
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
    try:
        first = datetime.fromtimestamp(quarter * _QUARTER, zone)
        last = datetime.fromtimestamp(quarter * _QUARTER + _QUARTER - 1, zone)
    except (OverflowError, ValueError, OSError):
        return  # local time at the end of the years 1-9999: not cached
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


def get_timezone(name: str, location: str = "time_zone") -> pendulum.Timezone:
    """
    Return the pendulum time zone of IANA *name*.

    Raises:
        UnknownTimeZoneError: *name* is not in the IANA database (or is
            not a string at all).
    """
    # Checked before the cache: an unhashable value must get our error.
    if not isinstance(name, str):
        raise UnknownTimeZoneError(
            location,
            f"expected the name of a time zone (text), got {type(name).__name__}",
        )
    return _timezone(name, location)


@functools.cache
def _timezone(name: str, location: str) -> pendulum.Timezone:
    """Return the time zone *name*, once per name (see get_timezone)."""
    if name not in _zone_names() | {"UTC"}:
        text = str(name)
        if len(text) > _LONGEST_ZONE_NAME:  # no IANA name is this long
            shown, hint = f"{text[:_LONGEST_ZONE_NAME]!r}...", ""
        else:
            shown, hint = repr(name), did_you_mean(text, _zone_names())
        raise UnknownTimeZoneError(
            location, f"unknown time zone {shown}{hint}"
        )
    return pendulum.timezone(name)


_LONGEST_ZONE_NAME = 64


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
# ASCII only: \d would also match "\u0663" and "\uff11".
_SHORT = re.compile(r"([0-9]+)([wdhms])")
_SHORT_FULL = re.compile(r"(?:[0-9]+[wdhms])(?: ?[0-9]+[wdhms])*")
_LOOSE = re.compile(r"([0-9]+(?:\.[0-9]+)?) *([a-zA-Z]+)")
_ISO = re.compile(
    r"P(?:(?P<w>[0-9]+)W)?(?:(?P<d>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<h>[0-9]+)H)?(?:(?P<m>[0-9]+)M)?(?:(?P<s>[0-9]+)S)?)?"
)

#: The longest duration string read; the longest sensible one,
#: ``"52w 6d 23h 59m 59s"``, has 18 characters.
MAX_DURATION_CHARS = 64
#: The longest duration, in seconds: the span of the supported moments.
MAX_DURATION_S = MAX_EPOCH_S - MIN_EPOCH_S


def _suggest(text: str) -> str:
    """Rewrite a loose duration such as ``"4 hrs"`` in our syntax, or ``""``."""
    total = 0.0
    for number, word in _LOOSE.findall(text):
        unit = _UNIT_WORDS.get(word.lower())
        if unit is None:
            return ""
        total += float(number) * _UNITS[unit]
    leftover = _LOOSE.sub("", text).strip(" ,")
    if total <= 0 or total > MAX_DURATION_S or leftover or total != int(total):
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
        DurationError: *text* is not a duration in either syntax (which
            are ASCII, at most :data:`MAX_DURATION_CHARS` characters), is
            negative, is not a whole number of seconds, or is longer than
            the span of supported moments (:data:`MAX_DURATION_S`).
    """
    if isinstance(text, timedelta):
        seconds = _timedelta_seconds(text)
        if text.microseconds or seconds < 0:
            raise DurationError(
                location,
                f"duration {text!r} must be a whole, non-negative "
                "number of seconds",
            )
        return _duration(seconds, repr(text), location)
    if not isinstance(text, str):
        raise DurationError(
            location,
            f"expected a duration string such as '4h', got {text!r}",
        )
    if len(text) > MAX_DURATION_CHARS:
        raise DurationError(
            location,
            f"a duration of {len(text):,} characters is too long (at most "
            f"{MAX_DURATION_CHARS}); {_EXAMPLES}",
        )
    if not text.isascii():
        raise DurationError(
            location,
            f"unknown duration {text!r}: durations are ASCII, digits 0-9 "
            f"and units; {_EXAMPLES}",
        )
    stripped = text.strip()
    if _SHORT_FULL.fullmatch(stripped):
        parts = _SHORT.findall(stripped)
        units = [unit for _, unit in parts]
        ordered = sorted(units, key=lambda u: -_UNITS[u])
        if units == ordered and len(set(units)) == len(units):
            seconds = sum(int(n) * _UNITS[u] for n, u in parts)
            return _duration(seconds, repr(text), location)
        problem = (
            f"unknown duration {text!r}: give each unit once, largest first"
        )
        raise DurationError(location, problem)
    iso = _ISO.fullmatch(stripped.upper())
    if iso and stripped.upper() != "P" and any(iso.groups()):
        seconds = sum(
            int(value) * _UNITS[unit.lower()]
            for unit, value in iso.groupdict().items()
            if value is not None
        )
        return _duration(seconds, repr(text), location)
    problem = f"unknown duration {text!r}{_suggest(stripped)}"
    if not problem.endswith("?"):
        problem += f"; {_EXAMPLES}"
    raise DurationError(location, problem)


_EXAMPLES = "write it like '30m', '4h', '1d 4h 30m' or 'PT30M'"


def _duration(seconds: int, shown: str, location: str) -> pendulum.Duration:
    """Return *seconds* as a duration, refusing more than can ever pass."""
    if seconds > MAX_DURATION_S:
        raise DurationError(
            location,
            f"duration {shown} is longer than the span of supported moments "
            f"({_RANGE}); the longest is "
            f"{format_duration(MAX_DURATION_S)!r}",
        )
    return pendulum.duration(seconds=seconds)


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
