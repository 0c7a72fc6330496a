"""``servicecore escalation simulate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import servicecore as sc
from servicecore.cli import main

EXAMPLE = (
    Path(__file__).parents[2] / "examples" / "escalation" / "policies.toml"
)


class TestSimulate:
    """The per-level summary over a JSON Lines file of cases."""

    def test_summary(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every level gets a row; the totals agree with simulate()."""
        cases = tmp_path / "cases.jsonl"
        generated = sc.generate_cases(12, seed=5)
        sc.write_cases(generated, cases)
        code = main(
            [
                "escalation",
                "simulate",
                "--policies",
                str(EXAMPLE),
                "--cases",
                str(cases),
                "--horizon",
                "3d",
            ]
        )
        out = capsys.readouterr().out.splitlines()
        assert code == 0
        assert out[0].split() == [
            "policy",
            "level",
            "name",
            "trigger",
            "fired",
            "cases",
        ]
        assert len(out) == 1 + 7 + 1
        document = sc.load_policies(EXAMPLE)
        engine = sc.EscalationEngine(
            document.sections["escalation"],
            sla=sc.SLAEngine(document.sections["sla"]),
        )
        total = sum(
            len(sc.escalation.simulate(c, engine, c.events[-1].at.add(days=3)))
            for c in generated
        )
        assert out[-1] == f"12 cases, {total} escalations"
        fired = sum(int(line.split()[-2]) for line in out[1:-1])
        assert fired == total

    def test_details(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--details lists each escalation with its case before the summary."""
        cases = tmp_path / "cases.jsonl"
        generated = sc.generate_cases(6, seed=5)
        sc.write_cases(generated, cases)
        args = ["escalation", "simulate", "--policies", str(EXAMPLE)]
        args += ["--cases", str(cases), "--horizon", "3d", "--details"]
        assert main(args) == 0
        out = capsys.readouterr().out.splitlines()
        header = next(
            i for i, line in enumerate(out) if line.startswith("policy ")
        )
        total = int(out[-1].split()[2])
        assert header == total
        ids = {c.id for c in generated}
        assert all(line.split()[0] in ids for line in out[:header])

    def test_bad_policies(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A wrong document is one error line and exit status 1 (bad data)."""
        bad = tmp_path / "bad.toml"
        bad.write_text(
            "schema_version = 1\n[[escalation.policies]]\nname = 'x'\n"
        )
        cases = tmp_path / "cases.jsonl"
        cases.write_text("")
        code = main(
            [
                "escalation",
                "simulate",
                "--policies",
                str(bad),
                "--cases",
                str(cases),
            ]
        )
        assert code == 1
        assert capsys.readouterr().err == (
            f"servicecore: error: {bad}:2: escalation.policies[0].levels: "
            "expected a non-empty list of levels\n"
        )

    def test_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--format json gives the totals, a row per level and each escalation."""
        cases = tmp_path / "cases.jsonl"
        sc.write_cases(sc.generate_cases(6, seed=5), cases)
        args = ["escalation", "simulate", "--policies", str(EXAMPLE)]
        args += ["--cases", str(cases), "--horizon", "3d", "--details"]
        assert main([*args]) == 0
        text = capsys.readouterr().out.splitlines()
        assert main([*args, "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert text[-1] == (
            f"6 cases, {data['escalations']} escalation"
            + ("" if data["escalations"] == 1 else "s")
        )
        assert data["cases"] == 6
        assert len(data["levels"]) == 7
        assert data["levels"][0] == {
            "policy": "first-reply",
            "level": 0,
            "name": "team lead",
            "trigger": "sla_threshold",
            "fired": data["levels"][0]["fired"],
            "cases": data["levels"][0]["cases"],
        }
        assert sum(level["fired"] for level in data["levels"]) == len(
            data["escalations_fired"]
        )
        assert [
            f"{e['case']} {e['at']} {e['policy']}[{e['level']}]"
            for e in data["escalations_fired"]
        ] == [" ".join(line.split()[:3]) for line in text[: len(text) - 9]]
