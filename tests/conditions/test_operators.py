"""Each built-in operator's semantics, including missing values."""

from __future__ import annotations

import pytest
import re2

import servicecore as sc
from servicecore.conditions._operators import PATTERN_MEMORY

HOUR = 3600

CASES = [
    # field, op, value, actual, expected
    ("t.text", "is", "gold", "gold", True),
    ("t.text", "is", "gold", "Gold", False),
    ("t.text", "is", "gold", None, False),
    ("t.text", "is_not", "gold", "silver", True),
    ("t.text", "is_not", "gold", None, True),
    ("t.text", "in", ["a", "b"], "b", True),
    ("t.text", "in", ["a", "b"], None, False),
    ("t.text", "not_in", ["a", "b"], "c", True),
    ("t.text", "not_in", ["a", "b"], None, True),
    ("t.text", "contains", "fund", "refund please", True),
    ("t.text", "contains", "Fund", "refund please", False),
    ("t.text", "not_contains", "spam", "refund", True),
    ("t.text", "not_contains", "spam", None, True),
    ("t.text", "starts_with", "de", "de_CH", True),
    ("t.text", "starts_with", "de", "fr_CH", False),
    ("t.text", "matches", r"@acme\.com$", "ana@acme.com", True),
    ("t.text", "matches", r"^acme", "ana@acme.com", False),
    ("t.text", "matches", "(?i)REFUND", "a refund", True),
    ("t.text", "present", None, "x", True),
    ("t.text", "present", None, "", False),
    ("t.text", "absent", None, None, True),
    ("t.prio", "is", "HIGH", "high", True),
    ("t.prio", "lt", "high", "normal", True),
    ("t.prio", "lt", "high", "high", False),
    ("t.prio", "lte", "high", "high", True),
    ("t.prio", "gt", "normal", "urgent", True),
    ("t.prio", "gte", "high", "normal", False),
    ("t.prio", "gte", "high", None, False),
    ("t.prio", "lt", "high", None, False),
    ("t.prio", "between", ["normal", "high"], "high", True),
    ("t.prio", "between", ["normal", "high"], "urgent", False),
    ("t.prio", "between", ["normal", "high"], None, False),
    ("t.status", "in", ["new", "open"], "open", True),
    ("t.count", "is", 2, 2, True),
    ("t.count", "lt", 2, 1, True),
    ("t.count", "gte", 2, 2, True),
    ("t.count", "gt", 2, None, False),
    ("t.count", "between", [1, 3], 3, True),
    ("t.count", "between", [1, 3], 4, False),
    ("t.count", "in", [1, 3], 3, True),
    ("t.count", "present", None, 0, True),
    ("t.score", "lt", -0.5, -0.6, True),
    ("t.score", "between", [-1, 0], 0.0, True),
    ("t.wait", "gt", "4h", 4 * HOUR + 1, True),
    ("t.wait", "gt", "4h", 4 * HOUR, False),
    ("t.wait", "lte", "PT4H", 4 * HOUR, True),
    ("t.wait", "between", ["1h", "2h"], 90 * 60, True),
    ("t.flag", "is", True, True, True),
    ("t.flag", "is", False, None, False),
    ("t.flag", "is_not", True, False, True),
    ("t.flag", "present", None, False, True),
    ("t.tags", "contains", "VIP ", frozenset({"vip"}), True),
    ("t.tags", "contains", "vip", None, False),
    ("t.tags", "not_contains", "vip", frozenset({"a"}), True),
    ("t.tags", "includes_any", ["a", "b"], frozenset({"b", "c"}), True),
    ("t.tags", "includes_any", ["a", "b"], frozenset({"c"}), False),
    ("t.tags", "includes_all", ["a", "b"], frozenset({"a", "b", "c"}), True),
    ("t.tags", "includes_all", ["a", "b"], frozenset({"a"}), False),
    ("t.tags", "includes_all", ["a"], None, False),
    ("t.tags", "present", None, frozenset(), False),
    ("t.tags", "absent", None, frozenset(), True),
    ("t.any.plan", "is", "gold", "gold", True),
    ("t.any.plan", "gt", 3, 4, True),
    ("t.any.plan", "gt", 3, "4", False),
    ("t.any.plan", "gt", 3, True, False),
    ("t.any.plan", "between", [1, 2], 1.5, True),
    ("t.any.plan", "contains", "ol", "gold", True),
    ("t.any.plan", "contains", "ol", 7, False),
    ("t.any.plan", "matches", "^g", "gold", True),
    ("t.any.plan", "present", None, None, False),
]


