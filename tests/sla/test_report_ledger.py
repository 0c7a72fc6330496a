"""The ledger the engine builds on first read behaves as a plain tuple."""

from __future__ import annotations

import attrs

import servicecore as sc


def _report(h) -> sc.SLAReport:
    engine = h.engine(h.policy({"normal": {"first_reply": "1h"}}))
    case = h.Story().customer_says("10m").agent_says("20m").case()
    return engine.evaluate(case, h.MONDAY.add(hours=1))


class TestLazyLedger:
    def test_the_ledger_is_a_tuple_of_entries(self, h):
        """Read twice, the ledger is the same tuple of SLALedgerEntry."""
        report = _report(h)
        first = report.ledger
        assert type(first) is tuple
        assert report.ledger is first
        assert [e.kind.value for e in first] == [
            "activated",
            "target_applied",
            "fulfilled",
        ]

    def test_equal_to_a_report_built_with_its_entries(self, h):
        """A report equals the same report with its ledger given as a tuple."""
        report = _report(h)
        twin = attrs.evolve(report, ledger=tuple(_report(h).ledger))
        assert (twin == report, report == twin) == (True, True)

    def test_a_different_ledger_makes_a_different_report(self, h):
        """Reports with different ledgers are not equal."""
        report = _report(h)
        assert attrs.evolve(report, ledger=()) != _report(h)

    def test_the_repr_shows_the_entries(self, h):
        """The repr lists the entries, as for a report built by hand."""
        report = _report(h)
        entries = report.ledger
        assert repr(_report(h)) == repr(attrs.evolve(report, ledger=entries))
        assert "ledger=(SLALedgerEntry(" in repr(report)
