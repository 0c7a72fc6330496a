"""CSAT, NPS and CES scores, pinned against independent computations."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import servicecore as sc
from servicecore.feedback import _stats

Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)

csat_answers = st.lists(st.integers(1, 5), max_size=200)
nps_answers = st.lists(st.integers(0, 10), max_size=200)
ces_answers = st.lists(st.integers(1, 7), max_size=200)


class TestStudentT:
    @pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99, 0.999])
    @pytest.mark.parametrize(
        "df", [0.5, 1, 1.7, 2, 3, 5, 10, 29, 100, 1000, 9e4, 1e5, 1e8, 1e12]
    )
    def test_quantile_matches_scipy(self, confidence, df):
        """The pure-Python t quantile equals scipy's to 1e-8 relative."""
        expected = stats.t.ppf(1 - (1 - confidence) / 2, df)
        assert _stats.t_value(confidence, df) == pytest.approx(
            expected, rel=1e-8
        )

    @pytest.mark.parametrize("t", [-30.0, -2.5, -0.1, 0.0, 0.7, 4.0])
    @pytest.mark.parametrize("df", [0.8, 3, 41.5])
    def test_cdf_matches_scipy(self, t, df):
        """The t distribution function equals scipy's to 1e-10."""
        assert _stats.t_cdf(t, df) == pytest.approx(
            stats.t.cdf(t, df), abs=1e-10
        )

    def test_normal_quantile(self):
        """The 95 % two-sided normal quantile is 1.959964."""
        assert _stats.z_value(0.95) == pytest.approx(Z95, rel=1e-12)


