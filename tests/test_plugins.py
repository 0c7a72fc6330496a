"""The plugin registry, and plugins installed through entry points."""

from __future__ import annotations

import importlib
import shutil
import sys
import tomllib
from pathlib import Path

import pendulum
import pytest

import servicecore as sc
from servicecore import plugins

EXAMPLE = Path(__file__).parents[1] / "examples" / "servicecore-example-plugin"


def _install(site: Path, name: str, entry_points: dict[str, str]) -> None:
    """Write a dist-info for *name* with *entry_points* into *site*."""
    dist = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n",
        encoding="utf-8",
    )
    lines = ["[servicecore.plugins]"]
    lines += [f"{key} = {value}" for key, value in entry_points.items()]
    (dist / "entry_points.txt").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )


def _activate(site: Path):
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()


def _deactivate(site: Path, *modules: str) -> None:
    sys.path.remove(str(site))
    for module in modules:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()


@pytest.fixture(name="example_plugin", scope="session")
def _example_plugin(tmp_path_factory):
    """Install examples/servicecore-example-plugin as pip would, offline.

    The package's own pyproject.toml gives the entry points; the package
    is copied next to a hand-made dist-info, so importlib.metadata finds
    it exactly as it finds an installed distribution.
    """
    site = tmp_path_factory.mktemp("example-site")
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text("utf-8"))
    shutil.copytree(
        EXAMPLE / "src" / "servicecore_example_plugin",
        site / "servicecore_example_plugin",
    )
    _install(
        site,
        project["project"]["name"],
        project["project"]["entry-points"]["servicecore.plugins"],
    )
    _activate(site)
    yield "example"
    _deactivate(site, "servicecore_example_plugin")


@pytest.fixture(name="broken_plugins")
def _broken_plugins(tmp_path):
    """Install plugins that fail in each way a plugin can fail."""
    (tmp_path / "broken_plugins.py").write_text(
        "import servicecore as sc\n"
        "\n"
        "@sc.plugin(api_version=1)\n"
        "def raises(registry):\n"
        "    registry.add_field(sc.conditions.Field(name='half.done',\n"
        "        type=sc.conditions.FieldType.integer(), get=lambda c: 1))\n"
        "    raise RuntimeError('boom')\n"
        "\n"
        "@sc.plugin(api_version=99)\n"
        "def future(registry):\n"
        "    pass\n"
        "\n"
        "def undeclared(registry):\n"
        "    pass\n"
        "\n"
        "@sc.plugin(api_version=1)\n"
        "def clashes(registry):\n"
        "    registry.add_operator(registry.operator('is'))\n"
        "\n"
        "NOT_CALLABLE = 3\n",
        encoding="utf-8",
    )
    _install(
        tmp_path,
        "broken-plugins",
        {
            "raises": "broken_plugins:raises",
            "future": "broken_plugins:future",
            "undeclared": "broken_plugins:undeclared",
            "clashes": "broken_plugins:clashes",
            "missing": "no_such_module_here:register",
            "constant": "broken_plugins:NOT_CALLABLE",
        },
    )
    _activate(tmp_path)
    yield
    _deactivate(tmp_path, "broken_plugins")


