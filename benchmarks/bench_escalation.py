"""
Escalation throughput: ``EscalationEngine.decide`` over generated cases.

Operations:

- ``decide``: one ``decide(case, at)`` call, end to end: the SLA engine's
  evaluation of the case (which SLA triggers read) included.
- ``decide_with_sla_report``: the same call given the SLA report the host
  already has for that case and moment (``sla_report=``): the escalation
  engine's own work.
- ``decide_no_sla_triggers``: the policies without SLA triggers (elapsed
  time and conditions only), so no SLA evaluation is needed.

Cases come from ``servicecore.generate_cases``; each is decided at three
moments of its life (after its first event, in the middle, after its last).
The policy set is ``examples/escalation/policies.toml`` (5 policies, 7
levels: thresholds, breaches, elapsed business time, conditions) with its
SLA section. There is no peer library for escalation rules, so no ratio.
Target: at least 30,000 ``decide`` calls per second. Rates are calls per
CPU second of this process, best of three rounds.

    python benchmarks/bench_escalation.py
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import servicecore as sc

TARGET = 30_000
HERE = Path(__file__).parent
POLICIES = HERE.parent / "examples" / "escalation" / "policies.toml"
CASES = 400


def _moments(case: sc.Case) -> list[int]:
    events = case.events
    return [
        events[0].at_s + 60,
        events[len(events) // 2].at_s + 600,
        events[-1].at_s + 3600,
    ]


def _rate(calls: list[tuple[object, ...]], function: object) -> float:
    """
    Return calls per CPU second of the best of three rounds.

    CPU time of this process, not wall time: the machine is shared, and
    other jobs' load would otherwise count against us.
    """
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for args in calls:
            function(*args)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return len(calls) / best


def _calibration_us() -> float:
    """Return microseconds for sum() of 100 ints: how loaded the machine is."""
    numbers = list(range(100))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(20_000):
            sum(numbers)
        best = min(best, time.perf_counter() - start)
    return best / 20_000 * 1e6


def main() -> None:
    """Run the benchmark, print it and write results/escalation.json."""
    document = sc.load_policies(POLICIES)
    sla = sc.SLAEngine(document.sections["sla"])
    policies = document.sections["escalation"]
    engine = sc.EscalationEngine(policies, sla=sla)
    plain = sc.EscalationEngine(
        [
            p
            for p in policies
            if not any(
                isinstance(
                    lv.trigger,
                    sc.escalation.ThresholdTrigger
                    | sc.escalation.BreachTrigger,
                )
                for lv in p.levels
            )
        ],
        calendars=policies.calendars,
    )
    cases = sc.generate_cases(CASES, seed=11)
    calls = [(case, at) for case in cases for at in _moments(case)]
    with_reports = [(case, at, sla.evaluate_s(case, at)) for case, at in calls]

    def given_report(case: sc.Case, at: int, report: object) -> object:
        return engine.decide_s(case, at, sla_report=report)

    results = {
        "decide": _rate(calls, engine.decide_s),
        "decide_with_sla_report": _rate(with_reports, given_report),
        "decide_no_sla_triggers": _rate(calls, plain.decide_s),
        "sla_evaluate_alone": _rate(calls, sla.evaluate_s),
    }
    environment = {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "servicecore": metadata.version("servicecore"),
        "pendulum": metadata.version("pendulum"),
        "peers": {},
        # ~0.4 us on an idle modern x86 core; higher means a loaded machine.
        "calibration_sum_100_ints_us": round(_calibration_us(), 2),
    }
    print(f"servicecore escalation benchmark; {environment}")
    print(
        f"{len(calls)} decide calls over {CASES} generated cases, "
        f"{len(policies)} policies from {POLICIES.name}"
    )
    for name, rate in results.items():
        print(f"  {name:<26} {rate:>12,.0f} calls per CPU second")
    verdict = "meets" if results["decide"] >= TARGET else "misses"
    print(f"target {TARGET:,}/s for decide: {verdict} it")
    out = HERE / "results" / "escalation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "environment": environment,
                "calls": len(calls),
                "target_per_s": TARGET,
                "per_second": {k: round(v) for k, v in results.items()},
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
