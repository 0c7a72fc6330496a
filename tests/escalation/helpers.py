"""Helpers of the escalation tests: a case builder, SLA and calendars."""

from __future__ import annotations

import itertools
from typing import Any

import pendulum

import servicecore as sc

#: Monday 4 March 2024, 09:00 UTC: the start of most stories.
MONDAY = pendulum.datetime(2024, 3, 4, 9, tz="UTC")

_ids = itertools.count()


class Story:
    """Builds a case event by event; moments are offsets from the start."""

    def __init__(
        self,
        *,
        priority: str = "normal",
        tier: str = "standard",
        case_id: str = "c-1",
        start: pendulum.DateTime = MONDAY,
    ) -> None:
        self.start = start
        self.case_id = case_id
        self.customer = sc.Customer(id="cu-1", tier=tier)
        self.events: list[Any] = [
            sc.CaseCreated(
                case_id=case_id, at=start, priority=sc.Priority(priority)
            )
        ]

    def t(self, when: str) -> pendulum.DateTime:
        """Return the moment *when*, an offset such as ``"1h30m"``."""
        if when == "0":
            return self.start
        return self.start + sc.parse_duration(when)

    def s(self, when: str) -> int:
        """Return the moment *when* in epoch seconds."""
        return int(self.t(when).timestamp())

    def _message(self, when: str, direction: str, author: str) -> Story:
        self.events.append(
            sc.MessageAdded(
                case_id=self.case_id,
                interaction=sc.Interaction(
                    id=f"i-{next(_ids)}",
                    channel="email",
                    direction=direction,
                    author_kind=author,
                    at=self.t(when),
                ),
            )
        )
        return self

    def customer_says(self, when: str) -> Story:
        """Add a public message by the customer."""
        return self._message(when, "inbound", "customer")

    def agent_says(self, when: str) -> Story:
        """Add a public reply by an agent."""
        return self._message(when, "outbound", "agent")

    def status(self, when: str, status: str) -> Story:
        """Change the status."""
        self.events.append(
            sc.StatusChanged(
                case_id=self.case_id, at=self.t(when), status=status
            )
        )
        return self

    def case(self) -> sc.Case:
        """Return the case built so far."""
        return sc.Case(
            id=self.case_id,
            customer=self.customer,
            channel="email",
            events=tuple(self.events),
        )


def sla_engine(**targets: str) -> sc.SLAEngine:
    """Return an SLA engine with normal-priority targets in 24x7 time."""
    return sc.SLAEngine(
        [
            sc.sla.SLAPolicy(
                name="standard",
                targets={"normal": targets, "urgent": targets},
            )
        ]
    )


def level(
    trigger: Any, *actions: Any, name: str = "l"
) -> sc.escalation.EscalationLevel:
    """Return a level; a notification of ``lead`` when no action given."""
    return sc.escalation.EscalationLevel(
        trigger=trigger,
        actions=actions or (sc.escalation.NotifyAction(to="lead"),),
        name=name,
    )


def record(case: sc.Case, check: sc.escalation.EscalationCheck) -> sc.Case:
    """Return *case* with every decision of *check* recorded at its moment."""
    for decision in check.decisions:
        case = case.append(decision.to_event())
    return case


def office() -> sc.BusinessCalendar:
    """Monday to Friday, 09:00-17:00 UTC."""
    return sc.BusinessCalendar("UTC", {"mon-fri": "09:00-17:00"})
