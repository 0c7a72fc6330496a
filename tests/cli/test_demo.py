import pendulum

import servicecore as sc
from servicecore.cli import _demo, main


class TestDemo:
    def test_prints_cases_with_timeline_and_state(self, capsys):
        """The demo shows each case's customer, timeline and final state."""
        assert main(["demo", "--cases", "2", "--population", "20"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("servicecore demo: 2 generated cases (seed 7)\n")
        assert out.count("\nCase case-7-") == 2
        assert "  customer  " in out
        assert "  timeline  (the customer's time, " in out
        assert "created        priority " in out
        assert "  state at the last event" in out

    def test_deterministic(self, capsys):
        """The same seed prints the same demo."""
        main(["demo", "--seed", "3", "--population", "20"])
        first = capsys.readouterr().out
        main(["demo", "--seed", "3", "--population", "20"])
        assert capsys.readouterr().out == first

    def test_zero_cases(self, capsys):
        """No cases to show: the heading, then the reports all the same."""
        assert main(["demo", "--cases", "0", "--population", "20"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("servicecore demo: 0 generated cases (seed 7)\n")
        assert "\nCase " not in out

    def test_ends_with_sla_feedback_and_personalization(self, capsys):
        """After the cases come SLA clocks, compliance, feedback, locales."""
        assert main(["demo", "--cases", "1", "--population", "40"]) == 0
        out = capsys.readouterr().out
        headings = [line for line in out.splitlines() if line.startswith("==")]
        assert headings == [
            "== SLA clocks of case-7-000000 at its last event (support.toml)",
            "== SLA compliance of 40 generated cases",
            "== Feedback from the same 40 cases, by channel",
            "== One customer, two locales (Charlotte Martin)",
        ]
        assert "SLA compliance of 40 cases at " in out
        assert "servicecore feedback report: " in out
        assert "[en_AU]\nDear Charlotte Martin," in out
        assert "[de_CH]\nGuten Tag Charlotte Martin," in out


class TestDescribe:
    def test_one_of_each_reads_in_the_singular(self):
        """One agent reply and one internal note are not '1 ... replies/notes'."""
        at = pendulum.datetime(2024, 3, 4, 9, tz="UTC")

        def message(
            number: int, kind: str, *, public: bool
        ) -> sc.MessageAdded:
            return sc.MessageAdded(
                case_id="k",
                interaction=sc.Interaction(
                    id=f"m{number}",
                    channel="email",
                    direction="outbound",
                    author_kind=kind,
                    at=at.add(minutes=number),
                    body="hello",
                    public=public,
                ),
            )

        case = sc.Case(
            id="k",
            customer=sc.Customer(id="c"),
            channel="email",
            events=[
                sc.CaseCreated(case_id="k", at=at),
                message(1, "agent", public=True),
                message(2, "agent", public=False),
            ],
        )
        assert _demo.describe(case)[-2].endswith(
            "messages 2: 0 from the customer, 1 agent reply, 1 internal note"
        )
