"""Properties: idempotence, next_check_at, simulate == decide in turn."""

from __future__ import annotations

import pendulum
from escalation_helpers import MONDAY, office
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

SLA = sc.SLAEngine(
    [
        sc.sla.SLAPolicy(
            name="biz",
            calendar=office(),
            # The same hours in each customer's zone: the engine must count
            # thresholds in the clock the SLA engine used.
            zone="customer",
            targets={
                priority: {
                    "first_reply": "2h",
                    "next_reply": "3h",
                    "resolution": "2d",
                }
                for priority in ("low", "normal", "high", "urgent")
            },
            metrics={"resolution": {"basis": "calendar"}},
        )
    ]
)


def _level(trigger: object) -> sc.escalation.EscalationLevel:
    return sc.escalation.EscalationLevel(
        name=repr(trigger),
        trigger=trigger,  # type: ignore[arg-type]
        actions=[sc.escalation.NotifyAction(to="lead", quiet_hours=office())],
    )


POLICIES = [
    sc.escalation.EscalationPolicy(
        name="sla",
        levels=[
            _level(
                sc.escalation.ThresholdTrigger(
                    metric="first_reply", threshold=0.5
                )
            ),
            _level(sc.escalation.BreachTrigger(metric="first_reply")),
            _level(
                sc.escalation.ThresholdTrigger(
                    metric="next_reply", threshold="30m"
                )
            ),
            _level(sc.escalation.BreachTrigger(metric="next_reply")),
            _level(
                sc.escalation.ThresholdTrigger(
                    metric="resolution", threshold=0.9
                )
            ),
        ],
    ),
    sc.escalation.EscalationPolicy(
        name="waiting",
        calendar=office(),
        levels=[
            _level(
                sc.escalation.ElapsedTrigger(
                    since="unanswered_customer_message", after="1h"
                )
            ),
            _level(
                sc.escalation.ElapsedTrigger(
                    since="last_agent_reply", after="5h"
                )
            ),
            _level(
                sc.escalation.ElapsedTrigger(
                    since="last_agent_reply",
                    after="3h",
                    pause=["pending", "solved"],
                )
            ),
            _level(
                sc.escalation.ElapsedTrigger(
                    since="created", after="1d", calendar="24x7", pause="open"
                )
            ),
            _level(
                sc.escalation.ElapsedTrigger(
                    since="status", status="pending", after="1d"
                )
            ),
        ],
    ),
    sc.escalation.EscalationPolicy(
        name="conditions",
        scope="case",
        levels=[
            _level(
                sc.escalation.ConditionTrigger(
                    when={
                        "field": "case.reopen_count",
                        "op": "gte",
                        "value": 1,
                    }
                )
            ),
            _level(
                sc.escalation.ConditionTrigger(
                    when={"field": "case.age", "op": "gte", "value": "20h"},
                    check_every="2h",
                )
            ),
        ],
    ),
]
ENGINE = sc.EscalationEngine(POLICIES, sla=SLA)

STEP = st.tuples(
    st.sampled_from(["customer", "agent", "status", "priority"]),
    st.sampled_from([0, 1, 17, 45, 90, 240, 600, 1500]),
    st.integers(0, 5),
)


