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
from servicecore._time import from_epoch
from servicecore.cli import _options
from servicecore.errors import PolicyError, SerializationError
from servicecore.models import Case
from servicecore.sla import (
    ComplianceReport,
    ComplianceRow,
    SLAEngine,
    SLAPolicySet,
)

_PROGRESS_EVERY = 10_000
#: The most cases ``bench --generate`` makes.
MAX_GENERATED = 1_000_000
#: The dimensions of the rows ``sla diff --format json`` compares.
_DIFF_DIMENSIONS = ("all", "policy", "priority", "channel", "team", "month")


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``sla`` command (``report``, ``diff``) and ``bench``."""
    sla = subparsers.add_parser(
        "sla", help="SLA compliance of cases under a policy set"
    )
    commands = sla.add_subparsers(dest="sla_command", required=True)
    report = commands.add_parser(
        "report", help="compliance of the cases under the policies"
    )
    report.add_argument("--policies", type=_options.input_file, required=True)
    _options.add_cases_options(report)
    _add_moment_option(report)
    _options.add_policy_options(report)
    _options.add_format_option(report)
    report.set_defaults(func=run_report)
    diff = commands.add_parser(
        "diff", help="what another policy set would change over the cases"
    )
    diff.add_argument(
        "--policies", type=_options.input_file, required=True, help="current"
    )
    diff.add_argument(
        "--against", type=_options.input_file, required=True, help="proposed"
    )
    _options.add_cases_options(diff)
    _add_moment_option(diff)
    _options.add_policy_options(diff)
    _options.add_format_option(diff)
    diff.set_defaults(func=run_diff)
    bench = subparsers.add_parser(
        "bench", help="cases per second and compliance under a policy set"
    )
    bench.add_argument("--policies", type=_options.input_file, required=True)
    source = bench.add_mutually_exclusive_group()
    _options.add_cases_options(bench, group=source)
    source.add_argument(
        "--generate",
        type=_options.count(1, MAX_GENERATED),
        default=10_000,
        metavar="N",
        help=f"generate N cases, 1 to {MAX_GENERATED:,} (default 10,000)",
    )
    bench.add_argument("--seed", type=int, default=0)
    _options.add_policy_options(bench)
    _options.add_format_option(bench)
    bench.set_defaults(func=run_bench)


def _add_moment_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--at",
        type=_options.moment,
        help="the moment, ISO 8601 with an offset (default: now); cases "
        "created after it are left out",
    )


def _engine(path: Path, args: argparse.Namespace) -> SLAEngine:
    """Return the engine of the ``[sla]`` section of the document at *path*."""
    document = _options.load_document(path, args)
    policies = document.sections.get("sla")
    if not isinstance(policies, SLAPolicySet) or not len(policies):
        raise PolicyError(str(path), "no SLA policies (an [sla] section)")
    return SLAEngine(policies, registry=_options.registry(args))


def _progress(cases: Iterable[Case]) -> Iterator[Case]:
    """Yield *cases*, telling standard error every 10,000."""
    for number, case in enumerate(cases, start=1):
        yield case
        if number % _PROGRESS_EVERY == 0:
            print(f"... {number:,} cases", file=sys.stderr, flush=True)


def _existing(
    path: Path, at: pendulum.DateTime, args: argparse.Namespace
) -> Iterator[Case]:
    """Yield the cases of *path* created by *at* (the others do not count)."""
    at_s = int(at.timestamp())
    for case in _progress(_options.read_cases_file(path, args)):
        if case.events[0].at_s <= at_s:
            yield case


def run_report(args: argparse.Namespace) -> int:
    """Print the compliance report; exit code 0."""
    engine = _engine(args.policies, args)
    at = _options.moment_or_now(args.at)
    report = engine.compliance(_existing(args.cases, at, args), at)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.to_text())
    return 0


def _rate_change(
    old: ComplianceReport, new: ComplianceReport
) -> list[dict[str, object]]:
    """Return the rows whose counts differ between *old* and *new*."""
    keys = {
        (row.dimension, row.value, row.metric)
        for report in (old, new)
        for row in report.rows
        if row.dimension in _DIFF_DIMENSIONS
    }
    order = {d: i for i, d in enumerate(_DIFF_DIMENSIONS)}
    changed: list[dict[str, object]] = []
    for dimension, value, metric in sorted(
        keys, key=lambda key: (order[key[0]], key[1], key[2])
    ):
        before = old.row(metric, dimension, value)
        after = new.row(metric, dimension, value)
        sides = [_counts(before), _counts(after)]
        if sides[0] != sides[1]:
            changed.append(
                {
                    "dimension": dimension,
                    "value": value,
                    "metric": metric,
                    "old": sides[0],
                    "new": sides[1],
                }
            )
    return changed


def _counts(row: ComplianceRow | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {
        "achieved": row.achieved,
        "breached": row.breached,
        "in_progress": row.in_progress,
        "rate": row.rate,
    }


def run_diff(args: argparse.Namespace) -> int:
    """Print what the proposed policies change; exit code 0."""
    old = _engine(args.policies, args)
    new = _engine(args.against, args)
    at = _options.moment_or_now(args.at)
    diff = old.diff(new, _existing(args.cases, at, args), at)
    if args.format == "json":
        data = {
            "at": from_epoch(diff.old.at_s).isoformat(),
            "cases": diff.old.cases,
            "newly_breached": [list(c) for c in diff.newly_breached],
            "no_longer_breached": [list(c) for c in diff.no_longer_breached],
            "changed": _rate_change(diff.old, diff.new),
            "percentile_changes": {
                metric: {f"p{p}": change for p, change in changes.items()}
                for metric, changes in diff.percentile_changes().items()
            },
        }
        print(json.dumps(data, indent=2))
    else:
        print(diff.to_text())
    return 0


def run_bench(args: argparse.Namespace) -> int:
    """Print cases per second, peak memory and the compliance reached."""
    engine = _engine(args.policies, args)
    if args.cases is not None:
        cases = list(_progress(_options.read_cases_file(args.cases, args)))
        if not cases:
            raise SerializationError(str(args.cases), "no cases to evaluate")
    else:
        print(f"generating {args.generate:,} cases ...", file=sys.stderr)
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
    compliance = ComplianceReport.from_reports(
        zip(cases, reports, strict=True), at_s=at_s
    )
    if args.format == "json":
        data = {
            "cases": len(cases),
            "seconds": elapsed,
            "cases_per_second": rate,
            "peak_memory_bytes": peak,
            "peak_memory_reports": len(sample),
            "compliance": compliance.to_dict(),
        }
        print(json.dumps(data, indent=2))
        return 0
    print(
        f"{_options.plural(len(cases), 'case')} in {elapsed:.2f} s: "
        f"{rate:,.0f} cases/s; peak memory holding "
        f"{_options.plural(len(sample), 'report')} {peak / 1e6:.1f} MB"
    )
    print(compliance.to_text(dimensions=("all", "policy")))
    return 0
