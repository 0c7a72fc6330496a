"""Aggregation by key, time decay, smoothed rankings and period keys."""

import itertools
import random
from datetime import UTC, datetime
from operator import itemgetter
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

DAY = 86_400

# Rows are (score, agent, channel, epoch seconds).
rows_strategy = st.lists(
    st.tuples(
        st.integers(1, 5),
        st.sampled_from(["ann", "bob", "cy"]),
        st.sampled_from(["email", "chat"]),
        st.integers(0, 90 * DAY),
    ),
    max_size=120,
)
score_of = itemgetter(0)
agent_of = itemgetter(1)
channel_of = itemgetter(2)
moment_of = itemgetter(3)


def _by_two(rows, **options):
    return sc.feedback.aggregate(
        rows, by=(agent_of, channel_of), score=score_of, **options
    )


class TestGrouping:
    def test_one_key_function(self):
        """One key function keys groups by its value."""
        rows = [(5, "ann"), (2, "bob"), (4, "ann")]
        agg = sc.feedback.aggregate(rows, by=itemgetter(1), score=score_of)
        assert dict(agg.groups) == {
            "ann": sc.feedback.Tally(counts={4: 1, 5: 1}),
            "bob": sc.feedback.Tally(counts={2: 1}),
        }

    def test_two_key_functions(self):
        """Several key functions key groups by the tuple of their values."""
        rows = [(5, "ann", "chat", 0), (3, "ann", "email", 0)]
        agg = _by_two(rows)
        assert set(agg.groups) == {("ann", "chat"), ("ann", "email")}

    def test_no_key_is_one_group(self):
        """Without a key function everything is in the group ()."""
        agg = sc.feedback.aggregate([5, 5, 1], score=int)
        assert dict(agg.groups) == {(): sc.feedback.Tally(counts={1: 1, 5: 2})}

    def test_generator_input(self):
        """A one-shot iterator is read once and fully."""
        agg = sc.feedback.aggregate((s for s in [1, 2, 2]), score=int)
        assert agg.total().count == 3

    def test_default_reads_attributes(self):
        """By default the score and moment are the score and at_s attributes."""

        class Response:
            def __init__(self, score, at_s):
                self.score, self.at_s = score, at_s

        at = pendulum.from_timestamp(10)
        agg = sc.feedback.aggregate([Response(5, 1), Response(4, 11)], at=at)
        assert agg.total() == sc.feedback.Tally(counts={5: 1})
        assert agg.excluded == 1

    def test_scores_per_group(self):
        """Each group gets its own score, keys sorted."""
        rows = [(5, "bob")] * 3 + [(1, "ann")] * 3
        agg = sc.feedback.aggregate(rows, by=itemgetter(1), score=score_of)
        scores = agg.csat(minimum_sample=3)
        assert list(scores) == ["ann", "bob"]
        assert [s.share for s in scores.values()] == [0.0, 1.0]
        assert agg.nps(minimum_sample=3)["ann"].score == -100.0
        assert agg.ces(minimum_sample=3)["bob"].mean == 5.0

    @given(rows_strategy, st.randoms())
    @settings(max_examples=40)
    def test_shuffling_changes_nothing(self, rows, rnd):
        """The order of the responses does not matter."""
        shuffled = list(rows)
        rnd.shuffle(shuffled)
        assert _by_two(rows) == _by_two(shuffled)

    @given(rows_strategy, st.lists(st.integers(0, 120), max_size=4))
    @settings(max_examples=60)
    def test_merge_of_parts_equals_whole(self, rows, cuts):
        """Aggregating shards and adding them equals aggregating the whole."""
        bounds = [0, *sorted(cuts), len(rows)]
        parts = [rows[a:b] for a, b in itertools.pairwise(bounds)]
        merged = sc.feedback.aggregate(
            [], by=(agent_of, channel_of), score=score_of
        )
        for part in parts:
            merged += _by_two(part)
        assert merged == _by_two(rows)

    @given(rows_strategy, st.integers(0, 120))
    @settings(max_examples=40)
    def test_weighted_merge_of_parts_equals_whole(self, rows, cut):
        """Weighted shards add up to the weighted whole (to rounding)."""
        options = {
            "moment": moment_of,
            "at": pendulum.from_timestamp(60 * DAY),
            "half_life": "14d",
        }
        whole = _by_two(rows, **options)
        merged = _by_two(rows[:cut], **options) + _by_two(
            rows[cut:], **options
        )
        assert merged.excluded == whole.excluded
        assert set(merged.groups) == set(whole.groups)
        for key, tally in whole.groups.items():
            other = merged.groups[key]
            assert other.counts == tally.counts
            for score, weight in tally.weights.items():
                assert other.weights[score] == pytest.approx(weight)
                assert other.squares[score] == pytest.approx(
                    tally.squares[score]
                )

    def test_merge_needs_same_weighting(self):
        """Aggregates weighted differently cannot be added."""
        at = pendulum.from_timestamp(0)
        a = sc.feedback.aggregate(
            [(5, 0)], score=score_of, moment=itemgetter(1), at=at
        )
        b = sc.feedback.aggregate([5], score=int)
        with pytest.raises(sc.errors.InvalidValueError, match=r"^other: "):
            _ = a + b

    def test_add_refuses_other_types(self):
        """Adding something that is not an aggregate is a TypeError."""
        with pytest.raises(TypeError):
            _ = sc.feedback.aggregate([5], score=int) + 1


