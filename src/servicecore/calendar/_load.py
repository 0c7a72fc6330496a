"""Calendars from dicts, TOML and JSON, and back to dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from servicecore.calendar._holidays import Holiday, HolidaySet, Override
from servicecore.calendar._hours import format_span, parse_hours
from servicecore.errors import (
    CalendarError,
    ServiceCoreError,
    TimeError,
    did_you_mean,
)

if TYPE_CHECKING:  # only for annotations; no attrs class resolves these
    from servicecore.calendar._calendar import BusinessCalendar

__all__ = ["calendar_from_dict", "calendar_to_dict"]

_KEYS = ("time_zone", "hours", "holidays", "overrides", "holidays_from")
_HOLIDAY_KEYS = ("date", "name", "closed")
_OVERRIDE_KEYS = ("date", "hours", "name")
_FROM_KEYS = ("country", "subdiv", "years", "name")


def _relocated(err: ServiceCoreError, prefix: str) -> TimeError:
    """Return *err* with its location inside *prefix*."""
    where = f"{prefix}.{err.location}" if err.location else prefix
    cls = type(err) if isinstance(err, TimeError) else CalendarError
    return cls(where, err.problem)


def _mapping(
    value: object, location: str, keys: tuple[str, ...]
) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise CalendarError(
            location, f"expected a table (mapping), got {value!r}"
        )
    for key in value:
        if key not in keys:
            hint = did_you_mean(str(key), keys)
            raise CalendarError(
                f"{location}.{key}",
                f"unknown key {key!r}{hint}; known: {', '.join(keys)}",
            )
    return dict(value)


def _list(value: object, location: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise CalendarError(location, f"expected a list, got {value!r}")
    return list(value)


def _holiday(value: object, location: str) -> Holiday:
    data = _mapping(value, location, _HOLIDAY_KEYS)
    if "date" not in data:
        raise CalendarError(
            location, "a holiday needs a 'date' ('2024-12-25' or '12-25')"
        )
    try:
        return Holiday(
            data["date"],
            data.get("name", ""),
            closed=data.get("closed", ()),
        )
    except CalendarError as err:
        if err.location == "on":
            err = CalendarError("date", err.problem)
        raise _relocated(err, location) from None


def _override(value: object, location: str) -> Override:
    data = _mapping(value, location, _OVERRIDE_KEYS)
    if "date" not in data:
        raise CalendarError(location, "an override needs a 'date'")
    try:
        return Override(
            data["date"], data.get("hours", ()), name=data.get("name", "")
        )
    except CalendarError as err:
        if err.location == "on":
            err = CalendarError("date", err.problem)
        raise _relocated(err, location) from None


def _from_package(value: object, location: str) -> HolidaySet:
    data = _mapping(value, location, _FROM_KEYS)
    country = data.get("country")
    if not isinstance(country, str):
        raise CalendarError(
            f"{location}.country", "expected a country code such as 'DE'"
        )
    years = data.get("years")
    if not isinstance(years, list) or not all(
        isinstance(year, int) and not isinstance(year, bool) for year in years
    ):
        raise CalendarError(
            f"{location}.years", "expected a list of years, e.g. [2024, 2025]"
        )
    subdiv = data.get("subdiv")
    if subdiv is not None and not isinstance(subdiv, str):
        raise CalendarError(f"{location}.subdiv", "expected a string")
    try:
        return HolidaySet.from_package(
            country, years=years, subdiv=subdiv, name=data.get("name", "")
        )
    except CalendarError as err:
        where = f"{location}.years" if err.location == "years" else location
        raise CalendarError(where, err.problem) from None


def calendar_from_dict(
    cls: type[BusinessCalendar], data: object, location: str
) -> BusinessCalendar:
    """Build a calendar from a plain mapping; see ``from_dict``."""
    doc = _mapping(data, location, _KEYS)
    zone = doc.get("time_zone", "UTC")
    hours = doc.get("hours")
    if hours is None:
        raise CalendarError(
            location,
            "a calendar needs 'hours', e.g. {'mon-fri': '09:00-17:00'}",
        )
    weekly = parse_hours(hours, f"{location}.hours")
    holidays = [
        _holiday(item, f"{location}.holidays[{i}]")
        for i, item in enumerate(
            _list(doc.get("holidays", []), f"{location}.holidays")
        )
    ]
    overrides = [
        _override(item, f"{location}.overrides[{i}]")
        for i, item in enumerate(
            _list(doc.get("overrides", []), f"{location}.overrides")
        )
    ]
    holiday_set = HolidaySet(holidays)
    if "holidays_from" in doc:
        holiday_set |= _from_package(
            doc["holidays_from"], f"{location}.holidays_from"
        )
    try:
        return cls._from_parts(
            zone if isinstance(zone, str) else repr(zone),
            weekly,
            holiday_set,
            tuple(overrides),
        )
    except TimeError as err:
        raise _relocated(err, location) from None


def calendar_to_dict(calendar: BusinessCalendar) -> dict[str, Any]:
    """Return the plain-data form of *calendar*; see ``to_dict``."""
    data: dict[str, Any] = {
        "time_zone": calendar.time_zone,
        "hours": {
            name: list(spans)
            for name, spans in calendar.hours.items()
            if spans
        },
    }
    holidays = []
    for holiday in calendar.holidays:
        on = holiday.on
        item: dict[str, Any] = {
            "date": on.isoformat()
            if not isinstance(on, tuple)
            else f"{on[0]:02d}-{on[1]:02d}"
        }
        if holiday.name:
            item["name"] = holiday.name
        if holiday.closed:
            item["closed"] = [format_span(span) for span in holiday.closed]
        holidays.append(item)
    if holidays:
        data["holidays"] = holidays
    overrides = []
    for override in calendar.overrides:
        entry: dict[str, Any] = {
            "date": override.on.isoformat(),
            "hours": [format_span(span) for span in override.hours],
        }
        if override.name:
            entry["name"] = override.name
        overrides.append(entry)
    if overrides:
        data["overrides"] = overrides
    return data
