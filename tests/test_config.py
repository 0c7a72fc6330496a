"""Policy documents load from TOML, JSON and dicts, checked completely."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tomllib

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore import config
from servicecore.personalization._catalogs import MessageTemplate

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
        with pytest.raises(sc.errors.PolicyError) as info:
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
                sc.errors.PolicySyntaxError,
                (
                    "schema_version: missing; start the document with "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": "1"},
                sc.errors.InvalidValueError,
                (
                    "schema_version: '1' is not a version number; write "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": True},
                sc.errors.InvalidValueError,
                (
                    "schema_version: True is not a version number; write "
                    "schema_version = 1"
                ),
            ),
            (
                {"schema_version": 2},
                sc.errors.InvalidValueError,
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
        with pytest.raises(sc.errors.PolicyValidationError) as info:
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
                "policies: not UTF-8 text: invalid start byte at byte 1",
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
        with pytest.raises(sc.errors.PolicySyntaxError) as info:
            method(text, source="policies")
        assert str(info.value) == message
        assert info.value.__cause__ is not None or "table" in message

    def test_unreadable_file(self, tmp_path):
        """A file that cannot be read is a PolicyError naming it."""
        missing = tmp_path / "missing.toml"
        with pytest.raises(sc.errors.PolicyError) as info:
            sc.load_policies(missing)
        assert str(info.value) == (
            f"{missing}: cannot read the file: No such file or directory"
        )

    def test_bad_condition_names_and_shapes(self):
        """Condition names and the conditions table itself are checked."""
        with pytest.raises(sc.errors.PolicyValidationError) as info:
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
        with pytest.raises(sc.errors.PolicySyntaxError) as single:
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


OFFICE = {"time_zone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}


def _level(trigger, name="l", **action):
    """Return an escalation level table with one notify action."""
    return {
        "name": name,
        "trigger": trigger,
        "actions": [{"do": "notify", "to": "lead", **action}],
    }


class TestEnginesAtLoad:
    def test_unknown_sla_calendar(self):
        """An SLA policy naming an unknown calendar does not load."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.load_policies(
                {
                    "schema_version": 1,
                    "sla": {
                        "calendars": {"office": OFFICE},
                        "policies": [{"name": "p", "calendar": "ofice"}],
                    },
                }
            )
        assert (info.value.location, info.value.problem) == (
            "sla.policies[0].calendar",
            "unknown calendar 'ofice'; did you mean 'office'?; known: office",
        )

    def test_escalation_engine_problems(self):
        """What only the escalation engine checks is reported at load."""
        where = "escalation.policies[0]"
        with pytest.raises(sc.errors.PolicyValidationError) as info:
            sc.load_policies(
                {
                    "schema_version": 1,
                    "calendars": {"office": OFFICE},
                    "sla": {
                        "policies": [
                            {
                                "name": "p",
                                "targets": {"normal": {"first_reply": "4h"}},
                            }
                        ]
                    },
                    "escalation": {
                        "policies": [
                            {
                                "name": "e",
                                "calendar": "ofice",
                                "levels": [
                                    _level(
                                        {
                                            "metric": "resolution",
                                            "breached": True,
                                        },
                                        quiet_hours="offce",
                                    )
                                ],
                            }
                        ]
                    },
                }
            )
        errors = info.value.errors
        assert [e.location for e in errors] == [
            f"{where}.calendar",
            f"{where}.levels[0].actions[0].quiet_hours",
            f"{where}.levels[0].trigger.metric",
        ]
        # The escalation engine may know the built-in calendar "24x7" too.
        for error, name in zip(errors, ["ofice", "offce"], strict=False):
            assert re.fullmatch(
                rf"unknown calendar '{name}'; did you mean 'office'\?; "
                r"known: (24x7, )?office",
                error.problem,
            )
        assert errors[2].problem == (
            "no SLA policy sets a target for 'resolution', so this level "
            "could never fire"
        )

    def test_engines_are_built_once(self):
        """The document keeps each engine; the personalizer is reused."""
        document = sc.load_policies(
            {
                "schema_version": 1,
                "sla": {"policies": []},
                "escalation": {"policies": []},
                "personalization": {"rules": []},
            }
        )
        assert {
            name: type(engine).__name__
            for name, engine in document.engines.items()
        } == {
            "sla": "SLAEngine",
            "escalation": "EscalationEngine",
            "personalization": "Personalizer",
        }
        assert document.engines["escalation"].sla is document.engines["sla"]
        assert (
            sc.Personalizer.from_document(document)
            is document.engines["personalization"]
        )

    def test_personalizer_with_its_own_catalog(self):
        """A personalizer loaded with a catalog is built and checked with it."""
        catalog = sc.personalization.MessageCatalog.default().with_templates(
            MessageTemplate(name="mine", source="Hello")
        )
        document = {
            "schema_version": 1,
            "personalization": {
                "rules": [{"name": "r", "set": {"greeting": "mine"}}]
            },
        }
        assert (
            sc.Personalizer.from_dict(document, catalog=catalog).catalog
            is catalog
        )
        with pytest.raises(sc.errors.TemplateError) as info:
            sc.load_policies(document)
        assert str(info.value) == (
            "personalization.rules[0].set.greeting: no template 'mine' in "
            "the message catalog"
        )

    def test_documents_compare_without_their_engines(self):
        """The same document loaded twice gives equal documents."""
        data = {"schema_version": 1, "sla": {"policies": []}}
        first, second = sc.load_policies(data), sc.load_policies(data)
        assert first.engines["sla"] is not second.engines["sla"]
        assert first == second

    def test_escalation_without_sla_section(self):
        """SLA triggers of an escalation-only document await the host's SLA."""
        document = sc.load_policies(
            {
                "schema_version": 1,
                "escalation": {
                    "policies": [
                        {
                            "name": "e",
                            "levels": [
                                _level(
                                    {"metric": "first_reply", "breached": True}
                                )
                            ],
                        }
                    ]
                },
            }
        )
        assert dict(document.engines) == {}
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^escalation\.polic"
        ):
            sc.load_policies(
                {
                    "schema_version": 1,
                    "escalation": {
                        "policies": [
                            {
                                "name": "e",
                                "calendar": "office",
                                "levels": [
                                    _level(
                                        {
                                            "metric": "first_reply",
                                            "consumed": 0.5,
                                        }
                                    )
                                ],
                            }
                        ]
                    },
                }
            )

    def test_section_problems_are_not_repeated(self):
        """A broken section builds no engine, so its problems come once."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.load_policies(
                {
                    "schema_version": 1,
                    "calendars": {"office": {"time_zone": "Europe/Berlin"}},
                    "sla": {"policies": [{"name": "p", "calendar": "office"}]},
                }
            )
        assert str(info.value) == (
            "calendars.office: a calendar needs 'hours', e.g. "
            "{'mon-fri': '09:00-17:00'}"
        )


class TestSharedCalendars:
    def test_declared_once_for_every_section(self):
        """A top-level calendar serves the SLA and escalation sections."""
        document = sc.load_policies(
            {
                "schema_version": 1,
                "calendars": {"office": OFFICE},
                "sla": {
                    "policies": [
                        {
                            "name": "p",
                            "calendar": "office",
                            "targets": {"normal": {"first_reply": "4h"}},
                        }
                    ]
                },
                "escalation": {
                    "policies": [
                        {
                            "name": "e",
                            "calendar": "office",
                            "levels": [
                                _level(
                                    {"metric": "first_reply", "consumed": 0.5},
                                    quiet_hours="office",
                                )
                            ],
                        }
                    ]
                },
            }
        )
        office = document.calendars["office"]
        assert office.time_zone == "Europe/Berlin"
        assert document.sections["sla"].calendars == {"office": office}
        assert document.sections["escalation"].calendars == {"office": office}

    def test_section_calendars_still_accepted(self):
        """A section's own calendars join the top-level ones."""
        document = sc.load_policies(
            {
                "schema_version": 1,
                "calendars": {"office": OFFICE},
                "sla": {"calendars": {"weekend": OFFICE}, "policies": []},
            }
        )
        assert sorted(document.sections["sla"].calendars) == [
            "office",
            "weekend",
        ]

    def test_defined_twice(self):
        """A section may not define again a name the top level defines."""
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.load_policies(
                {
                    "schema_version": 1,
                    "calendars": {"office": OFFICE},
                    "escalation": {"calendars": {"office": OFFICE}},
                }
            )
        assert str(info.value) == (
            "escalation.calendars.office: calendar 'office' is already "
            "defined in [calendars]; define it once, there"
        )

    def test_not_a_table(self):
        """The top-level calendars must be a table of calendars."""
        with pytest.raises(sc.errors.PolicySyntaxError) as info:
            sc.load_policies({"schema_version": 1, "calendars": ["office"]})
        assert str(info.value) == "calendars: expected a table of calendars"


