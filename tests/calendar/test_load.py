"""Calendars from dicts, TOML and JSON: round trips and precise errors."""

from __future__ import annotations

import contextlib
import json

import pytest
from calendar_strategies import calendars
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

TOML = """
time_zone = "Europe/Berlin"

[hours]
mon-fri = ["09:00-12:00", "13:00-17:00"]
sat = "22:00-06:00"

[[holidays]]
date = "12-25"
name = "Christmas Day"

[[holidays]]
date = "2024-12-31"
closed = ["12:00-24:00"]

[[overrides]]
date = "2024-12-24"
hours = ["09:00-12:00"]
name = "Christmas Eve"
"""


def _error(
    data: object, location: str = "calendars.support"
) -> sc.errors.TimeError:
    with pytest.raises(sc.errors.TimeError) as info:
        sc.BusinessCalendar.from_dict(data, location)  # type: ignore[arg-type]
    return info.value


class TestLoading:
    def test_toml_json_and_dict_agree(self):
        """One calendar written in TOML, JSON and as a dict is one calendar."""
        from_toml = sc.BusinessCalendar.from_toml(TOML)
        data = from_toml.to_dict()
        assert sc.BusinessCalendar.from_json(json.dumps(data)) == from_toml
        assert sc.BusinessCalendar.from_dict(data) == from_toml
        assert from_toml.hours["sat"] == ("22:00-06:00",)
        assert [h.name for h in from_toml.holidays] == ["Christmas Day", ""]
        assert from_toml.overrides[0].name == "Christmas Eve"

    @settings(max_examples=30, deadline=None)
    @given(calendars())
    def test_round_trip(self, drawn):
        """from_dict(to_dict(c)) == c for every drawn calendar."""
        calendar, _, _ = drawn
        assert sc.BusinessCalendar.from_dict(calendar.to_dict()) == calendar

    def test_holidays_from_the_package(self):
        """holidays_from fills public holidays from the `holidays` package."""
        pytest.importorskip("holidays")
        cal = sc.BusinessCalendar.from_dict(
            {
                "time_zone": "Europe/Berlin",
                "hours": {"mon-fri": "09:00-17:00"},
                "holidays_from": {
                    "country": "DE",
                    "subdiv": "BE",
                    "years": [2024],
                },
            }
        )
        names = {h.name for h in cal.holidays}
        assert "Christmas Day" in names
        assert len(cal.holidays) >= 10
        error = _error(
            {
                "hours": {"mon": "09:00-17:00"},
                "holidays_from": {"country": "XX", "years": [2024]},
            }
        )
        assert error.location == "calendars.support.holidays_from"

    @pytest.mark.parametrize("year", [99999, 0, 1990, 2101])
    def test_years_the_package_does_not_cover(self, year):
        """A year outside the package's range for the country is refused."""
        pytest.importorskip("holidays")
        problem = (
            "the 'holidays' package knows the holidays of DE for the years "
            f"1991-2100, not {year}"
        )
        with pytest.raises(
            sc.errors.CalendarError, match=rf"^years: {problem}$"
        ):
            sc.calendar.HolidaySet.from_package("DE", years=[2024, year])
        error = _error(
            {
                "hours": {"mon": "09:00-17:00"},
                "holidays_from": {"country": "DE", "years": [year]},
            }
        )
        assert error.location == "calendars.support.holidays_from.years"
        assert error.problem == problem

    @pytest.mark.parametrize("year", ["2024", 2024.0, True])
    def test_years_must_be_ints(self, year):
        """A year that is no int is refused by name, not passed on."""
        pytest.importorskip("holidays")
        with pytest.raises(
            sc.errors.CalendarError,
            match=rf"^years: expected a year such as 2024, got {year!r}$",
        ):
            sc.calendar.HolidaySet.from_package("DE", years=[year])


