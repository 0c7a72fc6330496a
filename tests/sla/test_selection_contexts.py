"""Policy selection shares one context between calendar-free conditions."""

from __future__ import annotations

from pathlib import Path

import pendulum

import servicecore as sc

OFFICE = sc.BusinessCalendar.from_dict(
    {"time_zone": "UTC", "hours": {"mon-fri": "09:00-17:00"}}
)
EXAMPLE = Path(__file__).parents[2] / "examples" / "policies" / "support.toml"
IN_HOURS = {"field": "moment.business_hours", "op": "is", "value": True}
GOLD = {"field": "customer.tier", "op": "is", "value": "gold"}


def _engine() -> sc.SLAEngine:
    targets = {"normal": {"first_reply": "1h"}}
    return sc.SLAEngine(
        [
            sc.sla.SLAPolicy(
                name="gold", when=GOLD, calendar="office", targets=targets
            ),
            sc.sla.SLAPolicy(
                name="office_hours",
                when=IN_HOURS,
                calendar="office",
                targets=targets,
            ),
            sc.sla.SLAPolicy(name="rest", targets=targets),
        ],
        calendars={"office": OFFICE},
    )


def _case(created: pendulum.DateTime, tier: str) -> sc.Case:
    return sc.Case(
        id="c-1",
        customer=sc.Customer(id="u", tier=tier),
        channel="email",
        events=[sc.CaseCreated(case_id="c-1", at=created)],
    )


class TestCalendarConditions:
    def test_a_moment_condition_reads_its_policys_calendar(self):
        """Created at 10:00 on a Monday, the office is open: office_hours."""
        created = pendulum.datetime(2024, 3, 4, 10, tz="UTC")
        report = _engine().evaluate(_case(created, "standard"), created)
        assert (report.policy, report.choice.rejected) == (
            "office_hours",
            ("gold",),
        )

    def test_a_moment_condition_outside_the_calendars_hours(self):
        """Created at 20:00, the office is closed: the fallback applies."""
        created = pendulum.datetime(2024, 3, 4, 20, tz="UTC")
        report = _engine().evaluate(_case(created, "standard"), created)
        assert (report.policy, report.choice.rejected) == (
            "rest",
            ("gold", "office_hours"),
        )

    def test_a_customer_condition_matches_whatever_the_hour(self):
        """A gold customer gets the gold policy, office open or not."""
        engine = _engine()
        policies = [
            engine.evaluate(_case(at, "gold"), at).policy
            for at in (
                pendulum.datetime(2024, 3, 4, 10, tz="UTC"),
                pendulum.datetime(2024, 3, 4, 20, tz="UTC"),
            )
        ]
        assert policies == ["gold", "gold"]


VIP = {"field": "case.tags", "op": "includes_any", "value": ["vip"]}


def _cached_engine() -> sc.SLAEngine:
    targets = {"normal": {"first_reply": "1h"}}
    return sc.SLAEngine(
        [
            sc.sla.SLAPolicy(name="gold", when=GOLD, targets=targets),
            sc.sla.SLAPolicy(name="vip", when=VIP, targets=targets),
            sc.sla.SLAPolicy(name="rest", targets=targets),
        ]
    )


class TestSelectionCache:
    def test_conditions_over_event_driven_fields_are_cached(self):
        """Selections are kept by the values of the fields the policies read."""
        engine = _cached_engine()
        created = pendulum.datetime(2024, 3, 4, 10, tz="UTC")
        engine.evaluate(_case(created, "gold"), created)
        engine.evaluate(_case(created, "standard"), created)
        assert sorted(
            choice[0].name for choice in engine.selections.values()
        ) == [
            "gold",
            "rest",
        ]

    def test_a_cached_selection_is_the_one_computed(self):
        """A case evaluated against a warm cache gets the same report."""
        created = pendulum.datetime(2024, 3, 4, 10, tz="UTC")
        case = _case(created, "standard").append(
            sc.TagsChanged(
                case_id="c-1", at=created.add(hours=1), added={"vip"}
            )
        )
        at = created.add(hours=2)
        engine = _cached_engine()
        cold = engine.evaluate(case, at)
        warm = engine.evaluate(case, at)
        assert cold == warm
        assert (warm.policy, warm.choice.rejected) == ("vip", ("gold",))

    def test_time_dependent_fields_are_not_cached(self):
        """Conditions over the moment are evaluated every time."""
        assert _engine().selection_fields is None

    def test_unhashable_field_values_fall_back_to_evaluation(self):
        """A customer field returning a list is evaluated, not cached."""
        registry = sc.Registry()
        registry.add_field(
            sc.conditions.Field(
                name="customer.labels",
                type=sc.conditions.FieldType.scalar(),
                get=lambda _: ["a"],
                description="labels as a list",
            )
        )
        when = sc.Condition.from_dict(
            {"field": "customer.labels", "op": "present"}, registry=registry
        )
        engine = sc.SLAEngine(
            [sc.sla.SLAPolicy(name="p", when=when, targets={})]
        )
        created = pendulum.datetime(2024, 3, 4, 10, tz="UTC")
        assert engine.evaluate(_case(created, "x"), created).policy == "p"
        assert engine.selections == {}

    def test_the_cache_changes_no_report(self):
        """With and without the cache, 300 cases get equal reports."""
        policies = sc.SLAPolicySet.load(EXAMPLE)
        cached = sc.SLAEngine(policies)
        uncached = sc.SLAEngine(policies)
        uncached.selection_fields = None
        cases = sc.generate_cases(300, seed=11)
        at = max(case.events[-1].at_s for case in cases)
        for case in cases + cases:
            assert cached.evaluate_s(case, at) == uncached.evaluate_s(case, at)
        assert cached.selections
