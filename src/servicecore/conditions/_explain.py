"""Explanations: which parts of a condition held, with the actual values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from servicecore._time import format_duration, from_epoch

if TYPE_CHECKING:
    from servicecore.conditions._parse import Node

__all__ = ["Explanation", "explain_node"]


@attrs.frozen(kw_only=True)
class Explanation:
    """
    Whether one part of a condition held, why, and what its parts did.

    ``str()`` renders the tree, one part per line, ``yes`` or ``no`` first.

    >>> condition = sc.Condition.from_dict(
    ...     {"field": "moment.hour", "op": "gte", "value": 9})
    >>> explanation = condition.explain(sc.EvaluationContext(
    ...     at=pendulum.datetime(2024, 3, 4, 8, tz="UTC")))
    >>> explanation.held, explanation.field, explanation.actual
    (False, 'moment.hour', 8)

    Attributes:
        held: Whether this part held.
        location: Its path in the policy document.
        text: ``"all"``, ``"any"``, ``"not"`` or the clause as written.
        children: The explanations of the parts of a group.
        field: The clause's field (``None`` for groups).
        op: The clause's operator (``None`` for groups).
        expected: The clause's value as written in the policy.
        actual: The field's value in the context.
    """

    held: bool
    location: str
    text: str
    children: tuple[Explanation, ...] = ()
    field: str | None = None
    op: str | None = None
    expected: object = None
    actual: object = None

    def lines(self, indent: int = 0) -> list[str]:
        """Return the rendered lines of this part and its children."""
        mark = "yes" if self.held else "no"
        where = f" ({self.location})" if self.location else ""
        if self.field is None:
            line = f"{mark:<4} {'  ' * indent}{self.text}{where}"
        else:
            line = (
                f"{mark:<4} {'  ' * indent}{self.text}: actual "
                f"{_show(self.actual)}{where}"
            )
        lines = [line]
        for child in self.children:
            lines.extend(child.lines(indent + 1))
        return lines

    def __str__(self) -> str:
        """Return the tree, one part per line."""
        return "\n".join(self.lines())


def _show(value: object) -> str:
    if isinstance(value, frozenset | set):
        return repr(sorted(value, key=str))
    if isinstance(value, str):
        # StrEnum members read as their value.
        return repr(str(value))
    return repr(value)


def _written(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    return repr(value)


def explain_node(node: Node, context: object) -> Explanation:
    """Evaluate every part of *node* in *context* and report on each."""
    from servicecore.conditions._parse import (  # noqa: PLC0415
        AllOf,
        AnyOf,
        Clause,
        Named,
        NotOf,
    )

    match node:
        case Clause():
            actual = node.get(context)
            text = f"{node.field} {node.op}"
            if node.raw is not None:
                text += f" {_written(node.raw)}"
            if node.type.kind == "duration" and isinstance(actual, int):
                shown: object = format_duration(actual)
            elif node.type.kind == "moment" and isinstance(actual, int):
                shown = from_epoch(actual).to_iso8601_string()
            else:
                shown = actual
            return Explanation(
                held=bool(node.predicate(context)),
                location=node.location,
                text=text,
                field=node.field,
                op=node.op,
                expected=node.raw,
                actual=shown,
            )
        case AllOf() | AnyOf():
            children = tuple(
                explain_node(part, context) for part in node.parts
            )
            combine = all if isinstance(node, AllOf) else any
            return Explanation(
                held=combine(child.held for child in children),
                location=node.location,
                text="all" if isinstance(node, AllOf) else "any",
                children=children,
            )
        case NotOf():
            child = explain_node(node.part, context)
            return Explanation(
                held=not child.held,
                location=node.location,
                text="not",
                children=(child,),
            )
        case Named():
            children = (
                ()
                if node.part is None
                else (explain_node(node.part, context),)
            )
            return Explanation(
                held=all(child.held for child in children),
                location=node.location,
                text=f"condition {node.name!r}",
                children=children,
            )
