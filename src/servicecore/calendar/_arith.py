"""
The business-time index: UTC boundaries of open intervals, cumulated.

A :class:`Table` (lists, never changed once built) covers the instants
``lo <= t < hi`` exactly. It holds the merged open intervals
``[opens[k], closes[k])`` in epoch seconds and, for each, ``cum_end[k]``,
the business seconds from the table's origin to ``closes[k]``, and
``shift[k] = closes[k] - cum_end[k]``: the business position of an open
instant ``t`` is ``t - shift[k]``. Sentinels at both ends (an empty
interval far in the past, one far in the future) spare the hot paths every
bounds check but ``lo <= t < hi`` and a result ``< hi``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from servicecore.calendar._hours import Span

__all__ = [
    "END_S",
    "FIRST_S",
    "Table",
    "build_table",
    "empty_table",
    "local_to_epoch",
]

DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_LAST_DAY = date.max.toordinal()
_MIDDLE_DAY = _LAST_DAY // 2
# The supported moments: 0001-01-01T00:00:00 to 9999-12-31T23:59:59 UTC;
# END_S is the first moment after them.
FIRST_S = (1 - _EPOCH_ORDINAL) * DAY
END_S = (_LAST_DAY + 1 - _EPOCH_ORDINAL) * DAY
_FAR = 1 << 62
_MIN_BITS = 12
_MAX_BUCKETS = 1 << 18
# Days generated beyond a table's trusted range on each side: an interval
# belongs to a day but may end the next day, offsets reach +-14 h, and a
# gap (Pacific/Apia skipped a whole day) moves a start forward by 24 h.
MARGIN_DAYS = 3


class Table(NamedTuple):
    """Open intervals covering ``[lo, hi)``, with cumulated business time."""

    opens: Sequence[int]
    closes: Sequence[int]
    shift: Sequence[int]
    cum_end: Sequence[int]
    lo: int
    hi: int
    # Direct-address buckets of 2**bits seconds replace the bisects of
    # the hot paths: kidx[(t - lo) >> bits] is the last interval opening
    # at or before the bucket's start, cidx[p >> bits] the first interval
    # whose cum_end reaches business position p's bucket; a step or two
    # forward finds the exact index.
    kidx: Sequence[int]
    cidx: Sequence[int]
    bits: int
    first_day: int
    last_day: int


def empty_table() -> Table:
    """Return a table that covers nothing, so every query extends it."""
    return Table(
        (-_FAR, _FAR),
        (-_FAR, _FAR),
        (-_FAR, _FAR),
        (0, _FAR),
        0,
        0,
        (0,),
        (1,),
        _MIN_BITS,
        0,
        0,
    )


def _wall(seconds: int, zone: ZoneInfo) -> int:
    """Return the local wall-clock time of *seconds* as naive epoch seconds."""
    d = datetime.fromtimestamp(seconds, zone)
    return (
        (d.toordinal() - _EPOCH_ORDINAL) * DAY
        + d.hour * 3600
        + d.minute * 60
        + d.second
    )


def local_to_epoch(zone: ZoneInfo, ordinal: int, second: int) -> int:
    """
    Return the instant of a local wall time in *zone*.

    The wall time is *second* after midnight of day *ordinal*
    (``date.toordinal()``).
    An ambiguous time (a fold) takes its first occurrence; a time in a gap
    moves forward to the first valid instant, the transition itself.
    """
    local = (ordinal - _EPOCH_ORDINAL) * DAY + second
    naive = datetime.fromordinal(ordinal) + timedelta(seconds=second)
    first = int(naive.replace(tzinfo=zone).timestamp())  # fold=0: earlier
    if _wall(first, zone) == local:
        return first
    # In a gap: fold=0 used the offset before the transition, fold=1 the
    # one after; the transition lies in (low, first] and is the first
    # instant whose wall time reaches `local`.
    low = int(naive.replace(tzinfo=zone, fold=1).timestamp())
    high = first
    low = min(low, high - 1)
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(middle, zone) >= local:
            high = middle
        else:
            low = middle
    return high


def _instant(zone: ZoneInfo, ordinal: int, second: int) -> int:
    """Return ``local_to_epoch``, clipped to the supported moments."""
    try:
        found = local_to_epoch(zone, ordinal, second)
    except (OverflowError, ValueError):  # a local or UTC year 0 or 10000
        return FIRST_S if ordinal < _MIDDLE_DAY else END_S
    return min(max(found, FIRST_S), END_S)


def day_intervals(
    zone: ZoneInfo,
    first: int,
    last: int,
    spans_of: Callable[[date], Sequence[Span]],
) -> list[tuple[int, int]]:
    """
    Return the UTC intervals of the days ``first <= ordinal < last``.

    Business time exists only in the supported moments, 0001-01-01 to
    9999-12-31T23:59:59 UTC: days outside have no intervals, and
    intervals are cut at both ends.
    """
    intervals = []
    for ordinal in range(max(first, 1), min(last, _LAST_DAY + 1)):
        spans = spans_of(date.fromordinal(ordinal))
        for start, end in spans:
            opened = _instant(zone, ordinal, start)
            closed = _instant(zone, ordinal, end)
            # Both ends in one gap: nothing of the interval exists.
            if closed > opened:
                intervals.append((opened, closed))
    return intervals


def build_table(
    intervals: Iterable[tuple[int, int]], first_day: int, last_day: int
) -> Table:
    """
    Return the table of *intervals* of the days ``[first_day, last_day)``.

    Overlapping and touching intervals merge: ``always()`` has no gap at
    midnight, and an overnight shift meeting the next day's hours is one
    stretch of open time.
    """
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    lo = (first_day - _EPOCH_ORDINAL + MARGIN_DAYS) * DAY
    hi = (last_day - _EPOCH_ORDINAL - MARGIN_DAYS) * DAY
    opens = [-_FAR]
    closes = [-_FAR]
    shift = [-_FAR]
    cum_end = [0]
    total = 0
    for start, end in merged:
        total += end - start
        opens.append(start)
        closes.append(end)
        cum_end.append(total)
        shift.append(end - total)
    # Real intervals may reach past `hi` (they are not trusted there);
    # the sentinel sorts after them and sends every query to extension.
    opens.append(_FAR)
    closes.append(_FAR)
    cum_end.append(_FAR)
    shift.append(_FAR)
    bits = _MIN_BITS
    while (hi - lo) >> bits > _MAX_BUCKETS:
        bits += 1
    kidx = [
        bisect_right(opens, start) - 1
        for start in range(lo, max(hi, lo + 1), 1 << bits)
    ]
    cidx = [
        bisect_left(cum_end, position)
        for position in range(0, total + 1, 1 << bits)
    ]
    return Table(
        opens,
        closes,
        shift,
        cum_end,
        lo,
        hi,
        kidx,
        cidx,
        bits,
        first_day,
        last_day,
    )


def day_of(seconds: int) -> int:
    """Return the ordinal of the UTC date of epoch *seconds*."""
    return seconds // DAY + _EPOCH_ORDINAL


def real_intervals(table: Table) -> Iterable[tuple[int, int]]:
    """Return the table's intervals without the sentinels."""
    return zip(table.opens[1:-1], table.closes[1:-1], strict=True)