class TestSemantics:
    @pytest.mark.parametrize(
        ("field", "op", "value", "actual", "expected"), CASES
    )
    def test_operator(  # noqa: PLR0917 - parametrized
        self, registry, field, op, value, actual, expected
    ):
        """The clause holds exactly when the operator's meaning says so."""
        clause = {"field": field, "op": op}
        if value is not None:
            clause["value"] = value
        condition = sc.Condition.from_dict(clause, registry=registry)
        assert condition({field: actual}) is expected

    @pytest.mark.parametrize(
        ("op", "positive"),
        [("is_not", "is"), ("not_in", "in"), ("not_contains", "contains")],
    )
    def test_negations_are_exact(self, registry, op, positive):
        """A negated operator is the exact opposite of its twin, on None too."""
        value = ["a"] if op == "not_in" else "a"
        negative = sc.Condition.from_dict(
            {"field": "t.text", "op": op, "value": value}, registry=registry
        )
        twin = sc.Condition.from_dict(
            {"field": "t.text", "op": positive, "value": value},
            registry=registry,
        )
        for actual in ["a", "b", "xax", None, ""]:
            assert negative({"t.text": actual}) is not twin({"t.text": actual})


class TestApplicability:
    @pytest.mark.parametrize(
        ("field", "allowed"),
        [
            (
                "t.text",
                (
                    "is, is_not, in, not_in, contains, not_contains, "
                    "starts_with, matches, present, absent"
                ),
            ),
            ("t.status", "is, is_not, in, not_in, present, absent"),
            (
                "t.prio",
                (
                    "is, is_not, in, not_in, lt, lte, gt, gte, between, present, "
                    "absent"
                ),
            ),
            (
                "t.tags",
                (
                    "contains, not_contains, present, absent, includes_any, "
                    "includes_all"
                ),
            ),
            ("t.flag", "is, is_not, present, absent"),
        ],
    )
    def test_allowed_operators(self, registry, field, allowed):
        """Each type allows exactly its operators, in registration order."""
        assert ", ".join(registry.operators_for(registry.field(field))) == (
            allowed
        )

    def test_field_restricts_operators(self):
        """A field naming its operators allows only those."""
        registry = sc.Registry(builtins=False)
        registry.add_operator(sc.Registry().operator("is"))
        registry.add_operator(sc.Registry().operator("in"))
        registry.add_field(
            sc.conditions.Field(
                name="x.code",
                type=sc.conditions.FieldType.string(),
                get=lambda c: c,
                operators=["is"],
            )
        )
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.Condition.from_dict(
                {"field": "x.code", "op": "in", "value": ["a"]},
                registry=registry,
            )
        assert str(info.value) == (
            "when.op: operator 'in' does not apply to x.code (string); "
            "use one of: is"
        )


