"""Helpers of the SLA tests: a case builder and an engine factory."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pendulum
import pytest

import servicecore as sc

#: Monday 4 March 2024, 09:00 UTC: the start of most stories.
MONDAY = pendulum.datetime(2024, 3, 4, 9, tz="UTC")

_ids = itertools.count()


class Story:
    """Builds a case event by event; moments are offsets from the start."""

    def __init__(
        self,
        start: datetime = MONDAY,
        *,
        priority: str = "normal",
        tags: Iterable[str] = (),
        zone: str = "UTC",
        tier: str = "standard",
        case_id: str = "c-1",
        channel: str = "email",
    ) -> None:
        self.start = start
        self.case_id = case_id
        self.channel = channel
        self.customer = sc.Customer(id="cu-1", time_zone=zone, tier=tier)
        self.events: list[Any] = [
            sc.CaseCreated(
                case_id=case_id,
                at=start,
                priority=sc.Priority(priority),
                tags=frozenset(tags),
            )
        ]

    def t(self, when: str | datetime) -> pendulum.DateTime:
        """Return the moment *when*: an offset such as ``"1h30m"``."""
        if isinstance(when, datetime):
            return pendulum.instance(when)
        return self.start + sc.parse_duration(when)

    def s(self, when: str | datetime) -> int:
        """Return the moment *when* in epoch seconds."""
        return int(self.t(when).timestamp())

    def _message(
        self, when: str, direction: str, author: str, *, public: bool
    ) -> Story:
        interaction = sc.Interaction(
            id=f"i-{next(_ids)}",
            channel=sc.Channel(self.channel),
            direction=sc.Direction(direction),
            author_kind=sc.AuthorKind(author),
            at=self.t(when),
            public=public,
        )
        self.events.append(
            sc.MessageAdded(case_id=self.case_id, interaction=interaction)
        )
        return self

    def customer_says(self, when: str, *, public: bool = True) -> Story:
        """Add a message by the customer."""
        return self._message(when, "inbound", "customer", public=public)

    def agent_says(self, when: str, *, public: bool = True) -> Story:
        """Add a message by an agent to the customer (a note if private)."""
        return self._message(when, "outbound", "agent", public=public)

    def status(self, when: str, status: str) -> Story:
        """Change the status."""
        self.events.append(
            sc.StatusChanged(
                case_id=self.case_id,
                at=self.t(when),
                status=sc.CaseStatus(status),
            )
        )
        return self

    def priority(self, when: str, priority: str) -> Story:
        """Change the priority."""
        self.events.append(
            sc.PriorityChanged(
                case_id=self.case_id,
                at=self.t(when),
                priority=sc.Priority(priority),
            )
        )
        return self

    def tag(self, when: str, *added: str) -> Story:
        """Add tags."""
        self.events.append(
            sc.TagsChanged(
                case_id=self.case_id, at=self.t(when), added=frozenset(added)
            )
        )
        return self

    def case(self) -> sc.Case:
        """Return the case built so far."""
        return sc.Case(
            id=self.case_id,
            customer=self.customer,
            channel=sc.Channel(self.channel),
            events=tuple(self.events),
        )


def policy(
    targets: Mapping[str, Mapping[str, str]],
    *,
    name: str = "standard",
    **options: Any,
) -> sc.sla.SLAPolicy:
    """Return a policy with *targets* (priority -> metric -> duration)."""
    return sc.sla.SLAPolicy(name=name, targets=targets, **options)


def engine(*policies: sc.sla.SLAPolicy, **options: Any) -> sc.SLAEngine:
    """Return an engine of *policies*, in order."""
    return sc.SLAEngine(sc.SLAPolicySet(policies), **options)


class Helpers:
    """What the SLA tests share, as one fixture."""

    Story = Story
    MONDAY = MONDAY
    policy = staticmethod(policy)
    engine = staticmethod(engine)


@pytest.fixture(name="h", scope="session")
def _helpers() -> type[Helpers]:
    """Give tests the builder and factories."""
    return Helpers
