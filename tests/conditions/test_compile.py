"""Groups, compiled closures, explanations and the Condition API."""

from __future__ import annotations

import ast
import inspect

import pytest

import servicecore as sc
from servicecore.conditions import _compile, _operators


def _clause(value):
    return {"field": "t.count", "op": "is", "value": value}


class TestGroups:
    @pytest.mark.parametrize(
        "size", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 64, 65, 70]
    )
    def test_all_of_any_size(self, registry, size):
        """All holds exactly when every part holds, whatever its size."""
        parts = [_clause(1) for _ in range(size)]
        condition = sc.Condition.from_dict({"all": parts}, registry=registry)
        assert condition({"t.count": 1}) is True
        assert condition({"t.count": 2}) is (size == 0)
        if size:
            parts[-1] = _clause(2)
            last_fails = sc.Condition.from_dict(
                {"all": parts}, registry=registry
            )
            assert last_fails({"t.count": 1}) is False

    @pytest.mark.parametrize(
        "size", [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 64, 65, 70]
    )
    def test_any_of_any_size(self, registry, size):
        """Any holds exactly when some part holds, whatever its size."""
        parts = [_clause(1) for _ in range(size - 1)] + [_clause(2)]
        condition = sc.Condition.from_dict({"any": parts}, registry=registry)
        assert condition({"t.count": 2}) is True
        assert condition({"t.count": 1}) is (size > 1)
        assert condition({"t.count": 3}) is False

    def test_not(self, registry):
        """Not inverts its part."""
        condition = sc.Condition.from_dict(
            {"not": _clause(1)}, registry=registry
        )
        assert [condition({"t.count": n}) for n in (1, 2)] == [False, True]

    def test_combined_keys_must_all_hold(self, registry):
        """A group with all, any and not holds when each of them holds."""
        condition = sc.Condition.from_dict(
            {
                "all": [{"field": "t.count", "op": "gte", "value": 1}],
                "any": [_clause(2), _clause(3)],
                "not": _clause(3),
            },
            registry=registry,
        )
        assert [condition({"t.count": n}) for n in (1, 2, 3)] == [
            False,
            True,
            False,
        ]

    def test_short_circuit(self, registry):
        """All stops at the first failing part."""
        seen = []
        registry.add_field(
            sc.conditions.Field(
                name="t.probe",
                type=sc.conditions.FieldType.integer(),
                get=lambda _: seen.append(1) or 1,
            )
        )
        condition = sc.Condition.from_dict(
            {
                "all": [
                    _clause(9),
                    {"field": "t.probe", "op": "is", "value": 1},
                ]
            },
            registry=registry,
        )
        assert condition({"t.count": 1}) is False
        assert seen == []


class TestNoEval:
    def test_no_eval_exec_or_compile(self):
        """The compiler and operators never call eval, exec or compile()."""
        for module in (_compile, _operators):
            tree = ast.parse(inspect.getsource(module))
            called = {
                node.func.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
            }
            assert not called & {"eval", "exec", "compile"}


class TestExplain:
    def test_report(self, registry):
        """explain() shows every part with its actual value and path."""
        condition = sc.Condition.from_dict(
            {
                "all": [
                    {"field": "t.prio", "op": "gte", "value": "high"},
                    {"field": "t.tags", "op": "includes_any", "value": ["a"]},
                ],
                "not": {"field": "t.wait", "op": "gt", "value": "4h"},
            },
            registry=registry,
        )
        context = {
            "t.prio": "urgent",
            "t.tags": frozenset({"b", "c"}),
            "t.wait": 5 * 3600,
        }
        explanation = condition.explain(context)
        assert str(explanation) == (
            "no   all (when)\n"
            "no     all (when.all)\n"
            "yes      t.prio gte 'high': actual 'urgent' (when.all[0])\n"
            "no       t.tags includes_any ['a']: actual ['b', 'c'] "
            "(when.all[1])\n"
            "no     not (when.not)\n"
            "yes      t.wait gt '4h': actual '5h' (when.not)"
        )
        assert explanation.held is condition(context) is False

    def test_clause_attributes(self, registry):
        """A clause's explanation carries field, op, expected and actual."""
        condition = sc.Condition.from_dict(
            {"field": "t.text", "op": "present"}, registry=registry
        )
        explanation = condition.explain({"t.text": None})
        assert (
            explanation.held,
            explanation.field,
            explanation.op,
            explanation.expected,
            explanation.actual,
            str(explanation),
        ) == (
            False,
            "t.text",
            "present",
            None,
            None,
            "no   t.text present: actual None (when)",
        )

    def test_always(self):
        """The always-condition explains itself as such."""
        assert str(sc.Condition.always().explain(None)) == "yes  always"


class TestConditionAPI:
    def test_fields_and_document(self, registry):
        """A condition lists the fields it reads and keeps its document."""
        document = {
            "any": [_clause(1), {"not": {"field": "t.text", "op": "absent"}}]
        }
        condition = sc.Condition.from_dict(document, registry=registry)
        assert condition.fields == frozenset({"t.count", "t.text"})
        assert condition.to_dict() is document
        assert condition.holds({"t.count": 1}) is True
        assert condition.predicate({"t.count": 1}) is True
        assert repr(condition) == "<Condition when ['t.count', 't.text']>"