class TestCSAT:
    def test_wilson_hand_calculation(self):
        """40 satisfied of 50 give Wilson bounds 0.669629 and 0.887562."""
        # p = 0.8, n = 50, z^2 = 3.841459; denominator 1 + z^2/n = 1.076829
        # centre (0.8 + 0.038415) / 1.076829 = 0.778596
        # half z/1.076829 * sqrt(0.0032 + 0.000384146) = 0.108967
        score = sc.feedback.csat_score([5] * 25 + [4] * 15 + [3] * 4 + [1] * 6)
        assert score.share == 0.8
        assert score.satisfied == 40
        assert score.count == 50
        assert score.interval == sc.feedback.Interval(
            low=pytest.approx(0.6696289406777458, abs=1e-12),
            high=pytest.approx(0.8875624998422389, abs=1e-12),
            confidence=0.95,
        )

    @pytest.mark.parametrize(
        ("satisfied", "n", "confidence"),
        [(0, 30, 0.95), (30, 30, 0.95), (17, 31, 0.9), (412, 500, 0.99)],
    )
    def test_wilson_matches_scipy(self, satisfied, n, confidence):
        """The interval equals scipy's Wilson interval, ends included."""
        scores = [5] * satisfied + [1] * (n - satisfied)
        got = sc.feedback.csat_score(scores, confidence=confidence).interval
        expected = stats.binomtest(satisfied, n).proportion_ci(
            confidence, method="wilson"
        )
        assert got is not None
        assert got.low == pytest.approx(expected.low, abs=1e-12)
        assert got.high == pytest.approx(expected.high, abs=1e-12)

    def test_satisfied_set_is_configuration(self):
        """A 1-10 scale counting only 9 and 10 satisfied scores 2 of 4."""
        scale = sc.feedback.CSATScale(minimum=1, maximum=10, satisfied=[9, 10])
        score = sc.feedback.csat_score(
            [10, 9, 8, 1], scale=scale, minimum_sample=4
        )
        assert score.share == 0.5

    def test_default_satisfied_is_top_two_boxes(self):
        """Any range's default satisfied answers are its top two."""
        assert sc.feedback.CSATScale(minimum=0, maximum=10).satisfied == {
            9,
            10,
        }

    def test_raw_answers_are_kept(self):
        """The tally keeps each answer's count."""
        score = sc.feedback.csat_score([5, 5, 2])
        assert dict(score.tally.counts) == {2: 1, 5: 2}

    def test_insufficient_below_minimum(self):
        """29 answers are insufficient: no share, no interval, and it says so."""
        score = sc.feedback.csat_score([5] * 29)
        assert (score.share, score.interval) == (None, None)
        assert not score.is_sufficient
        assert str(score) == "CSAT insufficient: 29 responses, 30 needed"

    def test_no_responses(self):
        """No answers at all say so."""
        assert (
            str(sc.feedback.csat_score([]))
            == "CSAT insufficient: no responses"
        )

    def test_text(self):
        """The text gives share, interval, level and count."""
        assert str(sc.feedback.csat_score([5] * 40 + [2] * 10)) == (
            "CSAT 80.0% (95% interval 67.0%-88.8%, n=50)"
        )

    def test_off_scale_answer(self):
        """An answer of 6 on a 1-5 scale is refused."""
        with pytest.raises(
            sc.errors.ScoreOutOfRangeError, match=r"^scores: "
        ) as e:
            sc.feedback.csat_score([5, 6])
        assert e.value.location == "scores"

    @pytest.mark.parametrize("confidence", [0, 1, 95, -0.5])
    def test_bad_confidence(self, confidence):
        """A confidence level outside (0, 1) is refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^confidence: "
        ):
            sc.feedback.csat_score([5], confidence=confidence)

    @pytest.mark.parametrize("minimum", [0, -1, 2.5, True])
    def test_bad_minimum_sample(self, minimum):
        """A minimum sample that is not a positive integer is refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^minimum_sample: "
        ):
            sc.feedback.csat_score([5], minimum_sample=minimum)

    def test_bad_scale(self):
        """A satisfied answer off the scale is refused at construction."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^scale.satisfied: "
        ):
            sc.feedback.CSATScale(satisfied=[5, 6])
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^scale: minimum 5"
        ):
            sc.feedback.CSATScale(minimum=5, maximum=5, satisfied=[5])

    @given(csat_answers)
    @settings(max_examples=60)
    def test_share_and_interval_in_range(self, answers):
        """The share lies in [0, 1] and inside its interval."""
        score = sc.feedback.csat_score(answers, minimum_sample=1)
        if score.share is not None:
            assert score.interval is not None
            assert 0 <= score.interval.low <= score.share
            assert score.share <= score.interval.high <= 1

    @given(csat_answers, st.randoms())
    @settings(max_examples=40)
    def test_shuffling_changes_nothing(self, answers, rnd):
        """The order of the answers does not matter."""
        shuffled = list(answers)
        rnd.shuffle(shuffled)
        assert sc.feedback.csat_score(
            answers, minimum_sample=1
        ) == sc.feedback.csat_score(shuffled, minimum_sample=1)


class TestNPS:
    def test_adjusted_wald_hand_calculation(self):
        """50 promoters, 30 passives, 20 detractors: NPS 30, 14.05 to 44.20."""
        # n' = 103, p' = 50.75/103 = 0.4927184, d' = 20.75/103 = 0.2014563
        # NPS' = 0.2912621; var = p' + d' - NPS'^2 = 0.6093411
        # se = sqrt(0.6093411 / 103) = 0.0769151; +-1.959964 se
        score = sc.feedback.nps_score(
            [10] * 30 + [9] * 20 + [8] * 30 + [3] * 20
        )
        assert score.score == 30.0
        assert (score.promoters, score.passives, score.detractors) == (
            50,
            30,
            20,
        )
        assert score.interval is not None
        assert score.interval.low == pytest.approx(14.051130178761607)
        assert score.interval.high == pytest.approx(44.20129700570441)

    @pytest.mark.parametrize(
        ("promoters", "passives", "detractors"),
        [(0, 0, 40), (40, 0, 0), (12, 25, 7), (300, 120, 80)],
    )
    def test_adjusted_wald_formula(self, promoters, passives, detractors):
        """The interval follows the published adjusted-Wald steps."""
        n = promoters + passives + detractors
        p = (promoters + 0.75) / (n + 3)
        d = (detractors + 0.75) / (n + 3)
        half = Z95 * math.sqrt((p + d - (p - d) ** 2) / (n + 3))
        scores = [10] * promoters + [7] * passives + [0] * detractors
        got = sc.feedback.nps_score(scores).interval
        assert got is not None
        assert got.low == pytest.approx(max(-100, (p - d - half) * 100))
        assert got.high == pytest.approx(min(100, (p - d + half) * 100))

    def test_boundaries_of_the_groups(self):
        """6 is a detractor, 7 and 8 are passives, 9 a promoter."""
        score = sc.feedback.nps_score([6, 7, 8, 9], minimum_sample=4)
        assert (score.detractors, score.passives, score.promoters) == (
            1,
            2,
            1,
        )
        assert score.score == 0.0

    def test_category(self):
        """nps_category names each group."""
        assert [sc.feedback.nps_category(s) for s in (0, 6, 7, 8, 9, 10)] == [
            sc.feedback.NPSCategory.DETRACTOR,
            sc.feedback.NPSCategory.DETRACTOR,
            sc.feedback.NPSCategory.PASSIVE,
            sc.feedback.NPSCategory.PASSIVE,
            sc.feedback.NPSCategory.PROMOTER,
            sc.feedback.NPSCategory.PROMOTER,
        ]

    @pytest.mark.parametrize("bad", [-1, 11, 9.5, True, "9"])
    def test_off_scale(self, bad):
        """Anything but an integer 0-10 is refused."""
        with pytest.raises(sc.errors.ScoreOutOfRangeError):
            sc.feedback.nps_score([bad])
        with pytest.raises(sc.errors.ScoreOutOfRangeError):
            sc.feedback.nps_category(bad)

    def test_insufficient(self):
        """Three answers are insufficient by default."""
        assert str(sc.feedback.nps_score([10, 10, 0])) == (
            "NPS insufficient: 3 responses, 30 needed"
        )

    @given(nps_answers)
    @settings(max_examples=60)
    def test_score_in_range(self, answers):
        """The score and its clipped interval lie in [-100, 100]."""
        # The adjusted-Wald interval need not contain the raw score: its
        # centre is pulled toward 0 (one detractor: -100, interval -98..48).
        score = sc.feedback.nps_score(answers, minimum_sample=1)
        if score.score is not None:
            assert score.interval is not None
            assert -100 <= score.score <= 100
            assert -100 <= score.interval.low <= score.interval.high <= 100

    @given(nps_answers, st.randoms())
    @settings(max_examples=40)
    def test_shuffling_changes_nothing(self, answers, rnd):
        """The order of the answers does not matter."""
        shuffled = list(answers)
        rnd.shuffle(shuffled)
        assert sc.feedback.nps_score(answers) == sc.feedback.nps_score(
            shuffled
        )


class TestCES:
    def test_mean_interval_is_adjusted_wald(self):
        """The mean's interval adds z^2/2 answers at each end of the scale."""
        answers = [7, 6, 6, 5, 3, 2]
        score = sc.feedback.ces_score(answers, minimum_sample=6)
        z = stats.norm.ppf(0.975)
        extra = z * z / 2
        n = len(answers) + 2 * extra
        centre = (sum(answers) + extra * (1 + 7)) / n
        second = (sum(a * a for a in answers) + extra * (1 + 49)) / n
        half = z * math.sqrt((second - centre**2) / n)
        assert score.mean == pytest.approx(29 / 6)
        assert score.interval is not None
        assert score.interval.low == pytest.approx(centre - half, rel=1e-12)
        assert score.interval.high == pytest.approx(centre + half, rel=1e-12)
        assert str(score) == (
            "CES 4.83 of 1-7, higher is easier (95% interval 3.03-5.99, "
            "n=6); 66.7% easy"
        )

    @pytest.mark.parametrize(
        ("yes", "n"), [(0, 10), (3, 10), (10, 10), (41, 50)]
    )
    def test_two_point_scale_is_agresti_coull(self, yes, n):
        """On a 0-1 scale the interval is Agresti and Coull's (1998)."""
        scale = sc.feedback.CESScale(minimum=0, maximum=1, easy=[1])
        score = sc.feedback.ces_score(
            [1] * yes + [0] * (n - yes), scale=scale, minimum_sample=2
        )
        z = stats.norm.ppf(0.975)
        n_adj = n + z * z
        p_adj = (yes + z * z / 2) / n_adj
        half = z * math.sqrt(p_adj * (1 - p_adj) / n_adj)
        assert score.interval is not None
        assert score.interval.low == pytest.approx(
            max(0.0, min(yes / n, p_adj - half)), rel=1e-12, abs=1e-15
        )
        assert score.interval.high == pytest.approx(
            min(1.0, max(yes / n, p_adj + half)), rel=1e-12
        )

    def test_easy_share_and_interval(self):
        """4 easy answers of 6 give 2/3 with scipy's Wilson interval."""
        score = sc.feedback.ces_score([7, 6, 6, 5, 3, 2], minimum_sample=6)
        expected = stats.binomtest(4, 6).proportion_ci(0.95, method="wilson")
        assert score.easy_share == pytest.approx(2 / 3)
        assert score.easy_interval is not None
        assert score.easy_interval.low == pytest.approx(expected.low)
        assert score.easy_interval.high == pytest.approx(expected.high)

    def test_direction_of_the_effort_scale(self):
        """On the 1-5 effort scale, 1 and 2 are easy and ease runs down."""
        effort = sc.feedback.CESScale.effort_5()
        score = sc.feedback.ces_score(
            [1, 1, 2, 5], scale=effort, minimum_sample=4
        )
        assert score.easy_share == 0.75
        # mean 2.25 on 1-5, lower is easier: ease = 1 - 1.25/4 = 0.6875
        assert score.ease == 0.6875
        assert effort.direction is sc.feedback.CESDirection.LOWER_IS_EASIER

    def test_direction_of_the_agreement_scale(self):
        """On the 1-7 agreement scale, 5-7 are easy and ease runs up."""
        score = sc.feedback.ces_score([7, 7, 1, 4], minimum_sample=4)
        # mean 4.75 on 1-7, higher is easier: ease = 3.75 / 6 = 0.625
        assert score.ease == 0.625
        assert score.easy_share == 0.5

    def test_interval_is_clipped_to_the_scale(self):
        """An interval at the end of the scale stops there."""
        effort = sc.feedback.CESScale.effort_5()
        score = sc.feedback.ces_score(
            [1, 1, 1, 1], scale=effort, minimum_sample=4
        )
        assert score.interval is not None
        # n' = 4 + z^2 = 7.84146; m' = (4 + 1.92073 * 6) / n' = 1.97977;
        # second moment (4 + 1.92073 * 26) / n' = 6.87872; variance 2.95923;
        # half = z * sqrt(2.95923 / n') = 1.20404: 0.77573 clipped to 1.
        assert score.interval.low == 1.0
        assert score.interval.high == pytest.approx(3.18380, abs=5e-6)

    def test_minimum_sample_of_two(self):
        """A CES mean needs at least two answers for its spread."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^minimum_sample: "
        ):
            sc.feedback.ces_score([4], minimum_sample=1)

    def test_bad_easy_answers(self):
        """Easy answers off the scale are refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^scale.easy: "
        ):
            sc.feedback.CESScale(easy=[8])

    @given(ces_answers)
    @settings(max_examples=60)
    def test_in_range(self, answers):
        """Mean, ease and easy share stay on their scales."""
        score = sc.feedback.ces_score(answers, minimum_sample=2)
        if score.mean is not None:
            assert score.interval is not None
            assert 1 <= score.interval.low <= score.interval.high <= 7
            assert score.interval.low <= score.mean <= score.interval.high
            assert score.interval.width > 0
            assert 1 <= score.mean <= 7
            assert score.ease is not None
            assert 0 <= score.ease <= 1


