"""Holidays (one-off, annual, partial), shareable holiday sets, overrides."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime

import attrs

from servicecore.calendar._hours import Span, format_span, parse_spans
from servicecore.errors import CalendarError

__all__ = ["Holiday", "HolidaySet", "Override"]

_ANNUAL = re.compile(r"(?:--)?([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
_LEAP_YEAR = 2000


def _to_date(value: object, location: str = "on") -> date:
    """Return the date of a ``date`` or an ISO ``"YYYY-MM-DD"`` string."""
    if isinstance(value, datetime):
        raise CalendarError(
            location, f"expected a date, got the datetime {value!r}"
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(
        location, f"unknown date {value!r}; write it like '2024-12-24'"
    )


def _to_day(value: object) -> date | tuple[int, int]:
    """Return a date, or ``(month, day)`` of an annual ``"MM-DD"``."""
    if isinstance(value, tuple) and len(value) == 2:  # noqa: PLR2004
        month, day = value
        return _month_day(month, day, value)
    if isinstance(value, str):
        match = _ANNUAL.fullmatch(value.strip())
        if match:
            return _month_day(int(match[1]), int(match[2]), value)
    return _to_date(value)


def _month_day(month: object, day: object, shown: object) -> tuple[int, int]:
    try:
        # A leap year admits 29 February, which then recurs in leap years.
        date(_LEAP_YEAR, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CalendarError(
            "on", f"unknown month and day {shown!r}; write it like '12-25'"
        ) from None
    return (month, day)  # type: ignore[return-value]


def _to_closed(value: object) -> tuple[Span, ...]:
    return parse_spans(value, "closed")


def _to_hours(value: object) -> tuple[Span, ...]:
    return parse_spans(value, "hours")


def _spans_repr(spans: tuple[Span, ...]) -> str:
    return repr(tuple(format_span(span) for span in spans))


def _to_name(value: object) -> str:
    if not isinstance(value, str):
        raise CalendarError("name", f"expected a string, got {value!r}")
    return value


@attrs.frozen
class Holiday:
    """
    A day closed for business: once, every year, or for part of the day.

    *on* is a ``date`` or ``"YYYY-MM-DD"`` for a one-off holiday, or
    ``"MM-DD"`` (also ``"--MM-DD"``) for one that recurs every year
    (``"02-29"`` recurs in leap years). *closed* lists the closed intervals
    of a partial holiday; empty (the default) closes the whole day. A
    holiday closes the business intervals that *belong* to its date: an
    overnight shift that starts the evening before is not cut.

    >>> sc.calendar.Holiday("12-25", "Christmas Day").annual
    True
    >>> sc.calendar.Holiday("2024-12-31", "New Year's Eve", closed=["12:00-24:00"])
    Holiday(on=datetime.date(2024, 12, 31), name="New Year's Eve", closed=('12:00-24:00',))

    Args:
        on: The date, or ``"MM-DD"`` for every year.
        name: Shown in explanations (``explain``).
        closed: Closed intervals of a partial holiday.

    Raises:
        CalendarError: a bad date or interval; ``location`` names the field.
    """

    on: date | tuple[int, int] = attrs.field(converter=_to_day)
    name: str = attrs.field(default="", converter=_to_name)
    closed: tuple[Span, ...] = attrs.field(
        default=(), converter=_to_closed, repr=_spans_repr
    )

    @property
    def annual(self) -> bool:
        """
        Return whether the holiday recurs every year.

        >>> sc.calendar.Holiday("2024-05-01").annual
        False

        Returns:
            True for a ``"MM-DD"`` holiday.
        """
        return not isinstance(self.on, date)

    def applies_to(self, day: date) -> bool:
        """
        Return whether the holiday falls on *day*.

        >>> from datetime import date
        >>> sc.calendar.Holiday("02-29").applies_to(date(2028, 2, 29))
        True

        Args:
            day: A local date.

        Returns:
            True when the holiday is on *day*.
        """
        if isinstance(self.on, date):
            return self.on == day
        return self.on == (day.month, day.day)

    def describe(self) -> str:
        """
        Return the holiday as explanations show it.

        >>> sc.calendar.Holiday("12-25", "Christmas Day").describe()
        "holiday 'Christmas Day'"
        >>> sc.calendar.Holiday("2024-12-31", closed=["12:00-24:00"]).describe()
        'holiday (closed 12:00-24:00)'

        Returns:
            ``holiday 'name'``, with the closed hours of a partial one.
        """
        text = f"holiday {self.name!r}" if self.name else "holiday"
        if self.closed:
            hours = ", ".join(format_span(span) for span in self.closed)
            text += f" (closed {hours})"
        return text


def _to_holidays(values: Iterable[Holiday | object]) -> tuple[Holiday, ...]:
    if isinstance(values, HolidaySet):
        return values.holidays
    if isinstance(values, Mapping):
        # {date: name}, as the `holidays` package returns them.
        return tuple(Holiday(day, str(name)) for day, name in values.items())
    result = []
    for i, value in enumerate(values):
        if not isinstance(value, Holiday):
            raise CalendarError(
                f"holidays[{i}]", f"expected a Holiday, got {value!r}"
            )
        result.append(value)
    return tuple(result)


@attrs.frozen
class HolidaySet:
    """
    A named set of holidays that several calendars can share.

    >>> from datetime import date
    >>> germany = sc.calendar.HolidaySet(
    ...     [sc.calendar.Holiday("12-25", "Christmas Day"), sc.calendar.Holiday("12-26")],
    ...     name="DE",
    ... )
    >>> [h.name for h in germany.on(date(2030, 12, 25))]
    ['Christmas Day']
    >>> len(germany | sc.calendar.HolidaySet([sc.calendar.Holiday("2024-10-03")]))
    3

    Args:
        holidays: ``Holiday`` objects, or a mapping of dates to names.
        name: A label for the set.

    Raises:
        CalendarError: an item is not a ``Holiday``.
    """

    holidays: tuple[Holiday, ...] = attrs.field(
        default=(), converter=_to_holidays
    )
    name: str = attrs.field(default="", converter=_to_name)
    _index: Mapping[object, tuple[Holiday, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        index: dict[object, list[Holiday]] = {}
        for holiday in self.holidays:
            index.setdefault(holiday.on, []).append(holiday)
        # A plain dict (it pickles), never handed out.
        frozen = {key: tuple(value) for key, value in index.items()}
        object.__setattr__(self, "_index", frozen)

    def on(self, day: date) -> tuple[Holiday, ...]:
        """
        Return the holidays that fall on *day*, one-off ones first.

        >>> sc.calendar.HolidaySet([sc.calendar.Holiday("01-01")]).on(date(2031, 1, 1))
        (Holiday(on=(1, 1), name='', closed=()),)

        Args:
            day: A local date.

        Returns:
            The holidays on *day*; empty on a working day.
        """
        index = self._index
        if not index:
            return ()
        return index.get(day, ()) + index.get((day.month, day.day), ())

    def __iter__(self) -> Iterator[Holiday]:
        """Iterate over the holidays in the order given."""
        return iter(self.holidays)

    def __len__(self) -> int:
        """Return the number of holidays."""
        return len(self.holidays)

    def __or__(self, other: HolidaySet) -> HolidaySet:
        """Return the holidays of both sets (the name of the first)."""
        return HolidaySet(self.holidays + other.holidays, name=self.name)

    @classmethod
    def from_package(
        cls,
        country: str,
        *,
        years: Iterable[int],
        subdiv: str | None = None,
        name: str = "",
    ) -> HolidaySet:
        """
        Return the public holidays of *country* from the ``holidays`` package.

        The package is an optional extra (``pip install
        'servicecore[holidays]'``); the ``dev`` extra installs it, so this
        example runs in the test suite.

        >>> from datetime import date
        >>> de = sc.calendar.HolidaySet.from_package("DE", years=[2024], subdiv="BE")
        >>> [h.name for h in de.on(date(2024, 12, 25))]
        ['Christmas Day']

        Years outside those the package covers for *country* are refused:
        an empty list there would read as "no holidays".

        >>> try:
        ...     sc.calendar.HolidaySet.from_package("DE", years=[2101])
        ... except sc.errors.CalendarError as err:
        ...     print(err)
        years: the 'holidays' package knows the holidays of DE for the years 1991-2100, not 2101

        Args:
            country: An ISO 3166 country code, such as ``"DE"``.
            years: The years to list, within those the package covers.
            subdiv: A subdivision (state, province), such as ``"BY"``.
            name: A label for the set; the country code by default.

        Returns:
            One-off holidays for each listed year.

        Raises:
            CalendarError: the package is not installed, does not know
                *country* or *subdiv*, or not one of the *years*.
        """
        try:
            import holidays as package  # noqa: PLC0415 - optional extra
        except ImportError:
            raise CalendarError(
                "holidays_from",
                "the 'holidays' package is not installed; "
                "pip install 'servicecore[holidays]'",
            ) from None
        try:
            # Without years, nothing is computed yet: the covered range.
            covered = package.country_holidays(country, subdiv=subdiv)
        except NotImplementedError as exc:
            raise CalendarError(
                "holidays_from", f"unknown country or subdivision: {exc}"
            ) from exc
        years = _covered_years(
            years, country, covered.start_year, covered.end_year
        )
        found = package.country_holidays(
            country, subdiv=subdiv, years=years, language="en_US"
        )
        # The package's own default language, when en_US is not offered.
        if not found and years:
            found = package.country_holidays(
                country, subdiv=subdiv, years=years
            )
        return cls(dict(sorted(found.items())), name=name or country)


def _covered_years(
    years: Iterable[int], country: str, first: int, last: int
) -> list[int]:
    """Return *years* as a list, refusing one outside ``[first, last]``."""
    result = []
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int):
            raise CalendarError(
                "years", f"expected a year such as 2024, got {year!r}"
            )
        if not first <= year <= last:
            raise CalendarError(
                "years",
                f"the 'holidays' package knows the holidays of {country} for "
                f"the years {first}-{last}, not {year}",
            )
        result.append(year)
    return result


def _to_override_date(value: object) -> date:
    return _to_date(value, "on")


@attrs.frozen
class Override:
    """
    One date with its own hours, replacing the weekly ones and holidays.

    An empty *hours* closes the day. The intervals follow the weekly rules
    (``22:00-06:00`` is an overnight shift starting on *on*).

    >>> sc.calendar.Override("2024-12-24", ["09:00-12:00"], name="Christmas Eve")
    Override(on=datetime.date(2024, 12, 24), hours=('09:00-12:00',), name='Christmas Eve')

    Args:
        on: The date, a ``date`` or ``"YYYY-MM-DD"``.
        hours: The business intervals of that date.
        name: Shown in explanations.

    Raises:
        CalendarError: a bad date or interval; ``location`` names the field.
    """

    on: date = attrs.field(converter=_to_override_date)
    hours: tuple[Span, ...] = attrs.field(
        default=(), converter=_to_hours, repr=_spans_repr
    )
    name: str = attrs.field(default="", converter=_to_name)

    def describe(self) -> str:
        """
        Return the override as explanations show it.

        >>> sc.calendar.Override("2024-12-24", ["09:00-12:00"], name="Eve").describe()
        "override 'Eve' (open 09:00-12:00)"
        >>> sc.calendar.Override("2024-12-27").describe()
        'override (closed)'

        Returns:
            ``override 'name'`` with its hours.
        """
        text = f"override {self.name!r}" if self.name else "override"
        if not self.hours:
            return f"{text} (closed)"
        hours = ", ".join(format_span(span) for span in self.hours)
        return f"{text} (open {hours})"
