from datetime import date

import pendulum
import pytest

import servicecore as sc

PARIS = "Europe/Paris"


def _customer(zone=PARIS):
    return sc.Customer(id="cu-1", time_zone=zone)


class TestContactWindow:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("08:00-20:00", (480, 1200, frozenset(range(7)))),
            ("22:00-06:00", (1320, 360, frozenset(range(7)))),
            ("00:00-24:00", (0, 1440, frozenset(range(7)))),
        ],
    )
    def test_parse(self, text, expected):
        """Hours parse to minutes of the day, every day by default."""
        window = sc.personalization.ContactWindow.parse(text)
        assert (window.start_minute, window.end_minute, window.weekdays) == (
            expected
        )

    def test_days(self):
        """Days take ranges, lists and wrap around the week."""
        window = sc.personalization.ContactWindow.parse(
            {"hours": "09:00-17:00", "days": ["fri-mon"]}
        )
        assert window.weekdays == frozenset({4, 5, 6, 0})
        assert str(window) == "09:00-17:00 mon,fri,sat,sun"

    @pytest.mark.parametrize(
        ("value", "location", "problem"),
        [
            ("8-20", "contact_window", "expected hours such as '08:00-20:00'"),
            ("08:00-08:00", "contact_window", "is empty"),
            ("08:00-25:00", "contact_window", "is not a time of day"),
            (
                {"hours": "08:00-20:00", "days": ["mon", "fry"]},
                "contact_window.days[1]",
                "unknown weekday 'fry'; did you mean 'fri'?",
            ),
            (
                {"hour": "08:00-20:00"},
                "contact_window.hour",
                "did you mean 'hours'?",
            ),
            (
                "\u0660\u0668:00-20:00",
                "contact_window",
                "expected hours such as '08:00-20:00'",
            ),
            (
                "08:00-\uff12\uff10:00",
                "contact_window",
                "expected hours such as '08:00-20:00'",
            ),
        ],
    )
    def test_errors(self, value, location, problem):
        """A bad window is a policy error naming where and why."""
        with pytest.raises(sc.errors.PolicyError) as caught:
            sc.personalization.ContactWindow.parse(value)
        assert caught.value.location == location
        assert problem in caught.value.problem