class TestIntervalsAtTheEdges:
    @pytest.mark.parametrize(
        ("answer", "low", "high"),
        [
            # n' = 30 + z^2 = 33.84146, 1.92073 answers added at 1 and at 7
            (7, 6.191730, 7.0),
            (4, 3.659460, 4.340540),
            (1, 1.0, 1.808270),
        ],
    )
    def test_zero_variance_is_not_zero_width(self, answer, low, high):
        """Thirty equal answers give an honest interval, not [7, 7]."""
        score = sc.feedback.ces_score([answer] * 30)
        assert score.mean == answer
        assert score.interval is not None
        assert score.interval.low == pytest.approx(low, abs=5e-7)
        assert score.interval.high == pytest.approx(high, abs=5e-7)

    @given(ces_answers, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
    @settings(max_examples=80)
    def test_ces_interval_holds_the_mean_inside_the_scale(
        self, answers, level
    ):
        """The CES interval has width, holds the mean and stays on the scale."""
        score = sc.feedback.ces_score(
            answers, confidence=level, minimum_sample=2
        )
        if score.mean is not None:
            assert score.interval is not None
            assert (
                1
                <= score.interval.low
                <= score.mean
                <= score.interval.high
                <= 7
            )
            assert score.interval.width > 0

    @pytest.mark.parametrize(
        ("n", "level", "low"),
        [(1, 0.95, -48.498649), (30, 0.8, 82.924507), (30, 0.95, 78.697724)],
    )
    def test_all_promoters_reach_100(self, n, level, low):
        """All promoters: the NPS interval's top is 100, at any level."""
        score = sc.feedback.nps_score(
            [10] * n, confidence=level, minimum_sample=1
        )
        assert score.score == 100.0
        assert score.interval is not None
        assert score.interval.low == pytest.approx(low, abs=5e-7)
        assert score.interval.high == 100.0

    @given(nps_answers, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
    @settings(max_examples=80)
    def test_nps_interval_holds_the_score(self, answers, level):
        """The NPS interval holds the score and stays within -100..100."""
        score = sc.feedback.nps_score(
            answers, confidence=level, minimum_sample=1
        )
        if score.score is not None:
            assert score.interval is not None
            low, high = score.interval.low, score.interval.high
            assert -100 <= low <= score.score <= high <= 100


class TestTally:
    def test_kish_effective_count(self):
        """Weights 1, 1, 0.5, 0.5 make an effective count of 3.6."""
        # (1 + 1 + 0.5 + 0.5)^2 / (1 + 1 + 0.25 + 0.25) = 9 / 2.5 = 3.6
        tally = sc.feedback.Tally.of([5, 4, 4, 1], weights=[1, 1, 0.5, 0.5])
        assert tally.effective_count == pytest.approx(3.6)
        assert tally.count == 4
        assert tally.total_weight == 3.0

    def test_weighted_share_uses_effective_count(self):
        """A weighted CSAT is the weighted share with Wilson at Kish's n."""
        weights = [1.0] * 20 + [0.5] * 20
        scores = [5] * 20 + [1] * 20
        score = sc.feedback.csat_score(
            sc.feedback.Tally.of(scores, weights), minimum_sample=1
        )
        # share = 20 / 30; n_eff = 30^2 / (20 + 5) = 36
        assert score.share == pytest.approx(2 / 3)
        assert score.effective_count == pytest.approx(36)
        expected = _stats.wilson(2 / 3, 36, 0.95)
        assert score.interval is not None
        assert (score.interval.low, score.interval.high) == pytest.approx(
            expected
        )

    def test_insufficient_names_the_effective_count(self):
        """A weighted tally below the minimum shows its effective count."""
        tally = sc.feedback.Tally.of([5, 4], weights=[1.0, 0.5])
        assert str(sc.feedback.csat_score(tally)) == (
            "CSAT insufficient: 2 responses (effective 1.8), 30 needed"
        )

    @pytest.mark.parametrize("weight", [0, -1, math.inf, math.nan])
    def test_bad_weight(self, weight):
        """A weight must be positive and finite."""
        with pytest.raises(sc.errors.InvalidValueError, match=r"^weights: "):
            sc.feedback.Tally.of([5], weights=[weight])

    @given(st.lists(csat_answers, max_size=6))
    @settings(max_examples=60)
    def test_merge_of_parts_equals_whole(self, parts):
        """Tallying shards then adding them equals tallying everything."""
        whole = sc.feedback.Tally.of([s for part in parts for s in part])
        merged = sum(
            (sc.feedback.Tally.of(part) for part in parts),
            sc.feedback.Tally.of([]),
        )
        assert merged == whole
        assert sc.feedback.csat_score(merged) == sc.feedback.csat_score(whole)

    def test_add_refuses_other_types(self):
        """Adding something that is not a tally is a TypeError."""
        with pytest.raises(TypeError):
            _ = sc.feedback.Tally.of([1]) + 1

    def test_repr_shows_weights_when_weighted(self):
        """A weighted tally's repr shows its weights."""
        assert repr(sc.feedback.Tally.of([5], weights=[0.5])) == (
            "Tally(counts={5: 1}, weights={5: 0.5})"
        )


def test_random_csat_against_scipy():
    """A random sample's interval equals scipy's Wilson interval."""
    rnd = random.Random(7)
    answers = [rnd.randint(1, 5) for _ in range(337)]
    satisfied = sum(a >= 4 for a in answers)
    got = sc.feedback.csat_score(answers).interval
    expected = stats.binomtest(satisfied, 337).proportion_ci(
        0.95, method="wilson"
    )
    assert got is not None
    assert (got.low, got.high) == pytest.approx(
        (expected.low, expected.high), abs=1e-12
    )


class TestWeightedScores:
    def test_weighted_nps_uses_shares_and_effective_count(self):
        """Weighted NPS: weighted shares, adjusted Wald at Kish's n."""
        scores = [10] * 20 + [0] * 20
        weights = [1.0] * 20 + [0.5] * 20
        score = sc.feedback.nps_score(
            sc.feedback.Tally.of(scores, weights), minimum_sample=1
        )
        # promoters 20 of weight 30 = 2/3, detractors 1/3: NPS 33.33
        # n_eff = 30^2 / (20 + 5) = 36; p' = (24 + 0.75) / 39, d' = 12.75 / 39
        assert score.score == pytest.approx(100 / 3)
        p, d = 24.75 / 39, 12.75 / 39
        half = Z95 * math.sqrt((p + d - (p - d) ** 2) / 39)
        assert score.interval is not None
        assert score.interval.low == pytest.approx((p - d - half) * 100)
        assert score.interval.high == pytest.approx((p - d + half) * 100)

    def test_weighted_ces_mean_and_interval(self):
        """Weighted CES: weighted moments, adjusted at the effective count."""
        scores = [7] * 10 + [1] * 10
        weights = [1.0] * 10 + [0.5] * 10
        score = sc.feedback.ces_score(
            sc.feedback.Tally.of(scores, weights), minimum_sample=2
        )
        # mean (70 + 5) / 15 = 5; second moment (490 + 5) / 15 = 33;
        # n_eff = 225 / 12.5 = 18
        assert score.mean == pytest.approx(5.0)
        extra = Z95 * Z95 / 2
        n = 18 + 2 * extra
        centre = (5 * 18 + extra * 8) / n
        second = (33 * 18 + extra * 50) / n
        half = Z95 * math.sqrt((second - centre**2) / n)
        assert score.interval is not None
        assert score.interval.low == pytest.approx(centre - half)
        assert score.interval.high == pytest.approx(centre + half)
