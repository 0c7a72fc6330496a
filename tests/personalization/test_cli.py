import json
from pathlib import Path

import pendulum
import pytest

import servicecore as sc
from servicecore.cli import main

RULES = (
    Path(__file__).parents[2] / "examples" / "personalization" / "rules.toml"
)
AT = "2024-03-26T10:00:00+00:00"


@pytest.fixture(name="cases")
def _cases(tmp_path):
    cases = [
        sc.Case(
            id=f"C-{locale}",
            customer=sc.Customer(
                id=f"cu-{locale}",
                name="Lena Meier",
                locale=locale,
                time_zone=zone,
                tier="vip",
            ),
            channel="email",
            events=[
                sc.CaseCreated(
                    case_id=f"C-{locale}",
                    at=pendulum.datetime(2024, 3, 26, 9, tz="UTC"),
                )
            ],
        )
        for locale, zone in [
            ("de_CH", "Europe/Zurich"),
            ("en_US", "America/New_York"),
        ]
    ]
    path = tmp_path / "cases.jsonl"
    sc.write_cases(cases, path)
    return path


class TestPersonalizeCommand:
    def test_prints_profile_and_acknowledgement(self, cases, capsys):
        """The command explains the profile and renders the message."""
        code = main(
            [
                "personalize",
                "--rules",
                str(RULES),
                "--cases",
                str(cases),
                "--case",
                "C-de_CH",
                "--at",
                AT,
            ]
        )
        out = capsys.readouterr().out
        assert code == 0
        assert "queue = 'vip' by rule 'vip' (final)" in out
        assert "tone = 'formal' by rule 'german speakers stay formal'" in out
        assert out.endswith(
            "Guten Tag Lena Meier,\n\nVielen Dank für Ihre Nachricht. Wir "
            "antworten Ihnen bis Dienstag, 15:00 Ihrer Zeit (in 4 Stunden).\n"
        )
        assert "locale de, falling back from de_CH" in out

    def test_json_output(self, cases, capsys):
        """--format json prints the profile and the message as JSON."""
        code = main(
            [
                "personalize",
                "--rules",
                str(RULES),
                "--cases",
                str(cases),
                "--case",
                "C-en_US",
                "--at",
                AT,
                "--reply-in",
                "1d",
                "--format",
                "json",
            ]
        )
        data = json.loads(capsys.readouterr().out)
        assert code == 0
        assert data["profile"]["queue"]["rule"] == "vip"
        assert data["acknowledgement"]["text"] == (
            "Dear Lena Meier,\n\nThank you for your message. We will reply by "
            "Wednesday, 6:00\u202fAM your time (in 1 day)."
        )

    def test_unknown_case(self, cases, capsys):
        """An unknown case id is a one-line error with exit status 1."""
        code = main(
            [
                "personalize",
                "--rules",
                str(RULES),
                "--cases",
                str(cases),
                "--case",
                "nope",
                "--at",
                AT,
            ]
        )
        assert code == 1
        assert capsys.readouterr().err == (
            f"servicecore: error: {cases}: no case with id 'nope'\n"
        )

    def test_naive_at(self, cases, capsys):
        """A moment without offset is a usage error, exit status 2."""
        code = main(
            [
                "personalize",
                "--rules",
                str(RULES),
                "--cases",
                str(cases),
                "--case",
                "C-de_CH",
                "--at",
                "2024-03-26T10:00",
            ]
        )
        assert code == 2
        assert capsys.readouterr().err == (
            "servicecore: error: argument --at: '2024-03-26T10:00' has no "
            "offset: add Z (UTC) or one such as +02:00 (see servicecore "
            "personalize --help)\n"
        )


def test_reply_time_from_sla_deadline(cases, tmp_path, capsys):
    """With an [sla] section the reply time is the first-reply deadline."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        RULES.read_text()
        + '\n[[sla.policies]]\nname = "all"\n'
        + 'targets.normal = { first_reply = "2h" }\n'
    )
    code = main(
        [
            "personalize",
            "--rules",
            str(rules),
            "--cases",
            str(cases),
            "--case",
            "C-de_CH",
            "--at",
            AT,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "from SLA first-reply deadline" in out
    assert out.endswith(
        "Vielen Dank für Ihre Nachricht. Wir antworten Ihnen bis Dienstag, "
        "12:00 Ihrer Zeit (in 1 Stunde).\n"
    )
