"""
What the SLA engine reports: cycles, metrics, the ledger, the next change.

Reports hold integer epoch seconds (``*_s``); the ``DateTime`` and
``Duration`` properties build pendulum objects only when read.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import NamedTuple

import attrs
import pendulum

from servicecore._time import format_duration, from_epoch

__all__ = [
    "ClockState",
    "CycleReport",
    "LedgerKind",
    "MetricReport",
    "PolicyChoice",
    "SLALedgerEntry",
    "SLAReport",
]


class ClockState(enum.StrEnum):
    """
    The state of one metric cycle at a moment.

    With a target: ``active`` (counting), ``paused``, ``achieved`` (stopped
    within the target) or ``breached``, which is final for a cycle: it
    stays breached while it keeps running (its ``stopped_at`` tells whether
    it still runs). Without a target (the policy applied sets none for the
    metric at the case's priority, or no policy applies) a cycle is only
    measured, and promises nothing: ``measuring`` while it runs (counting
    or paused), ``measured`` once stopped; it has no deadline and never
    breaches. ``not_started``: no cycle yet.

    >>> [state.value for state in sc.sla.ClockState]
    ['not_started', 'active', 'paused', 'achieved', 'breached', 'measuring', 'measured']
    """

    NOT_STARTED = "not_started"
    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    BREACHED = "breached"
    MEASURING = "measuring"
    MEASURED = "measured"


class LedgerKind(enum.StrEnum):
    """
    The kinds of entries in an SLA report's ledger.

    >>> sc.sla.LedgerKind.TARGET_APPLIED.value
    'target_applied'
    """

    ACTIVATED = "activated"
    PAUSED = "paused"
    RESUMED = "resumed"
    TARGET_APPLIED = "target_applied"
    FULFILLED = "fulfilled"
    BREACHED = "breached"


def _dt(seconds: int | None) -> pendulum.DateTime | None:
    return None if seconds is None else from_epoch(seconds)


def _moment(seconds: int) -> str:
    """Return *seconds* as ``2024-03-04 09:00`` (UTC; seconds if any)."""
    shape = "%Y-%m-%d %H:%M:%S" if seconds % 60 else "%Y-%m-%d %H:%M"
    return from_epoch(seconds).strftime(shape)


def _dur(seconds: int | None) -> pendulum.Duration | None:
    return None if seconds is None else pendulum.duration(seconds=seconds)


@attrs.frozen(kw_only=True)
class SLALedgerEntry:
    """
    One thing that happened to a clock, and why.

    >>> entry = sc.sla.SLALedgerEntry(
    ...     at_s=0, metric="first_reply", cycle=0,
    ...     kind=sc.sla.LedgerKind.ACTIVATED, cause="case created (event 0)",
    ...     event_index=0,
    ... )
    >>> entry.at
    DateTime(1970, 1, 1, 0, 0, 0, tzinfo=Timezone('UTC'))
    >>> print(entry)
    1970-01-01T00:00:00+00:00 first_reply[0] activated: case created (event 0)

    Args:
        at_s: When, epoch seconds.
        metric: The metric's name.
        cycle: The cycle's number within the metric, from 0 (its cycle
            report's ``number``).
        kind: What happened.
        cause: Why, in words.
        event_index: The position in the case log of the event that caused
            it; ``None`` for a deadline passing.
    """

    at_s: int
    metric: str
    cycle: int
    kind: LedgerKind
    cause: str
    event_index: int | None = None

    @property
    def at(self) -> pendulum.DateTime:
        """When, in UTC."""
        return from_epoch(self.at_s)

    def __str__(self) -> str:
        """Return one line: moment, clock, kind and cause."""
        return (
            f"{self.at.isoformat()} {self.metric}[{self.cycle}] "
            f"{self.kind.value}: {self.cause}"
        )


class CycleReport(NamedTuple):
    """
    One cycle of one metric, at the moment of the report.

    A named tuple (immutable, hashable, compact, and cheap to build: a
    report holds one per cycle of every metric); build it by keyword. The
    cycle's own number is :attr:`number`: ``index`` and ``count`` are the
    tuple's methods, and no field bears a tuple method's name.

    Business seconds (``elapsed_business_s``, ``remaining_s``,
    ``breached_by_s``) count the time the clock ran (not paused) in the
    calendar of the policy applied, or all of it for a calendar-time
    target; ``elapsed_calendar_s`` is wall-clock time from start to stop
    (or to the report's moment), pauses and closed hours included.

    >>> cycle = sc.sla.CycleReport(
    ...     metric="first_reply", number=0, state=sc.sla.ClockState.ACTIVE,
    ...     started_at_s=0, deadline_s=3600, original_deadline_s=3600,
    ...     elapsed_business_s=2700, elapsed_calendar_s=2700,
    ...     target_s=3600, thresholds_crossed=("75%",),
    ...     policy="standard", priority="normal",
    ... )
    >>> cycle.number, cycle.remaining, cycle.consumed_ratio
    (0, Duration(minutes=15), 0.75)
    >>> cycle.deadline
    DateTime(1970, 1, 1, 1, 0, 0, tzinfo=Timezone('UTC'))

    Args:
        metric: The metric's name.
        number: The cycle's number within its metric, from 0 (ledger
            entries and escalation decisions call it ``cycle``).
        state: The cycle's state.
        started_at_s: When the cycle started (or restarted).
        deadline_s: When the target is (or was) used up; ``None`` while
            paused or without a target. For a breached cycle, the breach.
        original_deadline_s: The first deadline the cycle had, before any
            pause or target change moved it.
        stopped_at_s: When the cycle stopped; ``None`` while it runs.
        breached_at_s: When the cycle breached; ``None`` if it has not.
        elapsed_business_s: Time counted against the target.
        elapsed_calendar_s: Wall-clock time since the start.
        target_s: The target applied, seconds; ``None`` without one.
        thresholds_crossed: Labels of the warning thresholds crossed.
        policy: The policy whose target applies; ``None`` for no SLA.
        priority: The priority the target was taken for.
        basis: Business or calendar time.
        stop_cause: Why the cycle stopped, if it did.
    """

    metric: str
    number: int
    state: ClockState
    started_at_s: int
    deadline_s: int | None = None
    original_deadline_s: int | None = None
    stopped_at_s: int | None = None
    breached_at_s: int | None = None
    elapsed_business_s: int = 0
    elapsed_calendar_s: int = 0
    target_s: int | None = None
    thresholds_crossed: tuple[str, ...] = ()
    policy: str | None = None
    priority: str | None = None
    basis: str = "business"
    stop_cause: str | None = None

    @property
    def remaining_s(self) -> int | None:
        """Target time left, never below 0; ``None`` without a target."""
        if self.target_s is None:
            return None
        return max(0, self.target_s - self.elapsed_business_s)

    @property
    def consumed_ratio(self) -> float | None:
        """Time counted divided by the target; ``None`` without a target."""
        if self.target_s is None:
            return None
        return self.elapsed_business_s / self.target_s

    @property
    def breached_by_s(self) -> int | None:
        """Time counted beyond the target if breached, else ``None``."""
        if self.breached_at_s is None or self.target_s is None:
            return None
        return max(0, self.elapsed_business_s - self.target_s)

    @property
    def is_running(self) -> bool:
        """Whether the cycle has started and not stopped."""
        return self.stopped_at_s is None

    @property
    def started_at(self) -> pendulum.DateTime:
        """When the cycle started, in UTC."""
        return from_epoch(self.started_at_s)

    @property
    def deadline(self) -> pendulum.DateTime | None:
        """The deadline, in UTC, or ``None``."""
        return _dt(self.deadline_s)

    @property
    def original_deadline(self) -> pendulum.DateTime | None:
        """The first deadline the cycle had, in UTC, or ``None``."""
        return _dt(self.original_deadline_s)

    @property
    def stopped_at(self) -> pendulum.DateTime | None:
        """When the cycle stopped, in UTC, or ``None``."""
        return _dt(self.stopped_at_s)

    @property
    def breached_at(self) -> pendulum.DateTime | None:
        """When the cycle breached, in UTC, or ``None``."""
        return _dt(self.breached_at_s)

    @property
    def elapsed_business(self) -> pendulum.Duration:
        """Time counted against the target."""
        return pendulum.duration(seconds=self.elapsed_business_s)

    @property
    def elapsed_calendar(self) -> pendulum.Duration:
        """Wall-clock time since the start (to the stop, if stopped)."""
        return pendulum.duration(seconds=self.elapsed_calendar_s)

    @property
    def remaining(self) -> pendulum.Duration | None:
        """Target time left, or ``None`` without a target."""
        return _dur(self.remaining_s)

    @property
    def breached_by(self) -> pendulum.Duration | None:
        """Time counted beyond the target, or ``None`` if not breached."""
        return _dur(self.breached_by_s)

    def summary(self) -> str:
        """
        Return the cycle in one line, moments in UTC.

        >>> cycle = sc.sla.CycleReport(
        ...     metric="first_reply", number=0, state=sc.sla.ClockState.BREACHED,
        ...     started_at_s=0, deadline_s=3600, breached_at_s=3600,
        ...     elapsed_business_s=5400, elapsed_calendar_s=5400,
        ...     target_s=3600, policy="standard", priority="high",
        ... )
        >>> print(cycle.summary())
        first_reply[0] breached: 1h 30m of 1h (breached by 30m),
        started 1970-01-01 00:00, deadline 1970-01-01 01:00
        """
        target = (
            ", no target"
            if self.target_s is None
            else f" of {format_duration(self.target_s)}"
        )
        text = (
            f"{self.metric}[{self.number}] {self.state.value}: "
            f"{format_duration(self.elapsed_business_s)}{target}"
        )
        if self.breached_by_s is not None:
            text += f" (breached by {format_duration(self.breached_by_s)})"
        text += f", started {_moment(self.started_at_s)}"
        if self.deadline_s is not None:
            text += f", deadline {_moment(self.deadline_s)}"
        if self.stopped_at_s is not None:
            text += f", stopped {_moment(self.stopped_at_s)}"
        if self.thresholds_crossed:
            text += f", warnings {', '.join(self.thresholds_crossed)}"
        return text

    def outline(self) -> tuple[object, ...]:
        """
        Return what changes only at events, deadlines and thresholds.

        Two reports of the same case differ in their outlines exactly when
        a state, a deadline or a crossed threshold differs; elapsed and
        remaining time are left out, as they change every second.
        """
        return (
            self.metric,
            self.number,
            self.state,
            self.started_at_s,
            self.deadline_s,
            self.stopped_at_s,
            self.breached_at_s,
            self.target_s,
            self.thresholds_crossed,
            self.policy,
        )


@attrs.frozen(kw_only=True)
class MetricReport:
    """
    All cycles of one metric.

    >>> sc.sla.MetricReport(name="next_reply").state
    <ClockState.NOT_STARTED: 'not_started'>

    Args:
        name: The metric's name.
        cycles: Its cycles, oldest first; empty if none started.
    """

    name: str
    cycles: tuple[CycleReport, ...] = ()

    @property
    def state(self) -> ClockState:
        """The state of the latest cycle, or ``not_started``."""
        return self.cycles[-1].state if self.cycles else ClockState.NOT_STARTED

    @property
    def current(self) -> CycleReport | None:
        """The latest cycle, or ``None``."""
        return self.cycles[-1] if self.cycles else None

    @property
    def ever_breached(self) -> bool:
        """Whether any cycle breached."""
        return any(c.breached_at_s is not None for c in self.cycles)


_new_object = object.__new__
_set = object.__setattr__


def metric_report(name: str, cycles: tuple[CycleReport, ...]) -> MetricReport:
    """
    Return ``MetricReport(name=name, cycles=cycles)``, built directly.

    The engine makes one per metric of every report; this skips the
    keyword parsing of the attrs constructor (there is nothing to check).
    """
    report = _new_object(MetricReport)
    _set(report, "name", name)
    _set(report, "cycles", cycles)
    return report


@attrs.frozen(kw_only=True)
class PolicyChoice:
    """
    Which policy applies to a case, chosen at its latest event, and why.

    >>> choice = sc.sla.PolicyChoice(policy="vip", index=1, at_s=0,
    ...                          rejected=("enterprise",))
    >>> print(choice.explain())
    policy 'vip' (policies[1]) applies, chosen at 1970-01-01T00:00:00+00:00;
    did not match: 'enterprise'

    Args:
        policy: The name of the policy applied; ``None`` for no SLA.
        index: Its position in the policy set; ``None`` for no SLA.
        at_s: The moment of the selection (the latest event's moment).
        rejected: The policies before it that did not match, in order.
        explainer: Builds the conditions' explanation when asked.
    """

    policy: str | None
    index: int | None
    at_s: int
    rejected: tuple[str, ...] = ()
    explainer: Callable[[], str] | None = attrs.field(
        default=None, eq=False, repr=False
    )

    def explain(self) -> str:
        """Return why this policy applies, with the conditions' detail."""
        when = from_epoch(self.at_s).isoformat()
        if self.policy is None:
            head = f"no SLA policy matched at {when}"
        else:
            head = (
                f"policy {self.policy!r} (policies[{self.index}]) applies, "
                f"chosen at {when}"
            )
        if self.rejected:
            head += "; did not match: " + ", ".join(
                repr(r) for r in self.rejected
            )
        if self.explainer is not None:
            detail = self.explainer()
            if detail:
                head += "\n" + detail
        return head


#: A report's ledger, or what builds it on first read (see SLAReport.ledger).
LedgerSource = (
    tuple[SLALedgerEntry, ...] | Callable[[], tuple[SLALedgerEntry, ...]]
)


def _entries(source: LedgerSource) -> tuple[SLALedgerEntry, ...]:
    return source if isinstance(source, tuple) else source()


def _same_ledger(a: LedgerSource, b: LedgerSource) -> bool:
    return _entries(a) == _entries(b)


@attrs.frozen(kw_only=True, repr=False)
class SLAReport:
    """
    The SLA state of one case at one moment.

    Build one with :meth:`SLAEngine.evaluate`.

    >>> report = sc.SLAReport(case_id="c-1", at_s=0, metrics={})
    >>> report.next_change_at is None, report.ledger
    (True, ())

    Args:
        case_id: The case's id.
        at_s: The moment evaluated, epoch seconds.
        metrics: Each tracked metric's report, by name, in metric order.
        ledger: What happened to the clocks up to ``at``, in order.
        choice: The policy applied at the latest event, and why.
        next_change_at_s: The earliest moment after ``at`` at which a
            state or a crossed threshold changes if no event arrives;
            ``None`` if nothing will.
    """

    case_id: str
    at_s: int
    metrics: Mapping[str, MetricReport]
    # The engine passes a builder: most callers never read the ledger, so
    # its entries (and their causes, in words) are made on first read.
    _ledger: LedgerSource = attrs.field(
        default=(),
        alias="ledger",
        eq=attrs.cmp_using(eq=_same_ledger, require_same_type=False),
        hash=False,
    )
    choice: PolicyChoice | None = None
    next_change_at_s: int | None = None

    @property
    def ledger(self) -> tuple[SLALedgerEntry, ...]:
        """What happened to the clocks up to ``at``, in order."""
        source = self._ledger
        if isinstance(source, tuple):
            return source
        entries = source()
        # Frozen, but the builder is pure: keep its result for later reads.
        object.__setattr__(self, "_ledger", entries)
        return entries

    def __repr__(self) -> str:
        """Return the fields, the ledger's entries built."""
        return (
            f"SLAReport(case_id={self.case_id!r}, at_s={self.at_s!r}, "
            f"metrics={self.metrics!r}, ledger={self.ledger!r}, "
            f"choice={self.choice!r}, "
            f"next_change_at_s={self.next_change_at_s!r})"
        )

    @property
    def at(self) -> pendulum.DateTime:
        """The moment evaluated, in UTC."""
        return from_epoch(self.at_s)

    @property
    def next_change_at(self) -> pendulum.DateTime | None:
        """When to look again, in UTC; ``None`` if nothing will change."""
        return _dt(self.next_change_at_s)

    @property
    def policy(self) -> str | None:
        """The name of the policy applied now; ``None`` for no SLA."""
        return None if self.choice is None else self.choice.policy

    @property
    def cycles(self) -> tuple[CycleReport, ...]:
        """Every cycle of every metric, in metric order."""
        return tuple(c for m in self.metrics.values() for c in m.cycles)

    def __getitem__(self, metric: str) -> MetricReport:
        """Return the report of *metric*."""
        return self.metrics[metric]

    def summary(self) -> str:
        """
        Return the report as text: the policy, each cycle, the next change.

        >>> print(sc.SLAReport(case_id="c-1", at_s=0, metrics={}).summary())
        case c-1 at 1970-01-01 00:00 UTC: no SLA policy; nothing due
        """
        policy = (
            "no SLA policy"
            if self.policy is None
            else (f"policy {self.policy!r}")
        )
        due = (
            "nothing due"
            if self.next_change_at_s is None
            else f"next change {_moment(self.next_change_at_s)}"
        )
        lines = [
            f"case {self.case_id} at {_moment(self.at_s)} UTC: {policy}; {due}"
        ]
        lines.extend(f"  {cycle.summary()}" for cycle in self.cycles)
        return "\n".join(lines)

    def outline(self) -> tuple[object, ...]:
        """Return the cycles' outlines: equal exactly when no state differs."""
        return tuple(c.outline() for c in self.cycles)