class TestErrors:
    @pytest.mark.parametrize(
        "hours",
        [
            "\u0660\u0669:00-17:00",  # Arabic-Indic 09
            "09:00-\uff11\uff17:00",  # full-width 17
            "09:\u0660\u0660-17:00",
            "09:00-17:00:\u0660\u0660",
        ],
    )
    def test_times_are_ascii(self, hours):
        """Times with digits other than ASCII 0-9 are refused."""
        err = _error({"hours": {"mon": hours}})
        assert isinstance(err, sc.errors.CalendarError)
        assert err.location == "calendars.support.hours.mon[0]"
        assert err.problem.startswith("unknown time ")

    @pytest.mark.parametrize("day", ["\uff11\uff12-25", "12-\u0662\u0665"])
    def test_annual_dates_are_ascii(self, day):
        """An annual holiday's MM-DD with non-ASCII digits is refused."""
        with pytest.raises(
            sc.errors.CalendarError, match=r"^on: unknown date "
        ) as caught:
            sc.calendar.Holiday(day)
        assert caught.value.location == "on"

    def test_overlapping_intervals(self):
        """Overlap names the later interval and the one it overlaps."""
        err = _error({"hours": {"mon": ["09:00-17:00", "16:00-18:00"]}})
        assert isinstance(err, sc.errors.CalendarError)
        assert err.location == "calendars.support.hours.mon[1]"
        assert err.problem == (
            "interval 16:00-18:00 overlaps 09:00-17:00 "
            "(calendars.support.hours.mon[0])"
        )

    def test_end_not_after_start(self):
        """An interval whose end equals its start is refused."""
        err = _error({"hours": {"tue": ["09:00-09:00"]}})
        assert err.location == "calendars.support.hours.tue[0]"
        assert "end is not after start" in err.problem

    def test_unknown_weekday_suggests(self):
        """An unknown weekday gets a did-you-mean."""
        err = _error({"hours": {"mnday": "09:00-17:00"}})
        assert err.location == "calendars.support.hours.mnday"
        assert "did you mean 'monday'?" in err.problem

    def test_bad_time_zone(self):
        """An unknown zone is an UnknownTimeZoneError at its location."""
        err = _error(
            {"time_zone": "Europe/Berln", "hours": {"mon": "09:00-17:00"}}
        )
        assert isinstance(err, sc.errors.UnknownTimeZoneError)
        assert err.location == "calendars.support.time_zone"
        assert "did you mean 'Europe/Berlin'?" in err.problem

    @pytest.mark.parametrize(
        ("data", "location", "text"),
        [
            (
                {
                    "hours": {"mon": "9-17"},
                    "holidays": [{"date": "2024-02-30"}],
                },
                "calendars.support.hours.mon[0]",
                "unknown time '9'",
            ),
            (
                {
                    "hours": {"mon": "09:00-17:00"},
                    "holidays": [{"date": "2024-02-30"}],
                },
                "calendars.support.holidays[0].date",
                "unknown date '2024-02-30'",
            ),
            (
                {
                    "hours": {"mon": "09:00-17:00"},
                    "holidays": [{"date": "13-01"}],
                },
                "calendars.support.holidays[0].date",
                "unknown month and day '13-01'",
            ),
            (
                {
                    "hours": {"mon": "09:00-17:00"},
                    "overrides": [{"date": "24.12.2024"}],
                },
                "calendars.support.overrides[0].date",
                "unknown date",
            ),
            (
                {
                    "hours": {"mon": "09:00-17:00"},
                    "holidays": [{"date": "12-25", "closed": ["25:00-26:00"]}],
                },
                "calendars.support.holidays[0].closed[0]",
                "out of range",
            ),
            (
                {"hours": {"mon": "09:00-17:00"}, "holyday": []},
                "calendars.support.holyday",
                "did you mean 'holidays'?",
            ),
            (
                {"hours": {"mon-fri": "09:00-17:00", "fri": "10:00-11:00"}},
                "calendars.support.hours.fri",
                "fri is already given by calendars.support.hours.mon-fri",
            ),
            (
                {"hours": {"mon": "22:00-10:00", "tue": "09:00-17:00"}},
                "calendars.support.hours.mon",
                "overnight interval 22:00-10:00 overlaps 09:00-17:00 of tue",
            ),
            (
                {
                    "hours": {"mon": "09:00-17:00"},
                    "overrides": [
                        {"date": "2024-12-24"},
                        {"date": "2024-12-24"},
                    ],
                },
                "calendars.support.overrides[1]",
                "already overridden by overrides[0]",
            ),
            ({"time_zone": "UTC"}, "calendars.support", "needs 'hours'"),
            ({"hours": {}}, "calendars.support.hours", "no open time"),
            ([1, 2], "calendars.support", "expected a table"),
        ],
    )
    def test_locations(self, data, location, text):
        """Each problem is reported at its exact location."""
        err = _error(data)
        assert (err.location, text in err.problem) == (location, True)

    def test_syntax_errors(self):
        """TOML and JSON syntax errors are CalendarErrors naming the file."""
        with pytest.raises(
            sc.errors.CalendarError, match=r"^support\.toml: not valid TOML"
        ):
            sc.BusinessCalendar.from_toml("hours = [", "support.toml")
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^support\.toml:2:1: not valid TOML",
        ):
            sc.BusinessCalendar.from_toml("a = 1\n=", "support.toml")
        with pytest.raises(
            sc.errors.CalendarError, match=r"^calendar:1:2: not valid JSON"
        ):
            sc.BusinessCalendar.from_json("{")
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^calendar: JSON nested too deeply$",
        ):
            sc.BusinessCalendar.from_json("[" * 100_000)

    @settings(max_examples=150, deadline=None)
    @given(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers(-3, 30)
            | st.sampled_from(
                [
                    "mon",
                    "09:00-17:00",
                    "22:00-06:00",
                    "12-25",
                    "2024-12-24",
                    "UTC",
                    "x",
                    "",
                ]
            )
            | st.text(max_size=6),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "time_zone",
                            "hours",
                            "holidays",
                            "overrides",
                            "date",
                            "closed",
                            "name",
                            "mon",
                            "mon-fri",
                            "sun",
                        ]
                    ),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        )
    )
    def test_no_input_raises_anything_but_our_errors(self, data):
        """Whatever the input, the loader raises only ServiceCoreErrors."""
        with contextlib.suppress(sc.ServiceCoreError):
            sc.BusinessCalendar.from_dict(data)  # type: ignore[arg-type]
