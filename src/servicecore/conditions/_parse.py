"""
Parsing: a condition document into a checked tree, with every error found.

The shape is the one help-desk admins know from trigger screens::

    {all = [clause, ...], any = [clause, ...], not = clause}
    {field = "case.priority", op = "in", value = ["high", "urgent"]}

A group may combine ``all``, ``any`` and ``not``; all of its parts must
hold. An empty ``all`` holds; an empty ``any`` is refused (it never could).
Parsing does not stop at the first problem: every problem of the document
is collected, with its path, and raised together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from servicecore._problems import add_error, join
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    UnknownFieldError,
    UnknownOperatorError,
    did_you_mean,
)

if TYPE_CHECKING:
    from servicecore.conditions._types import FieldType
    from servicecore.plugins import Registry

__all__ = [
    "BROKEN",
    "LATER",
    "AllOf",
    "AnyOf",
    "Clause",
    "Named",
    "Node",
    "NotOf",
    "named_conditions",
    "parse",
]

#: Deepest nesting of groups a document may use; deeper ones are refused
#: rather than risk the interpreter's recursion limit.
MAX_DEPTH: Final = 32

_LEAF_KEYS = ("field", "op", "value")
_GROUP_KEYS = ("all", "any", "not")
_NAMED_KEY = "condition"
_MISSING: Final = object()


@attrs.frozen(kw_only=True)
class Clause:
    """One ``{field, op, value}`` test, checked and compiled."""

    location: str
    field: str
    op: str
    raw: object
    value: object
    type: FieldType
    get: Callable[[Any], object]
    predicate: Callable[[Any], bool]


@attrs.frozen(kw_only=True)
class AllOf:
    """Holds when every part holds (and when there are none)."""

    location: str
    parts: tuple[Node, ...]


@attrs.frozen(kw_only=True)
class AnyOf:
    """Holds when at least one part holds."""

    location: str
    parts: tuple[Node, ...]


@attrs.frozen(kw_only=True)
class NotOf:
    """Holds when its part does not."""

    location: str
    part: Node


@attrs.frozen(kw_only=True)
class Named:
    """A named condition of the document, used by name: holds when it does."""

    location: str
    name: str
    #: The named condition's tree (None: the condition always holds).
    part: Node | None


Node = Clause | AllOf | AnyOf | NotOf | Named

#: What a name stands for: a named condition (a Condition), ``BROKEN``
#: when it has problems of its own (reported where it is defined), or
#: ``LATER`` when it is the condition being read or one defined after it.
_Definition = Any
BROKEN: Final = object()
LATER: Final = object()
#: The named conditions a condition being parsed may use, by name.
_NAMED: ContextVar[Mapping[str, _Definition] | None] = ContextVar(
    "servicecore_named_conditions", default=None
)


@contextmanager
def named_conditions(
    named: Mapping[str, _Definition] | None,
) -> Iterator[None]:
    """
    Let the conditions parsed inside use *named* by ``{condition = name}``.

    *named* maps each name to a :class:`Condition` (or a mark, see
    ``_Definition``); policy documents set it while their sections load,
    :meth:`Condition.from_dict` when given ``conditions``.
    """
    token = _NAMED.set(named)
    try:
        yield
    finally:
        _NAMED.reset(token)


def parse(
    data: object, location: str, registry: Registry, errors: list[PolicyError]
) -> Node | None:
    """
    Return the checked tree of *data*, appending its problems to *errors*.

    Returns ``None`` when *data* is too broken to build a node.
    """
    return _parse(data, location, registry, errors, 0)


def _parse(  # noqa: C901, PLR0911 - one branch per key of the shape
    data: object,
    location: str,
    registry: Registry,
    errors: list[PolicyError],
    depth: int,
) -> Node | None:
    if not isinstance(data, Mapping):
        errors.append(
            PolicySyntaxError(
                location,
                f"expected a condition table such as "
                f"{{all = [...]}} or {{field = ..., op = ..., value = ...}}, "
                f"got {_kind(data)}",
            )
        )
        return None
    if depth > MAX_DEPTH:
        errors.append(
            PolicySyntaxError(
                location, f"conditions nest deeper than {MAX_DEPTH} levels"
            )
        )
        return None
    if any(key in data for key in _LEAF_KEYS):
        return _parse_clause(data, location, registry, errors)
    if _NAMED_KEY in data:
        return _parse_named(data, location, errors, depth)
    if not data:
        errors.append(
            PolicySyntaxError(
                location,
                "empty condition; write {all = [...]}, {any = [...]}, "
                "{not = {...}} or {field = ..., op = ..., value = ...}",
            )
        )
        return None
    nodes: list[Node] = []
    for key, value in data.items():
        where = join(location, str(key))
        if key == "not":
            part = _parse(value, where, registry, errors, depth + 1)
            if part is not None:
                nodes.append(NotOf(location=where, part=part))
        elif key in {"all", "any"}:
            group = _parse_group(
                str(key), value, where, registry, errors, depth
            )
            if group is not None:
                nodes.append(group)
        else:
            errors.append(
                _unknown_key(
                    where, key, (*_GROUP_KEYS, *_LEAF_KEYS, _NAMED_KEY)
                )
            )
    if len(nodes) == 1 and len(data) == 1:
        return nodes[0]
    return AllOf(location=location, parts=tuple(nodes))


def _parse_named(  # noqa: PLR0911 - one return per way a name fails
    data: Mapping[Any, Any],
    location: str,
    errors: list[PolicyError],
    depth: int,
) -> Node | None:
    """Return the use of a named condition, ``{condition = "name"}``."""
    where = join(location, _NAMED_KEY)
    errors.extend(
        _unknown_key(join(location, str(key)), key, (_NAMED_KEY,))
        for key in data
        if key != _NAMED_KEY
    )
    name = data[_NAMED_KEY]
    if not isinstance(name, str):
        errors.append(
            PolicySyntaxError(
                where, f"expected the name of a condition, got {_kind(name)}"
            )
        )
        return None
    named = _NAMED.get()
    if named is None:
        errors.append(
            InvalidValueError(
                where,
                f"no named conditions here to find {name!r} in: named "
                "conditions are used inside a policy document, or given to "
                "Condition.from_dict(conditions=...)",
            )
        )
        return None
    found = named.get(name, _MISSING)
    if found is _MISSING:
        known = [key for key, value in named.items() if value is not LATER]
        errors.append(
            InvalidValueError(
                where,
                f"unknown condition {name!r}"
                + (
                    did_you_mean(name, known)
                    or f"; named conditions: {', '.join(sorted(known)) or 'none'}"
                ),
            )
        )
        return None
    if found is LATER:
        errors.append(
            InvalidValueError(
                where,
                f"condition {name!r} is not defined above this one; a "
                "named condition can use only those defined before it",
            )
        )
        return None
    if found is BROKEN:
        return None  # its problems are reported where it is defined
    tree: Node | None = found._node  # noqa: SLF001 - a Condition, this package's
    if depth + _depth(tree) > MAX_DEPTH:
        errors.append(
            PolicySyntaxError(
                where,
                f"conditions nest deeper than {MAX_DEPTH} levels with "
                f"condition {name!r} in place",
            )
        )
        return None
    return Named(location=location, name=name, part=tree)


def _depth(node: Node | None) -> int:
    """Return how deep *node* nests groups (a clause: 0)."""
    match node:
        case AllOf() | AnyOf():
            return 1 + max((_depth(part) for part in node.parts), default=0)
        case NotOf() | Named():
            return 1 + _depth(node.part)
        case _:
            return 0


def _parse_group(  # noqa: PLR0917 - private recursion
    key: str,
    value: object,
    location: str,
    registry: Registry,
    errors: list[PolicyError],
    depth: int,
) -> Node | None:
    if not isinstance(value, list | tuple):
        errors.append(
            PolicySyntaxError(
                location, f"expected a list of conditions, got {_kind(value)}"
            )
        )
        return None
    if key == "any" and not value:
        errors.append(
            PolicySyntaxError(
                location,
                "an empty 'any' never holds; add conditions or remove it",
            )
        )
        return None
    parts = [
        _parse(item, f"{location}[{i}]", registry, errors, depth + 1)
        for i, item in enumerate(value)
    ]
    nodes = tuple(part for part in parts if part is not None)
    if key == "all":
        return AllOf(location=location, parts=nodes)
    return AnyOf(location=location, parts=nodes)


def _parse_clause(
    data: Mapping[Any, Any],
    location: str,
    registry: Registry,
    errors: list[PolicyError],
) -> Clause | None:
    problems = len(errors)
    errors.extend(
        _unknown_key(join(location, str(key)), key, _LEAF_KEYS)
        for key in data
        if key not in _LEAF_KEYS
    )
    field = _resolve(
        data, "field", "a field name", registry.field, location, errors
    )
    operator = _resolve(
        data, "op", "an operator name", registry.operator, location, errors
    )
    if field is None or operator is None:
        return None
    name: str = data["field"]
    op: str = data["op"]
    allowed = registry.operators_for(field)
    if op not in allowed:
        errors.append(
            InvalidValueError(
                join(location, "op"),
                f"operator {op!r} does not apply to {name} "
                f"({field.type.name}); use one of: {', '.join(allowed)}",
            )
        )
        return None
    raw = data.get("value", _MISSING)
    value: object = None
    if not operator.takes_value:
        if raw is not _MISSING:
            errors.append(
                PolicySyntaxError(
                    join(location, "value"),
                    f"operator {op!r} takes no value; remove it",
                )
            )
    elif raw is _MISSING:
        errors.append(
            PolicySyntaxError(
                location,
                f"operator {op!r} needs a value ({operator.value_form})",
            )
        )
    else:
        # A plugin's operator or field that fails otherwise raises a
        # PluginError: the registry guards what plugins add.
        try:
            value = operator.check(field.type, raw, join(location, "value"))
        except PolicyError as exc:
            add_error(errors, exc)
    if len(errors) > problems:
        return None
    get = field.getter(name)
    predicate = operator.compile(get, field.type, value)
    return Clause(
        location=location,
        field=name,
        op=op,
        raw=None if raw is _MISSING else raw,
        value=value,
        type=field.type,
        get=get,
        predicate=predicate,
    )


_Found = TypeVar("_Found")


def _resolve(  # noqa: PLR0917 - one clause key and how to look it up
    data: Mapping[Any, Any],
    key: str,
    noun: str,
    lookup: Callable[[str, str], _Found],
    location: str,
    errors: list[PolicyError],
) -> _Found | None:
    """Return what the clause's *key* names (a field, an operator)."""
    if key not in data:
        errors.append(PolicySyntaxError(location, f"missing {key!r}"))
        return None
    name = data[key]
    where = join(location, key)
    if not isinstance(name, str):
        errors.append(
            PolicySyntaxError(where, f"expected {noun}, got {_kind(name)}")
        )
        return None
    try:
        return lookup(name, where)
    except (UnknownFieldError, UnknownOperatorError) as exc:
        errors.append(exc)
        return None


def _unknown_key(
    location: str, key: object, known: tuple[str, ...]
) -> PolicySyntaxError:
    return PolicySyntaxError(
        location, f"unknown key {key!r}{did_you_mean(str(key), known)}"
    )


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value) if len(repr(value)) <= 40 else type(value).__name__  # noqa: PLR2004
