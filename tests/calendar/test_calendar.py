"""The documented edge rules of BusinessCalendar, pinned by hand."""

from __future__ import annotations

import pickle
import re
import threading
from datetime import date, datetime, timedelta

import pendulum
import pytest
from calendar_strategies import ZONES
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore._time import (
    _exact_from_epoch,
    _exact_to_epoch,
    from_epoch,
    get_timezone,
    to_epoch,
)


def berlin(*args: int) -> pendulum.DateTime:
    """Return a moment of Europe/Berlin."""
    return pendulum.datetime(*args, tz="Europe/Berlin")


def new_york(*args: int) -> pendulum.DateTime:
    """Return a moment of America/New_York."""
    return pendulum.datetime(*args, tz="America/New_York")


@pytest.fixture(name="office")
def _office() -> sc.BusinessCalendar:
    return sc.BusinessCalendar(
        "Europe/Berlin",
        {"mon-fri": ["09:00-12:00", "13:00-17:00"]},
        holidays=[sc.calendar.Holiday("12-25", "Christmas Day")],
        overrides=[
            sc.calendar.Override("2024-12-24", ["09:00-12:00"], name="Eve")
        ],
    )


class TestStartAndZeroDuration:
    def test_closed_start_counts_from_the_next_opening(self, office):
        """From Saturday, counting starts on Monday 09:00."""
        assert office.add(berlin(2024, 3, 9, 12), "1h") == berlin(
            2024, 3, 11, 10
        )

    def test_zero_duration_from_a_closed_moment_is_the_next_opening(
        self, office
    ):
        """add(closed, 0) returns the next opening, not the start."""
        assert office.add(berlin(2024, 3, 11, 12, 30), "0s") == berlin(
            2024, 3, 11, 13
        )

    def test_zero_duration_from_an_open_moment_is_the_start(self, office):
        """add(open, 0) returns the start itself."""
        start = berlin(2024, 3, 11, 10, 15, 7)
        assert office.add(start, timedelta(0)) == start

    def test_ending_on_a_closing_returns_the_closing(self, office):
        """A duration used up exactly at 17:00 ends at 17:00, not on Monday."""
        assert office.add(berlin(2024, 3, 8, 16), "1h") == berlin(
            2024, 3, 8, 17
        )

    def test_any_zone_in_calendar_zone_out(self, office):
        """A start in another zone gives a DateTime in the calendar's zone."""
        got = office.add(new_york(2024, 3, 11, 4), "30m")
        assert got == berlin(2024, 3, 11, 9, 30)
        assert got.timezone_name == "Europe/Berlin"
        assert isinstance(got, pendulum.DateTime)

    def test_between_backwards_is_negative(self, office):
        """between(b, a) is minus between(a, b)."""
        a, b = berlin(2024, 3, 8, 16), berlin(2024, 3, 11, 10)
        assert office.between(a, b) == pendulum.duration(hours=2)
        assert office.between(b, a).in_seconds() == -7200

    def test_open_includes_start_excludes_end(self, office):
        """09:00 is open, 12:00 and 17:00 are closed."""
        assert [
            office.is_open(berlin(2024, 3, 11, h)) for h in (9, 12, 13, 17)
        ] == [True, False, True, False]

    def test_next_open_and_close(self, office):
        """next_open/next_close from open, closed and weekend moments."""
        assert office.next_open(berlin(2024, 3, 11, 10)) == berlin(
            2024, 3, 11, 10
        )
        assert office.next_close(berlin(2024, 3, 11, 10)) == berlin(
            2024, 3, 11, 12
        )
        assert office.next_close(berlin(2024, 3, 9)) == berlin(2024, 3, 11, 12)


