"""A registry of one field per type, over plain dict contexts."""

from __future__ import annotations

import pytest

import servicecore as sc

TYPES = {
    "t.text": sc.conditions.FieldType.string(),
    "t.prio": sc.conditions.FieldType.enum(
        "priority", ["low", "normal", "high", "urgent"], ordered=True
    ),
    "t.status": sc.conditions.FieldType.enum(
        "status", ["new", "open", "solved"]
    ),
    "t.count": sc.conditions.FieldType.integer(),
    "t.score": sc.conditions.FieldType.number(),
    "t.wait": sc.conditions.FieldType.duration(),
    "t.when": sc.conditions.FieldType.moment(),
    "t.flag": sc.conditions.FieldType.boolean(),
    "t.tags": sc.conditions.FieldType.string_set(),
}


def make_registry() -> sc.Registry:
    """Return a registry with only the test fields and built-in operators."""
    registry = sc.Registry(builtins=False)
    for operator in sc.Registry().operator_names():
        registry.add_operator(sc.Registry().operator(operator))
    for name, ftype in TYPES.items():
        registry.add_field(
            sc.conditions.Field(
                name=name, type=ftype, get=lambda c, key=name: c.get(key)
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


@pytest.fixture(name="registry")
def _registry() -> sc.Registry:
    return make_registry()
