# ruff: noqa: ARG001 - the coercers share one signature
"""
Field types: what a field's values are, and how policy values are coerced.

A :class:`FieldType` turns one value written in a policy document (a TOML
or JSON scalar) into the value the field yields at run time, or raises
:class:`~servicecore.errors.InvalidValueError` saying why it cannot.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal, get_args

import attrs

from servicecore._time import duration_seconds
from servicecore.conditions._moments import coerce_moment
from servicecore.errors import DurationError, InvalidValueError, did_you_mean

__all__ = ["KINDS", "FieldType", "Kind"]

Kind = Literal[
    "string",
    "enum",
    "int",
    "float",
    "duration",
    "moment",
    "bool",
    "set",
    "any",
]

#: Every kind, for validation (the Literal's own values).
KINDS: Final = get_args(Kind)
# Numbers written as text are ASCII: int() and float() would also read
# other scripts' digits ("\u0663" as 3) and underscores ("1_000").
_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


@attrs.frozen(kw_only=True)
class FieldType:
    """
    The type of a condition field: its values and how policy values coerce.

    Build types with the class methods (:meth:`string`, :meth:`enum`,
    :meth:`integer`, :meth:`number`, :meth:`duration`, :meth:`moment`,
    :meth:`boolean`, :meth:`string_set`, :meth:`scalar`); the operators a
    field allows follow from its type unless the field names them itself.

    >>> priority = sc.conditions.FieldType.enum("priority", ["low", "high"], ordered=True)
    >>> priority.coerce("High", "value")
    'high'
    >>> priority.coerce("hgh", "when.value")
    Traceback (most recent call last):
    ...
    servicecore.errors.InvalidValueError: when.value: 'hgh' is not a priority; did you mean 'high'?

    Args:
        name: The type's name in messages and docs (``"priority"``).
        kind: One of ``string``, ``enum``, ``int``, ``float``,
            ``duration`` (seconds at run time), ``moment`` (epoch seconds
            at run time), ``bool``, ``set`` (of strings), ``any`` (a
            string, number, boolean or date).
        choices: The values of an ``enum``, lower case.
        ordered: Whether ``lt``/``gt``/``between`` apply; an ordered enum
            compares by the position of its values in *choices*.
    """

    name: str
    kind: Kind = attrs.field(validator=attrs.validators.in_(KINDS))
    choices: tuple[str, ...] = ()
    ordered: bool = False
    members: tuple[Any, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def string(cls) -> FieldType:
        """Return the type of free text, such as a customer's tier."""
        return _STRING

    @classmethod
    def integer(cls) -> FieldType:
        """Return the type of whole numbers, such as a reopen count."""
        return _INT

    @classmethod
    def number(cls) -> FieldType:
        """Return the type of numbers, such as a sentiment score."""
        return _FLOAT

    @classmethod
    def duration(cls) -> FieldType:
        """Return the type of durations (``"4h"`` in policies, seconds inside)."""
        return _DURATION

    @classmethod
    def moment(cls) -> FieldType:
        """
        Return the type of moments, such as a case's creation.

        Policies write an ISO 8601 date (the start of that day in UTC) or
        a moment with an offset; getters yield epoch seconds.

        >>> sc.conditions.FieldType.moment().coerce("2024-06-01T02:00:00+02:00", "value")
        1717200000
        >>> sc.conditions.FieldType.moment().coerce("2024-06-01", "value")
        1717200000
        """
        return _MOMENT

    @classmethod
    def boolean(cls) -> FieldType:
        """Return the type of yes/no values."""
        return _BOOL

    @classmethod
    def string_set(cls) -> FieldType:
        """Return the type of sets of lower-case strings, such as tags."""
        return _SET

    @classmethod
    def scalar(cls) -> FieldType:
        """Return the type of untyped values (custom fields, attributes)."""
        return _ANY

    @classmethod
    def enum(
        cls,
        name: str,
        choices: Iterable[str] | type[enum.Enum],
        *,
        ordered: bool = False,
    ) -> FieldType:
        """
        Return the type of one value out of *choices*.

        >>> sc.conditions.FieldType.enum("weekday", ["mon", "tue"]).choices
        ('mon', 'tue')

        Args:
            name: The name in messages (``"'x' is not a priority"``).
            choices: The values, in order, or an ``Enum`` of string values.
            ordered: Whether values compare by their position.

        Returns:
            The type.
        """
        items = tuple(choices)
        values = tuple(
            str(getattr(choice, "value", choice)).lower() for choice in items
        )
        # Coerced values are the enum's own members when there is an Enum:
        # a set lookup of the member a getter returns then hits on
        # identity, three times faster than comparing a str subclass.
        members = items if isinstance(choices, type) else values
        return cls(
            name=name,
            kind="enum",
            choices=values,
            ordered=ordered,
            members=members,
        )

    @property
    def is_ordered(self) -> bool:
        """Whether values of this type compare with ``lt``, ``gt``, ..."""
        return self.ordered or self.kind in {
            "int",
            "float",
            "duration",
            "moment",
        }

    def rank(self) -> dict[Any, int]:
        """Return the position of each enum member (for ordered enums)."""
        return {member: i for i, member in enumerate(self.members)}

    def coerce(self, value: object, location: str) -> object:
        """
        Return the policy value *value* as this type's run-time value.

        Args:
            value: One value from a policy document.
            location: Its path, for the error.

        Returns:
            The coerced value (a duration becomes seconds).

        Raises:
            InvalidValueError: *value* is not a value of this type.
        """
        return _COERCE[self.kind](self, value, location)


