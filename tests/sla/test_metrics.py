"""Hand-computed scenarios for every built-in metric (24x7 time)."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc

H = 3600

TARGETS = {
    "normal": {
        "first_reply": "4h",
        "next_reply": "2h",
        "periodic_update": "2h",
        "pausable_update": "2h",
        "resolution": "4h",
        "requester_wait": "8h",
        "agent_work": "6h",
    },
    "urgent": {"first_reply": "1h", "resolution": "2h"},
}


@pytest.fixture(name="engine", scope="module")
def _engine() -> sc.SLAEngine:
    return sc.SLAEngine([sc.sla.SLAPolicy(name="standard", targets=TARGETS)])


def utc(hour: int, minute: int = 0, day: int = 4) -> pendulum.DateTime:
    """Return 2024-03-<day> hour:minute UTC."""
    return pendulum.datetime(2024, 3, day, hour, minute, tz="UTC")


class TestFirstReply:
    def test_runs_from_creation_to_the_first_agent_reply(self, h, engine):
        """An agent reply 1h30m after creation achieves a 4h target."""
        case = h.Story().customer_says("0s").agent_says("1h30m").case()
        cycle = engine.evaluate(case, utc(12))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.ACHIEVED
        assert (cycle.started_at, cycle.stopped_at) == (utc(9), utc(10, 30))
        assert cycle.deadline == utc(13)
        assert cycle.elapsed_business == pendulum.duration(minutes=90)
        assert cycle.remaining == pendulum.duration(hours=2, minutes=30)
        assert cycle.consumed_ratio == 0.375
        assert cycle.breached_by is None

    def test_breaches_at_its_deadline(self, h, engine):
        """Without a reply, the clock breaches at 13:00 and keeps counting."""
        case = h.Story().customer_says("0s").case()
        cycle = engine.evaluate(case, utc(14))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.BREACHED
        assert cycle.breached_at == utc(13)
        assert cycle.deadline == utc(13)
        assert cycle.breached_by == pendulum.duration(hours=1)
        assert cycle.remaining == pendulum.duration()
        assert cycle.stopped_at is None

    def test_a_reply_at_the_deadline_is_a_breach(self, h, engine):
        """The target is used up at the deadline: a reply then is late."""
        case = h.Story().agent_says("4h").case()
        cycle = engine.evaluate(case, utc(14))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.BREACHED
        assert cycle.breached_by_s == 0
        assert cycle.stopped_at == utc(13)

    def test_notes_and_customer_messages_do_not_stop_it(self, h, engine):
        """Only a public agent reply stops first_reply."""
        case = (
            h.Story()
            .agent_says("10m", public=False)
            .customer_says("20m")
            .case()
        )
        report = engine.evaluate(case, utc(10))
        assert report["first_reply"].state == sc.sla.ClockState.ACTIVE

    def test_starts_at_the_first_customer_message_of_an_outbound_case(
        self, h, engine
    ):
        """A case opened by an agent message owes a reply from the answer."""
        case = h.Story().agent_says("0s").customer_says("2h").case()
        assert engine.evaluate(case, utc(10))["first_reply"].cycles == ()
        cycle = engine.evaluate(case, utc(12))["first_reply"].current
        assert cycle.started_at == utc(11)
        assert cycle.deadline == utc(15)

    def test_solving_without_a_reply_fulfils_it(self, h, engine):
        """Solving stops first_reply, achieved, with the solve as cause."""
        case = h.Story().status("1h", "solved").case()
        cycle = engine.evaluate(case, utc(12))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.ACHIEVED
        assert cycle.stopped_at == utc(10)
        assert cycle.stop_cause == "status new -> solved (event 1)"

    def test_raising_the_priority_shortens_the_running_clock(self, h, engine):
        """Urgent at 09:30 keeps the 09:00 start: the deadline is 10:00."""
        case = h.Story().priority("30m", "urgent").case()
        cycle = engine.evaluate(case, utc(9, 45))["first_reply"].current
        assert cycle.started_at == utc(9)
        assert cycle.deadline == utc(10)
        assert cycle.original_deadline == utc(13)
        assert cycle.target_s == H
        assert cycle.priority == "urgent"

    def test_raising_the_priority_past_the_new_target_breaches_at_once(
        self, h, engine
    ):
        """1h30m consumed when a 1h target applies: breached at the change."""
        case = h.Story().priority("1h30m", "urgent").case()
        cycle = engine.evaluate(case, utc(11))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.BREACHED
        assert cycle.breached_at == utc(10, 30)
        assert cycle.breached_by == pendulum.duration(hours=1)

    def test_lowering_the_priority_extends_the_running_clock(self, h, engine):
        """Urgent lowered to normal at 09:30: the deadline moves to 13:00."""
        case = h.Story(priority="urgent").priority("30m", "normal").case()
        cycle = engine.evaluate(case, utc(9, 45))["first_reply"].current
        assert (cycle.deadline, cycle.original_deadline) == (utc(13), utc(10))

    def test_a_breach_survives_a_lowered_priority(self, h, engine):
        """Breached at 10:00 under urgent, it stays breached under normal."""
        case = (
            h.Story(priority="urgent")
            .priority("1h30m", "normal")
            .agent_says("2h")
            .case()
        )
        cycle = engine.evaluate(case, utc(12))["first_reply"].current
        assert cycle.state == sc.sla.ClockState.BREACHED
        assert (cycle.breached_at, cycle.stopped_at) == (utc(10), utc(11))
        assert cycle.target_s == H


class TestNextReply:
    def test_one_cycle_per_run_of_customer_messages(self, h, engine):
        """Each run starts at its oldest unanswered message."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .customer_says("2h")
            .customer_says("2h30m")
            .agent_says("3h")
            .customer_says("5h")
            .case()
        )
        cycles = engine.evaluate(case, utc(17))["next_reply"].cycles
        assert [(c.started_at, c.stopped_at, c.state) for c in cycles] == [
            (utc(11), utc(12), sc.sla.ClockState.ACHIEVED),
            (utc(14), None, sc.sla.ClockState.BREACHED),
        ]
        assert cycles[1].breached_at == utc(16)
        assert cycles[0].elapsed_business == pendulum.duration(hours=1)

    def test_cycles_are_numbered_from_0(self, h, engine):
        """Each cycle's number is its .number; .index stays the tuple method."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .customer_says("2h")
            .agent_says("3h")
            .customer_says("5h")
            .case()
        )
        cycles = engine.evaluate(case, utc(17))["next_reply"].cycles
        assert [c.number for c in cycles] == [0, 1]
        assert not set(sc.sla.CycleReport._fields) & set(dir(tuple))

    def test_does_not_start_before_the_first_agent_reply(self, h, engine):
        """Messages before any reply belong to first_reply only."""
        case = h.Story().customer_says("0s").customer_says("1h").case()
        report = engine.evaluate(case, utc(11))
        assert report["next_reply"].state == sc.sla.ClockState.NOT_STARTED

    def test_resumes_after_a_reopen_when_solved_unanswered(self, h, engine):
        """Solved while owed a reply, reopened: the same cycle resumes."""
        case = (
            h.Story()
            .agent_says("0s")
            .customer_says("1h")
            .agent_says("1h")
            .customer_says("2h")
            .status("2h30m", "solved")
            .customer_says("4h")
            .status("4h", "open")
            .case()
        )
        cycles = engine.evaluate(case, utc(14))["next_reply"].cycles
        assert len(cycles) == 1
        assert cycles[0].started_at == utc(11)
        # 30 minutes before the solve, 1 hour since the reopen at 13:00.
        assert cycles[0].elapsed_business_s == int(1.5 * H)
        assert cycles[0].deadline == utc(14, 30)

    def test_a_reopen_owes_a_reply_to_a_new_message(self, h, engine):
        """Answered, solved, the customer writes again: a new cycle."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .status("1h", "solved")
            .customer_says("3h")
            .status("3h", "open")
            .case()
        )
        cycles = engine.evaluate(case, utc(13))["next_reply"].cycles
        assert [(c.started_at, c.deadline) for c in cycles] == [
            (utc(12), utc(14))
        ]


