"""
Bad values at every other entry point, answered or refused by us.

Calendars, durations, moments, case lines, catalogs and the values
templates render: each outcome is a result or a ServiceCoreError, in
bounded time and memory.
"""

from __future__ import annotations

import io
import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pendulum
from fuzzing import (
    DOCUMENTS,
    NASTY_TEXT,
    VALUES,
    damaged,
    encoded,
    failed,
    mutated,
    outcome,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc

FUZZ = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
CALENDAR = DOCUMENTS["sla"]["sla"]["calendars"]["emea"]
CALENDAR_TOML = """\
time_zone = "Europe/Berlin"
hours = { mon-fri = "08:00-18:00", sat = ["09:00-12:00", "22:00-02:00"] }
holidays = [{ date = "12-25", name = "Christmas Day" }]
overrides = [{ date = "2024-12-24", hours = "08:00-12:00" }]
"""
PO = (
    Path(sc.__file__).parent
    / "locale"
    / "de"
    / "LC_MESSAGES"
    / "servicecore.po"
).read_text("utf-8")

#: Moments from the first to the last second a datetime can hold.
MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2),  # noqa: DTZ001 - made aware below
    max_value=datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=st.just(UTC),
)
#: Durations as users write them, including absurd ones.
DURATIONS = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=12),
    st.from_regex(r"\A(PT?)?[0-9]{1,14}[wdhms]( ?[0-9]{1,6}[dhms]){0,2}\Z"),
    st.timedeltas(),
)


class TestCalendars:
    @FUZZ
    @given(data=st.data())
    def test_damaged_calendar_text(self, data) -> None:
        """A damaged calendar document loads or is refused, in TOML or JSON."""
        text = data.draw(damaged(CALENDAR_TOML))
        outcome(sc.BusinessCalendar.from_toml, encoded(text))
        tree = tomllib.loads(CALENDAR_TOML)
        json_text = data.draw(damaged(json.dumps(tree)))
        outcome(sc.BusinessCalendar.from_json, encoded(json_text))

    @FUZZ
    @given(data=st.data())
    def test_any_value_anywhere(self, data) -> None:
        """A calendar with any value anywhere is built and used, or refused."""
        calendar = outcome(
            sc.BusinessCalendar.from_dict, data.draw(mutated(CALENDAR))
        )
        if not failed(calendar):
            at = data.draw(MOMENTS)
            outcome(calendar.add, at, data.draw(DURATIONS))
            outcome(calendar.between, at, data.draw(MOMENTS))
            outcome(calendar.next_open, at)
            outcome(calendar.is_open, at)

    @FUZZ
    @given(
        at=MOMENTS,
        other=MOMENTS,
        duration=DURATIONS,
        seconds=st.one_of(st.integers(), st.floats(), VALUES),
        zone=VALUES,
    )
    def test_arithmetic_at_the_edges(
        self, at, other, duration, seconds, zone
    ) -> None:
        """Arithmetic from the first to the last moment answers or refuses."""
        calendar = sc.BusinessCalendar.from_toml(CALENDAR_TOML)
        outcome(calendar.add, at, duration)
        outcome(calendar.between, at, other)
        outcome(calendar.next_open, at)
        outcome(calendar.add_s, int(at.timestamp()), seconds)
        outcome(calendar.between_s, int(at.timestamp()), seconds)
        outcome(calendar.in_zone, zone)
        outcome(sc.BusinessCalendar, zone, {"mon": "09:00-17:00"})
        outcome(
            sc.personalization.next_contact_time,
            sc.Customer(id="c", time_zone="Asia/Tokyo"),
            at,
            window=data_window(duration),
        )


def data_window(value: object) -> object:
    """A contact window: the fuzzed value when it is text, else a sane one."""
    return value if isinstance(value, str) else "08:00-20:00"


