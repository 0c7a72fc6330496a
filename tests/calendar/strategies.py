"""Hypothesis strategies: calendars near DST changes, with their oracles."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_oracles import Spec
from hypothesis import strategies as st

import servicecore as sc

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Pacific/Apia",
)


@functools.cache
def transition_days(zone: str) -> tuple[date, ...]:
    """Return the local dates of 2009-2030 on which the UTC offset changes."""
    tz = ZoneInfo(zone)
    found = []
    day = date(2009, 1, 1)
    previous = None
    while day < date(2031, 1, 1):
        offset = datetime(
            day.year, day.month, day.day, 12, tzinfo=tz
        ).utcoffset()
        if previous is not None and offset != previous:
            found.append(day - timedelta(days=1))
            found.append(day)
        previous = offset
        day += timedelta(days=1)
    return tuple(found) or (date(2024, 3, 31),)


def _day_spans() -> st.SearchStrategy[tuple[tuple[int, int], ...]]:
    """Intervals of one weekday on a 30-minute grid, maybe overnight."""
    grid = st.integers(0, 48).map(lambda n: n * 30)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
        points = sorted(draw(st.sets(grid, max_size=4)))
        spans = [
            (points[i], points[i + 1])
            for i in range(0, len(points) - 1, 2)
            if points[i] < 1440
        ]
        if draw(st.booleans()):  # an overnight shift, or a late end
            last = spans[-1][1] if spans else 0
            if last < 1380:
                start = draw(st.integers(last // 30, 45).map(lambda n: n * 30))
                end = draw(st.integers(start // 30 + 1, start // 30 + 40))
                spans.append((start, end * 30))
        return tuple(spans)

    return build()


DAY_SPANS = _day_spans()
PARTIAL_CLOSURES = DAY_SPANS.filter(lambda s: bool(s) and s[-1][1] <= 1440)


def _fix_spill(weekly: list[tuple[tuple[int, int], ...]]) -> None:
    """Cut overnight ends that run into the next day's first interval."""
    for day in range(7):
        spans = list(weekly[day])
        following = weekly[(day + 1) % 7]
        if spans and spans[-1][1] > 1440 and following:
            limit = 1440 + following[0][0]
            start, end = spans[-1]
            spans[-1] = (start, min(end, limit))
            weekly[day] = tuple(spans)


def _text(span: tuple[int, int]) -> str:
    """Write minutes as ``"HH:MM-HH:MM"``; an overnight end wraps round."""
    start, end = span
    if end > 1440:
        end -= 1440
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@st.composite
def calendars(
    draw: st.DrawFn, zone: str | None = None
) -> tuple[sc.BusinessCalendar, Spec, date]:
    """Draw a calendar, its oracle spec, and an anchor date near a DST change."""
    zone = zone or draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(transition_days(zone)))
    if zone == "Pacific/Apia" and draw(st.booleans()):
        anchor = date(2011, 12, 30)  # the day Samoa skipped
    weekly = [draw(DAY_SPANS) for _ in range(7)]
    _fix_spill(weekly)
    # Enough open time that 40 business hours fit in the oracle's window.
    if sum(end - start for spans in weekly for start, end in spans) < 8 * 60:
        weekly[0] = ((9 * 60, 17 * 60),)
        weekly[1] = ((9 * 60, 17 * 60),)
        _fix_spill(weekly)
    near = st.integers(-3, 8).map(lambda n: anchor + timedelta(days=n))
    holidays = draw(
        st.lists(
            st.tuples(
                near,
                st.one_of(st.just(()), PARTIAL_CLOSURES),
            ),
            max_size=3,
        )
    )
    override_days = draw(st.lists(near, max_size=2, unique=True))
    overrides = tuple((day, draw(DAY_SPANS)) for day in override_days)
    spec = Spec(zone, tuple(weekly), tuple(holidays), overrides)
    calendar = sc.BusinessCalendar(
        zone,
        {i: [_text(s) for s in spans] for i, spans in enumerate(weekly)},
        holidays=[
            sc.calendar.Holiday(day, closed=[_text(s) for s in closed])
            for day, closed in holidays
        ],
        overrides=[
            sc.calendar.Override(day, [_text(s) for s in spans])
            for day, spans in overrides
        ],
    )
    return calendar, spec, anchor


def moments_near(anchor: date, zone: str) -> st.SearchStrategy[int]:
    """Epoch seconds on whole minutes within a few days of *anchor*."""
    midnight = datetime(
        anchor.year, anchor.month, anchor.day, tzinfo=ZoneInfo(zone)
    )
    base = int(midnight.timestamp()) // 60 * 60
    return st.integers(-2 * 1440, 6 * 1440).map(lambda m: base + m * 60)