class TestPeriodicUpdate:
    def test_runs_between_agent_replies_until_solved(self, h, engine):
        """10:00 to 13:00 breaches a 2h target; 13:00 to the solve does not."""
        case = (
            h.Story()
            .agent_says("1h")
            .agent_says("4h")
            .status("5h", "solved")
            .case()
        )
        cycles = engine.evaluate(case, utc(16))["periodic_update"].cycles
        assert [(c.started_at, c.stopped_at, c.state) for c in cycles] == [
            (utc(10), utc(13), sc.sla.ClockState.BREACHED),
            (utc(13), utc(14), sc.sla.ClockState.ACHIEVED),
        ]
        assert cycles[0].breached_at == utc(12)

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [
            ("resume", [(utc(10), None, utc(14))]),
            (
                "new_cycle",
                [(utc(10), utc(11), utc(12)), (utc(13), None, utc(15))],
            ),
            ("first_close", [(utc(10), utc(11), utc(12))]),
        ],
    )
    def test_reopen_rules(self, h, rule, expected):
        """Update owed at 10:00, solved 11:00, reopened 13:00."""
        engine = h.engine(
            h.policy(TARGETS, metrics={"periodic_update": {"reopen": rule}})
        )
        case = (
            h.Story()
            .agent_says("1h")
            .status("2h", "solved")
            .status("4h", "open")
            .case()
        )
        cycles = engine.evaluate(case, utc(13, 30))["periodic_update"].cycles
        assert [(c.started_at, c.stopped_at, c.deadline) for c in cycles] == (
            expected
        )

    def test_does_not_pause_in_pending(self, h, engine):
        """periodic_update counts pending time."""
        case = h.Story().agent_says("1h").status("1h", "pending").case()
        cycle = engine.evaluate(case, utc(11))["periodic_update"].current
        assert (cycle.state, cycle.elapsed_business_s) == (
            sc.sla.ClockState.ACTIVE,
            H,
        )


