"""Policy documents load from TOML, JSON and dicts, checked completely."""

from __future__ import annotations

import contextlib
import io
import json
import tomllib

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore import config

TOML = """\
schema_version = 1

[conditions.vip_urgent]
all = [
  {field = "customer.tier", op = "is", value = "vip"},
  {field = "case.priority", op = "gte", value = "high"},
]

[conditions.weekend]
field = "moment.weekday"
op = "in"
value = ["sat", "sun"]
"""

BROKEN = """\
schema_version = 1

[conditions.vip_urgent]
all = [
  {field = "customer.tier", op = "is", value = "vip"},
  {field = "case.priority", op = "in", value = ["urgent", "hgh"]},
]

[conditions.weekend]
field = "moment.wekday"
op = "in"
value = ["sat", "sun"]

[xyzzy]
x = 1
"""


class TestLoading:
    def test_toml(self):
        """A TOML document loads its named conditions, compiled."""
        document = sc.PolicyDocument.from_toml(TOML)
        assert (document.schema_version, document.source) == (1, "<string>")
        assert sorted(document.conditions) == ["vip_urgent", "weekend"]
        saturday = sc.EvaluationContext(
            at=pendulum.datetime(2024, 3, 9, tz="UTC")
        )
        assert document.condition("weekend")(saturday) is True

    def test_json_and_dict_agree_with_toml(self):
        """The same document as JSON or a dict loads the same conditions."""
        data = tomllib.loads(TOML)
        from_json = sc.PolicyDocument.from_json(json.dumps(data))
        from_dict = sc.PolicyDocument.from_dict(data)
        for document in (from_json, from_dict):
            assert {
                name: condition.to_dict()
                for name, condition in document.conditions.items()
            } == data["conditions"]

    def test_files(self, tmp_path):
        """load_policies reads .toml and .json files and binary streams."""
        toml_path = tmp_path / "policies.toml"
        toml_path.write_text(TOML, encoding="utf-8")
        json_path = tmp_path / "policies.json"
        json_path.write_text(json.dumps(tomllib.loads(TOML)), encoding="utf-8")
        for source in (
            toml_path,
            str(json_path),
            io.BytesIO(TOML.encode()),
            tomllib.loads(TOML),
        ):
            document = sc.load_policies(source)
            assert sorted(document.conditions) == ["vip_urgent", "weekend"]
        assert sc.load_policies(toml_path).source == str(toml_path)

    def test_unknown_condition_name(self):
        """Asking for a condition that is not there suggests the closest."""
        document = sc.PolicyDocument.from_toml(TOML)
        with pytest.raises(sc.PolicyError) as info:
            document.condition("weekends")
        assert str(info.value) == (
            "conditions.weekends: no condition 'weekends'; "
            "did you mean 'weekend'?"
        )


