"""The public API is the contract: it changes only on purpose."""

import importlib

import pytest

#: Each public package and the names of its ``__all__``.
CONTRACT = {
    "servicecore": [
        "Agent",
        "Assigned",
        "AuthorKind",
        "BusinessCalendar",
        "Case",
        "CaseCreated",
        "CaseEvent",
        "CaseState",
        "CaseStatus",
        "Channel",
        "Condition",
        "Customer",
        "Direction",
        "EscalationEngine",
        "EscalationFired",
        "EscalationPolicySet",
        "EvaluationContext",
        "EventKind",
        "FieldChanged",
        "Interaction",
        "MessageAdded",
        "Personalizer",
        "PolicyDocument",
        "Priority",
        "PriorityChanged",
        "Registry",
        "SCHEMA_VERSION",
        "SLAEngine",
        "SLAPolicySet",
        "SLAReport",
        "ServiceCoreError",
        "StatusChanged",
        "SurveyKind",
        "SurveyReceived",
        "SurveyResponse",
        "TagsChanged",
        "Team",
        "format_duration",
        "from_dict",
        "generate_cases",
        "load_policies",
        "parse_duration",
        "plugin",
        "read_cases",
        "to_dict",
        "write_cases",
    ],
    "servicecore.calendar": [
        "BusinessCalendar",
        "BusinessInterval",
        "CalendarClosure",
        "CalendarExplanation",
        "Holiday",
        "HolidaySet",
        "Override",
    ],
    "servicecore.conditions": [
        "Condition",
        "EvaluationContext",
        "Explanation",
        "Field",
        "FieldFamily",
        "FieldType",
    ],
    "servicecore.errors": [
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
    ],
    "servicecore.escalation": [
        "AssignAction",
        "BreachTrigger",
        "ConditionTrigger",
        "CustomerMessageAction",
        "ElapsedSince",
        "ElapsedTrigger",
        "EscalationActionType",
        "EscalationCheck",
        "EscalationDecision",
        "EscalationEngine",
        "EscalationLevel",
        "EscalationPolicy",
        "EscalationPolicySet",
        "EscalationScope",
        "NotifyAction",
        "PlannedAction",
        "PluginAction",
        "PriorityAction",
        "RecipientKind",
        "TagAction",
        "ThresholdTrigger",
        "simulate",
    ],
    "servicecore.feedback": [
        "Aggregate",
        "CESChange",
        "CESDirection",
        "CESScale",
        "CESScore",
        "CSATChange",
        "CSATScale",
        "CSATScore",
        "DEFAULT_MINIMUM_SAMPLE",
        "HealthContribution",
        "HealthScore",
        "HealthWeights",
        "Interval",
        "LexiconSentimentScorer",
        "NPSCategory",
        "NPSChange",
        "NPSScore",
        "RankedGroup",
        "ScoreKind",
        "SentimentScorer",
        "Tally",
        "TrendPoint",
        "VADERSentimentScorer",
        "aggregate",
        "by_month",
        "by_week",
        "ces_score",
        "compare_ces",
        "compare_csat",
        "compare_nps",
        "csat_score",
        "customer_health",
        "feedback_fields",
        "health_from_cases",
        "nps_category",
        "nps_score",
        "satisfaction",
        "sentiment_label",
        "survey_responses",
        "trend",
    ],
    "servicecore.models": [
        "Agent",
        "Assigned",
        "AuthorKind",
        "Case",
        "CaseCreated",
        "CaseEvent",
        "CaseState",
        "CaseStatus",
        "Channel",
        "Customer",
        "Direction",
        "EscalationFired",
        "EventKind",
        "FieldChanged",
        "Interaction",
        "MessageAdded",
        "Priority",
        "PriorityChanged",
        "StatusChanged",
        "SurveyKind",
        "SurveyReceived",
        "SurveyResponse",
        "TagsChanged",
        "Team",
        "from_dict",
        "read_cases",
        "to_dict",
        "write_cases",
    ],
    "servicecore.personalization": [
        "AttributeSource",
        "ContactWindow",
        "CustomerHistory",
        "MessageCatalog",
        "MessageTemplate",
        "PersonalizationRule",
        "Personalizer",
        "Profile",
        "ProfileAttribute",
        "RenderedMessage",
        "next_contact_time",
    ],
    "servicecore.plugins": [
        "ENTRY_POINT_GROUP",
        "FieldProvider",
        "Operator",
        "PLUGIN_API_VERSION",
        "Plugin",
        "Registry",
        "plugin",
        "register_kind",
    ],
    "servicecore.sla": [
        "BUILTIN_METRICS",
        "BusinessClock",
        "ClockBasis",
        "ClockState",
        "ComplianceReport",
        "ComplianceRow",
        "CycleReport",
        "LedgerKind",
        "MetricDefinition",
        "MetricReport",
        "MetricSettings",
        "MetricSignal",
        "MetricTimes",
        "PolicyChoice",
        "PolicyDiff",
        "ReopenRule",
        "SLAEngine",
        "SLALedgerEntry",
        "SLAPolicy",
        "SLAPolicySet",
        "SLAReport",
        "SLAThreshold",
        "TargetChangeRule",
        "sla_metrics",
    ],
}


@pytest.mark.parametrize("package", sorted(CONTRACT))
def test_all_is_the_contract(package):
    """Each public package's __all__ is sorted and grows only on purpose."""
    module = importlib.import_module(package)
    assert list(module.__all__) == sorted(module.__all__)
    assert list(module.__all__) == CONTRACT[package]


def test_the_top_level_is_short():
    """The top level holds the first-hour names: at most 60."""
    assert len(CONTRACT["servicecore"]) <= 60


@pytest.mark.parametrize("package", sorted(CONTRACT))
def test_every_name_is_reachable(package):
    """Every listed name is an attribute of its package."""
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_namespaces_are_attributes_of_the_top_level():
    """sc.sla, sc.errors, ... work after a plain import servicecore."""
    import servicecore as sc  # noqa: PLC0415 - the point of the test

    for package in CONTRACT:
        if package != "servicecore":
            name = package.removeprefix("servicecore.")
            assert getattr(sc, name) is importlib.import_module(package)


@pytest.mark.parametrize("package", sorted(CONTRACT))
def test_every_public_name_is_documented(package):
    """Every public name has a docstring of its own."""
    module = importlib.import_module(package)
    undocumented = [
        name
        for name in module.__all__
        if not getattr(module, name).__doc__
        and not isinstance(getattr(module, name), (int, str, tuple, frozenset))
    ]
    assert undocumented == []
