"""``servicecore demo``: servicecore on generated example data."""

from __future__ import annotations

import argparse
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

import servicecore
from servicecore._examples import generate_cases
from servicecore._time import format_duration, from_epoch, get_timezone
from servicecore.cli._options import count, plural
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
    write_cases,
)

_BODY_WIDTH = 60


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo", help="show servicecore at work on generated example cases"
    )
    parser.add_argument(
        "--cases",
        type=count(0, 1_000),
        default=3,
        help="cases to show, up to 1,000 (default 3)",
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument(
        "--population",
        type=count(1, 100_000),
        default=1_000,
        help="generated cases behind the SLA and feedback reports, "
        "up to 100,000 (default 1,000)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print a few generated cases: customer, timeline and derived state."""
    cases = generate_cases(args.cases, seed=args.seed)
    shown = plural(len(cases), "generated case")
    print(f"servicecore demo: {shown} (seed {args.seed})")
    for case in cases:
        print()
        print("\n".join(describe(case)))
    _reports(cases, population=args.population, seed=args.seed)
    return 0


def example_file(relative: str) -> Path:
    """
    Return the shipped example file *relative* to ``examples/``.

    A wheel carries the examples as package data; an editable install
    reads them from the checkout.
    """
    packaged = resources.files(servicecore) / "_examples_data" / relative
    if packaged.is_file():
        return Path(str(packaged))
    return (
        Path(servicecore.__file__).resolve().parents[2] / "examples" / relative
    )


def _heading(text: str) -> None:
    print()
    print(f"== {text}")
    print()


def _reports(shown: list[Case], *, population: int, seed: int) -> None:
    """Print SLA, feedback and personalization results of generated cases."""
    # Imported here: the demo is the only command that needs all of them.
    from servicecore.cli import main  # noqa: PLC0415
    from servicecore.personalization import Personalizer  # noqa: PLC0415
    from servicecore.sla import SLAEngine, SLAPolicySet  # noqa: PLC0415

    policies = example_file("policies/support.toml")
    engine = SLAEngine(SLAPolicySet.load(policies))
    case = shown[-1] if shown else generate_cases(1, seed=seed)[0]
    last = case.events[-1].at
    _heading(f"SLA clocks of {case.id} at its last event ({policies.name})")
    print(engine.evaluate(case, at=last).summary())

    cases = generate_cases(population, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        write_cases(cases, path)
        at = max(c.events[-1].at_s for c in cases)
        _heading(f"SLA compliance of {plural(population, 'generated case')}")
        report = engine.compliance(cases, from_epoch(at))
        print(report.to_text(("all", "priority")))
        _heading(
            f"Feedback from the same {plural(population, 'case')}, by channel"
        )
        main(["feedback", "report", "--cases", str(path), "--by", "channel"])

    rules = Personalizer.load(example_file("personalization/rules.toml"))
    customer = case.customer
    _heading(f"One customer, two locales ({customer.name})")
    for locale in (
        customer.locale,
        "de_CH" if customer.locale != "de_CH" else "fr_FR",
    ):
        person = attrs.evolve(customer, locale=locale)
        profile = rules.personalize(person, case, at=last)
        message = rules.render(
            profile,
            "acknowledgement",
            at=last,
            reply_by=last.add(hours=4),
        )
        print(f"[{locale}]")
        print(message.text)
        print()


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
            f"{plural(state.agent_message_count, 'agent reply', 'agent replies')}, "
            f"{plural(state.note_count, 'internal note')}"
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