class TestPausableUpdate:
    def test_pauses_in_pending_and_on_hold(self, h, engine):
        """30m open, 1h30m waiting, 1h open: 1h30m counted, achieved."""
        case = (
            h.Story()
            .agent_says("1h")
            .status("1h30m", "pending")
            .status("2h", "on_hold")
            .status("3h", "open")
            .agent_says("4h")
            .case()
        )
        report = engine.evaluate(case, utc(13))
        first = report["pausable_update"].cycles[0]
        assert first.state == sc.sla.ClockState.ACHIEVED
        assert first.elapsed_business == pendulum.duration(hours=1, minutes=30)
        assert first.elapsed_calendar == pendulum.duration(hours=3)
        assert first.original_deadline == utc(12)
        assert first.deadline == utc(13, 30)

    def test_has_no_deadline_while_paused(self, h, engine):
        """A paused clock has remaining time but no deadline."""
        case = h.Story().agent_says("1h").status("1h30m", "pending").case()
        cycle = engine.evaluate(case, utc(12))["pausable_update"].current
        assert cycle.state == sc.sla.ClockState.PAUSED
        assert (cycle.deadline, cycle.remaining_s) == (None, int(1.5 * H))


class TestResolution:
    @pytest.fixture(name="reopened")
    def _reopened(self, h) -> sc.Case:
        return (
            h.Story()
            .status("2h", "solved")
            .customer_says("4h")
            .status("4h", "open")
            .status("5h", "solved")
            .case()
        )

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [
            ("resume", [(utc(9), utc(14), 3 * H)]),
            ("first_close", [(utc(9), utc(11), 2 * H)]),
            ("new_cycle", [(utc(9), utc(11), 2 * H), (utc(13), utc(14), H)]),
        ],
    )
    def test_reopen_rules(self, h, reopened, rule, expected):
        """Resume adds up; first_close stops at the first solve; new_cycle splits."""
        engine = h.engine(
            h.policy(TARGETS, metrics={"resolution": {"reopen": rule}})
        )
        cycles = engine.evaluate(reopened, utc(16))["resolution"].cycles
        assert [
            (c.started_at, c.stopped_at, c.elapsed_business_s) for c in cycles
        ] == expected

    def test_is_achieved_while_solved_then_runs_again(self, reopened, engine):
        """Between solve and reopen the cycle is achieved; after, active."""
        at_12 = engine.evaluate(reopened, utc(12))["resolution"].current
        at_13 = engine.evaluate(reopened, utc(13, 30))["resolution"].current
        assert at_12.state == sc.sla.ClockState.ACHIEVED
        assert (at_13.state, at_13.deadline) == (
            sc.sla.ClockState.ACTIVE,
            utc(15),
        )

    def test_a_resumed_breach_stays_breached(self, h):
        """Breached before the solve, the resumed cycle stays breached."""
        engine = h.engine(h.policy({"normal": {"resolution": "1h"}}))
        case = (
            h.Story()
            .status("2h", "solved")
            .status("4h", "open")
            .status("5h", "solved")
            .case()
        )
        cycle = engine.evaluate(case, utc(16))["resolution"].current
        assert cycle.state == sc.sla.ClockState.BREACHED
        assert (cycle.breached_at, cycle.stopped_at) == (utc(10), utc(14))
        assert cycle.breached_by == pendulum.duration(hours=2)

    def test_pauses_in_the_statuses_the_policy_names(self, h):
        """With pause = pending, 2h pending move the deadline by 2h."""
        engine = h.engine(
            h.policy(
                {"normal": {"resolution": "4h"}},
                metrics={"resolution": {"pause": ["pending"]}},
            )
        )
        case = h.Story().status("1h", "pending").status("3h", "open").case()
        cycle = engine.evaluate(case, utc(13))["resolution"].current
        assert cycle.deadline == utc(15)

    def test_a_paused_clock_breaches_when_its_new_target_is_used_up(self, h):
        """2h30m consumed, paused, then urgent (2h): breached at the change."""
        engine = h.engine(
            h.policy(TARGETS, metrics={"resolution": {"pause": ["pending"]}})
        )
        case = (
            h.Story()
            .status("2h30m", "pending")
            .priority("3h", "urgent")
            .case()
        )
        cycle = engine.evaluate(case, utc(13))["resolution"].current
        assert (cycle.state, cycle.breached_at) == (
            sc.sla.ClockState.BREACHED,
            utc(12),
        )
        assert (cycle.stopped_at, cycle.breached_by_s) == (None, 1800)

    def test_restart_rule_restarts_the_clock_on_a_new_target(self, h):
        """With restart, urgent at 10:00 starts 2h from 10:00."""
        engine = h.engine(
            h.policy(
                TARGETS,
                metrics={"resolution": {"on_target_change": "restart"}},
            )
        )
        case = h.Story().priority("1h", "urgent").case()
        cycle = engine.evaluate(case, utc(11))["resolution"].current
        assert (cycle.started_at, cycle.deadline) == (utc(10), utc(12))
        assert cycle.elapsed_business_s == H


