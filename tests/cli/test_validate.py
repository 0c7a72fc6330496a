"""``servicecore validate``: every problem of a policy file, or ok."""

from __future__ import annotations

import json

import servicecore as sc
from servicecore.cli import main

GOOD = """\
schema_version = 1

[conditions.weekend]
field = "moment.weekday"
op = "in"
value = ["sat", "sun"]
"""

BAD = """\
schema_version = 1

[conditions.vip]
all = [
  {field = "customer.tier", op = "is", value = "vip"},
  {field = "case.priority", op = "in", value = ["urgent", "hgh"]},
]

[conditions.weekend]
field = "moment.wekday"
op = "in"
value = ["sat", "sun"]
"""


class TestValidate:
    def test_ok(self, tmp_path, capsys):
        """A valid document prints ok and exits 0."""
        path = tmp_path / "policies.toml"
        path.write_text(GOOD, encoding="utf-8")
        assert main(["validate", str(path)]) == 0
        assert capsys.readouterr().out == f"{path}: ok\n"

    def test_every_problem_with_its_line(self, tmp_path, capsys):
        """Each problem is printed with its file, line and path; exit 1."""
        path = tmp_path / "policies.toml"
        path.write_text(BAD, encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}:6: conditions.vip.all[1].value[1]: 'hgh' is not a "
            "priority; did you mean 'high'?\n"
            f"{path}:10: conditions.weekend.field: unknown field "
            "'moment.wekday'; did you mean 'moment.weekday'?\n"
            f"{path}: 2 problems\n"
        )

    def test_syntax_error(self, tmp_path, capsys):
        """A file that is not JSON names its line and column."""
        path = tmp_path / "policies.json"
        # A mistake whose message CPython words alike on 3.11 to 3.13.
        path.write_text('{"schema_version" 1}', encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}:1:19: not valid JSON: Expecting ':' delimiter\n"
            f"{path}: 1 problem\n"
        )

    def test_missing_file(self, tmp_path, capsys):
        """A missing file is a usage error: one line on stderr, exit 2."""
        path = tmp_path / "nope.toml"
        assert main(["validate", str(path)]) == 2
        captured = capsys.readouterr()
        assert (captured.out, captured.err) == (
            "",
            (
                f"servicecore: error: argument file: {path}: no such file "
                "(see servicecore validate --help)\n"
            ),
        )

    def test_with_plugins(self, tmp_path, capsys):
        """--plugins loads the installed plugins before checking."""
        path = tmp_path / "policies.json"
        path.write_text('{"schema_version": 1}', encoding="utf-8")
        assert main(["validate", "--plugins", str(path)]) == 0
        assert capsys.readouterr().out == f"{path}: ok\n"


UNKNOWN_CALENDAR = """\
schema_version = 1

[calendars.office]
time_zone = "Europe/Berlin"
hours = {mon-fri = "09:00-17:00"}

[[sla.policies]]
name = "standard"
calendar = "ofice"
targets.normal = {first_reply = "4h"}
"""


class TestAgreesWithEngines:
    def test_unknown_calendar(self, tmp_path, capsys):
        """A name only the engine would refuse is a problem, with its line."""
        path = tmp_path / "policies.toml"
        path.write_text(UNKNOWN_CALENDAR, encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}:9: sla.policies[0].calendar: unknown calendar 'ofice'; "
            "did you mean 'office'?; known: office\n"
            f"{path}: 1 problem\n"
        )


