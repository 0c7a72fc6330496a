"""Conditions are checked at load: every kind of error, with its path."""

from __future__ import annotations

import pytest

import servicecore as sc


def _error(data, registry=None):
    """Return the error loading *data* raises."""
    with pytest.raises(sc.errors.PolicyError) as info:
        sc.Condition.from_dict(data, registry=registry)
    return info.value


class TestSingleErrors:
    @pytest.mark.parametrize(
        ("data", "cls", "message"),
        [
            (
                {
                    "field": "case.priority",
                    "op": "in",
                    "value": ["urgent", "hgh"],
                },
                sc.errors.InvalidValueError,
                "when.value[1]: 'hgh' is not a priority; did you mean 'high'?",
            ),
            (
                {"all": [{"field": "case.prority", "op": "is", "value": "x"}]},
                sc.errors.UnknownFieldError,
                (
                    "when.all[0].field: unknown field 'case.prority'; "
                    "did you mean 'case.priority'?"
                ),
            ),
            (
                {"field": "case.status", "op": "iss", "value": "open"},
                sc.errors.UnknownOperatorError,
                "when.op: unknown operator 'iss'; did you mean 'is'?",
            ),
            (
                {"field": "case.status", "op": "lt", "value": "open"},
                sc.errors.InvalidValueError,
                (
                    "when.op: operator 'lt' does not apply to case.status "
                    "(status); use one of: is, is_not, in, not_in, present, absent"
                ),
            ),
            (
                {"field": "case.status", "op": "is"},
                sc.errors.PolicySyntaxError,
                "when: operator 'is' needs a value (one value)",
            ),
            (
                {"field": "case.team", "op": "absent", "value": "x"},
                sc.errors.PolicySyntaxError,
                "when.value: operator 'absent' takes no value; remove it",
            ),
            (
                {"field": "case.status", "op": "is", "vlue": "open"},
                sc.errors.PolicyValidationError,
                (
                    "when: 2 problems:\n"
                    "  when.vlue: unknown key 'vlue'; did you mean 'value'?\n"
                    "  when: operator 'is' needs a value (one value)"
                ),
            ),
            (
                {"op": "is", "value": "open"},
                sc.errors.PolicySyntaxError,
                "when: missing 'field'",
            ),
            (
                {"field": "case.status", "value": "open"},
                sc.errors.PolicySyntaxError,
                "when: missing 'op'",
            ),
            (
                {"field": 3, "op": "is", "value": "open"},
                sc.errors.PolicySyntaxError,
                "when.field: expected a field name, got 3",
            ),
            (
                {"alll": []},
                sc.errors.PolicySyntaxError,
                "when.alll: unknown key 'alll'; did you mean 'all'?",
            ),
            (
                {},
                sc.errors.PolicySyntaxError,
                (
                    "when: empty condition; write {all = [...]}, {any = [...]}, "
                    "{not = {...}} or {field = ..., op = ..., value = ...}"
                ),
            ),
            (
                {"any": []},
                sc.errors.PolicySyntaxError,
                (
                    "when.any: an empty 'any' never holds; add conditions or "
                    "remove it"
                ),
            ),
            (
                {"all": {"field": "case.id"}},
                sc.errors.PolicySyntaxError,
                "when.all: expected a list of conditions, got a table",
            ),
            (
                {"all": ["case.id"]},
                sc.errors.PolicySyntaxError,
                (
                    "when.all[0]: expected a condition table such as "
                    "{all = [...]} or {field = ..., op = ..., value = ...}, "
                    "got 'case.id'"
                ),
            ),
            (
                {"field": "case.priority", "op": "in", "value": "high"},
                sc.errors.InvalidValueError,
                "when.value: expected a list of values, got 'high'",
            ),
            (
                {"field": "case.priority", "op": "in", "value": []},
                sc.errors.InvalidValueError,
                "when.value: expected at least one value",
            ),
            (
                {"field": "case.priority", "op": "is", "value": ["high"]},
                sc.errors.InvalidValueError,
                (
                    "when.value: expected one value, got a list; use 'in' for "
                    "several"
                ),
            ),
            (
                {"field": "case.priority", "op": "is", "value": 3},
                sc.errors.InvalidValueError,
                (
                    "when.value: 3 is not a priority; write one of 'low', "
                    "'normal', 'high', 'urgent'"
                ),
            ),
            (
                {"field": "case.reopen_count", "op": "gt", "value": "two"},
                sc.errors.InvalidValueError,
                "when.value: 'two' is not a whole number",
            ),
            (
                {"field": "case.age", "op": "gt", "value": "4 hrs"},
                sc.errors.InvalidValueError,
                "when.value: unknown duration '4 hrs'; did you mean '4h'?",
            ),
            (
                {"field": "case.age", "op": "gt", "value": 3600},
                sc.errors.InvalidValueError,
                (
                    "when.value: 3600 is not a duration; write it as a string "
                    "such as '30m', '4h' or '1d 4h'"
                ),
            ),
            (
                {"field": "case.has_agent_reply", "op": "is", "value": "yes"},
                sc.errors.InvalidValueError,
                "when.value: 'yes' is not true or false",
            ),
            (
                {"field": "moment.hour", "op": "between", "value": [17, 9]},
                sc.errors.InvalidValueError,
                "when.value: low 17 is above high 9",
            ),
            (
                {"field": "moment.hour", "op": "between", "value": [9]},
                sc.errors.InvalidValueError,
                "when.value: expected [low, high], got [9]",
            ),
            (
                {"field": "case.tags", "op": "includes_any", "value": [""]},
                sc.errors.InvalidValueError,
                "when.value[0]: '' is not a tag; write a non-empty string",
            ),
            (
                {"field": "case.fields.x", "op": "gt", "value": "3"},
                sc.errors.InvalidValueError,
                (
                    "when.value: '3' is not a number or an ISO 8601 date to "
                    "compare with"
                ),
            ),
            (
                {"field": "customer.attributes.x", "op": "is", "value": [1]},
                sc.errors.InvalidValueError,
                (
                    "when.value: expected one value, got a list; use 'in' for "
                    "several"
                ),
            ),
            (
                {"field": "case.score", "op": "is", "value": 1},
                sc.errors.UnknownFieldError,
                (
                    "when.field: unknown field 'case.score'; did you mean "
                    "'case.solved_at'?"
                ),
            ),
        ],
    )
    def test_error(self, data, cls, message):
        """A wrong condition raises its error class with path and message."""
        error = _error(data)
        assert type(error) is cls
        assert str(error) == message

    def test_error_keeps_location_and_problem(self):
        """The error's location is the path; its problem the message rest."""
        error = _error(
            {"all": [{"field": "case.priority", "op": "is", "value": "hgh"}]}
        )
        assert (error.location, error.problem) == (
            "when.all[0].value",
            "'hgh' is not a priority; did you mean 'high'?",
        )

    def test_location_is_configurable(self):
        """Paths start at the location the caller gives."""
        with pytest.raises(
            sc.errors.UnknownFieldError, match=r"^sla\.policies\[2\]"
        ):
            sc.Condition.from_dict(
                {"field": "nope", "op": "is", "value": 1},
                location="sla.policies[2].when",
            )

    def test_too_deep(self):
        """Nesting past the limit is refused rather than recursing on."""
        data: dict = {"field": "case.id", "op": "present"}
        for _ in range(40):
            data = {"not": data}
        error = _error(data)
        assert str(error) == (
            "when" + ".not" * 33 + ": conditions nest deeper than 32 levels"
        )


