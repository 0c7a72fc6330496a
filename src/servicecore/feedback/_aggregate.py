"""
Aggregation of survey answers by any key, with optional time decay.

:func:`aggregate` reads a stream of responses (any objects: survey
responses, tuples, dicts) once and keeps one :class:`Tally` per key; keys
come from plain functions (``operator.attrgetter("agent_id")``,
:func:`by_month`). Aggregates add up, so hosts can aggregate per shard or
per day and combine. With a half-life, each answer weighs
``0.5 ** (age / half_life)`` and every score reports Kish's effective
sample size. :meth:`Aggregate.rank` orders groups by a Bayesian-smoothed
score so that one 5-star answer does not top the table.
"""

from __future__ import annotations

import enum
import itertools
import math
import types
import zoneinfo
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any

import attrs

from servicecore._time import duration_seconds, get_timezone, to_epoch
from servicecore.errors import InvalidValueError
from servicecore.feedback._scales import CESDirection, CESScale, CSATScale
from servicecore.feedback._scores import (
    DEFAULT_CONFIDENCE,
    DEFAULT_MINIMUM_SAMPLE,
    CESScore,
    CSATScore,
    NPSScore,
    Tally,
    ces_score,
    csat_score,
    nps_score,
)

__all__ = [
    "Aggregate",
    "RankedGroup",
    "ScoreKind",
    "aggregate",
    "by_month",
    "by_week",
]

KeyFunction = Callable[[Any], Hashable]
_DAY = 86_400
_PROMOTER_MIN = 9
_DETRACTOR_MAX = 6


class ScoreKind(enum.StrEnum):
    """
    Which score to compute: the values match ``sc.SurveyKind``.

    >>> sc.feedback.ScoreKind("nps")
    <ScoreKind.NPS: 'nps'>
    """

    CSAT = "csat"
    NPS = "nps"
    CES = "ces"


def _read_only(groups: Mapping[Hashable, Tally]) -> Mapping[Hashable, Tally]:
    return types.MappingProxyType(dict(groups))


