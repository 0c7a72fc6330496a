"""
Small named converters and validators shared by the models.

Converters normalise (``tags=["VIP "]`` becomes ``frozenset({'vip'})``) and
are typed with what they accept, so that mypy --strict accepts a list where
a frozenset is stored; validators check and raise a
:class:`~servicecore.ModelError` naming the field and the bad value.
"""

from __future__ import annotations

import functools
import math
import re
import reprlib
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import attrs
import babel
import babel.core
import babel.localedata

from servicecore._time import (
    MAX_EPOCH_S,
    MIN_EPOCH_S,
    get_timezone,
    to_epoch,
)
from servicecore.errors import ModelError, UnknownLocaleError, did_you_mean
from servicecore.models._enums import (
    AuthorKind,
    CaseStatus,
    Channel,
    Direction,
    Priority,
    SurveyKind,
)
from servicecore.models._mapping import EMPTY, FrozenMap

__all__ = ["AttributeValue", "FieldValue"]

AttributeValue = str | int | float | bool | date
"""A custom attribute or field value: a scalar JSON can carry, or a date."""

FieldValue = AttributeValue

_E = TypeVar("_E", Channel, Direction, AuthorKind, Priority, CaseStatus)

_SHORT_TEXT = 64


class _Brief(reprlib.Repr):
    """Short reprs for messages, also of integers too long to print."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = _SHORT_TEXT
        self.maxlevel = 3

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > _SHORT_TEXT * 3:  # about 58 digits
            return f"<an integer of {x.bit_length():,} bits>"
        return super().repr_int(x, level)


_BRIEF = _Brief()


def brief(value: object) -> str:
    """Return the repr of *value* for a message: short, however large."""
    return _BRIEF.repr(value)


def hint_for(value: object, known: Iterable[str]) -> str:
    """Return a did-you-mean hint for a short string *value*, else ``""``."""
    if isinstance(value, str) and len(value) <= _SHORT_TEXT:
        return did_you_mean(value, known)
    return ""


# -- moments ---------------------------------------------------------------


def moment(value: datetime | int, location: str) -> int:
    """Return *value* (aware datetime or epoch seconds) as epoch seconds."""
    if type(value) is int:
        if not MIN_EPOCH_S <= value <= MAX_EPOCH_S:
            raise ModelError(
                location,
                f"epoch seconds {brief(value)} are outside the years 1-9999",
            )
        return value
    if isinstance(value, bool) or not isinstance(value, datetime):
        raise ModelError(
            location,
            f"expected an aware datetime or epoch seconds, got {brief(value)}",
        )
    return to_epoch(value, location)


def to_at(value: datetime | int) -> int:
    """Convert the ``at`` of a model to epoch seconds."""
    return moment(value, "at")


def to_optional_created_at(value: datetime | int | None) -> int | None:
    """Convert an optional ``created_at`` to epoch seconds."""
    return None if value is None else moment(value, "created_at")


# -- enums -----------------------------------------------------------------


def _enum(cls: type[_E], value: str, location: str) -> _E:
    if type(value) is cls:
        return value
    # The value map is what Enum.__call__ consults, without its overhead.
    member = (
        cls._value2member_map_.get(value) if isinstance(value, str) else None
    )
    if member is not None:
        return member  # type: ignore[return-value]
    try:
        return cls(value)
    except ValueError:
        known = [m.value for m in cls]
        raise ModelError(
            location,
            f"unknown {cls.__name__} {brief(value)}{hint_for(value, known)}; "
            f"expected one of {', '.join(known)}",
        ) from None


def to_channel(value: Channel | str) -> Channel:
    """Convert a ``channel``."""
    return _enum(Channel, value, "channel")


def to_optional_channel(value: Channel | str | None) -> Channel | None:
    """Convert an optional ``channel``."""
    return None if value is None else _enum(Channel, value, "channel")


def to_preferred_channel(value: Channel | str | None) -> Channel | None:
    """Convert a customer's optional ``preferred_channel``."""
    return (
        None if value is None else _enum(Channel, value, "preferred_channel")
    )


def to_direction(value: Direction | str) -> Direction:
    """Convert a ``direction``."""
    return _enum(Direction, value, "direction")


def to_author_kind(value: AuthorKind | str) -> AuthorKind:
    """Convert an ``author_kind``."""
    return _enum(AuthorKind, value, "author_kind")


