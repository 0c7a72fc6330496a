"""``servicecore validate FILE``: check a policy document, report every problem."""

from __future__ import annotations

import argparse
import errno
import json
import os
from pathlib import Path
from typing import Any

from servicecore._files import MAX_DOCUMENT_BYTES
from servicecore.cli._problems import Problem, problems, text_line
from servicecore.config import load_policies
from servicecore.errors import PluginError, PolicyError
from servicecore.plugins import Registry


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
    parser.add_argument("file", type=Path, help="the policy document")
    parser.add_argument(
        "--input-format",
        choices=["toml", "json"],
        help="the file's format (default: from its extension)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="the output: one line a problem (text) or one JSON object",
    )
    parser.add_argument(
        "--plugins",
        action="store_true",
        help="load the installed plugins (entry points) first",
    )
    parser.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_DOCUMENT_BYTES,
        help=f"refuse a larger file (default: {MAX_DOCUMENT_BYTES:,} bytes)",
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    """Return *text* as a whole number above 0, for argparse."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        message = f"expected a whole number above 0, got {text!r}"
        raise argparse.ArgumentTypeError(message)
    return value


def run(args: argparse.Namespace) -> int:
    """
    Print ``ok``, or each problem as ``file:line: path: problem``.

    With ``--format json``, one object: ``{"file", "ok", "problems"}``,
    each problem ``{"location", "line", "problem"}`` (``line`` is ``null``
    when not found). Returns 0 for a valid document and 1 otherwise; a
    missing file is a usage error (``OSError``, exit 2).
    """
    path: Path = args.file
    if not path.exists():
        raise FileNotFoundError(
            errno.ENOENT, os.strerror(errno.ENOENT), str(path)
        )
    registry = Registry.with_entry_points() if args.plugins else Registry()
    found: list[Problem] = []
    try:
        load_policies(
            path,
            format=args.input_format,
            registry=registry,
            max_bytes=args.max_bytes,
        )
    except (PolicyError, PluginError) as exc:
        # A plugin that fails on the document is one of its problems too.
        found = problems(path, exc, max_bytes=args.max_bytes)
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