class TestDST:
    def test_interval_across_spring_forward_is_real_time(self):
        """01:00-04:00 on 31 March 2024 in Berlin lasts two real hours."""
        cal = sc.BusinessCalendar("Europe/Berlin", {"sun": "01:00-04:00"})
        day = berlin(2024, 3, 31)
        assert cal.between(day, day.add(days=1)) == pendulum.duration(hours=2)

    def test_start_in_the_gap_moves_to_the_first_valid_instant(self):
        """02:30 does not exist on 31 March 2024: 02:30-03:30 opens at 03:00."""
        cal = sc.BusinessCalendar("Europe/Berlin", {"sun": "02:30-03:30"})
        sunday = berlin(2024, 3, 31)
        assert cal.next_open(sunday) == berlin(2024, 3, 31, 3)
        assert cal.between(sunday, sunday.add(days=1)).in_minutes() == 30

    def test_interval_wholly_in_the_gap_is_empty(self):
        """02:10-02:50 on the spring-forward day has no open time at all."""
        cal = sc.BusinessCalendar(
            "Europe/Berlin", {"sun": ["02:10-02:50", "10:00-11:00"]}
        )
        sunday = berlin(2024, 3, 31)
        assert cal.next_open(sunday) == berlin(2024, 3, 31, 10)

    def test_ambiguous_time_takes_its_first_occurrence(self):
        """On 27 October 2024, 02:30-03:30 runs from 02:30 CEST to 03:30 CET."""
        cal = sc.BusinessCalendar("Europe/Berlin", {"sun": "02:30-03:30"})
        sunday = berlin(2024, 10, 27)
        opened = cal.next_open(sunday)
        assert to_epoch(opened) == to_epoch(
            pendulum.datetime(2024, 10, 27, 0, 30, tz="UTC")
        )
        assert cal.between(sunday, sunday.add(days=1)).in_minutes() == 120

    def test_new_york_gap_and_fold(self):
        """New York: 02:00-03:00 vanishes in March, 01:00-02:00 is 2 h in November."""
        cal = sc.BusinessCalendar(
            "America/New_York", {"sun": ["01:00-02:00", "02:00-03:00"]}
        )
        march = new_york(2024, 3, 10)
        november = new_york(2024, 11, 3)
        assert cal.between(march, march.add(days=1)).in_minutes() == 60
        assert cal.between(november, november.add(days=1)).in_minutes() == 180

    def test_holiday_on_a_dst_day(self):
        """A holiday on the spring-forward Sunday closes the whole day."""
        cal = sc.BusinessCalendar(
            "Europe/Berlin",
            {"sat-sun": "00:00-24:00"},
            holidays=[sc.calendar.Holiday("2024-03-31")],
        )
        saturday = berlin(2024, 3, 30)
        assert cal.between(saturday, berlin(2024, 4, 1)).in_hours() == 24
        assert cal.add(saturday, "24h") == berlin(2024, 3, 31)
        assert cal.add(saturday, "25h") == berlin(2024, 4, 6, 1)

    def test_whole_day_on_dst_days_is_23_and_25_hours(self):
        """00:00-24:00 lasts 23 h in March and 25 h in October in Berlin."""
        cal = sc.BusinessCalendar("Europe/Berlin", {"sun": "00:00-24:00"})
        march, october = berlin(2024, 3, 31), berlin(2024, 10, 27)
        assert cal.between(march, march.add(days=1)).in_hours() == 23
        assert cal.between(october, october.add(days=1)).in_hours() == 25

    def test_apia_skipped_day(self):
        """Samoa skipped 30 December 2011: its hours do not exist."""
        cal = sc.BusinessCalendar("Pacific/Apia", {"mon-sun": "09:00-17:00"})
        thursday = pendulum.datetime(2011, 12, 29, 16, tz="Pacific/Apia")
        assert cal.add(thursday, "2h") == pendulum.datetime(
            2011, 12, 31, 10, tz="Pacific/Apia"
        )


