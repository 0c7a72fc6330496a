"""Scenario tests: each trigger kind, chains, fire-once."""

from __future__ import annotations

import re

import attrs
import pendulum
import pytest
from escalation_helpers import Story, level, record, sla_engine
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc


def _engine(
    *levels: sc.escalation.EscalationLevel, **options: object
) -> sc.EscalationEngine:
    scope = options.pop("scope", "cycle")
    sla = options.pop("sla", sla_engine(first_reply="4h", next_reply="2h"))
    return sc.EscalationEngine(
        [
            sc.escalation.EscalationPolicy(
                name="p", levels=levels, scope=scope, **options
            )
        ],
        sla=sla,
    )


class TestThresholdTrigger:
    """SLA consumed ratio reaching a fraction or an offset."""

    def test_fraction_is_due_at_the_exact_crossing(self) -> None:
        """A 75 % level is announced for 3h into a 4h target and fires then."""
        story = Story()
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.75
                )
            )
        )
        case = story.case()
        before = engine.decide(case, at=story.t("1h"))
        assert before.decisions == ()
        assert before.next_check_at == story.t("3h")
        assert engine.decide_s(case, story.s("3h") - 1).decisions == ()
        (decision,) = engine.decide(case, at=story.t("3h")).decisions
        assert decision.dedupe_key == "c-1:p:first_reply:0:l"
        assert decision.triggered_at == story.t("3h")
        assert decision.values["consumed"] == 0.75
        assert decision.values["threshold"] == "75%"
        assert decision.reason == (
            "first_reply consumed 75%: 3h of 4h (cycle 0)"
        )

    def test_offset_before_the_deadline(self) -> None:
        """A '30m' threshold fires 30 minutes of counted time before it."""
        story = Story()
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold="30m"
                )
            )
        )
        check = engine.decide(story.case(), at=story.t("0"))
        assert check.next_check_at == story.t("3h30m")
        (decision,) = engine.decide(
            story.case(), at=story.t("3h30m")
        ).decisions
        assert decision.reason.startswith("first_reply within 30m before")

    def test_offset_counts_business_time(
        self, office: sc.BusinessCalendar
    ) -> None:
        """In a business-hours SLA, 1h before a Tuesday 11:00 deadline is 10:00."""
        sla = sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="biz",
                    calendar=office,
                    targets={"normal": {"first_reply": "4h"}},
                )
            ]
        )
        story = Story(start=sc.parse_duration("6h") + Story().start)
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold="1h"
                )
            ),
            sla=sla,
        )
        # Created Monday 15:00: 2h on Monday, 2h on Tuesday -> 11:00.
        check = engine.decide(story.case(), at=story.t("0"))
        assert check.next_check_at == story.t("19h")

    def test_a_fulfilled_cycle_fires_nothing(self) -> None:
        """Once the agent replied, the threshold of that cycle never fires."""
        story = Story().agent_says("1h")
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.75
                )
            )
        )
        check = engine.decide(story.case(), at=story.t("5h"))
        assert (check.decisions, check.next_check_at) == ((), None)

    def test_a_late_check_does_not_know_an_old_crossing(self) -> None:
        """Crossed before the latest event, the crossing moment is unknown."""
        story = Story().customer_says("3h30m")
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.75
                )
            )
        )
        (decision,) = engine.decide(
            story.case(), at=story.t("3h45m")
        ).decisions
        assert decision.triggered_at is None
        story = Story().customer_says("1h")
        (decision,) = engine.decide(
            story.case(), at=story.t("3h45m")
        ).decisions
        assert decision.triggered_at == story.t("3h")


class TestBreachTrigger:
    """SLA breach."""

    def test_fires_at_the_deadline(self) -> None:
        """The breach level is announced for the deadline and fires there."""
        story = Story()
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply"))
        )
        assert engine.decide(story.case(), at=story.t("0")).next_check_at == (
            story.t("4h")
        )
        (decision,) = engine.decide(story.case(), at=story.t("5h")).decisions
        assert decision.triggered_at == story.t("4h")
        assert decision.values["breached_at"] == story.t("4h")
        assert decision.trigger == "sla_breach"

    def test_threshold_then_breach(self) -> None:
        """One policy fires at 50 % and then at the breach, each once."""
        story = Story()
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.5
                ),
                name="half",
            ),
            level(
                sc.escalation.BreachTrigger(metric="first_reply"),
                name="breach",
            ),
        )
        found = sc.escalation.simulate(story.case(), engine, story.t("2d"))
        assert [(d.level, d.at) for d in found] == [
            (0, story.t("2h")),
            (1, story.t("4h")),
        ]


