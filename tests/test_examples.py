from collections import Counter

import pytest

import servicecore as sc


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

    def test_negative_n(self):
        """A negative count is refused."""
        with pytest.raises(ValueError, match="n must be >= 0"):
            sc.generate_cases(-1)

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