def to_priority(value: Priority | str) -> Priority:
    """Convert a ``priority``."""
    return _enum(Priority, value, "priority")


def to_status(value: CaseStatus | str) -> CaseStatus:
    """Convert a ``status``."""
    return _enum(CaseStatus, value, "status")


def to_survey_kind(value: SurveyKind | str) -> SurveyKind:
    """Convert a survey ``kind``."""
    if type(value) is SurveyKind:
        return value
    try:
        return SurveyKind(value)
    except ValueError:
        known = [m.value for m in SurveyKind]
        raise ModelError(
            "kind",
            f"unknown SurveyKind {brief(value)}{hint_for(value, known)}"
            f"; expected one of {', '.join(known)}",
        ) from None


# -- sets and mappings -----------------------------------------------------


def _strings(values: Iterable[str], location: str) -> list[str]:
    # A mapping iterates over its keys, bytes over ints: neither is meant.
    if isinstance(values, Mapping):
        raise ModelError(
            location,
            f"expected a collection of strings, not a mapping: {brief(values)}",
        )
    if isinstance(values, str | bytes | bytearray) or not isinstance(
        values, Iterable
    ):
        raise ModelError(
            location,
            f"expected a collection of strings, got {brief(values)}",
        )
    out = list(values)
    for value in out:
        if not isinstance(value, str) or not value.strip():
            raise ModelError(
                location, f"expected non-empty strings, got {brief(value)}"
            )
    return out


NO_STRINGS: frozenset[str] = frozenset()
"""The one empty set of strings models share (CPython has no singleton)."""


def _set(values: Iterable[str]) -> frozenset[str]:
    # Tags and ids repeat across cases: interned, each exists once.
    found = frozenset(sys.intern(v) for v in values)
    return found or NO_STRINGS


def normalise_tags(values: Iterable[str], location: str) -> frozenset[str]:
    """Return *values* stripped and lower-cased, as a frozenset."""
    return _set(v.strip().lower() for v in _strings(values, location))


def to_tags(values: Iterable[str]) -> frozenset[str]:
    """Convert ``tags``: strip, lower-case, deduplicate."""
    return normalise_tags(values, "tags")


def to_added(values: Iterable[str]) -> frozenset[str]:
    """Convert the ``added`` tags of a tag change."""
    return normalise_tags(values, "added")


def to_removed(values: Iterable[str]) -> frozenset[str]:
    """Convert the ``removed`` tags of a tag change."""
    return normalise_tags(values, "removed")


def to_skills(values: Iterable[str]) -> frozenset[str]:
    """Convert ``skills``: normalised like tags."""
    return normalise_tags(values, "skills")


def to_team_ids(values: Iterable[str]) -> frozenset[str]:
    """Convert ``team_ids`` (kept as given)."""
    return _set(_strings(values, "team_ids"))


def to_member_ids(values: Iterable[str]) -> frozenset[str]:
    """Convert ``member_ids`` (kept as given)."""
    return _set(_strings(values, "member_ids"))


_MIN_INT, _MAX_INT = -(2**63), 2**63 - 1


