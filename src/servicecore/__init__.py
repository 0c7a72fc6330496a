"""
servicecore: the rules of good customer service, as a library.

Typed models of customers, interactions and cases; business calendars with
exact business-time arithmetic; one condition language; SLA clocks,
escalations, personalization and feedback scoring.

``import servicecore as sc`` reaches what a user needs in the first hour
(``sc.Case``, ``sc.BusinessCalendar``, ``sc.SLAEngine``, ...). Families of
names live in public namespaces: ``sc.models``, ``sc.calendar``,
``sc.conditions``, ``sc.sla``, ``sc.escalation``, ``sc.personalization``,
``sc.feedback``, ``sc.plugins`` and ``sc.errors``. The ``__all__`` of this
package and of each namespace is the contract.

Names and namespaces load on first use (PEP 562), so ``import
servicecore`` costs little more than importing its dependencies.
"""

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0.dev0"

if TYPE_CHECKING:
    from servicecore import (
        calendar as calendar,
    )
    from servicecore import (
        conditions as conditions,
    )
    from servicecore import (
        errors as errors,
    )
    from servicecore import (
        escalation as escalation,
    )
    from servicecore import (
        feedback as feedback,
    )
    from servicecore import (
        models as models,
    )
    from servicecore import (
        personalization as personalization,
    )
    from servicecore import (
        plugins as plugins,
    )
    from servicecore import (
        sla as sla,
    )
    from servicecore._examples import (
        generate_cases,
    )
    from servicecore._time import (
        format_duration,
        parse_duration,
    )
    from servicecore.calendar import (
        BusinessCalendar,
    )
    from servicecore.conditions import (
        Condition,
        EvaluationContext,
    )
    from servicecore.config import (
        SCHEMA_VERSION,
        PolicyDocument,
        load_policies,
    )
    from servicecore.errors import (
        ServiceCoreError,
    )
    from servicecore.escalation import (
        EscalationEngine,
        EscalationPolicySet,
    )
    from servicecore.models import (
        Agent,
        Assigned,
        AuthorKind,
        Case,
        CaseCreated,
        CaseEvent,
        CaseState,
        CaseStatus,
        Channel,
        Customer,
        Direction,
        EscalationFired,
        EventKind,
        FieldChanged,
        Interaction,
        MessageAdded,
        Priority,
        PriorityChanged,
        StatusChanged,
        SurveyKind,
        SurveyReceived,
        SurveyResponse,
        TagsChanged,
        Team,
        from_dict,
        read_cases,
        to_dict,
        write_cases,
    )
    from servicecore.personalization import (
        Personalizer,
    )
    from servicecore.plugins import (
        Registry,
        plugin,
    )
    from servicecore.sla import (
        SLAEngine,
        SLAPolicySet,
        SLAReport,
    )

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_api.py checks
    "Agent",
    "Assigned",
    "AuthorKind",
    "BusinessCalendar",
    "Case",
    "CaseCreated",
    "CaseEvent",
    "CaseState",
    "CaseStatus",
    "Channel",
    "Condition",
    "Customer",
    "Direction",
    "EscalationEngine",
    "EscalationFired",
    "EscalationPolicySet",
    "EvaluationContext",
    "EventKind",
    "FieldChanged",
    "Interaction",
    "MessageAdded",
    "Personalizer",
    "PolicyDocument",
    "Priority",
    "PriorityChanged",
    "Registry",
    "SCHEMA_VERSION",
    "SLAEngine",
    "SLAPolicySet",
    "SLAReport",
    "ServiceCoreError",
    "StatusChanged",
    "SurveyKind",
    "SurveyReceived",
    "SurveyResponse",
    "TagsChanged",
    "Team",
    "format_duration",
    "from_dict",
    "generate_cases",
    "load_policies",
    "parse_duration",
    "plugin",
    "read_cases",
    "to_dict",
    "write_cases",
]

#: The public namespaces, imported on first use.
_NAMESPACES = frozenset(
    {
        "calendar",
        "conditions",
        "errors",
        "escalation",
        "feedback",
        "models",
        "personalization",
        "plugins",
        "sla",
    }
)

#: Where each name of ``__all__`` is defined, imported on first use.
_HOMES = {
    "Agent": "servicecore.models",
    "Assigned": "servicecore.models",
    "AuthorKind": "servicecore.models",
    "BusinessCalendar": "servicecore.calendar",
    "Case": "servicecore.models",
    "CaseCreated": "servicecore.models",
    "CaseEvent": "servicecore.models",
    "CaseState": "servicecore.models",
    "CaseStatus": "servicecore.models",
    "Channel": "servicecore.models",
    "Condition": "servicecore.conditions",
    "Customer": "servicecore.models",
    "Direction": "servicecore.models",
    "EscalationEngine": "servicecore.escalation",
    "EscalationFired": "servicecore.models",
    "EscalationPolicySet": "servicecore.escalation",
    "EvaluationContext": "servicecore.conditions",
    "EventKind": "servicecore.models",
    "FieldChanged": "servicecore.models",
    "Interaction": "servicecore.models",
    "MessageAdded": "servicecore.models",
    "Personalizer": "servicecore.personalization",
    "PolicyDocument": "servicecore.config",
    "Priority": "servicecore.models",
    "PriorityChanged": "servicecore.models",
    "Registry": "servicecore.plugins",
    "SCHEMA_VERSION": "servicecore.config",
    "SLAEngine": "servicecore.sla",
    "SLAPolicySet": "servicecore.sla",
    "SLAReport": "servicecore.sla",
    "ServiceCoreError": "servicecore.errors",
    "StatusChanged": "servicecore.models",
    "SurveyKind": "servicecore.models",
    "SurveyReceived": "servicecore.models",
    "SurveyResponse": "servicecore.models",
    "TagsChanged": "servicecore.models",
    "Team": "servicecore.models",
    "format_duration": "servicecore._time",
    "from_dict": "servicecore.models",
    "generate_cases": "servicecore._examples",
    "load_policies": "servicecore.config",
    "parse_duration": "servicecore._time",
    "plugin": "servicecore.plugins",
    "read_cases": "servicecore.models",
    "to_dict": "servicecore.models",
    "write_cases": "servicecore.models",
}


def __getattr__(name: str) -> object:
    """Import a public name or namespace when it is first used."""
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
    elif name in _NAMESPACES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        message = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(message)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names and namespaces, loaded or not."""
    return sorted({*globals(), *__all__, *_NAMESPACES})