class TestOvernightAndAlways:
    def test_overnight_shift_belongs_to_the_day_it_starts(self):
        """Fri 22:00-06:00 runs into Saturday morning."""
        cal = sc.BusinessCalendar("UTC", {"fri": "22:00-06:00"})
        assert cal.is_open(pendulum.datetime(2024, 3, 9, 5, 59, tz="UTC"))
        assert cal.next_close(
            pendulum.datetime(2024, 3, 8, 23, tz="UTC")
        ) == pendulum.datetime(2024, 3, 9, 6, tz="UTC")

    def test_holiday_on_the_next_day_does_not_cut_the_shift(self):
        """A holiday on Saturday leaves Friday's overnight shift whole."""
        cal = sc.BusinessCalendar(
            "UTC",
            {"fri": "22:00-06:00"},
            holidays=[
                sc.calendar.Holiday("2024-03-09"),
                sc.calendar.Holiday("2024-03-15"),
            ],
        )
        assert cal.is_open(pendulum.datetime(2024, 3, 9, 3, tz="UTC"))
        assert not cal.is_open(pendulum.datetime(2024, 3, 16, 3, tz="UTC"))

    def test_always_has_no_gap_at_midnight(self):
        """24x7: two minutes across midnight are two minutes, all year."""
        cal = sc.BusinessCalendar.always("Europe/Berlin")
        assert (
            cal.between(
                berlin(2024, 1, 1, 23, 59), berlin(2024, 1, 2, 0, 1)
            ).in_seconds()
            == 120
        )
        assert cal.between(berlin(2024, 1, 1), berlin(2025, 1, 1)) == (
            pendulum.duration(seconds=366 * 86400)
        )
        assert sc.BusinessCalendar.always() is sc.BusinessCalendar.always()

    def test_always_never_closes(self):
        """next_close of a calendar that never closes is a CalendarError."""
        with pytest.raises(sc.errors.CalendarError, match="does not close"):
            sc.BusinessCalendar.always().next_close(berlin(2024, 1, 1))


class TestHolidaysAndOverrides:
    def test_annual_holiday_recurs(self, office):
        """Christmas Day closes 25 December every year."""
        for year in (2024, 2031, 2047):
            assert office.spans_on(date(year, 12, 25)) == ()
            assert not office.is_open(berlin(year, 12, 25, 10))

    def test_leap_day_holiday(self):
        """An annual 29 February closes leap years only."""
        cal = sc.BusinessCalendar(
            "UTC",
            {"mon-sun": "09:00-17:00"},
            holidays=[sc.calendar.Holiday("02-29")],
        )
        assert cal.spans_on(date(2028, 2, 29)) == ()
        assert cal.spans_on(date(2027, 3, 1)) == ((32400, 61200),)

    def test_partial_holiday_closes_part_of_the_day(self):
        """Closed 12:00-14:00 cuts the interval in two."""
        cal = sc.BusinessCalendar(
            "UTC",
            {"mon": "09:00-17:00"},
            holidays=[
                sc.calendar.Holiday("2024-03-11", closed=["12:00-14:00"])
            ],
        )
        assert cal.spans_on(date(2024, 3, 11)) == (
            (32400, 43200),
            (50400, 61200),
        )

    def test_override_wins_over_holiday(self, office):
        """An override's hours hold even on a holiday."""
        cal = sc.BusinessCalendar(
            "UTC",
            {"mon-fri": "09:00-17:00"},
            holidays=[sc.calendar.Holiday("12-24")],
            overrides=[sc.calendar.Override("2024-12-24", ["10:00-11:00"])],
        )
        assert cal.spans_on(date(2024, 12, 24)) == ((36000, 39600),)
        assert office.spans_on(date(2024, 12, 24)) == ((32400, 43200),)

    def test_shared_holiday_sets(self):
        """Two calendars share a HolidaySet and each adds its own holiday."""
        national = sc.calendar.HolidaySet(
            [sc.calendar.Holiday("01-01", "New Year")], name="N"
        )
        a = sc.BusinessCalendar(
            "UTC", {"mon-sun": "09:00-17:00"}, holidays=national
        )
        b = sc.BusinessCalendar(
            "Asia/Kolkata",
            {"mon-sun": "09:00-17:00"},
            holidays=[national, sc.calendar.Holiday("01-26", "Republic Day")],
        )
        assert (
            a.spans_on(date(2030, 1, 1)) == b.spans_on(date(2030, 1, 1)) == ()
        )
        assert len(b.holidays) == 2

    def test_years_past_the_last_listed_holiday(self, office):
        """Five years of business time work, far past any dated holiday."""
        start = berlin(2024, 1, 2, 9)
        got = office.add(start, pendulum.duration(hours=7 * 5 * 52 * 5))
        assert got.year == 2029
        assert office.between(start, got).in_hours() == 7 * 5 * 52 * 5


