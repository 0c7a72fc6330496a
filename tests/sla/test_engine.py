"""The engine: policy selection, calendars, zones, the ledger, reports."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc

H = 3600
VIP_TAG = {"field": "case.tags", "op": "includes_any", "value": ["vip"]}


def utc(hour: int, minute: int = 0, day: int = 4) -> pendulum.DateTime:
    """Return 2024-03-<day> hour:minute UTC."""
    return pendulum.datetime(2024, 3, day, hour, minute, tz="UTC")


@pytest.fixture(name="tiers", scope="module")
def _tiers() -> sc.SLAEngine:
    return sc.SLAEngine(
        sc.SLAPolicySet(
            [
                sc.sla.SLAPolicy(
                    name="vip",
                    when=VIP_TAG,
                    targets={"normal": {"first_reply": "1h"}},
                ),
                sc.sla.SLAPolicy(
                    name="standard",
                    targets={"normal": {"first_reply": "4h"}},
                ),
            ]
        )
    )


class TestPolicySelection:
    def test_a_tag_change_reselects_the_policy(self, h, tiers):
        """Tagged vip at 09:30, the running clock takes vip's 1h target."""
        case = h.Story().tag("30m", "vip").case()
        before = tiers.evaluate(case, utc(9, 15))
        after = tiers.evaluate(case, utc(9, 45))
        assert (before.policy, before["first_reply"].current.deadline) == (
            "standard",
            utc(13),
        )
        cycle = after["first_reply"].current
        assert (after.policy, cycle.policy) == ("vip", "vip")
        assert (cycle.started_at, cycle.deadline) == (utc(9), utc(10))
        assert cycle.original_deadline == utc(13)

    def test_the_ledger_says_why_the_target_changed(self, h, tiers):
        """The change of policy is in the ledger, with its cause."""
        case = h.Story().tag("30m", "vip").case()
        ledger = tiers.evaluate(case, utc(9, 45)).ledger
        assert [str(entry) for entry in ledger] == [
            (
                "2024-03-04T09:00:00+00:00 first_reply[0] activated: "
                "case created (event 0)"
            ),
            (
                "2024-03-04T09:00:00+00:00 first_reply[0] target_applied: 4h "
                "from policy 'standard' at priority normal: case created "
                "(event 0)"
            ),
            (
                "2024-03-04T09:30:00+00:00 first_reply[0] target_applied: 1h "
                "from policy 'vip' at priority normal: policy 'vip' now applies "
                "(was 'standard')"
            ),
        ]

    def test_a_recorded_escalation_does_not_reselect(self, h):
        """An EscalationFired event leaves a time-based selection as it was."""
        young = h.policy(
            {"normal": {"first_reply": "1h"}},
            name="young",
            when={"field": "case.age", "op": "lt", "value": "2h"},
        )
        old = h.policy({"normal": {"first_reply": "8h"}}, name="old")
        engine = h.engine(young, old)
        case = h.Story().case()
        fired = case.append(
            sc.EscalationFired(
                case_id="c-1",
                at=utc(12),
                policy="p",
                level=0,
                dedupe_key="c-1/p/0",
            )
        )
        with_record = engine.evaluate(fired, utc(13))
        without = engine.evaluate(case, utc(13))
        assert (
            with_record.policy,
            with_record.metrics,
            with_record.ledger,
        ) == (
            "young",
            without.metrics,
            without.ledger,
        )

    def test_the_choice_explains_itself(self, h, tiers):
        """The explanation names the policy and shows each condition."""
        case = h.Story().case()
        choice = tiers.evaluate(case, utc(10)).choice
        assert (choice.policy, choice.index, choice.rejected) == (
            "standard",
            1,
            ("vip",),
        )
        assert choice.explain().splitlines() == [
            (
                "policy 'standard' (policies[1]) applies, chosen at "
                "2024-03-04T09:00:00+00:00; did not match: 'vip'"
            ),
            "policy 'vip':",
            "no   case.tags includes_any ['vip']: actual [] (when)",
            "policy 'standard': no condition, every case",
        ]

    def test_no_policy_is_no_sla(self, h):
        """No match: clocks measure without targets and nothing is due."""
        engine = sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="vip",
                    when=VIP_TAG,
                    targets={"normal": {"first_reply": "1h"}},
                )
            ]
        )
        report = engine.evaluate(h.Story().case(), utc(12))
        cycle = report["first_reply"].current
        assert (report.policy, cycle.target_s, cycle.deadline) == (
            None,
            None,
            None,
        )
        assert cycle.state == sc.sla.ClockState.MEASURING
        assert report.next_change_at is None

    def test_selection_happens_at_events_only(self, h):
        """A condition on the case's age is checked at events, not between."""
        old = {"field": "case.age", "op": "gte", "value": "1h"}
        engine = sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="old",
                    when=old,
                    targets={"normal": {"first_reply": "1h"}},
                ),
                sc.sla.SLAPolicy(
                    name="new", targets={"normal": {"first_reply": "4h"}}
                ),
            ]
        )
        quiet = h.Story().case()
        assert engine.evaluate(quiet, utc(12)).policy == "new"
        noted = h.Story().agent_says("2h", public=False).case()
        cycle = engine.evaluate(noted, utc(11, 30))["first_reply"].current
        assert (cycle.policy, cycle.state, cycle.breached_at) == (
            "old",
            sc.sla.ClockState.BREACHED,
            utc(11),
        )


