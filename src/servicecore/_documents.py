"""Reading TOML and JSON documents: syntax errors as ours, with positions."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any, Literal

from servicecore.errors import ServiceCoreError

__all__ = ["Format", "parse_text"]

#: The formats documents come in.
Format = Literal["toml", "json"]

_TOML_POSITION = re.compile(
    r" \(at line (?P<line>\d+), column (?P<column>\d+)\)$| \(at end of document\)$"
)


def parse_text(
    text: str | bytes,
    fmt: Format,
    source: str,
    error: type[ServiceCoreError],
) -> Any:  # noqa: ANN401 - parsed data
    """
    Parse the TOML or JSON *text*; raise *error* for what is not.

    The error's location is *source*, with ``:line:column`` where the
    parser says; bytes must be UTF-8; JSON nested too deeply for the
    interpreter is refused, not a crash.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(
                source, f"not UTF-8 text: {exc.reason} at byte {exc.start}"
            ) from exc
    if fmt == "toml":
        try:
            return tomllib.loads(text)
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
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"{source}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise error(source, "JSON nested too deeply") from exc
