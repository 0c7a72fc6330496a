"""``servicecore validate FILE``: check a policy document, report every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from servicecore.cli._problems import problem_lines
from servicecore.config import load_policies
from servicecore.errors import PolicyError
from servicecore.plugins import Registry


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check a policy document (TOML or JSON) and print every problem",
    )
    parser.add_argument("file", type=Path, help="the policy document")
    parser.add_argument(
        "--format",
        choices=["toml", "json"],
        help="the file's format (default: from its extension)",
    )
    parser.add_argument(
        "--plugins",
        action="store_true",
        help="load the installed plugins (entry points) first",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """
    Print ``ok``, or each problem as ``file:line: path: problem``.

    Returns 0 for a valid document and 1 otherwise.
    """
    path: Path = args.file
    registry = Registry.with_entry_points() if args.plugins else Registry()
    try:
        load_policies(path, format=args.format, registry=registry)
    except PolicyError as exc:
        problems = problem_lines(path, exc)
        for line in problems:
            print(line)
        count = len(problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''}")
        return 1
    print(f"{path}: ok")
    return 0
