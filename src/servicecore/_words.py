"""Words in the library's own English output (reports, summaries, CLI)."""

from __future__ import annotations

__all__ = ["plural"]


def plural(number: int, word: str, many: str | None = None) -> str:
    """
    Return *number* and *word*, in the plural unless *number* is 1.

    >>> plural(1, "response"), plural(2, "case"), plural(0, "reply", "replies")
    ('1 response', '2 cases', '0 replies')
    """
    return f"{number} {word if number == 1 else many or word + 's'}"
