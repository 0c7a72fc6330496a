"""Batch evaluation, compliance reports and what-if comparisons."""

from __future__ import annotations

import math

import pytest

import servicecore as sc


def engine(target: str) -> sc.SLAEngine:
    """Return an engine with one first_reply target for normal and high."""
    return sc.SLAEngine(
        [
            sc.sla.SLAPolicy(
                name="all",
                targets={
                    "normal": {"first_reply": target},
                    "high": {"first_reply": target},
                },
            )
        ]
    )


@pytest.fixture(name="cases")
def _cases(h) -> list[sc.Case]:
    return [
        h.Story(case_id="a").agent_says("1h").case(),
        h.Story(case_id="b", priority="high", channel="chat")
        .agent_says("3h")
        .case(),
        h.Story(case_id="c").case(),
    ]


def wilson(
    k: int, n: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """The Wilson score interval, written out."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (
        z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    )
    return centre - half, centre + half


class TestCompliance:
    def test_counts_per_cycle_and_case(self, h, cases):
        """A achieved, B breached (3h > 2h), C still running at 11:30."""
        report = engine("2h").compliance(
            cases, h.MONDAY.add(hours=2, minutes=30)
        )
        row = report.row("first_reply")
        assert (row.achieved, row.breached, row.in_progress) == (1, 2, 0)
        assert (row.cases, row.cases_breached) == (3, 2)
        assert row.rate == pytest.approx(1 / 3)
        low, high = wilson(1, 3)
        assert (row.interval.low, row.interval.high) == (
            pytest.approx(low),
            pytest.approx(high),
        )

    def test_in_progress_within_target(self, h, cases):
        """With 4h, C is running within its target at 12:30."""
        report = engine("4h").compliance(
            cases, h.MONDAY.add(hours=3, minutes=30)
        )
        row = report.row("first_reply")
        assert (row.achieved, row.breached, row.in_progress) == (2, 0, 1)
        assert row.rate == 1.0

    def test_cycles_without_a_target_count_apart(self, h, cases):
        """A low case (no target) is untargeted: in no rate, no case count."""
        low = h.Story(case_id="d", priority="low").agent_says("1h").case()
        report = engine("2h").compliance(
            [*cases, low], h.MONDAY.add(hours=2, minutes=30)
        )
        row = report.row("first_reply")
        assert (
            row.achieved,
            row.breached,
            row.in_progress,
            row.untargeted,
        ) == (1, 2, 0, 1)
        assert (row.cases, row.cases_breached, row.rate) == (3, 2, 1 / 3)
        only = report.row("first_reply", "priority", "low")
        assert (only.untargeted, only.achieved, only.rate, only.cases) == (
            1,
            0,
            None,
            0,
        )
        assert (only.interval, only.case_breach_rate) == (None, None)
        assert report.times["first_reply"].count == 2  # a and d, measured
        data = report.to_dict()["rows"]
        assert [r["untargeted"] for r in data if r["value"] == "low"] == [1]
        header, first = report.to_text().splitlines()[1:3]
        assert header == (
            "group                        metric           achieved breached "
            "running untargeted   rate  interval       cases breached"
        )
        assert first == (
            "all=all                      first_reply             1        2 "
            "      0          1  33.3%  [6.1%, 79.2%]  2/3"
        )

    def test_groups(self, h, cases):
        """Rows exist per priority, channel and month."""
        report = engine("2h").compliance(cases, h.MONDAY.add(hours=4))
        high = report.row("first_reply", "priority", "high")
        chat = report.row("first_reply", "channel", "chat")
        month = report.row("first_reply", "month", "2024-03")
        assert (high.breached, high.achieved) == (1, 0)
        assert (chat.cases, chat.cases_breached) == (1, 1)
        assert month.cases == 3
        assert report.row("first_reply", "team", "(none)").cases == 3

    def test_percentiles_of_stopped_cycles(self, h, cases):
        """Replies after 1h and 3h: p50 1h, p90 3h; margins 1h and -1h."""
        report = engine("2h").compliance(cases, h.MONDAY.add(hours=4))
        times = report.times["first_reply"]
        assert times.count == 2
        assert dict(times.business) == {50: 3600, 90: 3 * 3600, 95: 3 * 3600}
        assert dict(times.calendar) == {50: 3600, 90: 3 * 3600, 95: 3 * 3600}
        assert dict(times.margin) == {50: -3600, 90: 3600, 95: 3600}

    def test_cases_created_after_the_moment_are_left_out(self, h, cases):
        """A case created at 12:00 did not exist at 11:30: three cases."""
        late = h.Story(h.MONDAY.add(hours=3), case_id="late").case()
        report = engine("2h").compliance(
            [*cases, late], h.MONDAY.add(hours=2, minutes=30)
        )
        assert (report.cases, report.row("first_reply").cases) == (3, 3)

    def test_text_and_json(self, h, cases):
        """The report renders as text and as JSON-safe data."""
        report = engine("2h").compliance(cases, h.MONDAY.add(hours=4))
        assert "all=all" in report.to_text()
        data = report.to_dict()
        assert data["cases"] == 3
        assert data["rows"][0]["metric"] == "first_reply"


class TestEvaluateMany:
    def test_reports_in_order(self, h, cases):
        """evaluate_many yields one report per case, in order."""
        reports = list(
            engine("2h").evaluate_many(iter(cases), h.MONDAY.add(hours=4))
        )
        assert [r.case_id for r in reports] == ["a", "b", "c"]

    def test_a_case_created_after_the_moment_is_refused(self, h, cases):
        """As evaluate() does, evaluate_many refuses a case not yet created."""
        late = h.Story(h.MONDAY.add(hours=5), case_id="late").case()
        reports = engine("2h").evaluate_many(
            [*cases, late], h.MONDAY.add(hours=4)
        )
        assert [next(reports).case_id for _ in cases] == ["a", "b", "c"]
        with pytest.raises(
            sc.errors.ModelError, match=r"^at: .* is before the case"
        ):
            next(reports)


class TestDiff:
    def test_tighter_targets_newly_breach(self, h, cases):
        """From 4h to 2h, B and C newly breach; A still achieves."""
        diff = engine("4h").diff(
            engine("2h"), cases, h.MONDAY.add(hours=3, minutes=30)
        )
        assert diff.newly_breached == (
            ("b", "first_reply", 0),
            ("c", "first_reply", 0),
        )
        assert diff.no_longer_breached == ()
        assert diff.percentile_changes()["first_reply"] == {
            50: 0,
            90: 0,
            95: 0,
        }
        assert (
            "2 cycles newly breached, 0 no longer breached (3 cases)"
            in diff.to_text()
        )

    def test_cases_created_after_the_moment_are_left_out(self, h, cases):
        """A case created after the moment is in neither report."""
        late = h.Story(h.MONDAY.add(hours=5), case_id="late").case()
        diff = engine("4h").diff(
            engine("2h"), [*cases, late], h.MONDAY.add(hours=3, minutes=30)
        )
        assert (diff.old.cases, diff.new.cases) == (3, 3)
        assert len(diff.newly_breached) == 2

    def test_looser_targets_no_longer_breach(self, h, cases):
        """From 2h back to 4h, the same cycles no longer breach."""
        diff = engine("2h").diff(
            engine("4h"), cases, h.MONDAY.add(hours=3, minutes=30)
        )
        assert diff.no_longer_breached == (
            ("b", "first_reply", 0),
            ("c", "first_reply", 0),
        )