class TestSchemaVersion:
    @pytest.mark.parametrize(
        ("data", "cls", "message"),
        [
            (
                {},
                sc.PolicySyntaxError,
                (
                    "schema_version: missing; start the document with "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": "1"},
                sc.InvalidValueError,
                (
                    "schema_version: '1' is not a version number; write "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": True},
                sc.InvalidValueError,
                (
                    "schema_version: True is not a version number; write "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": 2},
                sc.InvalidValueError,
                (
                    "schema_version: version 2 is not supported; this "
                    "servicecore reads schema_version = 1"
                ),
            ),
        ],
    )
    def test_version_is_required_and_checked(self, data, cls, message):
        """Every document declares the format version this code reads."""
        with pytest.raises(cls) as info:
            sc.PolicyDocument.from_dict(data)
        assert str(info.value) == message


class TestErrors:
    def test_every_problem_with_its_path(self):
        """All problems of a document are reported together, with paths."""
        with pytest.raises(sc.PolicyValidationError) as info:
            sc.PolicyDocument.from_toml(BROKEN, source="policies.toml")
        error = info.value
        assert error.location == "policies.toml"
        assert [str(e) for e in error.errors] == [
            (
                "conditions.vip_urgent.all[1].value[1]: 'hgh' is not a "
                "priority; did you mean 'high'?"
            ),
            (
                "conditions.weekend.field: unknown field 'moment.wekday'; "
                "did you mean 'moment.weekday'?"
            ),
            "xyzzy: unknown section 'xyzzy'; known sections: "
            + ", ".join(sorted(config._SECTIONS)),
        ]

    @pytest.mark.parametrize(
        ("method", "text", "message"),
        [
            (
                sc.PolicyDocument.from_toml,
                "schema_version = 1\n[conditions\n",
                (
                    "policies:2:12: not valid TOML: Expected ']' at the end of "
                    "a table declaration"
                ),
            ),
            (
                sc.PolicyDocument.from_json,
                '{"schema_version": 1,\n "x": }',
                "policies:2:7: not valid JSON: Expecting value",
            ),
            (
                sc.PolicyDocument.from_json,
                b"\xff\xfe",
                "policies: not UTF-8 text: invalid start byte at byte 0",
            ),
            (
                sc.PolicyDocument.from_json,
                "[1, 2]",
                "policies: a policy document must be a table at the top",
            ),
            (
                sc.PolicyDocument.from_json,
                "[" * 100_000 + "]" * 100_000,
                "policies: JSON nested too deeply",
            ),
        ],
    )
    def test_foreign_errors_are_mapped(self, method, text, message):
        """Tomllib's and json's errors become PolicySyntaxError with a line."""
        with pytest.raises(sc.PolicySyntaxError) as info:
            method(text, source="policies")
        assert str(info.value) == message
        assert info.value.__cause__ is not None or "table" in message

    def test_unreadable_file(self, tmp_path):
        """A file that cannot be read is a PolicyError naming it."""
        missing = tmp_path / "missing.toml"
        with pytest.raises(sc.PolicyError) as info:
            sc.load_policies(missing)
        assert str(info.value) == (
            f"{missing}: cannot read the file: No such file or directory"
        )

    def test_bad_condition_names_and_shapes(self):
        """Condition names and the conditions table itself are checked."""
        with pytest.raises(sc.PolicyValidationError) as info:
            sc.PolicyDocument.from_dict(
                {"schema_version": 1, "conditions": {"a b": {}, "ok": []}}
            )
        assert [str(e) for e in info.value.errors] == [
            (
                "conditions.a b: condition name 'a b' must be letters, digits, "
                "'_' or '-'"
            ),
            (
                "conditions.ok: expected a condition table such as "
                "{all = [...]} or {field = ..., op = ..., value = ...}, got a "
                "list"
            ),
        ]
        with pytest.raises(sc.PolicySyntaxError) as single:
            sc.PolicyDocument.from_dict({"schema_version": 1, "conditions": 3})
        assert str(single.value) == (
            "conditions: expected a table of named conditions"
        )


class TestLineNumbers:
    @pytest.mark.parametrize(
        ("location", "line"),
        [
            ("conditions.vip_urgent", 3),
            ("conditions.vip_urgent.all[1].value[1]", 6),
            ("conditions.vip_urgent.all[0]", 5),
            ("conditions.weekend.field", 10),
            ("xyzzy", 14),
            ("nowhere", None),
        ],
    )
    def test_line_of(self, location, line):
        """line_of finds the line of a path's deepest key in the text."""
        assert config.line_of(BROKEN, location) == line

    @pytest.mark.parametrize(
        ("location", "line"),
        [
            ("sla.policies[0].name", 3),
            ("sla.policies[1].when.field", 7),
            ("sla.policies[2]", 9),
            ("sla.policies[1].targets.urgent", 8),
        ],
    )
    def test_arrays_of_tables(self, location, line):
        """Item i of an array of tables is the i-th repeat of its header."""
        text = (
            "schema_version = 1\n"
            "[[sla.policies]]\n"
            'name = "a"\n'
            "[[sla.policies]]\n"
            'name = "b"\n'
            "\n"
            'when = {field = "x", op = "is", value = 1}\n'
            'targets = {urgent = "1h"}\n'
            "[[sla.policies]]\n"
        )
        assert config.line_of(text, location) == line


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "4h",
            "high",
            "first_reply",
            "email",
            "mon-fri",
            "09:00-17:00",
            "UTC",
            "open",
            "vip",
            "notify",
            "case.priority",
            "in",
        ]
    ),
)
_KEYS = st.one_of(
    st.sampled_from(
        [
            "name",
            "when",
            "targets",
            "policies",
            "levels",
            "trigger",
            "actions",
            "rules",
            "set",
            "calendar",
            "field",
            "op",
            "value",
            "all",
            "any",
            "time_zone",
            "hours",
            "metrics",
        ]
    ),
    st.text(max_size=5),
)
_JUNK = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(_KEYS, children, max_size=4),
    ),
    max_leaves=25,
)


class TestEverySection:
    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(
        section=st.sampled_from(sorted(config._SECTIONS)),
        data=_JUNK,
    )
    def test_junk_raises_only_our_errors(self, section, data):
        """No section of a policy document lets a foreign exception out."""
        with contextlib.suppress(sc.ServiceCoreError):
            sc.PolicyDocument.from_dict({"schema_version": 1, section: data})
