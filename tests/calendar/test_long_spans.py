"""Long spans skip whole days arithmetically and agree with the index."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pendulum
import pytest
from calendar_strategies import calendars, moments_near
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore.calendar import _calendar, _skip

START = pendulum.datetime(2024, 3, 4, 9, tz="Europe/Berlin")
WEEK_S = 5 * 8 * 3600
ANNUAL = st.lists(
    st.tuples(st.integers(1, 12), st.integers(1, 28)).map(
        lambda md: sc.calendar.Holiday(f"{md[0]:02d}-{md[1]:02d}")
    ),
    max_size=3,
)


def _office() -> sc.BusinessCalendar:
    return sc.BusinessCalendar("Europe/Berlin", {"mon-fri": "09:00-17:00"})


def _fresh(calendar: sc.BusinessCalendar) -> sc.BusinessCalendar:
    return sc.BusinessCalendar.from_dict(calendar.to_dict())


def _with_annual(
    calendar: sc.BusinessCalendar, annual: list[sc.calendar.Holiday]
) -> sc.BusinessCalendar:
    return sc.BusinessCalendar(
        calendar.time_zone,
        dict(calendar.hours),
        holidays=calendar.holidays | sc.calendar.HolidaySet(annual),
        overrides=calendar.overrides,
    )


class TestSkipEqualsIndex:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        data=st.data(),
        annual=ANNUAL,
        seconds=st.integers(0, 3 * 10**7),
        skip_days=st.integers(0, 20),
    )
    def test_add_and_between_equal_the_index(
        self, data, annual, seconds, skip_days
    ):
        """Skipping days gives the index's add_s and between_s, to the second."""
        base, _, anchor = data.draw(calendars())
        calendar = _with_annual(base, annual)
        start = data.draw(moments_near(anchor, calendar.time_zone))
        later = start + data.draw(st.integers(0, 4 * 10**7))
        reference = _fresh(calendar)
        with mock.patch.object(_calendar, "SKIP_DAYS", 10**9):
            expected_end = reference.add_s(start, seconds)
            expected_between = reference.between_s(start, later)
        with mock.patch.object(_calendar, "SKIP_DAYS", skip_days):
            assert calendar.add_s(start, seconds) == expected_end
            assert _fresh(calendar).between_s(start, later) == (
                expected_between
            )
            assert _fresh(calendar).between_s(later, start) == (
                -expected_between
            )

    @settings(max_examples=10, deadline=None)
    @given(data=st.data(), annual=ANNUAL, weeks=st.integers(1, 30))
    def test_add_equals_week_sized_steps(self, data, annual, weeks):
        """One long add lands where adding one week at a time lands."""
        base, _, anchor = data.draw(calendars())
        calendar = _with_annual(base, annual)
        start = data.draw(moments_near(anchor, calendar.time_zone))
        step = 7 * 86_400
        with mock.patch.object(_calendar, "SKIP_DAYS", 0):
            once = calendar.add_s(start, weeks * step)
        stepped = start
        reference = _fresh(calendar)
        with mock.patch.object(_calendar, "SKIP_DAYS", 10**9):
            for _ in range(weeks):
                stepped = reference.add_s(stepped, step)
        assert once == stepped

    @settings(max_examples=8, deadline=None)
    @given(
        data=st.data(),
        annual=ANNUAL,
        years=st.integers(801, 2000),
    )
    def test_400_year_cycles_equal_year_by_year(self, data, annual, years):
        """Skipping whole Gregorian cycles equals adding their years one by one."""
        base, _, anchor = data.draw(calendars())
        calendar = _with_annual(base, annual)
        start = data.draw(moments_near(anchor, calendar.time_zone))
        later = start + years * 31_556_952
        business = calendar.between_s(start, later)
        with mock.patch.object(_skip, "_CYCLE_DAYS", 10**9):
            stepped = _fresh(calendar)
            assert stepped.between_s(start, later) == business
            assert stepped.add_s(start, business) == calendar.add_s(
                start, business
            )


class TestOffsetChanges:
    @pytest.mark.parametrize(
        "zone",
        [
            "Europe/Berlin",
            "America/New_York",
            "America/Santiago",
            "Australia/Lord_Howe",
            "Pacific/Apia",
        ],
    )
    def test_overnight_and_midnight_intervals_over_sixty_years(self, zone):
        """Every offset change of 2000-2060 is counted as the index counts it."""
        hours = {
            "fri": "23:30-02:30",
            "sat": "22:00-06:00",
            "sun": "12:00-24:00",
            "mon": "00:00-03:00",
        }
        a = int(pendulum.datetime(2000, 1, 1, tz=zone).timestamp())
        b = int(pendulum.datetime(2060, 1, 1, tz=zone).timestamp())
        with mock.patch.object(_calendar, "SKIP_DAYS", 10**9):
            reference = sc.BusinessCalendar(zone, hours)
            expected = [
                reference.between_s(a, t) for t in range(a, b, 5 * 10**7)
            ]
            ends = [reference.add_s(a, n) for n in range(1, 2 * 10**8, 10**7)]
        calendar = sc.BusinessCalendar(zone, hours)
        with mock.patch.object(_calendar, "SKIP_DAYS", 0):
            assert [
                calendar.between_s(a, t) for t in range(a, b, 5 * 10**7)
            ] == (expected)
            assert [
                calendar.add_s(a, n) for n in range(1, 2 * 10**8, 10**7)
            ] == ends


