"""
Business calendars: weekly hours, holidays, overrides, exact arithmetic.

The public names are re-exported by ``servicecore``; the modules here are
private.
"""

from servicecore.calendar._calendar import BusinessCalendar
from servicecore.calendar._explain import (
    BusinessInterval,
    CalendarClosure,
    CalendarExplanation,
)
from servicecore.calendar._holidays import Holiday, HolidaySet, Override

__all__ = [
    "BusinessCalendar",
    "BusinessInterval",
    "CalendarClosure",
    "CalendarExplanation",
    "Holiday",
    "HolidaySet",
    "Override",
]