class TestRequesterWaitAndAgentWork:
    @pytest.fixture(name="case")
    def _case(self, h) -> sc.Case:
        return (
            h.Story()
            .status("1h", "pending")
            .status("3h", "open")
            .status("4h", "on_hold")
            .status("6h", "solved")
            .case()
        )

    def test_requester_wait_skips_pending(self, engine, case):
        """1h new + 1h open + 2h on hold = 4h of waiting."""
        cycle = engine.evaluate(case, utc(16))["requester_wait"].current
        assert (cycle.state, cycle.elapsed_business_s) == (
            sc.sla.ClockState.ACHIEVED,
            4 * H,
        )

    def test_agent_work_counts_new_and_open_only(self, engine, case):
        """1h new + 1h open = 2h of work."""
        cycle = engine.evaluate(case, utc(16))["agent_work"].current
        assert cycle.elapsed_business_s == 2 * H
        assert cycle.elapsed_calendar_s == 6 * H


class TestSameInstant:
    def test_log_order_decides_reply_then_message(self, h, engine):
        """A reply then a message at 11:00: the message is still owed."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .agent_says("2h")
            .customer_says("2h")
            .case()
        )
        cycle = engine.evaluate(case, utc(12))["next_reply"].current
        assert (cycle.started_at, cycle.state) == (
            utc(11),
            sc.sla.ClockState.ACTIVE,
        )

    def test_log_order_decides_message_then_reply(self, h, engine):
        """A message then a reply at 11:00: answered within 0s."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .customer_says("2h")
            .agent_says("2h")
            .case()
        )
        cycle = engine.evaluate(case, utc(12))["next_reply"].current
        assert (cycle.state, cycle.elapsed_business_s) == (
            sc.sla.ClockState.ACHIEVED,
            0,
        )

    def test_the_target_comes_from_the_instant_as_a_whole(self, h, engine):
        """A cycle started with urgent logged later at the same instant is urgent."""
        case = (
            h.Story()
            .customer_says("0s")
            .agent_says("1h")
            .status("1h", "solved")
            .status("2h", "open")
            .priority("2h", "urgent")
            .case()
        )
        cycle = engine.evaluate(case, utc(11, 30))["resolution"].current
        assert cycle.target_s == 2 * H


