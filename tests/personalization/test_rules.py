import json
from pathlib import Path
from typing import ClassVar

import pendulum
import pytest
from attrs import evolve as attrs_evolve
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore.personalization import _attributes


def document(*rules):
    """Return a policy document holding *rules*."""
    return {"schema_version": 1, "personalization": {"rules": list(rules)}}


VIP = {"field": "customer.tier", "op": "is", "value": "vip"}
GOLD = {"field": "customer.tier", "op": "is", "value": "gold"}


class TestRuleOrder:
    def test_later_rule_wins(self, customer, at):
        """Of two matching rules setting one attribute, the later one wins."""
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "first", "set": {"tone": "informal"}},
                {"name": "second", "set": {"tone": "formal"}},
            )
        )
        profile = rules.personalize(customer, at=at)
        assert profile.tone == "formal"
        assert profile.source("tone").rule == "second"
        assert profile.source("tone").overridden == ("first",)

    def test_rule_whose_condition_fails_changes_nothing(self, customer, at):
        """A rule whose condition does not hold sets nothing."""
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "all", "set": {"queue": "general"}},
                {"name": "gold", "when": GOLD, "set": {"queue": "gold"}},
            )
        )
        profile = rules.personalize(customer, at=at)
        assert profile.queue == "general"
        assert profile.matched_rules == ("all",)

    def test_final_stops_later_changes(self, customer, at):
        """A final rule's attributes cannot be changed by later rules."""
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "base", "set": {"tone": "informal"}},
                {
                    "name": "vip",
                    "when": VIP,
                    "final": True,
                    "set": {"tone": "formal", "queue": "vip"},
                },
                {
                    "name": "chat",
                    "set": {"tone": "informal", "queue": "chat", "skill": "x"},
                },
            )
        )
        profile = rules.personalize(customer, at=at)
        assert (profile.tone, profile.queue, profile.skill) == (
            "formal",
            "vip",
            "x",
        )
        source = profile.source("queue")
        assert (source.rule, source.final, source.blocked) == (
            "vip",
            True,
            ("chat",),
        )

    def test_final_rule_is_itself_blocked_by_an_earlier_final(
        self, customer, at
    ):
        """Of two final rules on one attribute, the first keeps it."""
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "a", "final": True, "set": {"tone": "formal"}},
                {
                    "name": "b",
                    "final": True,
                    "set": {"tone": "informal", "skill": "b"},
                },
                {"name": "c", "set": {"skill": "c"}},
            )
        )
        profile = rules.personalize(customer, at=at)
        assert (profile.tone, profile.skill) == ("formal", "b")
        assert profile.source("tone").blocked == ("b",)
        assert profile.source("skill").blocked == ("c",)


