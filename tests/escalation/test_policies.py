"""Loading escalation policies from TOML, JSON and dicts."""

from __future__ import annotations

import contextlib
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

TOML = """
schema_version = 1

[escalation.calendars.office]
time_zone = "UTC"
hours = {mon-fri = "09:00-17:00"}

[[escalation.policies]]
name = "stale"
calendar = "office"
scope = "case"

[[escalation.policies.levels]]
name = "owner"
trigger = {since = "last_agent_reply", after = "4h"}
actions = [
  {do = "notify", to = "owner", recipient = "role", quiet_hours = "office"},
  {do = "add_tags", tags = ["stale"]},
]

[[escalation.policies.levels]]
name = "review"
trigger = {when = {field = "case.reopen_count", op = "gte", value = 2}}
actions = [{do = "raise_priority", by = 1}]
"""


class TestLoad:
    """Documents load into policy sets."""

    def test_toml(self) -> None:
        """A TOML document gives its policies, levels and calendars."""
        policies = sc.EscalationPolicySet.from_toml(TOML)
        (policy,) = policies
        assert (policy.name, policy.scope, policy.calendar) == (
            "stale",
            sc.escalation.EscalationScope.CASE,
            "office",
        )
        assert [lv.trigger.kind for lv in policy.levels] == [
            "elapsed",
            "condition",
        ]
        assert policy.levels[0].actions == (
            sc.escalation.NotifyAction(
                to="owner", recipient="role", quiet_hours="office"
            ),
            sc.escalation.TagAction(add=["stale"]),
        )
        assert sorted(policies.calendars) == ["office"]
        sc.EscalationEngine(policies)

    def test_json_equals_dict(self) -> None:
        """JSON and dict documents give the same policies."""
        document = {
            "schema_version": 1,
            "escalation": {
                "policies": [
                    {
                        "name": "p",
                        "levels": [
                            {
                                "name": "l0",
                                "trigger": {
                                    "metric": "first_reply",
                                    "consumed": "30m",
                                },
                                "actions": [{"do": "assign", "team": "t2"}],
                            }
                        ],
                    }
                ]
            },
        }
        from_json = sc.EscalationPolicySet.from_json(json.dumps(document))
        assert from_json == sc.EscalationPolicySet.from_dict(document)
        (level,) = from_json.policies[0].levels
        assert level.trigger == sc.escalation.ThresholdTrigger(
            metric="first_reply", threshold="30m"
        )

    def test_toml_and_json_of_the_example_agree(self) -> None:
        """The example file loads equal from TOML and from its JSON twin."""
        example = (
            Path(__file__).parents[2]
            / "examples"
            / "escalation"
            / "policies.toml"
        )
        text = example.read_text()
        from_toml = sc.EscalationPolicySet.from_toml(text)
        twin = json.dumps(tomllib.loads(text))
        assert sc.EscalationPolicySet.from_json(twin) == from_toml
        other = twin.replace('"vip"', '"gold"')
        assert sc.EscalationPolicySet.from_json(other) != from_toml

    def test_file(self, tmp_path: object) -> None:
        """load() reads a file through the shared loader."""
        path = tmp_path / "policies.toml"  # type: ignore[operator]
        path.write_text(TOML)
        assert len(sc.EscalationPolicySet.load(path)) == 1