class TestNextContactTime:
    def test_inside_the_window_is_now(self):
        """Inside the window the answer is the moment itself, local."""
        at = pendulum.datetime(2024, 3, 5, 9, tz="UTC")
        assert sc.personalization.next_contact_time(
            _customer(), at, window="08:00-20:00"
        ) == pendulum.datetime(2024, 3, 5, 10, tz=PARIS)

    def test_after_the_window_is_next_morning(self):
        """After closing, contact waits for the next opening."""
        at = pendulum.datetime(2024, 3, 5, 19, 30, tz="UTC")
        assert sc.personalization.next_contact_time(
            _customer(), at, window="08:00-20:00"
        ) == pendulum.datetime(2024, 3, 6, 8, tz=PARIS)

    def test_overnight_window_from_yesterday(self):
        """An overnight window opened yesterday still allows contact at 02:00."""
        at = pendulum.datetime(2024, 3, 5, 2, tz=PARIS)
        assert (
            sc.personalization.next_contact_time(
                _customer(), at, window="22:00-06:00"
            )
            == at
        )
        later = pendulum.datetime(2024, 3, 5, 7, tz=PARIS)
        assert sc.personalization.next_contact_time(
            _customer(), later, window="22:00-06:00"
        ) == pendulum.datetime(2024, 3, 5, 22, tz=PARIS)

    def test_weekdays_only(self):
        """A weekday window skips the weekend."""
        at = pendulum.datetime(2024, 3, 8, 21, tz=PARIS)  # Friday
        assert sc.personalization.next_contact_time(
            _customer(),
            at,
            window=sc.personalization.ContactWindow.parse(
                {"hours": "09:00-17:00", "days": "mon-fri"}
            ),
        ) == pendulum.datetime(2024, 3, 11, 9, tz=PARIS)

    def test_holidays_as_dates(self):
        """Holiday dates in the customer's zone are skipped."""
        at = pendulum.datetime(2024, 12, 24, 21, tz=PARIS)
        assert sc.personalization.next_contact_time(
            _customer(),
            at,
            window="08:00-20:00",
            holidays=[date(2024, 12, 25), date(2024, 12, 26)],
        ) == pendulum.datetime(2024, 12, 27, 8, tz=PARIS)

    def test_holidays_without_window(self):
        """Without a window, a holiday still defers contact to the next day."""
        at = pendulum.datetime(2024, 12, 25, 10, tz=PARIS)
        assert sc.personalization.next_contact_time(
            _customer(), at, holidays=[date(2024, 12, 25)]
        ) == pendulum.datetime(2024, 12, 26, 0, tz=PARIS)

    def test_calendar_holidays(self):
        """A business calendar's closed days are skipped too."""

        class Closed25th:
            def is_open_s(self, at_s):
                return pendulum.from_timestamp(at_s, PARIS).day != 25

            def next_open_s(self, at_s):
                day = pendulum.from_timestamp(at_s, PARIS).date()
                return int(
                    pendulum.datetime(
                        day.year, day.month, day.day + 1, tz=PARIS
                    ).timestamp()
                )

        at = pendulum.datetime(2024, 12, 24, 21, tz=PARIS)
        assert sc.personalization.next_contact_time(
            _customer(), at, window="08:00-20:00", holidays=Closed25th()
        ) == pendulum.datetime(2024, 12, 26, 8, tz=PARIS)

    @pytest.mark.parametrize(
        ("zone", "day", "expected_utc_hour"),
        [
            # Spring forward: 02:30 does not exist; the window opens at 03:30.
            ("Europe/Paris", 31, 1),
            ("America/New_York", 10, 7),
        ],
    )
    def test_window_start_in_a_dst_gap(self, zone, day, expected_utc_hour):
        """A start inside the spring-forward gap moves forward by the gap."""
        month_start = pendulum.datetime(2024, 3, day, 0, 0, tz=zone)
        got = sc.personalization.next_contact_time(
            _customer(zone), month_start, window="02:30-05:00"
        )
        assert got.in_timezone("UTC").hour == expected_utc_hour
        assert (got.hour, got.minute) == (3, 30)

    def test_window_on_fall_back_day(self):
        """On the fall-back night, a 01:30 start is its first occurrence."""
        at = pendulum.datetime(2024, 11, 3, 0, 0, tz="America/New_York")
        got = sc.personalization.next_contact_time(
            _customer("America/New_York"), at, window="01:30-02:30"
        )
        assert got.in_timezone("UTC") == pendulum.datetime(
            2024, 11, 3, 5, 30, tz="UTC"
        )

    def test_naive_moment(self):
        """A naive moment is refused."""
        with pytest.raises(sc.errors.NaiveDatetimeError):
            sc.personalization.next_contact_time(
                _customer(), pendulum.naive(2024, 1, 1)
            )

    def test_no_window_ever(self):
        """A calendar that never opens ends the search with an error."""

        class Never:
            def is_open_s(self, _at_s):
                return False

            def next_open_s(self, at_s):
                return at_s + 86400 * 30

        with pytest.raises(sc.errors.CalendarError, match="next 400 days"):
            sc.personalization.next_contact_time(
                _customer(),
                pendulum.datetime(2024, 1, 1, tz="UTC"),
                window="08:00-20:00",
                holidays=Never(),
            )

    def test_real_business_calendar(self):
        """A servicecore BusinessCalendar works as the holiday source."""
        calendar = sc.BusinessCalendar(PARIS, {"mon-fri": "00:00-24:00"})
        at = pendulum.datetime(2024, 3, 8, 21, tz=PARIS)  # Friday night
        assert sc.personalization.next_contact_time(
            _customer(), at, window="08:00-20:00", holidays=calendar
        ) == pendulum.datetime(2024, 3, 11, 8, tz=PARIS)


class TestEndOfTime:
    @pytest.mark.parametrize(
        "window", ["08:00-09:00", "22:00-24:00", "22:00-06:00"]
    )
    def test_no_window_before_the_end_of_9999(self, window):
        """A window that would open after 9999 is a CalendarError, not OverflowError."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^at: no moment is inside the contact window before "
            r"9999-12-31T23:59:59 UTC, the latest supported moment$",
        ) as caught:
            sc.personalization.next_contact_time(
                sc.Customer(id="u"),
                pendulum.datetime(9999, 12, 31, 23, tz="UTC"),
                window=window,
            )
        assert caught.value.location == "at"

    def test_moment_outside_the_years_in_the_customer_zone(self):
        """A moment whose local date is past 9999 names the zone."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^at: 9999-12-31 23:00:00\+00:00 is outside the years "
            r"1-9999 in the time zone Pacific/Kiritimati$",
        ):
            sc.personalization.next_contact_time(
                _customer("Pacific/Kiritimati"),
                pendulum.datetime(9999, 12, 31, 23, tz="UTC"),
            )

    def test_windows_up_to_the_end_still_found(self):
        """The last days of 9999 still give their windows and moments."""
        at = pendulum.datetime(9999, 12, 31, 23, tz="UTC")
        assert (
            sc.personalization.next_contact_time(sc.Customer(id="u"), at) == at
        )
        assert sc.personalization.next_contact_time(
            _customer("America/New_York"),
            pendulum.datetime(9999, 12, 30, 23, tz="UTC"),
            window="08:00-09:00",
        ) == pendulum.datetime(9999, 12, 31, 8, tz="America/New_York")
