"""The ``servicecore feedback report`` command."""

import json

import pendulum
import pytest

import servicecore as sc
from servicecore.cli import main

AT = pendulum.datetime(2026, 3, 2, 9, tz="UTC")


def _case(number, kind, score, agent, at=AT):
    case_id = f"k-{number}"
    response = sc.SurveyResponse(
        id=f"s-{number}", kind=kind, score=score, at=at, agent_id=agent
    )
    return sc.Case(
        id=case_id,
        customer=sc.Customer(id="c"),
        channel="email",
        events=[
            sc.CaseCreated(case_id=case_id, at=at),
            sc.SurveyReceived(case_id=case_id, response=response),
        ],
    )


@pytest.fixture(name="cases_file")
def _cases_file(tmp_path):
    cases = [_case(i, "csat", 5, "ann") for i in range(40)]
    cases += [_case(100 + i, "csat", 1, "ann") for i in range(10)]
    cases += [_case(200 + i, "csat", 4, "bob") for i in range(3)]
    cases += [
        _case(300 + i, "nps", 10, "bob", AT.add(months=1)) for i in range(2)
    ]
    path = tmp_path / "cases.jsonl"
    sc.write_cases(cases, path)
    return path


class TestReport:
    def test_overall(self, cases_file, capsys):
        """Without --by, each kind is scored overall."""
        assert main(["feedback", "report", "--cases", str(cases_file)]) == 0
        assert capsys.readouterr().out.splitlines() == [
            "servicecore feedback report: 55 responses in 55 cases",
            "",
            "CSAT (1-5, satisfied 4-5): 53 responses",
            "  all            CSAT 81.1% (95% interval 68.6%-89.4%, n=53)",
            "",
            "NPS (0-10; promoters 9-10, detractors 0-6): 2 responses",
            "  all            NPS insufficient: 2 responses, 30 needed",
        ]

    def test_by_agent(self, cases_file, capsys):
        """--by agent scores each agent, saying when a sample is too small."""
        main(
            ["feedback", "report", "--cases", str(cases_file), "--by", "agent"]
        )
        lines = capsys.readouterr().out.splitlines()
        assert lines[4:6] == [
            "  ann            CSAT 80.0% (95% interval 67.0%-88.8%, n=50)",
            "  bob            CSAT insufficient: 3 responses, 30 needed",
        ]

    def test_by_month_json(self, cases_file, capsys):
        """--by month --format json gives one row per kind and group."""
        main(
            [
                "feedback",
                "report",
                "--cases",
                str(cases_file),
                "--by",
                "month",
                "--minimum-sample",
                "2",
                "--format",
                "json",
            ]
        )
        document = json.loads(capsys.readouterr().out)
        rows = [
            (r["kind"], r["group"], r["count"]) for r in document["scores"]
        ]
        assert rows == [
            ("csat", "all", 53),
            ("csat", "2026-03", 53),
            ("nps", "all", 2),
            ("nps", "2026-04", 2),
        ]
        assert document["scores"][3]["value"] == 100.0
        assert document["scores"][3]["sufficient"] is True

    def test_missing_file(self, tmp_path, capsys):
        """A missing file is a usage error: one line, exit status 2."""
        missing = tmp_path / "nope.jsonl"
        assert main(["feedback", "report", "--cases", str(missing)]) == 2
        assert capsys.readouterr().err == (
            f"servicecore: error: argument --cases: {missing}: no such file "
            "(see servicecore feedback report --help)\n"
        )

    def test_bad_confidence(self, cases_file, capsys):
        """A confidence level outside (0, 1) is a usage error, exit status 2."""
        code = main(
            [
                "feedback",
                "report",
                "--cases",
                str(cases_file),
                "--confidence",
                "95",
            ]
        )
        assert code == 2
        assert capsys.readouterr().err == (
            "servicecore: error: argument --confidence: '95' is not a level "
            "between 0 and 1, e.g. 0.95 (see servicecore feedback report --help)\n"
        )


class TestMonthChanges:
    def test_each_month_is_compared_with_the_one_before(
        self, tmp_path, capsys
    ):
        """By month, a line gives the change from the previous month."""
        march = [_case(i, "csat", 5, "ann") for i in range(30)]
        april = [
            _case(100 + i, "csat", 5 if i < 15 else 1, "ann", AT.add(months=1))
            for i in range(30)
        ]
        path = tmp_path / "cases.jsonl"
        sc.write_cases(march + april, path)
        main(["feedback", "report", "--cases", str(path), "--by", "month"])
        lines = capsys.readouterr().out.splitlines()
        expected = sc.feedback.compare_csat([5] * 30, [5] * 15 + [1] * 15)
        assert lines[6] == f"                   vs 2026-03: {expected}"
        assert lines[6].endswith(": significant")
