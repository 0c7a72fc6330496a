"""Scenario tests: each action kind, quiet hours, plugin actions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from escalation_helpers import Story, level, sla_engine

import servicecore as sc


def _decide(
    *actions: Any,
    priority: str = "normal",
    at: str = "4h",
    calendar: Any = None,
) -> sc.escalation.EscalationDecision:
    story = Story(priority=priority)
    engine = sc.EscalationEngine(
        [
            sc.escalation.EscalationPolicy(
                name="p",
                calendar=calendar,
                levels=[
                    level(
                        sc.escalation.BreachTrigger(metric="first_reply"),
                        *actions,
                    )
                ],
            )
        ],
        sla=sla_engine(first_reply="4h"),
    )
    (decision,) = engine.decide(story.case(), at=story.t(at)).decisions
    return decision


class TestNotify:
    """Notify a person, team or role; quiet hours."""

    def test_now(self) -> None:
        """Without quiet hours a notification is due with the decision."""
        (planned,) = _decide(
            sc.escalation.NotifyAction(to="ops", recipient="team")
        ).actions
        assert (planned.kind, planned.params, planned.held) == (
            "notify",
            {"to": "ops", "recipient": "team"},
            False,
        )
        assert planned.due_at == Story().t("4h")

    def test_held_to_business_hours(self, office: sc.BusinessCalendar) -> None:
        """At 19:00 on Monday, a notification is held to Tuesday 09:00."""
        action = sc.escalation.NotifyAction(to="lead", quiet_hours=office)
        (planned,) = _decide(action, at="10h").actions
        assert planned.held is True
        assert planned.due_at == Story().t("1d")

    def test_urgent_cases_bypass_quiet_hours(
        self, office: sc.BusinessCalendar
    ) -> None:
        """An urgent case notifies at once, unless the action says otherwise."""
        action = sc.escalation.NotifyAction(to="lead", quiet_hours=office)
        (planned,) = _decide(action, at="10h", priority="urgent").actions
        assert (planned.held, planned.due_at) == (False, Story().t("10h"))
        strict = sc.escalation.NotifyAction(
            to="lead", quiet_hours=office, urgent_bypass=False
        )
        (planned,) = _decide(strict, at="10h", priority="urgent").actions
        assert planned.due_at == Story().t("1d")


class TestOtherActions:
    """Assign, priority, tags, customer message."""

    def test_assign(self) -> None:
        """Assign names the agent and the team given."""
        (planned,) = _decide(
            sc.escalation.AssignAction(agent="a-7", team="t2")
        ).actions
        assert planned.params == {"agent": "a-7", "team": "t2"}

    def test_set_and_raise_priority(self) -> None:
        """The planned priority is resolved from the case's priority."""
        set_high, raise_two = _decide(
            sc.escalation.PriorityAction(set_to="high"),
            sc.escalation.PriorityAction(raise_by=2),
        ).actions
        assert set_high.params == {"priority": "high", "previous": "normal"}
        assert raise_two.kind == "raise_priority"
        assert raise_two.params == {"priority": "urgent", "previous": "normal"}

    def test_tags(self) -> None:
        """Tags are listed sorted and normalised."""
        (planned,) = _decide(
            sc.escalation.TagAction(add=["SLA", "at-risk"])
        ).actions
        assert planned.params == {"tags": ["at-risk", "sla"]}

    @pytest.mark.parametrize(
        ("tags", "location", "problem"),
        [
            ([["x"]], "tags[0]", "expected a non-empty tag (text), got ['x']"),
            (
                {"x": 1, "y": False},
                "tags",
                "expected a list of tags, got {'x': 1, 'y': False}",
            ),
            (["a", 1], "tags[1]", "expected a non-empty tag (text), got 1"),
            (
                ["a", " "],
                "tags[1]",
                "expected a non-empty tag (text), got ' '",
            ),
            (7, "tags", "expected a list of tags, got 7"),
            ([], "tags", "give one or more non-empty tags"),
        ],
    )
    def test_bad_tags_are_refused_where_written(
        self, tags: object, location: str, problem: str
    ) -> None:
        """add_tags takes a list of strings; nested lists and tables are refused."""
        where = "escalation.policies[0].levels[0].actions[0]"
        with pytest.raises(
            sc.errors.InvalidValueError, match=rf"^{re.escape(where)}\.tags"
        ) as info:
            sc.EscalationPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "escalation": {
                        "policies": [
                            {
                                "name": "p",
                                "levels": [
                                    {
                                        "name": "tag",
                                        "trigger": {
                                            "since": "created",
                                            "after": "1h",
                                        },
                                        "actions": [
                                            {"do": "add_tags", "tags": tags}
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
        with pytest.raises(
            sc.errors.InvalidValueError, match=rf"^{re.escape(location)}: "
        ):
            sc.escalation.TagAction(add=tags)  # type: ignore[arg-type]

    def test_customer_message(self, office: sc.BusinessCalendar) -> None:
        """Template data is filled in; the promise counts business time."""
        action = sc.escalation.CustomerMessageAction(
            template="delay",
            data={"deadline": "$deadline", "metric": "$metric", "team": "T"},
            expect_reply_within="2h",
        )
        (planned,) = _decide(action, at="7h", calendar=office).actions
        assert planned.params == {
            "template": "delay",
            "data": {
                "deadline": Story().t("4h"),
                "metric": "first_reply",
                "team": "T",
                # Monday 16:00 + 2 business hours = Tuesday 10:00.
                "expected_reply_at": Story().t("1d1h"),
            },
        }


class TestContactWindow:
    """A customer message held to the customer's contact window."""

    def _planned(self, at: str) -> sc.escalation.PlannedAction:
        story = Story()
        story.customer = sc.Customer(id="cu-1", time_zone="Europe/Paris")
        engine = sc.EscalationEngine(
            [
                sc.escalation.EscalationPolicy(
                    name="p",
                    levels=[
                        level(
                            sc.escalation.BreachTrigger(metric="first_reply"),
                            sc.escalation.CustomerMessageAction(
                                template="delay",
                                expect_reply_within="2h",
                                contact_window="08:00-20:00",
                            ),
                        )
                    ],
                )
            ],
            sla=sla_engine(first_reply="4h"),
        )
        (decision,) = engine.decide(story.case(), at=story.t(at)).decisions
        (planned,) = decision.actions
        return planned

    def test_inside_the_window_the_message_is_due_now(self) -> None:
        """At 14:00 in Paris the message goes at once."""
        planned = self._planned("4h")
        assert (planned.held, planned.due_at) == (False, Story().t("4h"))
        assert planned.params["data"] == {"expected_reply_at": Story().t("6h")}

    def test_outside_the_window_the_message_waits(self) -> None:
        """At 20:00 in Paris it waits for 08:00 there (07:00 UTC)."""
        planned = self._planned("10h")
        assert (planned.held, planned.due_at) == (True, Story().t("22h"))
        # The promise counts from when the message goes out.
        assert planned.params["data"] == {"expected_reply_at": Story().t("1d")}

    def test_a_wrong_window_is_refused_where_it_is_written(self) -> None:
        """A document's bad window names the action's path."""
        with pytest.raises(sc.errors.PolicyError) as caught:
            sc.EscalationPolicySet.from_dict(
                {
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
                                            "breached": True,
                                        },
                                        "actions": [
                                            {
                                                "do": "message_customer",
                                                "template": "delay",
                                                "contact_window": "25:00-26:00",
                                            }
                                        ],
                                    }
                                ],
                            }
                        ]
                    },
                }
            )
        assert str(caught.value).startswith(
            "escalation.policies[0].levels[0].actions[0].contact_window:"
        )


