"""Properties of cases: lossless round-trips and a state that only looks back."""

import io
import json

import attrs
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


_VALID_LINES = [
    json.dumps(sc.to_dict(case), ensure_ascii=ascii_only).encode()
    for case in sc.generate_cases(6, seed=11)
    for ascii_only in (True, False)
]


@st.composite
def _mutated_lines(draw: st.DrawFn) -> bytes:
    """A valid case line with a few bytes replaced, inserted or deleted."""
    line = bytearray(draw(st.sampled_from(_VALID_LINES)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(line)))
        piece = draw(
            st.sampled_from(
                [b'"', b"{", b"[", b"]", b",", b":", b"\\", b"9" * 30]
            )
            | st.binary(min_size=1, max_size=4)
            | st.sampled_from([b"\\ud800", b"NaN", b"1e400", b'"kind":"x",'])
        )
        cut = draw(st.integers(0, 4))
        line[at : at + cut] = piece if draw(st.booleans()) else b""
    return bytes(line)


def _read_all(raw: bytes) -> list[sc.Case]:
    """Read *raw* as a binary file; our error or cases, nothing else."""
    try:
        return list(sc.read_cases(io.BytesIO(raw)))
    except sc.errors.SerializationError as exc:
        location = exc.location
    assert location.startswith("line ")
    return []


class TestReadingAnything:
    @settings(max_examples=150)
    @given(raw=st.binary(max_size=300) | _mutated_lines())
    def test_bytes_give_cases_or_serialization_error(self, raw):
        """Any bytes give valid cases or a located SerializationError."""
        for case in _read_all(raw):
            assert isinstance(case, sc.Case)
            # Whatever was read writes back and reads back the same.
            out = io.StringIO()
            sc.write_cases([case], out)
            assert list(sc.read_cases(io.StringIO(out.getvalue()))) == [case]

    @settings(max_examples=60)
    @given(lines=st.lists(st.text(max_size=80), max_size=4))
    def test_text_lines_give_cases_or_serialization_error(self, lines):
        """Any text, surrogates included, gives cases or our error."""
        try:
            list(sc.read_cases(io.StringIO("\n".join(lines))))
        except sc.errors.SerializationError as exc:
            location = exc.location
        else:
            return
        assert location.startswith("line ")

    @settings(max_examples=30)
    @given(cases=st.lists(cases(max_events=8), max_size=3))
    def test_write_read_round_trip_is_exact(self, cases, tmp_path_factory):
        """Cases written to a file read back equal, in order, byte-stable."""
        path = tmp_path_factory.mktemp("rt") / "cases.jsonl"
        assert sc.write_cases(cases, path) == len(cases)
        back = list(sc.read_cases(path))
        assert back == cases
        first = path.read_bytes()
        sc.write_cases(back, path)
        assert path.read_bytes() == first


_ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**400])
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=5)
    | st.datetimes()
    | st.dates()
    | st.sampled_from(
        ["zh-CN", "sr_RS", "Europe/Zurich", "email", "csat", "vip"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.frozensets(st.text(max_size=5), max_size=3)
    ),
    max_leaves=6,
)


class TestConstructorsTakeAnything:
    @settings(max_examples=200)
    @given(
        model=st.sampled_from([sc.Customer, sc.Agent, sc.Team]),
        fields=st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "email",
                    "locale",
                    "time_zone",
                    "tags",
                    "attributes",
                    "skills",
                    "team_ids",
                    "member_ids",
                    "created_at",
                ]
            ),
            _ANY,
            max_size=3,
        ),
    )
    def test_a_model_or_our_error_and_what_is_built_writes(
        self, model, fields
    ):
        """Any field values build a model that round-trips, or our error."""
        names = {a.alias for a in attrs.fields(model)}
        try:
            built = model(
                id="x", **{k: v for k, v in fields.items() if k in names}
            )
        except sc.ServiceCoreError:
            return
        data = json.loads(json.dumps(sc.to_dict(built)))
        assert sc.from_dict(model, data) == built
