import pytest

import servicecore as sc


class TestValues:
    def test_values_are_lower_case_strings(self):
        """Every enum value is its lower-case member name."""
        for enum in (
            sc.Channel,
            sc.Direction,
            sc.AuthorKind,
            sc.Priority,
            sc.CaseStatus,
            sc.SurveyKind,
            sc.EventKind,
        ):
            for member in enum:
                assert member.value == member.name.lower()
                assert member == member.value

    def test_channels(self):
        """The nine channels of the spec, in order."""
        assert [c.value for c in sc.Channel] == [
            "email",
            "phone",
            "chat",
            "social",
            "web",
            "in_person",
            "sms",
            "messaging",
            "bot",
        ]

    def test_event_kinds_match_event_classes(self):
        """Each event class carries its kind."""
        assert sc.CaseCreated.kind is sc.EventKind.CREATED
        assert sc.TagsChanged.kind is sc.EventKind.TAGS_CHANGED
        assert sc.EscalationFired.kind == "escalation_fired"


class TestPriorityOrder:
    def test_rank(self):
        """Ranks go from 0 (low) to 3 (urgent)."""
        assert [p.rank for p in sc.Priority] == [0, 1, 2, 3]

    def test_ordering_is_by_rank_not_alphabet(self):
        """Ranks order: high < urgent and low < normal although 'high' < 'low' as text."""
        assert sc.Priority.LOW < sc.Priority.NORMAL < sc.Priority.HIGH
        assert sc.Priority.HIGH < sc.Priority.URGENT
        assert sc.Priority.URGENT >= sc.Priority.URGENT
        assert sc.Priority.LOW <= sc.Priority.HIGH
        assert sc.Priority.URGENT > sc.Priority.LOW
        assert sorted(sc.Priority, reverse=True) == [
            sc.Priority.URGENT,
            sc.Priority.HIGH,
            sc.Priority.NORMAL,
            sc.Priority.LOW,
        ]

    def test_comparing_with_a_string_is_a_type_error(self):
        """Priority only orders against priorities, never plain strings."""
        with pytest.raises(TypeError):
            _ = sc.Priority.LOW < "urgent"  # type: ignore[operator]
