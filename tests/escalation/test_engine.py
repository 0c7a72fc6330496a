"""The engine's private fast paths build exactly what the public API does."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from escalation_helpers import Story, level, office

import servicecore as sc
from servicecore.escalation import _engine


class TestCheckConstructor:
    """decide builds its EscalationCheck without the attrs __init__."""

    def test_fast_check_equals_the_attrs_check(self) -> None:
        """The fast constructor gives an equal check with the same fields."""
        decision = sc.escalation.EscalationDecision(
            case_id="c-1",
            policy="p",
            level=0,
            trigger="elapsed",
            reason="r",
            dedupe_key="c-1:p:-:0:l",
            at_s=60,
        )
        fast = _engine._check("c-1", 60, (decision,), 120)
        slow = sc.escalation.EscalationCheck(
            case_id="c-1", at_s=60, decisions=(decision,), next_check_at_s=120
        )
        assert type(fast) is sc.escalation.EscalationCheck
        assert fast == slow
        assert attrs.asdict(fast, recurse=False) == attrs.asdict(
            slow, recurse=False
        )
        assert hash(fast) == hash(slow)

    def test_check_has_nothing_the_fast_constructor_skips(self) -> None:
        """EscalationCheck has no validator, converter or post-init hook."""
        fields = attrs.fields(sc.escalation.EscalationCheck)
        assert [(f.name, f.validator, f.converter) for f in fields] == [
            ("case_id", None, None),
            ("at_s", None, None),
            ("decisions", None, None),
            ("next_check_at_s", None, None),
        ]
        assert not hasattr(
            sc.escalation.EscalationCheck, "__attrs_post_init__"
        )


def _state_readers(*, condition_first: bool) -> sc.EscalationEngine:
    """Return an engine whose actions and a condition both read the state."""
    reopened = sc.escalation.EscalationPolicy(
        name="reopened",
        scope="case",
        levels=[
            level(
                sc.escalation.ConditionTrigger(
                    when={
                        "field": "case.reopen_count",
                        "op": "gte",
                        "value": 1,
                    }
                ),
                sc.escalation.PriorityAction(raise_by=1),
            )
        ],
    )
    waiting = sc.escalation.EscalationPolicy(
        name="waiting",
        levels=[
            level(
                sc.escalation.ElapsedTrigger(since="created", after="1h"),
                sc.escalation.PriorityAction(raise_by=2),
                sc.escalation.NotifyAction(to="lead", quiet_hours=office()),
            )
        ],
    )
    order = [reopened, waiting] if condition_first else [waiting, reopened]
    return sc.EscalationEngine(order)


class TestSharedState:
    """Conditions and actions of one decide read one case state."""

    def test_actions_read_the_state_whichever_comes_first(self) -> None:
        """Planned priorities are the case's, in either policy order."""
        story = Story(priority="high")
        story.agent_says("10m").status("20m", "solved").status("30m", "open")
        case = story.case()
        at = story.t("2h")
        plans = {
            first: [
                (d.policy, [dict(a.params) for a in d.actions])
                for d in _state_readers(condition_first=first)
                .decide(case, at=at)
                .decisions
            ]
            for first in (True, False)
        }
        reopened = ("reopened", [{"priority": "urgent", "previous": "high"}])
        waiting = (
            "waiting",
            [
                {"priority": "urgent", "previous": "high"},
                {"to": "lead", "recipient": "person"},
            ],
        )
        assert plans == {True: [reopened, waiting], False: [waiting, reopened]}


_AT = pendulum.datetime(2024, 3, 4, 9, tz="UTC")


class TestBeforeCreation:
    def test_a_moment_before_the_case_is_refused_as_state_at_does(self):
        """Decide before the case was created raises state_at's ModelError."""
        created = sc.CaseCreated(case_id="c", at=_AT)
        case = sc.Case(
            id="c",
            customer=sc.Customer(id="u"),
            channel="chat",
            events=[created],
        )
        engine = sc.EscalationEngine([])
        earlier = _AT.subtract(seconds=1)
        with pytest.raises(sc.errors.ModelError) as expected:
            case.state_at(earlier)
        with pytest.raises(sc.errors.ModelError) as got:
            engine.decide(case, earlier)
        assert (got.value.location, got.value.problem) == (
            expected.value.location,
            expected.value.problem,
        )
