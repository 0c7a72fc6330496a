from collections import Counter
from pathlib import Path

import pytest

import servicecore as sc

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(name="cases", scope="module")
def _cases():
    return sc.generate_cases(600, seed=11)


class TestGenerateCases:
    def test_deterministic(self):
        """The same seed gives equal cases; another seed other cases."""
        assert sc.generate_cases(20, seed=5) == sc.generate_cases(20, seed=5)
        assert sc.generate_cases(5, seed=5) != sc.generate_cases(5, seed=6)

    def test_count_and_ids(self):
        """Generating n cases gives n ids naming the seed and the index."""
        cases = sc.generate_cases(3, seed=2)
        assert [c.id for c in cases] == [
            "case-2-000000",
            "case-2-000001",
            "case-2-000002",
        ]
        assert sc.generate_cases(0) == []

    @pytest.mark.parametrize(
        ("args", "location", "problem"),
        [
            ((-1,), "n", "must be >= 0, got -1"),
            ((2.5,), "n", "expected a whole number, got 2.5"),
            ((True,), "n", "expected a whole number, got True"),
            ((2, "7"), "seed", "expected a whole number, got '7'"),
        ],
    )
    def test_bad_arguments(self, args, location, problem):
        """A negative or fractional count, or a seed that is no integer, is refused."""
        with pytest.raises(
            sc.errors.ModelError, match=rf"^{location}: "
        ) as info:
            sc.generate_cases(*args)
        assert (info.value.location, info.value.problem) == (location, problem)

    def test_several_channels_locales_and_zones(self, cases):
        """Cases come through every channel, from customers in many locales."""
        assert {c.channel for c in cases} == set(sc.Channel)
        locales = {c.customer.locale for c in cases}
        assert {
            "en_US",
            "de_CH",
            "fr_FR",
            "es_ES",
            "pt_BR",
            "ja_JP",
        } <= locales
        assert len({c.customer.time_zone for c in cases}) >= 8

    def test_customers_write_again(self, cases):
        """Some customers have several cases."""
        per_customer = Counter(c.customer.id for c in cases)
        assert max(per_customer.values()) >= 2

    def test_realistic_events(self, cases):
        """Every event kind occurs, as do notes, bots, reopens and surveys."""
        kinds = Counter(e.kind for c in cases for e in c.events)
        assert set(kinds) == set(sc.EventKind)
        states = [c.state_at_s(c.events[-1].at_s) for c in cases]
        assert any(s.reopen_count for s in states)
        assert any(s.note_count for s in states)
        assert {s.status for s in states} >= {
            sc.CaseStatus.OPEN,
            sc.CaseStatus.PENDING,
            sc.CaseStatus.SOLVED,
            sc.CaseStatus.CLOSED,
        }
        messages = [
            e.interaction
            for c in cases
            for e in c.events
            if e.kind == "message"
        ]
        assert {m.author_kind for m in messages} == {
            sc.AuthorKind.CUSTOMER,
            sc.AuthorKind.AGENT,
            sc.AuthorKind.BOT,
        }
        surveys = {
            e.response.kind
            for c in cases
            for e in c.events
            if e.kind == "survey_received"
        }
        assert surveys == set(sc.SurveyKind)

    def test_pending_and_on_hold_periods(self, cases):
        """Cases wait on customers and on third parties."""
        statuses = {
            e.status
            for c in cases
            for e in c.events
            if e.kind == "status_changed"
        }
        assert {sc.CaseStatus.PENDING, sc.CaseStatus.ON_HOLD} <= statuses

    def test_priority_changes(self, cases):
        """Some cases change priority after creation."""
        assert any(
            e.kind == "priority_changed" for c in cases for e in c.events
        )

    def test_first_message_is_the_customers(self, cases):
        """Every case opens with the customer's message at creation."""
        for case in cases:
            first = case.events[1].interaction
            assert first.is_customer_message
            assert first.at_s == case.created_at_s

    def test_messages_in_the_customers_language(self):
        """A Japanese customer writes in Japanese."""
        cases = sc.generate_cases(300, seed=1)
        case = next(c for c in cases if c.customer.locale == "ja_JP")
        assert any(
            "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"
            for ch in case.events[1].interaction.body
        )

    def test_no_hypothesis_needed(self):
        """The generator does not import hypothesis."""
        import servicecore._examples as examples  # noqa: PLC0415

        assert "hypothesis" not in vars(examples)


