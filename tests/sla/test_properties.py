"""Properties of the engine over random case histories."""

from __future__ import annotations

import attrs
import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

MONDAY = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
H = 3600
MINUTE = 60

TARGETS = {
    "first_reply": "2h",
    "next_reply": "1h",
    "periodic_update": "3h",
    "pausable_update": "3h",
    "resolution": "8h",
    "requester_wait": "6h",
    "agent_work": "5h",
}
FASTER = dict.fromkeys(TARGETS, "30m")
METRICS = {
    "first_reply": {"warnings": [0.5, "10m"]},
    "next_reply": {"on_target_change": "restart", "warnings": [0.9]},
    "resolution": {"pause": ["pending"], "warnings": ["1h", 0.25]},
    "periodic_update": {"reopen": "new_cycle"},
    "requester_wait": {"reopen": "first_close", "basis": "calendar"},
}
OFFICE = sc.BusinessCalendar(
    "Europe/Berlin",
    {"mon-fri": ["09:00-12:00", "13:00-17:00"]},
    holidays=[sc.calendar.Holiday("2024-03-06", "Company day")],
)
ZONES = ["UTC", "America/New_York", "Asia/Kolkata"]


def _engine(calendar: str | None, zone: str = "calendar") -> sc.SLAEngine:
    tagged = {"field": "case.tags", "op": "includes_any", "value": ["vip"]}
    return sc.SLAEngine(
        [
            sc.sla.SLAPolicy(
                name="vip",
                when=tagged,
                calendar=calendar,
                zone=zone,
                targets={"urgent": FASTER, "high": FASTER, "normal": TARGETS},
                metrics=METRICS,
            ),
            sc.sla.SLAPolicy(
                name="standard",
                calendar=calendar,
                zone=zone,
                targets={"urgent": FASTER, "normal": TARGETS, "low": TARGETS},
                metrics=METRICS,
            ),
        ],
        calendars={"office": OFFICE},
    )


ENGINES = {
    "24x7": _engine(None),
    "office": _engine("office"),
    "customer": _engine("office", "customer"),
}

STEP = st.tuples(
    st.sampled_from(
        [
            "customer",
            "customer",
            "agent",
            "agent",
            "note",
            "status",
            "status",
            "priority",
            "tag",
        ]
    ),
    st.sampled_from([0, 0, 1, 5, 30, 60, 90, 240, 600, 1500]),
    st.integers(0, 5),
)


@st.composite
def cases(draw: st.DrawFn) -> sc.Case:
    """A random, valid case history: messages, statuses, priorities, tags."""
    start = MONDAY.add(minutes=draw(st.integers(0, 7 * 24 * 60)))
    zone = draw(st.sampled_from(ZONES))
    customer = sc.Customer(id="cu", time_zone=zone)
    priorities = list(sc.Priority)
    priority = draw(st.sampled_from(priorities))
    events: list[object] = [
        sc.CaseCreated(case_id="c", at=start, priority=priority)
    ]
    at = start
    status = sc.CaseStatus.NEW
    for n, (kind, gap, pick) in enumerate(draw(st.lists(STEP, max_size=14))):
        at = at.add(minutes=gap)
        if status == sc.CaseStatus.CLOSED:
            break
        if kind in {"customer", "agent", "note"}:
            events.append(
                sc.MessageAdded(
                    case_id="c",
                    interaction=sc.Interaction(
                        id=f"m{n}",
                        channel="email",
                        direction="inbound"
                        if kind == "customer"
                        else "outbound",
                        author_kind="customer"
                        if kind == "customer"
                        else "agent",
                        at=at,
                        public=kind != "note",
                    ),
                )
            )
        elif kind == "status":
            choices = [
                s
                for s in (
                    "open",
                    "pending",
                    "on_hold",
                    "solved",
                    "open",
                    "closed",
                )
                if s != status.value
            ]
            status = sc.CaseStatus(choices[pick % len(choices)])
            events.append(sc.StatusChanged(case_id="c", at=at, status=status))
        elif kind == "priority":
            events.append(
                sc.PriorityChanged(
                    case_id="c", at=at, priority=priorities[pick % 4]
                )
            )
        else:
            events.append(sc.TagsChanged(case_id="c", at=at, added=["vip"]))
    return sc.Case(id="c", customer=customer, channel="email", events=events)


def upto(case: sc.Case, at_s: int) -> sc.Case:
    """Return *case* with only its events at or before *at_s*."""
    return sc.Case(
        id=case.id,
        customer=case.customer,
        channel=case.channel,
        events=[e for e in case.events if e.at_s <= at_s],
    )


def moments(case: sc.Case) -> st.SearchStrategy[int]:
    """Moments around the case: its events, in between, and after."""
    first = case.events[0].at_s
    last = case.events[-1].at_s
    return st.one_of(
        st.sampled_from([e.at_s for e in case.events]),
        st.integers(first, last + 3 * 24 * H),
    )


@settings(max_examples=150)
@given(case=cases(), engine=st.sampled_from(sorted(ENGINES)), data=st.data())
def test_time_travel(case, engine, data):
    """The report at t ignores events after t: appending them changes nothing."""
    at_s = data.draw(moments(case))
    sla = ENGINES[engine]
    assert sla.evaluate_s(case, at_s) == sla.evaluate_s(upto(case, at_s), at_s)


