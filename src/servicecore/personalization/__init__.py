"""
Personalization rules, customer profiles and locale-aware messages.

Rules shape a customer's profile; messages render in the customer's locale
and time zone.

The public names are re-exported by ``servicecore``; the modules here are
private.
"""

from servicecore.personalization._attributes import ProfileAttribute
from servicecore.personalization._catalogs import MessageCatalog
from servicecore.personalization._contact import (
    ContactWindow,
    next_contact_time,
)
from servicecore.personalization._messages import (
    MessageTemplate,
    RenderedMessage,
)
from servicecore.personalization._profile import (
    AttributeSource,
    CustomerHistory,
    Profile,
)
from servicecore.personalization._rules import (
    PersonalizationRule,
    Personalizer,
)

__all__ = [
    "AttributeSource",
    "ContactWindow",
    "CustomerHistory",
    "MessageCatalog",
    "MessageTemplate",
    "PersonalizationRule",
    "Personalizer",
    "Profile",
    "ProfileAttribute",
    "RenderedMessage",
    "next_contact_time",
]
