"""
Slow, obviously correct business time: minute by minute, with zoneinfo.

A calendar is described by a :class:`Spec` of whole minutes. The oracle
marks every open minute of a window of days in a bytearray, straight from
the definition: an interval of local day D is open from the first instant
whose wall-clock time reaches D + start to the first instant whose wall
clock reaches D + end (which is the first occurrence of an ambiguous time,
and the transition for a time in a gap). ``add`` then walks the minutes
one at a time; ``between`` counts them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

Minutes = tuple[tuple[int, int], ...]


class OutOfWindowError(Exception):
    """The question reaches past the days the oracle has marked."""


@dataclass(frozen=True)
class Spec:
    """A calendar in whole minutes after local midnight."""

    zone: str
    weekly: tuple[Minutes, ...]  # Monday first; end may pass 1440
    holidays: tuple[tuple[date, Minutes], ...] = ()  # () closes all day
    overrides: tuple[tuple[date, Minutes], ...] = ()

    def minutes_on(self, day: date) -> list[tuple[int, int]]:
        """Return the open minutes of *day*: override, else weekly - holidays."""
        for on, spans in self.overrides:
            if on == day:
                return list(spans)
        open_ = set()
        for start, end in self.weekly[day.weekday()]:
            open_.update(range(start, end))
        for on, closed in self.holidays:
            if on == day:
                if not closed:
                    return []
                for start, end in closed:
                    open_.difference_update(range(start, end))
        spans = []
        for minute in sorted(open_):
            if spans and spans[-1][1] == minute:
                spans[-1][1] = minute + 1
            else:
                spans.append([minute, minute + 1])
        return [(a, b) for a, b in spans]


def wall(t: int, zone: str) -> datetime:
    """Return the naive local wall-clock time of epoch second *t*."""
    return datetime.fromtimestamp(t, ZoneInfo(zone)).replace(tzinfo=None)


@functools.cache
def instant(zone: str, local: datetime) -> int:
    """Return the first epoch second whose wall-clock time reaches *local*."""
    guess = int(local.replace(tzinfo=UTC).timestamp())
    offsets = {
        int(
            ZoneInfo(zone)
            .utcoffset(wall(guess + h * 3600, zone))
            .total_seconds()
        )
        for h in range(-30, 31, 2)
    }
    exact = [guess - o for o in offsets if wall(guess - o, zone) == local]
    if exact:
        return min(exact)
    # A gap: walk forward a minute at a time to the first later wall time.
    t = min(guess - o for o in offsets) - 3600
    while wall(t, zone) < local:
        t += 60
    return t


@dataclass
class Oracle:
    """The open minutes of *spec* over ``[first, last)`` local days."""

    spec: Spec
    first: date
    last: date
    base: int = field(init=False)
    open_: bytearray = field(init=False)

    def __post_init__(self) -> None:
        """Mark every open minute of the window."""
        zone = self.spec.zone
        self.base = (
            instant(zone, datetime.combine(self.first, datetime.min.time()))
            // 60
        )
        end = (
            instant(zone, datetime.combine(self.last, datetime.min.time()))
            // 60
        )
        self.open_ = bytearray(end - self.base + 3000)
        day = self.first - timedelta(days=2)
        while day < self.last:
            midnight = datetime.combine(day, datetime.min.time())
            for start, stop in self.spec.minutes_on(day):
                a = instant(zone, midnight + timedelta(minutes=start)) // 60
                b = instant(zone, midnight + timedelta(minutes=stop)) // 60
                size = len(self.open_)
                a = min(max(a - self.base, 0), size)
                b = min(max(b - self.base, 0), size)
                if b > a:
                    self.open_[a:b] = b"\x01" * (b - a)
            day += timedelta(days=1)
        # The last two days may miss intervals of later days: not trusted.
        self.limit = end - self.base - 2 * 1440

    def _index(self, t: int) -> int:
        assert t % 60 == 0, "the oracle works in whole minutes"
        i = t // 60 - self.base
        if not 0 <= i < self.limit:
            raise OutOfWindowError(t)
        return i

    def is_open(self, t: int) -> bool:
        """Return whether minute *t* is open."""
        return bool(self.open_[self._index(t)])

    def add(self, start: int, minutes: int) -> int:
        """Walk open minutes from *start* until *minutes* have passed."""
        i = self._index(start)
        if minutes == 0:
            while not self.open_[i]:
                i += 1
                if i >= self.limit:
                    raise OutOfWindowError(start)
            return (i + self.base) * 60
        while True:
            if self.open_[i]:
                minutes -= 1
                if minutes == 0:
                    return (i + 1 + self.base) * 60
            i += 1
            if i >= self.limit:
                raise OutOfWindowError(start)

    def between(self, a: int, b: int) -> int:
        """Count the open minutes in ``[a, b)``, negated if ``b < a``."""
        i, j = self._index(a), self._index(b)
        if j < i:
            return -self.open_.count(1, j, i) * 60
        return self.open_.count(1, i, j) * 60

    def next_open(self, t: int) -> int:
        """Return the first open minute at or after *t*."""
        return self.add(t, 0)

    def next_close(self, t: int) -> int:
        """Return the end of the open stretch at or after *t*."""
        i = self._index(self.next_open(t))
        while self.open_[i]:
            i += 1
            if i >= self.limit:
                raise OutOfWindowError(t)
        return (i + self.base) * 60
