"""The public API is the contract: it changes only on purpose."""

from inspect import ismodule

import servicecore as sc

CONTRACT = [
    "Agent",
    "Aggregate",
    "Assigned",
    "AuthorKind",
    "CESChange",
    "CESDirection",
    "CESScale",
    "CESScore",
    "CSATChange",
    "CSATScale",
    "CSATScore",
    "CalendarError",
    "Case",
    "CaseCreated",
    "CaseEvent",
    "CaseMismatchError",
    "CaseState",
    "CaseStatus",
    "Channel",
    "Condition",
    "Customer",
    "Direction",
    "DurationError",
    "EscalationFired",
    "EvaluationContext",
    "EvaluationError",
    "EventKind",
    "EventOrderError",
    "Explanation",
    "Field",
    "FieldChanged",
    "FieldFamily",
    "FieldProvider",
    "FieldType",
    "Interaction",
    "Interval",
    "InvalidTransitionError",
    "InvalidValueError",
    "LexiconSentimentScorer",
    "MessageAdded",
    "ModelError",
    "NPSCategory",
    "NPSChange",
    "NPSScore",
    "NaiveDatetimeError",
    "Operator",
    "PLUGIN_API_VERSION",
    "Plugin",
    "PluginError",
    "PolicyDocument",
    "PolicyError",
    "PolicySyntaxError",
    "PolicyValidationError",
    "Priority",
    "PriorityChanged",
    "RankedGroup",
    "Registry",
    "SCHEMA_VERSION",
    "ScoreKind",
    "ScoreOutOfRangeError",
    "SentimentScorer",
    "SerializationError",
    "ServiceCoreDeprecationWarning",
    "ServiceCoreError",
    "ServiceCoreWarning",
    "StatusChanged",
    "SurveyKind",
    "SurveyReceived",
    "SurveyResponse",
    "TagsChanged",
    "Tally",
    "Team",
    "TimeError",
    "TrendPoint",
    "UnknownFieldError",
    "UnknownLocaleError",
    "UnknownOperatorError",
    "UnknownTimeZoneError",
    "VADERSentimentScorer",
    "aggregate",
    "by_month",
    "by_week",
    "ces_score",
    "compare_ces",
    "compare_csat",
    "compare_nps",
    "csat_score",
    "format_duration",
    "load_policies",
    "nps_category",
    "nps_score",
    "parse_duration",
    "plugin",
    "sentiment_label",
    "trend",
]


def test_all_is_the_contract():
    """__all__ is sorted, complete, and grows only on purpose."""
    public = {
        name
        for name, value in vars(sc).items()
        if not name.startswith("_") and not ismodule(value)
    }
    assert sc.__all__ == sorted(public) == CONTRACT


def test_every_public_name_is_documented():
    """Every public name has a docstring of its own."""
    undocumented = [
        name for name in sc.__all__ if not getattr(sc, name).__doc__
    ]
    assert undocumented == []