def _describe(value: object) -> str:
    if isinstance(value, list | tuple | dict):
        return f"a {type(value).__name__}"
    return repr(value)


def _bad(ftype: FieldType, value: object, location: str) -> InvalidValueError:
    return InvalidValueError(
        location, f"{_describe(value)} is not {_article(ftype.name)}"
    )


def _to_string(ftype: FieldType, value: object, location: str) -> object:
    if not isinstance(value, str):
        raise _bad(ftype, value, location)
    return value


def _to_set_item(ftype: FieldType, value: object, location: str) -> object:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            location,
            f"{_describe(value)} is not a tag; write a non-empty string",
        )
    return value.strip().lower()


def _to_enum(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, str):
        key = value.strip().lower()
        if key in ftype.choices:
            return ftype.members[ftype.choices.index(key)]
        raise InvalidValueError(
            location,
            f"{value!r} is not {_article(ftype.name)}"
            f"{did_you_mean(key, ftype.choices)}",
        )
    raise InvalidValueError(
        location,
        f"{_describe(value)} is not {_article(ftype.name)}; "
        f"write one of {', '.join(map(repr, ftype.choices))}",
    )


def _to_int(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.fullmatch(text := value.strip()):
        try:
            return int(text)
        except ValueError:  # more digits than int() reads
            pass
    raise InvalidValueError(
        location, f"{_describe(value)} is not a whole number"
    )


def _to_float(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            result = float(value)
        except OverflowError:  # an int beyond any float
            result = math.inf
    elif isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
        result = float(value.strip())
    else:
        raise InvalidValueError(
            location, f"{_describe(value)} is not a number"
        )
    if not math.isfinite(result):
        raise InvalidValueError(location, f"{value!r} is not a finite number")
    return result


def _to_duration(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, str | timedelta):
        try:
            return duration_seconds(value, location)
        except DurationError as exc:
            raise InvalidValueError(exc.location, exc.problem) from None
        except (OverflowError, ValueError):
            raise InvalidValueError(
                location, f"{value!r} is too long a duration"
            ) from None
    raise InvalidValueError(
        location,
        f"{_describe(value)} is not a duration; write it as a string "
        "such as '30m', '4h' or '1d 4h'",
    )


def _to_moment(ftype: FieldType, value: object, location: str) -> object:
    return coerce_moment(value, location)


def _to_bool(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise InvalidValueError(
        location, f"{_describe(value)} is not true or false"
    )


def _to_any(ftype: FieldType, value: object, location: str) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValueError(location, f"{value!r} is not a finite number")
    if isinstance(value, datetime) and value.utcoffset() is None:
        coerce_moment(value, location)  # refuses it: time is never naive
    if isinstance(value, str | int | float | bool | date):
        return value
    raise InvalidValueError(
        location,
        f"{_describe(value)} is not a string, number, boolean or date",
    )


_COERCE = {
    "string": _to_string,
    "enum": _to_enum,
    "int": _to_int,
    "float": _to_float,
    "duration": _to_duration,
    "moment": _to_moment,
    "bool": _to_bool,
    "set": _to_set_item,
    "any": _to_any,
}

_STRING = FieldType(name="string", kind="string")
_INT = FieldType(name="whole number", kind="int")
_FLOAT = FieldType(name="number", kind="float")
_DURATION = FieldType(name="duration", kind="duration")
_MOMENT = FieldType(name="moment", kind="moment")
_BOOL = FieldType(name="boolean", kind="bool")
_SET = FieldType(name="set of tags", kind="set")
_ANY = FieldType(name="value", kind="any")
