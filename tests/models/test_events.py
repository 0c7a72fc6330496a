import pytest

import servicecore as sc

AT = 1709283600


class TestEvents:
    def test_created_defaults(self):
        """CaseCreated starts normal, untagged, without fields."""
        e = sc.CaseCreated(case_id="k", at=AT)
        assert (e.priority, e.tags, dict(e.fields)) == (
            sc.Priority.NORMAL,
            frozenset(),
            {},
        )
        assert e.at.int_timestamp == AT

    def test_message_takes_its_interactions_moment(self):
        """MessageAdded.at is its interaction's at."""
        m = sc.Interaction(
            id="m",
            channel="sms",
            direction="inbound",
            author_kind="customer",
            at=AT + 5,
        )
        e = sc.MessageAdded(case_id="k", interaction=m)
        assert (e.at_s, e.at) == (AT + 5, m.at)

    def test_message_needs_an_interaction(self):
        """MessageAdded refuses anything but an Interaction."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^interaction: expected"
        ):
            sc.MessageAdded(case_id="k", interaction="hello")  # type: ignore[arg-type]

    def test_tags_changed_disjoint(self):
        """A tag cannot be added and removed in one change."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^removed: tags both added and removed: vip",
        ):
            sc.TagsChanged(case_id="k", at=AT, added=["VIP"], removed=["vip"])

    def test_field_changed_value(self):
        """A field value is a scalar or None (removal)."""
        assert (
            sc.FieldChanged(case_id="k", at=AT, name="x", value=None).value
            is None
        )
        with pytest.raises(sc.errors.ModelError, match=r"^value: expected"):
            sc.FieldChanged(case_id="k", at=AT, name="x", value={"a": 1})  # type: ignore[arg-type]

    def test_survey_received_defaults_to_response_moment(self):
        """SurveyReceived.at defaults to the response's at."""
        r = sc.SurveyResponse(id="s", kind="csat", score=5, at=AT)
        assert sc.SurveyReceived(case_id="k", response=r).at_s == AT
        later = sc.SurveyReceived(case_id="k", response=r, at=AT + 60)
        assert later.at_s == AT + 60

    def test_survey_of_another_case(self):
        """A response naming another case raises CaseMismatchError."""
        r = sc.SurveyResponse(id="s", kind="csat", score=5, at=AT, case_id="x")
        with pytest.raises(
            sc.errors.CaseMismatchError, match=r"^response\.case_id:"
        ):
            sc.SurveyReceived(case_id="k", response=r)

    def test_escalation_fired(self):
        """EscalationFired keeps policy, level, key, metric and cycle."""
        e = sc.EscalationFired(
            case_id="k",
            at=AT,
            policy="p",
            level=2,
            dedupe_key="p:2",
            metric="first_reply",
            cycle=0,
        )
        assert (e.policy, e.level, e.dedupe_key, e.metric, e.cycle) == (
            "p",
            2,
            "p:2",
            "first_reply",
            0,
        )
        with pytest.raises(
            sc.errors.ModelError, match=r"^level: expected an int >= 0"
        ):
            sc.EscalationFired(
                case_id="k", at=AT, policy="p", level=-1, dedupe_key="d"
            )

    def test_events_are_hashable(self):
        """Events with mappings and sets hash, and equal events hash equal."""
        a = sc.CaseCreated(case_id="k", at=AT, fields={"a": 1}, tags=["x"])
        b = sc.CaseCreated(case_id="k", at=AT, fields={"a": 1}, tags=["X"])
        assert a == b
        assert hash(a) == hash(b)

    def test_case_event_union(self):
        """CaseEvent is the union of the event classes."""
        assert isinstance(sc.CaseCreated(case_id="k", at=AT), sc.CaseEvent)
        assert not isinstance("x", sc.CaseEvent)
