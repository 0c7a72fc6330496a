"""Fast arithmetic equals the minute-stepping oracle, in seven zones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from calendar_oracles import Oracle, OutOfWindowError
from calendar_strategies import ZONES, calendars, moments_near
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import servicecore as sc

SETTINGS = settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    deadline=None,
)


def _oracle(spec, anchor):
    return Oracle(
        spec, anchor - timedelta(days=4), anchor + timedelta(days=40)
    )


@st.composite
def cases(draw, zone):
    """Draw a calendar of *zone*, its spec, anchor and a start near it."""
    calendar, spec, anchor = draw(calendars(zone))
    start = draw(moments_near(anchor, zone))
    return calendar, spec, anchor, start


@pytest.mark.parametrize("zone", ZONES)
class TestAgainstOracle:
    @SETTINGS
    @given(data=st.data())
    def test_add_matches_minute_stepping(self, zone, data):
        """add_s lands where walking open minutes one at a time lands."""
        calendar, spec, anchor, start = data.draw(cases(zone))
        minutes = data.draw(st.integers(0, 24 * 60))
        oracle = _oracle(spec, anchor)
        try:
            expected = oracle.add(start, minutes)
        except OutOfWindowError:
            assume(False)  # noqa: FBT003
        assert calendar.add_s(start, minutes * 60) == expected

    @SETTINGS
    @given(data=st.data())
    def test_between_matches_counting(self, zone, data):
        """between_s counts the open minutes between two moments."""
        calendar, spec, anchor, a = data.draw(cases(zone))
        b = data.draw(moments_near(anchor, zone))
        oracle = _oracle(spec, anchor)
        assert calendar.between_s(a, b) == oracle.between(a, b)

    @SETTINGS
    @given(data=st.data())
    def test_open_and_next_match(self, zone, data):
        """is_open_s, next_open_s and next_close_s agree with the oracle."""
        calendar, spec, anchor, t = data.draw(cases(zone))
        oracle = _oracle(spec, anchor)
        try:
            expected = (
                oracle.is_open(t),
                oracle.next_open(t),
                oracle.next_close(t),
            )
        except OutOfWindowError:
            assume(False)  # noqa: FBT003
        got = (
            calendar.is_open_s(t),
            calendar.next_open_s(t),
            calendar.next_close_s(t),
        )
        assert got == expected


class TestProperties:
    @settings(max_examples=40, deadline=None)
    @given(
        data=st.data(),
        seconds=st.integers(0, 2 * 10**6),
        offset=st.integers(-(10**7), 10**7),
    )
    def test_between_undoes_add_from_opening_moments(
        self, data, seconds, offset
    ):
        """between(s, add(s, d)) == d for every open moment s, to the second."""
        calendar, _, _ = data.draw(calendars())
        base = calendar.next_open_s(1_700_000_000 + offset)
        start = calendar.next_open_s(base + data.draw(st.integers(0, 10**6)))
        assert (
            calendar.between_s(start, calendar.add_s(start, seconds))
            == seconds
        )

    @settings(max_examples=20, deadline=None)
    @given(
        data=st.data(),
        first=st.integers(1, 5 * 10**6),
        second=st.integers(1, 5 * 10**6),
        start=st.integers(1_600_000_000, 1_700_000_000),
    )
    def test_add_composes_over_years(self, data, first, second, start):
        """Adding in two steps equals adding once, across years of extension."""
        calendar, _, _ = data.draw(calendars())
        fresh = sc.BusinessCalendar.from_dict(calendar.to_dict())
        middle = calendar.add_s(start, first)
        assert calendar.add_s(middle, second) == fresh.add_s(
            start, first + second
        )

    @settings(max_examples=20, deadline=None)
    @given(
        data=st.data(),
        points=st.lists(
            st.integers(1_700_000_000, 1_750_000_000), min_size=2, max_size=3
        ),
    )
    def test_between_is_additive_and_antisymmetric(self, data, points):
        """between(a, c) == between(a, b) + between(b, c), and b < a negates."""
        calendar, _, _ = data.draw(calendars())
        a, b, *rest = points
        c = rest[0] if rest else a
        assert calendar.between_s(a, c) == calendar.between_s(
            a, b
        ) + calendar.between_s(b, c)
        assert calendar.between_s(b, a) == -calendar.between_s(a, b)
