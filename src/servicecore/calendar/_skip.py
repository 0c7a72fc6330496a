"""
Business time of whole days over long spans, without materializing them.

Every open interval *belongs* to the local day it starts on; ``U_d`` is the
set of UTC instants of day ``d``'s intervals. Only neighbours can overlap
(an override's overnight shift may run into the next day's hours), so the
business time of the days ``[first, last)`` is the sum over those days of
``m(d) = |U_d minus U_(d-1)|``.

On most days ``m(d)`` is the day's nominal length, the wall-clock length of
its weekday's intervals, so whole weeks are arithmetic. The exceptions are
the days of holidays and overrides (and the day after an override) and the
days around a UTC offset change; ``m(d)`` is computed exactly for those, and
their corrections are kept per year. Past the last explicit time-zone
transition, the corrections of a year without one-off holidays or overrides
depend only on its type (leap or not, weekday of 1 January), so at most
fourteen such years are ever computed, and whole 400-year Gregorian cycles
of them (20,871 weeks) are one addition.
"""

from __future__ import annotations

import functools
import importlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from servicecore.calendar._arith import DAY, day_intervals, day_of
from servicecore.calendar._hours import Span
from servicecore.errors import CalendarError

__all__ = ["PAST_THE_END", "DaySums", "zone_rules"]

PAST_THE_END = (
    "the result would be after 9999-12-31T23:59:59 UTC, the latest "
    "supported moment"
)

# The days whose intervals may contain an offset change of local day d:
# d itself and d - 1 (an overnight interval). A change's UTC day, or its
# wall-clock day in the standard or the daylight offset, is d +- 1.
_AROUND_CHANGE = range(-2, 2)
TEN_YEARS_DAYS = 3653
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_LAST_YEAR = 9999
_CYCLE_YEARS = 400
_CYCLE_DAYS = 146_097
_YEAR_TYPES = 14  # leap or not, times the weekday of 1 January


@functools.cache
def zone_rules(name: str) -> tuple[tuple[int, ...], Any] | None:
    """
    Return the explicit UTC transitions of zone *name* and its later rule.

    Read from the standard library's pure-Python ``zoneinfo`` (the same
    data the C implementation reads); ``None`` where that is unavailable,
    and callers then fall back to materializing days.
    """
    try:
        pure = importlib.import_module("zoneinfo._zoneinfo")
        zone = pure.ZoneInfo.no_cache(name)
        return tuple(zone._trans_utc), zone._tz_after  # noqa: SLF001
    except Exception:  # noqa: BLE001 - any failure means: no shortcut
        return None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _ordinal(year: int) -> int:
    """Return the ordinal of 1 January of *year* (also of the year 10000)."""
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400 + 1


