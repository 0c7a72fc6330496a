"""Named conditions used by name: ``{condition = "name"}``."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc

VIP = {"field": "customer.tier", "op": "is", "value": "vip"}
URGENT = {"field": "case.priority", "op": "is", "value": "urgent"}
START = pendulum.datetime(2024, 3, 4, 9, tz="UTC")


def _context(tier: str, priority: str = "normal") -> sc.EvaluationContext:
    case = sc.Case(
        id="c-1",
        customer=sc.Customer(id="u", tier=tier),
        channel="email",
        events=[sc.CaseCreated(case_id="c-1", at=START, priority=priority)],
    )
    return sc.EvaluationContext(case, at=START)


def _problem(data: object, **options: object) -> str:
    with pytest.raises(sc.errors.PolicyError) as caught:
        sc.Condition.from_dict(data, **options)  # type: ignore[arg-type]
    return str(caught.value)


def _document_problem(text: str) -> str:
    with pytest.raises(sc.errors.PolicyError) as caught:
        sc.PolicyDocument.from_toml(text)
    return str(caught.value)


class TestFromDict:
    def test_a_named_condition_holds_where_it_does(self):
        """{condition = "vip"} inside all holds as the vip condition."""
        vip = sc.Condition.from_dict(VIP)
        both = sc.Condition.from_dict(
            {"all": [{"condition": "vip"}, URGENT]}, conditions={"vip": vip}
        )
        assert [
            both(_context("vip", "urgent")),
            both(_context("vip")),
            both(_context("standard", "urgent")),
        ] == [True, False, False]

    def test_fields_and_getters_include_the_named_conditions(self):
        """The fields read through a name are the condition's fields."""
        vip = sc.Condition.from_dict(VIP)
        named = sc.Condition.from_dict(
            {"not": {"condition": "vip"}}, conditions={"vip": vip}
        )
        assert (named.fields, sorted(named.getters)) == (
            frozenset({"customer.tier"}),
            ["customer.tier"],
        )

    def test_explain_shows_the_name_and_its_parts(self):
        """The explanation names the condition used and shows its clause."""
        vip = sc.Condition.from_dict(VIP, location="conditions.vip")
        named = sc.Condition.from_dict(
            {"condition": "vip"}, conditions={"vip": vip}
        )
        assert str(named.explain(_context("vip"))).splitlines() == [
            "yes  condition 'vip' (when)",
            "yes    customer.tier is 'vip': actual 'vip' (conditions.vip)",
        ]

    def test_to_dict_keeps_the_name(self):
        """The document written keeps the reference, not a copy."""
        vip = sc.Condition.from_dict(VIP)
        named = sc.Condition.from_dict(
            {"condition": "vip"}, conditions={"vip": vip}
        )
        assert named.to_dict() == {"condition": "vip"}

    def test_an_unknown_name_suggests_the_closest(self):
        """A misspelt name gets a did-you-mean."""
        vip = sc.Condition.from_dict(VIP)
        assert _problem({"condition": "vp"}, conditions={"vip": vip}) == (
            "when.condition: unknown condition 'vp'; did you mean 'vip'?"
        )

    def test_an_unknown_name_lists_the_known_ones(self):
        """A name like none of them lists those there are."""
        vip = sc.Condition.from_dict(VIP)
        assert _problem({"condition": "weekend"}, conditions={"vip": vip}) == (
            "when.condition: unknown condition 'weekend'; named conditions: "
            "vip"
        )

    def test_a_name_without_named_conditions_says_where_they_come_from(self):
        """Outside a document and without conditions=, a name cannot work."""
        assert _problem({"condition": "vip"}).startswith(
            "when.condition: no named conditions here to find 'vip' in"
        )

    def test_the_name_must_be_a_string_and_alone(self):
        """A number as the name and an extra key are both reported."""
        assert _problem({"condition": 3, "extra": 1}, conditions={}) == (
            "when: 2 problems:\n"
            "  when.extra: unknown key 'extra'\n"
            "  when.condition: expected the name of a condition, got 3"
        )

    def test_named_conditions_must_be_conditions(self):
        """A document instead of a compiled condition is refused by name."""
        assert _problem({"condition": "vip"}, conditions={"vip": VIP}) == (
            "conditions['vip']: expected a Condition (Condition.from_dict(...)),"
            " got dict"
        )

    def test_named_conditions_come_as_a_mapping(self):
        """A list of conditions is refused, saying what is expected."""
        vip = sc.Condition.from_dict(VIP)
        assert _problem({"condition": "vip"}, conditions=[vip]) == (
            "conditions: expected a mapping of names to conditions, got list"
        )

    def test_nesting_counts_the_named_conditions_depth(self):
        """A name whose condition nests deep cannot push past the limit."""
        deep: dict[str, object] = VIP
        for _ in range(30):
            deep = {"not": deep}
        named = sc.Condition.from_dict(deep)
        used = {"not": {"not": {"not": {"condition": "deep"}}}}
        assert "nest deeper than 32 levels" in _problem(
            used, conditions={"deep": named}
        )