class TestTimeDecay:
    def test_weights_halve_each_half_life(self):
        """Answers 0, 30 and 60 days old weigh 1, 1/2 and 1/4."""
        rows = [(5, 60 * DAY), (4, 30 * DAY), (1, 0)]
        agg = sc.feedback.aggregate(
            rows,
            score=score_of,
            moment=itemgetter(1),
            at=pendulum.from_timestamp(60 * DAY),
            half_life="30d",
        )
        tally = agg.total()
        assert dict(tally.weights) == {1: 0.25, 4: 0.5, 5: 1.0}
        # Kish's effective count: 1.75 squared is 3.0625, over 1.3125
        assert tally.effective_count == pytest.approx(2.333333333333)
        score = agg.csat(minimum_sample=2)[()]
        # satisfied weight 1.5 of 1.75
        assert score.share == pytest.approx(1.5 / 1.75)
        assert score.effective_count == pytest.approx(7 / 3)

    def test_later_responses_are_excluded(self):
        """Responses after `at` are left out and counted."""
        rows = [(5, 0), (5, 100), (1, 101)]
        agg = sc.feedback.aggregate(
            rows,
            score=score_of,
            moment=itemgetter(1),
            at=pendulum.from_timestamp(100),
        )
        assert (agg.total().count, agg.excluded) == (2, 1)

    def test_half_life_needs_at(self):
        """A half-life without the moment of the report is refused."""
        with pytest.raises(sc.errors.InvalidValueError, match=r"^half_life: "):
            sc.feedback.aggregate([5], score=int, half_life="7d")

    def test_half_life_must_be_positive(self):
        """A zero half-life is refused."""
        with pytest.raises(sc.errors.InvalidValueError, match=r"^half_life: "):
            sc.feedback.aggregate(
                [(5, 0)],
                score=score_of,
                moment=itemgetter(1),
                at=pendulum.from_timestamp(0),
                half_life="0s",
            )

    def test_naive_at(self):
        """A naive moment is refused."""
        with pytest.raises(sc.errors.NaiveDatetimeError):
            sc.feedback.aggregate([5], score=int, at=datetime(2026, 1, 1))  # noqa: DTZ001