class TestAllErrorsTogether:
    def test_every_problem_is_reported(self):
        """Every problem of a document comes in one error, in document order."""
        error = _error(
            {
                "all": [
                    {
                        "field": "case.priority",
                        "op": "in",
                        "value": ["urgnt", "hgh"],
                    },
                    {"field": "case.stauts", "op": "is", "value": "open"},
                ],
                "any": [{"field": "case.status", "op": "nope", "value": 1}],
                "not": {"field": "moment.hour", "op": "lt", "value": "x"},
            }
        )
        assert isinstance(error, sc.errors.PolicyValidationError)
        assert [str(e) for e in error.errors] == [
            (
                "when.all[0].value[0]: 'urgnt' is not a priority; "
                "did you mean 'urgent'?"
            ),
            (
                "when.all[0].value[1]: 'hgh' is not a priority; "
                "did you mean 'high'?"
            ),
            (
                "when.all[1].field: unknown field 'case.stauts'; "
                "did you mean 'case.status'?"
            ),
            "when.any[0].op: unknown operator 'nope'",
            "when.not.value: 'x' is not a whole number",
        ]
        assert error.location == "when"


class TestCoercion:
    @pytest.mark.parametrize(
        ("field", "op", "value", "coerced"),
        [
            ("case.priority", "is", " High ", "high"),
            ("case.status", "in", ["OPEN", "new"], frozenset({"open", "new"})),
            ("case.reopen_count", "is", "2", 2),
            ("case.reopen_count", "is", 2.0, 2),
            ("case.age", "gt", "1d 4h", 100_800),
            ("case.age", "gt", "PT30M", 1800),
            ("case.has_agent_reply", "is", "TRUE", True),
            ("case.tags", "contains", " VIP", "vip"),
            ("case.tags", "includes_all", ["A", "b "], frozenset({"a", "b"})),
            ("moment.weekday", "between", ["MON", "fri"], ("mon", "fri")),
            ("customer.attributes.size", "gte", 10, (1, 10)),
            (
                "case.fields.code",
                "in",
                ["a", 1, True],
                frozenset({(2, "a"), (1, 1), (0, True)}),
            ),
        ],
    )
    def test_value_is_coerced(self, field, op, value, coerced):
        """Policy values become the field type's run-time values at load."""
        condition = sc.Condition.from_dict(
            {"field": field, "op": op, "value": value}
        )
        assert condition._node.value == coerced

    def test_number_fields_take_numeric_strings(self, registry):
        """A float field reads "0.5" as 0.5 and refuses non-finite numbers."""
        condition = sc.Condition.from_dict(
            {"field": "t.score", "op": "lt", "value": "0.5"}, registry=registry
        )
        assert condition._node.value == 0.5
        with pytest.raises(
            sc.errors.InvalidValueError, match="is not a number"
        ):
            sc.Condition.from_dict(
                {"field": "t.score", "op": "lt", "value": "nan"},
                registry=registry,
            )