class TestElapsedTrigger:
    """Business time since an event."""

    def test_no_agent_reply_for_four_business_hours(
        self, office: sc.BusinessCalendar
    ) -> None:
        """From a Monday 15:00 reply, 4 business hours end Tuesday 11:00."""
        story = Story().agent_says("6h")
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="last_agent_reply", after="4h"
                )
            ),
            calendar=office,
        )
        check = engine.decide(story.case(), at=story.t("6h"))
        assert check.next_check_at == story.t("1d2h")
        (decision,) = engine.decide(story.case(), at=story.t("1d2h")).decisions
        assert decision.cycle == 1
        assert decision.dedupe_key == "c-1:p:-:1:l"
        assert decision.reason == (
            "no public agent reply for 4h: since 2024-03-04T15:00:00+00:00"
        )

    def test_pending_for_three_days(self) -> None:
        """Pending counts from entering pending; leaving it stops the trigger."""
        story = Story().agent_says("1h").status("1h", "pending")
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="status", status="pending", after="3d"
                )
            )
        )
        case = story.case()
        assert engine.decide(case, at=story.t("2h")).next_check_at == (
            story.t("3d1h")
        )
        (decision,) = engine.decide(case, at=story.t("3d1h")).decisions
        assert decision.reason.startswith("pending for 3d")
        story.status("2d", "open")
        check = engine.decide(story.case(), at=story.t("4d"))
        assert (check.decisions, check.next_check_at) == ((), None)

    def test_unanswered_customer_message(self) -> None:
        """The clock runs from the first unanswered message, not the last."""
        story = (
            Story().agent_says("1h").customer_says("2h").customer_says("3h")
        )
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="unanswered_customer_message", after="2h"
                )
            )
        )
        check = engine.decide(story.case(), at=story.t("3h"))
        assert check.next_check_at == story.t("4h")

    def test_last_customer_message(self) -> None:
        """Each customer message is its own occurrence (cycle)."""
        story = Story().customer_says("1h").customer_says("2h")
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="last_customer_message", after="3h"
                )
            )
        )
        check = engine.decide(story.case(), at=story.t("2h"))
        assert check.next_check_at == story.t("5h")
        (decision,) = engine.decide(story.case(), at=story.t("5h")).decisions
        assert (decision.cycle, decision.dedupe_key) == (1, "c-1:p:-:1:l")

    def test_solved_cases_do_not_wait(self) -> None:
        """By default an elapsed trigger holds only while unsolved."""
        story = Story().status("1h", "solved")
        engine = _engine(
            level(sc.escalation.ElapsedTrigger(since="created", after="2h"))
        )
        check = engine.decide(story.case(), at=story.t("5h"))
        assert (check.decisions, check.next_check_at) == ((), None)


