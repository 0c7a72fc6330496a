"""Policy document problems, located: ``file:line: path: problem``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from servicecore._files import MAX_DOCUMENT_BYTES, read_limited
from servicecore.config import line_of
from servicecore.errors import (
    PolicyError,
    PolicyValidationError,
    ServiceCoreError,
)

_POSITION = re.compile(r":(?P<line>\d+)(?::\d+)?\Z")


class Problem(NamedTuple):
    """One problem of a document: its path, its line when found, what."""

    location: str
    line: int | None
    problem: str


def problems(
    path: Path,
    error: ServiceCoreError,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> list[Problem]:
    """
    Return each problem of *error*, with its line in the file when found.

    A collection of problems gives one per problem; the line is the
    parser's for a syntax error, else looked up in the file's text (read
    up to *max_bytes*) by the problem's location.
    """
    found: list[ServiceCoreError] = (
        list(error.errors)
        if isinstance(error, PolicyValidationError) and error.errors
        else [error]
    )
    try:
        text = read_limited(path, limit=max_bytes, error=PolicyError).decode(
            "utf-8"
        )
    except (ServiceCoreError, UnicodeDecodeError):
        text = ""
    return [_locate(path, text, problem) for problem in found]


def _locate(path: Path, text: str, error: ServiceCoreError) -> Problem:
    """Return *error* with its line: the parser's, or looked up by path."""
    if error.location.startswith(str(path)):
        position = _POSITION.search(error.location.removeprefix(str(path)))
        line = int(position["line"]) if position else None
        return Problem(error.location, line, error.problem)
    line = line_of(text, error.location) if text else None
    return Problem(error.location, line, error.problem)


def problem_lines(path: Path, error: PolicyError) -> list[str]:
    """Return each problem of *error* as ``file:line: path: problem``."""
    return [text_line(path, problem) for problem in problems(path, error)]


def text_line(path: Path, problem: Problem) -> str:
    """Return *problem* with the file and, when found, its line in front."""
    said = (
        f"{problem.location}: {problem.problem}"
        if problem.location
        else problem.problem
    )
    if problem.location.startswith(str(path)):
        return said
    prefix = f"{path}:{problem.line}" if problem.line else f"{path}"
    return f"{prefix}: {said}"
