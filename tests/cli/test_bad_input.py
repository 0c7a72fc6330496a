"""
Every command, for every bad input: one line on stderr, exit status 1 or 2.

Exit status 1 is bad data, 2 bad usage; never a traceback. Tests marked
``# needs the library fix`` reach a root outside the CLI (durations and
moments past the supported range): until those fixes are merged they
check the CLI's contract alone, which its boundary keeps in any case.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import servicecore as sc
from servicecore.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples"
SUPPORT = EXAMPLES / "policies" / "support.toml"
ESCALATION = EXAMPLES / "escalation" / "policies.toml"
RULES = EXAMPLES / "personalization" / "rules.toml"


@pytest.fixture(name="cases_file")
def _cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    sc.write_cases(sc.generate_cases(5, seed=3), path)
    return path


@pytest.fixture(name="noise")
def _noise(tmp_path: Path) -> Path:
    """4 KiB of random bytes whose first line is not UTF-8."""
    path = tmp_path / "noise.jsonl"
    path.write_bytes(b"\xff" + random.Random(0).randbytes(4095))
    return path


def _run(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Return the exit status and stderr of ``servicecore *argv*``."""
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") <= 1
    return code, err


#: Each command that reads cases, without its --cases.
COMMANDS = {
    "sla report": ["sla", "report", "--policies", str(SUPPORT)],
    "feedback report": ["feedback", "report"],
    "personalize": ["personalize", "--rules", str(RULES), "--case", "x"],
    "escalation simulate": [
        "escalation",
        "simulate",
        "--policies",
        str(ESCALATION),
    ],
    "bench": ["bench", "--policies", str(SUPPORT)],
}


class TestCasesFiles:
    """A file of cases that is not what it should be is bad data: exit 1."""

    @pytest.mark.parametrize("command", COMMANDS)
    def test_random_bytes(self, command, noise, capsys):
        """Bytes that are not UTF-8 are refused with the file and line."""
        argv = [*COMMANDS[command], "--cases", str(noise)]
        assert _run(argv, capsys) == (
            1,
            (
                f"servicecore: error: {noise}, line 1: not UTF-8 text: "
                "invalid start byte at byte 1 of the line\n"
            ),
        )

    @pytest.mark.parametrize("command", COMMANDS)
    def test_an_endless_line(self, command, capsys):
        """/dev/zero is refused at --max-line-bytes, not read without end."""
        argv = [*COMMANDS[command], "--cases", "/dev/zero"]
        assert _run([*argv, "--max-line-bytes", "1000"], capsys) == (
            1,
            (
                "servicecore: error: /dev/zero, line 1: longer than the limit "
                "of 1,000 bytes; raise the limit (max_line_bytes; "
                "--max-line-bytes on the command line) if the line is meant "
                "to be this long\n"
            ),
        )

    def test_the_default_line_limit(self, capsys):
        """By default a line of cases may be 16 MiB long."""
        argv = ["feedback", "report", "--cases", "/dev/zero"]
        assert _run(argv, capsys) == (
            1,
            (
                "servicecore: error: /dev/zero, line 1: longer than the limit "
                "of 16,777,216 bytes; raise the limit (max_line_bytes; "
                "--max-line-bytes on the command line) if the line is meant "
                "to be this long\n"
            ),
        )

    def test_a_line_at_the_limit_is_read(self, tmp_path):
        """A line exactly --max-line-bytes long (newline apart) is read."""
        path = tmp_path / "cases.jsonl"
        sc.write_cases(sc.generate_cases(1, seed=3), path)
        size = len(path.read_bytes()) - 1
        argv = ["feedback", "report", "--cases", str(path)]
        assert main([*argv, "--max-line-bytes", str(size)]) == 0
        assert main([*argv, "--max-line-bytes", str(size - 1)]) == 1

    @pytest.mark.parametrize("command", COMMANDS)
    def test_a_missing_file_is_bad_usage(self, command, tmp_path, capsys):
        """A --cases file that does not exist is a usage error: exit 2."""
        missing = tmp_path / "nope.jsonl"
        argv = [*COMMANDS[command], "--cases", str(missing)]
        code, err = _run(argv, capsys)
        assert code == 2
        assert err.startswith(
            f"servicecore: error: argument --cases: {missing}: no such file"
        )

    def test_no_cases_to_bench(self, tmp_path, capsys):
        """An empty file has no cases to bench."""
        empty = tmp_path / "empty.jsonl"
        empty.write_text("")
        argv = ["bench", "--policies", str(SUPPORT), "--cases", str(empty)]
        assert _run(argv, capsys) == (
            1,
            f"servicecore: error: {empty}: no cases to evaluate\n",
        )