class DaySums:
    """Sums of ``m(d)`` over ranges of days, and their inverse."""

    def __init__(
        self,
        zone: ZoneInfo,
        rules: tuple[tuple[int, ...], Any],
        *,
        weekly: Sequence[Sequence[Span]],
        spans_on: Callable[[date], Sequence[Span]],
        dated: Iterable[date],
        overridden: Iterable[date],
        annual: Iterable[tuple[int, int]],
    ) -> None:
        self._zone = zone
        self._spans_on = spans_on
        self._transitions, after = rules
        self._rule = after if hasattr(after, "transitions") else None
        nominal = [sum(end - start for start, end in day) for day in weekly]
        self._nominal = nominal
        self._prefix = [0]
        for i in range(14):
            self._prefix.append(self._prefix[-1] + nominal[i % 7])
        self._week = self._prefix[7]
        self._overridden = frozenset(d.toordinal() for d in overridden)
        fixed = {d.toordinal() for d in dated}
        fixed |= self._overridden | {d + 1 for d in self._overridden}
        # The first and last days, whose intervals the supported range cuts.
        last = date.max.toordinal()
        fixed |= {1, 2, last - 1, last}
        self._fixed = sorted(fixed)
        self._annual = tuple(sorted(set(annual)))
        # Past this year, a year without one-off days repeats its type.
        self._horizon = 1 + (
            datetime.fromtimestamp(max(self._transitions[-1], 0), zone).year
            if self._transitions
            else 1
        )
        self._years: dict[object, tuple[list[int], list[int]]] = {}
        self._cycle: int | None = None

    def _next_fixed(self, ordinal: int) -> int:
        """Return the first one-off exceptional day at or after *ordinal*."""
        i = bisect_left(self._fixed, ordinal)
        return self._fixed[i] if i < len(self._fixed) else 1 << 62

    def _key(self, year: int) -> object:
        """Return *year* itself, or its type when that decides it."""
        jan1 = _ordinal(year)
        if year > self._horizon and self._next_fixed(jan1) >= _ordinal(
            year + 1
        ):
            return (_leap(year), jan1 % 7)
        return year

    def _cycles(self, year: int, first: int, last: int, need: int) -> int:
        """
        Return how many whole 400-year cycles fit from *first* to *last*.

        Zero unless *first* is 1 January of a year past the horizon and
        *need* is more than two cycles' nominal time; at most as many as
        stay below *need* business seconds and before a one-off day.
        """
        if (
            year <= self._horizon
            or first != _ordinal(year)
            or last - first < _CYCLE_DAYS
            or need <= 2 * self.nominal(0, _CYCLE_DAYS)
        ):
            return 0
        cycle = self._cycle_total()
        if not cycle:
            return 0
        room = min(last, self._next_fixed(first)) - first
        return min(room // _CYCLE_DAYS, (need - 1) // cycle)

    def _cycle_total(self) -> int:
        """
        Return the business seconds of 400 years of types past the horizon.

        Zero when some type has no year without one-off days to compute it
        from (before the year 9999).
        """
        if self._cycle is None:
            types: dict[object, int] = {}
            for y in range(self._horizon + 1, _LAST_YEAR + 1):
                key = self._key(y)
                if key != y and key not in types:
                    types[key] = self._year(y)[1][-1]
                if len(types) == _YEAR_TYPES:
                    break
            start = self._horizon + 1
            self._cycle = (
                self.nominal(0, _CYCLE_DAYS)
                + sum(
                    types[(_leap(y), _ordinal(y) % 7)]
                    for y in range(start, start + _CYCLE_YEARS)
                )
                if len(types) == _YEAR_TYPES
                else 0
            )
        return self._cycle

    def nominal(self, first: int, last: int) -> int:
        """Return the nominal business seconds of the days ``[first, last)``."""
        count = last - first
        weekday = (first - 1) % 7
        prefix = self._prefix
        return (
            count // 7 * self._week
            + prefix[weekday + count % 7]
            - prefix[weekday]
        )

    def measure(self, ordinal: int) -> int:
        """Return ``m(d)`` of day *ordinal*, exactly."""
        zone, spans_on = self._zone, self._spans_on
        mine = day_intervals(zone, ordinal, ordinal + 1, spans_on)
        total = sum(end - start for start, end in mine)
        if total and (
            ordinal in self._overridden or ordinal - 1 in self._overridden
        ):
            for start, end in day_intervals(
                zone, ordinal - 1, ordinal, spans_on
            ):
                for opened, closed in mine:
                    total -= max(0, min(end, closed) - max(start, opened))
        return total

    def _exceptions(self, year: int) -> list[int]:
        """Return the sorted exceptional days of *year*, as ordinals."""
        first, last = _ordinal(year), _ordinal(year + 1)
        days = set(
            self._fixed[
                bisect_left(self._fixed, first) : bisect_left(
                    self._fixed, last
                )
            ]
        )
        for month, day in self._annual:
            if (month, day) != (2, 29) or _leap(year):
                days.add(date(year, month, day).toordinal())
        transitions = self._transitions
        low = bisect_left(transitions, (first - _EPOCH_ORDINAL - 3) * DAY)
        high = bisect_right(transitions, (last - _EPOCH_ORDINAL + 3) * DAY)
        changed = [day_of(t) for t in transitions[low:high]]
        if self._rule is not None:
            # Wall-clock epoch seconds of the year's changes.
            for y in (year - 1, year, year + 1):
                if 1 <= y <= _LAST_YEAR:
                    changed += [day_of(t) for t in self._rule.transitions(y)]
        days.update(d + k for d in changed for k in _AROUND_CHANGE)
        return sorted(d for d in days if first <= d < last)

    def _year(self, year: int) -> tuple[list[int], list[int]]:
        """Return *year*'s exceptional days (from 1 January), cumulated."""
        key = self._key(year)
        found = self._years.get(key)
        if found is None:
            jan1 = _ordinal(year)
            offsets = []
            sums = [0]
            for ordinal in self._exceptions(year):
                offsets.append(ordinal - jan1)
                sums.append(
                    sums[-1]
                    + self.measure(ordinal)
                    - self._nominal[(ordinal - 1) % 7]
                )
            found = (offsets, sums)
            self._years[key] = found
        return found

    def _corrections(self, year: int, first: int, last: int) -> int:
        offsets, sums = self._year(year)
        jan1 = _ordinal(year)
        return (
            sums[bisect_left(offsets, last - jan1)]
            - sums[bisect_left(offsets, first - jan1)]
        )

    def total(self, first: int, last: int) -> int:
        """Return the business seconds of the days ``[first, last)``."""
        result = self.nominal(first, last)
        year = date.fromordinal(first).year
        while first < last:
            cycles = self._cycles(year, first, last, 1 << 62)
            if cycles:
                # The nominal part is counted already.
                result += cycles * (
                    self._cycle_total() - self.nominal(0, _CYCLE_DAYS)
                )
                first += cycles * _CYCLE_DAYS
                year += cycles * _CYCLE_YEARS
                continue
            end = min(last, _ordinal(year + 1))
            result += self._corrections(year, first, end)
            first = end
            year += 1
        return result

    def find(
        self, first: int, need: int, last: int, location: str
    ) -> tuple[int, int]:
        """
        Return the day where *need* business seconds after day *first* end.

        That is the day ``d`` with ``total(first, d) < need <= total(first,
        d + 1)``, and ``total(first, d)``.

        Raises:
            CalendarError: the day would be at or after *last* (at
                *location*), or ten years pass without open time.
        """
        done = 0
        year = date.fromordinal(first).year
        closed_since = first
        while first < last:
            cycles = self._cycles(year, first, last, need - done)
            if cycles:
                done += cycles * self._cycle_total()
                first += cycles * _CYCLE_DAYS
                year += cycles * _CYCLE_YEARS
                closed_since = first
                continue
            end = min(last, _ordinal(year + 1))
            chunk = self.nominal(first, end) + self._corrections(
                year, first, end
            )
            if done + chunk >= need:
                return self._find_in_year(year, first, need - done, done)
            if chunk:
                closed_since = end
            elif end - closed_since >= TEN_YEARS_DAYS:
                raise CalendarError(
                    "start",
                    "the calendar has no open time in the ten years after "
                    f"{date.fromordinal(closed_since)}; check its holidays "
                    "and overrides",
                )
            done += chunk
            first = end
            year += 1
        raise CalendarError(location, PAST_THE_END)

    def _find_in_year(
        self, year: int, first: int, need: int, done: int
    ) -> tuple[int, int]:
        """Walk whole weeks, then days, to the day *need* is reached."""
        offsets, _ = self._year(year)
        jan1 = _ordinal(year)
        exceptions = [jan1 + o for o in offsets if jan1 + o >= first]
        day = first
        for exception in [*exceptions, None]:
            stop = exception if exception is not None else _ordinal(year + 1)
            if self._week:
                # Whole weeks that stay below `need`, then single days.
                weeks = min((need - 1) // self._week, (stop - day) // 7)
                done += weeks * self._week
                need -= weeks * self._week
                day += weeks * 7
            while day < stop:
                length = self._nominal[(day - 1) % 7]
                if length >= need:
                    return day, done
                done += length
                need -= length
                day += 1
            if exception is not None:
                length = self.measure(exception)
                if length >= need:
                    return exception, done
                done += length
                need -= length
                day = exception + 1
        message = "business time of a year does not add up"
        raise AssertionError(message)