@attrs.frozen(kw_only=True)
class Aggregate:
    """
    One :class:`Tally` per key: mergeable, order-free.

    Build it with :func:`aggregate`; add aggregates with ``+`` (same
    weighting only). ``groups`` maps each key to its tally; a key is the
    value of the single key function, or a tuple of the values of several.

    Args:
        groups: The tally of each key.
        at_s: The moment of the weighting (epoch seconds), if any.
        half_life_s: The half-life of the weighting in seconds, if any.
        excluded: Responses left out because they came after ``at``.

    >>> agg = sc.feedback.aggregate([(5, "ann"), (2, "bob"), (4, "ann")],
    ...                    by=lambda r: r[1], score=lambda r: r[0])
    >>> agg.groups["ann"]
    Tally(counts={4: 1, 5: 1})
    >>> (agg + agg).total().count
    6
    """

    groups: Mapping[Hashable, Tally] = attrs.field(converter=_read_only)
    at_s: int | None = None
    half_life_s: int | None = None
    excluded: int = 0

    def __add__(self, other: Aggregate) -> Aggregate:
        """Return the aggregate of both aggregates' responses."""
        if not isinstance(other, Aggregate):
            return NotImplemented
        if (self.at_s, self.half_life_s) != (other.at_s, other.half_life_s):
            raise InvalidValueError(
                "other",
                "aggregates with different weighting (at, half_life) "
                "cannot be merged",
            )
        groups = dict(self.groups)
        for key, tally in other.groups.items():
            groups[key] = groups[key] + tally if key in groups else tally
        return Aggregate(
            groups=groups,
            at_s=self.at_s,
            half_life_s=self.half_life_s,
            excluded=self.excluded + other.excluded,
        )

    def total(self) -> Tally:
        """
        Return the tally of all groups together.

        >>> sc.feedback.aggregate([5, 3], score=int).total()
        Tally(counts={3: 1, 5: 1})
        """
        return sum(self.groups.values(), Tally(counts={}))

    def csat(
        self,
        *,
        scale: CSATScale | None = None,
        confidence: float = DEFAULT_CONFIDENCE,
        minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
    ) -> dict[Hashable, CSATScore]:
        """
        Return the CSAT score of each group, keys in sorted order.

        Args:
            scale: As for :func:`csat_score`.
            confidence: As for :func:`csat_score`.
            minimum_sample: As for :func:`csat_score`.

        Returns:
            The score of each key.

        Raises:
            ScoreOutOfRangeError: An answer is off the scale.

        >>> agg = sc.feedback.aggregate([5, 4, 1], score=int)
        >>> print(agg.csat(minimum_sample=3)[()])
        CSAT 66.7% (95% interval 20.8%-93.9%, n=3)
        """
        return {
            key: csat_score(
                tally,
                scale=scale,
                confidence=confidence,
                minimum_sample=minimum_sample,
            )
            for key, tally in _sorted_groups(self.groups)
        }

    def nps(
        self,
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
    ) -> dict[Hashable, NPSScore]:
        """
        Return the NPS of each group, keys in sorted order.

        Args:
            confidence: As for :func:`nps_score`.
            minimum_sample: As for :func:`nps_score`.

        Returns:
            The score of each key.

        Raises:
            ScoreOutOfRangeError: An answer is not 0-10.

        >>> agg = sc.feedback.aggregate([10, 9, 0, 7], score=int)
        >>> agg.nps(minimum_sample=4)[()].score
        25.0
        """
        return {
            key: nps_score(
                tally, confidence=confidence, minimum_sample=minimum_sample
            )
            for key, tally in _sorted_groups(self.groups)
        }

    def ces(
        self,
        *,
        scale: CESScale | None = None,
        confidence: float = DEFAULT_CONFIDENCE,
        minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
    ) -> dict[Hashable, CESScore]:
        """
        Return the CES of each group, keys in sorted order.

        Args:
            scale: As for :func:`ces_score`.
            confidence: As for :func:`ces_score`.
            minimum_sample: As for :func:`ces_score`.

        Returns:
            The score of each key.

        Raises:
            ScoreOutOfRangeError: An answer is off the scale.

        >>> agg = sc.feedback.aggregate([7, 5, 6], score=int)
        >>> agg.ces(minimum_sample=3)[()].mean
        6.0
        """
        return {
            key: ces_score(
                tally,
                scale=scale,
                confidence=confidence,
                minimum_sample=minimum_sample,
            )
            for key, tally in _sorted_groups(self.groups)
        }

    def rank(
        self,
        kind: ScoreKind | str,
        *,
        prior_weight: float = 10.0,
        csat_scale: CSATScale | None = None,
        ces_scale: CESScale | None = None,
    ) -> tuple[RankedGroup, ...]:
        """
        Rank the groups, best first, by a Bayesian-smoothed score.

        Each group's score is computed as if it also had *prior_weight*
        answers at the overall average of all groups: a CSAT share becomes
        ``(satisfied + m * overall) / (n + m)``, an NPS uses the same
        pull on the promoter and detractor shares, a CES mean
        ``(sum + m * overall mean) / (n + m)`` (the direction of the scale
        decides which end is best). A group with few answers stays near
        the overall average; one with many keeps its own score. Weighted
        aggregates use the sums of the weights as *n*.

        Args:
            kind: ``"csat"``, ``"nps"`` or ``"ces"``.
            prior_weight: How many average answers each group gets
                (*m*); 0 ranks by the raw score.
            csat_scale: The CSAT scale (default 1-5, satisfied 4-5).
            ces_scale: The CES scale (default CES 2.0).

        Returns:
            One entry per group with an answer; ties share a rank and are
            ordered by key.

        Raises:
            InvalidValueError: *kind* is unknown or *prior_weight* < 0.

        >>> rows = [(5, "new"), *[(5, "ann")] * 45, *[(1, "ann")] * 5,
        ...         *[(5, "bob")] * 20, *[(1, "bob")] * 30]
        >>> agg = sc.feedback.aggregate(rows, by=lambda r: r[1], score=lambda r: r[0])
        >>> [(g.rank, g.key, round(g.smoothed, 3)) for g in agg.rank("csat")]
        [(1, 'ann', 0.859), (2, 'new', 0.685), (3, 'bob', 0.442)]
        """
        kind = _kind(kind)
        if not (prior_weight >= 0 and math.isfinite(prior_weight)):
            raise InvalidValueError(
                "prior_weight", f"{prior_weight!r} must be 0 or more"
            )
        groups = [(k, t) for k, t in self.groups.items() if t.total_weight]
        overall = self.total()
        value = _smoother(kind, overall, csat_scale)
        scored = [
            (value(t, prior_weight), _key_text(k), k, t) for k, t in groups
        ]
        higher_first = not (
            kind is ScoreKind.CES
            and (ces_scale or CESScale()).direction
            is CESDirection.LOWER_IS_EASIER
        )
        scored.sort(key=lambda e: (-e[0] if higher_first else e[0], e[1]))
        ranked: list[RankedGroup] = []
        for index, (smoothed, _, key, tally) in enumerate(scored):
            tied = ranked and ranked[-1].smoothed == smoothed
            ranked.append(
                RankedGroup(
                    rank=ranked[-1].rank if tied else index + 1,
                    key=key,
                    smoothed=smoothed,
                    count=tally.count,
                    effective_count=tally.effective_count,
                    tally=tally,
                )
            )
        return tuple(ranked)


