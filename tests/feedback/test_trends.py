"""Period-over-period changes and series, pinned against independent values."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import servicecore as sc

Z95 = 1.959963984540054


def _csat(satisfied, n):
    return [5] * satisfied + [1] * (n - satisfied)


class TestCompareCSAT:
    def test_newcombe_published_example(self):
        """56/70 against 48/80 gives Newcombe's interval 0.0524 to 0.3339."""
        # Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10.
        change = sc.feedback.compare_csat(_csat(48, 80), _csat(56, 70))
        assert change.difference == pytest.approx(0.2)
        assert change.interval is not None
        assert round(change.interval.low, 4) == 0.0524
        assert round(change.interval.high, 4) == 0.3339

    @pytest.mark.parametrize(
        ("x1", "n1", "x2", "n2"),
        [
            (60, 100, 80, 100),
            (48, 80, 56, 70),
            (30, 31, 29, 40),
            (5, 60, 9, 30),
        ],
    )
    def test_z_test_matches_scipy(self, x1, n1, x2, n2):
        """z^2 and p equal scipy's uncorrected chi-squared test of the table."""
        change = sc.feedback.compare_csat(_csat(x1, n1), _csat(x2, n2))
        result = stats.chi2_contingency(
            [[x1, n1 - x1], [x2, n2 - x2]], correction=False
        )
        assert change.z is not None
        assert change.z**2 == pytest.approx(result.statistic, rel=1e-10)
        assert math.copysign(1, change.z) == math.copysign(
            1, x2 / n2 - x1 / n1
        )
        assert change.p_value == pytest.approx(result.pvalue, rel=1e-9)
        assert change.significant is bool(result.pvalue < 0.05)

    def test_hand_calculation(self):
        """60/100 against 80/100: pooled 0.7, z = 0.2 / 0.0648074 = 3.0861."""
        # se = sqrt(0.7 * 0.3 * (1/100 + 1/100)) = sqrt(0.0042) = 0.0648074
        change = sc.feedback.compare_csat(_csat(60, 100), _csat(80, 100))
        assert change.z == pytest.approx(0.2 / math.sqrt(0.0042))
        assert str(change) == (
            "CSAT +20.0 points (95% interval +7.3 to +31.9; z=3.09, "
            "p=0.002): significant"
        )

    def test_identical_extremes(self):
        """Two samples all satisfied differ by 0 with p = 1."""
        change = sc.feedback.compare_csat([5] * 30, [5] * 40)
        assert (change.difference, change.z, change.p_value) == (0, 0, 1)
        assert change.significant is False

    def test_insufficient_side(self):
        """A side below the minimum sample makes the change insufficient."""
        change = sc.feedback.compare_csat([5] * 40, [5] * 3)
        assert change.difference is None
        assert change.significant is None
        assert str(change) == "CSAT change insufficient"

    @given(
        st.integers(0, 60),
        st.integers(30, 60),
        st.integers(0, 60),
        st.integers(30, 60),
    )
    @settings(max_examples=50)
    def test_swapping_sides_negates(self, x1, n1, x2, n2):
        """Swapping before and after negates the change, same p-value."""
        x1, x2 = min(x1, n1), min(x2, n2)
        ab = sc.feedback.compare_csat(_csat(x1, n1), _csat(x2, n2))
        ba = sc.feedback.compare_csat(_csat(x2, n2), _csat(x1, n1))
        assert ab.difference == pytest.approx(-ba.difference)
        assert ab.p_value == pytest.approx(ba.p_value)
        assert ab.interval.low == pytest.approx(-ba.interval.high)


class TestCompareNPS:
    def test_adjusted_wald_difference(self):
        """The difference interval adds the two adjusted-Wald variances."""
        before = [10] * 40 + [0] * 30 + [8] * 30
        after = [10] * 60 + [0] * 20 + [8] * 20
        # before: p' = 40.75/103, d' = 30.75/103; after: 60.75/103, 20.75/103
        p1, d1 = 40.75 / 103, 30.75 / 103
        p2, d2 = 60.75 / 103, 20.75 / 103
        v1 = (p1 + d1 - (p1 - d1) ** 2) / 103
        v2 = (p2 + d2 - (p2 - d2) ** 2) / 103
        centre = (p2 - d2) - (p1 - d1)
        half = Z95 * math.sqrt(v1 + v2)
        change = sc.feedback.compare_nps(before, after)
        assert change.difference == 30.0
        assert change.interval is not None
        assert change.interval.low == pytest.approx((centre - half) * 100)
        assert change.interval.high == pytest.approx((centre + half) * 100)
        assert change.z == pytest.approx(centre / math.sqrt(v1 + v2))
        assert change.significant is True

    def test_not_significant(self):
        """Overlapping samples are not significantly different."""
        change = sc.feedback.compare_nps([10, 0] * 20, [10, 10, 0] * 14)
        assert change.significant is False
        assert change.interval is not None
        assert change.interval.contains(0)

    def test_insufficient(self):
        """Too few answers on a side say so."""
        assert (
            str(sc.feedback.compare_nps([10], [0] * 50))
            == "NPS change insufficient"
        )


