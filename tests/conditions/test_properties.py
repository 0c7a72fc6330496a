"""
Properties: compiled equals reference; loaders raise only our errors.

The reference interpreter below is deliberately slow and obvious: it reads
the document as written, with no coercion tables, no closures and no
registry.
"""

from __future__ import annotations

import contextlib
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc

PRIORITIES = ["low", "normal", "high", "urgent"]
TAGS = ["a", "b", "c"]
TEXTS = ["", "a", "ab", "ba", "abc", "A"]
PATTERNS = ["^a", "b$", "a+b", "(?i)A", "c|^$"]
ANY_VALUES = ["a", "b", 0, 1, 2.5, True, False]

# field -> (kind, strategy of run-time values, strategy of policy scalars)
FIELDS = {
    "t.text": ("string", st.sampled_from(TEXTS), st.sampled_from(TEXTS)),
    "t.prio": (
        "enum",
        st.sampled_from(PRIORITIES),
        st.sampled_from(PRIORITIES),
    ),
    "t.count": ("int", st.integers(-3, 3), st.integers(-3, 3)),
    "t.score": (
        "float",
        st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0]),
        st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0]),
    ),
    "t.wait": ("duration", st.integers(0, 5), st.integers(0, 5)),
    "t.flag": ("bool", st.booleans(), st.booleans()),
    "t.tags": (
        "set",
        st.frozensets(st.sampled_from(TAGS)),
        st.sampled_from(TAGS),
    ),
    "t.any.x": (
        "any",
        st.sampled_from(ANY_VALUES),
        st.sampled_from(ANY_VALUES),
    ),
}

OPS = {
    "string": [
        "is",
        "is_not",
        "in",
        "not_in",
        "contains",
        "not_contains",
        "starts_with",
        "matches",
        "present",
        "absent",
    ],
    "enum": [
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "present",
        "absent",
    ],
    "int": [
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "present",
        "absent",
    ],
    "float": [
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "present",
        "absent",
    ],
    "duration": [
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "present",
        "absent",
    ],
    "bool": ["is", "is_not", "present", "absent"],
    "set": [
        "contains",
        "not_contains",
        "includes_any",
        "includes_all",
        "present",
        "absent",
    ],
    "any": [
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
        "contains",
        "not_contains",
        "starts_with",
        "matches",
        "present",
        "absent",
    ],
}


def _registry():
    registry = sc.Registry(builtins=False)
    builtin = sc.Registry()
    for name in builtin.operator_names():
        registry.add_operator(builtin.operator(name))
    types = {
        "string": sc.FieldType.string(),
        "enum": sc.FieldType.enum("priority", PRIORITIES, ordered=True),
        "int": sc.FieldType.integer(),
        "float": sc.FieldType.number(),
        "duration": sc.FieldType.duration(),
        "bool": sc.FieldType.boolean(),
        "set": sc.FieldType.string_set(),
    }
    for name, (kind, _, _) in FIELDS.items():
        if kind != "any":
            registry.add_field(
                sc.Field(
                    name=name,
                    type=types[kind],
                    get=lambda c, key=name: c.get(key),
                )
            )
    registry.add_field(
        sc.FieldFamily(
            name="t.any.*",
            type=sc.FieldType.scalar(),
            get=lambda c, key: c.get(f"t.any.{key}"),
        )
    )
    return registry


REGISTRY = _registry()


def _written(kind, value):
    """Write a run-time scalar as a policy would."""
    return f"{value}s" if kind == "duration" else value


