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
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc

PRIORITIES = ["low", "normal", "high", "urgent"]
TAGS = ["a", "b", "c"]
TEXTS = ["", "a", "ab", "ba", "abc", "A"]
PATTERNS = ["^a", "b$", "a+b", "(?i)A", "c|^$"]
JUNE = [
    "2024-06-01",
    "2024-06-01T00:00:00Z",
    "2024-06-01T02:00:00+02:00",
    "2024-06-02",
    date(2024, 6, 1),
    date(2024, 5, 31),
]
ANY_VALUES = ["a", "b", 0, 1, 1.0, 2.5, True, False, *JUNE]
# Run-time values a policy cannot write: an aware datetime, naive text.
ANY_ACTUALS = [
    *ANY_VALUES,
    datetime(2024, 6, 1, 12, tzinfo=UTC),
    "2024-06-01T00:00:00",
]
MOMENTS = [1717200000 + hours * 3600 for hours in (-24, -1, 0, 1, 24)]

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
    "t.when": ("moment", st.sampled_from(MOMENTS), st.sampled_from(JUNE)),
    "t.flag": ("bool", st.booleans(), st.booleans()),
    "t.tags": (
        "set",
        st.frozensets(st.sampled_from(TAGS)),
        st.sampled_from(TAGS),
    ),
    "t.any.x": (
        "any",
        st.sampled_from(ANY_ACTUALS),
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
    "moment": [
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
        "string": sc.conditions.FieldType.string(),
        "enum": sc.conditions.FieldType.enum(
            "priority", PRIORITIES, ordered=True
        ),
        "int": sc.conditions.FieldType.integer(),
        "float": sc.conditions.FieldType.number(),
        "duration": sc.conditions.FieldType.duration(),
        "moment": sc.conditions.FieldType.moment(),
        "bool": sc.conditions.FieldType.boolean(),
        "set": sc.conditions.FieldType.string_set(),
    }
    for name, (kind, _, _) in FIELDS.items():
        if kind != "any":
            registry.add_field(
                sc.conditions.Field(
                    name=name,
                    type=types[kind],
                    get=lambda c, key=name: c.get(key),
                )
            )
    registry.add_field(
        sc.conditions.FieldFamily(
            name="t.any.*",
            type=sc.conditions.FieldType.scalar(),
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
    if kind == "any" and draw(st.booleans()):
        numbers = st.sampled_from(JUNE)
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
        if kind == "enum":
            pair.sort(key=PRIORITIES.index)
        elif kind in {"moment", "any"} and isinstance(pair[0], str | date):
            pair.sort(key=_instant)
        else:
            pair.sort()
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
    if kind == "moment":
        return int(_instant(value).timestamp())
    return value


def _instant(value):
    """Return a date, aware datetime or ISO 8601 text as a datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == len("2024-06-01"):
        return parsed.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else None


def _family(value):
    """Return what an untyped value is: bool, number, moment or text."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if _instant(value) is not None:
        return "moment"
    return "text" if isinstance(value, str) else None


def _untyped_equal(actual, written):
    """Return whether an untyped value equals a policy value, kind by kind."""
    if _family(written) == "moment":
        return _instant(actual) == _instant(written)
    return _family(actual) == _family(written) and actual == written


def _untyped_order(actual, written):
    """Return the pair to order, or None when the kinds differ."""
    if _family(written) == "moment":
        found = _instant(actual)
        return None if found is None else (found, _instant(written))
    if _family(actual) != "number":
        return None
    return actual, written


def _present(actual):
    if actual is None:
        return False
    if isinstance(actual, str | frozenset):
        return len(actual) > 0
    return True


def _key(kind, value):
    return PRIORITIES.index(value) if kind == "enum" else value


def _compare(op, a, b):
    return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[op]


def reference_untyped(op, actual, raw):
    """Evaluate a comparing clause of an untyped field the obvious way."""
    if op == "is":
        return _untyped_equal(actual, raw)
    if op == "is_not":
        return not _untyped_equal(actual, raw)
    if op == "in":
        return any(_untyped_equal(actual, v) for v in raw)
    if op == "not_in":
        return not any(_untyped_equal(actual, v) for v in raw)
    if op == "between":
        low, high = (_untyped_order(actual, v) for v in raw)
        return low is not None and low[1] <= low[0] <= high[1]
    pair = _untyped_order(actual, raw)
    return pair is not None and _compare(op, *pair)


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
    if kind == "any" and op in {
        "is",
        "is_not",
        "in",
        "not_in",
        "lt",
        "lte",
        "gt",
        "gte",
        "between",
    }:
        return reference_untyped(op, actual, raw)
    if op == "is":
        return actual == _policy_value(kind, raw)
    if op == "is_not":
        return actual != _policy_value(kind, raw)
    if op == "in":
        return any(actual == _policy_value(kind, v) for v in raw)
    if op == "not_in":
        return not any(actual == _policy_value(kind, v) for v in raw)
    if op in {"lt", "lte", "gt", "gte", "between"}:
        if actual is None:
            return False
        a = _key(kind, actual)
        if op == "between":
            low, high = (_key(kind, _policy_value(kind, v)) for v in raw)
            return low <= a <= high
        return _compare(op, a, _key(kind, _policy_value(kind, raw)))
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