@attrs.frozen(kw_only=True)
class RankedGroup:
    """
    One row of a ranking: the group, its rank and its smoothed score.

    ``smoothed`` is in the unit of the score: a share 0-1 for CSAT, points
    -100 to 100 for NPS, the scale's unit for CES. ``tally`` holds the
    group's answers, for its raw score.

    >>> agg = sc.feedback.aggregate([(5, "a")], by=lambda r: r[1], score=lambda r: r[0])
    >>> agg.rank("csat")[0].rank
    1
    """

    rank: int
    key: Hashable
    smoothed: float
    count: int
    effective_count: float
    tally: Tally


def _kind(kind: ScoreKind | str) -> ScoreKind:
    try:
        return ScoreKind(kind)
    except ValueError:
        raise InvalidValueError(
            "kind", f"unknown score kind {kind!r}; use csat, nps or ces"
        ) from None


def _key_text(key: Hashable) -> str:
    return repr(key)


def _sorted_groups(
    groups: Mapping[Hashable, Tally],
) -> list[tuple[Hashable, Tally]]:
    return [(key, groups[key]) for key in sorted_keys(groups)]


def sorted_keys(keys: Iterable[Hashable]) -> list[Hashable]:
    """Sort keys naturally (numbers as numbers), else by their repr."""
    items = list(keys)
    try:
        return sorted(items)  # type: ignore[type-var]
    except TypeError:
        return sorted(items, key=_key_text)


def _smoother(
    kind: ScoreKind,
    overall: Tally,
    csat_scale: CSATScale | None,
) -> Callable[[Tally, float], float]:
    """Return the smoothed score of a tally, shrunk toward *overall*."""
    total = overall.total_weight or 1.0
    if kind is ScoreKind.CSAT:
        satisfied = (csat_scale or CSATScale()).satisfied

        def good(t: Tally) -> float:
            return sum(w for s, w in t.weights.items() if s in satisfied)

        prior = good(overall) / total
        return lambda t, m: (good(t) + m * prior) / (t.total_weight + m)
    if kind is ScoreKind.NPS:

        def net(t: Tally) -> float:
            return sum(
                w if s >= _PROMOTER_MIN else -w if s <= _DETRACTOR_MAX else 0
                for s, w in t.weights.items()
            )

        prior = net(overall) / total
        return lambda t, m: 100 * (net(t) + m * prior) / (t.total_weight + m)

    def summed(t: Tally) -> float:
        return sum(s * w for s, w in t.weights.items())

    prior = summed(overall) / total
    return lambda t, m: (summed(t) + m * prior) / (t.total_weight + m)


def _key_of(by: KeyFunction | Sequence[KeyFunction]) -> list[KeyFunction]:
    if callable(by):
        return [by]
    return list(by)


