r"""
Reading TOML and JSON documents: every problem as ours, with its location.

Documents are untrusted. Besides syntax errors (located ``source:line:column``
where the parser says), :func:`parse_text` refuses what the parsers let
through but the loaders must not see, naming the path of the bad item
(``policies.json, sla.policies[0].targets.normal``):

- a key given twice in one JSON object (JSON parsers keep the last one,
  silently; TOML refuses it itself);
- nesting deeper than :data:`MAX_DEPTH` tables, arrays and objects (the
  parsers and the loaders after them recurse; this bound, checked once,
  iteratively, keeps every loader clear of ``RecursionError``);
- text that is not Unicode (a lone surrogate such as JSON's ``"\ud800"``,
  which could never be written back as UTF-8);
- numbers that are not finite (JSON's ``NaN``, ``1e400``; TOML's ``nan``,
  ``inf``).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import tomllib
from collections.abc import Mapping
from typing import Any, Literal

from servicecore._files import MAX_DOCUMENT_BYTES, read_limited
from servicecore.errors import ServiceCoreError

__all__ = [
    "MAX_DEPTH",
    "Format",
    "check_data",
    "decode_json",
    "decode_json_line",
    "parse_file",
    "parse_text",
]

#: The formats documents come in.
Format = Literal["toml", "json"]

#: The deepest nesting of tables, arrays and objects a document may have.
#: The document itself is level 1; the deepest policy condition in use is
#: far shallower.
MAX_DEPTH = 64

_TOML_POSITION = re.compile(
    r" \(at line (?P<line>\d+), column (?P<column>\d+)\)$| \(at end of document\)$"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class _DuplicateKeys(dict[str, Any]):
    """A JSON object that gave *key* more than once (found by the check)."""

    key: str


# Whether the last decode in this thread met a duplicate key.
_decoding = threading.local()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    _decoding.duplicate = True
    marked = _DuplicateKeys(found)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            marked.key = key
            break
        seen.add(key)
    return marked


_JSON = json.JSONDecoder(object_pairs_hook=_no_duplicates)


def decode_json(
    text: str,
    location: str,
    error: type[ServiceCoreError],
    *,
    max_depth: int = MAX_DEPTH,
) -> Any:  # noqa: ANN401 - parsed data
    """
    Return the JSON *text* decoded and checked (see the module docstring).

    Raises:
        error: Not JSON (location ``location:line:column``), or
            refused by :func:`check_data`.
    """
    try:
        data = _JSON.decode(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"{location}:{exc.lineno}:{exc.colno}",
            f"not valid JSON: {exc.msg}",
        ) from exc
    except RecursionError as exc:
        raise error(location, "JSON nested too deeply") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise error(location, f"not valid JSON: {_first(exc)}") from exc
    check_data(data, location, error, max_depth=max_depth)
    return data


def decode_json_line(
    text: str,
    location: str,
    error: type[ServiceCoreError],
    *,
    from_utf8: bool = False,
) -> Any:  # noqa: ANN401 - parsed data
    """
    Return one line of JSON Lines decoded, refusing what a document refuses.

    For many small texts: the walk of :func:`check_data` runs only when
    the text can hold a problem (a duplicate key was met, a surrogate or
    its escape is in the text; *from_utf8* says the text was decoded from
    UTF-8 bytes, which hold no surrogate). Nesting is bounded by the
    parser's own recursion limit; callers must not recurse over the data.

    Raises:
        error: Located *location*: not JSON, nested too deeply for the
            parser, or refused by :func:`check_data`.
    """
    _decoding.duplicate = False
    try:
        data = _JSON.decode(text)
    except RecursionError as exc:
        raise error(location, "JSON nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, or a 4,300-digit integer
        raise error(location, f"not JSON: {_first(exc)}") from exc
    escaped = "\\u" in text and _ESCAPED_SURROGATE.search(text)
    raw = not from_utf8 and not text.isascii() and _SURROGATE.search(text)
    if _decoding.duplicate or escaped or raw:
        check_data(data, location, error)
    return data


def parse_text(
    text: str | bytes,
    fmt: Format,
    source: str,
    error: type[ServiceCoreError],
    *,
    max_depth: int = MAX_DEPTH,
) -> Any:  # noqa: ANN401 - parsed data
    """
    Parse the TOML or JSON *text*; raise *error* for what is not.

    The error's location is *source*, with ``:line:column`` where the
    parser says, or ``, path`` for an item the parsed data refuses (see
    the module docstring); bytes must be UTF-8.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(
                source,
                f"not UTF-8 text: {exc.reason} at byte {exc.start + 1}",
            ) from exc
    elif not text.isascii():
        _check_unicode(text, source, error)
    if fmt == "json":
        return decode_json(text, source, error, max_depth=max_depth)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 has the position only in the message.
        found = _TOML_POSITION.search(str(exc))
        problem = _TOML_POSITION.sub("", str(exc))
        where = (
            f"{source}:{found['line']}:{found['column']}"
            if found and found["line"]
            else source
        )
        raise error(where, f"not valid TOML: {problem}") from exc
    except RecursionError as exc:
        raise error(source, "TOML nested too deeply") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise error(source, f"not valid TOML: {_first(exc)}") from exc
    check_data(data, source, error, max_depth=max_depth)
    return data