def check_value(value: object, location: str) -> None:
    """Raise unless *value* is a str, 64-bit int, float, bool or date."""
    if isinstance(value, datetime):
        raise ModelError(
            location,
            f"datetimes are not attribute values ({brief(value)}); store a date, "
            "or epoch seconds as an int",
        )
    if not isinstance(value, str | int | float | date):
        raise ModelError(
            location,
            "expected a str, int, float, bool or date, "
            f"got {type(value).__name__} {brief(value)}",
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ModelError(
            location, f"expected a finite number, got {brief(value)}"
        )
    if type(value) is int and not _MIN_INT <= value <= _MAX_INT:
        raise ModelError(
            location,
            "expected an integer of 64 bits (-2**63 to 2**63 - 1), got "
            f"{brief(value)}",
        )


def _map(
    values: Mapping[str, AttributeValue], location: str
) -> FrozenMap[AttributeValue]:
    if isinstance(values, FrozenMap):
        return values
    if not isinstance(values, Mapping):
        raise ModelError(location, f"expected a mapping, got {brief(values)}")
    if not values:
        return EMPTY  # type: ignore[return-value]
    for key, value in values.items():
        if not isinstance(key, str) or not key:
            raise ModelError(
                location, f"keys must be non-empty strings, got {brief(key)}"
            )
        check_value(value, f"{location}.{key}")
    return FrozenMap(values)


def to_attributes(
    values: Mapping[str, AttributeValue],
) -> FrozenMap[AttributeValue]:
    """Convert custom ``attributes`` to a read-only mapping."""
    return _map(values, "attributes")


def to_fields(values: Mapping[str, FieldValue]) -> FrozenMap[FieldValue]:
    """Convert custom ``fields`` to a read-only mapping."""
    return _map(values, "fields")


# -- validators ------------------------------------------------------------


def non_empty_str(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Validate a non-empty string such as an id."""
    if type(value) is not str or not value:
        raise ModelError(
            attribute.name, f"expected a non-empty string, got {brief(value)}"
        )


def is_str(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a string (possibly empty)."""
    if not isinstance(value, str):
        raise ModelError(
            attribute.name, f"expected a string, got {brief(value)}"
        )


def optional_str(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Validate None or a non-empty string."""
    if value is not None and (not isinstance(value, str) or not value):
        raise ModelError(
            attribute.name,
            f"expected None or a non-empty string, got {brief(value)}",
        )


def is_bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a bool."""
    if not isinstance(value, bool):
        raise ModelError(
            attribute.name, f"expected a bool, got {brief(value)}"
        )


def is_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an int of 64 bits (not a bool)."""
    if type(value) is not int:
        raise ModelError(
            attribute.name, f"expected an int, got {brief(value)}"
        )
    check_value(value, attribute.name)


def email(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate None or something shaped like an e-mail address."""
    if value is None:
        return
    if (
        not isinstance(value, str)
        or value.count("@") != 1
        or value.startswith("@")
        or value.endswith("@")
        or any(c.isspace() for c in value)
    ):
        raise ModelError(
            attribute.name, f"expected an e-mail address, got {brief(value)}"
        )


@functools.cache
def _locales() -> frozenset[str]:
    return frozenset(babel.localedata.locale_identifiers())


# Letters and digits in parts joined by one kind of separator, with an
# optional @modifier: what babel's parser splits as users mean it.
_LOCALE = re.compile(
    r"[A-Za-z0-9]{1,8}(?:(?:_[A-Za-z0-9]{1,8})*|(?:-[A-Za-z0-9]{1,8})*)"
    r"(?:@[A-Za-z0-9]{1,16})?"
)


@functools.lru_cache(maxsize=1024)
def _locale_id(value: str) -> str:
    """Return babel's spelling of *value*; raise if babel cannot parse it."""
    sep = "-" if "-" in value else "_"
    spelled = babel.core.get_locale_identifier(
        babel.core.parse_locale(value, sep=sep)
    )
    babel.Locale.parse(spelled)
    return spelled


def locale_id(value: object, location: str) -> str:
    """
    Return the locale *value* in babel's spelling, or raise naming *location*.

    Every locale babel parses is accepted, as users write it: ``"zh_CN"``,
    ``"zh-CN"``, ``"zh_Hans_CN"``, ``"de-ch"``. The result is the same
    locale spelled as babel's identifiers are (``_`` between parts, the
    letter case of each part: ``"zh-cn"`` becomes ``"zh_CN"``), with no
    part added or removed, so it reads back unchanged; babel ids such as
    ``"de_CH"`` are kept as they are.

    Raises:
        UnknownLocaleError: *value* is not a locale babel can parse.
    """
    if type(value) is str and value in _locales():
        return value
    if isinstance(value, str) and _LOCALE.fullmatch(value):
        try:
            return _locale_id(value)
        except (ValueError, babel.UnknownLocaleError):
            pass
    hint = (
        hint_for(value.replace("-", "_"), _locales())
        if isinstance(value, str)
        else ""
    )
    raise UnknownLocaleError(
        location,
        f"unknown locale {brief(value)}{hint}; write a locale such as 'en', "
        "'de_CH', 'de-CH' or 'zh_Hans_CN'",
    )


def to_locale(value: str) -> str:
    """Convert a ``locale`` to babel's spelling (see :func:`locale_id`)."""
    return locale_id(value, "locale")


def time_zone(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Validate an IANA time zone name such as ``Europe/Zurich``."""
    get_timezone(
        value if isinstance(value, str) else brief(value), attribute.name
    )