class TestRegistry:
    def test_builtins(self):
        """A new registry holds the built-in operators and fields."""
        registry = sc.Registry()
        assert registry.operator_names()[:4] == [
            "is",
            "is_not",
            "in",
            "not_in",
        ]
        assert "case.priority" in registry.field_names()
        assert registry.plugins == ()
        assert sc.Registry(builtins=False).field_names() == []

    def test_add_field_and_operator(self):
        """Added fields and operators are usable in conditions."""
        registry = sc.Registry()
        registry.add_field(
            sc.conditions.Field(
                name="sla.first_reply.consumed",
                type=sc.conditions.FieldType.number(),
                get=lambda context: context.memo("sla", lambda: 0.8),
            )
        )
        condition = sc.Condition.from_dict(
            {"field": "sla.first_reply.consumed", "op": "gte", "value": 0.75},
            registry=registry,
        )
        context = sc.EvaluationContext(
            at=pendulum.datetime(2024, 1, 1, tz="UTC")
        )
        assert condition(context) is True

    def test_name_taken(self):
        """A name already registered is refused unless replace=True."""
        registry = sc.Registry()
        field = sc.conditions.Field(
            name="case.priority",
            type=sc.conditions.FieldType.string(),
            get=str,
        )
        with pytest.raises(sc.errors.PluginError) as info:
            registry.add_field(field)
        assert str(info.value) == (
            "field 'case.priority': is already registered; "
            "pass replace=True to replace it"
        )
        registry.add_field(field, replace=True)
        assert (
            registry.field("case.priority").getter("case.priority")(7) == "7"
        )

    @pytest.mark.parametrize(
        ("kind", "item", "message"),
        [
            (
                "operator",
                object(),
                (
                    "operator: is not an operator: it needs name, description, "
                    "value_form, takes_value, accepts(), check() and compile()"
                ),
            ),
            (
                "field",
                sc.conditions.Field(
                    name="Bad Name",
                    type=sc.conditions.FieldType.string(),
                    get=str,
                ),
                (
                    "field 'Bad Name': field name 'Bad Name' is not a dotted "
                    "lower-case name (families end in '.*')"
                ),
            ),
            (
                "field",
                sc.conditions.Field(name="x.y", type="string", get=str),
                "field 'x.y': field 'x.y' has no FieldType",
            ),
            (
                "no_such_kind",
                object(),
                "registry: unknown kind 'no_such_kind'; known: "
                + str(sorted(plugins._KINDS)),
            ),
        ],
    )
    def test_items_are_checked(self, kind, item, message):
        """An item that does not satisfy its protocol is refused."""
        with pytest.raises(sc.errors.PluginError) as info:
            sc.Registry().add(kind, item)
        assert str(info.value) == message

    def test_unknown_names(self):
        """Unknown fields and operators are errors with a suggestion."""
        registry = sc.Registry()
        with pytest.raises(sc.errors.UnknownFieldError) as info:
            registry.field("customer.teir")
        assert str(info.value) == (
            "field: unknown field 'customer.teir'; did you mean "
            "'customer.tier'?"
        )
        with pytest.raises(sc.errors.UnknownOperatorError):
            registry.operator("includes")

    def test_families(self):
        """A family supplies every name under its prefix, but not the prefix."""
        registry = sc.Registry()
        family = registry.field("case.fields.order_id")
        assert family.name == "case.fields.*"
        with pytest.raises(sc.errors.UnknownFieldError):
            registry.field("case.fields.")

    def test_copy_is_independent(self):
        """Changing a copy leaves the original as it was."""
        registry = sc.Registry()
        other = registry.copy()
        other.add_field(
            sc.conditions.Field(
                name="x.y", type=sc.conditions.FieldType.string(), get=str
            )
        )
        assert "x.y" not in registry.field_names()
        assert repr(registry).startswith("<Registry 17 operators, ")


class TestLoadPlugin:
    def test_failing_plugin_leaves_registry_unchanged(self):
        """A plugin that raises half-way adds nothing and is named."""
        registry = sc.Registry()
        before = registry.field_names()

        @sc.plugin(api_version=1)
        def half(registry):
            registry.add_field(
                sc.conditions.Field(
                    name="half.done",
                    type=sc.conditions.FieldType.integer(),
                    get=lambda _: 1,
                )
            )
            raise RuntimeError("boom")

        with pytest.raises(sc.errors.PluginError) as info:
            registry.load_plugin(half, name="half")
        assert info.value.plugin == "half"
        assert str(info.value) == "plugin 'half': failed: RuntimeError: boom"
        assert isinstance(info.value.__cause__, RuntimeError)
        assert registry.field_names() == before
        assert registry.plugins == ()

    def test_api_version_is_checked(self):
        """A plugin for another plugin API is refused before it runs."""
        ran = []

        @sc.plugin(api_version=2)
        def newer(registry):
            ran.append(registry)

        with pytest.raises(sc.errors.PluginError) as info:
            sc.Registry().load_plugin(newer, name="newer")
        assert str(info.value) == (
            "plugin 'newer': was written for plugin API 2; this servicecore "
            "implements plugin API 1"
        )
        assert ran == []

    def test_undeclared_version(self):
        """A plugin that declares no API version is refused."""
        with pytest.raises(sc.errors.PluginError) as info:
            sc.Registry().load_plugin(lambda _: None, name="bare")
        assert str(info.value) == (
            "plugin 'bare': declares no plugin_api_version; decorate it "
            "with @servicecore.plugin(api_version=1)"
        )


