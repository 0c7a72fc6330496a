"""
servicecore: the rules of good customer service, as a library.

Typed models of customers, interactions and cases; business calendars with
exact business-time arithmetic; one condition language; SLA clocks,
escalations, personalization and feedback scoring. ``import servicecore as
sc`` reaches every public name; the names in ``__all__`` are the contract.
"""

from servicecore._time import format_duration, parse_duration
from servicecore.errors import (
    CalendarError,
    CaseMismatchError,
    DurationError,
    EvaluationError,
    EventOrderError,
    InvalidTransitionError,
    InvalidValueError,
    ModelError,
    NaiveDatetimeError,
    PluginError,
    PolicyError,
    PolicySyntaxError,
    PolicyValidationError,
    ScoreOutOfRangeError,
    SerializationError,
    ServiceCoreDeprecationWarning,
    ServiceCoreError,
    ServiceCoreWarning,
    TimeError,
    UnknownFieldError,
    UnknownLocaleError,
    UnknownOperatorError,
    UnknownTimeZoneError,
)

__version__ = "0.1.0.dev0"

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
    "TimeError",
    "UnknownFieldError",
    "UnknownLocaleError",
    "UnknownOperatorError",
    "UnknownTimeZoneError",
    "format_duration",
    "parse_duration",
]
