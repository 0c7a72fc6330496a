"""The options every command shares: --plugins, optional fields, --format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import servicecore as sc
from servicecore.cli import build_parser, main

DOCUMENT = """schema_version = 1
[[sla.policies]]
name = "p"
when = {{ field = "{field}", op = "{op}", value = {value} }}
targets.normal = {{ first_reply = "1h" }}

[[escalation.policies]]
name = "e"
[[escalation.policies.levels]]
name = "l"
trigger = {{ when = {{ field = "{field}", op = "{op}", value = {value} }} }}
actions = [{{ do = "add_tags", tags = ["x"] }}]

[[personalization.rules]]
name = "r"
when = {{ field = "{field}", op = "{op}", value = {value} }}
set = {{ tone = "informal" }}
"""


def _commands(policies: Path, cases: Path) -> dict[str, list[str]]:
    """Return each command that loads policies, on *policies* and *cases*."""
    both = ["--policies", str(policies), "--cases", str(cases)]
    return {
        "sla report": ["sla", "report", *both],
        "sla diff": ["sla", "diff", *both, "--against", str(policies)],
        "bench": ["bench", *both],
        "escalation simulate": ["escalation", "simulate", *both],
        "personalize": [
            "personalize",
            "--rules",
            str(policies),
            "--cases",
            str(cases),
            "--case",
            "case-3-000000",
        ],
    }


COMMANDS = list(_commands(Path(), Path()))


@pytest.fixture(name="cases_file")
def _cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    sc.write_cases(sc.generate_cases(3, seed=3), path)
    return path


@pytest.fixture(name="plugin")
def _plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the installed plugins one that adds the field case.plugin_flag."""

    def with_entry_points(cls: type[sc.Registry]) -> sc.Registry:
        registry = cls()
        registry.add_field(
            sc.conditions.Field(
                name="case.plugin_flag",
                type=sc.conditions.FieldType.string(),
                get=lambda _: "on",
            )
        )
        return registry

    monkeypatch.setattr(
        sc.Registry, "with_entry_points", classmethod(with_entry_points)
    )


class TestPlugins:
    """--plugins loads the installed plugins, on every command."""

    @pytest.mark.usefixtures("plugin")
    @pytest.mark.parametrize("command", COMMANDS)
    def test_a_plugin_field(self, command, tmp_path, cases_file, capsys):
        """A document naming a plugin's field needs --plugins, and works with it."""
        policies = tmp_path / "plugin.toml"
        field = "case.plugin_flag"
        policies.write_text(
            DOCUMENT.format(field=field, op="is", value='"on"')
        )
        argv = _commands(policies, cases_file)[command]
        assert main(argv) == 1
        assert capsys.readouterr().err.startswith(
            f"servicecore: error: {policies}:4: sla.policies[0].when.field: "
            f"unknown field '{field}'"
        )
        assert main([*argv, "--plugins"]) == 0

    def test_plugins_load_once(self, monkeypatch, cases_file):
        """A command loads the plugins once, for the document and the engines."""
        calls = []

        def with_entry_points(cls: type[sc.Registry]) -> sc.Registry:
            calls.append(cls)
            return cls()

        monkeypatch.setattr(
            sc.Registry, "with_entry_points", classmethod(with_entry_points)
        )
        policies = Path(__file__).parents[2] / "examples" / "escalation"
        argv = _commands(policies / "policies.toml", cases_file)
        assert main([*argv["escalation simulate"], "--plugins"]) == 0
        assert calls == [sc.Registry]

    def test_every_command_that_loads_policies(self, cases_file):
        """The validate command and the five evaluating ones take --plugins."""
        parser = build_parser()
        for argv in [
            *_commands(cases_file, cases_file).values(),
            ["validate", str(cases_file)],
        ]:
            args = parser.parse_args([*argv, "--plugins"])
            assert args.plugins is True


class TestOptionalFields:
    """interaction.sentiment and customer.health are always there."""

    @pytest.mark.parametrize("command", COMMANDS)
    @pytest.mark.parametrize(
        "condition",
        [
            ("interaction.sentiment", "lt", "0"),
            ("customer.health", "gte", "0"),
        ],
    )
    def test_usable(self, command, condition, tmp_path, cases_file):
        """A document with a sentiment or health condition runs on every command."""
        field, op, value = condition
        policies = tmp_path / "fields.toml"
        policies.write_text(DOCUMENT.format(field=field, op=op, value=value))
        assert main(_commands(policies, cases_file)[command]) == 0


class TestFormat:
    """--format {text,json} is the output format, the same on every command."""

    def test_every_command_but_demo_and_validate(self, cases_file):
        """Every command that prints a result takes --format json."""
        parser = build_parser()
        for argv in [
            *_commands(cases_file, cases_file).values(),
            ["feedback", "report", "--cases", str(cases_file)],
        ]:
            args = parser.parse_args([*argv, "--format", "json"])
            assert args.format == "json"

    def test_bench(self, capsys):
        """Bench's JSON has the rate, the memory and the compliance."""
        policies = Path(__file__).parents[2] / "examples" / "policies"
        argv = ["bench", "--policies", str(policies / "support.toml")]
        assert main([*argv, "--generate", "5", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert sorted(data) == [
            "cases",
            "cases_per_second",
            "compliance",
            "peak_memory_bytes",
            "peak_memory_reports",
            "seconds",
        ]
        assert (data["cases"], data["compliance"]["cases"]) == (5, 5)


class TestPlurals:
    """Counts read right in the singular."""

    def test_feedback_report(self, tmp_path, capsys):
        """One response in one case is not '1 responses in 1 cases'."""
        created = sc.generate_cases(1, seed=3)[0].events[0].at
        response = sc.SurveyResponse(
            id="s", kind="csat", score=5, at=created, case_id="k"
        )
        case = sc.Case(
            id="k",
            customer=sc.Customer(id="c"),
            channel="email",
            events=[
                sc.CaseCreated(case_id="k", at=created),
                sc.SurveyReceived(case_id="k", response=response),
            ],
        )
        path = tmp_path / "one.jsonl"
        sc.write_cases([case], path)
        assert main(["feedback", "report", "--cases", str(path)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == "servicecore feedback report: 1 response in 1 case"
        assert lines[2] == "CSAT (1-5, satisfied 4-5): 1 response"