class TestEffects:
    def _one(self, customer, at, effects):
        rules = sc.Personalizer.from_dict(
            document({"name": "r", "set": effects})
        )
        return rules.personalize(customer, at=at)

    def test_locale_time_zone_channel(self, customer, at):
        """Locale, time zone and channel replace the customer's."""
        profile = self._one(
            customer,
            at,
            {
                "locale": "fr_CH",
                "time_zone": "Europe/Paris",
                "preferred_channel": "email",
            },
        )
        assert (profile.locale, profile.time_zone) == ("fr_CH", "Europe/Paris")
        assert profile.preferred_channel is sc.Channel.EMAIL

    def test_customer_values_without_rules(self, customer, at):
        """Without rules the profile copies the customer and says so."""
        profile = sc.Personalizer().personalize(customer, at=at)
        assert (profile.locale, profile.time_zone, profile.name) == (
            "de_CH",
            "Europe/Zurich",
            "Lena Meier",
        )
        assert profile.preferred_channel is sc.Channel.CHAT
        assert profile.source("locale").origin == "customer"
        assert profile.source("tone").origin == "default"

    def test_tone_and_greeting(self, customer, at):
        """Tone picks the greeting unless a rule names one."""
        profile = self._one(customer, at, {"tone": "informal"})
        assert profile.greeting_template == "greeting.informal"
        profile = self._one(
            customer, at, {"tone": "informal", "greeting": "greeting.formal"}
        )
        assert profile.greeting_template == "greeting.formal"

    def test_template_choice(self, customer, at):
        """A template table chooses templates per purpose."""
        profile = self._one(
            customer, at, {"template": {"acknowledgement": "delay_notice"}}
        )
        assert profile.template("acknowledgement") == "delay_notice"
        assert profile.template("resolution") == "resolution"
        assert profile.get("template.acknowledgement") == "delay_notice"

    def test_routing(self, customer, at):
        """Queue and skill are set as given."""
        profile = self._one(customer, at, {"queue": "vip", "skill": "de"})
        assert (profile.queue, profile.skill) == ("vip", "de")

    @pytest.mark.parametrize(
        ("boost", "priority", "expected"),
        [
            (1, "normal", sc.Priority.HIGH),
            (3, "high", sc.Priority.URGENT),
            (-2, "normal", sc.Priority.LOW),
            (0, "urgent", sc.Priority.URGENT),
        ],
    )
    def test_priority_boost_is_bounded(
        self, customer, at, boost, priority, expected
    ):
        """The boost moves the priority, never past low or urgent."""
        profile = self._one(customer, at, {"priority_boost": boost})
        assert profile.boosted(priority) == expected

    def test_contact_window(self, customer, at):
        """A contact window is read in the profile's zone."""
        profile = self._one(
            customer,
            at,
            {"contact_window": {"hours": "08:00-18:00", "days": "mon-fri"}},
        )
        assert str(profile.contact_window) == "08:00-18:00 mon-fri"
        # Friday 19:00 in Zurich -> Monday 08:00 in Zurich.
        friday = pendulum.datetime(2024, 3, 8, 18, tz="UTC")
        assert profile.next_contact_time(friday) == pendulum.datetime(
            2024, 3, 11, 8, tz="Europe/Zurich"
        )

    def test_survey_suppression(self, customer, at):
        """No second survey within the suppression period."""
        profile = self._one(customer, at, {"survey_suppression": "14d"})
        assert profile.survey_suppression_s == 14 * 86400
        last = pendulum.datetime(2024, 3, 1, tz="UTC")
        assert not profile.may_survey(
            last_surveyed_at=last, at=last.add(days=13, hours=23)
        )
        assert profile.may_survey(last_surveyed_at=last, at=last.add(days=14))
        assert profile.may_survey(last_surveyed_at=None, at=last)

    def test_custom_attribute_from_registry(self, customer, at):
        """A registered custom attribute is checked, set and defaulted."""
        registry = sc.Registry()
        sc.personalization.ProfileAttribute(
            name="loyalty_band",
            type=sc.conditions.FieldType.string(),
            default="none",
        ).register(registry)
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "vip", "when": VIP, "set": {"loyalty_band": "Gold"}}
            ),
            registry=registry,
        )
        assert rules.personalize(customer, at=at).custom == {
            "loyalty_band": "Gold"
        }
        other = sc.Customer(id="cu-2")
        assert rules.personalize(other, at=at).get("loyalty_band") == "none"

    def test_custom_attribute_from_plugin(self, customer, at):
        """Plugins register custom attributes like any other kind."""

        @sc.plugin(api_version=1)
        def register(registry):
            sc.personalization.ProfileAttribute(
                name="max_discount", type=sc.conditions.FieldType.integer()
            ).register(registry)

        registry = sc.Registry()
        registry.load_plugin(register, name="discounts")
        rules = sc.Personalizer.from_dict(
            document({"name": "r", "set": {"max_discount": 15}}),
            registry=registry,
        )
        profile = rules.personalize(customer, at=at)
        assert profile.custom["max_discount"] == 15
        assert str(profile.source("max_discount")) == (
            "max_discount = 15 by rule 'r'"
        )

    def test_custom_attribute_cannot_shadow_builtin(self):
        """A custom attribute named like a built-in one is refused."""
        with pytest.raises(sc.errors.PluginError, match="built-in"):
            sc.personalization.ProfileAttribute(
                name="tone", type=sc.conditions.FieldType.string()
            ).register(sc.Registry())

    def test_duplicate_custom_attribute(self):
        """A name registered twice is refused unless replaced."""
        registry = sc.Registry()
        band = sc.personalization.ProfileAttribute(
            name="band", type=sc.conditions.FieldType.string()
        )
        band.register(registry)
        with pytest.raises(sc.errors.PluginError, match="already registered"):
            band.register(registry)
        band.register(registry, replace=True)

    def test_failing_plugin_leaves_no_attribute(self):
        """A plugin that fails after registering leaves the registry as it was."""

        @sc.plugin(api_version=1)
        def broken(registry):
            sc.personalization.ProfileAttribute(
                name="band", type=sc.conditions.FieldType.string()
            ).register(registry)
            raise RuntimeError("boom")

        registry = sc.Registry()
        with pytest.raises(sc.errors.PluginError, match="boom"):
            registry.load_plugin(broken, name="broken")
        rules = sc.Personalizer(registry=registry)
        assert (
            rules.personalize(
                sc.Customer(id="c"), at=pendulum.datetime(2024, 1, 1, tz="UTC")
            ).custom
            == {}
        )


