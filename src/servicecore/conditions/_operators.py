# ruff: noqa: ARG001 - checks and compilers share one signature
"""
The built-in condition operators.

Each operator checks and coerces its value once, when a policy loads, and
compiles to a closure over the field's getter; evaluation only calls that
closure. Negated operators (``is_not``, ``not_in``, ``not_contains``) are
the exact negation of their positive twin, so a missing value (``None``)
satisfies them. Ordering and text operators never hold for a missing value.

``matches`` runs Google's RE2 (``google-re2``): matching takes time linear
in the text, whatever the pattern, and patterns RE2 cannot run that way
(backreferences, lookaround, possessive quantifiers) are refused at load.
Untyped fields follow ``_untyped``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs
import re2

from servicecore._problems import raise_all
from servicecore.conditions import _untyped
from servicecore.conditions._types import KINDS, FieldType
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
)

__all__ = [
    "BUILTIN_OPERATORS",
    "MAX_PATTERN_LENGTH",
    "PATTERN_MEMORY",
    "BuiltinOperator",
]

Getter = Callable[[Any], object]
Predicate = Callable[[Any], bool]

#: Longest regular expression ``matches`` accepts; longer ones are refused
#: at load, which keeps policy authors from shipping pathological patterns.
MAX_PATTERN_LENGTH: Final = 300

#: RE2's memory budget per pattern (program and match caches), in bytes:
#: a pattern needing more is refused at load; matching that would need
#: more falls back to RE2's slower, still linear-time, engine.
PATTERN_MEMORY: Final = 1 << 20


def _pattern_options() -> re2.Options:
    options = re2.Options()
    options.max_mem = PATTERN_MEMORY
    options.log_errors = False  # errors are ours to report, not stderr's
    return options


_PATTERN_OPTIONS: Final = _pattern_options()

_ALL_KINDS = frozenset(KINDS)
_SCALARS = _ALL_KINDS - {"set"}
_LISTABLE = _ALL_KINDS - {"set", "bool"}
_TEXT = frozenset({"string", "any"})


def has_value(value: object) -> bool:
    """Return whether *value* counts as present (not None, not empty)."""
    if value is None:
        return False
    if isinstance(value, str | frozenset | set | tuple | list):
        return len(value) > 0
    return True


@attrs.frozen(kw_only=True)
class BuiltinOperator:
    """
    A built-in operator: its name, the field kinds it applies to, its value.

    Implements the :class:`~servicecore.plugins.Operator` protocol.
    """

    name: str
    description: str
    value_form: str
    kinds: frozenset[str]
    needs_order: bool = False
    takes_value: bool = True
    example: str = ""
    _check: Callable[[FieldType, object, str], object]
    _compile: Callable[[Getter, FieldType, Any], Predicate]

    def accepts(self, ftype: FieldType) -> bool:
        """Return whether this operator applies to fields of *ftype*."""
        if ftype.kind not in self.kinds:
            return False
        return not self.needs_order or ftype.is_ordered or ftype.kind == "any"

    def check(self, ftype: FieldType, value: object, location: str) -> object:
        """Return *value* checked and coerced for a field of *ftype*."""
        return self._check(ftype, value, location)

    def compile(self, get: Getter, ftype: FieldType, value: Any) -> Predicate:  # noqa: ANN401
        """Return the predicate ``get(context) <op> value``."""
        return self._compile(get, ftype, value)


# -- value checks ----------------------------------------------------------


def _one(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, list | tuple):
        raise InvalidValueError(
            location, "expected one value, got a list; use 'in' for several"
        )
    if ftype.kind == "any":
        return _untyped.policy_key(ftype, value, location)
    return ftype.coerce(value, location)


def _number(ftype: FieldType, value: object, location: str) -> object:
    if ftype.kind == "any":
        return _untyped.ordered_key(ftype, value, location)
    return _one(ftype, value, location)


def _many(ftype: FieldType, value: object, location: str) -> frozenset[object]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError(
            location, f"expected a list of values, got {value!r}"
        )
    if not value:
        raise InvalidValueError(location, "expected at least one value")
    items: list[object] = []
    errors: list[PolicyError] = []
    for i, item in enumerate(value):
        try:
            items.append(_one(ftype, item, f"{location}[{i}]"))
        except PolicyError as exc:
            errors.append(exc)
    raise_all(location, errors)
    return frozenset(items)


def _range(
    ftype: FieldType, value: object, location: str
) -> tuple[object, object]:
    if not isinstance(value, list | tuple) or len(value) != 2:  # noqa: PLR2004
        raise InvalidValueError(
            location, f"expected [low, high], got {value!r}"
        )
    low = _number(ftype, value[0], f"{location}[0]")
    high = _number(ftype, value[1], f"{location}[1]")
    if ftype.kind == "any" and low[0] != high[0]:  # type: ignore[index]
        raise InvalidValueError(
            location,
            f"low {value[0]!r} and high {value[1]!r} must both be numbers "
            "or both be dates",
        )
    key = _order_key(ftype)
    if key(low) > key(high):
        raise InvalidValueError(
            location, f"low {value[0]!r} is above high {value[1]!r}"
        )
    return low, high


def _text(ftype: FieldType, value: object, location: str) -> object:
    if ftype.kind == "set":
        return ftype.coerce(value, location)
    if not isinstance(value, str):
        raise InvalidValueError(location, f"{value!r} is not a string")
    return value


def _pattern(ftype: FieldType, value: object, location: str) -> object:
    if not isinstance(value, str):
        raise InvalidValueError(
            location, f"{value!r} is not a regular expression"
        )
    if len(value) > MAX_PATTERN_LENGTH:
        raise InvalidValueError(
            location,
            f"regular expression of {len(value)} characters; the limit "
            f"is {MAX_PATTERN_LENGTH}",
        )
    try:
        encoded = value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValueError(
            location, f"{value!r} is not valid Unicode (a lone surrogate)"
        ) from None
    try:
        return re2.compile(encoded, _PATTERN_OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidValueError(
            location,
            f"{value!r} is not a regular expression RE2 can run: {reason}",
        ) from None


def _tags(ftype: FieldType, value: object, location: str) -> object:
    return _many(ftype, value, location)


def _no_value(ftype: FieldType, value: object, location: str) -> object:
    return None


def _order_key(ftype: FieldType) -> Callable[[object], Any]:
    if ftype.kind == "enum":
        rank = ftype.rank()
        return lambda v: rank[v]
    if ftype.kind == "any":
        return lambda v: v[1]  # type: ignore[index]
    return lambda v: v


# -- compilers ---------------------------------------------------------------


def _is(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind == "any":
        return _untyped.member(get, frozenset({v}))
    return lambda c: get(c) == v


def _is_not(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind == "any":
        positive = _is(get, ftype, v)
        return lambda c: not positive(c)
    return lambda c: get(c) != v


def _in(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind == "any":
        return _untyped.member(get, v)
    return lambda c: get(c) in v


def _not_in(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind == "any":
        positive = _untyped.member(get, v)
        return lambda c: not positive(c)
    return lambda c: get(c) not in v


def _ordered(
    compare: Callable[[Any, Any], bool],
) -> Callable[[Getter, FieldType, Any], Predicate]:
    """Build the ordering compiler of enums and untyped fields."""

    def compile_(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
        if ftype.kind == "enum":
            # An enum has few values: the comparison becomes membership of
            # the values that satisfy it (None and strangers never do).
            rank = ftype.rank()
            target = rank[v]
            allowed = frozenset(
                m for m, r in rank.items() if compare(r, target)
            )
            return lambda c: get(c) in allowed
        if ftype.kind == "any":
            return _untyped.ordered(get, compare, v)
        return lambda c: (x := get(c)) is not None and compare(x, v)

    return compile_


_NUMERIC = frozenset({"int", "float", "duration", "moment"})


def _lt(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    # The four comparisons are spelt out: an operator.lt call per
    # evaluation would cost a third of the clause.
    if ftype.kind in _NUMERIC:
        return lambda c: (x := get(c)) is not None and x < v
    return _ordered(lambda a, b: a < b)(get, ftype, v)


def _lte(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind in _NUMERIC:
        return lambda c: (x := get(c)) is not None and x <= v
    return _ordered(lambda a, b: a <= b)(get, ftype, v)


def _gt(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind in _NUMERIC:
        return lambda c: (x := get(c)) is not None and x > v
    return _ordered(lambda a, b: a > b)(get, ftype, v)


def _gte(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind in _NUMERIC:
        return lambda c: (x := get(c)) is not None and x >= v
    return _ordered(lambda a, b: a >= b)(get, ftype, v)


def _between(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    low, high = v
    if ftype.kind == "enum":
        rank = ftype.rank()
        lo, hi = rank[low], rank[high]
        allowed = frozenset(m for m, r in rank.items() if lo <= r <= hi)
        return lambda c: get(c) in allowed
    if ftype.kind == "any":
        return _untyped.between(get, low, high)
    return lambda c: (x := get(c)) is not None and low <= x <= high


def _contains(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind == "set":
        read: Callable[[Any], Any] = get
        return lambda c: (x := read(c)) is not None and v in x
    return lambda c: isinstance(x := get(c), str) and v in x


def _not_contains(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    positive = _contains(get, ftype, v)
    return lambda c: not positive(c)


def _starts_with(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    return lambda c: isinstance(x := get(c), str) and x.startswith(v)


def _matches(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    search = v.search
    # RE2 reads UTF-8 bytes; "surrogatepass" lets a lone surrogate in a
    # customer's text through (RE2 reads it as one character) instead of
    # raising UnicodeEncodeError.
    return lambda c: (
        isinstance(x := get(c), str)
        and search(x.encode("utf-8", "surrogatepass")) is not None
    )


def _present(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    if ftype.kind in {"string", "set", "any"}:
        return lambda c: has_value(get(c))
    return lambda c: get(c) is not None


def _absent(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    positive = _present(get, ftype, v)
    return lambda c: not positive(c)


def _includes_any(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    return lambda c: (x := get(c)) is not None and not v.isdisjoint(x)


def _includes_all(get: Getter, ftype: FieldType, v: Any) -> Predicate:  # noqa: ANN401
    return lambda c: (x := get(c)) is not None and v <= x


def _op(  # noqa: PLR0917 - a table row
    name: str,
    description: str,
    value_form: str,
    kinds: frozenset[str],
    check: Callable[[FieldType, object, str], object],
    compile_: Callable[[Getter, FieldType, Any], Predicate],
    example: str,
    *,
    needs_order: bool = False,
) -> BuiltinOperator:
    return BuiltinOperator(
        name=name,
        description=description,
        value_form=value_form,
        kinds=kinds,
        needs_order=needs_order,
        takes_value=check is not _no_value,
        example=example,
        check=check,
        compile=compile_,
    )


_ORDERED_KINDS = frozenset(
    {"enum", "int", "float", "duration", "moment", "any"}
)

#: The operators every registry starts with, in documentation order.
BUILTIN_OPERATORS: Final[tuple[BuiltinOperator, ...]] = (
    _op(
        "is",
        "the value equals the given value",
        "one value",
        _SCALARS,
        _one,
        _is,
        '{field = "case.status", op = "is", value = "open"}',
    ),
    _op(
        "is_not",
        "the value differs from the given value (or is missing)",
        "one value",
        _SCALARS,
        _one,
        _is_not,
        '{field = "case.channel", op = "is_not", value = "email"}',
    ),
    _op(
        "in",
        "the value is one of the given values",
        "a non-empty list",
        _LISTABLE,
        _many,
        _in,
        '{field = "case.priority", op = "in", value = ["high", "urgent"]}',
    ),
    _op(
        "not_in",
        "the value is none of the given values (or is missing)",
        "a non-empty list",
        _LISTABLE,
        _many,
        _not_in,
        '{field = "customer.tier", op = "not_in", value = ["free"]}',
    ),
    _op(
        "lt",
        "the value is below the given value",
        "one value",
        _ORDERED_KINDS,
        _number,
        _lt,
        '{field = "case.priority", op = "lt", value = "high"}',
        needs_order=True,
    ),
    _op(
        "lte",
        "the value is at most the given value",
        "one value",
        _ORDERED_KINDS,
        _number,
        _lte,
        '{field = "case.reopen_count", op = "lte", value = 1}',
        needs_order=True,
    ),
    _op(
        "gt",
        "the value is above the given value",
        "one value",
        _ORDERED_KINDS,
        _number,
        _gt,
        '{field = "case.age", op = "gt", value = "2d"}',
        needs_order=True,
    ),
    _op(
        "gte",
        "the value is at least the given value",
        "one value",
        _ORDERED_KINDS,
        _number,
        _gte,
        '{field = "case.priority", op = "gte", value = "high"}',
        needs_order=True,
    ),
    _op(
        "between",
        "the value lies in the closed range [low, high]",
        "[low, high]",
        _ORDERED_KINDS,
        _range,
        _between,
        '{field = "moment.hour", op = "between", value = [9, 17]}',
        needs_order=True,
    ),
    _op(
        "contains",
        "the text contains the given text; the set contains the given tag",
        "one string",
        frozenset({"string", "any", "set"}),
        _text,
        _contains,
        '{field = "customer.tags", op = "contains", value = "vip"}',
    ),
    _op(
        "not_contains",
        "the negation of contains (also holds for a missing value)",
        "one string",
        frozenset({"string", "any", "set"}),
        _text,
        _not_contains,
        '{field = "interaction.body", op = "not_contains", value = "spam"}',
    ),
    _op(
        "starts_with",
        "the text starts with the given text",
        "one string",
        _TEXT,
        _text,
        _starts_with,
        '{field = "customer.locale", op = "starts_with", value = "de"}',
    ),
    _op(
        "matches",
        "a regular expression (RE2 syntax, checked at load, at most "
        f"{MAX_PATTERN_LENGTH} characters) is found somewhere in the text",
        "a regular expression",
        _TEXT,
        _pattern,
        _matches,
        '{field = "customer.email", op = "matches", value = \'@acme\\.com$\'}',
    ),
    _op(
        "present",
        "the value is there (not missing, not empty)",
        "no value",
        _ALL_KINDS,
        _no_value,
        _present,
        '{field = "case.assignee", op = "present"}',
    ),
    _op(
        "absent",
        "the value is missing or empty",
        "no value",
        _ALL_KINDS,
        _no_value,
        _absent,
        '{field = "case.team", op = "absent"}',
    ),
    _op(
        "includes_any",
        "the set shares at least one tag with the given ones",
        "a non-empty list",
        frozenset({"set"}),
        _tags,
        _includes_any,
        '{field = "case.tags", op = "includes_any", value = ["billing", "refund"]}',
    ),
    _op(
        "includes_all",
        "the set holds every one of the given tags",
        "a non-empty list",
        frozenset({"set"}),
        _tags,
        _includes_all,
        '{field = "customer.tags", op = "includes_all", value = ["vip", "emea"]}',
    ),
)