class TestEntryPoints:
    @pytest.mark.usefixtures("example_plugin")
    def test_nothing_is_loaded_on_import(self):
        """Installed plugins are not loaded unless the host asks."""
        assert "interaction.shouting" not in sc.Registry().field_names()

    def test_example_plugin_end_to_end(self, example_plugin):
        """The example package's entry point adds its field and operator."""
        registry = sc.Registry.with_entry_points(names=[example_plugin])
        assert registry.plugins == ("example",)
        shouting = sc.Condition.from_dict(
            {
                "all": [
                    {
                        "field": "interaction.shouting",
                        "op": "is",
                        "value": True,
                    },
                    {
                        "field": "case.reopen_count",
                        "op": "multiple_of",
                        "value": 2,
                    },
                ]
            },
            registry=registry,
        )
        t0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")
        case = sc.Case(
            id="k",
            customer=sc.Customer(id="c"),
            channel="chat",
            events=[
                sc.CaseCreated(case_id="k", at=t0),
                sc.MessageAdded(
                    case_id="k",
                    interaction=sc.Interaction(
                        id="m",
                        channel="chat",
                        direction="inbound",
                        author_kind="customer",
                        at=t0,
                        body="WHERE IS MY REFUND",
                    ),
                ),
            ],
        )
        context = sc.EvaluationContext(case, at=t0.add(minutes=1))
        assert shouting(context) is True
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.Condition.from_dict(
                {
                    "field": "case.reopen_count",
                    "op": "multiple_of",
                    "value": 0,
                },
                registry=registry,
            )
        assert (
            str(info.value) == "when.value: 0 is not a positive whole number"
        )

    @pytest.mark.usefixtures("example_plugin")
    def test_all_installed_plugins(self):
        """Without names, every plugin of the group is loaded."""
        registry = sc.Registry.with_entry_points()
        assert "example" in registry.plugins

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("raises", "plugin 'raises': failed: RuntimeError: boom"),
            (
                "future",
                (
                    "plugin 'future': was written for plugin API 99; this "
                    "servicecore implements plugin API 1"
                ),
            ),
            (
                "undeclared",
                (
                    "plugin 'undeclared': declares no plugin_api_version; "
                    "decorate it with @servicecore.plugin(api_version=1)"
                ),
            ),
            (
                "clashes",
                (
                    "plugin 'clashes': operator 'is': is already registered; "
                    "pass replace=True to replace it"
                ),
            ),
            (
                "missing",
                (
                    "plugin 'missing': cannot be imported: "
                    "ModuleNotFoundError: No module named 'no_such_module_here'"
                ),
            ),
            (
                "constant",
                (
                    "plugin 'constant': entry point "
                    "'broken_plugins:NOT_CALLABLE' is not callable"
                ),
            ),
            (
                "absent",
                (
                    "plugin 'absent': no entry point 'absent' in group "
                    "'servicecore.plugins'"
                ),
            ),
        ],
    )
    @pytest.mark.usefixtures("example_plugin", "broken_plugins")
    def test_failing_entry_point(self, name, message):
        """A failing plugin is named, and the registry keeps its contents."""
        registry = sc.Registry()
        before = (registry.field_names(), registry.operator_names())
        with pytest.raises(sc.errors.PluginError) as info:
            registry.load_entry_points(names=["example", name])
        assert (info.value.plugin, str(info.value)) == (name, message)
        assert (registry.field_names(), registry.operator_names()) == before
        assert registry.plugins == ()

    @pytest.mark.usefixtures("broken_plugins")
    def test_with_entry_points_fails_whole(self):
        """with_entry_points() raises rather than return a partial registry."""
        with pytest.raises(sc.errors.PluginError):
            sc.Registry.with_entry_points()


