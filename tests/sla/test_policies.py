"""Loading SLA policies: documents, validation, errors with locations."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

DOCUMENT = """
schema_version = 1

[calendars.support]
time_zone = "Europe/Berlin"
hours = {mon-fri = "09:00-17:00"}

[[sla.policies]]
name = "vip"
when = {field = "customer.tier", op = "is", value = "vip"}
calendar = "support"
zone = "customer"
targets.urgent = {first_reply = "30m", resolution = "4h"}
targets.normal = {first_reply = "2h", resolution = "1d 4h"}
metrics.first_reply = {warnings = [0.75, "15m"], basis = "calendar"}
metrics.resolution = {pause = ["pending"], reopen = "new_cycle", on_target_change = "restart"}

[[sla.policies]]
name = "standard"
targets.normal = {first_reply = "PT4H"}
"""


class TestLoading:
    def test_toml_document(self):
        """A TOML document loads every setting of every policy."""
        policies = sc.SLAPolicySet.from_toml(DOCUMENT)
        vip, standard = policies.policies
        assert (vip.name, vip.calendar, vip.zone) == (
            "vip",
            "support",
            "customer",
        )
        assert vip.target("normal", "resolution") == 28 * 3600
        assert vip.target("low", "resolution") is None
        settings = vip.metrics["resolution"]
        assert settings.pause == frozenset({sc.CaseStatus.PENDING})
        assert settings.reopen == sc.sla.ReopenRule.NEW_CYCLE
        assert settings.on_target_change == sc.sla.TargetChangeRule.RESTART
        first = vip.metrics["first_reply"]
        assert [w.label for w in first.warnings] == ["75%", "15m before"]
        assert first.basis == sc.sla.ClockBasis.CALENDAR
        assert standard.is_catch_all
        assert standard.target("normal", "first_reply") == 4 * 3600

    def test_json_document(self):
        """JSON documents load like TOML ones."""
        document = {
            "schema_version": 1,
            "sla": {
                "policies": [
                    {"name": "a", "targets": {"high": {"next_reply": "1h"}}}
                ]
            },
        }
        policies = sc.SLAPolicySet.from_json(json.dumps(document))
        assert policies.policies[0].target("high", "next_reply") == 3600

    def test_file(self, tmp_path):
        """load() reads a .toml file through the shared loader."""
        path = tmp_path / "sla.toml"
        path.write_text(DOCUMENT)
        assert [p.name for p in sc.SLAPolicySet.load(path)] == [
            "vip",
            "standard",
        ]

    def test_a_document_without_sla_has_no_policies(self):
        """No [sla] section is an empty set: no case has an SLA."""
        assert len(sc.SLAPolicySet.from_dict({"schema_version": 1})) == 0

    def test_the_schema_version_is_required(self):
        """The shared loader refuses a document without schema_version."""
        with pytest.raises(
            sc.errors.PolicySyntaxError, match=r"^schema_version: missing"
        ):
            sc.SLAPolicySet.from_dict({"sla": {"policies": []}})


def problems(section):
    """Return (location, problem) of every error loading *section*."""
    with pytest.raises(sc.errors.PolicyError) as info:
        sc.SLAPolicySet.from_section(section)
    err = info.value
    found = (
        err.errors
        if isinstance(err, sc.errors.PolicyValidationError)
        else (err,)
    )
    return [(e.location, e.problem) for e in found]


class TestErrors:
    def test_a_priority_that_does_not_exist(self):
        """A target for an unknown priority names it and suggests one."""
        assert problems(
            {
                "policies": [
                    {"name": "a", "targets": {"hgh": {"first_reply": "1h"}}}
                ]
            }
        ) == [
            (
                "sla.policies[0].targets.hgh",
                (
                    "'hgh' is not a priority; did you mean 'high'?; "
                    "priorities are low, normal, high, urgent"
                ),
            )
        ]

    def test_an_unreachable_policy(self):
        """A policy after a catch-all can never apply."""
        assert problems(
            {
                "policies": [
                    {"name": "all", "when": {"all": []}},
                    {
                        "name": "vip",
                        "when": {
                            "field": "customer.tier",
                            "op": "is",
                            "value": "vip",
                        },
                    },
                ]
            }
        ) == [
            (
                "sla.policies[1]",
                (
                    "policy 'vip' is unreachable: policy 'all' (policies[0]) "
                    "before it has no condition and matches every case"
                ),
            )
        ]

    @pytest.mark.parametrize("status", ["solved", "closed"])
    def test_a_pause_status_that_is_the_stop_status(self, status):
        """Pausing in solved or closed is refused."""
        assert problems(
            {
                "policies": [
                    {
                        "name": "a",
                        "metrics": {
                            "resolution": {"pause": ["pending", status]}
                        },
                    }
                ]
            }
        ) == [
            (
                "sla.policies[0].metrics.resolution.pause[1]",
                (
                    f"'{status}' is the stop status of every metric; "
                    "a clock cannot pause there"
                ),
            )
        ]

    def test_every_problem_is_reported_together(self):
        """Several mistakes in one document come back in document order."""
        found = problems(
            {
                "policy": [],
                "policies": [
                    {
                        "name": "",
                        "zone": "customers",
                        "targets": {
                            "normal": {
                                "first_replies": "4h",
                                "resolution": "0s",
                            }
                        },
                        "metrics": {
                            "resolution": {
                                "reopen": "resum",
                                "warnings": [1.5],
                                "pauses": [],
                            },
                        },
                        "when": {
                            "field": "case.prority",
                            "op": "is",
                            "value": "high",
                        },
                    },
                    {"name": "b", "calendar": 7},
                ],
            }
        )
        assert found == [
            ("sla.policy", "unknown key 'policy'; did you mean 'policies'?"),
            ("sla.policies[0].name", "a policy needs a non-empty name"),
            (
                "sla.policies[0].when.field",
                "unknown field 'case.prority'; did you mean 'case.priority'?",
            ),
            (
                "sla.policies[0].zone",
                (
                    "'customers' is not a zone rule; did you mean 'customer'?; "
                    "use 'calendar' or 'customer'"
                ),
            ),
            (
                "sla.policies[0].targets.normal.resolution",
                "a target must be above 0s",
            ),
            (
                "sla.policies[0].targets.normal.first_replies",
                "unknown metric 'first_replies'; did you mean 'first_reply'?",
            ),
            (
                "sla.policies[0].metrics.resolution.reopen",
                (
                    "'resum' is not a reopen rule; did you mean 'resume'?; "
                    "use one of resume, first_close, new_cycle"
                ),
            ),
            (
                "sla.policies[0].metrics.resolution.warnings[0]",
                (
                    "a warning fraction must be between 0 and 1 "
                    "(0.75 is 75 %), got 1.5"
                ),
            ),
            (
                "sla.policies[0].metrics.resolution.pauses",
                "unknown key 'pauses'; did you mean 'pause'?",
            ),
            (
                "sla.policies[1].calendar",
                "expected a calendar name, '24x7' or an inline calendar table",
            ),
        ]

    def test_duplicate_names(self):
        """Two policies of one name are refused."""
        assert problems(
            {
                "policies": [
                    {
                        "name": "a",
                        "when": {
                            "field": "customer.tier",
                            "op": "is",
                            "value": "vip",
                        },
                    },
                    {"name": "a"},
                ]
            }
        ) == [
            (
                "sla.policies[1].name",
                "duplicate policy name 'a' (also policies[0])",
            )
        ]

    def test_a_target_longer_than_the_time_range_is_refused(self):
        """A target no clock could ever use up is refused where it stands."""
        longest = 315_537_897_599  # 0001-01-01 to 9999-12-31T23:59:59
        never = "can never be met: it is longer than the supported time range"
        assert problems(
            {
                "policies": [
                    {
                        "name": "a",
                        "targets": {
                            "normal": {"first_reply": "999999999d"},
                            "high": {
                                "first_reply": longest,
                                "resolution": longest + 1,
                            },
                        },
                    }
                ]
            }
        ) == [
            (
                "sla.policies[0].targets.normal.first_reply",
                (
                    "duration '999999999d' is longer than the span of supported "
                    "moments (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z); the "
                    "longest is '3652058d 23h 59m 59s'"
                ),
            ),
            (
                "sla.policies[0].targets.high.resolution",
                f"3652059d {never} (0001-01-01 to 9999-12-31 UTC)",
            ),
        ]
        policy = sc.sla.SLAPolicy(
            name="a", targets={"high": {"first_reply": longest}}
        )
        assert policy.target("high", "first_reply") == longest

    def test_an_unknown_calendar_is_refused_by_the_engine(self):
        """The engine checks calendar names against the calendars it has."""
        policies = sc.SLAPolicySet(
            [sc.sla.SLAPolicy(name="a", calendar="suport")]
        )
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.SLAEngine(
                policies, calendars={"support": sc.BusinessCalendar.always()}
            )
        assert (info.value.location, info.value.problem) == (
            "sla.policies[0].calendar",
            "unknown calendar 'suport'; did you mean 'support'?; known: support",
        )

    def test_the_document_errors_reach_the_shared_loader(self):
        """Through PolicyDocument, locations keep the sla prefix."""
        with pytest.raises(sc.errors.PolicyError) as info:
            sc.SLAPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "sla": {
                        "policies": [
                            {
                                "name": "a",
                                "targets": {
                                    "normal": {"first_reply": "4 hrs"}
                                },
                            }
                        ]
                    },
                }
            )
        assert (
            info.value.location == "sla.policies[0].targets.normal.first_reply"
        )


class TestThresholds:
    @pytest.mark.parametrize(
        ("value", "target", "consumed"),
        [
            (0.75, 3600, 2700),
            (0.9, 100, 90),
            (0.333, 10, 4),
            ("30m", 3600, 1800),
            ("2h", 3600, 0),
        ],
    )
    def test_consumed_for(self, value, target, consumed):
        """A threshold is crossed at the first whole second at or past it."""
        assert (
            sc.sla.SLAThreshold.parse(value).consumed_for(target) == consumed
        )

    @pytest.mark.parametrize(
        "value", [0, 1, 1.0, -0.5, "0s", True, None, "soon"]
    )
    def test_bad_values(self, value):
        """Fractions outside (0, 1), zero durations and non-values are refused."""
        with pytest.raises(sc.errors.PolicyError):
            sc.sla.SLAThreshold.parse(value, "w")


class TestExamplePolicies:
    def test_the_support_team_example_loads_and_runs(self):
        """examples/policies/support.toml loads and evaluates generated cases."""
        path = (
            Path(__file__).parents[2]
            / "examples"
            / "policies"
            / "support.toml"
        )
        policies = sc.SLAPolicySet.load(path)
        assert len(policies) == 11
        assert sorted(policies.calendars) == [
            "americas",
            "emea",
            "follow_the_sun",
        ]
        engine = sc.SLAEngine(policies)
        cases = sc.generate_cases(40, seed=3)
        at_s = max(c.events[-1].at_s for c in cases)
        reports = [engine.evaluate_s(case, at_s) for case in cases]
        assert all(report.policy is not None for report in reports)
        assert any(report.cycles for report in reports)


class TestInlineCalendars:
    def test_a_policy_with_its_own_calendar(self, h):
        """An inline calendar table is built and used for the policy's targets."""
        policies = sc.SLAPolicySet.from_section(
            {
                "policies": [
                    {
                        "name": "office",
                        "calendar": {
                            "time_zone": "UTC",
                            "hours": {"mon-fri": "09:00-17:00"},
                        },
                        "targets": {"normal": {"first_reply": "2h"}},
                    }
                ]
            }
        )
        friday = h.MONDAY.add(days=4, hours=7)  # Friday 16:00 UTC
        report = sc.SLAEngine(policies).evaluate(
            h.Story(friday).case(), friday
        )
        assert report["first_reply"].current.deadline == h.MONDAY.add(
            days=7, hours=1
        )

    def test_calendar_errors_keep_their_location(self):
        """A bad inline calendar is reported at its path in the document."""
        assert problems(
            {
                "policies": [
                    {
                        "name": "a",
                        "calendar": {
                            "time_zone": "Europe/Berlin",
                            "hours": {"mon": "25:00-26:00"},
                        },
                    }
                ]
            }
        ) == [
            (
                "sla.policies[0].calendar.hours.mon[0]",
                "time '25:00' is out of range 00:00-23:59",
            )
        ]

    def test_set_calendars_are_named_by_policies(self):
        """Calendars defined in the section are available by name."""
        policies = sc.SLAPolicySet.from_section(
            {
                "calendars": {
                    "office": {
                        "time_zone": "UTC",
                        "hours": {"mon-fri": "09:00-17:00"},
                    }
                },
                "policies": [{"name": "a", "calendar": "office"}],
            }
        )
        engine = sc.SLAEngine(policies)
        assert engine.calendars["office"] is policies.calendars["office"]