@pytest.fixture(name="berlin", scope="module")
def _berlin() -> sc.BusinessCalendar:
    return sc.BusinessCalendar(
        "Europe/Berlin",
        {"mon-fri": "09:00-17:00"},
        holidays=[sc.calendar.Holiday("12-25", "Christmas Day")],
    )


class TestCalendars:
    def engine(self, calendar, **options):
        """Return a one-policy engine on *calendar*."""
        return sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="office",
                    calendar="office",
                    targets={
                        "normal": {"first_reply": "4h", "next_reply": "2h"}
                    },
                    **options,
                )
            ],
            calendars={"office": calendar},
        )

    def test_a_holiday_inside_a_cycle(self, h, berlin):
        """1h on the 24th, Christmas closed, 3h on the 26th: 12:00 Berlin."""
        start = pendulum.datetime(2024, 12, 24, 16, tz="Europe/Berlin")
        case = h.Story(start).case()
        cycle = (
            self.engine(berlin)
            .evaluate(case, start.add(days=3))["first_reply"]
            .current
        )
        assert cycle.breached_at == pendulum.datetime(
            2024, 12, 26, 12, tz="Europe/Berlin"
        )
        assert cycle.deadline == berlin.add(start, "4h")

    def test_a_dst_change_inside_a_cycle(self, h, berlin):
        """Friday 16:00 CET + 4h business is Monday 12:00 CEST: 67h later."""
        start = pendulum.datetime(2024, 3, 29, 16, tz="Europe/Berlin")
        monday_noon = pendulum.datetime(2024, 4, 1, 12, tz="Europe/Berlin")
        case = h.Story(start).customer_says("0s").case()
        report = self.engine(berlin).evaluate(case, monday_noon)
        cycle = report["first_reply"].current
        assert cycle.breached_at == pendulum.datetime(2024, 4, 1, 10, tz="UTC")
        assert cycle.elapsed_business == pendulum.duration(hours=4)
        # 68 hours on the wall clock, 67 real ones: the clocks went forward.
        assert cycle.elapsed_calendar == pendulum.duration(hours=67)

    def test_a_25_hour_day_counts_25_hours(self, h):
        """On the autumn DST Sunday, 00:00-24:00 Berlin holds 25 real hours."""
        sundays = sc.BusinessCalendar("Europe/Berlin", {"sun": "00:00-24:00"})
        start = pendulum.datetime(2024, 10, 27, 0, tz="Europe/Berlin")
        engine = sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="sunday",
                    calendar="sundays",
                    targets={"normal": {"resolution": "1d"}},
                )
            ],
            calendars={"sundays": sundays},
        )
        cycle = engine.evaluate(h.Story(start).case(), start)[
            "resolution"
        ].current
        assert cycle.deadline == pendulum.datetime(
            2024, 10, 27, 23, tz="Europe/Berlin"
        )
        assert cycle.deadline == start.add(hours=24)

    def test_the_customers_zone(self, h):
        """The same hours in New York: 09:00 EST + 4h is 18:00 UTC."""
        office = sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
        start = utc(14)
        case = h.Story(start, zone="America/New_York").case()
        theirs = self.engine(office, zone="customer").evaluate(case, start)
        ours = self.engine(office).evaluate(case, start)
        assert theirs["first_reply"].current.deadline == utc(18)
        assert ours["first_reply"].current.deadline == utc(10, day=5)

    def test_a_customer_without_a_zone_is_in_utc(self, berlin):
        """No zone given is UTC: Berlin's 09:00-17:00 hours, but in UTC."""
        start = utc(8)  # 09:00 in Berlin, before 09:00 in UTC
        customer = sc.Customer(id="cu-1")
        case = sc.Case(
            id="c-1",
            customer=customer,
            channel="email",
            events=[sc.CaseCreated(case_id="c-1", at=start)],
        )
        engine = self.engine(berlin, zone="customer")
        cycle = engine.evaluate(case, start)["first_reply"].current
        assert customer.time_zone == "UTC"
        assert cycle.deadline == utc(13)
        assert engine.clock_for(cycle, case) is berlin.in_zone("UTC")
        ours = self.engine(berlin).evaluate(case, start)
        assert ours["first_reply"].current.deadline == utc(12)

    def test_calendar_time_ignores_the_calendar(self, h, berlin):
        """A calendar basis counts every second, whatever the hours."""
        start = pendulum.datetime(2024, 3, 29, 16, tz="Europe/Berlin")
        engine = self.engine(
            berlin, metrics={"first_reply": {"basis": "calendar"}}
        )
        cycle = engine.evaluate(h.Story(start).case(), start)[
            "first_reply"
        ].current
        assert (cycle.deadline, cycle.basis) == (
            start.add(hours=4),
            "calendar",
        )

    def test_next_change_is_the_deadline_across_a_weekend(self, h, berlin):
        """On Friday evening the next wake-up is Monday's deadline."""
        start = pendulum.datetime(2024, 3, 8, 16, tz="Europe/Berlin")
        report = self.engine(berlin).evaluate(
            h.Story(start).case(), start.add(hours=2)
        )
        assert report.next_change_at == pendulum.datetime(
            2024, 3, 11, 12, tz="Europe/Berlin"
        )