class TestKinds:
    def test_kinds_declared_after_a_registry_exists(self):
        """A kind declared later can be added to an existing registry."""
        registry = sc.Registry()
        plugins.register_kind(
            "test_widget",
            lambda item: "" if getattr(item, "ok", False) else "not ok",
        )

        class Widget:
            name = "w"
            ok = True

        registry.add("test_widget", Widget())
        assert registry.names("test_widget") == ["w"]
        assert sc.Registry().names("test_widget") == []
        with pytest.raises(sc.errors.PluginError) as info:
            registry.add("test_widget", type("Bad", (), {"name": "b"})())
        assert str(info.value) == "test_widget 'b': not ok"


T0 = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
CASE = sc.Case(
    id="k",
    customer=sc.Customer(id="c"),
    channel="email",
    events=[sc.CaseCreated(case_id="k", at=T0)],
)
HOUR = {"field": "shift.hour", "op": "gte", "value": 1}


def _fail(*_args):
    """Raise what a buggy plugin raises."""
    return 1 / 0


def _acme(*items):
    """Return a registry into which the plugin 'acme' added *items*."""

    @sc.plugin()
    def register(registry):
        for kind, item in items:
            registry.add(kind, item)

    registry = sc.Registry()
    registry.load_plugin(register, name="acme")
    return registry


def _field(get=_fail):
    """Return the plugin field shift.hour, read by *get*."""
    return (
        "field",
        sc.conditions.Field(
            name="shift.hour", type=sc.conditions.FieldType.integer(), get=get
        ),
    )


class _Operator:
    """A plugin operator 'odd' whose steps may fail."""

    name = "odd"
    description = "the value is odd, or even with value 0"
    value_form = "0 or 1"
    takes_value = True

    def __init__(self, fail_at=""):
        self.fail_at = fail_at

    def accepts(self, ftype):
        return ftype.kind == "int"

    def check(self, ftype, value, location):  # noqa: ARG002
        if self.fail_at == "check":
            raise ValueError("bad")
        if self.fail_at == "policy":
            raise sc.errors.InvalidValueError(location, "not for this field")
        return value

    def compile(self, get, ftype, value):  # noqa: ARG002
        if self.fail_at == "evaluate":
            return _fail
        return lambda context: get(context) % 2 == value


class _Action:
    """A plugin escalation action whose check fails."""

    name = "open_ticket"
    description = "open a ticket"

    def check(self, params, location):  # noqa: ARG002
        return 1 / 0


def _evaluation_error(call):
    """Return the EvaluationError *call* raises."""
    with pytest.raises(sc.errors.EvaluationError) as info:
        call()
    return info.value


