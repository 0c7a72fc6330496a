"""
The one exception tree of servicecore.

Every error servicecore raises on purpose is a :class:`ServiceCoreError`;
each class also subclasses the builtin a generic caller would expect, so
``except ValueError`` keeps working in code that does not know us::

    ServiceCoreError
    ├── ModelError (ValueError)
    │   ├── InvalidTransitionError      closed is terminal, ...
    │   ├── EventOrderError             an event before the case's last one
    │   ├── CaseMismatchError           an event of another case
    │   ├── UnknownLocaleError          not a locale babel knows
    │   ├── ScoreOutOfRangeError        a survey score off its scale
    │   └── SerializationError          a dict or JSON line that is no model
    ├── TimeError (ValueError)
    │   ├── NaiveDatetimeError (also TypeError)
    │   ├── UnknownTimeZoneError        not an IANA time zone
    │   ├── DurationError               a duration string we cannot read
    │   └── CalendarError               a calendar that cannot be built or used
    ├── PolicyError (ValueError)        a policy document is wrong somewhere
    │   ├── PolicySyntaxError           not TOML / JSON / the expected shape
    │   ├── UnknownFieldError
    │   ├── UnknownOperatorError
    │   ├── InvalidValueError
    │   ├── TemplateError               a message template or catalog is wrong
    │   └── PolicyValidationError       several problems, reported together
    ├── PluginError                     .plugin names the plugin
    └── EvaluationError                 a plugin failed while evaluating

Every error keeps ``location`` (where: an argument name, a path into a
policy document, a file and line) and ``problem`` (what was wrong and how
to fix it), so hosts need not parse the message, which is
``"{location}: {problem}"``.

>>> import servicecore as sc
>>> err = sc.errors.UnknownFieldError.for_name(
...     "sla.policies[0].when.all[1]", "case.prority", ["case.priority"]
... )
>>> str(err)
"sla.policies[0].when.all[1]: unknown field 'case.prority'; did you mean 'case.priority'?"
>>> isinstance(err, ValueError), err.location
(True, 'sla.policies[0].when.all[1]')
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "CalendarError",
    "CaseMismatchError",
    "DurationError",
    "EvaluationError",
    "EventOrderError",
    "InvalidTransitionError",
    "InvalidValueError",
    "ModelError",
    "NaiveDatetimeError",
    "PluginError",
    "PolicyError",
    "PolicySyntaxError",
    "PolicyValidationError",
    "ScoreOutOfRangeError",
    "SerializationError",
    "ServiceCoreDeprecationWarning",
    "ServiceCoreError",
    "ServiceCoreWarning",
    "TemplateError",
    "TimeError",
    "UnknownFieldError",
    "UnknownLocaleError",
    "UnknownOperatorError",
    "UnknownTimeZoneError",
]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest known name, or ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class ServiceCoreError(Exception):
    """
    The root of every error servicecore raises on purpose.

    Args:
        location: Where the problem is: an argument name, a dotted path into
            a policy document, ``file:line``; empty when there is no place.
        problem: What was wrong, and how to fix it where we can say.
    """

    location: str
    problem: str

    def __init__(self, location: str, problem: str) -> None:
        # Both go to Exception.__init__ so that errors pickle and copy.
        super().__init__(location, problem)
        self.location = location
        self.problem = problem

    def __str__(self) -> str:
        """Return ``"{location}: {problem}"``, or the problem alone."""
        if self.location:
            return f"{self.location}: {self.problem}"
        return self.problem


class ModelError(ServiceCoreError, ValueError):
    """A model was given a value it cannot hold."""


class InvalidTransitionError(ModelError):
    """A status change the case lifecycle forbids (closed is terminal)."""


class EventOrderError(ModelError):
    """An event dated before the last event already in the case."""


class CaseMismatchError(ModelError):
    """An event that belongs to another case."""


class UnknownLocaleError(ModelError):
    """A locale identifier that babel does not know."""


class ScoreOutOfRangeError(ModelError):
    """A survey score outside the scale of its kind."""


class SerializationError(ModelError):
    """A dict, JSON document or JSON line that does not describe a model."""


class TimeError(ServiceCoreError, ValueError):
    """A moment, zone, duration or calendar is wrong."""


class NaiveDatetimeError(TimeError, TypeError):
    """A datetime without a time zone where an aware one is required."""


class UnknownTimeZoneError(TimeError):
    """A time zone name that is not in the IANA database."""


class DurationError(TimeError):
    """A duration string that cannot be read."""


class CalendarError(TimeError):
    """A business calendar that cannot be built, or has no open time."""


class PolicyError(ServiceCoreError, ValueError):
    """A policy document (SLA, escalation, personalization) is wrong."""


class PolicySyntaxError(PolicyError):
    """A document that is not valid TOML or JSON, or not the expected shape."""


class UnknownFieldError(PolicyError):
    """A condition names a field that no registered provider supplies."""

    @classmethod
    def for_name(
        cls, location: str, name: str, known: Iterable[str]
    ) -> UnknownFieldError:
        """Build the error for *name*, suggesting the closest known field."""
        return cls(
            location, f"unknown field {name!r}{did_you_mean(name, known)}"
        )


class UnknownOperatorError(PolicyError):
    """A condition uses an operator that is not registered."""

    @classmethod
    def for_name(
        cls, location: str, name: str, known: Iterable[str]
    ) -> UnknownOperatorError:
        """Build the error for *name*, suggesting the closest operator."""
        hint = did_you_mean(name, known)
        return cls(location, f"unknown operator {name!r}{hint}")


class InvalidValueError(PolicyError):
    """A value in a policy that its field or setting cannot take."""


class TemplateError(PolicyError):
    """
    A message template, catalog or rendering request that is wrong.

    Unknown or missing placeholders, bad format specs and unreadable
    ``.po`` files are found when a catalog loads; a value missing from a
    render call is the one problem found when a message is rendered.
    """


class PolicyValidationError(PolicyError):
    """
    Several problems in one document, reported together.

    ``errors`` holds each problem as its own :class:`PolicyError`, in
    document order; the message lists them one per line.
    """

    errors: tuple[PolicyError, ...]

    def __init__(self, location: str, problem: str) -> None:
        super().__init__(location, problem)
        self.errors = ()

    @classmethod
    def collect(
        cls, location: str, errors: Sequence[PolicyError]
    ) -> PolicyValidationError:
        """Combine *errors* of the document at *location* into one error."""
        lines = "\n".join(f"  {error}" for error in errors)
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        err = cls(location, f"{count}:\n{lines}")
        err.errors = tuple(errors)
        return err


class PluginError(ServiceCoreError):
    """
    A plugin could not be loaded or registered; ``plugin`` names it.

    The registry is left exactly as it was before the failed plugin.
    """

    plugin: str

    def __init__(
        self, location: str, problem: str, *, plugin: str = ""
    ) -> None:
        super().__init__(location, problem)
        self.plugin = plugin or location


class EvaluationError(ServiceCoreError):
    """A plugin failed while a policy was evaluated; ``__cause__`` is kept."""


class ServiceCoreWarning(UserWarning):
    """The base of every warning servicecore emits."""


class ServiceCoreDeprecationWarning(ServiceCoreWarning):
    """A public name or behaviour that will go in a future major version."""
