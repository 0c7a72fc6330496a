"""
Profile attributes: the built-in ones, and custom ones from the registry.

Each attribute has a checker that turns the value a rule writes into the
value a profile holds, or raises a :class:`~servicecore.PolicyError` naming
its location; rules are checked once, when they load.

Custom attributes are registered in a :class:`~servicecore.Registry` with
:meth:`ProfileAttribute.register` (kind ``"profile_attribute"``), directly
or from a plugin, so they follow the registry's all-or-nothing plugin
loading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from servicecore._time import duration_seconds, get_timezone
from servicecore.conditions._types import FieldType
from servicecore.errors import (
    DurationError,
    InvalidValueError,
    PolicyError,
    UnknownTimeZoneError,
    did_you_mean,
)
from servicecore.models import Channel
from servicecore.personalization._contact import ContactWindow
from servicecore.personalization._locales import check_locale
from servicecore.plugins import register_kind

if TYPE_CHECKING:
    from servicecore.plugins import Registry

__all__ = [
    "BUILTIN_ATTRIBUTES",
    "PROFILE_ATTRIBUTE_KIND",
    "TONES",
    "ProfileAttribute",
    "custom_attributes",
]

#: The registry kind custom profile attributes are registered under.
PROFILE_ATTRIBUTE_KIND: Final = "profile_attribute"
#: The tones a rule can set.
TONES: Final = ("formal", "informal")
#: The bound of ``priority_boost``: at most this many levels either way.
MAX_BOOST: Final = 3

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
Checker = Callable[[object, str], object]


def _time_zone(value: object, location: str) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(
            location, f"expected a time zone name, got {value!r}"
        )
    try:
        get_timezone(value, location)
    except UnknownTimeZoneError as exc:
        raise InvalidValueError(location, exc.problem) from None
    return value


def _channel(value: object, location: str) -> Channel:
    names = [c.value for c in Channel]
    if value not in names:
        raise InvalidValueError(
            location,
            f"unknown channel {value!r}"
            f"{did_you_mean(str(value), names) or '; use ' + ', '.join(names)}",
        )
    return Channel(value)


def _tone(value: object, location: str) -> str:
    if value not in TONES:
        raise InvalidValueError(
            location,
            f"unknown tone {value!r}; use 'formal' or 'informal'",
        )
    return str(value)


def _name(value: object, location: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            location, f"expected a non-empty name, got {value!r}"
        )
    return value.strip()


def _boost(value: object, location: str) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not -MAX_BOOST <= value <= MAX_BOOST
    ):
        raise InvalidValueError(
            location,
            f"priority_boost must be a whole number of levels from "
            f"-{MAX_BOOST} to {MAX_BOOST}, got {value!r}",
        )
    return value


def _suppression(value: object, location: str) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidValueError(
            location, f"expected a duration such as '14d', got {value!r}"
        )
    if isinstance(value, int):
        if value < 0:
            raise InvalidValueError(
                location, f"a duration cannot be negative, got {value}"
            )
        return value
    try:
        return duration_seconds(value, location)
    except DurationError as exc:
        raise InvalidValueError(location, exc.problem) from None


def _window(value: object, location: str) -> ContactWindow:
    return ContactWindow.parse(value, location)


#: The built-in attributes and their checkers, in documentation order.
#: ``template.<purpose>`` attributes use the ``template`` checker.
BUILTIN_ATTRIBUTES: Final[Mapping[str, Checker]] = {
    "locale": check_locale,
    "time_zone": _time_zone,
    "preferred_channel": _channel,
    "tone": _tone,
    "greeting": _name,
    "template": _name,
    "queue": _name,
    "skill": _name,
    "priority_boost": _boost,
    "contact_window": _window,
    "survey_suppression": _suppression,
}


@attrs.frozen(kw_only=True)
class ProfileAttribute:
    """
    A custom profile attribute that personalization rules may set.

    Register it in a :class:`~servicecore.Registry` with :meth:`register`
    (from a host, or from a plugin receiving the registry) — the same as
    ``registry.add("profile_attribute", attribute)``; rules then set it like
    a built-in attribute and profiles hold it in ``custom``.

    >>> registry = sc.Registry()
    >>> sc.personalization.ProfileAttribute(
    ...     name="loyalty_band", type=sc.conditions.FieldType.string(), default="none",
    ...     description="the loyalty programme band to mention",
    ... ).register(registry)
    >>> registry.get("profile_attribute", "loyalty_band").default
    'none'

    Args:
        name: A lower_snake_case name, not one of the built-in attributes.
        type: The type of its values (a condition
            :class:`~servicecore.FieldType`): rule values are coerced and
            checked with it when rules load.
        default: The value when no rule sets it.
        description: One line for documentation.
    """

    name: str
    type: FieldType
    default: object = None
    description: str = ""

    def register(self, registry: Registry, *, replace: bool = False) -> None:
        """
        Add this attribute to *registry*, directly or from a plugin.

        The attribute is kept in the registry's items (kind
        ``profile_attribute``), so registries copy it and a failing plugin
        leaves the registry as it was.

        Args:
            registry: The registry rules will load with.
            replace: Replace an attribute of the same name.

        Raises:
            PluginError: Not a valid attribute, or the name is taken.
        """
        registry.add(PROFILE_ATTRIBUTE_KIND, self, replace=replace)

    def check(self, value: object, location: str) -> object:
        """Return *value* coerced to the attribute's type (PolicyError if not)."""
        return self.type.coerce(value, location)


def _check_item(item: object) -> str:
    if not isinstance(item, ProfileAttribute):
        return "is not a ProfileAttribute"
    if not isinstance(item.name, str) or not _NAME.match(item.name):
        return f"attribute name {item.name!r} is not lower_snake_case"
    if item.name in BUILTIN_ATTRIBUTES:
        return f"{item.name!r} is a built-in profile attribute"
    if not isinstance(item.type, FieldType):
        return f"attribute {item.name!r} has no FieldType"
    return ""


register_kind(PROFILE_ATTRIBUTE_KIND, _check_item)


def custom_attributes(registry: Registry) -> dict[str, ProfileAttribute]:
    """Return the custom attributes registered in *registry*, by name."""
    return {
        name: registry.get(PROFILE_ATTRIBUTE_KIND, name)
        for name in registry.names(PROFILE_ATTRIBUTE_KIND)
    }


def check_value(
    name: str,
    value: object,
    location: str,
    custom: Mapping[str, ProfileAttribute],
) -> object:
    """Return the checked value of attribute *name*; PolicyError if bad."""
    base = name.partition(".")[0]
    if base in BUILTIN_ATTRIBUTES:
        return BUILTIN_ATTRIBUTES[base](value, location)
    attribute = custom[name]
    try:
        return attribute.check(value, location)
    except PolicyError:
        raise
    except Exception as exc:  # a plugin's type failed
        raise InvalidValueError(
            location, f"{type(exc).__name__}: {exc}"
        ) from exc


def known_names(custom: Mapping[str, Any]) -> list[str]:
    """Return every attribute name a rule may set, for suggestions."""
    return [*BUILTIN_ATTRIBUTES, *custom]
