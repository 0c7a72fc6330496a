"""
``servicecore sla report|diff`` and ``servicecore bench``.

What a support team runs against its own rules and history: the SLA
compliance of its cases under a policy set, what another policy set would
change, and how fast servicecore evaluates them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pendulum

from servicecore._examples import generate_cases
from servicecore.errors import InvalidValueError
from servicecore.models import Case, read_cases
from servicecore.sla import SLAEngine, SLAPolicySet

_PROGRESS_EVERY = 10_000


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``sla`` command (``report``, ``diff``) and ``bench``."""
    sla = subparsers.add_parser(
        "sla", help="SLA compliance of cases under a policy set"
    )
    commands = sla.add_subparsers(dest="sla_command", required=True)
    report = commands.add_parser(
        "report", help="compliance of the cases under the policies"
    )
    report.add_argument("--policies", type=Path, required=True)
    report.add_argument(
        "--cases", type=Path, required=True, help="cases as JSON Lines"
    )
    report.add_argument(
        "--at", help="the moment, ISO 8601 (default: now); naive means UTC"
    )
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.set_defaults(func=run_report)
    diff = commands.add_parser(
        "diff", help="what another policy set would change over the cases"
    )
    diff.add_argument("--policies", type=Path, required=True, help="current")
    diff.add_argument("--against", type=Path, required=True, help="proposed")
    diff.add_argument("--cases", type=Path, required=True)
    diff.add_argument("--at", help="the moment, ISO 8601 (default: now)")
    diff.add_argument("--format", choices=["text", "json"], default="text")
    diff.set_defaults(func=run_diff)
    bench = subparsers.add_parser(
        "bench", help="cases per second and compliance under a policy set"
    )
    bench.add_argument("--policies", type=Path, required=True)
    source = bench.add_mutually_exclusive_group()
    source.add_argument("--cases", type=Path, help="cases as JSON Lines")
    source.add_argument(
        "--generate", type=int, default=10_000, help="generate N cases"
    )
    bench.add_argument("--seed", type=int, default=0)
    bench.set_defaults(func=run_bench)


def _moment(text: str | None) -> pendulum.DateTime:
    if text is None:
        return pendulum.now("UTC")
    try:
        parsed = pendulum.parse(text, tz="UTC")
    except (ValueError, TypeError) as exc:
        raise InvalidValueError(
            "--at", f"{text!r} is not an ISO 8601 moment: {exc}"
        ) from exc
    if not isinstance(parsed, pendulum.DateTime):
        raise InvalidValueError("--at", f"{text!r} is not a moment")
    return parsed


def _progress(cases: Iterable[Case]) -> Iterator[Case]:
    """Yield *cases*, telling standard error every 10,000."""
    for count, case in enumerate(cases, start=1):
        yield case
        if count % _PROGRESS_EVERY == 0:
            print(f"... {count} cases", file=sys.stderr, flush=True)


def run_report(args: argparse.Namespace) -> int:
    """Print the compliance report; exit code 0."""
    engine = SLAEngine(SLAPolicySet.load(args.policies))
    report = engine.compliance(
        _progress(read_cases(args.cases)), _moment(args.at)
    )
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.to_text())
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Print what the proposed policies change; exit code 0."""
    old = SLAEngine(SLAPolicySet.load(args.policies))
    new = SLAEngine(SLAPolicySet.load(args.against))
    diff = old.diff(new, _progress(read_cases(args.cases)), _moment(args.at))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "newly_breached": [list(c) for c in diff.newly_breached],
                    "no_longer_breached": [
                        list(c) for c in diff.no_longer_breached
                    ],
                    "old": diff.old.to_dict(),
                    "new": diff.new.to_dict(),
                },
                indent=2,
            )
        )
    else:
        print(diff.to_text())
    return 0


def run_bench(args: argparse.Namespace) -> int:
    """Print cases per second, peak memory and the compliance reached."""
    engine = SLAEngine(SLAPolicySet.load(args.policies))
    if args.cases is not None:
        cases = list(_progress(read_cases(args.cases)))
    else:
        print(f"generating {args.generate} cases ...", file=sys.stderr)
        cases = generate_cases(args.generate, seed=args.seed)
    at_s = max(case.events[-1].at_s for case in cases)
    began = time.perf_counter()
    reports = [engine.evaluate_s(case, at_s) for case in _progress(cases)]
    elapsed = time.perf_counter() - began
    rate = len(cases) / elapsed if elapsed else float("inf")
    # Memory in a second run: tracing slows Python down too much to time.
    sample = cases[:1000]
    tracemalloc.start()
    kept = [engine.evaluate_s(case, at_s) for case in sample]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    print(
        f"{len(cases)} cases in {elapsed:.2f} s: {rate:,.0f} cases/s; "
        f"peak memory holding {len(sample)} reports {peak / 1e6:.1f} MB"
    )
    from servicecore.sla._compliance import (  # noqa: PLC0415
        ComplianceReport,
    )

    compliance = ComplianceReport.from_reports(
        zip(cases, reports, strict=True), at_s=at_s
    )
    print(compliance.to_text(dimensions=("all", "policy")))
    return 0
