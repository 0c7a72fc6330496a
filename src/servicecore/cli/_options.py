"""
Options every command shares, and the one way each input is read.

Option values are checked while the command line is parsed, so a bad one
is a usage error (exit status 2) whatever the command: ``input_file``,
``moment``, ``duration`` and ``count`` are argparse ``type=`` functions.
A policy document is read by :func:`load_document` (or, to report every
problem, :func:`policy_source` and :func:`registry`), cases by
:func:`read_cases_file`; both refuse input past their size limit.
"""

from __future__ import annotations

import argparse
import io
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pendulum

from servicecore._files import MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, read_limited
from servicecore._time import duration_seconds, format_duration, from_epoch
from servicecore._words import plural
from servicecore.cli._problems import problem_lines
from servicecore.config import PolicyDocument, load_policies
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    ServiceCoreError,
)
from servicecore.feedback import feedback_fields
from servicecore.models import Case, read_cases
from servicecore.plugins import Registry

__all__ = [
    "add_cases_options",
    "add_format_option",
    "add_policy_options",
    "count",
    "duration",
    "input_file",
    "later",
    "load_document",
    "moment",
    "moment_or_now",
    "plural",
    "policy_source",
    "read_cases_file",
    "registry",
]

#: The largest ``--max-line-bytes`` or ``--max-file-bytes`` accepted (1 GiB).
_MAX_LIMIT = 1 << 30
#: 9999-12-31T23:59:59Z, the latest moment servicecore supports.
_LATEST_S = 253_402_300_799


def input_file(text: str) -> Path:
    """``type=`` of a file the command reads: it exists and can be read."""
    path = Path(text)
    if path.is_dir():
        problem = "is a folder, not a file"
    elif not path.exists():
        problem = "no such file"
    elif not os.access(path, os.R_OK):
        problem = "cannot be read (permission denied)"
    else:
        return path
    raise argparse.ArgumentTypeError(f"{text}: {problem}")


def moment(text: str) -> pendulum.DateTime:
    """``type=`` of ``--at``: an ISO 8601 moment with an offset."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        problem = "is not an ISO 8601 moment"
    else:
        if parsed.tzinfo is None:
            problem = "has no offset: add Z (UTC) or one such as +02:00"
        else:
            try:
                return pendulum.instance(parsed.astimezone(UTC))
            except OverflowError:
                problem = "is past 9999-12-31T23:59:59Z or before year 1"
    raise argparse.ArgumentTypeError(f"{text!r} {problem}")


def duration(text: str) -> int:
    """``type=`` of a duration option (``4h``, ``1d 4h``, ``PT30M``): seconds."""
    try:
        return duration_seconds(text, "duration")
    except ServiceCoreError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from exc


def count(low: int, high: int) -> Callable[[str], int]:
    """
    Return the ``type=`` of a whole number from *low* to *high*.

    >>> count(1, 10)("3")
    3
    >>> count(1, 10)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 0 is not from 1 to 10
    """

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            message = f"{text!r} is not a whole number"
        else:
            if low <= value <= high:
                return value
            message = f"{value} is not from {low:,} to {high:,}"
        raise argparse.ArgumentTypeError(message)

    return whole_number


def moment_or_now(at: pendulum.DateTime | None) -> pendulum.DateTime:
    """Return *at*, or now: the CLI is the one reader of the clock."""
    return pendulum.now("UTC") if at is None else at


def later(moment_s: int, seconds: int, option: str) -> pendulum.DateTime:
    """
    Return *seconds* after *moment_s*, the duration of *option*.

    Raises:
        InvalidValueError: The moment is past 9999-12-31T23:59:59Z, the
            latest one servicecore supports.
    """
    if moment_s + seconds > _LATEST_S:
        raise InvalidValueError(
            option,
            f"{format_duration(seconds)} after {from_epoch(moment_s).isoformat()}"
            " is past 9999-12-31T23:59:59Z, the latest supported moment",
        )
    return from_epoch(moment_s + seconds)


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--format {text,json}``, the output format of every command."""
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="the output: text for people (default) or JSON for programs",
    )


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--plugins`` and ``--max-file-bytes``, for commands that load policies."""
    parser.add_argument(
        "--plugins",
        action="store_true",
        help="load the installed plugins (entry points of servicecore.plugins)",
    )
    parser.add_argument(
        "--max-file-bytes",
        type=count(1, _MAX_LIMIT),
        default=MAX_DOCUMENT_BYTES,
        metavar="N",
        help=f"refuse a policy document larger than N bytes "
        f"(default {MAX_DOCUMENT_BYTES:,})",
    )


def add_cases_options(
    parser: argparse.ArgumentParser,
    *,
    group: argparse._MutuallyExclusiveGroup | None = None,
) -> None:
    """
    Add ``--cases FILE`` (JSON Lines) and ``--max-line-bytes N``.

    ``--cases`` is required, unless it goes in the exclusive *group*.
    """
    (group or parser).add_argument(
        "--cases",
        type=input_file,
        required=group is None,
        metavar="FILE",
        help="the cases, one JSON object a line",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=count(1, _MAX_LIMIT),
        default=MAX_LINE_BYTES,
        metavar="N",
        help=f"refuse a line of cases longer than N bytes "
        f"(default {MAX_LINE_BYTES:,})",
    )


def registry(args: argparse.Namespace) -> Registry:
    """
    Return the registry a command evaluates with, built once per run.

    The built-ins, the installed plugins with ``--plugins``, and the
    optional fields ``interaction.sentiment`` and ``customer.health``
    (:func:`servicecore.feedback_fields`), always; a plugin's field of the
    same name is kept instead.
    """
    built: Registry | None = getattr(args, "registry", None)
    if built is None:
        built = Registry.with_entry_points() if args.plugins else Registry()
        known = set(built.names("field"))
        for field in feedback_fields():
            if field.name not in known:
                built.add_field(field)
        args.registry = built
    return built


def policy_source(path: Path, args: argparse.Namespace) -> IO[bytes]:
    """Return the policy document at *path*, read up to ``--max-file-bytes``."""
    source = io.BytesIO(
        read_limited(path, limit=args.max_file_bytes, error=PolicyError)
    )
    source.name = str(path)
    return source


def load_document(path: Path, args: argparse.Namespace) -> PolicyDocument:
    """
    Return the policy document at *path*, loaded with :func:`registry`.

    Raises:
        PolicyError: The document is wrong; its message is the first
            problem as ``file:line: path: problem`` and how many others.
    """
    source, fields = policy_source(path, args), registry(args)
    try:
        return load_policies(source, registry=fields)
    except PolicyError as exc:
        first, *others = problem_lines(path, exc)
        more = (
            f" (and {plural(len(others), 'more problem')}: "
            f"servicecore validate {path} lists them)"
            if others
            else ""
        )
        raise PolicyError("", first + more) from exc


def read_cases_file(path: Path, args: argparse.Namespace) -> Iterator[Case]:
    """
    Yield the cases of the JSON Lines file at *path*, lazily.

    Each line is at most ``--max-line-bytes`` long and UTF-8.

    Raises:
        SerializationError: A line is too long, not UTF-8, not JSON or
            not a case; the location names the file and the line.
    """
    return read_cases(path, max_line_bytes=args.max_line_bytes)
