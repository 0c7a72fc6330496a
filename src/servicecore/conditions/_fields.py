"""
Condition fields: typed getters over an evaluation context.

A :class:`Field` is one dotted name (``case.priority``); a
:class:`FieldFamily` is a name ending in ``.*`` whose last part is a key the
policy chooses (``case.fields.order_id``, ``customer.attributes.plan``).
Both implement :class:`~servicecore.plugins.FieldProvider`; integrators
register their own with :meth:`~servicecore.plugins.Registry.add_field`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from servicecore.conditions._types import FieldType

__all__ = ["Field", "FieldFamily"]

Getter = Callable[[Any], object]


def _operator_names(
    value: frozenset[str] | tuple[str, ...] | list[str] | None,
) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen(kw_only=True)
class Field:
    """
    A typed field of the evaluation context, such as ``case.priority``.

    >>> hour = sc.conditions.Field(
    ...     name="shift.hour",
    ...     type=sc.conditions.FieldType.integer(),
    ...     get=lambda context: context["hour"],
    ...     description="the hour of the agent's shift",
    ... )
    >>> hour.getter("shift.hour")({"hour": 3})
    3

    Args:
        name: The dotted name policies use.
        type: The type of its values; decides which operators apply and
            how policy values coerce.
        get: Returns the value (or ``None`` when missing) from a context;
            it runs on every evaluation, so it should be cheap (use
            ``context.memo`` for shared expensive work).
        description: One line for the generated documentation.
        operators: The operators the field allows; ``None`` allows every
            operator that applies to its type.
        example: An example policy value, for the documentation.
    """

    name: str
    type: FieldType
    get: Getter
    description: str = ""
    operators: frozenset[str] | None = attrs.field(
        default=None, converter=_operator_names
    )
    example: object = None

    def getter(self, name: str) -> Getter:  # noqa: ARG002 - protocol signature
        """Return the getter of this field (*name* is its own name)."""
        return self.get


@attrs.frozen(kw_only=True)
class FieldFamily:
    """
    A family of fields sharing a prefix, such as ``case.fields.*``.

    >>> family = sc.conditions.FieldFamily(
    ...     name="extra.*",
    ...     type=sc.conditions.FieldType.scalar(),
    ...     get=lambda context, key: context.get(key),
    ... )
    >>> family.getter("extra.plan")({"plan": "gold"})
    'gold'

    Args:
        name: The prefix followed by ``.*``.
        type: The type of every member's values.
        get: Returns the member *key*'s value (or ``None``) from a context.
        description: One line for the generated documentation.
        operators: As for :class:`Field`.
        example: An example policy value, for the documentation.
    """

    name: str
    type: FieldType
    get: Callable[[Any, str], object]
    description: str = ""
    operators: frozenset[str] | None = attrs.field(
        default=None, converter=_operator_names
    )
    example: object = None

    @property
    def prefix(self) -> str:
        """The name without its ``*``, ending in a dot."""
        return self.name.removesuffix("*")

    def getter(self, name: str) -> Getter:
        """Return the getter of member *name* (``prefix`` + key)."""
        key = name.removeprefix(self.prefix)
        get = self.get
        return lambda context: get(context, key)