class TestConditions:
    def test_history_fields(self, customer, at):
        """Rules read the customer's history given to personalize."""
        rules = sc.Personalizer.from_dict(
            document(
                {
                    "name": "unhappy",
                    "when": {
                        "any": [
                            {
                                "field": "history.recent_csat",
                                "op": "lt",
                                "value": 3,
                            },
                            {
                                "field": "history.sla_breaches",
                                "op": "gte",
                                "value": 2,
                            },
                        ]
                    },
                    "set": {"priority_boost": 1, "queue": "care"},
                },
                {
                    "name": "surveyed",
                    "when": {
                        "field": "history.since_last_survey",
                        "op": "lt",
                        "value": "14d",
                    },
                    "set": {"survey_suppression": "14d"},
                },
            )
        )
        history = sc.personalization.CustomerHistory(
            recent_csat=2.0, last_surveyed_at=at.subtract(days=3)
        )
        profile = rules.personalize(customer, at=at, history=history)
        assert profile.matched_rules == ("unhappy", "surveyed")
        assert rules.personalize(customer, at=at).matched_rules == ()

    def test_case_fields(self, customer, at):
        """Rules read the case: its channel and reopen count."""
        case = sc.Case(
            id="C-1",
            customer=customer,
            channel="phone",
            events=[sc.CaseCreated(case_id="C-1", at=at.subtract(hours=1))],
        )
        rules = sc.Personalizer.from_dict(
            document(
                {
                    "name": "phone",
                    "when": {
                        "all": [
                            {
                                "field": "case.channel",
                                "op": "is",
                                "value": "phone",
                            },
                            {
                                "field": "case.reopen_count",
                                "op": "lt",
                                "value": 1,
                            },
                        ]
                    },
                    "set": {"preferred_channel": "phone"},
                }
            )
        )
        profile = rules.personalize(customer, case, at=at)
        assert profile.preferred_channel is sc.Channel.PHONE
        assert rules.personalize(None, case, at=at).name == "Lena Meier"

    def test_naive_moment_is_refused(self, customer):
        """A naive moment is an error naming the argument."""
        with pytest.raises(sc.errors.NaiveDatetimeError, match=r"^at:"):
            sc.Personalizer().personalize(
                customer, at=pendulum.naive(2024, 3, 5)
            )


