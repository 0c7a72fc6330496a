"""Customer health, survey responses from cases, and the condition fields."""

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

AT = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


def _case(case_id, *events, customer="c", at=AT):
    case = sc.Case(
        id=case_id,
        customer=sc.Customer(id=customer),
        channel="chat",
        events=[sc.CaseCreated(case_id=case_id, at=at)],
    )
    for event in events:
        case = case.append(event)
    return case


def _message(case_id, at, body="", author="customer"):
    direction = "inbound" if author == "customer" else "outbound"
    interaction = sc.Interaction(
        id=f"{case_id}-{at.int_timestamp}-{author}",
        channel="chat",
        direction=direction,
        author_kind=author,
        at=at,
        body=body,
    )
    return sc.MessageAdded(case_id=case_id, interaction=interaction)


def _survey(case_id, at, kind="csat", score=5, **scale):
    response = sc.SurveyResponse(
        id=f"{case_id}-s-{at.int_timestamp}",
        kind=kind,
        score=score,
        at=at,
        **scale,
    )
    return sc.SurveyReceived(case_id=case_id, response=response)


class TestCustomerHealth:
    def test_hand_calculation(self):
        """Each part's points are its weight times its goodness."""
        health = sc.feedback.customer_health(
            feedback=[1.0, 0.0, 1.0, 1.0],
            sla_breaches=2,
            sla_targets=8,
            reopens=1,
            cases=5,
            contacts=12,
            expected_contacts=4,
        )
        # feedback (3 + 2 * 0.5) / (4 + 2) = 2/3 -> 40 * 2/3 = 26.667
        # sla 1 - 2/8 = 0.75 -> 18.75; reopens 1 - 1/5 = 0.8 -> 12
        # contacts 4 / 12 = 1/3 -> 6.667; total 64.083
        assert [c.points for c in health.contributions] == pytest.approx(
            [80 / 3, 18.75, 12.0, 20 / 3]
        )
        assert health.score == pytest.approx(64.0833333)
        assert health.band == "at risk"

    def test_points_and_lost_add_up_to_the_share(self):
        """Points plus lost equal each part's share of 100."""
        health = sc.feedback.customer_health(
            feedback=[0.2], reopens=2, cases=3
        )
        for part in health.contributions:
            assert part.points + part.lost == pytest.approx(100 * part.share)

    def test_neutral_without_data(self):
        """Without data, feedback is neutral and the rest is full: 80."""
        health = sc.feedback.customer_health()
        assert health.score == 80.0
        assert [c.reason for c in health.contributions] == [
            "no answers: neutral 0.50",
            "no SLA targets measured",
            "no cases",
            "0 contacts, 4 expected",
        ]

    def test_bands(self):
        """70 and above is healthy, 40 and above at risk, below critical."""
        worst = sc.feedback.customer_health(
            feedback=[0.0] * 50,
            sla_breaches=4,
            sla_targets=4,
            reopens=3,
            cases=3,
            contacts=400,
        )
        assert worst.band == "critical"
        assert worst.score < 5

    def test_custom_weights(self):
        """Weights change each part's share; zero weights give nothing."""
        weights = sc.feedback.HealthWeights(
            feedback=1, sla=0, reopens=0, contacts=0
        )
        health = sc.feedback.customer_health(
            feedback=[1.0, 1.0], weights=weights
        )
        # (2 + 1) / 4 = 0.75 of everything
        assert health.score == 75.0

    @pytest.mark.parametrize(
        ("options", "location"),
        [
            ({"feedback": [1.5]}, "feedback"),
            ({"sla_breaches": 3, "sla_targets": 2}, "sla_breaches"),
            ({"reopens": 2, "cases": 1}, "reopens"),
            ({"contacts": -1}, "contacts"),
            ({"cases": 1.5}, "cases"),
            ({"expected_contacts": 0}, "expected_contacts"),
        ],
    )
    def test_bad_inputs(self, options, location):
        """Impossible inputs are refused, naming the argument."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.feedback.customer_health(**options)
        assert info.value.location == location

    def test_bad_weights(self):
        """Negative or all-zero weights are refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^weights.sla: "
        ):
            sc.feedback.HealthWeights(sla=-1)
        with pytest.raises(sc.errors.InvalidValueError, match=r"^weights: "):
            sc.feedback.HealthWeights(feedback=0, sla=0, reopens=0, contacts=0)

    @given(
        st.lists(st.floats(0, 1), max_size=20),
        st.tuples(st.integers(0, 20), st.integers(0, 20)),
        st.tuples(st.integers(0, 10), st.integers(0, 10)),
        st.integers(0, 100),
    )
    @settings(max_examples=100)
    def test_score_in_range(self, feedback, sla, reopened, n):
        """Any valid input scores from 0 to 100, as the parts add up."""
        health = sc.feedback.customer_health(
            feedback=feedback,
            sla_breaches=sla[0],
            sla_targets=sum(sla),
            reopens=reopened[0],
            cases=sum(reopened),
            contacts=n,
        )
        assert 0 <= health.score <= 100
        assert health.score == pytest.approx(
            sum(c.points for c in health.contributions)
        )


