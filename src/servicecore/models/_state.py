"""The derived state of a case at a moment."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.models._enums import CaseStatus, Priority
from servicecore.models._interaction import Interaction
from servicecore.models._mapping import EMPTY
from servicecore.models._validate import FieldValue, to_fields

__all__ = ["CaseState"]


def _dt(seconds: int | None) -> pendulum.DateTime | None:
    return None if seconds is None else from_epoch(seconds)


@attrs.frozen(kw_only=True)
class CaseState:
    """
    What a case's event log says at one moment (see :meth:`Case.state_at`).

    Moments are epoch seconds in the ``*_s`` fields, with a ``DateTime``
    property (UTC) of the same name without the suffix. An *agent reply*
    is a public outbound message by an agent; a *customer message* a public
    inbound message by the customer.

    >>> t0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")
    >>> case = sc.Case(id="case-1", customer=sc.Customer(id="c-1"), channel="email",
    ...                events=[sc.CaseCreated(case_id="case-1", at=t0)])
    >>> state = case.state_at(t0)
    >>> state.status, state.priority
    (<CaseStatus.NEW: 'new'>, <Priority.NORMAL: 'normal'>)
    >>> state.created_at
    DateTime(2024, 3, 1, 9, 0, 0, tzinfo=Timezone('UTC'))

    Attributes:
        status: The status.
        priority: The priority.
        assignee_id: The assigned agent, or None.
        team_id: The assigned team, or None.
        tags: The tags.
        fields: The custom fields (read-only mapping).
        created_at_s: When the case was created.
        first_agent_reply_at_s: The first agent reply, or None.
        last_customer_message_at_s: The latest customer message, or None.
        last_agent_reply_at_s: The latest agent reply, or None.
        solved_at_s: When the case was last solved, while it is solved or
            closed after being solved; None otherwise (a reopen clears it).
        closed_at_s: When the case was closed, or None.
        reopen_count: How often the case left ``solved`` for anything but
            ``closed``.
        message_count: Messages of every kind, public and internal.
        customer_message_count: Customer messages.
        agent_message_count: Agent replies.
        note_count: Internal notes (non-public messages).
        last_interaction: The latest message of any kind, or None.
    """

    status: CaseStatus
    priority: Priority
    assignee_id: str | None = None
    team_id: str | None = None
    tags: frozenset[str] = frozenset()
    fields: Mapping[str, FieldValue] = attrs.field(
        default=EMPTY, converter=to_fields
    )
    created_at_s: int
    first_agent_reply_at_s: int | None = None
    last_customer_message_at_s: int | None = None
    last_agent_reply_at_s: int | None = None
    solved_at_s: int | None = None
    closed_at_s: int | None = None
    reopen_count: int = 0
    message_count: int = 0
    customer_message_count: int = 0
    agent_message_count: int = 0
    note_count: int = 0
    last_interaction: Interaction | None = None

    @property
    def created_at(self) -> pendulum.DateTime:
        """When the case was created, in UTC."""
        return from_epoch(self.created_at_s)

    @property
    def first_agent_reply_at(self) -> pendulum.DateTime | None:
        """The first agent reply, in UTC, or None."""
        return _dt(self.first_agent_reply_at_s)

    @property
    def last_customer_message_at(self) -> pendulum.DateTime | None:
        """The latest customer message, in UTC, or None."""
        return _dt(self.last_customer_message_at_s)

    @property
    def last_agent_reply_at(self) -> pendulum.DateTime | None:
        """The latest agent reply, in UTC, or None."""
        return _dt(self.last_agent_reply_at_s)

    @property
    def solved_at(self) -> pendulum.DateTime | None:
        """When the case was last solved, in UTC, or None."""
        return _dt(self.solved_at_s)

    @property
    def closed_at(self) -> pendulum.DateTime | None:
        """When the case was closed, in UTC, or None."""
        return _dt(self.closed_at_s)