def aggregate(
    responses: Iterable[Any],
    *,
    by: KeyFunction | Sequence[KeyFunction] = (),
    score: Callable[[Any], int] = attrgetter("score"),
    moment: Callable[[Any], int] = attrgetter("at_s"),
    at: datetime | None = None,
    half_life: str | timedelta | None = None,
) -> Aggregate:
    """
    Tally answers per key, optionally weighting recent ones more.

    Answers are not checked against a scale here (scores do that); any
    integers are tallied.

    Args:
        responses: The responses, read once.
        by: A key function, or a sequence of them (the key is then the
            tuple of their values); ``()`` puts everything in the group
            ``()``.
        score: Returns a response's answer; default its ``score``.
        moment: Returns a response's moment in epoch seconds; default its
            ``at_s``. Only used with *at*.
        at: The moment of the report: responses after it are left out
            (counted in ``excluded``); required with *half_life*.
        half_life: With *at*: each answer weighs
            ``0.5 ** (age / half_life)``, so an answer one half-life old
            counts half.

    Returns:
        The aggregate.

    Raises:
        InvalidValueError: *half_life* without *at*, or not positive.
        NaiveDatetimeError: *at* has no time zone.

    >>> day = 86_400
    >>> rows = [(5, 0), (1, 30 * day)]
    >>> agg = sc.feedback.aggregate(rows, score=lambda r: r[0], moment=lambda r: r[1],
    ...                    at=pendulum.from_timestamp(30 * day),
    ...                    half_life="30d")
    >>> agg.total().weights
    mappingproxy({1: 1.0, 5: 0.5})
    """
    functions = _key_of(by)
    if half_life is not None and at is None:
        raise InvalidValueError(
            "half_life", "time decay needs the moment `at` of the report"
        )
    if at is None:
        return Aggregate(groups=_count(responses, functions, score))
    at_s = to_epoch(at, "at")
    half_life_s = None
    if half_life is not None:
        half_life_s = duration_seconds(half_life, "half_life")
        if half_life_s <= 0:
            raise InvalidValueError(
                "half_life", f"{half_life!r} must be longer than 0s"
            )
    return _weigh(
        responses, functions, score, moment, at_s=at_s, half_life_s=half_life_s
    )


def _count(
    responses: Iterable[Any],
    functions: list[KeyFunction],
    score: Callable[[Any], int],
) -> dict[Hashable, Tally]:
    # The fast path: one C-level pass per column, then one Counter over the
    # zipped columns; Python code runs per (key, score) pair, not per row.
    rows = responses if isinstance(responses, list | tuple) else [*responses]
    columns = [map(f, rows) for f in functions]
    if not columns:
        return {(): Tally(counts=Counter(map(score, rows)))}
    pairs = Counter(zip(*columns, map(score, rows), strict=True))
    histograms: dict[Hashable, dict[int, int]] = {}
    single = len(functions) == 1
    for row, count in pairs.items():
        key: Hashable = row[0] if single else row[:-1]
        histogram = histograms.get(key)
        if histogram is None:
            histogram = histograms[key] = {}
        histogram[row[-1]] = count
    return {k: Tally(counts=h) for k, h in histograms.items()}


def _weigh(
    responses: Iterable[Any],
    functions: list[KeyFunction],
    score: Callable[[Any], int],
    moment: Callable[[Any], int],
    *,
    at_s: int,
    half_life_s: int | None,
) -> Aggregate:
    # Columns first (C-level passes), then one Python loop over the zip.
    rows = responses if isinstance(responses, list | tuple) else [*responses]
    moments = list(map(moment, rows))
    keys: Iterable[Hashable]
    if not functions:
        keys = itertools.repeat(())
    elif len(functions) == 1:
        keys = map(functions[0], rows)
    else:
        keys = zip(*(map(f, rows) for f in functions), strict=True)
    answers = map(score, rows)
    excluded = sum(1 for m in moments if m > at_s)
    cells: dict[tuple[Hashable, int], list[float]] = {}
    if half_life_s is None:
        pairs = Counter(
            (k, a)
            for k, a, m in zip(keys, answers, moments, strict=False)
            if m <= at_s
        )
        cells = {pair: [count] for pair, count in pairs.items()}
    else:
        for key, answer, seconds in zip(keys, answers, moments, strict=False):
            if seconds > at_s:
                continue
            weight = 0.5 ** ((at_s - seconds) / half_life_s)
            cell = cells.get((key, answer))
            if cell is None:
                cells[key, answer] = [1, weight, weight * weight]
            else:
                cell[0] += 1
                cell[1] += weight
                cell[2] += weight * weight
    return Aggregate(
        groups=_groups(cells, weighted=half_life_s is not None),
        at_s=at_s,
        half_life_s=half_life_s,
        excluded=excluded,
    )


