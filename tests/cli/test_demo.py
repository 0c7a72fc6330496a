from servicecore.cli import main


class TestDemo:
    def test_prints_cases_with_timeline_and_state(self, capsys):
        """The demo shows each case's customer, timeline and final state."""
        assert main(["demo", "--cases", "2", "--seed", "7"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("servicecore demo: 2 generated cases (seed 7)\n")
        assert out.count("\nCase case-7-") == 2
        assert "  customer  " in out
        assert "  timeline  (the customer's time, " in out
        assert "created        priority " in out
        assert "  state at the last event" in out

    def test_deterministic(self, capsys):
        """The same seed prints the same demo."""
        main(["demo", "--seed", "3"])
        first = capsys.readouterr().out
        main(["demo", "--seed", "3"])
        assert capsys.readouterr().out == first

    def test_zero_cases(self, capsys):
        """No cases: only the heading."""
        assert main(["demo", "--cases", "0"]) == 0
        assert (
            capsys.readouterr().out
            == "servicecore demo: 0 generated cases (seed 7)\n"
        )
