"""An example servicecore plugin: one field and one operator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import servicecore as sc

__all__ = ["MultipleOf", "register"]


def _shouting(context: Any) -> bool | None:  # noqa: ANN401 - a context
    """Return whether the latest interaction is mostly capitals."""
    body = context.interaction.body
    if body is None:
        return None
    letters = [char for char in body if char.isalpha()]
    if len(letters) < 5:  # noqa: PLR2004 - "OK!" is not shouting
        return False
    return sum(char.isupper() for char in letters) / len(letters) > 0.7  # noqa: PLR2004


class MultipleOf:
    """``multiple_of``: a whole number divisible by the given one."""

    name = "multiple_of"
    description = "the whole number is a multiple of the given one"
    value_form = "one positive whole number"
    takes_value = True

    def accepts(self, ftype: sc.conditions.FieldType) -> bool:
        """Apply to whole-number fields only."""
        return ftype.kind == "int"

    def check(
        self,
        ftype: sc.conditions.FieldType,  # noqa: ARG002 - the protocol signature
        value: object,
        location: str,
    ) -> int:
        """Refuse anything but a positive whole number."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise sc.errors.InvalidValueError(
                location, f"{value!r} is not a positive whole number"
            )
        return value

    def compile(
        self,
        get: Callable[[Any], object],
        ftype: sc.conditions.FieldType,  # noqa: ARG002 - the protocol's signature
        value: int,
    ) -> Callable[[Any], bool]:
        """Return the predicate; ``None`` is never a multiple."""

        def predicate(context: object) -> bool:
            actual = get(context)
            return isinstance(actual, int) and actual % value == 0

        return predicate


@sc.plugin(api_version=1)
def register(registry: sc.Registry) -> None:
    """Add ``interaction.shouting`` and ``multiple_of`` to *registry*."""
    registry.add_field(
        sc.conditions.Field(
            name="interaction.shouting",
            type=sc.conditions.FieldType.boolean(),
            get=_shouting,
            description="whether the latest interaction is mostly capitals",
            example=True,
        )
    )
    registry.add_operator(MultipleOf())
