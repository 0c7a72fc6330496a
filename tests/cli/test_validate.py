"""``servicecore validate``: every problem of a policy file, or ok."""

from __future__ import annotations

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
        path.write_text('{"schema_version": 1,}', encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}:1:22: not valid JSON: Expecting property name "
            "enclosed in double quotes\n"
            f"{path}: 1 problem\n"
        )

    def test_missing_file(self, tmp_path, capsys):
        """A missing file is one problem, not a traceback."""
        path = tmp_path / "nope.toml"
        assert main(["validate", str(path)]) == 1
        assert capsys.readouterr().out == (
            f"{path}: cannot read the file: No such file or directory\n"
            f"{path}: 1 problem\n"
        )

    def test_with_plugins(self, tmp_path, capsys):
        """--plugins loads the installed plugins before checking."""
        path = tmp_path / "policies.json"
        path.write_text('{"schema_version": 1}', encoding="utf-8")
        assert main(["validate", "--plugins", str(path)]) == 0
        assert capsys.readouterr().out == f"{path}: ok\n"