@st.composite
def cases(draw: st.DrawFn) -> sc.Case:
    """A random, valid case history."""
    start = MONDAY.add(minutes=draw(st.integers(0, 5 * 24 * 60)))
    zone = draw(st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata"]))
    events: list[object] = [sc.CaseCreated(case_id="c", at=start)]
    at = start
    status = "new"
    for n, (kind, gap, pick) in enumerate(draw(st.lists(STEP, max_size=10))):
        at = at.add(minutes=gap)
        if kind in {"customer", "agent"}:
            events.append(
                sc.MessageAdded(
                    case_id="c",
                    interaction=sc.Interaction(
                        id=f"m{n}",
                        channel="email",
                        direction="inbound"
                        if kind == "customer"
                        else "outbound",
                        author_kind=kind,
                        at=at,
                    ),
                )
            )
        elif kind == "status":
            choices = [
                s for s in ("open", "pending", "solved", "open") if s != status
            ]
            status = choices[pick % len(choices)]
            events.append(sc.StatusChanged(case_id="c", at=at, status=status))
        else:
            events.append(
                sc.PriorityChanged(
                    case_id="c", at=at, priority=list(sc.Priority)[pick % 4]
                )
            )
    return sc.Case(
        id="c",
        customer=sc.Customer(id="u", time_zone=zone),
        channel="email",
        events=events,
    )


def _upto(case: sc.Case, at_s: int) -> sc.Case:
    return sc.Case(
        id=case.id,
        customer=case.customer,
        channel=case.channel,
        events=[e for e in case.events if e.at_s <= at_s],
    )


def _record(case: sc.Case, check: sc.escalation.EscalationCheck) -> sc.Case:
    for decision in check.decisions:
        case = case.append(decision.to_event())
    return case


def _moment(case: sc.Case, offset: int) -> int:
    return case.events[0].at_s + offset


@settings(max_examples=40)
@given(case=cases(), offset=st.integers(0, 4 * 24 * 3600))
def test_decide_is_idempotent_given_recorded_events(
    case: sc.Case, offset: int
) -> None:
    """Asking again gives the same; once recorded, nothing comes back."""
    at = _moment(case, offset)
    case = _upto(case, at)
    check = ENGINE.decide_s(case, at)
    assert ENGINE.decide_s(case, at) == check
    recorded = _record(case, check)
    again = ENGINE.decide_s(recorded, at)
    assert again.decisions == ()
    assert again.next_check_at_s == check.next_check_at_s
    keys = [d.dedupe_key for d in check.decisions]
    assert len(keys) == len(set(keys))


@settings(max_examples=40)
@given(case=cases(), offset=st.integers(0, 4 * 24 * 3600), data=st.data())
def test_nothing_fires_before_next_check_at(
    case: sc.Case, offset: int, data: st.DataObject
) -> None:
    """Without new events, nothing is due strictly before next_check_at."""
    at = _moment(case, offset)
    case = _record(_upto(case, at), ENGINE.decide_s(_upto(case, at), at))
    wake = ENGINE.decide_s(case, at).next_check_at_s
    end = at + 3 * 24 * 3600 if wake is None else wake - 1
    if end <= at:
        return
    later = data.draw(st.integers(at + 1, end))
    assert ENGINE.decide_s(case, later).decisions == ()
    if wake is not None:
        assert wake > at


@settings(max_examples=25)
@given(case=cases())
def test_simulate_agrees_with_decide_in_turn(case: sc.Case) -> None:
    """simulate() lists what deciding at each event and wake-up gives."""
    until = case.events[-1].at_s + 3 * 24 * 3600
    times = sorted({e.at_s for e in case.events})
    current = _upto(case, times[0])
    found = []
    t: int | None = times[0]
    while t is not None and t <= until:
        view = sc.Case(
            id=case.id,
            customer=case.customer,
            channel=case.channel,
            events=sorted(
                [e for e in case.events if e.at_s <= t]
                + [
                    e
                    for e in current.events
                    if isinstance(e, sc.EscalationFired)
                ],
                key=lambda e: e.at_s,
            ),
        )
        check = ENGINE.decide_s(view, t)
        found.extend(check.decisions)
        current = _record(view, check)
        candidates = [x for x in times if x > t]
        if check.next_check_at_s is not None:
            candidates.append(check.next_check_at_s)
        t = min(candidates, default=None)
    simulated = sc.escalation.simulate(
        case, ENGINE, pendulum.from_timestamp(until)
    )
    assert simulated == tuple(found)


@settings(max_examples=40)
@given(case=cases(), offset=st.integers(0, 4 * 24 * 3600))
def test_a_given_sla_report_decides_the_same(
    case: sc.Case, offset: int
) -> None:
    """Deciding with the host's SLA report gives what evaluating it gives."""
    at = _moment(case, offset)
    case = _upto(case, at)
    report = SLA.evaluate_s(case, at)
    given_report = ENGINE.decide_s(case, at, sla_report=report)
    assert given_report == ENGINE.decide_s(case, at)
    assert [dict(d.values) for d in given_report.decisions] == [
        dict(d.values) for d in ENGINE.decide_s(case, at).decisions
    ]