class TestPausedAndCalendarTime:
    """Elapsed time that skips paused statuses, or counts every second."""

    def test_time_waiting_on_the_customer_does_not_count(
        self, office: sc.BusinessCalendar
    ) -> None:
        """A customer answering a pending case is owed a reply 4h later, not at once."""
        story = (
            Story()
            .agent_says("1h")
            .status("1h", "pending")
            .customer_says("1d")
            .status("1d", "open")
        )
        case = story.case()
        trigger = sc.escalation.ElapsedTrigger(
            since="last_agent_reply", after="4h"
        )
        counting = _engine(level(trigger), calendar=office)
        (at_once,) = counting.decide(case, at=story.t("1d")).decisions
        assert at_once.triggered_at == story.t("5h")
        paused = _engine(
            level(attrs.evolve(trigger, pause=["pending"])), calendar=office
        )
        check = paused.decide(case, at=story.t("1d"))
        assert (check.decisions, check.next_check_at) == ((), story.t("1d4h"))
        (decision,) = paused.decide(case, at=story.t("1d4h")).decisions
        assert decision.triggered_at == story.t("1d4h")
        assert decision.reason == (
            "no public agent reply for 4h, not counting pending: since "
            "2024-03-04T10:00:00+00:00"
        )

    def test_counted_time_adds_up_between_pauses(self) -> None:
        """1h before, 1h between and 1h after two pending spells make 3h."""
        story = (
            Story()
            .status("1h", "pending")
            .status("5h", "open")
            .status("6h", "pending")
            .status("10h", "open")
        )
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="created", after="3h", pause="pending"
                )
            )
        )
        partial = Story()
        partial.events = story.events[:4]
        paused = engine.decide(partial.case(), at=story.t("7h"))
        assert (paused.decisions, paused.next_check_at) == ((), None)
        check = engine.decide(story.case(), at=story.t("10h"))
        assert (check.decisions, check.next_check_at) == ((), story.t("11h"))
        (decision,) = engine.decide(story.case(), at=story.t("11h")).decisions
        assert decision.triggered_at == story.t("11h")

    def test_reached_before_a_pause_still_fires(self) -> None:
        """Time counted before the pause began keeps its crossing moment."""
        story = Story().status("3h", "pending")
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(
                    since="created", after="2h", pause=["pending"]
                )
            )
        )
        (decision,) = engine.decide(story.case(), at=story.t("4h")).decisions
        assert decision.triggered_at == story.t("2h")

    def test_24x7_counts_calendar_days(
        self, office: sc.BusinessCalendar
    ) -> None:
        """'3d' with calendar '24x7' is three calendar days, not 72 business hours."""
        story = Story().agent_says("1h").status("1h", "pending")
        pending = {"since": "status", "status": "pending", "after": "3d"}
        engines = {
            calendar: _engine(
                level(
                    sc.escalation.ElapsedTrigger(**pending, calendar=calendar)
                ),
                calendar=office,
            )
            for calendar in (None, "24x7")
        }
        checks = {
            calendar: engine.decide(story.case(), at=story.t("1h"))
            for calendar, engine in engines.items()
        }
        assert checks["24x7"].next_check_at == story.t("3d1h")
        # 72 business hours of 8-hour days: nine business days, 15 March.
        assert checks[None].next_check_at == pendulum.datetime(
            2024, 3, 15, 10, tz="UTC"
        )

    def test_documents_say_pause_and_24x7(self) -> None:
        """A document's trigger takes pause and calendar = '24x7' undeclared."""
        policies = sc.EscalationPolicySet.from_toml(
            "schema_version = 1\n"
            "[[escalation.policies]]\nname = 'waiting'\n"
            "[[escalation.policies.levels]]\nname = 'no reply'\n"
            "trigger = {since = 'last_agent_reply', after = '4h', "
            "pause = ['pending', 'solved'], calendar = '24x7'}\n"
            "actions = [{do = 'notify', to = 'lead'}]\n"
        )
        (level_,) = policies.policies[0].levels
        assert level_.trigger.pause == {
            sc.CaseStatus.PENDING,
            sc.CaseStatus.SOLVED,
        }
        sc.EscalationEngine(policies)

    @pytest.mark.parametrize(
        ("trigger", "location", "problem"),
        [
            (
                {
                    "since": "status",
                    "status": "pending",
                    "after": "1h",
                    "pause": ["pending"],
                },
                "pause",
                (
                    "since = 'status' counts the time in that one status; pause "
                    "goes with the other since values"
                ),
            ),
            (
                {"since": "created", "after": "1h", "pause": ["pendng"]},
                "pause[0]",
                (
                    "'pendng' is not one of new, open, pending, on_hold, solved, "
                    "closed; did you mean 'pending'?"
                ),
            ),
            (
                {"since": "created", "after": "1h", "pause": "pending"},
                "pause",
                "expected a list of statuses",
            ),
        ],
    )
    def test_bad_pause_is_located(
        self, trigger: dict[str, object], location: str, problem: str
    ) -> None:
        """A wrong pause is refused where it is written."""
        where = "escalation.policies[0].levels[0].trigger"
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.EscalationPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "escalation": {
                        "policies": [
                            {
                                "name": "p",
                                "levels": [
                                    {
                                        "name": "l",
                                        "trigger": trigger,
                                        "actions": [
                                            {"do": "notify", "to": "x"}
                                        ],
                                    }
                                ],
                            }
                        ]
                    },
                }
            )
        assert (info.value.location, info.value.problem) == (
            f"{where}.{location}",
            problem,
        )

    @pytest.mark.parametrize(
        ("options", "location"),
        [
            ({"since": "creatd"}, "since"),
            ({"since": "status", "status": "pendng"}, "status"),
            ({"since": "created", "statuses": 5}, "statuses"),
            ({"since": "created", "statuses": {"open": 1}}, "statuses"),
            ({"since": "created", "pause": [["pending"]]}, "pause[0]"),
        ],
    )
    def test_bad_statuses_in_python(
        self, options: dict[str, object], location: str
    ) -> None:
        """The constructor names the argument that is no status or anchor."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=rf"^{re.escape(location)}: "
        ) as info:
            sc.escalation.ElapsedTrigger(after="1h", **options)  # type: ignore[arg-type]
        assert info.value.location == location

    def test_pause_with_since_status_in_python(self) -> None:
        """The constructor refuses pause with since='status' too."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^pause: since"
        ):
            sc.escalation.ElapsedTrigger(
                since="status", status="pending", after="1h", pause="open"
            )


