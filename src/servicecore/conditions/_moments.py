"""
Dates and moments in conditions: ISO 8601 text, dates and aware datetimes.

A policy writes a date as ``"2024-06-01"`` and a moment as
``"2024-06-01T09:00:00+02:00"`` (or ``Z``; TOML's own dates and offset
date-times work too); inside, both are integer epoch seconds. A date stands
for the start of its day in UTC, so a condition means the same whichever
calendar evaluates it. A date-time without an offset is refused: time is
never naive. Digits are ASCII.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Final

from servicecore.errors import InvalidValueError

__all__ = ["coerce_moment", "is_moment_like", "moment_seconds"]

# The range of datetime, in UTC (the library's supported range).
MIN_S: Final = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_S: Final = 253_402_300_799  # 9999-12-31T23:59:59Z

_EPOCH: Final = date(1970, 1, 1).toordinal()
_DAY: Final = 86_400
_SECOND: Final = timedelta(seconds=1)
# Fixed-width parts only: the pattern cannot backtrack, and the length
# check before it keeps a long custom field from costing a scan.
_ISO: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?)?"
)
_LONGEST: Final = len("2024-06-01T09:00:00.123456789+02:00")


def _text_seconds(match: re.Match[str]) -> int | None:
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        ordinal = date(int(year), int(month), int(day)).toordinal()
        clock = (
            time()
            if hour is None
            else time(int(hour), int(minute), int(second or 0))
        )
        offset = 0
        if zone is not None and zone.upper() != "Z":
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 23 or minutes > 59:  # noqa: PLR2004
                return None
            offset = (hours * 3600 + minutes * 60) * (
                -1 if zone[0] == "-" else 1
            )
    except ValueError:
        return None
    return (
        (ordinal - _EPOCH) * _DAY
        + clock.hour * 3600
        + clock.minute * 60
        + clock.second
        - offset
    )


def moment_seconds(value: object) -> int | None:
    """
    Return *value* as epoch seconds, or ``None`` if it is no moment.

    Moments are aware datetimes, dates (the start of their day in UTC) and
    ISO 8601 text of either; naive datetimes and naive text are not.
    """
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            return None
        return (
            (value.toordinal() - _EPOCH) * _DAY
            + value.hour * 3600
            + value.minute * 60
            + value.second
            - offset // _SECOND
        )
    if isinstance(value, date):
        return (value.toordinal() - _EPOCH) * _DAY
    if not isinstance(value, str) or len(value) > _LONGEST:
        return None
    match = _ISO.fullmatch(value)
    if match is None or (match[4] is not None and match[7] is None):
        return None
    return _text_seconds(match)


def is_moment_like(value: object) -> bool:
    """Return whether a policy value is written as a date or moment."""
    if isinstance(value, date):
        return True
    return (
        isinstance(value, str)
        and len(value) <= _LONGEST
        and _ISO.fullmatch(value) is not None
    )


def coerce_moment(value: object, location: str) -> int:
    """
    Return the policy value *value* as epoch seconds.

    Raises:
        InvalidValueError: *value* is no date or moment, is naive, or lies
            outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
    """
    naive = (isinstance(value, datetime) and value.utcoffset() is None) or (
        isinstance(value, str)
        and (match := _ISO.fullmatch(value)) is not None
        and match[4] is not None
        and match[7] is None
    )
    if naive:
        raise InvalidValueError(
            location,
            f"{str(value)!r} has no time zone; time is never naive: add "
            "'Z' or an offset such as '+02:00'",
        )
    seconds = moment_seconds(value)
    if seconds is None:
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise InvalidValueError(
            location,
            f"{shown} is not a date or moment; write an ISO 8601 date such "
            "as '2024-06-01' or a moment such as '2024-06-01T09:00:00+02:00'",
        )
    if not MIN_S <= seconds <= MAX_S:
        raise InvalidValueError(
            location,
            f"{str(value)!r} is outside the supported range "
            "0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z",
        )
    return seconds
