"""The sla.<metric>.* condition fields."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc


@pytest.fixture(name="registry", scope="module")
def _registry() -> sc.Registry:
    engine = sc.SLAEngine(
        [
            sc.sla.SLAPolicy(
                name="all",
                targets={"normal": {"first_reply": "4h", "next_reply": "1h"}},
            )
        ]
    )
    registry = sc.Registry()
    engine.add_fields(registry)
    return registry


def holds(registry, clause, case, at):
    """Return whether the one-clause condition holds for *case* at *at*."""
    condition = sc.Condition.from_dict(clause, registry=registry)
    return condition(sc.EvaluationContext(case, at=at))


class TestSLAFields:
    def test_every_metric_has_four_fields(self, registry):
        """state, consumed, remaining and breached for each tracked metric."""
        names = [n for n in registry.field_names() if n.startswith("sla.")]
        assert names == [
            "sla.first_reply.breached",
            "sla.first_reply.consumed",
            "sla.first_reply.remaining",
            "sla.first_reply.state",
            "sla.next_reply.breached",
            "sla.next_reply.consumed",
            "sla.next_reply.remaining",
            "sla.next_reply.state",
        ]

    @pytest.mark.parametrize(
        ("clause", "hours", "expected"),
        [
            (
                {
                    "field": "sla.first_reply.state",
                    "op": "is",
                    "value": "active",
                },
                1,
                True,
            ),
            (
                {
                    "field": "sla.first_reply.state",
                    "op": "is",
                    "value": "breached",
                },
                5,
                True,
            ),
            (
                {
                    "field": "sla.first_reply.breached",
                    "op": "is",
                    "value": True,
                },
                3,
                False,
            ),
            (
                {
                    "field": "sla.first_reply.breached",
                    "op": "is",
                    "value": True,
                },
                4,
                True,
            ),
            (
                {
                    "field": "sla.first_reply.consumed",
                    "op": "gte",
                    "value": 0.75,
                },
                3,
                True,
            ),
            (
                {
                    "field": "sla.first_reply.remaining",
                    "op": "lt",
                    "value": "30m",
                },
                3,
                False,
            ),
            (
                {
                    "field": "sla.first_reply.remaining",
                    "op": "lte",
                    "value": "1h",
                },
                3,
                True,
            ),
            (
                {
                    "field": "sla.next_reply.state",
                    "op": "is",
                    "value": "not_started",
                },
                1,
                True,
            ),
            ({"field": "sla.next_reply.remaining", "op": "present"}, 1, False),
        ],
    )
    def test_values(self, h, registry, clause, hours, expected):
        """The fields read the engine's report of the context's case."""
        case = h.Story().customer_says("0s").case()
        at = h.MONDAY + pendulum.duration(hours=hours)
        assert holds(registry, clause, case, at) is expected

    @pytest.mark.parametrize(
        ("clause", "expected"),
        [
            (
                {
                    "field": "sla.first_reply.state",
                    "op": "is",
                    "value": "measured",
                },
                True,
            ),
            (
                {
                    "field": "sla.first_reply.state",
                    "op": "is",
                    "value": "achieved",
                },
                False,
            ),
            (
                {
                    "field": "sla.next_reply.state",
                    "op": "is",
                    "value": "measuring",
                },
                True,
            ),
            ({"field": "sla.next_reply.consumed", "op": "present"}, False),
            (
                {
                    "field": "sla.next_reply.breached",
                    "op": "is",
                    "value": True,
                },
                False,
            ),
        ],
    )
    def test_a_clock_without_a_target_is_not_achieved(
        self, h, registry, clause, expected
    ):
        """At low (no target): first_reply measured, next_reply measuring."""
        case = (
            h.Story(priority="low").agent_says("1h").customer_says("2h").case()
        )
        at = h.MONDAY + pendulum.duration(hours=30)
        assert holds(registry, clause, case, at) is expected

    def test_before_the_case_was_created_as_case_fields(self, h, registry):
        """Before creation, sla fields refuse the moment as case fields do."""
        case = h.Story().case()
        before = h.MONDAY.subtract(hours=1)
        clauses = [
            {"field": "case.priority", "op": "is", "value": "normal"},
            {"field": "sla.first_reply.state", "op": "is", "value": "active"},
        ]
        problems = []
        for clause in clauses:
            with pytest.raises(sc.errors.ModelError) as info:
                holds(registry, clause, case, before)
            problems.append((info.value.location, info.value.problem))
        assert problems[0] == problems[1]
        assert problems[1] == (
            "at",
            (
                "2024-03-04T08:00:00+00:00 is before the case was created at "
                "2024-03-04T09:00:00+00:00"
            ),
        )

    def test_one_evaluation_per_context(self, h, registry):
        """Several sla fields in one context evaluate the case once."""
        case = h.Story().case()
        context = sc.EvaluationContext(case, at=h.MONDAY.add(hours=1))
        condition = sc.Condition.from_dict(
            {
                "all": [
                    {
                        "field": "sla.first_reply.state",
                        "op": "is",
                        "value": "active",
                    },
                    {
                        "field": "sla.first_reply.consumed",
                        "op": "lt",
                        "value": 0.5,
                    },
                ]
            },
            registry=registry,
        )
        assert condition(context)
        memo = [
            k for k in context._memo if isinstance(k, tuple) and k[0] == "sla"
        ]
        assert len(memo) == 1
