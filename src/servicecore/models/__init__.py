"""
The models: customers, agents, teams, interactions, cases and their events.

All models are frozen, slotted, keyword-only attrs classes validated at
construction; moments are stored as integer epoch seconds (``at_s``) and
read as pendulum ``DateTime`` properties (``at``). A case is an event log
whose state at any moment is derived by :meth:`Case.state_at`.
"""

from servicecore.models._case import Case
from servicecore.models._enums import (
    AuthorKind,
    CaseStatus,
    Channel,
    Direction,
    EventKind,
    Priority,
    SurveyKind,
)
from servicecore.models._events import (
    Assigned,
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
from servicecore.models._interaction import Interaction
from servicecore.models._people import Agent, Customer, Team
from servicecore.models._serialize import (
    from_dict,
    read_cases,
    to_dict,
    write_cases,
)
from servicecore.models._state import CaseState
from servicecore.models._survey import SurveyResponse

__all__ = [
    "Agent",
    "Assigned",
    "AuthorKind",
    "Case",
    "CaseCreated",
    "CaseEvent",
    "CaseState",
    "CaseStatus",
    "Channel",
    "Customer",
    "Direction",
    "EscalationFired",
    "EventKind",
    "FieldChanged",
    "Interaction",
    "MessageAdded",
    "Priority",
    "PriorityChanged",
    "StatusChanged",
    "SurveyKind",
    "SurveyReceived",
    "SurveyResponse",
    "TagsChanged",
    "Team",
    "from_dict",
    "read_cases",
    "to_dict",
    "write_cases",
]
