"""
Bad input for every entry point, and the one rule the fuzz suite checks.

The rule: whatever a user, a customer or a file gives an entry point, the
outcome is a result or a :class:`~servicecore.ServiceCoreError`, reached in
bounded time and memory. :func:`outcome` runs one call under that rule.
Inputs are small (a few kilobytes), so the bounds are generous: they
detect a hang or a blow-up, they do not measure speed.
"""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import servicecore as sc

ROOT = Path(__file__).parents[2]
EXAMPLES = {
    "sla": ROOT / "examples" / "policies" / "support.toml",
    "escalation": ROOT / "examples" / "escalation" / "policies.toml",
    "personalization": ROOT / "examples" / "personalization" / "rules.toml",
}
TEXTS = {name: path.read_text("utf-8") for name, path in EXAMPLES.items()}
DOCUMENTS = {name: tomllib.loads(text) for name, text in TEXTS.items()}

#: A call answering later than this hangs (inputs here are tiny).
SECONDS = 20
#: A call growing the process's peak memory by more than this blows up.
MAX_GROWTH_KIB = 256 * 1024


class HangError(BaseException):
    """A call did not answer in time (a BaseException: nothing wraps it)."""


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Fail the call inside if it takes longer than :data:`SECONDS`."""

    def alarm(_signal: int, _frame: object) -> None:
        raise HangError(f"no answer within {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def outcome(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """
    Return what *call* returns, or the ServiceCoreError it raises.

    Anything else it raises propagates and fails the test; so does a hang
    or a jump of the peak memory.
    """
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with bounded():
        try:
            result = call(*args, **kwargs)
        except sc.ServiceCoreError as exc:
            result = exc
    if isinstance(result, sc.ServiceCoreError):
        assert isinstance(result.location, str)
        assert isinstance(result.problem, str)
        assert result.problem
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert growth < MAX_GROWTH_KIB, f"peak memory grew by {growth} KiB"
    return result


def failed(result: object) -> bool:
    """Tell whether *result* is the error :func:`outcome` caught."""
    return isinstance(result, sc.ServiceCoreError)


# -- text: valid documents, damaged ------------------------------------------

#: Pieces that broke something once, or could: structure, huge or
#: non-ASCII numbers, surrogates, deep nesting, control characters.
NASTY_TEXT = (
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    '"',
    "'",
    "=",
    ",",
    ".",
    ":",
    "\n",
    "#",
    "\\",
    "-",
    "\x00",
    "\ud800",
    "\\ud800",
    "\u0663",
    "\uff11",
    "9" * 40,
    "99999999999d",
    "52000w",
    "999999999d",
    "PT99999999999H",
    "1e400",
    "-1",
    "NaN",
    "inf",
    "true",
    "null",
    "{not = " * 60,
    "[" * 200,
    "^(a+)+$",
    "(?=a)",
    "\\1",
    "9999-12-31T23:59:59Z",
    "0001-01-01",
    "24:00",
    "25:61",
    "zh-Hant-TW",
    "xx_YY",
    "Mars/Olympus",
    "é",
    "\U0001d518",
)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, deleted, inserted in edits:
        at = position % (len(text) + 1)
        text = text[:at] + inserted + text[at + deleted :]
    return text


def damaged(text: str) -> st.SearchStrategy[str]:
    """*text* with a few cuts and insertions of :data:`NASTY_TEXT`."""
    edit = st.tuples(
        st.integers(0, len(text)),
        st.integers(0, 12),
        st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=6)),
    )
    return st.lists(edit, min_size=1, max_size=5).map(
        lambda edits: _apply(text, edits)
    )


def encoded(text: str) -> bytes:
    """*text* as UTF-8, with lone surrogates kept as their raw bytes."""
    return text.encode("utf-8", "surrogatepass")


# -- trees: valid documents with one subtree replaced ------------------------

_SCALARS: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=12),
)

#: Any value a TOML or JSON document can hold, nasty scalars first.
VALUES: st.SearchStrategy[object] = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=10), inner, max_size=4),
    ),
    max_leaves=10,
)


def _paths(tree: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _paths(value, (*prefix, index))


def _replaced(tree: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        return {**tree, head: _replaced(tree[head], rest, value)}
    copy = list(tree)
    copy[head] = _replaced(copy[head], rest, value)
    return copy


def mutated(tree: dict[str, Any]) -> st.SearchStrategy[Any]:
    """*tree* with one to three subtrees replaced by :data:`VALUES`."""
    paths = sorted(_paths(tree), key=repr)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        result: Any = tree
        for _ in range(draw(st.integers(1, 3))):
            path = draw(st.sampled_from(paths))
            try:
                result = _replaced(result, path, draw(VALUES))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier replacement removed the path
        return result

    return build()


def to_json(tree: object) -> str:
    """*tree* as JSON text; values JSON cannot hold are written as text."""
    return json.dumps(tree, default=str)
