"""A policy's ``when``: a condition of the shared condition language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from servicecore.errors import PolicySyntaxError

__all__ = ["compile_when", "is_catch_all"]

#: What a policy's ``when`` is called with: an EvaluationContext.
When = Callable[[Any], bool]


def compile_when(document: object, location: str, registry: Any) -> When:  # noqa: ANN401 - a Registry
    """
    Check and compile the condition *document* of a policy.

    Raises:
        PolicyError: the document is wrong (all problems together).
    """
    from servicecore.conditions import Condition  # noqa: PLC0415

    if not isinstance(document, Mapping):
        raise PolicySyntaxError(
            location,
            "expected a condition table ({all = [...]}, {any = [...]} or "
            "{field, op, value})",
        )
    condition: When = Condition.from_dict(
        document, registry=registry, location=location
    )
    return condition


def is_catch_all(when: object) -> bool:
    """Return whether *when* holds for every case by its very shape."""
    if when is None:
        return True
    to_dict = getattr(when, "to_dict", None)
    if to_dict is None:
        return False
    document = to_dict()
    return document in ({}, {"all": []})