class TestRangeEnds:
    FIRST_S = -62_135_596_800  # 0001-01-01T00:00:00 UTC
    LAST_S = 253_402_300_799  # 9999-12-31T23:59:59 UTC

    @pytest.mark.parametrize(
        "zone",
        ["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati"],
    )
    @pytest.mark.parametrize(
        "hours",
        [
            {"mon-sun": "00:00-24:00"},
            {"mon-fri": "09:00-17:00", "sat": "22:00-06:00"},
        ],
    )
    def test_first_and_last_years_equal_the_index(self, zone, hours):
        """Skipping to the first and last supported moments matches the index."""
        spans = [
            (self.FIRST_S, self.FIRST_S + 900 * 86_400),
            (self.LAST_S - 900 * 86_400, self.LAST_S),
        ]
        calendar = sc.BusinessCalendar(zone, hours)
        for a, b in spans:
            with mock.patch.object(_calendar, "SKIP_DAYS", 10**9):
                reference = sc.BusinessCalendar(zone, hours)
                expected = reference.between_s(a, b)
                end = reference.add_s(a, expected)
            with mock.patch.object(_calendar, "SKIP_DAYS", 0):
                assert calendar.between_s(a, b) == expected
                assert calendar.add_s(a, expected) == end
        whole = calendar.between_s(self.FIRST_S, self.LAST_S)
        assert calendar.add_s(self.FIRST_S, whole) <= self.LAST_S

    @pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati"])
    def test_adding_in_the_last_seconds(self, zone):
        """An add from the last seconds of 9999 past the end is a CalendarError."""
        calendar = sc.BusinessCalendar(zone, {"mon-fri": "09:00-17:00"})
        with pytest.raises(
            sc.errors.CalendarError, match=r"^start: business time"
        ):
            calendar.add_s(self.LAST_S - 10, 5)

    def test_always_counts_every_supported_second(self):
        """From 0001-01-01 to 9999-12-31T23:59:59 UTC a 24x7 calendar counts all."""
        calendar = sc.BusinessCalendar.always("Europe/Berlin")
        seconds = self.LAST_S - self.FIRST_S
        assert calendar.between_s(self.FIRST_S, self.LAST_S) == seconds
        assert calendar.add_s(self.FIRST_S, seconds) == self.LAST_S
        with pytest.raises(
            sc.errors.CalendarError, match=r"^seconds: the result "
        ):
            calendar.add_s(self.FIRST_S, seconds + 1)


class TestLongSpans:
    def test_52000_weeks_are_exact_and_index_only_their_ends(self):
        """52,000 business weeks end on the right Friday, indexing few days."""
        calendar = _office()
        got = calendar.add(START, timedelta(seconds=52_000 * WEEK_S))
        assert got == START.add(weeks=51_999, days=4).at(17)
        table = calendar._table  # what was materialized
        assert table.last_day - table.first_day < 400
        assert calendar.between(START, got).in_seconds() == 52_000 * WEEK_S

    def test_always_in_a_dst_zone_over_eight_millennia(self):
        """A 24x7 calendar counts every real second, DST or not, to 9999."""
        calendar = sc.BusinessCalendar.always("Europe/Berlin")
        a = 1_709_910_000
        b = int(pendulum.datetime(9999, 12, 1, 12, tz="UTC").timestamp())
        assert calendar.between_s(a, b) == b - a
        assert calendar.add_s(a, b - a) == b

    def test_far_one_off_days_are_counted_and_cheap(self):
        """One-off days centuries ahead close their day, and nothing else."""
        calendar = sc.BusinessCalendar(
            "Europe/Berlin",
            {"mon-sun": "00:00-24:00"},
            holidays=[sc.calendar.Holiday("9000-01-02")],
            overrides=[sc.calendar.Override("5000-06-01", [])],
        )
        a = 1_709_910_000
        b = int(pendulum.datetime(9500, 1, 1, tz="UTC").timestamp())
        business = b - a - 2 * 86_400
        assert calendar.between_s(a, b) == business
        assert calendar.add_s(a, business) == b
        sums = calendar._sums  # years computed one by one, not by type
        assert sums is not None
        assert sum(isinstance(key, int) for key in sums._years) < 50

    def test_annual_holidays_recur_in_far_years(self):
        """A far year's Christmas is closed, as the nominal weeks around it are open."""
        calendar = sc.BusinessCalendar(
            "America/New_York",
            {"mon-fri": "09:00-17:00"},
            holidays=[sc.calendar.Holiday("12-25")],
        )
        a = pendulum.datetime(2024, 1, 1, tz="America/New_York")
        # 5000-12-25 is a Thursday; the 26th opens at 09:00.
        before = pendulum.datetime(5000, 12, 24, 17, tz="America/New_York")
        after = pendulum.datetime(5000, 12, 26, 9, tz="America/New_York")
        assert calendar.between(a, before) == calendar.between(a, after)
        assert calendar.add(a, calendar.between(a, before)) == before

    def test_results_past_9999_fail_at_once(self):
        """A duration that would end after the year 9999 is a CalendarError."""
        calendar = _office()
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^seconds: the result would be after 9999-12-31T23:59:59 "
            r"UTC, the latest supported moment$",
        ) as caught:
            calendar.add(START, "3000000d")
        assert caught.value.location == "seconds"

    def test_ten_closed_years_still_fail(self):
        """Past the last override, a long add gives up after ten closed years."""
        calendar = sc.BusinessCalendar(
            "UTC",
            {},
            overrides=[sc.calendar.Override("2024-05-06", ["09:00-10:00"])],
        )
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^start: the calendar has no open time in the ten years",
        ):
            calendar.add_s(1_714_953_600, 10**9)
