"""Policy selection shares one context between calendar-free conditions."""

from __future__ import annotations

import pendulum

import servicecore as sc

OFFICE = sc.BusinessCalendar.from_dict(
    {"time_zone": "UTC", "hours": {"mon-fri": "09:00-17:00"}}
)
IN_HOURS = {"field": "moment.business_hours", "op": "is", "value": True}
GOLD = {"field": "customer.tier", "op": "is", "value": "gold"}


def _engine() -> sc.SLAEngine:
    targets = {"normal": {"first_reply": "1h"}}
    return sc.SLAEngine(
        [
            sc.SLAPolicy(
                name="gold", when=GOLD, calendar="office", targets=targets
            ),
            sc.SLAPolicy(
                name="office_hours",
                when=IN_HOURS,
                calendar="office",
                targets=targets,
            ),
            sc.SLAPolicy(name="rest", targets=targets),
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