def _groups(
    cells: dict[tuple[Hashable, int], list[float]], *, weighted: bool
) -> dict[Hashable, Tally]:
    """Turn ``(key, answer) -> [count, sum w, sum w^2]`` into tallies."""
    counts: dict[Hashable, dict[int, int]] = {}
    sums: dict[Hashable, dict[int, float]] = {}
    squares: dict[Hashable, dict[int, float]] = {}
    for (key, answer), cell in cells.items():
        if key not in counts:
            counts[key], sums[key], squares[key] = {}, {}, {}
        counts[key][answer] = int(cell[0])
        if weighted:
            sums[key][answer] = cell[1]
            squares[key][answer] = cell[2]
    if not weighted:
        return {k: Tally(counts=h) for k, h in counts.items()}
    return {
        k: Tally(counts=h, weights=sums[k], squares=squares[k])
        for k, h in counts.items()
    }


class _PeriodLabels:
    """
    Label epoch seconds with their local period, exactly and fast.

    A month or ISO week changes at most once within a UTC day, so each UTC
    day is looked up once: its label at the start, at the end, and, when
    they differ, the first second of the new label (found by bisection).
    """

    def __init__(self, zone: tzinfo, label: Callable[[datetime], str]) -> None:
        self._zone = zone
        self._label = label
        self.days: dict[int, tuple[int, str, str]] = {}

    def _at(self, seconds: int) -> str:
        return self._label(datetime.fromtimestamp(seconds, self._zone))

    def day(self, day: int) -> tuple[int, str, str]:
        """Compute, keep and return the entry of UTC day *day*."""
        start = day * _DAY
        end = start + _DAY - 1
        first, last = self._at(start), self._at(end)
        if first == last:
            entry = (end + 1, first, last)
        else:
            low, high = start, end  # label(low) == first, label(high) == last
            while high - low > 1:
                middle = (low + high) // 2
                if self._at(middle) == first:
                    low = middle
                else:
                    high = middle
            entry = (high, first, last)
        self.days[day] = entry
        return entry

    def __call__(self, seconds: int) -> str:
        entry = self.days.get(seconds // _DAY) or self.day(seconds // _DAY)
        return entry[1] if seconds < entry[0] else entry[2]


def _period_key(
    zone: str,
    moment: Callable[[Any], int],
    label: Callable[[datetime], str],
) -> Callable[[Any], str]:
    name = get_timezone(zone, "zone").name
    zone_info: tzinfo = UTC if name == "UTC" else zoneinfo.ZoneInfo(name)
    labels = _PeriodLabels(zone_info, label)
    days = labels.days
    compute = labels.day

    def key(response: Any) -> str:  # noqa: ANN401 - any response object
        # _PeriodLabels.__call__ inlined: this runs once per response.
        seconds = moment(response)
        entry = days.get(seconds // _DAY) or compute(seconds // _DAY)
        return entry[1] if seconds < entry[0] else entry[2]

    return key


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year:04d}-W{week:02d}"


def by_month(
    zone: str = "UTC", *, moment: Callable[[Any], int] = attrgetter("at_s")
) -> Callable[[Any], str]:
    """
    Return a key function giving a response's month in *zone*: "2026-03".

    Args:
        zone: The IANA time zone whose calendar months count.
        moment: Returns a response's epoch seconds; default its ``at_s``.

    Returns:
        The key function; labels sort in time order.

    Raises:
        UnknownTimeZoneError: *zone* is not an IANA time zone.

    >>> key = sc.feedback.by_month("Asia/Tokyo", moment=int)
    >>> key(1_772_290_800), key(1_772_290_799)  # 2026-03-01 00:00 Tokyo
    ('2026-03', '2026-02')
    """
    return _period_key(zone, moment, _month)


def by_week(
    zone: str = "UTC", *, moment: Callable[[Any], int] = attrgetter("at_s")
) -> Callable[[Any], str]:
    """
    Return a key function giving a response's ISO week in *zone*: "2026-W09".

    Weeks start on Monday; the year is the ISO week-numbering year.

    Args:
        zone: The IANA time zone whose weeks count.
        moment: Returns a response's epoch seconds; default its ``at_s``.

    Returns:
        The key function; labels sort in time order.

    Raises:
        UnknownTimeZoneError: *zone* is not an IANA time zone.

    >>> key = sc.feedback.by_week("UTC", moment=int)
    >>> key(0)  # Thursday 1 January 1970
    '1970-W01'
    """
    return _period_key(zone, moment, _week)