DOCUMENT = """
schema_version = 1

[conditions.vip]
field = "customer.tier"
op = "is"
value = "vip"

[conditions.urgent_vip]
all = [{condition = "vip"}, {field = "case.priority", op = "is", value = "urgent"}]

[[sla.policies]]
name = "urgent-vip"
when = {condition = "urgent_vip"}
targets.urgent = {first_reply = "15m"}

[[sla.policies]]
name = "rest"
targets.urgent = {first_reply = "4h"}
"""


class TestDocuments:
    def test_sla_policies_use_named_conditions(self):
        """An SLA policy's when can be a named condition of its document."""
        policies = sc.SLAPolicySet.from_toml(DOCUMENT)
        engine = sc.SLAEngine(policies)
        case = _context("vip", "urgent").case
        assert engine.evaluate(case, START).policy == "urgent-vip"

    def test_sections_may_come_before_the_conditions(self):
        """The conditions section can follow the sections that use it."""
        head, conditions = DOCUMENT.split("[[sla.policies]]", 1)
        moved = (
            "schema_version = 1\n[[sla.policies]]"
            + conditions
            + head.replace("schema_version = 1", "")
        )
        assert len(sc.SLAPolicySet.from_toml(moved)) == 2

    def test_a_named_condition_uses_only_those_before_it(self):
        """Defining urgent_vip before vip is reported, with the reason."""
        document = DOCUMENT.replace("[conditions.vip]", "[conditions.late]")
        document = document.replace(
            '[[sla.policies]]\nname = "urgent-vip"',
            '[conditions.vip]\nany = [{condition = "late"}]\n\n'
            '[[sla.policies]]\nname = "urgent-vip"',
            1,
        )
        assert _document_problem(document) == (
            "conditions.urgent_vip.all[0].condition: condition 'vip' is "
            "not defined above this one; a named condition can use only "
            "those defined before it"
        )

    def test_a_named_condition_cannot_use_itself(self):
        """A condition naming itself is reported, not silently dropped."""
        document = (
            "schema_version = 1\n"
            "[conditions.vip]\n"
            'any = [{field = "customer.tier", op = "is", value = "vip"},'
            ' {condition = "vip"}]\n'
        )
        assert _document_problem(document) == (
            "conditions.vip.any[1].condition: condition 'vip' is not defined"
            " above this one; a named condition can use only those defined "
            "before it"
        )

    def test_a_broken_named_condition_is_reported_once(self):
        """Using a condition with problems adds no second error."""
        document = DOCUMENT.replace('op = "is"\nvalue = "vip"', 'op = "iz"')
        assert _document_problem(document).startswith(
            "conditions.vip.op: unknown op"
        )

    def test_a_misspelt_name_in_a_section_is_located(self):
        """The error names the policy's path and the closest name."""
        document = DOCUMENT.replace(
            'when = {condition = "urgent_vip"}',
            'when = {condition = "urgent-vip"}',
        )
        assert _document_problem(document) == (
            "sla.policies[0].when.condition: unknown condition 'urgent-vip';"
            " did you mean 'urgent_vip'?"
        )

    def test_escalation_and_personalization_use_them_too(self):
        """A condition trigger and a personalization rule use names."""
        document = (
            DOCUMENT
            + """
[[escalation.policies]]
name = "vip-watch"

[[escalation.policies.levels]]
name = "vip desk"
trigger = {when = {condition = "vip"}}
actions = [{do = "notify", to = "vip-desk", recipient = "team"}]

[[personalization.rules]]
name = "vip"
when = {condition = "vip"}
set = {tone = "formal"}
"""
        )
        loaded = sc.PolicyDocument.from_toml(document)
        assert sorted(loaded.sections) == [
            "conditions",
            "escalation",
            "personalization",
            "sla",
        ]
        personalizer = sc.Personalizer.from_document(loaded)
        profile = personalizer.personalize(
            _context("vip").case.customer, at=START
        )
        assert profile.tone == "formal"