class TestNoTarget:
    def test_a_running_clock_without_a_target_is_measuring(self, h, engine):
        """A metric without a target at the priority measures, never breaches."""
        case = h.Story(priority="low").case()
        report = engine.evaluate(case, utc(20))
        cycle = report["first_reply"].current
        assert (cycle.state, cycle.deadline, cycle.remaining) == (
            sc.sla.ClockState.MEASURING,
            None,
            None,
        )
        assert (cycle.elapsed_business_s, cycle.consumed_ratio) == (
            11 * H,
            None,
        )
        assert report["first_reply"].state == sc.sla.ClockState.MEASURING

    def test_a_stopped_clock_without_a_target_is_measured(self, h, engine):
        """Answered without a target: measured, not achieved."""
        case = h.Story(priority="low").agent_says("1h").case()
        report = engine.evaluate(case, utc(12))
        cycle = report["first_reply"].current
        assert (cycle.state, cycle.stopped_at, cycle.elapsed_business_s) == (
            sc.sla.ClockState.MEASURED,
            utc(10),
            H,
        )
        assert cycle.summary() == (
            "first_reply[0] measured: 1h, no target, started 2024-03-04 "
            "09:00, stopped 2024-03-04 10:00"
        )

    def test_a_paused_clock_without_a_target_is_measuring(self, h, engine):
        """requester_wait paused in pending, without a target: measuring."""
        case = h.Story(priority="low").status("1h", "pending").case()
        cycle = engine.evaluate(case, utc(12))["requester_wait"].current
        assert (cycle.state, cycle.elapsed_business_s, cycle.deadline) == (
            sc.sla.ClockState.MEASURING,
            H,
            None,
        )

    def test_a_target_taken_away_leaves_the_clock_measuring(self, h, engine):
        """Lowered to low (no target) at 10:00: first_reply measures on."""
        case = h.Story().priority("1h", "low").case()
        report = engine.evaluate(case, utc(11))
        cycle = report["first_reply"].current
        assert (cycle.state, cycle.target_s, cycle.deadline) == (
            sc.sla.ClockState.MEASURING,
            None,
            None,
        )
        assert report.next_change_at_s is None

    def test_a_breach_stays_when_the_target_is_taken_away(self, h, engine):
        """Breached at 10:00 (urgent 1h), lowered to low: still breached."""
        case = h.Story(priority="urgent").priority("2h", "low").case()
        cycle = engine.evaluate(case, utc(12))["first_reply"].current
        assert (cycle.state, cycle.target_s, cycle.breached_at) == (
            sc.sla.ClockState.BREACHED,
            H,
            utc(10),
        )

    def test_next_change_ignores_clocks_without_a_target(self, h):
        """Only first_reply has a target: its deadline, then nothing, is next."""
        engine = h.engine(
            h.policy(
                {"normal": {"first_reply": "4h"}},
                metrics={"resolution": {"pause": ["pending"]}},
            )
        )
        case = h.Story().agent_says("1h").case()
        before = engine.evaluate(case, utc(9, 30))
        after = engine.evaluate(case, utc(11))
        assert before.next_change_at == utc(13)
        assert after["resolution"].state == sc.sla.ClockState.MEASURING
        assert after.next_change_at is None

    @pytest.mark.parametrize(
        "trigger",
        [
            sc.escalation.ThresholdTrigger(
                metric="first_reply", threshold=0.75
            ),
            sc.escalation.BreachTrigger(metric="first_reply"),
        ],
    )
    def test_escalation_triggers_ignore_clocks_without_a_target(
        self, h, engine, trigger
    ):
        """SLA triggers never fire for, nor wait on, an untargeted clock."""
        level = sc.escalation.EscalationLevel(
            name="lead",
            trigger=trigger,
            actions=[sc.escalation.NotifyAction(to="lead", recipient="role")],
        )
        escalation = sc.EscalationEngine(
            [sc.escalation.EscalationPolicy(name="p", levels=[level])],
            sla=engine,
        )
        check = escalation.decide(h.Story(priority="low").case(), at=utc(20))
        assert (check.decisions, check.next_check_at) == ((), None)


class TestWarnings:
    @pytest.fixture(name="engine")
    def _engine(self, h) -> sc.SLAEngine:
        return h.engine(
            h.policy(
                {"normal": {"first_reply": "4h"}},
                metrics={"first_reply": {"warnings": [0.75, "30m"]}},
            )
        )

    def test_thresholds_cross_in_order(self, h, engine):
        """75 % of 4h at 12:00, 30m before the deadline at 12:30."""
        case = h.Story().case()
        seen = [
            engine.evaluate(case, utc(*hm))[
                "first_reply"
            ].current.thresholds_crossed
            for hm in [(11, 59), (12, 0), (12, 30), (13, 0)]
        ]
        assert seen == [
            (),
            ("75%",),
            ("75%", "30m before"),
            ("75%", "30m before"),
        ]

    def test_next_change_is_the_next_threshold(self, h, engine):
        """At 11:00 the next change is the 75 % warning at 12:00."""
        case = h.Story().case()
        assert engine.evaluate(case, utc(11)).next_change_at == utc(12)
        assert engine.evaluate(case, utc(12)).next_change_at == utc(12, 30)
        assert engine.evaluate(case, utc(12, 30)).next_change_at == utc(13)
        assert engine.evaluate(case, utc(13)).next_change_at is None