@st.composite
def clauses(draw):
    """Draw one valid clause of the test fields."""
    field = draw(st.sampled_from(sorted(FIELDS)))
    kind, _, scalars = FIELDS[field]
    assert set(REGISTRY.operators_for(REGISTRY.field(field))) == set(OPS[kind])
    op = draw(st.sampled_from(OPS[kind]))
    clause = {"field": field, "op": op}
    numbers = st.sampled_from([0, 1, 2.5, -1])
    if op in {"present", "absent"}:
        return clause
    if op in {"in", "not_in", "includes_any", "includes_all"}:
        items = draw(st.lists(scalars, min_size=1, max_size=3))
        clause["value"] = [_written(kind, item) for item in items]
    elif op == "between":
        pair = draw(
            st.lists(
                numbers if kind == "any" else scalars, min_size=2, max_size=2
            )
        )
        key = PRIORITIES.index if kind == "enum" else (lambda v: v)
        pair.sort(key=key)
        clause["value"] = [_written(kind, item) for item in pair]
    elif op in {"lt", "lte", "gt", "gte"}:
        scalar = draw(numbers if kind == "any" else scalars)
        clause["value"] = _written(kind, scalar)
    elif op == "matches":
        clause["value"] = draw(st.sampled_from(PATTERNS))
    elif op in {"contains", "not_contains", "starts_with"}:
        clause["value"] = draw(
            st.sampled_from(TAGS) if kind == "set" else st.sampled_from(TEXTS)
        )
    else:
        clause["value"] = _written(kind, draw(scalars))
    return clause


conditions = st.recursive(
    clauses(),
    lambda children: st.one_of(
        st.builds(
            lambda parts: {"all": parts}, st.lists(children, max_size=5)
        ),
        st.builds(
            lambda parts: {"any": parts},
            st.lists(children, min_size=1, max_size=5),
        ),
        st.builds(lambda part: {"not": part}, children),
        st.fixed_dictionaries(
            {
                "all": st.lists(children, max_size=3),
                "any": st.lists(children, min_size=1, max_size=3),
            },
            optional={"not": children},
        ),
    ),
    max_leaves=12,
)

contexts = st.fixed_dictionaries(
    {
        name: st.one_of(st.none(), values)
        for name, (_, values, _) in FIELDS.items()
    }
)


# -- the reference interpreter ------------------------------------------------


def _policy_value(kind, value):
    """Read one policy scalar back into a run-time value."""
    if kind == "duration":
        return int(value[:-1])
    return value


def _present(actual):
    if actual is None:
        return False
    if isinstance(actual, str | frozenset):
        return len(actual) > 0
    return True


def _comparable(kind, actual):
    if kind == "any":
        return type(actual) in {int, float}
    return actual is not None


def _key(kind, value):
    return PRIORITIES.index(value) if kind == "enum" else value


def reference_clause(clause, context):  # noqa: C901, PLR0911, PLR0912
    """Evaluate one clause the obvious way."""
    field, op = clause["field"], clause["op"]
    kind = FIELDS[field][0]
    actual = context.get(field)
    raw = clause.get("value")
    if op == "present":
        return _present(actual)
    if op == "absent":
        return not _present(actual)
    if op == "is":
        return actual == _policy_value(kind, raw)
    if op == "is_not":
        return actual != _policy_value(kind, raw)
    if op == "in":
        return any(actual == _policy_value(kind, v) for v in raw)
    if op == "not_in":
        return not any(actual == _policy_value(kind, v) for v in raw)
    if op in {"lt", "lte", "gt", "gte", "between"}:
        if not _comparable(kind, actual):
            return False
        a = _key(kind, actual)
        if op == "between":
            low, high = (_key(kind, _policy_value(kind, v)) for v in raw)
            return low <= a <= high
        b = _key(kind, _policy_value(kind, raw))
        return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[op]
    if op in {"contains", "not_contains"}:
        if kind == "set":
            found = actual is not None and raw in actual
        else:
            found = isinstance(actual, str) and raw in actual
        return found if op == "contains" else not found
    if op == "starts_with":
        return isinstance(actual, str) and actual.startswith(raw)
    if op == "matches":
        return isinstance(actual, str) and re.search(raw, actual) is not None
    if op == "includes_any":
        return actual is not None and any(tag in actual for tag in raw)
    if op == "includes_all":
        return actual is not None and all(tag in actual for tag in raw)
    raise AssertionError(op)