class TestExplanation:
    def test_explain_lists_every_attribute(self, customer, at):
        """The explanation names, per attribute, its rule or origin."""
        rules = sc.Personalizer.from_dict(
            document(
                {"name": "base", "set": {"tone": "informal", "queue": "q1"}},
                {"name": "vip", "when": VIP, "set": {"queue": "q2"}},
            )
        )
        text = rules.personalize(customer, at=at).explain()
        assert text.splitlines() == [
            "name = 'Lena Meier' (customer)",
            "locale = 'de_CH' (customer)",
            "time_zone = 'Europe/Zurich' (customer)",
            "preferred_channel = 'chat' (customer)",
            "tone = 'informal' by rule 'base'",
            "greeting = None (default)",
            "queue = 'q2' by rule 'vip' (overrode 'base')",
            "skill = None (default)",
            "priority_boost = 0 (default)",
            "contact_window = None (default)",
            "survey_suppression = None (default)",
        ]

    def test_to_dict(self, customer, at):
        """The dict form carries values and sources, JSON-safe."""
        rules = sc.Personalizer.from_dict(
            document({"name": "w", "set": {"contact_window": "09:00-17:00"}})
        )
        data = rules.personalize(customer, at=at).to_dict()
        assert data["contact_window"] == {
            "value": "09:00-17:00",
            "rule": "w",
            "origin": "rule",
            "overridden": [],
            "blocked": [],
        }
        json.dumps(data)


