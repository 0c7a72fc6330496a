"""servicecore sla report|diff and servicecore bench."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

import servicecore as sc
from servicecore.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "policies" / "support.toml"


@pytest.fixture(name="cases_file")
def _cases_file(tmp_path) -> Path:
    path = tmp_path / "cases.jsonl"
    sc.write_cases(sc.generate_cases(30, seed=5), path)
    return path


@pytest.fixture(name="tight")
def _tight(tmp_path) -> Path:
    path = tmp_path / "tight.toml"
    path.write_text(
        "schema_version = 1\n[[sla.policies]]\nname = 'all'\n"
        "targets.low = {first_reply = '1m'}\ntargets.normal = {first_reply = '1m'}\n"
        "targets.high = {first_reply = '1m'}\ntargets.urgent = {first_reply = '1m'}\n"
    )
    return path


class TestReport:
    def test_text(self, capsys, cases_file):
        """The report starts with the case count and the moment."""
        code = main(
            [
                "sla",
                "report",
                "--policies",
                str(EXAMPLE),
                "--cases",
                str(cases_file),
                "--at",
                "2030-01-01T00:00:00Z",
            ]
        )
        out = capsys.readouterr().out
        assert code == 0
        assert out.startswith(
            "SLA compliance of 30 cases at 2030-01-01 00:00 UTC"
        )

    def test_json(self, capsys, cases_file):
        """--format json prints the report's data."""
        main(
            [
                "sla",
                "report",
                "--policies",
                str(EXAMPLE),
                "--cases",
                str(cases_file),
                "--at",
                "2030-01-01T00:00:00Z",
                "--format",
                "json",
            ]
        )
        data = json.loads(capsys.readouterr().out)
        assert (data["cases"], data["at"]) == (30, "2030-01-01T00:00:00+00:00")

    def test_a_bad_moment_is_one_line_on_stderr(self, capsys, cases_file):
        """An unreadable --at is a usage error: one line, exit status 2."""
        code = main(
            [
                "sla",
                "report",
                "--policies",
                str(EXAMPLE),
                "--cases",
                str(cases_file),
                "--at",
                "soon",
            ]
        )
        assert code == 2
        assert capsys.readouterr().err == (
            "servicecore: error: argument --at: 'soon' is not an ISO 8601 "
            "moment (see servicecore sla report --help)\n"
        )


class TestHeader:
    def test_counts_the_cases_that_existed_at_the_moment(
        self, capsys, cases_file
    ):
        """Cases created after --at are left out of the report and its count."""
        at = "2024-05-05T10:24:17+00:00"  # the 15th of 30 cases is created
        existing = sum(
            case.events[0].at <= pendulum.parse(at)
            for case in sc.read_cases(cases_file)
        )
        argv = ["sla", "report", "--policies", str(EXAMPLE)]
        argv += ["--cases", str(cases_file), "--at", at, "--format", "json"]
        assert main(argv) == 0
        assert existing == 15
        assert json.loads(capsys.readouterr().out)["cases"] == existing


class TestDiff:
    def test_tighter_policies_breach_more(self, capsys, cases_file, tight):
        """A one-minute first reply target newly breaches cycles."""
        args = [
            "sla",
            "diff",
            "--policies",
            str(EXAMPLE),
            "--against",
            str(tight),
        ]
        code = main(
            [
                *args,
                "--cases",
                str(cases_file),
                "--at",
                "2030-01-01T00:00:00Z",
                "--format",
                "json",
            ]
        )
        data = json.loads(capsys.readouterr().out)
        assert code == 0
        assert data["newly_breached"]
        assert all(
            metric == "first_reply" for _, metric, _ in data["newly_breached"]
        )

    def test_json_rows(self, capsys, cases_file, tight):
        """JSON rows cover policy, team and month too, and only what changed."""
        argv = ["sla", "diff", "--policies", str(EXAMPLE), "--against"]
        argv += [str(tight), "--cases", str(cases_file), "--format", "json"]
        assert main([*argv, "--at", "2030-01-01T00:00:00Z"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert sorted(data) == [
            "at",
            "cases",
            "changed",
            "newly_breached",
            "no_longer_breached",
            "percentile_changes",
        ]
        dimensions = {row["dimension"] for row in data["changed"]}
        assert {"policy", "team", "month"} <= dimensions
        assert all(row["old"] != row["new"] for row in data["changed"])
        overall = {
            row["metric"]: row
            for row in data["changed"]
            if row["dimension"] == "all"
        }
        assert overall["first_reply"]["new"]["breached"] > 0
        assert overall["resolution"]["new"] is None  # no target any more

    def test_the_same_policies_change_nothing(self, capsys, cases_file):
        """Against itself a policy set has no changed rows."""
        argv = ["sla", "diff", "--policies", str(EXAMPLE), "--against"]
        argv += [str(EXAMPLE), "--cases", str(cases_file), "--format", "json"]
        assert main([*argv, "--at", "2030-01-01T00:00:00Z"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert (data["changed"], data["newly_breached"]) == ([], [])


class TestBench:
    def test_generated(self, capsys):
        """The bench command prints cases per second and the compliance reached."""
        assert (
            main(["bench", "--policies", str(EXAMPLE), "--generate", "20"])
            == 0
        )
        out = capsys.readouterr().out
        assert out.startswith("20 cases in ")
        assert "cases/s" in out
        assert "SLA compliance of 20 cases" in out
