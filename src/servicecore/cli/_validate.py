"""``servicecore validate FILE``: check a policy document, report every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from servicecore.config import line_of, load_policies
from servicecore.errors import PolicyError, PolicyValidationError
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
        problems = (
            list(exc.errors)
            if isinstance(exc, PolicyValidationError) and exc.errors
            else [exc]
        )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        for problem in problems:
            print(_where(path, text, problem))
        count = len(problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''}")
        return 1
    print(f"{path}: ok")
    return 0


def _where(path: Path, text: str, error: PolicyError) -> str:
    """Return the error with the file and, when found, its line in front."""
    if error.location.startswith(str(path)):
        return str(error)
    line = line_of(text, error.location) if text else None
    prefix = f"{path}:{line}" if line else f"{path}"
    return f"{prefix}: {error}"
