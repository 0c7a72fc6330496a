"""
The field and operator reference of ``docs/conditions.md``, from a registry.

The reference is generated, so it cannot drift from the code: a test checks
that the page holds exactly :func:`render_reference` of the default
registry. Regenerate it with::

    python -m servicecore.conditions._reference docs/conditions.md
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from servicecore.conditions._types import FieldType
    from servicecore.plugins import FieldProvider, Registry

__all__ = ["BEGIN", "END", "render_reference", "update_page"]

BEGIN: Final = (
    "<!-- BEGIN GENERATED REFERENCE: python -m "
    "servicecore.conditions._reference docs/conditions.md -->"
)
END: Final = "<!-- END GENERATED REFERENCE -->"

_KIND_WORDS = {
    "string": "text",
    "enum": "choice",
    "int": "whole number",
    "float": "number",
    "duration": "duration",
    "moment": "moment",
    "bool": "boolean",
    "set": "set of tags",
    "any": "untyped",
}


def _toml(value: object) -> str:
    """Write *value* as a TOML inline value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def _type_text(ftype: FieldType) -> str:
    if ftype.kind == "enum":
        order = " < " if ftype.ordered else ", "
        return f"{ftype.name}: {order.join(ftype.choices)}"
    return _KIND_WORDS.get(ftype.kind, ftype.kind)


def _example(field: FieldProvider, operators: list[str]) -> str:
    name = field.name.replace("*", "example")
    example = getattr(field, "example", None)
    if example is None or not operators:
        return ""
    preferred = {"set": "contains", "int": "gte", "float": "gte"}
    op = preferred.get(field.type.kind, "gt")
    if field.type.kind not in {"set", "int", "float", "duration", "moment"}:
        op = "is"
    if op not in operators:
        op = operators[0]
    return f"`{{field = {_toml(name)}, op = {_toml(op)}, value = {_toml(example)}}}`"


def render_reference(registry: Registry) -> str:
    """
    Return the Markdown reference of *registry*'s operators and fields.

    >>> text = render_reference(sc.Registry())
    >>> text.splitlines()[0]
    '### Operators'

    Args:
        registry: The registry to document.

    Returns:
        Two Markdown tables, operators then fields, ending in a newline.
    """
    lines = [
        "### Operators",
        "",
        "| operator | value | applies to | holds when | example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in registry.operator_names():
        operator = registry.operator(name)
        kinds = getattr(operator, "kinds", None)
        applies = (
            ", ".join(
                _KIND_WORDS[kind] for kind in _KIND_WORDS if kind in kinds
            )
            if kinds is not None
            else "see its plugin"
        )
        if getattr(operator, "needs_order", False):
            applies += " (ordered)"
        example = getattr(operator, "example", "")
        lines.append(
            f"| `{name}` | {operator.value_form} | {applies} | "
            f"{operator.description} | {f'`{example}`' if example else ''} |"
        )
    lines += [
        "",
        "### Fields",
        "",
        "| field | type | operators | meaning | example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in registry.field_names():
        field = registry.get("field", name)
        operators = registry.operators_for(field)
        lines.append(
            f"| `{name}` | {_type_text(field.type)} | "
            f"{', '.join(operators)} | {field.description} | "
            f"{_example(field, operators)} |"
        )
    return "\n".join(lines) + "\n"


def update_page(text: str, reference: str) -> str:
    """Return *text* with the part between the markers set to *reference*."""
    start = text.index(BEGIN) + len(BEGIN)
    end = text.index(END)
    return f"{text[:start]}\n\n{reference}\n{text[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the generated part of the page given in *argv* (one path)."""
    from servicecore.plugins import Registry  # noqa: PLC0415

    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0] if args else "docs/conditions.md")
    text = path.read_text(encoding="utf-8")
    new = update_page(text, render_reference(Registry()))
    if new != text:
        path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
