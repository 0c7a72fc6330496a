"""``servicecore escalation simulate``: replay cases against escalation policies."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from servicecore.cli import _options
from servicecore.errors import PolicyError
from servicecore.escalation import (
    EscalationEngine,
    EscalationPolicySet,
    simulate,
)
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
        type=_options.input_file,
        required=True,
        help="a policy document with an [escalation] (and [sla]) section",
    )
    _options.add_cases_options(sim)
    sim.add_argument(
        "--horizon",
        type=_options.duration,
        default="7d",
        help="replay up to this long after each case's last event (7d)",
    )
    sim.add_argument(
        "--details",
        action="store_true",
        help="also list every escalation (text: one a line before the "
        'summary; JSON: under "escalations_fired")',
    )
    _options.add_policy_options(sim)
    _options.add_format_option(sim)
    sim.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print a per-level summary (and with ``--details`` each escalation)."""
    document = _options.load_document(args.policies, args)
    policies = document.sections.get("escalation")
    if not isinstance(policies, EscalationPolicySet) or not len(policies):
        raise PolicyError(
            str(args.policies),
            "no escalation policies (an [escalation] section)",
        )
    sla_policies = document.sections.get("sla")
    sla = (
        SLAEngine(sla_policies, registry=_options.registry(args))
        if isinstance(sla_policies, SLAPolicySet) and len(sla_policies)
        else None
    )
    engine = EscalationEngine(policies, sla=sla)
    fired: Counter[tuple[str, int]] = Counter()
    cases_hit: dict[tuple[str, int], set[str]] = {}
    details: list[dict[str, object]] = []
    count = 0
    for case in _options.read_cases_file(args.cases, args):
        count += 1
        until = _options.later(case.events[-1].at_s, args.horizon, "--horizon")
        for decision in simulate(case, engine, until):
            key = (decision.policy, decision.level)
            fired[key] += 1
            cases_hit.setdefault(key, set()).add(case.id)
            if args.details and args.format == "json":
                details.append(
                    {
                        "case": case.id,
                        "at": decision.at.isoformat(),
                        "policy": decision.policy,
                        "level": decision.level,
                        "name": decision.level_name,
                        "reason": decision.reason,
                    }
                )
            elif args.details:
                print(f"{case.id} {decision}")
    levels = [
        {
            "policy": policy.name,
            "level": index,
            "name": level.name or "",
            "trigger": level.trigger.kind,
            "fired": fired[policy.name, index],
            "cases": len(cases_hit.get((policy.name, index), ())),
        }
        for policy in policies
        for index, level in enumerate(policy.levels)
    ]
    total = sum(fired.values())
    if args.format == "json":
        data: dict[str, object] = {
            "cases": count,
            "escalations": total,
            "levels": levels,
        }
        if args.details:
            data["escalations_fired"] = details
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    _print_table(levels)
    print(
        f"{_options.plural(count, 'case')}, "
        f"{_options.plural(total, 'escalation')}"
    )
    return 0


def _print_table(levels: list[dict[str, object]]) -> None:
    """Print one row per level: the text columns left, the counts right."""
    columns = ("policy", "level", "name", "trigger", "fired", "cases")
    rows: list[tuple[str, ...]] = [columns]
    rows += [tuple(str(level[c]) or "-" for c in columns) for level in levels]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    for row in rows:
        cells = [
            cell.rjust(width) if i >= 4 else cell.ljust(width)  # noqa: PLR2004 - counts
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