class TestReport:
    def test_a_moment_before_the_case_is_refused_as_state_at_does(
        self, h, tiers
    ):
        """Before creation the case has no state: the same ModelError."""
        case = h.Story().case()
        with pytest.raises(sc.errors.ModelError) as state:
            case.state_at(utc(8))
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^at: 2024-03-04T08:00:00\+00:00 is before the case was "
            r"created at 2024-03-04T09:00:00\+00:00$",
        ) as report:
            tiers.evaluate(case, utc(8))
        assert (report.value.location, report.value.problem) == (
            state.value.location,
            state.value.problem,
        )
        with pytest.raises(sc.errors.ModelError, match=r"^at: "):
            tiers.evaluate_s(case, case.created_at_s - 1)

    def test_the_creation_instant_is_evaluated(self, h, tiers):
        """At the creation instant itself, first_reply has just started."""
        report = tiers.evaluate(h.Story().case(), utc(9))
        assert report["first_reply"].state == sc.sla.ClockState.ACTIVE

    def test_naive_moments_are_refused(self, h, tiers):
        """evaluate() refuses a naive datetime, naming the argument."""
        naive = pendulum.naive(2024, 3, 4, 10)
        with pytest.raises(
            sc.errors.NaiveDatetimeError, match=r"^at: naive datetime"
        ):
            tiers.evaluate(h.Story().case(), naive)

    def test_some_metrics_only(self, h, tiers):
        """metrics= reports those metrics and refuses an unknown one."""
        case = h.Story().case()
        report = tiers.evaluate(case, utc(10), metrics=["first_reply"])
        assert list(report.metrics) == ["first_reply"]
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^metrics: unknown metric 'first_replies'; did you mean "
            r"'first_reply'",
        ):
            tiers.evaluate(case, utc(10), metrics=["first_replies"])
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^metrics: expected metric names, got the string "
            r"'first_reply'; write \['first_reply'\]$",
        ):
            tiers.evaluate(case, utc(10), metrics="first_reply")

    def test_unknown_metric_in_a_policy(self):
        """A policy built in code with an unknown metric fails at the engine."""
        policy = sc.sla.SLAPolicy(
            name="a", targets={"low": {"first_replies": "1h"}}
        )
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"did you mean 'first_reply'"
        ):
            sc.SLAEngine([policy])