class TestDurationsAndMoments:
    @FUZZ
    @given(text=DURATIONS)
    def test_parse_duration(self, text) -> None:
        """Any text is a duration or a DurationError; a result writes back."""
        result = outcome(sc.parse_duration, text)
        if not failed(result):
            outcome(sc.format_duration, result)

    @FUZZ
    @given(at=MOMENTS, hours=st.integers(-(10**6), 10**6))
    def test_evaluation_at_any_moment(self, at, hours) -> None:
        """SLA and escalation answer about any moment, or refuse it."""
        policies = sc.SLAPolicySet.from_dict(DOCUMENTS["escalation"])
        engine = sc.SLAEngine(policies)
        escalation = sc.EscalationEngine(
            sc.EscalationPolicySet.from_dict(DOCUMENTS["escalation"]),
            sla=engine,
        )
        case = sc.generate_cases(1, seed=5)[0]
        try:
            moment = pendulum.instance(at) + timedelta(hours=hours)
        except OverflowError:
            moment = pendulum.instance(at)
        outcome(engine.evaluate, case, at=moment)
        outcome(escalation.decide, case, moment)
        outcome(case.state_at, moment)


LINES = [
    json.dumps(sc.to_dict(case), ensure_ascii=False)
    for case in sc.generate_cases(2, seed=9)
]


class TestCaseFiles:
    @FUZZ
    @given(data=st.data())
    def test_damaged_lines(self, data, tmp_path_factory) -> None:
        """A damaged case file yields cases or a SerializationError."""
        text = "\n".join(data.draw(damaged(line)) for line in LINES)
        path = tmp_path_factory.mktemp("cases") / "cases.jsonl"
        path.write_bytes(encoded(text))
        cases = outcome(lambda: list(sc.read_cases(path)))
        if not failed(cases):
            outcome(sc.write_cases, cases, io.StringIO())

    @FUZZ
    @given(data=st.binary(max_size=4096))
    def test_random_bytes(self, data, tmp_path_factory) -> None:
        """Random bytes are cases or a SerializationError, never a crash."""
        path = tmp_path_factory.mktemp("cases") / "cases.jsonl"
        path.write_bytes(data)
        outcome(lambda: list(sc.read_cases(path)))

    @FUZZ
    @given(data=st.data())
    def test_any_value_anywhere(self, data) -> None:
        """A case with any value anywhere is read or refused."""
        tree = data.draw(mutated(json.loads(LINES[0])))
        outcome(sc.from_dict, sc.Case, tree)
        outcome(
            lambda: list(
                sc.read_cases(io.StringIO(json.dumps(tree, default=str)))
            )
        )

    @FUZZ
    @given(tags=VALUES, locale=VALUES, zone=VALUES)
    def test_customer_fields(self, tags, locale, zone) -> None:
        """A customer is built from any values or refused."""
        outcome(sc.Customer, id="c", tags=tags)
        outcome(sc.Customer, id="c", locale=locale)
        outcome(sc.Customer, id="c", time_zone=zone)


class TestMessages:
    @FUZZ
    @given(data=st.data())
    def test_damaged_po_file(self, data) -> None:
        """A damaged .po file is read or refused with its line."""
        text = data.draw(damaged(PO))
        outcome(
            sc.personalization.MessageCatalog.default().with_po,
            io.BytesIO(encoded(text)),
            locale="de",
        )

    @FUZZ
    @given(
        source=st.one_of(st.text(max_size=40), st.sampled_from(NASTY_TEXT)),
        kind=st.sampled_from(
            [
                "text",
                "name",
                "datetime",
                "duration",
                "number",
                "money",
                "count",
            ]
        ),
        value=st.one_of(
            VALUES,
            st.decimals(),
            st.tuples(
                st.one_of(st.floats(), st.text(max_size=4)),
                st.text(max_size=4),
            ),
            MOMENTS,
            st.timedeltas(),
        ),
        locale=st.sampled_from(
            ["en", "de_CH", "ja_JP", "zh_Hant_TW", "it", "xx"]
        ),
    )
    def test_any_template_any_value(self, source, kind, value, locale) -> None:
        """Any template with any value renders or raises a TemplateError."""
        template = outcome(
            sc.personalization.MessageTemplate,
            name="t",
            source=source + " {v}",
            placeholders={"v": kind},
        )
        if failed(template):
            return
        catalog = outcome(
            sc.personalization.MessageCatalog.default().with_templates,
            template,
        )
        if failed(catalog):
            return
        at = pendulum.datetime(2024, 3, 5, 10, tz="UTC")
        outcome(catalog.render, "t", locale=locale, at=at, values={"v": value})