class TestNoOpenTime:
    def test_empty_schedule_is_refused(self):
        """A calendar with no open time at all is a CalendarError."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^hours: the calendar has no open time",
        ):
            sc.BusinessCalendar("UTC", {})

    def test_search_is_bounded(self):
        """Past the last override, a search gives up after ten years."""
        cal = sc.BusinessCalendar(
            "UTC",
            {},
            overrides=[sc.calendar.Override("2024-05-06", ["09:00-10:00"])],
        )
        start = pendulum.datetime(2024, 5, 6, tz="UTC")
        assert cal.add(start, "1h") == pendulum.datetime(
            2024, 5, 6, 10, tz="UTC"
        )
        with pytest.raises(
            sc.errors.CalendarError, match="no open time in the ten years"
        ):
            cal.add(start, "2h")
        with pytest.raises(sc.errors.CalendarError, match="no open time"):
            cal.next_open(pendulum.datetime(2025, 1, 1, tz="UTC"))

    def test_year_9999_is_the_end(self):
        """Business time beyond the year 9999 is a CalendarError."""
        cal = sc.BusinessCalendar.always()
        with pytest.raises(sc.errors.CalendarError, match="9999"):
            cal.add_s(253_402_000_000, 10**6)


class TestExplain:
    def test_explain_names_the_closures(self, office):
        """Explain lists weekends, holidays and overrides it skipped."""
        got = office.explain(berlin(2024, 12, 20, 16), "9h")
        assert got.end == office.add(berlin(2024, 12, 20, 16), "9h")
        assert got.end == berlin(2024, 12, 24, 10)
        assert [c.reasons for c in got.closures] == [
            (
                "2024-12-21 Saturday: no business hours",
                "2024-12-22 Sunday: no business hours",
            ),
            ("outside business hours",),
            ("2024-12-24 override 'Eve' (open 09:00-12:00)",),
        ]
        assert sum(
            (i.duration for i in got.counted), timedelta()
        ) == timedelta(hours=9)

    def test_explain_of_a_closed_start_with_zero_duration(self, office):
        """A zero duration from Christmas Day explains the one closure."""
        got = office.explain(berlin(2024, 12, 25, 10), "0s")
        assert got.counted == ()
        assert got.end == berlin(2024, 12, 26, 9)
        assert got.closures[0].reasons == (
            "2024-12-25 holiday 'Christmas Day'",
        )


class TestObject:
    def test_immutable(self, office):
        """Attributes cannot be set or deleted."""
        with pytest.raises(AttributeError):
            office.time_zone = "UTC"  # type: ignore[misc]
        with pytest.raises(AttributeError):
            del office._hours

    def test_equality_hash_pickle(self, office):
        """Equal definitions are equal, hash alike and survive pickling."""
        copy = pickle.loads(pickle.dumps(office))
        assert copy == office
        assert hash(copy) == hash(office)
        assert copy.add(berlin(2024, 3, 8, 16), "2h") == office.add(
            berlin(2024, 3, 8, 16), "2h"
        )

    def test_in_zone_is_cached_and_follows_the_zone(self, office):
        """in_zone keeps the hours and reads them in the new zone."""
        kolkata = office.in_zone("Asia/Kolkata")
        assert kolkata is office.in_zone("Asia/Kolkata")
        assert office.in_zone("Europe/Berlin") is office
        assert kolkata.next_open(
            pendulum.datetime(2024, 3, 11, tz="UTC")
        ) == pendulum.datetime(2024, 3, 11, 9, tz="Asia/Kolkata")

    def test_naive_datetime_and_bad_durations(self, office):
        """Naive moments, negative and unreadable durations are refused."""
        with pytest.raises(sc.errors.NaiveDatetimeError, match=r"^start: "):
            office.add(datetime(2024, 1, 1), "1h")  # noqa: DTZ001
        with pytest.raises(sc.errors.DurationError, match=r"^duration: "):
            office.add(berlin(2024, 1, 2), timedelta(seconds=-1))
        with pytest.raises(sc.errors.DurationError, match="did you mean '4h'"):
            office.add(berlin(2024, 1, 2), "4 hrs")
        with pytest.raises(sc.errors.DurationError):
            office.add_s(0, -5)

    def test_threads_share_one_calendar(self):
        """Threads extending the index at once agree with a sequential run."""
        shared = sc.BusinessCalendar(
            "America/Santiago", {"mon-fri": "08:00-18:00"}
        )
        alone = sc.BusinessCalendar(
            "America/Santiago", {"mon-fri": "08:00-18:00"}
        )
        starts = [1_500_000_000 + i * 7_777_777 for i in range(40)]
        results: dict[int, int] = {}

        def work(start: int) -> None:
            results[start] = shared.add_s(start, 500_000)

        threads = [threading.Thread(target=work, args=(s,)) for s in starts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == {s: alone.add_s(s, 500_000) for s in starts}


class TestConversions:
    @settings(max_examples=100, deadline=None)
    @given(
        seconds=st.integers(1_200_000_000, 1_900_000_000),
        business=st.integers(0, 10**6),
        zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)),
        fold=st.integers(0, 1),
    )
    def test_add_equals_add_s_with_reference_conversions(
        self, seconds, business, zones, fold
    ):
        """add() is add_s() between the exact conversions, twice over."""
        calendar = sc.BusinessCalendar(zones[0], {"mon-sat": "06:30-22:15"})
        start = from_epoch(seconds, get_timezone(zones[1])).replace(fold=fold)
        for _ in range(2):  # the second time from warm caches
            got = calendar.add(start, timedelta(seconds=business))
            expected = _exact_from_epoch(
                calendar.add_s(_exact_to_epoch(start, "start"), business),
                get_timezone(zones[0]),
            )
            assert (got, got.fold, repr(got)) == (
                expected,
                expected.fold,
                repr(expected),
            )


class TestArguments:
    FRIDAY_S = 1_709_910_000

    def test_seconds_past_9999_fail_at_once(self, office):
        """2**70 business seconds is a located CalendarError, not IndexError."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^seconds: the result would be after ",
        ) as caught:
            office.add_s(self.FRIDAY_S, 2**70)
        assert caught.value.location == "seconds"

    @pytest.mark.parametrize("seconds", [3600.5, 3600.0, True, "3600"])
    def test_seconds_must_be_an_int(self, office, seconds):
        """A float, bool or string of seconds is a DurationError naming it."""
        with pytest.raises(
            sc.errors.DurationError,
            match=r"^seconds: expected a whole number of seconds \(an int\), "
            rf"got {seconds!r}$",
        ):
            office.add_s(self.FRIDAY_S, seconds)

    @pytest.mark.parametrize(
        ("method", "argument"),
        [
            ("add_s", "start_s"),
            ("between_s", "a_s"),
            ("is_open_s", "at_s"),
            ("next_open_s", "at_s"),
            ("next_close_s", "at_s"),
        ],
    )
    @pytest.mark.parametrize("moment", [1_709_910_000.5, "x", None])
    def test_moments_must_be_ints(self, office, method, argument, moment):
        """Epoch seconds that are no int are a CalendarError naming the argument."""
        call = getattr(office, method)
        arguments = (
            (moment, 3600) if method in {"add_s", "between_s"} else (moment,)
        )
        with pytest.raises(
            sc.errors.CalendarError,
            match=rf"^{argument}: expected whole epoch seconds \(an int\), "
            rf"got {moment!r}$",
        ):
            call(*arguments)

    @pytest.mark.parametrize("moment", [2**70, -(2**70), 253_402_300_800])
    def test_moments_outside_the_range(self, office, moment):
        """between_s of a moment past 9999 names the argument, no OverflowError."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=rf"^b_s: {moment} is outside the supported range, "
            r"0001-01-01 to 9999-12-31T23:59:59 UTC$",
        ):
            office.between_s(self.FRIDAY_S, moment)

    @pytest.mark.parametrize("zone", [["Europe/Berlin"], None, 5])
    def test_time_zone_must_be_a_name(self, office, zone):
        """A zone that is no string is an UnknownTimeZoneError, not TypeError."""
        expected = (
            r"^time_zone: expected an IANA time zone name such as "
            rf"'Europe/Berlin', got {re.escape(repr(zone))}$"
        )
        with pytest.raises(sc.errors.UnknownTimeZoneError, match=expected):
            sc.BusinessCalendar(zone, {"mon": "09:00-17:00"})
        with pytest.raises(sc.errors.UnknownTimeZoneError, match=expected):
            office.in_zone(zone)