class TestPatterns:
    def test_pattern_compiled_once(self, registry):
        """Matches compiles its pattern with RE2 when the policy loads."""
        condition = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": "a+b"},
            registry=registry,
        )
        clause = condition._node
        assert isinstance(clause.value, re2._Regexp)
        assert clause.value.pattern == b"a+b"
        assert clause.value.options.log_errors is False
        assert clause.value.options.max_mem == PATTERN_MEMORY

    def test_pattern_length_limit(self, registry):
        """A regular expression over the limit is refused at load."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.Condition.from_dict(
                {"field": "t.text", "op": "matches", "value": "a" * 301},
                registry=registry,
            )
        assert str(info.value) == (
            "when.value: regular expression of 301 characters; "
            "the limit is 300"
        )

    def test_bad_pattern(self, registry):
        """An invalid regular expression is refused with RE2's reason."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.Condition.from_dict(
                {"field": "t.text", "op": "matches", "value": "a("},
                registry=registry,
            )
        assert str(info.value) == (
            "when.value: 'a(' is not a regular expression RE2 can run: "
            "missing ): a("
        )

    def test_lone_surrogate_in_pattern(self, registry):
        """A pattern that is not valid Unicode is refused at load."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^when\.value: "
        ) as info:
            sc.Condition.from_dict(
                {"field": "t.text", "op": "matches", "value": "a\ud800"},
                registry=registry,
            )
        assert info.value.problem == (
            "'a\\ud800' is not valid Unicode (a lone surrogate)"
        )


class TestLinearPatterns:
    @pytest.mark.parametrize(
        ("pattern", "reason"),
        [
            ("(?=a)b", "invalid perl operator: (?="),
            ("(?!a)b", "invalid perl operator: (?!"),
            ("(?<=a)b", "invalid perl operator: (?<="),
            ("(?<!a)b", "invalid perl operator: (?<!"),
            ("(a)\\1", "invalid escape sequence: \\1"),
            ("a++", "bad repetition operator: ++"),
            ("(?>a)", "invalid perl operator: (?>"),
            ("a\\Z", "invalid escape sequence: \\Z"),
            ("(?x) a", "invalid perl operator: (?x"),
        ],
    )
    def test_refused_at_load_with_location(self, pattern, reason, capfd):
        """Patterns RE2 cannot run in linear time are refused, silently."""
        document = {
            "schema_version": 1,
            "sla": {
                "policies": [
                    {
                        "name": "p",
                        "when": {
                            "field": "case.subject",
                            "op": "matches",
                            "value": pattern,
                        },
                        "targets": {"normal": {"first_reply": "1h"}},
                    }
                ]
            },
        }
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^sla\.policies\[0\]\.when\.value: ",
        ) as info:
            sc.PolicyDocument.from_dict(document)
        assert info.value.location == "sla.policies[0].when.value"
        assert info.value.problem == (
            f"{pattern!r} is not a regular expression RE2 can run: {reason}"
        )
        assert capfd.readouterr() == ("", "")

    @pytest.mark.parametrize(
        ("pattern", "subject", "expected"),
        [
            ("^(a+)+$", "a" * 100_000 + "!", False),
            ("^(a+)+$", "a" * 100_000, True),
            ("(a|a)*b", "a" * 100_000, False),
            ("(x+x+)+y", "x" * 100_000, False),
            ("^(\\w+\\s?)*$", "word " * 20_000 + "!", False),
            ("(.*a){12}", "b" * 100_000, False),
        ],
    )
    def test_pathological_patterns_complete(
        self, registry, pattern, subject, expected
    ):
        """Patterns that backtrack catastrophically in re finish with RE2."""
        condition = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": pattern},
            registry=registry,
        )
        assert condition({"t.text": subject}) is expected

    def test_subject_is_searched_in_utf8(self, registry):
        """Non-ASCII text matches by character, case-insensitively too."""
        condition = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": "(?i)^ä.ß$"},
            registry=registry,
        )
        assert condition({"t.text": "Ä€ß"}) is True
        assert condition({"t.text": "Ä€€ß"}) is False

    def test_lone_surrogate_in_subject(self, registry):
        """A lone surrogate in a customer's text is one character, no error."""
        condition = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": "^a.b$"},
            registry=registry,
        )
        assert condition({"t.text": "a\ud800b"}) is True
        assert condition({"t.text": "a\ud800\ud800b"}) is False

    def test_search_not_fullmatch(self, registry):
        """Matches finds the pattern anywhere; anchors make it whole-text."""
        anywhere = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": "fund"},
            registry=registry,
        )
        whole = sc.Condition.from_dict(
            {"field": "t.text", "op": "matches", "value": "^fund$"},
            registry=registry,
        )
        assert (
            anywhere({"t.text": "refunds"}),
            whole({"t.text": "refunds"}),
        ) == (
            True,
            False,
        )