class TestErrors:
    """Every problem, with its location, all together."""

    def test_all_problems_together(self) -> None:
        """Keys, triggers and actions are each checked and located."""
        document = {
            "schema_version": 1,
            "escalation": {
                "policies": [
                    {
                        "name": "p",
                        "levls": [],
                        "levels": [
                            {
                                "name": "l1",
                                "trigger": {
                                    "metric": "first_replly",
                                    "breached": True,
                                },
                                "actions": [{"do": "notify"}],
                            },
                            {
                                "name": "l2",
                                "trigger": {
                                    "since": "status",
                                    "after": "3 days",
                                },
                                "actions": [
                                    {"do": "set_priority", "priority": "hgh"}
                                ],
                            },
                            {
                                "name": "l3",
                                "trigger": {
                                    "when": {
                                        "field": "case.prio",
                                        "op": "is",
                                        "value": 1,
                                    }
                                },
                                "actions": [],
                            },
                        ],
                    },
                    {
                        "name": "p",
                        "levels": [
                            {
                                "name": "l4",
                                "trigger": {},
                                "actions": [{"do": "add_tags", "tag": "x"}],
                            }
                        ],
                    },
                ]
            },
        }
        with pytest.raises(sc.errors.PolicyValidationError) as info:
            sc.EscalationPolicySet.from_dict(document)
        found = [(e.location, type(e).__name__) for e in info.value.errors]
        where = "escalation.policies[0]"
        assert found == [
            (f"{where}.levls", "PolicySyntaxError"),
            (f"{where}.levels[0].trigger.metric", "InvalidValueError"),
            (f"{where}.levels[0].actions[0].to", "PolicySyntaxError"),
            (f"{where}.levels[1].trigger.after", "InvalidValueError"),
            (f"{where}.levels[1].actions[0].priority", "InvalidValueError"),
            (f"{where}.levels[2].trigger.when.field", "UnknownFieldError"),
            (f"{where}.levels[2].actions", "PolicySyntaxError"),
            ("escalation.policies[1].levels[0].trigger", "PolicySyntaxError"),
            (
                "escalation.policies[1].levels[0].actions[0].tag",
                "PolicySyntaxError",
            ),
        ]

    def test_level_names_are_required_and_unique(self) -> None:
        """A level needs a name of its own within its policy, located if not."""
        trigger = {"since": "created", "after": "1h"}
        actions = [{"do": "notify", "to": "lead"}]
        document = {
            "schema_version": 1,
            "escalation": {
                "policies": [
                    {
                        "name": "p",
                        "levels": [
                            {
                                "name": "lead",
                                "trigger": trigger,
                                "actions": actions,
                            },
                            {"trigger": trigger, "actions": actions},
                            {
                                "name": " ",
                                "trigger": trigger,
                                "actions": actions,
                            },
                            {
                                "name": "lead",
                                "trigger": trigger,
                                "actions": actions,
                            },
                        ],
                    },
                    {
                        "name": "q",
                        "levels": [
                            {
                                "name": "lead",
                                "trigger": trigger,
                                "actions": actions,
                            }
                        ],
                    },
                ]
            },
        }
        with pytest.raises(sc.errors.PolicyValidationError) as info:
            sc.EscalationPolicySet.from_dict(document)
        where = "escalation.policies[0].levels"
        assert [
            (e.location, type(e).__name__, e.problem)
            for e in info.value.errors
        ] == [
            (
                f"{where}[1].name",
                "PolicySyntaxError",
                (
                    "missing: a level needs a non-empty name, unique within "
                    "its policy"
                ),
            ),
            (
                f"{where}[2].name",
                "InvalidValueError",
                "a level needs a non-empty name, unique within its policy",
            ),
            (
                f"{where}[3].name",
                "InvalidValueError",
                (
                    "duplicate level name 'lead' (also levels[0]); dedupe "
                    "keys name levels, so names are unique within a policy"
                ),
            ),
        ]

    def test_policy_names_are_unique(self) -> None:
        """Two policies of one name are refused at the second one's name."""
        policy = {
            "name": "p",
            "levels": [
                {
                    "name": "lead",
                    "trigger": {"since": "created", "after": "1h"},
                    "actions": [{"do": "notify", "to": "lead"}],
                }
            ],
        }
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^escalation\.policies\[1\]\.name: duplicate policy name 'p'",
        ) as info:
            sc.EscalationPolicySet.from_dict(
                {"schema_version": 1, "escalation": {"policies": [policy] * 2}}
            )
        assert info.value.location == "escalation.policies[1].name"

    def test_level_names_in_python(self) -> None:
        """The constructors refuse an empty level name and a repeated one."""
        trigger = sc.escalation.ElapsedTrigger(since="created", after="1h")
        actions = [sc.escalation.NotifyAction(to="lead")]
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^name: "
        ) as info:
            sc.escalation.EscalationLevel(
                name="", trigger=trigger, actions=actions
            )
        assert info.value.location == "name"
        lead = sc.escalation.EscalationLevel(
            name="lead", trigger=trigger, actions=actions
        )
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^levels\[1\]\.name: duplicate level",
        ) as info:
            sc.escalation.EscalationPolicy(name="p", levels=[lead, lead])
        assert info.value.location == "levels[1].name"

    def test_syntax_error_has_the_line(self) -> None:
        """Broken TOML names the line and column."""
        with pytest.raises(sc.errors.PolicySyntaxError, match=r"^<string>:2:"):
            sc.EscalationPolicySet.from_toml(
                "schema_version = 1\n[escalation\n"
            )

    def test_loader_raises_only_our_errors(self) -> None:
        """Odd shapes give PolicyError, never a TypeError or KeyError."""
        for section in (
            [],
            {"policies": {}},
            {"policies": [1]},
            {"policies": [{"name": "p", "levels": [1]}]},
            {
                "policies": [
                    {"name": "p", "levels": [{"trigger": 1, "actions": [1]}]}
                ]
            },
            {
                "policies": [
                    {
                        "name": "p",
                        "levels": [
                            {
                                "name": "l5",
                                "trigger": {"since": "x", "after": []},
                                "actions": [{"do": 1}],
                            }
                        ],
                    }
                ]
            },
            {"calendars": {"x": 1}},
        ):
            with pytest.raises(sc.errors.PolicyError):
                sc.EscalationPolicySet.from_dict(
                    {"schema_version": 1, "escalation": section}
                )


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10),
    st.floats(-1, 2, allow_nan=False),
    st.sampled_from(
        [
            "",
            "4h",
            "x",
            "first_reply",
            "notify",
            "status",
            "pending",
            "created",
            "case",
            "cycle",
            "urgent",
        ]
    ),
)
_KEYS = st.sampled_from(
    [
        "name",
        "when",
        "scope",
        "calendar",
        "levels",
        "trigger",
        "actions",
        "do",
        "to",
        "metric",
        "consumed",
        "breached",
        "since",
        "after",
        "status",
        "statuses",
        "pause",
        "check_every",
        "tags",
        "priority",
        "by",
        "template",
        "data",
        "field",
        "op",
        "value",
        "policies",
        "calendars",
    ]
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300)
@given(section=_DOCUMENTS)
def test_any_section_raises_only_policy_errors(section: object) -> None:
    """Whatever the [escalation] section holds, loading it fails cleanly."""
    with contextlib.suppress(sc.errors.PolicyError):
        sc.EscalationPolicySet.from_dict(
            {"schema_version": 1, "escalation": section}
        )