class TestConditionTrigger:
    """Any condition of the shared language."""

    def test_vip_fires_at_creation(self) -> None:
        """A VIP condition holds from the first event."""
        story = Story(tier="vip")
        engine = _engine(
            level(
                sc.escalation.ConditionTrigger(
                    when={
                        "field": "customer.tier",
                        "op": "is",
                        "value": "vip",
                    },
                    label="VIP customer",
                )
            )
        )
        (decision,) = engine.decide(story.case(), at=story.t("0")).decisions
        assert decision.dedupe_key == "c-1:p:-:*:l"
        assert decision.reason == ("VIP customer at 2024-03-04T09:00:00+00:00")

    def test_reopened_twice(self) -> None:
        """The condition is checked at the events: the second reopen fires."""
        story = (
            Story()
            .status("1h", "solved")
            .status("2h", "open")
            .status("3h", "solved")
            .status("4h", "open")
        )
        trigger = sc.escalation.ConditionTrigger(
            when={"field": "case.reopen_count", "op": "gte", "value": 2}
        )
        engine = _engine(level(trigger))
        assert engine.decide(story.case(), at=story.t("3h")).decisions == ()
        (decision,) = engine.decide(story.case(), at=story.t("5h")).decisions
        assert decision.triggered_at == story.t("4h")

    def test_time_dependent_condition_with_check_every(self) -> None:
        """With check_every, age is checked on a grid next_check_at announces."""
        trigger = sc.escalation.ConditionTrigger(
            when={"field": "case.age", "op": "gte", "value": "5h"},
            check_every="1h",
        )
        engine = _engine(level(trigger))
        story = Story()
        check = engine.decide_s(story.case(), story.s("4h30m"))
        assert check.next_check_at == story.t("5h")
        (decision,) = engine.decide(
            story.case(), at=story.t("5h20m")
        ).decisions
        assert decision.triggered_at == story.t("5h")


class TestFireOnce:
    """A recorded decision is never returned again."""

    def test_repeated_calls_without_recording_repeat(self) -> None:
        """Deciding is pure: asking twice gives the same decisions."""
        story = Story()
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply"))
        )
        case = story.case()
        first = engine.decide(case, at=story.t("5h"))
        assert engine.decide(case, at=story.t("5h")) == first
        assert len(first.decisions) == 1

    def test_recorded_decisions_never_return(self) -> None:
        """After the host records it, the level stays quiet however asked."""
        story = Story()
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply"))
        )
        case = story.case()
        check = engine.decide(case, at=story.t("5h"))
        case = record(case, check)
        for offset in ("5h", "6h", "1d", "30d"):
            assert engine.decide(case, at=story.t(offset)).decisions == ()

    def test_once_per_cycle(self) -> None:
        """Per-cycle scope fires again for the next cycle of next_reply."""
        story = (
            Story()
            .agent_says("10m")
            .customer_says("1h")
            .agent_says("4h")
            .customer_says("5h")
        )
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="next_reply"))
        )
        found = sc.escalation.simulate(story.case(), engine, story.t("1d"))
        assert [(d.cycle, d.at) for d in found] == [
            (0, story.t("3h")),
            (1, story.t("7h")),
        ]

    def test_once_per_case(self) -> None:
        """Per-case scope fires for the first cycle only."""
        story = (
            Story()
            .agent_says("10m")
            .customer_says("1h")
            .agent_says("4h")
            .customer_says("5h")
        )
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="next_reply")),
            scope="case",
        )
        found = sc.escalation.simulate(story.case(), engine, story.t("1d"))
        assert [(d.dedupe_key, d.at) for d in found] == [
            ("c-1:p:next_reply:*:l", story.t("3h"))
        ]