class TestCompareCES:
    def test_welch_matches_scipy(self):
        """t, df, p and the interval equal scipy's Welch test."""
        before = [4, 5, 6, 5] * 10
        after = [5, 6, 7, 6, 7] * 9
        change = sc.feedback.compare_ces(before, after)
        result = stats.ttest_ind(after, before, equal_var=False)
        expected = result.confidence_interval(0.95)
        assert change.t == pytest.approx(result.statistic, rel=1e-12)
        assert change.df == pytest.approx(result.df, rel=1e-12)
        assert change.p_value == pytest.approx(result.pvalue, rel=1e-8)
        assert change.interval is not None
        assert change.interval.low == pytest.approx(expected.low, rel=1e-9)
        assert change.interval.high == pytest.approx(expected.high, rel=1e-9)
        assert change.significant is True

    def test_no_spread(self):
        """Two constant samples have a difference but no test."""
        change = sc.feedback.compare_ces([5] * 30, [6] * 30)
        assert change.difference == 1.0
        assert (change.t, change.p_value, change.significant) == (
            None,
            None,
            None,
        )
        assert str(change) == "CES change insufficient"


class TestTrend:
    def test_series_in_period_order(self):
        """Periods come sorted, each compared with the one before."""
        periods = {
            "2026-02": sc.feedback.Tally.of(_csat(30, 40)),
            "2026-01": sc.feedback.Tally.of(_csat(20, 40)),
            "2026-03": sc.feedback.Tally.of(_csat(2, 4)),
        }
        series = sc.feedback.trend(periods, "csat")
        assert [p.period for p in series] == ["2026-01", "2026-02", "2026-03"]
        assert [p.value for p in series] == [0.5, 0.75, None]
        assert series[0].change is None
        assert series[1].change == sc.feedback.compare_csat(
            periods["2026-01"], periods["2026-02"]
        )
        assert series[2].change.difference is None
        low, high = series[1].low, series[1].high
        expected = stats.binomtest(30, 40).proportion_ci(0.95, "wilson")
        assert (low, high) == pytest.approx((expected.low, expected.high))

    def test_nps_and_ces_series(self):
        """NPS points and CES means are the values of their series."""
        periods = {
            "a": sc.feedback.Tally.of([10] * 30),
            "b": sc.feedback.Tally.of([0] * 30),
        }
        assert [p.value for p in sc.feedback.trend(periods, "nps")] == [
            100.0,
            -100.0,
        ]
        ces = sc.feedback.trend(
            {"a": sc.feedback.Tally.of([1, 2] * 15)},
            sc.feedback.ScoreKind.CES,
            ces_scale=sc.feedback.CESScale.effort_5(),
        )
        assert ces[0].value == 1.5

    def test_from_an_aggregate(self):
        """An aggregate keyed by period is a series."""
        rows = [(5, "2026-W02")] * 30 + [(1, "2026-W01")] * 30
        agg = sc.feedback.aggregate(
            rows, by=lambda r: r[1], score=lambda r: r[0]
        )
        series = sc.feedback.trend(agg, "csat")
        assert [(p.period, p.count) for p in series] == [
            ("2026-W01", 30),
            ("2026-W02", 30),
        ]
        assert series[1].change.significant is True

    def test_unknown_kind(self):
        """An unknown kind is refused."""
        with pytest.raises(sc.errors.InvalidValueError, match=r"^kind: "):
            sc.feedback.trend({}, "nsp")


class TestPeriodOrder:
    def test_numeric_periods_sort_as_numbers(self):
        """Periods 9 and 10 come in numeric order, not as text."""
        periods = {
            10: sc.feedback.Tally.of([5] * 30),
            9: sc.feedback.Tally.of([1] * 30),
        }
        assert [p.period for p in sc.feedback.trend(periods, "csat")] == [
            9,
            10,
        ]

    def test_mixed_keys_sort_by_repr(self):
        """Keys that do not compare fall back to their repr."""
        periods = {
            "a": sc.feedback.Tally.of([5]),
            None: sc.feedback.Tally.of([1]),
        }
        assert [p.period for p in sc.feedback.trend(periods, "csat")] == [
            "a",
            None,
        ]