class TestPolicyFiles:
    """A policy document too large or without its section is bad data."""

    def test_an_endless_document(self, cases_file, capsys):
        """/dev/zero as policies is refused at --max-file-bytes."""
        argv = ["sla", "report", "--policies", "/dev/zero"]
        argv += ["--cases", str(cases_file), "--max-file-bytes", "100"]
        assert _run(argv, capsys) == (
            1,
            (
                "servicecore: error: /dev/zero: larger than the limit of 100 "
                "bytes; raise the limit if the file is meant to be this large\n"
            ),
        )

    def test_sla_report_without_sla_policies(self, cases_file, capsys):
        """A document without an [sla] section is an error, not an empty report."""
        argv = ["sla", "report", "--policies", str(RULES)]
        assert _run([*argv, "--cases", str(cases_file)], capsys) == (
            1,
            f"servicecore: error: {RULES}: no SLA policies (an [sla] section)\n",
        )

    def test_escalation_without_escalation_policies(self, cases_file, capsys):
        """A document without an [escalation] section is an error."""
        argv = ["escalation", "simulate", "--policies", str(SUPPORT)]
        assert _run([*argv, "--cases", str(cases_file)], capsys) == (
            1,
            (
                f"servicecore: error: {SUPPORT}: no escalation policies (an "
                "[escalation] section)\n"
            ),
        )

    def test_several_problems_are_one_line(self, tmp_path, cases_file, capsys):
        """The first problem is shown, with how many others and where to see them."""
        bad = tmp_path / "bad.toml"
        bad.write_text(
            "schema_version = 1\n[[sla.policies]]\nname = 'a'\n"
            "targets.normal = {first_reply = '4 hrs'}\n"
            "[[sla.policies]]\nname = 'b'\n"
            "targets.normal = {first_reply = '1 hour'}\n"
        )
        argv = ["sla", "report", "--policies", str(bad)]
        code, err = _run([*argv, "--cases", str(cases_file)], capsys)
        assert code == 1
        assert err.startswith(f"servicecore: error: {bad}:4: sla.policies[0]")
        assert err.endswith(
            f" (and 1 more problem: servicecore validate {bad} lists them)\n"
        )


class TestCounts:
    """Counts have a range: outside it is a usage error, exit 2."""

    @pytest.mark.parametrize("value", ["0", "-5", "100000000000000000000"])
    def test_bench_generate(self, value, capsys):
        """The bench generates 1 to 1,000,000 cases."""
        argv = ["bench", "--policies", str(SUPPORT), "--generate", value]
        assert _run(argv, capsys) == (
            2,
            (
                f"servicecore: error: argument --generate: {int(value)} is not "
                "from 1 to 1,000,000 (see servicecore bench --help)\n"
            ),
        )

    def test_not_a_number(self, capsys):
        """A count that is not a whole number says so."""
        argv = ["bench", "--policies", str(SUPPORT), "--generate", "many"]
        assert _run(argv, capsys) == (
            2,
            (
                "servicecore: error: argument --generate: 'many' is not a whole "
                "number (see servicecore bench --help)\n"
            ),
        )

    @pytest.mark.parametrize(
        ("option", "value", "expected"),
        [
            ("--cases", "1001", "1001 is not from 0 to 1,000"),
            ("--population", "0", "0 is not from 1 to 100,000"),
        ],
    )
    def test_demo(self, option, value, expected, capsys):
        """The demo's counts have a range too."""
        assert _run(["demo", option, value], capsys) == (
            2,
            (
                f"servicecore: error: argument {option}: {expected} "
                "(see servicecore demo --help)\n"
            ),
        )


class TestMoments:
    """--at is an ISO 8601 moment with an offset, in the supported range."""

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            ("9999-12-31T23:59:59-01:00", "is past 9999-12-31T23:59:59Z"),
            ("0001-01-01T00:00:00+01:00", "is past 9999-12-31T23:59:59Z"),
            ("2024-03-26", "has no offset: add Z (UTC) or one such as +02:00"),
        ],
    )
    def test_refused(self, value, problem, cases_file, capsys):
        """A moment outside the range or without offset is a usage error."""
        argv = ["sla", "report", "--policies", str(SUPPORT)]
        argv += ["--cases", str(cases_file), "--at", value]
        code, err = _run(argv, capsys)
        assert code == 2
        assert err.startswith(
            f"servicecore: error: argument --at: {value!r} {problem}"
        )

    def test_the_last_moment(self, cases_file, capsys):
        """Personalizing at the last supported moment: a result or one line."""
        # needs the library fix (calendar range): the contract holds anyway.
        argv = ["personalize", "--rules", str(RULES), "--cases"]
        argv += [str(cases_file), "--case", "case-3-000000"]
        code, _ = _run([*argv, "--at", "9999-12-31T23:59:59+00:00"], capsys)
        assert code in {0, 1}


