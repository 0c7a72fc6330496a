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
from servicecore.feedback import (
    CESDirection,
    CESScale,
    CESScore,
    CSATScale,
    CSATScore,
    Interval,
    NPSCategory,
    NPSScore,
    Tally,
    ces_score,
    csat_score,
    nps_category,
    nps_score,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "CESDirection",
    "CESScale",
    "CESScore",
    "CSATScale",
    "CSATScore",
    "CalendarError",
    "CaseMismatchError",
    "DurationError",
    "EvaluationError",
    "EventOrderError",
    "Interval",
    "InvalidTransitionError",
    "InvalidValueError",
    "ModelError",
    "NPSCategory",
    "NPSScore",
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
    "Tally",
    "TimeError",
    "UnknownFieldError",
    "UnknownLocaleError",
    "UnknownOperatorError",
    "UnknownTimeZoneError",
    "ces_score",
    "csat_score",
    "format_duration",
    "nps_category",
    "nps_score",
    "parse_duration",
]