class TestLoadErrors:
    def test_all_problems_together_with_locations(self):
        """Every problem of a rule set is reported at once, each located."""
        with pytest.raises(sc.errors.PolicyValidationError) as caught:
            sc.Personalizer.from_dict(
                document(
                    {"name": "a", "set": {"tonne": "formal"}},
                    {"name": "b", "set": {"locale": "xx_YY"}},
                    {"name": "c", "set": {"priority_boost": 7}},
                    {"name": "a", "set": {"time_zone": "Mars/Base"}},
                    {
                        "name": "e",
                        "when": {
                            "field": "customer.teir",
                            "op": "is",
                            "value": 1,
                        },
                        "set": {"contact_window": "20:00-20:00"},
                    },
                    {"set": {"tone": "loud"}, "finall": True},
                )
            )
        locations = [error.location for error in caught.value.errors]
        assert locations == [
            "personalization.rules[0].set.tonne",
            "personalization.rules[1].set.locale",
            "personalization.rules[2].set.priority_boost",
            "personalization.rules[3].set.time_zone",
            "personalization.rules[4].when.field",
            "personalization.rules[4].set.contact_window",
            "personalization.rules[5].finall",
            "personalization.rules[5].name",
            "personalization.rules[5].set.tone",
        ]
        assert "did you mean 'tone'?" in caught.value.errors[0].problem
        assert "unknown locale 'xx_YY'" in caught.value.errors[1].problem

    def test_duplicate_rule_name(self):
        """Two rules may not share a name."""
        with pytest.raises(
            sc.errors.PolicySyntaxError,
            match=r"^personalization\.rules\[1\]\.name: rule name 'a' is "
            r"already used by personalization\.rules\[0\]$",
        ):
            sc.Personalizer.from_dict(
                document(
                    {"name": "a", "set": {"tone": "formal"}},
                    {"name": "a", "set": {"tone": "formal"}},
                )
            )

    def test_unknown_template_is_a_load_error(self):
        """A rule naming a template the catalog lacks fails at load."""
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^personalization\.rules\[0\]\.set\.template\."
            r"acknowledgement: no template 'acknowledgment'",
        ):
            sc.Personalizer.from_dict(
                document(
                    {
                        "name": "a",
                        "set": {
                            "template": {"acknowledgement": "acknowledgment"}
                        },
                    }
                )
            )

    def test_missing_section(self):
        """A document without personalization rules is refused."""
        with pytest.raises(
            sc.errors.PolicySyntaxError, match="personalization"
        ):
            sc.Personalizer.from_dict({"schema_version": 1})

    def test_toml_syntax_error(self):
        """A document that is not TOML is a syntax error naming its source."""
        with pytest.raises(
            sc.errors.PolicySyntaxError, match=r"^<string>.*: not valid TOML"
        ):
            sc.Personalizer.from_toml("schema_version = 1\n[[personalization")

    def test_rule_from_dict(self):
        """A single rule loads and reports its own problems."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^rule\.set\.tone:"
        ):
            sc.personalization.PersonalizationRule.from_dict(
                {"name": "x", "set": {"tone": "loud"}}
            )


class TestFiles:
    def test_example_rule_file_loads(self, customer, at):
        """The shipped example rule file loads and personalizes."""
        path = (
            Path(__file__).parents[2]
            / "examples"
            / "personalization"
            / "rules.toml"
        )
        rules = sc.Personalizer.load(path)
        assert len(rules.rules) >= 5
        assert rules.personalize(customer, at=at).queue == "vip"


# -- property: determinism and independence of the file format -------------

_EFFECTS = {
    "tone": st.sampled_from(["formal", "informal"]),
    "queue": st.sampled_from(["general", "vip", "billing"]),
    "priority_boost": st.integers(-3, 3),
    "locale": st.sampled_from(["en", "de", "fr_CA", "ja", "pt_BR"]),
    "contact_window": st.sampled_from(["08:00-20:00", "22:00-06:00"]),
    "survey_suppression": st.sampled_from(["14d", "1w", "0s"]),
}
_CONDITIONS = st.sampled_from(
    [
        None,
        VIP,
        GOLD,
        {"field": "customer.tags", "op": "contains", "value": "beta"},
        {"field": "customer.local_hour", "op": "lt", "value": 12},
        {"field": "customer.language", "op": "in", "value": ["de", "fr"]},
    ]
)


@st.composite
def _rule_sets(draw):
    count = draw(st.integers(0, 6))
    rules = []
    for i in range(count):
        keys = draw(
            st.lists(
                st.sampled_from(sorted(_EFFECTS)), min_size=1, unique=True
            )
        )
        rule = {
            "name": f"rule-{i}",
            "set": {key: draw(_EFFECTS[key]) for key in keys},
            "final": draw(st.booleans()),
        }
        when = draw(_CONDITIONS)
        if when is not None:
            rule["when"] = when
        rules.append(rule)
    return rules


def _toml(rules):
    lines = ["schema_version = 1", "[personalization]"]
    if not rules:
        lines.append("rules = []")
    for rule in rules:
        lines.append("\n[[personalization.rules]]")
        lines.append(f"name = {json.dumps(rule['name'])}")
        lines.append(f"final = {str(rule['final']).lower()}")
        if "when" in rule:
            when = rule["when"]
            value = json.dumps(when["value"])
            lines.append(
                f'when = {{ field = "{when["field"]}", op = "{when["op"]}", '
                f"value = {value} }}"
            )
        lines.append("[personalization.rules.set]")
        lines.extend(
            f"{key} = {json.dumps(value)}"
            for key, value in rule["set"].items()
        )
    return "\n".join(lines) + "\n"


@settings(max_examples=40)
@given(
    rules=_rule_sets(),
    hour=st.integers(0, 23),
    tier=st.sampled_from(["vip", "gold", "standard"]),
)
def test_personalization_is_deterministic_and_format_independent(
    rules, hour, tier
):
    """TOML, JSON and dict forms of one rule set give identical profiles."""
    customer = sc.Customer(
        id="cu",
        name="Ana",
        locale="de_AT",
        time_zone="Europe/Vienna",
        tier=tier,
        tags=["beta"],
    )
    at = pendulum.datetime(2024, 10, 27, hour, tz="UTC")
    data = {"schema_version": 1, "personalization": {"rules": rules}}
    from_toml = sc.Personalizer.from_toml(_toml(rules))
    from_json = sc.Personalizer.from_json(json.dumps(data, indent=2))
    from_dict = sc.Personalizer.from_dict(data)
    profiles = [
        p.personalize(customer, at=at)
        for p in (from_toml, from_json, from_dict)
    ]
    again = from_dict.personalize(customer, at=at)
    assert profiles[0] == profiles[1] == profiles[2] == again
    assert {p.explain() for p in (*profiles, again)} == {again.explain()}


def test_registration_checks_the_attribute():
    """A custom attribute lives in the registry, checked and never doubled."""
    registry = sc.Registry()
    band = sc.personalization.ProfileAttribute(
        name="band_x", type=sc.conditions.FieldType.string()
    )
    band.register(registry)
    assert _attributes.custom_attributes(registry) == {"band_x": band}
    with pytest.raises(sc.errors.PluginError, match="already registered"):
        band.register(registry)
    with pytest.raises(sc.errors.PluginError, match="lower_snake_case"):
        sc.personalization.ProfileAttribute(
            name="Bad", type=sc.conditions.FieldType.string()
        ).register(registry)


def test_custom_attribute_value_is_checked_at_load():
    """A custom attribute's value is coerced by its type, errors located."""
    registry = sc.Registry()
    sc.personalization.ProfileAttribute(
        name="max_discount", type=sc.conditions.FieldType.integer()
    ).register(registry)
    with pytest.raises(
        sc.errors.InvalidValueError,
        match=r"^personalization\.rules\[0\]\.set\.max_discount: ",
    ):
        sc.Personalizer.from_dict(
            document({"name": "r", "set": {"max_discount": "lots"}}),
            registry=registry,
        )


