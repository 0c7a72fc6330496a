"""
Batch evaluation: compliance of many cases, and what-if comparisons.

Counts are per cycle with a target (achieved / breached / in progress),
cycles without a target apart (they are measured but promise nothing, so
they count in no rate), and per case (a case with a target "ever breached"
a metric if any of its cycles did), grouped by policy,
metric, priority, channel, team and month (of the cycle's start, UTC), each
rate with a Wilson score interval. Times are percentiles (nearest rank) of
stopped cycles, in business and calendar seconds, and the margins left (or
exceeded) at the stop.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from servicecore._time import format_duration, from_epoch
from servicecore._words import plural
from servicecore.feedback import Interval
from servicecore.feedback._stats import wilson
from servicecore.models import Case
from servicecore.sla._report import ClockState, CycleReport, SLAReport

if TYPE_CHECKING:
    from servicecore.sla._engine import SLAEngine

__all__ = [
    "ComplianceReport",
    "ComplianceRow",
    "MetricTimes",
    "PolicyDiff",
]

#: The dimensions compliance is grouped by, in report order.
DIMENSIONS = ("all", "policy", "priority", "channel", "team", "month")
PERCENTILES = (50, 90, 95)


def percentile(values: Sequence[int], p: int) -> int | None:
    """
    Return the nearest-rank *p*-th percentile of sorted *values*.

    >>> from servicecore.sla._compliance import percentile
    >>> percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 95)
    (20, 40)
    """
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


@attrs.frozen(kw_only=True)
class ComplianceRow:
    """
    Compliance of one metric in one group of cases.

    >>> row = sc.sla.ComplianceRow(dimension="all", value="all",
    ...                        metric="first_reply", achieved=90, breached=10)
    >>> row.rate, round(row.interval.low, 3), round(row.interval.high, 3)
    (0.9, 0.826, 0.945)

    Args:
        dimension: What the cases are grouped by (``"priority"``, ...).
        value: The group (``"urgent"``, ``"2024-03"``, ...).
        metric: The metric.
        achieved: Cycles that stopped within their target.
        breached: Cycles that breached (stopped or still running).
        in_progress: Cycles running within their target.
        untargeted: Cycles without a target (``measuring`` or
            ``measured``), in no rate.
        cases: Cases with at least one cycle of the metric with a target
            in the group.
        cases_breached: Of those, the cases with a breached cycle.
        confidence: The level of the intervals.
    """

    dimension: str
    value: str
    metric: str
    achieved: int = 0
    breached: int = 0
    in_progress: int = 0
    untargeted: int = 0
    cases: int = 0
    cases_breached: int = 0
    confidence: float = 0.95

    @property
    def rate(self) -> float | None:
        """Achieved cycles among decided ones; ``None`` if none decided."""
        decided = self.achieved + self.breached
        return None if decided == 0 else self.achieved / decided

    @property
    def interval(self) -> Interval | None:
        """The Wilson score interval of :attr:`rate`."""
        decided = self.achieved + self.breached
        if decided == 0 or self.rate is None:
            return None
        low, high = wilson(self.rate, decided, self.confidence)
        return Interval(low=low, high=high, confidence=self.confidence)

    @property
    def case_breach_rate(self) -> float | None:
        """Share of cases that ever breached; ``None`` without cases."""
        return None if self.cases == 0 else self.cases_breached / self.cases

    @property
    def case_interval(self) -> Interval | None:
        """The Wilson score interval of :attr:`case_breach_rate`."""
        share = self.case_breach_rate
        if share is None:
            return None
        low, high = wilson(share, self.cases, self.confidence)
        return Interval(low=low, high=high, confidence=self.confidence)


@attrs.frozen(kw_only=True)
class MetricTimes:
    """
    Percentiles of one metric's stopped cycles, in seconds.

    >>> times = sc.sla.MetricTimes(metric="first_reply", count=3,
    ...                        business={50: 600}, calendar={50: 900})
    >>> times.business[50]
    600

    Args:
        metric: The metric.
        count: Stopped cycles measured.
        business: Percentile -> business seconds counted.
        calendar: Percentile -> wall-clock seconds from start to stop.
        margin: Percentile -> target left at the stop (negative: breached
            by), over cycles with a target.
    """

    metric: str
    count: int
    business: Mapping[int, int | None] = attrs.field(factory=dict)
    calendar: Mapping[int, int | None] = attrs.field(factory=dict)
    margin: Mapping[int, int | None] = attrs.field(factory=dict)


def _team(case: Case, at_s: int) -> str:
    team = None
    for event in case.events:
        if event.at_s > at_s:
            break
        if event.kind == "assigned":
            team = getattr(event, "team_id", None) or team
    return team or "(none)"


def _month(seconds: int) -> str:
    return from_epoch(seconds).strftime("%Y-%m")


class _Tally:
    """Mutable counts of one row."""

    __slots__ = (
        "achieved",
        "breached",
        "breached_cases",
        "cases",
        "progress",
        "untargeted",
    )

    def __init__(self) -> None:
        self.achieved = 0
        self.breached = 0
        self.progress = 0
        self.untargeted = 0
        self.cases: set[str] = set()
        self.breached_cases: set[str] = set()


def _measure(
    cycle: CycleReport,
    business: dict[str, list[int]],
    calendar: dict[str, list[int]],
    margins: dict[str, list[int]],
) -> None:
    """Record the times of a stopped cycle."""
    if cycle.stopped_at_s is None:
        return
    business[cycle.metric].append(cycle.elapsed_business_s)
    calendar[cycle.metric].append(cycle.elapsed_calendar_s)
    if cycle.target_s is not None:
        margins[cycle.metric].append(cycle.target_s - cycle.elapsed_business_s)


def _state(cycle: CycleReport) -> str:
    if cycle.breached_at_s is not None:
        return "breached"
    if cycle.target_s is None:
        return "untargeted"
    if cycle.state == ClockState.ACHIEVED:
        return "achieved"
    return "progress"


@attrs.frozen(kw_only=True)
class ComplianceReport:
    """
    How a set of cases did against its SLA policies, at one moment.

    Build one with :meth:`SLAEngine.compliance` (or :meth:`from_reports`).

    >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
    >>> case = sc.Case(id="c", customer=sc.Customer(id="u"), channel="chat",
    ...                events=[sc.CaseCreated(case_id="c", at=start)])
    >>> engine = sc.SLAEngine([sc.sla.SLAPolicy(
    ...     name="all", targets={"normal": {"first_reply": "1h"}})])
    >>> report = engine.compliance([case], start.add(hours=2))
    >>> row = report.row("first_reply", "channel", "chat")
    >>> row.breached, row.rate, row.case_breach_rate
    (1, 0.0, 1.0)

    Args:
        at_s: The moment of the evaluation, epoch seconds.
        cases: The number of cases evaluated (those that existed at
            ``at_s``).
        rows: Compliance per dimension, group and metric.
        times: Percentiles per metric of stopped cycles.
        confidence: The level of the intervals.
    """

    at_s: int
    cases: int
    rows: tuple[ComplianceRow, ...]
    times: Mapping[str, MetricTimes]
    confidence: float = 0.95

    @classmethod
    def from_reports(
        cls,
        pairs: Iterable[tuple[Case, SLAReport]],
        *,
        at_s: int,
        confidence: float = 0.95,
    ) -> ComplianceReport:
        """
        Aggregate ``(case, report)`` pairs evaluated at *at_s*.

        Args:
            pairs: Each case with its report.
            at_s: The moment the reports were evaluated at.
            confidence: The level of the Wilson intervals.

        Returns:
            The compliance report.
        """
        tallies: dict[tuple[str, str, str], _Tally] = defaultdict(_Tally)
        business: dict[str, list[int]] = defaultdict(list)
        calendar: dict[str, list[int]] = defaultdict(list)
        margins: dict[str, list[int]] = defaultdict(list)
        count = 0
        for case, report in pairs:
            count += 1
            channel = case.channel.value
            team = _team(case, at_s)
            for cycle in report.cycles:
                _measure(cycle, business, calendar, margins)
                state = _state(cycle)
                groups = (
                    ("all", "all"),
                    ("policy", cycle.policy or "(no SLA)"),
                    ("priority", cycle.priority or "(none)"),
                    ("channel", channel),
                    ("team", team),
                    ("month", _month(cycle.started_at_s)),
                )
                for dimension, value in groups:
                    tally = tallies[dimension, value, cycle.metric]
                    if state == "untargeted":
                        tally.untargeted += 1
                        continue  # measured, but nothing was promised
                    if state == "achieved":
                        tally.achieved += 1
                    elif state == "breached":
                        tally.breached += 1
                        tally.breached_cases.add(case.id)
                    else:
                        tally.progress += 1
                    tally.cases.add(case.id)
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        rows = tuple(
            ComplianceRow(
                dimension=dimension,
                value=value,
                metric=metric,
                achieved=t.achieved,
                breached=t.breached,
                in_progress=t.progress,
                untargeted=t.untargeted,
                cases=len(t.cases),
                cases_breached=len(t.breached_cases),
                confidence=confidence,
            )
            for (dimension, value, metric), t in sorted(
                tallies.items(),
                key=lambda item: (order[item[0][0]], item[0][1], item[0][2]),
            )
        )
        times = {}
        for metric in sorted(business):
            b = sorted(business[metric])
            c = sorted(calendar[metric])
            m = sorted(margins[metric])
            times[metric] = MetricTimes(
                metric=metric,
                count=len(b),
                business={p: percentile(b, p) for p in PERCENTILES},
                calendar={p: percentile(c, p) for p in PERCENTILES},
                margin={p: percentile(m, p) for p in PERCENTILES},
            )
        return cls(
            at_s=at_s,
            cases=count,
            rows=rows,
            times=MappingProxyType(times),
            confidence=confidence,
        )

    def row(
        self, metric: str, dimension: str = "all", value: str = "all"
    ) -> ComplianceRow | None:
        """Return the row of *metric* in group *value* of *dimension*."""
        for row in self.rows:
            if (row.metric, row.dimension, row.value) == (
                metric,
                dimension,
                value,
            ):
                return row
        return None

    def to_dict(self) -> dict[str, object]:
        """Return the report as JSON-safe data."""

        def interval(iv: Interval | None) -> list[float] | None:
            return None if iv is None else [iv.low, iv.high]

        return {
            "at": from_epoch(self.at_s).isoformat(),
            "cases": self.cases,
            "confidence": self.confidence,
            "rows": [
                {
                    "dimension": r.dimension,
                    "value": r.value,
                    "metric": r.metric,
                    "achieved": r.achieved,
                    "breached": r.breached,
                    "in_progress": r.in_progress,
                    "untargeted": r.untargeted,
                    "rate": r.rate,
                    "interval": interval(r.interval),
                    "cases": r.cases,
                    "cases_breached": r.cases_breached,
                    "case_interval": interval(r.case_interval),
                }
                for r in self.rows
            ],
            "times": {
                metric: {
                    "count": t.count,
                    "business": {str(p): v for p, v in t.business.items()},
                    "calendar": {str(p): v for p, v in t.calendar.items()},
                    "margin": {str(p): v for p, v in t.margin.items()},
                }
                for metric, t in self.times.items()
            },
        }

    def to_text(self, dimensions: Sequence[str] = DIMENSIONS) -> str:
        """
        Return the report as a plain-text table.

        Args:
            dimensions: The dimensions to show, in order.

        Returns:
            One line per group and metric, then the percentiles.
        """
        when = from_epoch(self.at_s).strftime("%Y-%m-%d %H:%M")
        lines = [
            (
                f"SLA compliance of {plural(self.cases, 'case')} at {when} UTC "
                f"({self.confidence:.0%} Wilson intervals)"
            ),
            (
                f"{'group':<28} {'metric':<16} {'achieved':>8} {'breached':>8} "
                f"{'running':>7} {'untargeted':>10} {'rate':>6}  interval"
                "       cases breached"
            ),
        ]
        for row in self.rows:
            if row.dimension not in dimensions:
                continue
            group = f"{row.dimension}={row.value}"[:28]
            rate = "-" if row.rate is None else f"{row.rate:.1%}"
            iv = row.interval
            span = "" if iv is None else f"[{iv.low:.1%}, {iv.high:.1%}]"
            lines.append(
                f"{group:<28} {row.metric:<16} {row.achieved:>8} "
                f"{row.breached:>8} {row.in_progress:>7} "
                f"{row.untargeted:>10} {rate:>6}  "
                f"{span:<14} {row.cases_breached}/{row.cases}"
            )
        lines.append("")
        lines.append(
            f"{'metric':<16} {'stopped':>7}  business p50/p90/p95"
            "        calendar p50/p90/p95"
        )
        for metric, t in self.times.items():
            b = "/".join(_short(t.business[p]) for p in PERCENTILES)
            c = "/".join(_short(t.calendar[p]) for p in PERCENTILES)
            lines.append(f"{metric:<16} {t.count:>7}  {b:<27} {c}")
        return "\n".join(lines)


def _short(seconds: int | None) -> str:
    return (
        "-" if seconds is None else format_duration(seconds).replace(" ", "")
    )


@attrs.frozen(kw_only=True)
class PolicyDiff:
    """
    What another policy set would have changed over the same cases.

    Cycles are matched by case, metric and cycle number. Build one with
    :meth:`SLAEngine.diff`.

    >>> start = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
    >>> case = sc.Case(id="c", customer=sc.Customer(id="u"), channel="chat",
    ...                events=[sc.CaseCreated(case_id="c", at=start)])
    >>> def engine(target):
    ...     return sc.SLAEngine([sc.sla.SLAPolicy(
    ...         name="all", targets={"normal": {"first_reply": target}})])
    >>> diff = engine("4h").diff(engine("1h"), [case], start.add(hours=2))
    >>> diff.newly_breached
    (('c', 'first_reply', 0),)
    >>> print(diff.to_text().splitlines()[0])
    1 cycle newly breached, 0 no longer breached (1 case)

    Args:
        old: Compliance under the current policies.
        new: Compliance under the proposed ones.
        newly_breached: ``(case_id, metric, cycle)`` breached only under
            the new policies.
        no_longer_breached: Breached only under the old policies.
    """

    old: ComplianceReport
    new: ComplianceReport
    newly_breached: tuple[tuple[str, str, int], ...]
    no_longer_breached: tuple[tuple[str, str, int], ...]

    def percentile_changes(self) -> dict[str, dict[int, int | None]]:
        """Return per metric the change of each business-time percentile."""
        changes: dict[str, dict[int, int | None]] = {}
        for metric in sorted(set(self.old.times) | set(self.new.times)):
            old = self.old.times.get(metric)
            new = self.new.times.get(metric)
            changes[metric] = {}
            for p in PERCENTILES:
                a = None if old is None else old.business.get(p)
                b = None if new is None else new.business.get(p)
                changes[metric][p] = None if a is None or b is None else b - a
        return changes

    def to_text(self) -> str:
        """Return the comparison as plain text, per metric and priority."""
        lines = [
            (
                f"{plural(len(self.newly_breached), 'cycle')} newly "
                f"breached, {len(self.no_longer_breached)} no longer breached "
                f"({plural(self.old.cases, 'case')})"
            ),
            f"{'group':<24} {'metric':<16} {'old rate':>8} {'new rate':>8}",
        ]
        for row in self.new.rows:
            if row.dimension not in {"all", "priority", "channel"}:
                continue
            before = self.old.row(row.metric, row.dimension, row.value)
            a = (
                "-"
                if before is None or before.rate is None
                else f"{before.rate:.1%}"
            )
            b = "-" if row.rate is None else f"{row.rate:.1%}"
            group = f"{row.dimension}={row.value}"
            lines.append(f"{group:<24} {row.metric:<16} {a:>8} {b:>8}")
        lines.append("")
        for metric, change in self.percentile_changes().items():
            shown = ", ".join(
                f"p{p} {'-' if d is None else format_duration(d)}"
                for p, d in change.items()
            )
            lines.append(f"{metric:<16} business time change: {shown}")
        return "\n".join(lines)


def evaluate_pairs(
    engine: SLAEngine, cases: Iterable[Case], at_s: int
) -> Iterator[tuple[Case, SLAReport]]:
    """Yield each case that exists at *at_s* with its report then."""
    for case in cases:
        if case.events[0].at_s <= at_s:
            yield case, engine.evaluate_s(case, at_s)


def breached_cycles(
    pairs: Iterable[tuple[Case, SLAReport]],
) -> tuple[set[tuple[str, str, int]], list[tuple[Case, SLAReport]]]:
    """Return the breached cycles of *pairs*, and the pairs as a list."""
    kept = list(pairs)
    found = {
        (case.id, cycle.metric, cycle.number)
        for case, report in kept
        for cycle in report.cycles
        if cycle.breached_at_s is not None
    }
    return found, kept