@settings(max_examples=200)
@given(case=cases(), engine=st.sampled_from(sorted(ENGINES)), data=st.data())
def test_next_change_at_is_exact(case, engine, data):
    """Nothing changes before next_change_at, something changes at it."""
    at_s = data.draw(moments(case))
    sla = ENGINES[engine]
    known = upto(case, at_s)
    report = sla.evaluate_s(known, at_s)
    wake = report.next_change_at_s
    if wake is None:
        later = sla.evaluate_s(known, at_s + 400 * 24 * H)
        assert later.outline() == report.outline()
        return
    assert wake > at_s
    assert sla.evaluate_s(known, wake - 1).outline() == report.outline()
    assert sla.evaluate_s(known, wake).outline() != report.outline()


@settings(max_examples=150)
@given(case=cases(), engine=st.sampled_from(sorted(ENGINES)), data=st.data())
def test_deadlines_agree_with_the_calendar(case, engine, data):
    """An active clock's deadline is the calendar's add of what remains."""
    at_s = data.draw(moments(case))
    report = ENGINES[engine].evaluate_s(case, at_s)
    for cycle in report.cycles:
        if cycle.state != sc.sla.ClockState.ACTIVE or not cycle.remaining_s:
            continue
        if engine == "24x7" or cycle.basis == "calendar":
            expected = at_s + cycle.remaining_s
        else:
            calendar = OFFICE
            if engine == "customer":
                calendar = OFFICE.in_zone(case.customer.time_zone)
            expected = calendar.add_s(at_s, cycle.remaining_s)
        assert cycle.deadline_s == expected


@settings(max_examples=50)
@given(start=st.integers(0, 14 * 24 * 60))
def test_a_new_cases_deadline_is_the_calendars_add(start):
    """first_reply of an untouched case ends at calendar.add(created, 2h)."""
    created = MONDAY.add(minutes=start)
    case = sc.Case(
        id="c",
        customer=sc.Customer(id="cu"),
        channel="chat",
        events=[sc.CaseCreated(case_id="c", at=created)],
    )
    cycle = ENGINES["office"].evaluate(case, created)["first_reply"].current
    assert cycle.deadline == OFFICE.add(created, "2h")


@settings(max_examples=100)
@given(case=cases(), data=st.data())
def test_reports_are_self_consistent(case, data):
    """Times add up, states show the target, breaches are in the ledger."""
    at_s = data.draw(moments(case))
    report = ENGINES["office"].evaluate_s(case, at_s)
    breaches = {
        (e.metric, e.cycle, e.at_s)
        for e in report.ledger
        if e.kind == sc.sla.LedgerKind.BREACHED
    }
    untargeted = {sc.sla.ClockState.MEASURING, sc.sla.ClockState.MEASURED}
    for cycle in report.cycles:
        assert (cycle.state in untargeted) is (cycle.target_s is None)
        assert (cycle.state == sc.sla.ClockState.MEASURED) is (
            cycle.target_s is None and cycle.stopped_at_s is not None
        )
        assert cycle.elapsed_calendar_s >= 0
        assert 0 <= cycle.elapsed_business_s <= max(
            cycle.elapsed_calendar_s, 0
        ) or (cycle.basis == "business")
        if cycle.breached_at_s is not None:
            assert (
                cycle.metric,
                cycle.number,
                cycle.breached_at_s,
            ) in breaches
            assert cycle.breached_at_s <= at_s
        if cycle.target_s is not None and cycle.breached_at_s is None:
            assert (
                cycle.remaining_s
                == cycle.target_s - cycle.elapsed_business_s
                > 0
            )
    assert all(e.at_s <= at_s for e in report.ledger)
    stamps = [e.at_s for e in report.ledger]
    assert stamps == sorted(stamps)


def _generic(engine: sc.SLAEngine) -> sc.SLAEngine:
    """Return *engine* with the built-in metrics as metrics from elsewhere."""
    copies = [
        attrs.evolve(metric, description=f"{metric.description} (copy)")
        for metric in sc.sla.BUILTIN_METRICS
    ]
    return sc.SLAEngine(
        engine.policies, calendars={"office": OFFICE}, metrics=copies
    )


GENERIC = {name: _generic(engine) for name, engine in ENGINES.items()}


@settings(max_examples=200)
@given(case=cases(), engine=st.sampled_from(sorted(ENGINES)), data=st.data())
def test_built_in_clocks_match_their_predicates(case, engine, data):
    """The walk's fast path for built-in metrics does what their predicates say."""
    at = data.draw(moments(case))
    fast = ENGINES[engine].evaluate_s(case, at)
    generic = GENERIC[engine].evaluate_s(case, at)
    assert (fast.metrics, fast.ledger, fast.next_change_at_s, fast.policy) == (
        generic.metrics,
        generic.ledger,
        generic.next_change_at_s,
        generic.policy,
    )


TRACKED = [metric.name for metric in ENGINES["24x7"].tracked]


@settings(max_examples=150)
@given(
    case=cases(),
    engine=st.sampled_from(sorted(ENGINES)),
    some=st.sets(st.sampled_from(TRACKED)),
    data=st.data(),
)
def test_some_metrics_are_their_part_of_the_whole(case, engine, some, data):
    """Asking for some metrics gives their cycles, ledger and next change."""
    at = data.draw(moments(case))
    evaluate = ENGINES[engine].evaluate_s
    whole = evaluate(case, at)
    part = evaluate(case, at, metrics=some)
    alone = [evaluate(case, at, metrics=[name]) for name in some]
    assert (part.metrics, part.ledger, part.policy) == (
        {name: whole.metrics[name] for name in TRACKED if name in some},
        tuple(entry for entry in whole.ledger if entry.metric in some),
        whole.policy,
    )
    changes = [r.next_change_at_s for r in alone if r.next_change_at_s]
    assert part.next_change_at_s == min(changes, default=None)
    if some == set(TRACKED):
        assert part.next_change_at_s == whole.next_change_at_s