KEYS = st.sampled_from(
    [
        "name",
        "when",
        "calendar",
        "zone",
        "targets",
        "metrics",
        "normal",
        "first_reply",
        "pause",
        "warnings",
        "reopen",
        "basis",
        "x",
    ]
)
LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [
            "4h",
            "0s",
            "30m",
            "x",
            "pending",
            "solved",
            "vip",
            "24x7",
            "customer",
            "resume",
        ]
    )
)
NESTED = (
    LEAF | st.lists(LEAF, max_size=3) | st.dictionaries(KEYS, LEAF, max_size=4)
)
JSON = (
    NESTED
    | st.lists(NESTED, max_size=3)
    | st.dictionaries(KEYS, NESTED, max_size=4)
)
POLICY = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.sampled_from(["a", "b", ""]), JSON),
        "when": JSON,
        "calendar": JSON,
        "zone": JSON,
        "targets": st.dictionaries(
            st.sampled_from(["low", "normal", "hgh", "urgent"]),
            JSON,
            max_size=3,
        )
        | JSON,
        "metrics": st.dictionaries(
            st.sampled_from(["first_reply", "resolution", "nope"]),
            JSON,
            max_size=3,
        )
        | JSON,
    },
)


@settings(max_examples=300)
@given(
    section=st.fixed_dictionaries(
        {"policies": st.lists(POLICY, max_size=3)},
        optional={"calendars": JSON},
    )
    | JSON
)
def test_the_loader_raises_only_servicecore_errors(section):
    """Whatever the document, loading succeeds or raises a PolicyError."""
    with contextlib.suppress(sc.errors.PolicyError):
        sc.SLAPolicySet.from_section(section)