def parse_file(
    path: str | os.PathLike[str],
    fmt: Format,
    error: type[ServiceCoreError],
    *,
    limit: int = MAX_DOCUMENT_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:  # noqa: ANN401 - parsed data
    """
    Read the document at *path* (at most *limit* bytes) and parse it.

    The source in error locations is the path.

    Raises:
        error: The file cannot be read or is larger than *limit* (see
            :func:`~servicecore._files.read_limited`), or as
            :func:`parse_text`.
    """
    raw = read_limited(path, limit=limit, error=error)
    return parse_text(raw, fmt, os.fspath(path), error, max_depth=max_depth)


def _check_unicode(
    text: str, source: str, error: type[ServiceCoreError]
) -> None:
    """Refuse a lone surrogate in *text*, naming its line and column."""
    found = _SURROGATE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        raise error(f"{source}:{line}:{column}", _not_unicode(found.group()))


def _not_unicode(char: str) -> str:
    return (
        f"a lone surrogate {char!r} is not Unicode text (in JSON, a \\u "
        "escape of a surrogate must be followed by its pair)"
    )


def _first(exc: ValueError) -> str:
    """Return the message of *exc* without advice meant for programmers."""
    return str(exc).split(";", 1)[0]


def _too_deep(max_depth: int) -> str:
    return (
        f"nested too deeply: more than {max_depth} levels of tables, "
        "arrays or objects"
    )


# A path, built only when a problem is found: (parent, key or index).
_Link = tuple["_Link", object] | None


def _path(link: _Link) -> str:
    parts: list[str] = []
    while link is not None:
        link, key = link
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
            parts.append(f".{key}")
        else:  # quoted and escaped: the message must print and be read
            parts.append(f"[{key!r}]")
    return "".join(reversed(parts)).removeprefix(".")


def check_data(
    data: object,
    source: str,
    error: type[ServiceCoreError],
    *,
    max_depth: int = MAX_DEPTH,
) -> None:
    """
    Refuse the first item of *data* a loader must not see (module docstring).

    Iterative, in document order; the cost is proportional to the size
    of *data* (a structure reached twice is walked twice, and a cycle is
    refused as too deep). Dicts, mappings, lists and tuples are walked.

    Raises:
        error: Located ``source, path`` (just ``source`` at the top).
    """
    found = _first_problem(data, max_depth)
    if found is not None:
        link, problem = found
        path = _path(link)
        raise error(f"{source}, {path}" if path else source, problem)


def _first_problem(data: object, max_depth: int) -> tuple[_Link, str] | None:
    problem = _scalar_problem(data)
    if problem is not None:
        return None, problem
    stack: list[tuple[object, int, _Link]] = [(data, 1, None)]
    while stack:
        value, depth, link = stack.pop()
        children: list[tuple[object, object]]
        if isinstance(value, Mapping):
            if type(value) is _DuplicateKeys:
                return link, f"the key {value.key!r} is given twice"
            children = list(value.items())
        elif isinstance(value, list | tuple):
            children = list(enumerate(value))
        else:
            continue
        if depth > max_depth:
            return link, _too_deep(max_depth)
        for key, item in reversed(children):
            here = (link, key)
            problem = _scalar_problem(key) or _scalar_problem(item)
            if problem is not None:
                return here, problem
            if isinstance(item, Mapping | list | tuple):
                stack.append((item, depth + 1, here))
    return None


def _scalar_problem(value: object) -> str | None:
    if type(value) is str:
        if value.isascii():
            return None
        found = _SURROGATE.search(value)
        return None if found is None else _not_unicode(found.group())
    if type(value) is float and not math.isfinite(value):
        return f"{value!r} is not a finite number"
    return None