class TestRanking:
    @pytest.fixture(name="agg")
    def _agg(self):
        rows = (
            [(5, "new")]
            + [(5, "ann")] * 45
            + [(1, "ann")] * 5
            + [(5, "bob")] * 20
            + [(1, "bob")] * 30
        )
        return sc.feedback.aggregate(rows, by=itemgetter(1), score=score_of)

    def test_csat_smoothing_hand_calculation(self, agg):
        """One 5-star answer does not top agents with many good answers."""
        # overall 66 satisfied of 101 = 0.653465; m = 10
        # ann (45 + 6.53465) / 60 = 0.858911
        # new (1 + 6.53465) / 11 = 0.684968
        # bob (20 + 6.53465) / 60 = 0.442244
        ranking = agg.rank("csat")
        assert [(g.rank, g.key, g.count) for g in ranking] == [
            (1, "ann", 50),
            (2, "new", 1),
            (3, "bob", 50),
        ]
        assert [g.smoothed for g in ranking] == pytest.approx(
            [0.858911, 0.684968, 0.442244], abs=1e-6
        )

    def test_zero_prior_weight_is_raw(self, agg):
        """With no prior the raw shares rank, and one 5 tops the table."""
        ranking = agg.rank("csat", prior_weight=0)
        assert [(g.key, g.smoothed) for g in ranking] == [
            ("new", 1.0),
            ("ann", 0.9),
            ("bob", 0.4),
        ]

    def test_nps_smoothing_hand_calculation(self):
        """NPS shrinks promoters and detractors toward the overall shares."""
        rows = [(10, "a")] * 6 + [(0, "a")] * 2 + [(10, "b")] + [(8, "b")]
        agg = sc.feedback.aggregate(rows, by=itemgetter(1), score=score_of)
        # overall net (7 - 2) / 10 = 0.5; m = 4
        # a: 100 (4 + 4 * 0.5) / 12 = 50; b: 100 (1 + 2) / 6 = 50 -> tie
        ranking = agg.rank("nps", prior_weight=4)
        assert [(g.rank, g.key, g.smoothed) for g in ranking] == [
            (1, "a", pytest.approx(50.0)),
            (1, "b", pytest.approx(50.0)),
        ]

    def test_ces_lower_is_easier_ranks_low_first(self):
        """On the effort scale the lowest smoothed mean ranks first."""
        rows = [(1, "a")] * 4 + [(5, "b")] * 4
        agg = sc.feedback.aggregate(rows, by=itemgetter(1), score=score_of)
        # overall mean 3; m = 4: a (4 + 12) / 8 = 2, b (20 + 12) / 8 = 4
        ranking = agg.rank(
            "ces", prior_weight=4, ces_scale=sc.feedback.CESScale.effort_5()
        )
        assert [(g.key, g.smoothed) for g in ranking] == [
            ("a", 2.0),
            ("b", 4.0),
        ]
        assert [g.key for g in agg.rank("ces", prior_weight=4)] == ["b", "a"]

    def test_unknown_kind(self, agg):
        """An unknown score kind is refused."""
        with pytest.raises(sc.errors.InvalidValueError, match=r"^kind: "):
            agg.rank("csa")

    def test_negative_prior(self, agg):
        """A negative prior weight is refused."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^prior_weight: "
        ):
            agg.rank("csat", prior_weight=-1)

    @given(rows_strategy, st.randoms())
    @settings(max_examples=30)
    def test_ranking_ignores_order(self, rows, rnd):
        """Shuffling responses does not change the ranking."""
        shuffled = list(rows)
        rnd.shuffle(shuffled)
        a = sc.feedback.aggregate(rows, by=agent_of, score=score_of).rank(
            "csat"
        )
        b = sc.feedback.aggregate(shuffled, by=agent_of, score=score_of).rank(
            "csat"
        )
        assert a == b


def _month_oracle(seconds, zone):
    local = datetime.fromtimestamp(seconds, ZoneInfo(zone))
    return f"{local.year:04d}-{local.month:02d}"


def _week_oracle(seconds, zone):
    year, week, _ = datetime.fromtimestamp(
        seconds, ZoneInfo(zone)
    ).isocalendar()
    return f"{year:04d}-W{week:02d}"


ZONES = [
    "UTC",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "America/New_York",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
]


class TestPeriods:
    def test_month_boundary_in_tokyo(self):
        """March starts at 2026-02-28 15:00 UTC in Tokyo."""
        start = int(datetime(2026, 2, 28, 15, tzinfo=UTC).timestamp())
        key = sc.feedback.by_month("Asia/Tokyo", moment=int)
        assert [key(start - 1), key(start)] == ["2026-02", "2026-03"]

    def test_month_boundary_in_new_york_after_dst(self):
        """November starts at 04:00 UTC in New York (still on EDT)."""
        start = int(datetime(2026, 11, 1, 4, tzinfo=UTC).timestamp())
        key = sc.feedback.by_month("America/New_York", moment=int)
        assert [key(start - 1), key(start)] == ["2026-10", "2026-11"]

    def test_week_boundary_in_kolkata(self):
        """ISO week 10 of 2026 starts Monday 2 March 00:00 IST (18:30 UTC)."""
        start = int(datetime(2026, 3, 1, 18, 30, tzinfo=UTC).timestamp())
        key = sc.feedback.by_week("Asia/Kolkata", moment=int)
        assert [key(start - 1), key(start)] == ["2026-W09", "2026-W10"]

    def test_unknown_zone(self):
        """An unknown zone is refused with a suggestion."""
        with pytest.raises(sc.errors.UnknownTimeZoneError, match=r"^zone: "):
            sc.feedback.by_month("Asia/Tokio")

    @given(
        st.sampled_from(ZONES),
        st.integers(-(2**31), 2**32),
        st.sampled_from(["month", "week"]),
    )
    @settings(max_examples=300)
    def test_labels_match_the_zone_calendar(self, zone, seconds, period):
        """Every second is labelled as zoneinfo's local calendar says."""
        if period == "month":
            key, oracle = sc.feedback.by_month(zone, moment=int), _month_oracle
        else:
            key, oracle = sc.feedback.by_week(zone, moment=int), _week_oracle
        for s in (seconds, seconds + 1, seconds - DAY // 2):
            assert key(s) == oracle(s, zone)

    def test_labels_match_around_every_boundary(self):
        """Seconds next to each local month start of three years match."""
        rnd = random.Random(3)
        for zone in ZONES:
            key = sc.feedback.by_month(zone, moment=int)
            for year in (1999, 2026, 2038):
                for month in range(1, 13):
                    start = int(
                        datetime(year, month, 1, tzinfo=ZoneInfo(zone))
                        .astimezone(UTC)
                        .timestamp()
                    )
                    for s in (start - 1, start, start + rnd.randint(1, 99)):
                        assert key(s) == _month_oracle(s, zone)

    def test_aggregate_by_month_and_agent(self):
        """Months and agents together key an aggregate."""
        rows = [
            {"score": 5, "agent": "ann", "at_s": 0},
            {"score": 1, "agent": "ann", "at_s": 40 * DAY},
        ]
        agg = sc.feedback.aggregate(
            rows,
            by=(
                sc.feedback.by_month("UTC", moment=itemgetter("at_s")),
                itemgetter("agent"),
            ),
            score=itemgetter("score"),
        )
        assert sorted(agg.groups) == [("1970-01", "ann"), ("1970-02", "ann")]
