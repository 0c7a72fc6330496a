"""
SLA engine throughput: cases evaluated per second, and peak memory.

Generates N cases (default 100,000; ``--cases N``) with
``sc.generate_cases`` and evaluates each with ``SLAEngine.evaluate_s`` under
``examples/policies/support.toml`` (11 policies, 4 priorities, 6 metrics,
three calendars incl. follow-the-sun and a customer-zone variant), at the
moment of the last event. Throughput is cases per second of this process's
CPU time (``time.process_time``: the figure holds on a machine shared with
other work); wall time is printed and recorded too. Peak memory is measured in a second, smaller run
under ``tracemalloc`` (which slows Python down), so the timed run is clean.
No other library evaluates SLA clocks, so there is no peer to compare
with; the figures are absolute. For scale, the same run measures a floor:
reading every event of every case once and doing, for each cycle the
engine reported, its deadline and elapsed business time in the example's
business calendar and one result tuple, and nothing else. No evaluation
in Python can be faster than that. Writes ``benchmarks/results/sla.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import tracemalloc
from importlib import metadata
from pathlib import Path

import servicecore as sc

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "examples" / "policies" / "support.toml"
TARGET = 50_000


def _floor(
    cases: list[sc.Case], cycles: list[int], calendar: sc.sla.BusinessClock
) -> float:
    """
    Return the CPU seconds of the floor: each event read, each cycle timed.

    Per case: one pass classifying its events as the engine must, then per
    cycle one ``add_s`` (the deadline), one ``between_s`` (time counted)
    and one tuple of 16 fields (the cycle report).
    """
    add_s, between_s = calendar.add_s, calendar.between_s
    began = time.process_time()
    for case, count in zip(cases, cycles, strict=True):
        roles = []
        for event in case.events:
            if isinstance(event, sc.MessageAdded):
                it = event.interaction
                roles.append((it.public, it.direction, it.author_kind))
            elif isinstance(event, sc.StatusChanged):
                roles.append(event.status)
            else:
                roles.append(event.kind)
        start = case.events[0].at_s
        for k in range(count):
            deadline = add_s(start, 3600)
            counted = between_s(start, deadline)
            roles.append(
                (
                    *(k, start, deadline, counted, None, None, 0, 0),
                    *(0, 0, 0, 0, None, None, None, None),
                )
            )
    return time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"python {platform.python_version()} ({platform.machine()})")
    print(
        f"servicecore {sc.__version__}, pendulum {metadata.version('pendulum')}"
    )
    print("peers: none (no other library evaluates SLA clocks)")

    policies = sc.SLAPolicySet.load(POLICIES)
    engine = sc.SLAEngine(policies)
    print(
        f"{len(policies)} policies, metrics {[m.name for m in engine.tracked]}"
    )

    began = time.perf_counter()
    cases = sc.generate_cases(args.cases, seed=args.seed)
    print(
        f"generated {len(cases)} cases in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    events = sum(len(case.events) for case in cases)
    at_s = max(case.events[-1].at_s for case in cases)

    began = time.perf_counter()
    began_cpu = time.process_time()
    breached = 0
    cycles = []
    for case in cases:
        report = engine.evaluate_s(case, at_s)
        every = report.cycles
        cycles.append(len(every))
        breached += any(c.breached_at_s is not None for c in every)
    elapsed_cpu = time.process_time() - began_cpu
    elapsed = time.perf_counter() - began
    rate = len(cases) / elapsed_cpu
    floor_rate = len(cases) / _floor(
        cases, cycles, policies.calendars["follow_the_sun"]
    )

    sample = cases[: min(len(cases), 10_000)]
    tracemalloc.start()
    reports = [engine.evaluate_s(case, at_s) for case in sample]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del reports

    print(
        f"evaluate: {len(cases)} cases ({events} events) in {elapsed_cpu:.1f} s"
        f" of CPU ({elapsed:.1f} s wall) = {rate:,.0f} cases/s of CPU time "
        f"({rate / TARGET:.1%} of the {TARGET:,} target); "
        f"{breached / len(cases):.1%} of cases breached a target"
    )
    print(
        f"floor (each event read once, each of the {sum(cycles):,} cycles"
        f" timed in the calendar, nothing else): {floor_rate:,.0f} cases/s"
        f" of CPU time; the engine runs at {rate / floor_rate:.1%} of it"
    )
    print(
        f"peak traced memory holding {len(sample)} reports: {peak / 1e6:.1f} MB"
    )
    result = {
        "python": platform.python_version(),
        "servicecore": sc.__version__,
        "cases": len(cases),
        "events": events,
        "policies": len(policies),
        "cpu_seconds": round(elapsed_cpu, 3),
        "wall_seconds": round(elapsed, 3),
        "cases_per_second": round(rate, 1),
        "cases_per_second_measured_by": "process_time (CPU time)",
        "target_cases_per_second": TARGET,
        "cycles": sum(cycles),
        "floor_cases_per_second": round(floor_rate, 1),
        "peak_memory_mb_10k_reports": round(peak / 1e6, 1),
        "peers": {},
    }
    out = ROOT / "benchmarks" / "results" / "sla.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