def _edited_policy(
    levels: list[sc.escalation.EscalationLevel],
) -> sc.EscalationEngine:
    return sc.EscalationEngine(
        [sc.escalation.EscalationPolicy(name="p", levels=levels)],
        sla=sla_engine(first_reply="4h", next_reply="2h"),
    )


def _original_levels() -> list[sc.escalation.EscalationLevel]:
    return [
        level(
            sc.escalation.ThresholdTrigger(
                metric="first_reply", threshold=0.5
            ),
            name="half",
        ),
        level(
            sc.escalation.BreachTrigger(metric="first_reply"), name="breach"
        ),
        level(
            sc.escalation.ElapsedTrigger(since="created", after="1h"),
            name="waiting",
        ),
        level(
            sc.escalation.ConditionTrigger(
                when={
                    "field": "customer.tier",
                    "op": "is",
                    "value": "standard",
                }
            ),
            name="standard",
        ),
    ]


class TestFireOnceAcrossPolicyEdits:
    """Recorded levels stay recorded when the policy's levels change."""

    def test_edit_insert_reorder_and_remove(self) -> None:
        """After an edit of every kind, only the inserted level fires."""
        story = Story()
        first = _edited_policy(_original_levels()).decide(
            story.case(), at=story.t("5h")
        )
        assert [d.level_name for d in first.decisions] == [
            "half",
            "breach",
            "waiting",
            "standard",
        ]
        case = record(story.case(), first)
        _, _, waiting, standard = _original_levels()
        edited = [
            # inserted in front of the recorded levels
            level(
                sc.escalation.ElapsedTrigger(since="created", after="2h"),
                name="new",
            ),
            # reordered, "breach" removed, "half" edited (another threshold
            # and another action) under the same name
            standard,
            waiting,
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.25
                ),
                sc.escalation.PriorityAction(raise_by=1),
                name="half",
            ),
        ]
        (decision,) = (
            _edited_policy(edited).decide(case, at=story.t("5h")).decisions
        )
        assert (decision.level, decision.level_name, decision.dedupe_key) == (
            0,
            "new",
            "c-1:p:-:0:new",
        )

    @settings(max_examples=50, deadline=None)
    @given(
        order=st.permutations(range(4)),
        keep=st.lists(st.booleans(), min_size=4, max_size=4),
        inserted=st.lists(st.integers(0, 4), max_size=3),
    )
    def test_any_edit_fires_only_new_levels(
        self, order: list[int], keep: list[bool], inserted: list[int]
    ) -> None:
        """Reordered, removed and inserted levels: only new names fire."""
        story = Story()
        original = _original_levels()
        case = record(
            story.case(),
            _edited_policy(original).decide(story.case(), at=story.t("5h")),
        )
        levels = [original[i] for i in order if keep[i]]
        for n, position in enumerate(inserted):
            levels.insert(
                min(position, len(levels)),
                level(
                    sc.escalation.ElapsedTrigger(since="created", after="1h"),
                    name=f"new {n}",
                ),
            )
        found = _edited_policy(levels).decide(case, at=story.t("5h"))
        assert sorted(d.level_name for d in found.decisions) == [
            f"new {n}" for n in range(len(inserted))
        ]

    def test_names_are_escaped_in_keys(self) -> None:
        """A ':' or '%' in a name cannot make two levels share a key."""
        story = Story()
        engine = _engine(
            level(
                sc.escalation.ElapsedTrigger(since="created", after="1h"),
                name="a:b",
            ),
            level(
                sc.escalation.ElapsedTrigger(since="created", after="1h"),
                name="50%",
            ),
        )
        found = engine.decide(story.case(), at=story.t("2h")).decisions
        assert [d.dedupe_key for d in found] == [
            "c-1:p:-:0:a%3Ab",
            "c-1:p:-:0:50%25",
        ]