class TestSatisfaction:
    @pytest.mark.parametrize(
        ("kind", "score", "scale", "expected"),
        [
            ("csat", 5, {}, 1.0),
            ("csat", 1, {}, 0.0),
            ("csat", 7, {"scale_min": 1, "scale_max": 10}, 6 / 9),
            ("nps", 9, {}, 0.9),
            ("ces", 7, {}, 1.0),
            ("ces", 4, {}, 0.5),
        ],
    )
    def test_position_on_the_scale(self, kind, score, scale, expected):
        """Answers count by their position on the scale."""
        response = sc.SurveyResponse(
            id="r", kind=kind, score=score, at=AT, **scale
        )
        assert sc.feedback.satisfaction(response) == pytest.approx(expected)

    def test_effort_scale_runs_down(self):
        """With the effort scale, a CES 1 is the best answer."""
        response = sc.SurveyResponse(
            id="r", kind="ces", score=1, at=AT, scale_min=1, scale_max=5
        )
        ces = sc.feedback.CESScale.effort_5()
        assert sc.feedback.satisfaction(response, ces_scale=ces) == 1.0


class TestFromCases:
    def test_survey_responses(self):
        """Responses come out of SurveyReceived events, case by case."""
        a = _case("a", _survey("a", AT.add(hours=1), score=4))
        b = _case("b", _survey("b", AT.add(hours=2), kind="nps", score=9))
        got = [(r.kind, r.score) for r in sc.feedback.survey_responses([a, b])]
        assert got == [(sc.SurveyKind.CSAT, 4), (sc.SurveyKind.NPS, 9)]

    def test_health_from_cases(self):
        """Feedback, reopens and contacts of the window are counted."""
        old = _case(
            "old",
            _survey("old", AT.add(hours=1), score=1),
            at=AT,
        )
        recent = _case(
            "new",
            _message("new", AT.add(days=100), "hello"),
            _message("new", AT.add(days=100, hours=1), "thanks", "agent"),
            sc.StatusChanged(
                case_id="new", at=AT.add(days=101), status="solved"
            ),
            _message("new", AT.add(days=102), "it broke again"),
            sc.StatusChanged(
                case_id="new", at=AT.add(days=102), status="open"
            ),
            _survey("new", AT.add(days=103), score=5),
            at=AT.add(days=100),
        )
        health = sc.feedback.health_from_cases(
            [old, recent],
            at=AT.add(days=110),
            window="30d",
            sla_breaches=1,
            sla_targets=2,
        )
        # old is outside the window; new: 1 answer (1.0), reopened, 2
        # customer contacts. feedback (1 + 1) / 3 -> 40 * 2/3 = 26.667;
        # sla 12.5; reopens 1 - 1/1 = 0; contacts 20: total 59.167
        assert [c.goodness for c in health.contributions] == pytest.approx(
            [2 / 3, 0.5, 0.0, 1.0]
        )
        assert health.contributions[3].reason == "2 contacts, 4 expected"
        assert health.score == pytest.approx(59.1666667)

    def test_events_after_at_are_ignored(self):
        """Health at a moment ignores later events."""
        case = _case("k", _survey("k", AT.add(days=2), score=1))
        assert (
            sc.feedback.health_from_cases([case], at=AT.add(days=1)).score
            == 80.0
        )


class TestFields:
    @pytest.fixture(name="registry")
    def _registry(self):
        registry = sc.Registry()
        for field in sc.feedback.feedback_fields():
            registry.add_field(field, replace=True)
        return registry

    def test_sentiment_field(self, registry):
        """interaction.sentiment is the latest interaction's sentiment."""
        case = _case("k", _message("k", AT, "The agent was very helpful!"))
        field = registry.field("interaction.sentiment")
        context = sc.EvaluationContext(case, at=AT)
        expected = sc.feedback.LexiconSentimentScorer().score(
            "The agent was very helpful!"
        )
        assert field.getter("interaction.sentiment")(context) == expected

    def test_sentiment_without_text(self, registry):
        """Without an interaction the sentiment is missing (None)."""
        field = registry.field("interaction.sentiment")
        context = sc.EvaluationContext(_case("k"), at=AT)
        assert field.getter("interaction.sentiment")(context) is None

    def test_health_field_in_a_condition(self, registry):
        """customer.health works in a condition; the host may supply it."""
        condition = sc.Condition.from_dict(
            {"field": "customer.health", "op": "lt", "value": 50},
            registry=registry,
        )
        context = sc.EvaluationContext(_case("k"), at=AT)
        assert condition(context) is False
        registry.add_field(
            sc.feedback.feedback_fields(health=lambda _: 35.0)[1], replace=True
        )
        condition = sc.Condition.from_dict(
            {"field": "customer.health", "op": "lt", "value": 50},
            registry=registry,
        )
        assert condition(context) is True

    def test_custom_scorer(self):
        """Another scorer can stand behind interaction.sentiment."""

        class Always:
            def score(self, _text):
                return -1.0

        field = sc.feedback.feedback_fields(scorer=Always())[0]
        case = _case("k", _message("k", AT, "great"))
        context = sc.EvaluationContext(case, at=AT)
        assert field.getter(field.name)(context) == -1.0