class TestLongTargets:
    def test_a_52000_week_target_in_24x7_time(self, h):
        """Deadline and warning of a 52000-week target, by arithmetic."""
        engine = h.engine(
            h.policy(
                {"normal": {"first_reply": "52000w"}},
                metrics={"first_reply": {"warnings": [0.5]}},
            )
        )
        report = engine.evaluate(h.Story().case(), utc(10))
        week = 7 * 24 * H
        cycle = report["first_reply"].current
        assert cycle.deadline_s == h.Story().s("0s") + 52_000 * week
        assert report.next_change_at_s == h.Story().s("0s") + 26_000 * week

    def test_a_deadline_past_the_year_9999_is_refused(self, h):
        """3,000,000 days from 2024 pass 9999-12-31: CalendarError at once."""
        engine = h.engine(h.policy({"normal": {"first_reply": "3000000d"}}))
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^seconds: 3000000d after 2024-03-04T09:00:00\+00:00 is "
            r"past 9999-12-31T23:59:59 UTC, the latest supported moment$",
        ):
            engine.evaluate(h.Story().case(), utc(10))


class TestCustomMetric:
    def test_an_integrator_adds_a_metric(self, h):
        """A metric defined in code runs with the built-ins."""
        first_touch = sc.sla.MetricDefinition(
            name="first_touch",
            starts=lambda s: s.kind == sc.EventKind.CREATED,
            stops=lambda s: s.kind == sc.EventKind.MESSAGE,
            once=True,
        )
        engine = sc.SLAEngine(
            [
                sc.sla.SLAPolicy(
                    name="a", targets={"normal": {"first_touch": "30m"}}
                )
            ],
            metrics=[first_touch],
        )
        case = h.Story().agent_says("20m", public=False).case()
        cycle = engine.evaluate(case, utc(10))["first_touch"].current
        assert (cycle.state, cycle.stopped_at) == (
            sc.sla.ClockState.ACHIEVED,
            utc(9, 20),
        )

    def test_a_pause_status_cannot_be_a_stop_status(self):
        """A definition pausing in solved is refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match="'solved' is a stop status"
        ):
            sc.sla.MetricDefinition(
                name="x", starts=lambda _: True, pause_statuses=["solved"]
            )


class TestMetricPlugins:
    @staticmethod
    def first_touch() -> sc.sla.MetricDefinition:
        """Creation to any agent message, even an internal note."""
        return sc.sla.MetricDefinition(
            name="first_touch",
            starts=lambda s: s.kind == sc.EventKind.CREATED,
            stops=lambda s: (
                s.kind == sc.EventKind.MESSAGE
                and s.event.interaction.author_kind == sc.AuthorKind.AGENT
            ),
            once=True,
        )

    def test_a_plugin_adds_a_metric(self, h):
        """A plugin registers a metric; policies name it; the engine runs it."""
        metric = self.first_touch()

        @sc.plugin(api_version=1)
        def register(registry):
            registry.add("sla_metric", metric)

        registry = sc.Registry()
        registry.load_plugin(register, name="first-touch")
        policies = sc.SLAPolicySet.from_section(
            {
                "policies": [
                    {
                        "name": "all",
                        "targets": {"normal": {"first_touch": "30m"}},
                    }
                ]
            },
            registry=registry,
        )
        engine = sc.SLAEngine(policies, registry=registry)
        case = h.Story().agent_says("40m", public=False).case()
        cycle = engine.evaluate(case, utc(10))["first_touch"].current
        assert (cycle.state, cycle.breached_at, cycle.stopped_at) == (
            sc.sla.ClockState.BREACHED,
            utc(9, 30),
            utc(9, 40),
        )

    def test_a_broken_plugin_leaves_the_registry_unchanged(self):
        """A plugin adding something that is no metric fails, naming itself."""

        @sc.plugin(api_version=1)
        def broken(registry):
            registry.add("sla_metric", self.first_touch())
            registry.add("sla_metric", object())

        registry = sc.Registry()
        with pytest.raises(
            sc.errors.PluginError, match="is not an SLA metric"
        ) as info:
            registry.load_plugin(broken, name="broken-metrics")
        assert info.value.plugin == "broken-metrics"
        assert [m.name for m in sc.sla.sla_metrics(registry)] == [
            m.name for m in sc.sla.BUILTIN_METRICS
        ]

    def test_policies_refuse_metrics_the_registry_lacks(self):
        """Without the plugin, a policy naming its metric fails to load."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"unknown metric 'first_touch'"
        ):
            sc.SLAPolicySet.from_section(
                {
                    "policies": [
                        {
                            "name": "all",
                            "targets": {"normal": {"first_touch": "30m"}},
                        }
                    ]
                }
            )