class TestPluginsFailAtEvaluation:
    def test_field_in_a_condition(self):
        """A field getter that raises gives an EvaluationError naming it."""
        condition = sc.Condition.from_dict(HOUR, registry=_acme(_field()))
        error = _evaluation_error(
            lambda: condition(sc.EvaluationContext(CASE, at=T0))
        )
        assert str(error) == (
            "plugin 'acme' (field 'shift.hour'): failed in get: "
            "ZeroDivisionError: division by zero"
        )
        assert isinstance(error.__cause__, ZeroDivisionError)

    def test_field_in_an_sla_policy(self):
        """SLAEngine.evaluate raises it when a policy's condition reads it."""
        registry = _acme(_field())
        policies = sc.SLAPolicySet.from_dict(
            {
                "schema_version": 1,
                "sla": {
                    "policies": [
                        {
                            "name": "p",
                            "when": HOUR,
                            "targets": {"normal": {"first_reply": "4h"}},
                        }
                    ]
                },
            },
            registry=registry,
        )
        engine = sc.SLAEngine(policies, registry=registry)
        error = _evaluation_error(lambda: engine.evaluate(CASE, at=T0))
        assert error.location == "plugin 'acme' (field 'shift.hour')"
        assert isinstance(error.__cause__, ZeroDivisionError)

    def test_field_in_an_escalation_trigger(self):
        """EscalationEngine.decide raises it for a condition trigger."""
        registry = _acme(_field())
        policies = sc.EscalationPolicySet.from_dict(
            {
                "schema_version": 1,
                "escalation": {
                    "policies": [
                        {
                            "name": "e",
                            "levels": [
                                {
                                    "name": "l",
                                    "trigger": {"when": HOUR},
                                    "actions": [{"do": "notify", "to": "x"}],
                                }
                            ],
                        }
                    ]
                },
            },
            registry=registry,
        )
        engine = sc.EscalationEngine(policies)
        error = _evaluation_error(lambda: engine.decide(CASE, at=T0))
        assert error.location == "plugin 'acme' (field 'shift.hour')"

    def test_field_in_a_personalization_rule(self):
        """Personalizer.personalize raises it for a rule's condition."""
        rules = sc.Personalizer.from_dict(
            {
                "schema_version": 1,
                "personalization": {
                    "rules": [
                        {"name": "r", "when": HOUR, "set": {"tone": "formal"}}
                    ]
                },
            },
            registry=_acme(_field()),
        )
        error = _evaluation_error(
            lambda: rules.personalize(CASE.customer, CASE, at=T0)
        )
        assert error.location == "plugin 'acme' (field 'shift.hour')"

    def test_operator_predicate(self):
        """An operator's compiled predicate that raises is named."""
        registry = _acme(
            _field(lambda _: 3), ("operator", _Operator("evaluate"))
        )
        condition = sc.Condition.from_dict(
            {"field": "shift.hour", "op": "odd", "value": 1}, registry=registry
        )
        error = _evaluation_error(
            lambda: condition(sc.EvaluationContext(CASE, at=T0))
        )
        assert str(error) == (
            "plugin 'acme' (operator 'odd'): failed in the result of "
            "compile(): ZeroDivisionError: division by zero"
        )

    def test_metric_starts(self):
        """A plugin metric's starts that raises fails evaluate, named."""
        metric = sc.sla.MetricDefinition(name="first_touch", starts=_fail)
        registry = _acme(("sla_metric", metric))
        engine = sc.SLAEngine(
            sc.SLAPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "sla": {
                        "policies": [
                            {
                                "name": "p",
                                "targets": {"normal": {"first_touch": "1h"}},
                            }
                        ]
                    },
                },
                registry=registry,
            ),
            registry=registry,
        )
        error = _evaluation_error(lambda: engine.evaluate(CASE, at=T0))
        assert str(error) == (
            "plugin 'acme' (sla_metric 'first_touch'): failed in starts: "
            "ZeroDivisionError: division by zero"
        )

    def test_system_exit_is_wrapped(self):
        """A plugin's SystemExit does not end the host."""

        def leave(_):
            raise SystemExit(3)

        condition = sc.Condition.from_dict(HOUR, registry=_acme(_field(leave)))
        error = _evaluation_error(
            lambda: condition(sc.EvaluationContext(CASE, at=T0))
        )
        assert isinstance(error.__cause__, SystemExit)

    def test_keyboard_interrupt_goes_through(self):
        """Ctrl-C still stops the host."""

        def interrupt(_):
            raise KeyboardInterrupt

        condition = sc.Condition.from_dict(
            HOUR, registry=_acme(_field(interrupt))
        )
        with pytest.raises(KeyboardInterrupt):
            condition(sc.EvaluationContext(CASE, at=T0))