class OpenTicket:
    """A plugin action: open a ticket in a tracker."""

    name = "open_ticket"
    description = "open a ticket in the engineering tracker"

    def check(
        self, params: Mapping[str, Any], location: str
    ) -> Mapping[str, Any]:
        """Require a project."""
        if "project" not in params:
            raise sc.errors.InvalidValueError(f"{location}.project", "missing")
        return {"project": str(params["project"]).upper()}


class TestPluginActions:
    """Actions registered through the plugin registry."""

    def test_registered_action_loads_and_is_planned(self) -> None:
        """A plugin adds an action; policies use it with do = its name."""

        @sc.plugin(api_version=1)
        def register(registry: sc.Registry) -> None:
            registry.add("escalation_action", OpenTicket())

        registry = sc.Registry()
        registry.load_plugin(register, name="tracker")
        policies = sc.EscalationPolicySet.from_dict(
            {
                "schema_version": 1,
                "escalation": {
                    "policies": [
                        {
                            "name": "p",
                            "levels": [
                                {
                                    "name": "l1",
                                    "trigger": {
                                        "since": "created",
                                        "after": "1h",
                                    },
                                    "actions": [
                                        {"do": "open_ticket", "project": "sup"}
                                    ],
                                }
                            ],
                        }
                    ]
                },
            },
            registry=registry,
        )
        story = Story()
        (decision,) = (
            sc.EscalationEngine(policies)
            .decide(story.case(), at=story.t("1h"))
            .decisions
        )
        (planned,) = decision.actions
        assert (planned.kind, planned.params) == (
            "open_ticket",
            {"project": "SUP"},
        )

    def test_plugin_check_errors_have_locations(self) -> None:
        """The plugin's own check reports at the action's location."""
        registry = sc.Registry()
        registry.add("escalation_action", OpenTicket())
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^escalation\.policies\[0\]\.levels\[0\]\.actions\[0\]"
            r"\.project: missing",
        ):
            sc.EscalationPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "escalation": {
                        "policies": [
                            {
                                "name": "p",
                                "levels": [
                                    {
                                        "name": "l2",
                                        "trigger": {
                                            "since": "created",
                                            "after": "1h",
                                        },
                                        "actions": [{"do": "open_ticket"}],
                                    }
                                ],
                            }
                        ]
                    },
                },
                registry=registry,
            )

    def test_the_registry_checks_the_protocol(self) -> None:
        """Something that is no action is refused, naming it."""
        with pytest.raises(
            sc.errors.PluginError, match="is not an escalation action"
        ):
            sc.Registry().add("escalation_action", object())
        thing = OpenTicket()
        thing.name = "notify"
        with pytest.raises(
            sc.errors.PluginError, match="is a built-in action"
        ):
            sc.Registry().add("escalation_action", thing)
