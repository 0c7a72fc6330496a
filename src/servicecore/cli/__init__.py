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
from typing import NoReturn

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


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print ``servicecore: error: ...`` and exit with status 2."""
        line = _one_line(f"servicecore: error: {message}")
        self.exit(2, f"{line} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``servicecore`` command and its commands."""
    parser = _Parser(
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
    Run the ``servicecore`` command with *argv* and return its exit status.

    0: done. 1: bad data -- a :class:`~servicecore.ServiceCoreError`, a
    file that cannot be read, a document that does not validate. 2: bad
    usage -- an unknown command or option, a bad option value, an input
    file that does not exist. Every error is one line on standard error,
    never a traceback. An unexpected exception is a bug: one line naming
    it as an internal error, exit status 1; ``SERVICECORE_DEBUG=1`` in the
    environment shows its traceback instead. Output cut short by a closed
    pipe (``servicecore ... | head``) ends quietly with exit status 1.
    """
    try:
        args = _parse(argv)
        return args if isinstance(args, int) else int(args.func(args))
    except ServiceCoreError as exc:
        _error(str(exc))
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except (Exception, SystemExit) as exc:  # a bug (or a stray sys.exit)
        if os.environ.get("SERVICECORE_DEBUG") == "1":
            raise
        _error(
            f"internal error: {type(exc).__name__}: {exc} (a bug in "
            "servicecore; SERVICECORE_DEBUG=1 shows its traceback)",
        )
    return 1


def _parse(argv: Sequence[str] | None) -> argparse.Namespace | int:
    """Return the parsed *argv*, or the exit status of --help or a usage error."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's, and only argparse's
        return exc.code if isinstance(exc.code, int) else 0


def _error(message: str) -> None:
    """Print *message* as one line on standard error."""
    print(_one_line(f"servicecore: error: {message}"), file=sys.stderr)


def _one_line(message: str) -> str:
    r"""
    Return *message* on one line: lines joined, control characters escaped.

    >>> _one_line("2 problems:\n  a\n  b\x1ec")
    '2 problems: / a / b\\x1ec'
    """
    joined = " / ".join(
        line.strip() for line in message.split("\n") if line.strip()
    )
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in joined)


def _silence_stdout() -> None:
    """Point standard output at the null device after a broken pipe."""
    # Python flushes stdout at exit; without this, that flush fails again
    # and prints a traceback after all.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
