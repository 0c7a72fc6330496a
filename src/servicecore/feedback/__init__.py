"""
Feedback scoring: CSAT, NPS and CES with honest statistics.

Scores with intervals (:func:`csat_score`, :func:`nps_score`,
:func:`ces_score`) over a mergeable :class:`Tally` of answers; aggregation
by any key with optional time decay, smoothed rankings; period-over-period
trends with significance; text sentiment; customer health. Pure Python:
``math`` and ``statistics`` only. See ``docs/feedback.md``.
"""

from servicecore.feedback._aggregate import (
    Aggregate,
    RankedGroup,
    ScoreKind,
    aggregate,
    by_month,
    by_week,
)
from servicecore.feedback._cases import (
    feedback_fields,
    health_from_cases,
    survey_responses,
)
from servicecore.feedback._health import (
    HealthContribution,
    HealthScore,
    HealthWeights,
    customer_health,
    satisfaction,
)
from servicecore.feedback._scales import (
    CESDirection,
    CESScale,
    CSATScale,
    NPSCategory,
    nps_category,
)
from servicecore.feedback._scores import (
    DEFAULT_MINIMUM_SAMPLE,
    CESScore,
    CSATScore,
    Interval,
    NPSScore,
    Tally,
    ces_score,
    csat_score,
    nps_score,
)
from servicecore.feedback._sentiment import (
    LexiconSentimentScorer,
    SentimentScorer,
    VADERSentimentScorer,
    sentiment_label,
)
from servicecore.feedback._trends import (
    CESChange,
    CSATChange,
    NPSChange,
    TrendPoint,
    compare_ces,
    compare_csat,
    compare_nps,
    trend,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_api.py checks
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
]
