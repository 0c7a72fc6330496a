"""
The ``servicecore`` command.

Each sub-command lives in its own private module with two functions:
``add_parser(subparsers)`` and the handler it sets as ``func``. The CLI is
the only part of servicecore that reads the clock or touches files; nothing
in the core imports it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from servicecore import __version__
from servicecore.cli import (
    _demo,
    _escalation,
    _feedback,
    _personalize,
    _sla,
    _validate,
)
from servicecore.errors import ServiceCoreError

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``servicecore`` command and its commands."""
    parser = argparse.ArgumentParser(
        prog="servicecore",
        description="The rules of good customer service.",
    )
    parser.add_argument(
        "--version", action="version", version=f"servicecore {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (
        _demo,
        _validate,
        _sla,
        _personalize,
        _escalation,
        _feedback,
    ):
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``servicecore`` command with *argv* and return its exit code.

    A :class:`~servicecore.ServiceCoreError` or a file that cannot be read
    is printed as one line on standard error with exit code 2, never as a
    traceback; output cut short by a closed pipe (``servicecore ... |
    head``) ends quietly with exit code 1.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ServiceCoreError as exc:
        print(f"servicecore: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"servicecore: error: {where}{exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2


def _silence_stdout() -> None:
    """Point standard output at the null device after a broken pipe."""
    # Python flushes stdout at exit; without this, that flush fails again
    # and prints a traceback after all.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
