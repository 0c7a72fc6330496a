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
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import attrs
import babel.localedata

from servicecore._time import get_timezone, to_epoch
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


# -- moments ---------------------------------------------------------------

_MIN_S = -62_135_596_800  # 0001-01-01T00:00:00Z
_MAX_S = 253_402_300_799  # 9999-12-31T23:59:59Z


def moment(value: datetime | int, location: str) -> int:
    """Return *value* (aware datetime or epoch seconds) as epoch seconds."""
    if type(value) is int:
        if not _MIN_S <= value <= _MAX_S:
            raise ModelError(
                location,
                f"epoch seconds {value} are outside the years 1-9999",
            )
        return value
    if isinstance(value, bool) or not isinstance(value, datetime):
        raise ModelError(
            location,
            f"expected an aware datetime or epoch seconds, got {value!r}",
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
        hint = did_you_mean(value, known) if isinstance(value, str) else ""
        raise ModelError(
            location,
            f"unknown {cls.__name__} {value!r}{hint}; "
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
            f"unknown SurveyKind {value!r}{did_you_mean(str(value), known)}"
            f"; expected one of {', '.join(known)}",
        ) from None


# -- sets and mappings -----------------------------------------------------


def _strings(values: Iterable[str], location: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ModelError(
            location, f"expected a collection of strings, got {values!r}"
        )
    out = list(values)
    for value in out:
        if not isinstance(value, str) or not value.strip():
            raise ModelError(
                location, f"expected non-empty strings, got {value!r}"
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


def check_value(value: object, location: str) -> None:
    """Raise unless *value* is a str, int, float, bool or date."""
    if isinstance(value, datetime):
        raise ModelError(
            location,
            f"datetimes are not attribute values ({value!r}); store a date, "
            "or epoch seconds as an int",
        )
    if not isinstance(value, str | int | float | date):
        raise ModelError(
            location,
            "expected a str, int, float, bool or date, "
            f"got {type(value).__name__} {value!r}",
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ModelError(location, f"expected a finite number, got {value!r}")


def _map(
    values: Mapping[str, AttributeValue], location: str
) -> FrozenMap[AttributeValue]:
    if isinstance(values, FrozenMap):
        return values
    if not isinstance(values, Mapping):
        raise ModelError(location, f"expected a mapping, got {values!r}")
    if not values:
        return EMPTY  # type: ignore[return-value]
    for key, value in values.items():
        if not isinstance(key, str) or not key:
            raise ModelError(
                location, f"keys must be non-empty strings, got {key!r}"
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
            attribute.name, f"expected a non-empty string, got {value!r}"
        )


def is_str(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a string (possibly empty)."""
    if not isinstance(value, str):
        raise ModelError(attribute.name, f"expected a string, got {value!r}")


def optional_str(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Validate None or a non-empty string."""
    if value is not None and (not isinstance(value, str) or not value):
        raise ModelError(
            attribute.name,
            f"expected None or a non-empty string, got {value!r}",
        )


def is_bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a bool."""
    if not isinstance(value, bool):
        raise ModelError(attribute.name, f"expected a bool, got {value!r}")


def is_int(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an int (not a bool)."""
    if type(value) is not int:
        raise ModelError(attribute.name, f"expected an int, got {value!r}")


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
            attribute.name, f"expected an e-mail address, got {value!r}"
        )


@functools.cache
def _locales() -> frozenset[str]:
    return frozenset(babel.localedata.locale_identifiers())


def check_locale(value: object, location: str) -> None:
    """Raise UnknownLocaleError unless *value* is a babel locale id."""
    if not isinstance(value, str) or value not in _locales():
        hint = (
            did_you_mean(value, _locales()) if isinstance(value, str) else ""
        )
        if isinstance(value, str) and "-" in value:
            alt = value.replace("-", "_")
            if alt in _locales():
                hint = f"; did you mean {alt!r}?"
        raise UnknownLocaleError(
            location,
            f"unknown locale {value!r}{hint}; write babel locale ids "
            "such as 'en', 'de_CH' or 'pt_BR'",
        )


def locale(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a babel locale id such as ``de_CH``."""
    check_locale(value, attribute.name)


def time_zone(
    _: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """Validate an IANA time zone name such as ``Europe/Zurich``."""
    get_timezone(
        value if isinstance(value, str) else repr(value), attribute.name
    )