class TestOptions:
    def test_input_format(self, tmp_path, capsys):
        """--input-format reads a file whatever its extension."""
        path = tmp_path / "policies.txt"
        path.write_text('{"schema_version": 1}', encoding="utf-8")
        assert main(["validate", "--input-format", "json", str(path)]) == 0
        assert capsys.readouterr().out == f"{path}: ok\n"

    def test_format_means_the_output(self, tmp_path, capsys):
        """--format toml (the old input option) is a usage error."""
        path = tmp_path / "policies.toml"
        path.write_text(GOOD, encoding="utf-8")
        assert main(["validate", "--format", "toml", str(path)]) == 2
        assert "invalid choice: 'toml'" in capsys.readouterr().err

    def test_json_ok(self, tmp_path, capsys):
        """--format json prints one object: the file, ok, no problems."""
        path = tmp_path / "policies.toml"
        path.write_text(GOOD, encoding="utf-8")
        assert main(["validate", "--format", "json", str(path)]) == 0
        assert json.loads(capsys.readouterr().out) == {
            "file": str(path),
            "ok": True,
            "problems": [],
        }

    def test_json_problems(self, tmp_path, capsys):
        """Each problem is an object with its location, line and problem."""
        path = tmp_path / "policies.toml"
        path.write_text(BAD, encoding="utf-8")
        assert main(["validate", "--format", "json", str(path)]) == 1
        assert json.loads(capsys.readouterr().out) == {
            "file": str(path),
            "ok": False,
            "problems": [
                {
                    "location": "conditions.vip.all[1].value[1]",
                    "line": 6,
                    "problem": "'hgh' is not a priority; did you mean 'high'?",
                },
                {
                    "location": "conditions.weekend.field",
                    "line": 10,
                    "problem": (
                        "unknown field 'moment.wekday'; did you mean "
                        "'moment.weekday'?"
                    ),
                },
            ],
        }

    def test_json_syntax_error(self, tmp_path, capsys):
        """A syntax error's line is the parser's."""
        path = tmp_path / "policies.json"
        path.write_text('{"schema_version" 1}', encoding="utf-8")
        assert main(["validate", "--format", "json", str(path)]) == 1
        assert json.loads(capsys.readouterr().out)["problems"] == [
            {
                "location": f"{path}:1:19",
                "line": 1,
                "problem": "not valid JSON: Expecting ':' delimiter",
            }
        ]

    def test_endless_file(self, capsys):
        """/dev/zero is refused at the size limit, not read without end."""
        assert main(["validate", "/dev/zero"]) == 1
        assert capsys.readouterr().out == (
            "/dev/zero: larger than the limit of 16,777,216 bytes; raise the "
            "limit if the file is meant to be this large\n"
            "/dev/zero: 1 problem\n"
        )

    def test_max_bytes(self, tmp_path, capsys):
        """--max-file-bytes lowers the limit; it must be a number above 0."""
        path = tmp_path / "policies.toml"
        path.write_text(GOOD, encoding="utf-8")
        assert main(["validate", "--max-file-bytes", "10", str(path)]) == 1
        assert capsys.readouterr().out.startswith(
            f"{path}: larger than the limit of 10 bytes"
        )
        assert main(["validate", "--max-file-bytes", "0", str(path)]) == 2
        assert "0 is not from 1 to 1,073,741,824" in capsys.readouterr().err


FAILING_ACTION = """\
schema_version = 1

[[escalation.policies]]
name = "e"

[[escalation.policies.levels]]
name = "l"
trigger = {when = {all = []}}
actions = [{do = "open_ticket"}]
"""


class _FailingAction:
    """A plugin escalation action whose check has a bug."""

    name = "open_ticket"
    description = "open a ticket"

    def check(self, params, location):  # noqa: ARG002
        return 1 / 0


class TestPluginProblems:
    def test_failing_plugin_is_a_problem(self, tmp_path, capsys, monkeypatch):
        """A plugin that fails on the document is listed; exit 1."""

        @sc.plugin()
        def register(registry):
            registry.add("escalation_action", _FailingAction())

        def with_entry_points():
            registry = sc.Registry()
            registry.load_plugin(register, name="tickets")
            return registry

        monkeypatch.setattr(
            sc.Registry, "with_entry_points", staticmethod(with_entry_points)
        )
        path = tmp_path / "policies.toml"
        path.write_text(FAILING_ACTION, encoding="utf-8")
        assert main(["validate", "--plugins", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}:9: escalation.policies[0].levels[0].actions[0]: plugin "
            "'tickets' (escalation_action 'open_ticket') failed in check(): "
            "ZeroDivisionError: division by zero\n"
            f"{path}: 1 problem\n"
        )
