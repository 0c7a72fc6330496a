"""A policy's ``when``: a condition of the shared condition language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from servicecore.conditions import Condition

__all__ = ["When", "compile_when", "is_catch_all"]

#: What a policy's ``when`` is called with: an EvaluationContext.
When = Callable[[Any], bool]


def compile_when(
    value: object,
    location: str,
    registry: Any = None,  # noqa: ANN401 - a Registry
) -> When:
    """
    Return a policy's ``when``: a callable as it is, a document compiled.

    Raises:
        PolicyError: the document is wrong (all problems together), or no
            condition table at all.
    """
    if callable(value):
        return cast("When", value)
    # Condition.from_dict reports a value that is not a table, by location.
    return Condition.from_dict(
        cast("Mapping[str, object]", value),
        registry=registry,
        location=location,
    )


def is_catch_all(when: object) -> bool:
    """Return whether *when* holds for every case by its very shape."""
    if when is None:
        return True
    to_dict = getattr(when, "to_dict", None)
    if to_dict is None:
        return False
    document = to_dict()
    return document in ({}, {"all": []})
