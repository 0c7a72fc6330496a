"""
Untyped fields (custom fields, customer attributes): what equals what.

An untyped value is text, a number, a boolean or a date, and the policy
says which it means by what it writes. The four never mix: ``true`` does
not equal ``1`` and is no number to order, ``"1"`` is text. A date or
moment written in ISO 8601 (or as a TOML date) compares, as an instant,
with field values that are dates, aware datetimes or ISO 8601 text.

Policy values become tagged keys when a policy loads, ``(BOOL, True)``,
``(NUMBER, 1)``, ``(TEXT, "a")``, ``(MOMENT, epoch seconds)``, so sets of
them keep ``true`` and ``1`` apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from servicecore.conditions._moments import (
    coerce_moment,
    is_moment_like,
    moment_seconds,
)
from servicecore.conditions._types import FieldType
from servicecore.errors import InvalidValueError

__all__ = [
    "MOMENT",
    "NUMBER",
    "between",
    "member",
    "ordered",
    "ordered_key",
    "policy_key",
]

BOOL: Final = 0
NUMBER: Final = 1
TEXT: Final = 2
MOMENT: Final = 3

Key = tuple[int, Any]
Getter = Callable[[Any], object]
Predicate = Callable[[Any], bool]


def is_number(value: object) -> bool:
    """Return whether *value* is a number (an int or float, not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def policy_key(ftype: FieldType, value: object, location: str) -> Key:
    """Return the tagged key of one policy value of an untyped field."""
    value = ftype.coerce(value, location)
    if isinstance(value, bool):
        return (BOOL, value)
    if is_number(value):
        return (NUMBER, value)
    if isinstance(value, date) or moment_seconds(value) is not None:
        return (MOMENT, coerce_moment(value, location))
    # Text shaped like a date but none (naive, no such day) is text here:
    # equal to the same text, as a product code "1234-56-78" must be.
    return (TEXT, value)


def ordered_key(ftype: FieldType, value: object, location: str) -> Key:
    """Return the key of a value to order by: a number or a moment."""
    key = policy_key(ftype, value, location)
    if key[0] not in {NUMBER, MOMENT}:
        if is_moment_like(value):
            coerce_moment(value, location)  # raises why it is no moment
        raise InvalidValueError(
            location,
            f"{value!r} is not a number or an ISO 8601 date to compare with",
        )
    return key


def member(get: Getter, keys: frozenset[Key]) -> Predicate:
    """Return the predicate: the field's value is one of *keys*."""
    texts = frozenset(value for tag, value in keys if tag == TEXT)
    if len(texts) == len(keys):
        # Text equals only text, so plain equality is exact (and as fast
        # as before kinds were told apart: personalization's common case).
        if len(texts) == 1:
            (text,) = texts
            return lambda c: get(c) == text
        return lambda c: get(c) in texts
    moments = frozenset(value for tag, value in keys if tag == MOMENT)

    def holds(context: object) -> bool:
        x = get(context)
        if isinstance(x, bool):
            return (BOOL, x) in keys
        if isinstance(x, int | float):
            return (NUMBER, x) in keys
        if isinstance(x, str) and (TEXT, x) in keys:
            return True
        return bool(moments) and moment_seconds(x) in moments

    return holds


def ordered(
    get: Getter, compare: Callable[[Any, Any], bool], key: Key
) -> Predicate:
    """Return the predicate ``compare(field value, key)``, same kinds only."""
    tag, v = key
    if tag == NUMBER:
        return lambda c: is_number(x := get(c)) and compare(x, v)
    return lambda c: (
        (s := moment_seconds(get(c))) is not None and compare(s, v)
    )


def between(get: Getter, low: Key, high: Key) -> Predicate:
    """Return the predicate: the field's value lies in [low, high]."""
    lo, hi = low[1], high[1]
    if low[0] == NUMBER:
        return lambda c: is_number(x := get(c)) and lo <= x <= hi
    return lambda c: (
        (s := moment_seconds(get(c))) is not None and (lo <= s <= hi)
    )
