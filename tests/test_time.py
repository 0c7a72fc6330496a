from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore._time import (
    MAX_DURATION_S,
    MAX_EPOCH_S,
    MIN_EPOCH_S,
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
            sc.errors.NaiveDatetimeError, match=r"^start: naive"
        ) as info:
            to_epoch(datetime(2024, 1, 1), "start")  # noqa: DTZ001
        assert info.value.location == "start"
        assert isinstance(info.value, TypeError)

    def test_a_tzinfo_without_offset_is_naive(self):
        """A tzinfo whose utcoffset() is None makes a naive datetime."""

        class Floating(tzinfo):
            def utcoffset(self, _dt):
                return None

        with pytest.raises(sc.errors.NaiveDatetimeError, match=r"^at: naive"):
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
        with pytest.raises(sc.errors.NaiveDatetimeError, match="got str"):
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


class TestSupportedMoments:
    @pytest.mark.parametrize(
        "moment",
        [
            datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            pendulum.datetime(9999, 12, 31, 19, tz="America/New_York"),
        ],
    )
    def test_to_epoch_refuses_moments_outside_years_1_to_9999(self, moment):
        """A moment whose UTC time is outside the years 1-9999 is refused."""
        with pytest.raises(
            sc.errors.TimeError,
            match=r"^start: .* is outside the supported moments, "
            r"0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z$",
        ) as info:
            to_epoch(moment, "start")
        assert info.value.location == "start"

    def test_the_ends_are_supported(self):
        """The first and last supported moments convert both ways."""
        last = pendulum.datetime(
            9999, 12, 31, 18, 59, 59, tz="America/New_York"
        )
        first = datetime(1, 1, 1, tzinfo=UTC)
        assert to_epoch(last) == MAX_EPOCH_S
        assert to_epoch(first) == MIN_EPOCH_S
        assert from_epoch(MAX_EPOCH_S) == pendulum.datetime(
            9999, 12, 31, 23, 59, 59
        )
        assert from_epoch(MIN_EPOCH_S) == first

    def test_cached_hours_do_not_cross_the_end(self):
        """Seconds past the end refuse even after their hour's start converted."""
        zone = timezone(-timedelta(hours=3, minutes=30))
        assert (
            to_epoch(datetime(9999, 12, 31, 20, tzinfo=zone))
            == MAX_EPOCH_S - 1799
        )
        with pytest.raises(
            sc.errors.TimeError, match=r"^at: 9999-12-31T20:45:00-03:30 is"
        ):
            to_epoch(datetime(9999, 12, 31, 20, 45, tzinfo=zone))

    @pytest.mark.parametrize(
        "seconds", [MAX_EPOCH_S + 1, MIN_EPOCH_S - 1, 10**20]
    )
    def test_from_epoch_outside_the_range(self, seconds):
        """Epoch seconds outside the supported moments raise TimeError."""
        with pytest.raises(
            sc.errors.TimeError,
            match=rf"^moment: epoch seconds {seconds} are outside the "
            "supported moments",
        ):
            from_epoch(seconds)

    def test_from_epoch_in_a_zone_past_the_year_9999(self):
        """A supported moment whose local time is in year 10000 is refused."""
        with pytest.raises(
            sc.errors.TimeError,
            match=r"^moment: epoch seconds 253402300799 cannot be shown in "
            r"Europe/Berlin: the local time is outside the years 1-9999$",
        ):
            from_epoch(MAX_EPOCH_S, get_timezone("Europe/Berlin"))


class TestTimezone:
    def test_unknown_zone_suggests(self):
        """An unknown zone name gets the closest IANA name."""
        with pytest.raises(
            sc.errors.UnknownTimeZoneError,
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
        with pytest.raises(sc.errors.DurationError) as info:
            sc.parse_duration(text, "targets.urgent")
        assert info.value.location == "targets.urgent"
        assert info.value.problem.startswith(message)

    def test_timedelta(self):
        """A timedelta of whole seconds passes; a fraction is refused."""
        assert sc.parse_duration(timedelta(hours=2)).in_seconds() == 7_200
        with pytest.raises(
            sc.errors.DurationError, match="whole, non-negative"
        ):
            sc.parse_duration(timedelta(milliseconds=5))
        with pytest.raises(
            sc.errors.DurationError, match="expected a duration"
        ):
            sc.parse_duration(4)  # type: ignore[arg-type]

    @given(st.integers(0, MAX_DURATION_S))
    def test_format_round_trips(self, seconds):
        """format_duration writes what parse_duration reads back exactly."""
        text = sc.format_duration(seconds)
        assert sc.parse_duration(text).in_seconds() == seconds


class TestDurationBounds:
    @pytest.mark.parametrize(
        "text", ["PT99999999999H", "99999999999d", "3652058d 23h 59m 60s"]
    )
    def test_longer_than_the_supported_span(self, text):
        """A duration longer than years 1-9999 is refused, not an overflow."""
        with pytest.raises(
            sc.errors.DurationError,
            match=rf"^targets\.x: duration '{text}' is longer than the span "
            r"of supported moments \(0001-01-01T00:00:00Z to "
            r"9999-12-31T23:59:59Z\); the longest is '3652058d 23h 59m 59s'$",
        ):
            sc.parse_duration(text, "targets.x")

    def test_the_longest_is_accepted(self):
        """The span of the supported moments itself is a duration."""
        longest = sc.parse_duration("3652058d 23h 59m 59s")
        assert longest.in_seconds() == MAX_DURATION_S == 315_537_897_599

    def test_long_timedelta(self):
        """A timedelta longer than the span is refused too."""
        with pytest.raises(
            sc.errors.DurationError, match=r"^duration: duration "
        ):
            sc.parse_duration(timedelta(days=999_999_999))

    def test_thousands_of_digits_are_refused_cheaply(self):
        """A 5,000-digit number is refused by length, before int()."""
        with pytest.raises(
            sc.errors.DurationError,
            match=r"^d: a duration of 5,001 characters is too long "
            r"\(at most 64\); write it like '30m'",
        ):
            sc.parse_duration("9" * 5000 + "s", "d")

    @pytest.mark.parametrize(
        "text", ["\u0663h", "\uff11h", "1\u0660m", "P\uff11D"]
    )
    def test_digits_are_ascii(self, text):
        """Digits of other scripts are not durations."""
        with pytest.raises(
            sc.errors.DurationError,
            match=r"^d: unknown duration .*: durations are ASCII, digits 0-9 "
            "and units; write it like",
        ):
            sc.parse_duration(text, "d")

    @given(st.text(max_size=80))
    def test_any_text_is_a_duration_or_our_error(self, text):
        """Arbitrary text gives a bounded duration or a DurationError."""
        try:
            seconds = sc.parse_duration(text).in_seconds()
        except sc.errors.DurationError:
            return
        assert 0 <= seconds <= MAX_DURATION_S


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