def test_unknown_greeting_is_a_load_error():
    """A greeting naming no template fails when the rules load."""
    with pytest.raises(
        sc.errors.TemplateError,
        match=r"^personalization\.rules\[0\]\.set\.greeting: no template "
        r"'greeting\.formel' in the message catalog; did you mean "
        r"'greeting\.formal'\?",
    ):
        sc.Personalizer.from_dict(
            document({"name": "r", "set": {"greeting": "greeting.formel"}})
        )


class TestCustomerOnlyRules:
    RULES = document(
        {"name": "vip", "when": VIP, "set": {"queue": "vip"}},
        {
            "name": "morning",
            "when": {"field": "customer.local_hour", "op": "lt", "value": 12},
            "set": {"tone": "informal"},
        },
        {"name": "always", "set": {"skill": "general"}},
    )

    def test_results_match_a_fresh_evaluation(self, customer):
        """Reused customer-only results give the profiles of a fresh run."""
        rules = sc.Personalizer.from_dict(self.RULES)
        morning = pendulum.datetime(2024, 3, 5, 7, tz="UTC")
        evening = pendulum.datetime(2024, 3, 5, 19, tz="UTC")
        first = rules.personalize(customer, at=morning)
        second = rules.personalize(customer, at=evening)
        assert first.matched_rules == ("vip", "morning", "always")
        assert second.matched_rules == ("vip", "always")
        fresh = sc.Personalizer.from_dict(self.RULES)
        assert fresh.personalize(customer, at=evening) == second
        # An equal customer built anew shares the cached answer.
        twin = attrs_evolve(customer)
        assert rules.personalize(twin, at=evening) == second
        other = attrs_evolve(customer, tier="standard")
        assert rules.personalize(other, at=evening).matched_rules == (
            "always",
        )

    def test_unhashable_customer(self):
        """A customer stand-in that cannot be hashed is still personalized."""

        class Stand:
            __hash__ = None
            name = "Ana"
            locale = "en"
            time_zone = "UTC"
            preferred_channel = None
            tier = "vip"
            tags = frozenset()
            attributes: ClassVar[dict[str, str]] = {}

        rules = sc.Personalizer.from_dict(self.RULES)
        profile = rules.personalize(
            Stand(), at=pendulum.datetime(2024, 3, 5, tz="UTC")
        )
        assert profile.queue == "vip"

    def test_replaced_field_is_not_cached(self, customer):
        """A plugin's replacement of a customer field is evaluated each time."""
        calls = []
        registry = sc.Registry()
        registry.add_field(
            sc.conditions.Field(
                name="customer.tier",
                type=sc.conditions.FieldType.string(),
                get=lambda _context: calls.append(1) or "vip",
            ),
            replace=True,
        )
        rules = sc.Personalizer.from_dict(self.RULES, registry=registry)
        at = pendulum.datetime(2024, 3, 5, tz="UTC")
        rules.personalize(customer, at=at)
        rules.personalize(customer, at=at)
        assert len(calls) == 2
