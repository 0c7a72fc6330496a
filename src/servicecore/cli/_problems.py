"""Policy document problems as ``file:line: path: problem`` lines."""

from __future__ import annotations

from pathlib import Path

from servicecore.config import line_of
from servicecore.errors import PolicyError, PolicyValidationError


def problem_lines(path: Path, error: PolicyError) -> list[str]:
    """
    Return each problem of *error*, the file and, when found, its line first.

    A collection of problems gives one line per problem; the line number
    is looked up in the file's text by the problem's location.
    """
    problems = (
        list(error.errors)
        if isinstance(error, PolicyValidationError) and error.errors
        else [error]
    )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return [_where(path, text, problem) for problem in problems]


def _where(path: Path, text: str, error: PolicyError) -> str:
    """Return the error with the file and, when found, its line in front."""
    if error.location.startswith(str(path)):
        return str(error)
    line = line_of(text, error.location) if text else None
    prefix = f"{path}:{line}" if line else f"{path}"
    return f"{prefix}: {error}"
