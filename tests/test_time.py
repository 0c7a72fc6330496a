from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pendulum
import pytest
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


class TestToEpoch:
    def test_aware_datetimes_of_any_zone(self):
        """The same instant in two zones is the same epoch second."""
        berlin = pendulum.datetime(2024, 3, 31, 3, 30, tz="Europe/Berlin")
        assert to_epoch(berlin) == to_epoch(berlin.in_tz("UTC"))
        assert to_epoch(berlin) == 1711848600

    def test_sub_second_parts_are_floored(self):
        """Moments are exact to the second, rounding towards the past."""
        moment = datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)
        assert to_epoch(moment) == -1

    def test_naive_datetime_is_refused_naming_the_argument(self):
        """A naive datetime raises NaiveDatetimeError naming the argument."""
        with pytest.raises(
            sc.NaiveDatetimeError, match=r"^start: naive"
        ) as info:
            to_epoch(datetime(2024, 1, 1), "start")  # noqa: DTZ001
        assert info.value.location == "start"
        assert isinstance(info.value, TypeError)

    def test_a_tzinfo_without_offset_is_naive(self):
        """A tzinfo whose utcoffset() is None makes a naive datetime."""

        class Floating(tzinfo):
            def utcoffset(self, _dt):
                return None

        with pytest.raises(sc.NaiveDatetimeError, match=r"^at: naive"):
            to_epoch(datetime(2024, 1, 1, tzinfo=Floating()))

    def test_fixed_offsets(self):
        """Fixed-offset zones, stdlib's and pendulum's, are aware."""
        plus_two = timezone(timedelta(hours=2))
        moment = datetime(2024, 1, 1, 2, tzinfo=plus_two)
        assert to_epoch(moment) == 1704067200
        fixed = pendulum.FixedTimezone(7200)
        assert to_epoch(moment.replace(tzinfo=fixed)) == 1704067200

    def test_not_a_datetime(self):
        """Something that is no datetime at all is refused as well."""
        with pytest.raises(sc.NaiveDatetimeError, match="got str"):
            to_epoch("2024-01-01", "at")  # type: ignore[arg-type]

    @given(
        st.integers(-(2**34), 2**34), st.sampled_from(["UTC", "Asia/Kolkata"])
    )
    def test_from_epoch_round_trips(self, seconds, zone):
        """from_epoch gives the same object pendulum's factory gives."""
        tz = get_timezone(zone)
        got = from_epoch(seconds, tz)
        assert to_epoch(got) == seconds
        assert got == pendulum.from_timestamp(seconds, tz)
        assert got.timezone_name == zone


class TestTimezone:
    def test_unknown_zone_suggests(self):
        """An unknown zone name gets the closest IANA name."""
        with pytest.raises(
            sc.UnknownTimeZoneError,
            match=r"^tz: unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'\?$",
        ):
            get_timezone("Europe/Berln", "tz")


class TestParseDuration:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [
            ("4h", 14_400),
            ("30m", 1_800),
            ("1d 4h 30m", 102_600),
            ("2d4h", 187_200),
            ("1w", 604_800),
            ("45s", 45),
            ("0m", 0),
            (" 4h ", 14_400),
            ("PT30M", 1_800),
            ("pt30m", 1_800),
            ("P1DT4H", 100_800),
            ("P2W", 1_209_600),
            ("PT1H30M15S", 5_415),
        ],
    )
    def test_accepted(self, text, seconds):
        """Both syntaxes read to the exact number of seconds."""
        assert sc.parse_duration(text).in_seconds() == seconds

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("4 hrs", "unknown duration '4 hrs'; did you mean '4h'?"),
            ("1.5h", "unknown duration '1.5h'; did you mean '1h 30m'?"),
            ("2 days", "unknown duration '2 days'; did you mean '2d'?"),
            (
                "30m 4h",
                "unknown duration '30m 4h': give each unit once, largest first",
            ),
            (
                "4h 4h",
                "unknown duration '4h 4h': give each unit once, largest first",
            ),
            ("P1M", "unknown duration 'P1M'; write it like"),
            ("PT", "unknown duration 'PT'; write it like"),
            ("", "unknown duration ''; write it like"),
            ("-4h", "unknown duration '-4h'; write it like"),
        ],
    )
    def test_refused_with_a_hint(self, text, message):
        """Malformed strings raise DurationError saying how to write them."""
        with pytest.raises(sc.DurationError) as info:
            sc.parse_duration(text, "targets.urgent")
        assert info.value.location == "targets.urgent"
        assert info.value.problem.startswith(message)

    def test_timedelta(self):
        """A timedelta of whole seconds passes; a fraction is refused."""
        assert sc.parse_duration(timedelta(hours=2)).in_seconds() == 7_200
        with pytest.raises(sc.DurationError, match="whole, non-negative"):
            sc.parse_duration(timedelta(milliseconds=5))
        with pytest.raises(sc.DurationError, match="expected a duration"):
            sc.parse_duration(4)  # type: ignore[arg-type]

    @given(st.integers(0, 10**9))
    def test_format_round_trips(self, seconds):
        """format_duration writes what parse_duration reads back exactly."""
        text = sc.format_duration(seconds)
        assert sc.parse_duration(text).in_seconds() == seconds


class TestFromEpoch:
    def test_second_occurrence_of_a_repeated_hour(self):
        """A moment in the repeated hour of a fold keeps fold=1."""
        tz = get_timezone("Europe/Berlin")
        first = from_epoch(1729989000, tz)  # 02:30 CEST
        second = from_epoch(1729992600, tz)  # 02:30 CET, an hour later
        assert (first.hour, first.minute, first.fold) == (2, 30, 0)
        assert (second.hour, second.minute, second.fold) == (2, 30, 1)
        assert to_epoch(second) - to_epoch(first) == 3600
        assert second == pendulum.from_timestamp(1729992600, tz)


ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Pacific/Apia",
)


class TestCachedConversions:
    @settings(max_examples=200, deadline=None)
    @given(
        seconds=st.integers(0, 2_000_000_000),
        zone=st.sampled_from(ZONES),
        fold=st.integers(0, 1),
    )
    def test_cached_conversions_equal_the_exact_ones(
        self, seconds, zone, fold
    ):
        """Cached to_epoch and from_epoch equal the exact path, twice over."""
        tz = get_timezone(zone)
        expected = _exact_from_epoch(seconds, tz)
        for _ in range(2):  # the first call may learn, the second reads
            got = from_epoch(seconds, tz)
            assert (got, got.fold, repr(got)) == (
                expected,
                expected.fold,
                repr(expected),
            )
            local = expected.replace(fold=fold)
            assert to_epoch(local) == _exact_to_epoch(local, "at")
            stdlib = datetime.fromtimestamp(seconds, UTC).astimezone(tz)
            assert to_epoch(stdlib) == seconds