_CALENDAR_NAMES = st.sampled_from(["office", "offce", "24x7"])
_METRICS = st.sampled_from(["first_reply", "resolution", "frist_reply"])


@st.composite
def _documents(draw):
    """Return a policy document, valid or subtly wrong."""
    document = {"schema_version": 1}
    if draw(st.booleans()):
        document["calendars"] = {"office": OFFICE}
    policies = [
        {
            "name": f"p{i}",
            "when": {"field": "case.channel", "op": "is", "value": "email"},
            "calendar": draw(_CALENDAR_NAMES),
            "targets": {
                "normal": draw(st.dictionaries(_METRICS, st.just("4h")))
            },
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    document["sla"] = {"policies": policies}
    triggers = st.one_of(
        st.builds(
            lambda metric: {"metric": metric, "breached": True}, _METRICS
        ),
        st.builds(
            lambda calendar: {
                "since": "status",
                "status": "pending",
                "after": "1h",
                "calendar": calendar,
            },
            _CALENDAR_NAMES,
        ),
    )
    levels = draw(
        st.lists(
            st.tuples(triggers, st.one_of(st.none(), _CALENDAR_NAMES)),
            min_size=1,
            max_size=2,
        )
    )
    levels = [
        _level(trigger, f"l{i}", **({"quiet_hours": quiet} if quiet else {}))
        for i, (trigger, quiet) in enumerate(levels)
    ]
    if draw(st.booleans()):
        document["escalation"] = {
            "policies": [{"name": "e", "levels": levels}]
        }
    if draw(st.booleans()):
        greeting = draw(st.sampled_from(["greeting.formal", "greeting.frmal"]))
        document["personalization"] = {
            "rules": [{"name": "r", "set": {"greeting": greeting}}]
        }
    return document


def _engines_build(document):
    """Return whether the loader alone and then every engine accept it."""
    builders = getattr(config, "_BUILDERS", {})
    saved = dict(builders)
    with contextlib.suppress(sc.errors.PolicyError):
        builders.clear()
        try:
            loaded = sc.PolicyDocument.from_dict(document)
        finally:
            builders.update(saved)
        sla = sc.SLAEngine(loaded.sections["sla"])
        if "escalation" in loaded.sections:
            sc.EscalationEngine(loaded.sections["escalation"], sla=sla)
        if "personalization" in loaded.sections:
            sc.Personalizer.from_document(loaded)
        return True
    return False


class TestValidationAgreesWithEngines:
    @settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
    @given(document=_documents())
    def test_validate_succeeds_exactly_when_every_engine_builds(
        self, document
    ):
        """A document loads exactly when every engine it feeds builds."""
        try:
            sc.load_policies(document)
        except sc.errors.PolicyError:
            valid = False
        else:
            valid = True
        assert valid == _engines_build(document)


class TestSources:
    @pytest.mark.parametrize("source", [None, [1], 3, b"schema_version = 1"])
    def test_what_is_not_a_source_is_refused(self, source):
        """A value that is no path, file or table is a located PolicyError."""
        with pytest.raises(
            sc.errors.PolicyError,
            match=r"^document: expected a path, a binary file or a table",
        ):
            sc.load_policies(source)
