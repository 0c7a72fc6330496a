"""``servicecore demo``: servicecore on generated example data."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo", help="show servicecore at work on generated example cases"
    )
    parser.add_argument("--cases", type=int, default=3, help="cases to show")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print a few generated cases (the models issue fills this in)."""
    print(f"servicecore demo: {args.cases} cases, seed {args.seed}")
    return 0