class _Broken:
    """An operator whose check or compile raises a foreign exception."""

    name = "broken"
    description = "raises"
    value_form = "anything"
    takes_value = True

    def __init__(self, step):
        self.step = step

    def accepts(self, ftype):
        return ftype.kind == "int"

    def check(self, ftype, value, location):  # noqa: ARG002
        if self.step == "check":
            raise KeyError(value)
        return value

    def compile(self, get, ftype, value):  # noqa: ARG002
        raise ZeroDivisionError(value)


class TestPluginBugs:
    @pytest.mark.parametrize(
        ("step", "location", "cause"),
        [
            ("check", "when.value", KeyError),
            ("compile", "operator 'broken'", ZeroDivisionError),
        ],
    )
    def test_foreign_exceptions_become_plugin_errors(
        self, step, location, cause
    ):
        """A plugin operator that raises yields a PluginError naming it."""
        registry = sc.Registry()
        registry.add_operator(_Broken(step))
        with pytest.raises(sc.errors.PluginError) as info:
            sc.Condition.from_dict(
                {"field": "case.reopen_count", "op": "broken", "value": 3},
                registry=registry,
            )
        assert info.value.location == location
        assert f"failed in {step}(): {cause.__name__}: 3" in str(info.value)
        assert isinstance(info.value.__cause__, cause)