class TestDurations:
    """A duration option's moment past the supported range is refused."""

    def test_reply_in_past_the_range(self, cases_file, capsys):
        """A --reply-in that ends past 9999 is bad data, located."""
        argv = ["personalize", "--rules", str(RULES), "--cases"]
        argv += [str(cases_file), "--case", "case-3-000000"]
        argv += ["--at", "2025-03-26T10:00:00Z", "--reply-in", "3000000d"]
        assert _run(argv, capsys) == (
            1,
            (
                "servicecore: error: --reply-in: 3000000d after "
                "2025-03-26T10:00:00+00:00 is past 9999-12-31T23:59:59Z, the "
                "latest supported moment\n"
            ),
        )

    def test_horizon_past_the_range(self, cases_file, capsys):
        """A --horizon that ends past 9999 is bad data, located."""
        argv = ["escalation", "simulate", "--policies", str(ESCALATION)]
        argv += ["--cases", str(cases_file), "--horizon", "3000000d"]
        code, err = _run(argv, capsys)
        assert code == 1
        assert err.startswith("servicecore: error: --horizon: 3000000d after ")

    @pytest.mark.parametrize(
        "argv",
        [
            ["personalize", "--rules", str(RULES), "--case", "x"],
            ["escalation", "simulate", "--policies", str(ESCALATION)],
        ],
    )
    def test_a_duration_that_overflows(self, argv, cases_file, capsys):
        """99999999999d is one line, never an OverflowError traceback."""
        # needs the library fix (parse_duration overflow) for exit 2.
        option = "--reply-in" if argv[0] == "personalize" else "--horizon"
        code, err = _run(
            [*argv, "--cases", str(cases_file), option, "99999999999d"],
            capsys,
        )
        assert code in {1, 2}
        assert err.startswith("servicecore: error: ")

    def test_not_a_duration(self, cases_file, capsys):
        """A duration that does not read is a usage error with a hint."""
        argv = ["escalation", "simulate", "--policies", str(ESCALATION)]
        argv += ["--cases", str(cases_file), "--horizon", "4 hrs"]
        assert _run(argv, capsys) == (
            2,
            (
                "servicecore: error: argument --horizon: unknown duration "
                "'4 hrs'; did you mean '4h'? (see servicecore escalation "
                "simulate --help)\n"
            ),
        )


class TestBugs:
    """An unexpected exception is a bug: one line and exit 1, or its traceback."""

    @pytest.fixture(name="broken")
    def _broken(self, monkeypatch):
        def run(_: object) -> int:
            return 1 // 0

        monkeypatch.setattr("servicecore.cli._feedback.run_report", run)

    @pytest.mark.usefixtures("broken")
    def test_one_line(self, cases_file, monkeypatch, capsys):
        """Without SERVICECORE_DEBUG the bug is named on one line."""
        monkeypatch.delenv("SERVICECORE_DEBUG", raising=False)
        argv = ["feedback", "report", "--cases", str(cases_file)]
        assert _run(argv, capsys) == (
            1,
            (
                "servicecore: error: internal error: ZeroDivisionError: integer "
                "division or modulo by zero (a bug in servicecore; "
                "SERVICECORE_DEBUG=1 shows its traceback)\n"
            ),
        )

    def test_a_stray_exit_is_a_bug(self, cases_file, monkeypatch, capsys):
        """A sys.exit(3) inside a command is not its exit status."""

        def run(_: object) -> int:
            raise SystemExit(3)

        monkeypatch.setattr("servicecore.cli._feedback.run_report", run)
        monkeypatch.delenv("SERVICECORE_DEBUG", raising=False)
        argv = ["feedback", "report", "--cases", str(cases_file)]
        assert _run(argv, capsys) == (
            1,
            (
                "servicecore: error: internal error: SystemExit: 3 (a bug in "
                "servicecore; SERVICECORE_DEBUG=1 shows its traceback)\n"
            ),
        )

    @pytest.mark.usefixtures("broken")
    def test_debug_raises(self, cases_file, monkeypatch):
        """SERVICECORE_DEBUG=1 lets the exception through, traceback and all."""
        monkeypatch.setenv("SERVICECORE_DEBUG", "1")
        with pytest.raises(ZeroDivisionError):
            main(["feedback", "report", "--cases", str(cases_file)])


class TestUsage:
    """Usage errors are one line naming the command's help."""

    def test_unknown_option(self, capsys):
        """An unknown option is exit 2 with one line, no usage block."""
        assert _run(["sla", "report", "--nope"], capsys) == (
            2,
            (
                "servicecore: error: the following arguments are required: "
                "--policies, --cases (see servicecore sla report --help)\n"
            ),
        )

    def test_help_is_exit_0(self, capsys):
        """--help prints the help on stdout and returns 0."""
        assert main(["bench", "--help"]) == 0
        assert capsys.readouterr().out.startswith("usage: servicecore bench")
