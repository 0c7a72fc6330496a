"""
SLA policies, metric clocks and the engine that evaluates cases.

``SLAEngine(policies).evaluate(case, at)`` replays the case's event log
through each metric's clock and reports, per metric and cycle, the state,
deadline, time consumed and remaining, thresholds crossed and the policy
applied, with a ledger of what happened to each clock and why, and the
next moment anything changes.
"""

from servicecore.sla._clock import BusinessClock
from servicecore.sla._compliance import (
    ComplianceReport,
    ComplianceRow,
    MetricTimes,
    PolicyDiff,
)
from servicecore.sla._engine import SLAEngine, sla_metrics
from servicecore.sla._metrics import (
    BUILTIN_METRICS,
    ClockBasis,
    MetricDefinition,
    MetricSignal,
    ReopenRule,
    TargetChangeRule,
)
from servicecore.sla._policy import (
    MetricSettings,
    SLAPolicy,
    SLAPolicySet,
    SLAThreshold,
)
from servicecore.sla._report import (
    ClockState,
    CycleReport,
    LedgerKind,
    MetricReport,
    PolicyChoice,
    SLALedgerEntry,
    SLAReport,
)

__all__ = [
    "BUILTIN_METRICS",
    "BusinessClock",
    "ClockBasis",
    "ClockState",
    "ComplianceReport",
    "ComplianceRow",
    "CycleReport",
    "LedgerKind",
    "MetricDefinition",
    "MetricReport",
    "MetricSettings",
    "MetricSignal",
    "MetricTimes",
    "PolicyChoice",
    "PolicyDiff",
    "ReopenRule",
    "SLAEngine",
    "SLALedgerEntry",
    "SLAPolicy",
    "SLAPolicySet",
    "SLAReport",
    "SLAThreshold",
    "TargetChangeRule",
    "sla_metrics",
]
