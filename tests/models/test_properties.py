"""Properties of cases: lossless round-trips and a state that only looks back."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc
from servicecore.testing import cases


def _prefix(case, at_s):
    """The case as it was known at *at_s*: the events up to then."""
    events = [e for e in case.events if e.at_s <= at_s]
    return sc.Case(
        id=case.id,
        customer=case.customer,
        subject=case.subject,
        channel=case.channel,
        events=events,
    )


class TestRoundTrip:
    @settings(max_examples=15)
    @given(seed=st.integers(0, 2**32))
    def test_generated_cases(self, seed):
        """Generated cases survive to_dict, JSON text and from_dict."""
        for case in sc.generate_cases(4, seed=seed):
            text = json.dumps(sc.to_dict(case))
            assert sc.from_dict(sc.Case, json.loads(text)) == case

    @settings(max_examples=40)
    @given(case=cases())
    def test_hypothesis_cases(self, case):
        """Drawn cases, with every field and event kind, round-trip."""
        text = json.dumps(sc.to_dict(case))
        back = sc.from_dict(sc.Case, json.loads(text))
        assert back == case
        assert hash(back) == hash(case)


class TestStateOnlyLooksBack:
    @settings(max_examples=40)
    @given(case=cases(), data=st.data())
    def test_appending_later_events_keeps_the_state(self, case, data):
        """state_at(t) is the same before and after events after t are appended."""
        first, last = case.events[0].at_s, case.events[-1].at_s
        at_s = data.draw(st.integers(first, last + 86_400), label="at_s")
        known = _prefix(case, at_s)
        before = known.state_at_s(at_s)
        grown = known
        for event in case.events[len(known.events) :]:
            grown = grown.append(event)
        assert grown == case
        assert grown.state_at_s(at_s) == before
        assert case.state_at_s(at_s) == before

    @settings(max_examples=15)
    @given(seed=st.integers(0, 2**32), data=st.data())
    def test_generated_cases(self, seed, data):
        """The same holds for generated cases."""
        (case,) = sc.generate_cases(1, seed=seed)
        at_s = data.draw(
            st.integers(case.created_at_s, case.events[-1].at_s), label="at_s"
        )
        assert _prefix(case, at_s).state_at_s(at_s) == case.state_at_s(at_s)

    @settings(max_examples=40)
    @given(case=cases())
    def test_status_cache_matches_the_log(self, case):
        """The status cached for append is the status the log derives."""
        assert case.status is case.state_at_s(case.events[-1].at_s).status
