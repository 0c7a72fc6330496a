"""``servicecore escalation simulate``: replay cases against escalation policies."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from servicecore._time import duration_seconds, from_epoch
from servicecore.cli._problems import problem_lines
from servicecore.config import load_policies
from servicecore.errors import PolicyError
from servicecore.escalation import (
    EscalationEngine,
    EscalationPolicySet,
    simulate,
)
from servicecore.models import read_cases
from servicecore.plugins import Registry
from servicecore.sla import SLAEngine, SLAPolicySet


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``escalation`` command and its ``simulate`` sub-command."""
    parser = subparsers.add_parser(
        "escalation", help="escalation policies: simulate them on cases"
    )
    commands = parser.add_subparsers(dest="escalation_command", required=True)
    sim = commands.add_parser(
        "simulate",
        help="replay cases (JSON Lines) and summarise what would have fired",
    )
    sim.add_argument(
        "--policies",
        type=Path,
        required=True,
        help="a policy document with an [escalation] (and [sla]) section",
    )
    sim.add_argument(
        "--cases", type=Path, required=True, help="cases, one JSON a line"
    )
    sim.add_argument(
        "--horizon",
        default="7d",
        help="replay up to this long after each case's last event (7d)",
    )
    sim.add_argument(
        "--details",
        action="store_true",
        help="also list every escalation, one a line",
    )
    sim.add_argument(
        "--plugins",
        action="store_true",
        help="load the installed plugins (entry points) first",
    )
    sim.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """
    Print a per-level summary (and with ``--details`` each escalation).

    Returns 0, or 1 when the document has no escalation policies.
    """
    registry = Registry.with_entry_points() if args.plugins else Registry()
    horizon = duration_seconds(args.horizon, "--horizon")
    try:
        document = load_policies(args.policies, registry=registry)
    except PolicyError as exc:
        _report(args.policies, exc)
        return 2
    policies = document.sections.get("escalation")
    if not isinstance(policies, EscalationPolicySet) or not len(policies):
        print(f"{args.policies}: no escalation policies")
        return 1
    sla_policies = document.sections.get("sla")
    sla = (
        SLAEngine(sla_policies, registry=registry)
        if isinstance(sla_policies, SLAPolicySet) and len(sla_policies)
        else None
    )
    engine = EscalationEngine(policies, sla=sla)
    fired: Counter[tuple[str, int]] = Counter()
    cases_hit: dict[tuple[str, int], set[str]] = {}
    count = 0
    try:
        stream = args.cases.open("rb")
    except OSError as exc:
        raise PolicyError(
            str(args.cases), f"cannot read the file: {exc.strerror or exc}"
        ) from exc
    with stream:
        for case in read_cases(stream):
            count += 1
            until = from_epoch(case.events[-1].at_s + horizon)
            for decision in simulate(case, engine, until):
                key = (decision.policy, decision.level)
                fired[key] += 1
                cases_hit.setdefault(key, set()).add(case.id)
                if args.details:
                    print(f"{case.id} {decision}")
    rows = [("policy", "level", "name", "trigger", "fired", "cases")]
    for policy in policies:
        for index, level in enumerate(policy.levels):
            key = (policy.name, index)
            rows.append(
                (
                    policy.name,
                    str(index),
                    level.name or "-",
                    level.trigger.kind,
                    str(fired[key]),
                    str(len(cases_hit.get(key, ()))),
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            cell.rjust(width) if i >= 4 else cell.ljust(width)  # noqa: PLR2004 - counts
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    total = sum(fired.values())
    print(
        f"{count} case{'s' if count != 1 else ''}, {total} "
        f"escalation{'s' if total != 1 else ''}"
    )
    return 0


def _report(path: Path, error: PolicyError) -> None:
    """Print each problem of the document as ``file:line: path: problem``."""
    for line in problem_lines(path, error):
        print(f"servicecore: error: {line}", file=sys.stderr)
