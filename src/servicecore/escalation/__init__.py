"""
Escalation: policies of levels that fire once, and the engine that decides.

``EscalationEngine(policies, sla=...).decide(case, at)`` returns the levels
due for a case at a moment (each with its policy, actions, reason and a
dedupe key) and ``next_check_at``, the next moment anything could become
due. The engine never performs an action; the host does, and records each
decision as an ``EscalationFired`` event so that it is never returned
again. :func:`simulate` replays a case's history against policies.
"""

from servicecore.escalation._actions import (
    AssignAction,
    CustomerMessageAction,
    EscalationActionType,
    NotifyAction,
    PlannedAction,
    PluginAction,
    PriorityAction,
    RecipientKind,
    TagAction,
    install_kind,
)
from servicecore.escalation._engine import (
    EscalationCheck,
    EscalationDecision,
    EscalationEngine,
    simulate,
)
from servicecore.escalation._policy import (
    EscalationLevel,
    EscalationPolicy,
    EscalationPolicySet,
    EscalationScope,
)
from servicecore.escalation._triggers import (
    BreachTrigger,
    ConditionTrigger,
    ElapsedSince,
    ElapsedTrigger,
    ThresholdTrigger,
)

install_kind()

__all__ = [
    "AssignAction",
    "BreachTrigger",
    "ConditionTrigger",
    "CustomerMessageAction",
    "ElapsedSince",
    "ElapsedTrigger",
    "EscalationActionType",
    "EscalationCheck",
    "EscalationDecision",
    "EscalationEngine",
    "EscalationLevel",
    "EscalationPolicy",
    "EscalationPolicySet",
    "EscalationScope",
    "NotifyAction",
    "PlannedAction",
    "PluginAction",
    "PriorityAction",
    "RecipientKind",
    "TagAction",
    "ThresholdTrigger",
    "simulate",
]