def reference(condition, context):
    """Evaluate a condition document the obvious way."""
    if "field" in condition:
        return reference_clause(condition, context)
    results = []
    if "all" in condition:
        results.append(all(reference(p, context) for p in condition["all"]))
    if "any" in condition:
        results.append(any(reference(p, context) for p in condition["any"]))
    if "not" in condition:
        results.append(not reference(condition["not"], context))
    return all(results)


class TestAgainstReference:
    @settings(max_examples=200)
    @given(condition=conditions, context=contexts)
    def test_compiled_equals_reference(self, condition, context):
        """A compiled condition holds exactly when the reference says so."""
        compiled = sc.Condition.from_dict(condition, registry=REGISTRY)
        expected = reference(condition, context)
        assert compiled(context) is expected
        assert compiled.explain(context).held is expected


# -- malformed documents --------------------------------------------------------

KEYS = st.sampled_from(
    [
        "field",
        "op",
        "value",
        "all",
        "any",
        "not",
        "vlaue",
        "",
        "schema_version",
        "conditions",
        "condition",
    ]
)
FIELD_NAMES = st.sampled_from(
    [*sc.Registry().field_names(), "case.fields.", "case.fields.x", "x", ""]
)
OP_NAMES = st.sampled_from([*sc.Registry().operator_names(), "iss", ""])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    FIELD_NAMES,
    OP_NAMES,
    st.sampled_from(
        [
            "high",
            "hgh",
            "4h",
            "4 hrs",
            "a(",
            "[",
            "x" * 400,
            "9" * 30 + "w",
            "PT",
            "1d 4h",
            "c",
            "d",
        ]
    ),
)
JUNK = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(KEYS, st.text(max_size=5)), children, max_size=4
        ),
    ),
    max_leaves=20,
)
CLAUSE_LIKE = st.fixed_dictionaries(
    {"field": FIELD_NAMES, "op": OP_NAMES},
    optional={"value": JUNK},
)
DOCUMENTS = st.recursive(
    st.one_of(CLAUSE_LIKE, JUNK),
    lambda children: st.one_of(
        st.dictionaries(
            KEYS,
            st.one_of(children, st.lists(children, max_size=3)),
            max_size=3,
        ),
    ),
    max_leaves=15,
)


def _only_our_errors(load, data):
    with contextlib.suppress(sc.ServiceCoreError):
        load(data)


class TestMalformed:
    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(data=DOCUMENTS)
    def test_conditions(self, data):
        """No condition document raises anything but a ServiceCoreError."""
        _only_our_errors(sc.Condition.from_dict, data)

    @settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
    @given(data=DOCUMENTS, version=st.one_of(st.just(1), SCALARS))
    def test_documents(self, data, version):
        """No policy document raises anything but a ServiceCoreError."""
        document = {
            "schema_version": version,
            "conditions": {"c": data, "d": {"condition": "c"}},
            "sla": {"policies": [{"name": "p", "when": data}]},
        }
        _only_our_errors(sc.PolicyDocument.from_dict, document)
        _only_our_errors(sc.PolicyDocument.from_dict, data)

    @settings(max_examples=200)
    @given(text=st.one_of(st.text(max_size=60), st.binary(max_size=60)))
    def test_text(self, text):
        """No TOML or JSON text raises anything but a ServiceCoreError."""
        _only_our_errors(sc.PolicyDocument.from_toml, text)
        _only_our_errors(sc.PolicyDocument.from_json, text)

    def test_non_finite_numbers(self):
        """NaN and infinities are refused as numbers, never compared."""
        for value in (math.nan, math.inf):
            _only_our_errors(
                sc.Condition.from_dict,
                {"field": "case.fields.x", "op": "gt", "value": value},
            )