def _escalation_engine() -> sc.EscalationEngine:
    document = sc.load_policies(EXAMPLES / "escalation" / "policies.toml")
    return sc.EscalationEngine(
        document.sections["escalation"],
        sla=sc.SLAEngine(document.sections["sla"]),
    )


@pytest.fixture(name="fired", scope="module")
def _fired(cases):
    """Every escalation the example policies give the cases, by case."""
    engine = _escalation_engine()
    return {
        case.id: sc.escalation.simulate(
            case, engine, case.events[-1].at.add(days=3)
        )
        for case in cases
    }


class TestExamplesApplyToGeneratedCases:
    """Each example policy, level and rule applies to some generated case."""

    def test_every_sla_policy_applies(self, cases):
        """Each of the 11 SLA policies of support.toml applies to some case."""
        policies = sc.SLAPolicySet.load(EXAMPLES / "policies" / "support.toml")
        engine = sc.SLAEngine(policies)
        applied = Counter(
            engine.evaluate_s(case, case.events[-1].at_s).policy
            for case in cases
        )
        assert set(applied) == {policy.name for policy in policies}
        assert len(applied) == 11

    def test_every_escalation_level_fires(self, fired):
        """Each of the 7 escalation levels fires for some case."""
        levels = {
            (policy.name, level.name)
            for policy in _escalation_engine().policies
            for level in policy.levels
        }
        found = {(d.policy, d.level_name) for ds in fired.values() for d in ds}
        assert found == levels
        assert len(levels) == 7

    def test_every_personalization_rule_matches(self, cases):
        """Each personalization rule matches some case at its last event."""
        rules = sc.Personalizer.load(
            EXAMPLES / "personalization" / "rules.toml"
        )
        matched = {
            name
            for case in cases
            for name in rules.personalize(
                case.customer, case, at=case.events[-1].at
            ).matched_rules
        }
        assert matched == {rule.name for rule in rules.rules}
        assert len(matched) == 6


class TestExamplesMeanWhatTheySay:
    """The example escalations fire when their names say."""

    def test_no_reply_never_fires_as_the_customer_answers(self, cases, fired):
        """Time pending on the customer does not count: no decision at an answer."""
        answered = {
            case.id: {
                e.interaction.at_s
                for e in case.events
                if e.kind == "message" and e.interaction.is_customer_message
            }
            for case in cases
        }
        no_reply = [
            d
            for ds in fired.values()
            for d in ds
            if d.level_name == "no reply for 4 business hours"
        ]
        assert len(no_reply) > 100
        assert [d for d in no_reply if d.at_s in answered[d.case_id]] == []

    def test_pending_for_3_days_is_72_hours(self, fired):
        """The pending level fires three calendar days after the case went pending."""
        pending = [
            d
            for ds in fired.values()
            for d in ds
            if d.level_name == "pending for 3 days"
        ]
        assert pending
        assert {
            (d.values["due_at"] - d.values["anchor"]).in_seconds()
            for d in pending
        } == {3 * 86_400}

    def test_recorded_escalations_use_the_examples_keys(self, cases, fired):
        """A generated EscalationFired carries the key the example's manager level makes."""
        recorded = {
            case.id: e.dedupe_key
            for case in cases
            for e in case.events
            if e.kind == "escalation_fired"
        }
        made = {
            d.case_id: d.dedupe_key
            for ds in fired.values()
            for d in ds
            if (d.policy, d.level_name) == ("first-reply", "manager")
            and d.case_id in recorded
        }
        assert made
        assert made == {case_id: recorded[case_id] for case_id in made}
