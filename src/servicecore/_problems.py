"""
Collecting the problems of a policy document (shared by every loader).

Loaders check a whole document and report every problem at once: they
append to a list with :func:`add_error` (which flattens a collection into
its parts) and finish with :func:`raise_all`; :func:`join` builds the
dotted path of a key, which errors carry as their location.
"""

from __future__ import annotations

from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicyValidationError,
    ServiceCoreError,
)

__all__ = ["add_error", "as_policy_error", "join", "raise_all"]


def join(location: str, key: str) -> str:
    """Return the path of *key* under *location*."""
    return f"{location}.{key}" if location else key


def raise_all(location: str, errors: list[PolicyError]) -> None:
    """Raise the one error, or all of them together; nothing if none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise PolicyValidationError.collect(location, errors)


def add_error(errors: list[PolicyError], error: PolicyError) -> None:
    """Append *error*, flattening a collection into its parts."""
    if isinstance(error, PolicyValidationError) and error.errors:
        errors.extend(error.errors)
    else:
        errors.append(error)


def as_policy_error(error: ServiceCoreError) -> PolicyError:
    """Return *error* as a policy problem (a calendar's, a duration's...)."""
    if isinstance(error, PolicyError):
        return error
    return InvalidValueError(error.location, error.problem)
