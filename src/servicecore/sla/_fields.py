"""``sla.<metric>.*`` condition fields: an SLA engine's view of a context."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from servicecore.conditions import EvaluationContext, Field, FieldType
from servicecore.sla._report import ClockState, CycleReport, SLAReport

if TYPE_CHECKING:
    from servicecore.sla._engine import SLAEngine

__all__ = ["sla_fields"]

_STATE = FieldType.enum("SLA state", [state.value for state in ClockState])


def _report(
    engine: SLAEngine, metric: str, context: EvaluationContext
) -> SLAReport | None:
    """
    Return *metric*'s part of the SLA report of the context's case.

    One evaluation per metric and context: conditions usually read one or
    two metrics, and each metric's clocks run on their own.
    """
    case = context.case
    if case is None:
        return None
    return context.memo(
        ("sla", id(engine), metric),
        lambda: engine.evaluate_s(case, context.at_s, metrics=(metric,)),
    )


def _current(
    engine: SLAEngine, metric: str, context: EvaluationContext
) -> CycleReport | None:
    report = _report(engine, metric, context)
    if report is None:
        return None
    found = report.metrics.get(metric)
    return None if found is None else found.current


def _getter(
    engine: SLAEngine, metric: str, part: str
) -> Callable[[Any], object]:
    def get(context: Any) -> object:  # noqa: ANN401 - an EvaluationContext
        cycle = _current(engine, metric, context)
        if part == "state":
            return (
                ClockState.NOT_STARTED.value
                if cycle is None
                else cycle.state.value
            )
        if cycle is None:
            return False if part == "breached" else None
        if part == "consumed":
            return cycle.consumed_ratio
        if part == "remaining":
            return cycle.remaining_s
        return cycle.breached_at_s is not None

    return get


def sla_fields(engine: SLAEngine) -> list[Field]:
    """
    Return the ``sla.<metric>.*`` fields of *engine*'s metrics.

    For each metric the engine tracks: ``state`` (of its latest cycle,
    ``not_started`` without one, ``measuring`` or ``measured`` without a
    target), ``consumed`` (the share of the target used, 0.75 is 75 %;
    ``None`` without a target), ``remaining`` (target time left, a
    duration; ``None`` without a target) and ``breached`` (whether the
    latest cycle breached). The engine evaluates a context's case once per
    metric, however many of its fields a condition reads.

    Args:
        engine: The SLA engine the fields ask.

    Returns:
        The fields, four per metric.
    """
    fields: list[Field] = []
    for metric in engine.tracked:
        name = metric.name
        parts: list[tuple[str, FieldType, str, object]] = [
            (
                "state",
                _STATE,
                f"the state of the latest {name} cycle",
                "breached",
            ),
            (
                "consumed",
                FieldType.number(),
                f"share of the {name} target used (0.75 is 75 %)",
                0.75,
            ),
            (
                "remaining",
                FieldType.duration(),
                f"{name} target time left",
                "30m",
            ),
            (
                "breached",
                FieldType.boolean(),
                f"whether the latest {name} cycle breached",
                True,
            ),
        ]
        fields.extend(
            Field(
                name=f"sla.{name}.{part}",
                type=ftype,
                get=_getter(engine, name, part),
                description=description,
                example=example,
            )
            for part, ftype, description, example in parts
        )
    return fields
