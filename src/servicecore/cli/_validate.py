"""``servicecore validate FILE``: check a policy document, report every problem."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from servicecore.cli._options import (
    add_format_option,
    add_policy_options,
    input_file,
    registry,
)
from servicecore.cli._problems import Problem, problems, text_line
from servicecore.config import load_policies
from servicecore.errors import PluginError, PolicyError


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check a policy document (TOML or JSON) and print every problem",
        description=(
            "Check a policy document as every engine it feeds would: 'ok' "
            "means the SLA engine, the escalation engine and the "
            "personalizer all accept it."
        ),
    )
    parser.add_argument("file", type=input_file, help="the policy document")
    parser.add_argument(
        "--input-format",
        choices=["toml", "json"],
        help="the file's format (default: from its extension)",
    )
    add_format_option(parser)
    add_policy_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """
    Print ``ok``, or each problem as ``file:line: path: problem``.

    With ``--format json``, one object: ``{"file", "ok", "problems"}``,
    each problem ``{"location", "line", "problem"}`` (``line`` is ``null``
    when not found). Returns 0 for a valid document and 1 otherwise; a
    missing file is a usage error (exit 2). The registry is the one every
    other command evaluates with (:func:`~servicecore.cli._options.registry`),
    so "ok" means what those commands will accept.
    """
    path: Path = args.file
    found: list[Problem] = []
    try:
        load_policies(
            path,
            format=args.input_format,
            registry=registry(args),
            max_bytes=args.max_file_bytes,
        )
    except (PolicyError, PluginError) as exc:
        # A plugin that fails on the document is one of its problems too.
        found = problems(path, exc, max_bytes=args.max_file_bytes)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "file": str(path),
                    "ok": not found,
                    "problems": [problem._asdict() for problem in found],
                },
                indent=2,
            )
        )
    elif found:
        for problem in found:
            print(text_line(path, problem))
        count = len(found)
        print(f"{path}: {count} problem{'s' if count != 1 else ''}")
    else:
        print(f"{path}: ok")
    return 1 if found else 0