class TestSimulate:
    """Replaying history."""

    def test_recorded_history_is_left_out_by_default(self) -> None:
        """The case's own records belong to old policies, unless kept."""
        story = Story()
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply"))
        )
        case = record(
            story.case(), engine.decide(story.case(), at=story.t("4h"))
        )
        assert len(sc.escalation.simulate(case, engine, story.t("1d"))) == 1
        assert (
            sc.escalation.simulate(
                case, engine, story.t("1d"), keep_recorded=True
            )
            == ()
        )

    def test_until_is_inclusive(self) -> None:
        """A level due exactly at until is listed; one after it is not."""
        story = Story()
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply"))
        )
        assert (
            len(sc.escalation.simulate(story.case(), engine, story.t("4h")))
            == 1
        )
        assert (
            sc.escalation.simulate(story.case(), engine, story.t("3h59m"))
            == ()
        )

    def test_policies_with_an_sla_engine(self) -> None:
        """simulate() builds the engine from policies and an SLA engine."""
        story = Story()
        policies = [
            sc.escalation.EscalationPolicy(
                name="p",
                levels=[
                    level(sc.escalation.BreachTrigger(metric="first_reply"))
                ],
            )
        ]
        (decision,) = sc.escalation.simulate(
            story.case(),
            policies,
            story.t("1d"),
            sla=sla_engine(first_reply="4h"),
        )
        assert decision.at == story.t("4h")


class TestChains:
    """Hierarchical and functional chains are both levels."""

    def test_hierarchical(self) -> None:
        """Lead at 50 %, manager at 90 %, director at the breach."""
        engine = _engine(
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.5
                ),
                sc.escalation.NotifyAction(to="lead", recipient="role"),
                name="lead",
            ),
            level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.9
                ),
                sc.escalation.NotifyAction(to="manager", recipient="role"),
                name="manager",
            ),
            level(
                sc.escalation.BreachTrigger(metric="first_reply"),
                sc.escalation.NotifyAction(to="director", recipient="role"),
                name="director",
            ),
        )
        story = Story()
        found = sc.escalation.simulate(story.case(), engine, story.t("1d"))
        assert [(d.level_name, d.at) for d in found] == [
            ("lead", story.t("2h")),
            ("manager", story.t("3h36m")),
            ("director", story.t("4h")),
        ]

    def test_functional(self) -> None:
        """Billing cases go to the billing specialists, others stay."""
        policy = sc.escalation.EscalationPolicy(
            name="billing",
            when={"field": "case.tags", "op": "contains", "value": "billing"},
            levels=[
                level(
                    sc.escalation.ElapsedTrigger(since="created", after="1h"),
                    sc.escalation.AssignAction(team="billing-specialists"),
                )
            ],
        )
        engine = sc.EscalationEngine([policy])
        story = Story()
        assert (
            sc.escalation.simulate(story.case(), engine, story.t("1d")) == ()
        )
        story.events[0] = sc.CaseCreated(
            case_id="c-1", at=story.start, tags=["billing"]
        )
        (decision,) = sc.escalation.simulate(
            story.case(), engine, story.t("1d")
        )
        assert decision.actions[0].params == {"team": "billing-specialists"}


class TestEngineErrors:
    """Problems found when the engine is built, all together."""

    def test_sla_trigger_without_sla_engine(self) -> None:
        """An SLA trigger needs an SLA engine."""
        policy = sc.escalation.EscalationPolicy(
            name="p",
            levels=[level(sc.escalation.BreachTrigger(metric="first_reply"))],
        )
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^escalation\.policies\[0\]\.levels\[0\]\.trigger: an SLA",
        ):
            sc.EscalationEngine([policy])

    def test_unknown_calendar_and_untracked_metric(self) -> None:
        """Each problem is reported with its location."""
        policy = sc.escalation.EscalationPolicy(
            name="p",
            calendar="offic",
            levels=[level(sc.escalation.BreachTrigger(metric="resolution"))],
        )
        with pytest.raises(sc.errors.PolicyValidationError) as info:
            sc.EscalationEngine(
                [policy], sla=sla_engine(first_reply="4h"), calendars={}
            )
        assert [e.location for e in info.value.errors] == [
            "escalation.policies[0].calendar",
            "escalation.policies[0].levels[0].trigger.metric",
        ]

    def test_mismatched_sla_report(self) -> None:
        """A report of another moment is refused."""
        story = Story()
        sla = sla_engine(first_reply="4h")
        engine = _engine(
            level(sc.escalation.BreachTrigger(metric="first_reply")), sla=sla
        )
        report = sla.evaluate(story.case(), at=story.t("1h"))
        with pytest.raises(sc.errors.EvaluationError, match=r"^sla_report: "):
            engine.decide(story.case(), at=story.t("2h"), sla_report=report)
        check = engine.decide(
            story.case(), at=story.t("1h"), sla_report=report
        )
        assert check.next_check_at == story.t("4h")
