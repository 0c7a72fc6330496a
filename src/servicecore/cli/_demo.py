"""``servicecore demo``: servicecore on generated example data."""

from __future__ import annotations

import argparse
from typing import Any

from servicecore._examples import generate_cases
from servicecore._time import format_duration, from_epoch, get_timezone
from servicecore.models import (
    Assigned,
    Case,
    CaseCreated,
    CaseEvent,
    EscalationFired,
    FieldChanged,
    MessageAdded,
    PriorityChanged,
    StatusChanged,
    SurveyReceived,
    TagsChanged,
)

_BODY_WIDTH = 60


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo", help="show servicecore at work on generated example cases"
    )
    parser.add_argument("--cases", type=int, default=3, help="cases to show")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print a few generated cases: customer, timeline and derived state."""
    cases = generate_cases(max(args.cases, 0), seed=args.seed)
    print(f"servicecore demo: {len(cases)} generated cases (seed {args.seed})")
    for case in cases:
        print()
        print("\n".join(describe(case)))
    return 0


def describe(case: Case) -> list[str]:
    """Return the lines that show *case*: who, a timeline, the state."""
    customer = case.customer
    tz = get_timezone(customer.time_zone)
    created = case.events[0]
    assert isinstance(created, CaseCreated)  # noqa: S101 - Case guarantees it
    contact = f" <{customer.email}>" if customer.email else ""
    tags = (
        f", tags {', '.join(sorted(customer.tags))}" if customer.tags else ""
    )
    who = customer.name or customer.id
    lines = [
        f"Case {case.id}: {case.subject}",
        (
            f"  customer  {who}{contact}, {customer.locale}, "
            f"{customer.time_zone}, {customer.tier}{tags}"
        ),
        (
            f"  channel   {case.channel.value}, "
            f"priority {created.priority.value} at creation"
        ),
        f"  timeline  (the customer's time, {customer.time_zone})",
    ]
    for event in case.events:
        when = from_epoch(event.at_s, tz).strftime("%a %Y-%m-%d %H:%M")
        lines.append(f"    {when}  {_event_line(event)}")
    state = case.state_at_s(case.events[-1].at_s)
    if state.first_agent_reply_at_s is None:
        first = "no agent reply yet"
    else:
        wait = state.first_agent_reply_at_s - state.created_at_s
        first = f"first reply after {format_duration(wait)}"
    assignee = " / ".join(
        part for part in (state.assignee_id, state.team_id) if part
    )
    fields = ", ".join(f"{k}={v}" for k, v in sorted(state.fields.items()))
    lines += [
        "  state at the last event",
        (
            f"    {state.status.value}, priority {state.priority.value}, "
            f"assigned to {assignee or 'nobody'}"
        ),
        (
            f"    {first}; reopened {state.reopen_count}x; "
            f"messages {state.message_count}: "
            f"{state.customer_message_count} from the customer, "
            f"{state.agent_message_count} agent replies, "
            f"{state.note_count} internal notes"
        ),
        (
            f"    tags {', '.join(sorted(state.tags)) or '-'}; "
            f"fields {fields or '-'}"
        ),
    ]
    return lines


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _BODY_WIDTH:
        return text
    return text[: _BODY_WIDTH - 3] + "..."


def _event_line(event: CaseEvent) -> str:  # noqa: PLR0911 - one per kind
    if isinstance(event, CaseCreated):
        tags = ", ".join(sorted(event.tags))
        return f"created        priority {event.priority.value}, tags {tags}"
    if isinstance(event, MessageAdded):
        m = event.interaction
        arrow = "<-" if m.direction.value == "inbound" else "->"
        what = "note" if not m.public else "message"
        who = m.author_kind.value + (f" {m.author_id}" if m.author_id else "")
        return f"{what:<14} {arrow} {who}: {_clip(m.body)!r}"
    if isinstance(event, StatusChanged):
        return f"status         {event.status.value}"
    if isinstance(event, PriorityChanged):
        return f"priority       {event.priority.value}"
    if isinstance(event, Assigned):
        who = " / ".join(p for p in (event.agent_id, event.team_id) if p)
        return f"assigned       {who or 'nobody'}"
    if isinstance(event, TagsChanged):
        changes = [f"+{t}" for t in sorted(event.added)]
        changes += [f"-{t}" for t in sorted(event.removed)]
        return f"tags           {' '.join(changes)}"
    if isinstance(event, FieldChanged):
        return f"field          {event.name} = {event.value!r}"
    if isinstance(event, SurveyReceived):
        r = event.response
        comment = f" {_clip(r.comment)!r}" if r.comment else ""
        return (
            f"survey         {r.kind.value} {r.score}/{r.scale_max}{comment}"
        )
    assert isinstance(event, EscalationFired)  # noqa: S101 - the last kind
    return f"escalation     {event.policy} level {event.level}" + (
        f" ({event.metric})" if event.metric else ""
    )