class TestPluginsFailAtLoad:
    def test_operator_check(self):
        """An operator's check that raises is a PluginError at its clause."""
        registry = _acme(_field(), ("operator", _Operator("check")))
        with pytest.raises(
            sc.errors.PluginError, match=r"^when\.value: "
        ) as info:
            sc.Condition.from_dict(
                {"field": "shift.hour", "op": "odd", "value": 1},
                registry=registry,
            )
        assert str(info.value) == (
            "when.value: plugin 'acme' (operator 'odd') failed in check(): "
            "ValueError: bad"
        )
        assert info.value.plugin == "acme"
        assert isinstance(info.value.__cause__, ValueError)

    def test_operator_policy_error_is_its_own(self):
        """A PolicyError an operator's check raises is a policy problem."""
        registry = _acme(_field(), ("operator", _Operator("policy")))
        with pytest.raises(sc.errors.InvalidValueError) as info:
            sc.Condition.from_dict(
                {"field": "shift.hour", "op": "odd", "value": 1},
                registry=registry,
            )
        assert str(info.value) == "when.value: not for this field"

    def test_field_getter(self):
        """A field provider whose getter() raises is a PluginError."""

        class Provider:
            name = "shift.*"
            type = sc.conditions.FieldType.integer()
            description = "shift data"
            operators = None

            def getter(self, name):
                raise LookupError(name)

        registry = _acme(("field", Provider()))
        with pytest.raises(sc.errors.PluginError) as info:
            sc.Condition.from_dict(HOUR, registry=registry)
        assert str(info.value) == (
            "plugin 'acme' (field 'shift.*'): failed in getter(): "
            "LookupError: shift.hour"
        )

    def test_action_check(self):
        """An escalation action's check that raises is a PluginError."""
        with pytest.raises(sc.errors.PluginError) as info:
            sc.EscalationPolicySet.from_dict(
                {
                    "schema_version": 1,
                    "escalation": {
                        "policies": [
                            {
                                "name": "e",
                                "levels": [
                                    {
                                        "name": "l",
                                        "trigger": {"when": {"all": []}},
                                        "actions": [{"do": "open_ticket"}],
                                    }
                                ],
                            }
                        ]
                    },
                },
                registry=_acme(("escalation_action", _Action())),
            )
        assert str(info.value) == (
            "escalation.policies[0].levels[0].actions[0]: plugin 'acme' "
            "(escalation_action 'open_ticket') failed in check(): "
            "ZeroDivisionError: division by zero"
        )
        assert isinstance(info.value.__cause__, ZeroDivisionError)

    def test_system_exit_while_registering(self):
        """A plugin function's SystemExit is a PluginError; nothing added."""

        @sc.plugin()
        def register(_registry):
            raise SystemExit(1)

        registry = sc.Registry()
        with pytest.raises(sc.errors.PluginError) as info:
            registry.load_plugin(register, name="quitter")
        assert str(info.value) == "plugin 'quitter': failed: SystemExit: 1"
        assert registry.plugins == ()


class TestBuiltinsStayUnwrapped:
    def test_servicecore_fields_are_kept_as_they_are(self):
        """Fields servicecore makes are registered unchanged."""
        registry = sc.Registry()
        fields = sc.feedback.feedback_fields()
        for field in fields:
            registry.add_field(field)
        assert [registry.field(f.name) for f in fields] == list(fields)
        assert all(registry.field(f.name) is f for f in fields)

    def test_builtin_operator_added_again(self):
        """A built-in operator added to another registry is the same one."""
        builtin = sc.Registry().operator("in")
        registry = sc.Registry(builtins=False)
        registry.add_operator(builtin)
        assert registry.operator("in") is builtin

    def test_host_items_are_guarded_without_a_plugin_name(self):
        """An item the host adds itself is named by its kind and name."""
        registry = sc.Registry()
        registry.add(*_field())
        condition = sc.Condition.from_dict(HOUR, registry=registry)
        error = _evaluation_error(
            lambda: condition(sc.EvaluationContext(CASE, at=T0))
        )
        assert error.location == "field 'shift.hour'"
