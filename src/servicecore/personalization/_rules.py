"""
Personalization rules: ordered conditions with effects on a profile.

A rule set is the ``personalization`` section of a policy document::

    schema_version = 1

    [[personalization.rules]]
    name = "german"
    when = {field = "customer.language", op = "is", value = "de"}
    set = {tone = "formal"}

    [[personalization.rules]]
    name = "vip"
    when = {field = "customer.tier", op = "is", value = "vip"}
    set = {queue = "vip", priority_boost = 1, contact_window = "08:00-21:00"}
    final = true

Rules run in order; every rule whose condition holds applies its effects,
so a later rule overrides an earlier one, attribute by attribute. A rule
marked ``final`` stops later rules from changing the attributes *it* set
(other attributes stay open). The whole section is checked when it loads and
every problem is reported together, each with its path.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final

import attrs
import pendulum

from servicecore._problems import add_error, join, raise_all
from servicecore._time import to_epoch
from servicecore.conditions._compile import Condition
from servicecore.conditions._context import EvaluationContext
from servicecore.config import (
    PolicyDocument,
    load_policies,
    register_section,
    section_table,
)
from servicecore.errors import (
    PolicyError,
    PolicySyntaxError,
    TemplateError,
    did_you_mean,
)
from servicecore.personalization._attributes import (
    BUILTIN_ATTRIBUTES,
    ProfileAttribute,
    check_value,
    custom_attributes,
    known_names,
)
from servicecore.personalization._profile import (
    CustomerHistory,
    PersonalizationContext,
    Profile,
    _Trace,
    with_history_fields,
)

if TYPE_CHECKING:
    from servicecore.personalization._catalogs import MessageCatalog
    from servicecore.personalization._messages import RenderedMessage
    from servicecore.plugins import Registry

__all__ = ["PersonalizationRule", "Personalizer"]

SECTION: Final = "personalization"
_EMPTY: Final[Mapping[str, object]] = MappingProxyType({})
_FIELD_NAMES: Final = {"survey_suppression": "survey_suppression_s"}
#: Combinations of matched rules whose outcome a Personalizer keeps.
_RESOLVED_MAX: Final = 4096
#: Customers whose customer-only rule results a Personalizer keeps.
_HITS_MAX: Final = 65_536
#: Built-in fields that depend on the customer alone, never on the moment,
#: the case or the history.
_CUSTOMER_FIELDS: Final = frozenset(
    {
        "customer.id",
        "customer.email",
        "customer.tier",
        "customer.segment",
        "customer.tags",
        "customer.locale",
        "customer.language",
        "customer.time_zone",
        "customer.preferred_channel",
    }
)


@functools.cache
def _builtin_registry() -> Registry:
    from servicecore.plugins import Registry  # noqa: PLC0415

    return Registry()


def _customer_only(condition: Condition, registry: Registry) -> bool:
    """Return whether *condition* reads only built-in customer fields."""
    builtin = _builtin_registry()
    for name in condition.fields:
        if name not in _CUSTOMER_FIELDS and not name.startswith(
            "customer.attributes."
        ):
            return False
        try:
            if registry.field(name) is not builtin.field(name):
                return False  # replaced by a plugin: may read anything
        except PolicyError:
            return False
    return True


_EPOCH_ORDINAL: Final = 719_163  # date(1970, 1, 1).toordinal()


def _epoch(at: datetime) -> int:
    """Return *at* as epoch seconds; a fast path for UTC moments."""
    zone = getattr(at, "tzinfo", None)
    if (zone is pendulum.UTC or zone is UTC) and isinstance(at, datetime):
        # pendulum's utcoffset() costs microseconds; in UTC the wall time
        # is the answer (floored to the second, as to_epoch does).
        return (
            (at.toordinal() - _EPOCH_ORDINAL) * 86_400
            + at.hour * 3_600
            + at.minute * 60
            + at.second
        )
    return to_epoch(at, "at")


_RULE_KEYS: Final = ("name", "when", "set", "final", "description")
_CUSTOMER_ORIGIN: Final = MappingProxyType(
    {
        "name": "customer",
        "locale": "customer",
        "time_zone": "customer",
        "preferred_channel": "customer",
    }
)


@attrs.frozen(kw_only=True)
class PersonalizationRule:
    """
    One personalization rule: a condition and the attributes it sets.

    >>> rule = sc.personalization.PersonalizationRule.from_dict(
    ...     {"name": "night", "set": {"tone": "informal"},
    ...      "when": {"field": "customer.local_hour", "op": "gte", "value": 22}})
    >>> rule.name, dict(rule.effects), rule.final
    ('night', {'tone': 'informal'}, False)

    Attributes:
        name: Unique within its rule set; explanations name rules by it.
        when: The condition (always true when the rule has none).
        effects: Attribute name -> checked value, in document order;
            ``template.<purpose>`` names a template choice.
        final: Later rules cannot change the attributes this rule set.
        description: Free text for people.
        location: The rule's path in its document.
    """

    name: str
    when: Condition
    effects: Mapping[str, object]
    final: bool = False
    description: str = ""
    location: str = ""

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        registry: Registry | None = None,
        location: str = "rule",
    ) -> PersonalizationRule:
        """
        Check and build one rule from its document table.

        Args:
            data: ``{name, when, set, final, description}``.
            registry: Fields, operators and custom attributes; the
                built-in registry when ``None``.
            location: The rule's path, for errors.

        Returns:
            The rule.

        Raises:
            PolicyError: The rule is wrong; all problems together.
        """
        if registry is None:
            from servicecore.plugins import Registry  # noqa: PLC0415

            registry = Registry()
        errors: list[PolicyError] = []
        rule = _load_rule(
            data,
            location,
            with_history_fields(registry),
            custom_attributes(registry),
            errors,
        )
        raise_all(location, errors)
        assert rule is not None  # noqa: S101 - no errors, so a rule
        return rule


def _flatten_effects(
    data: Mapping[Any, Any], location: str
) -> list[tuple[str, str, object]]:
    """Return (name, location, value); ``template`` tables flatten."""
    found: list[tuple[str, str, object]] = []
    for key, value in data.items():
        name = str(key)
        where = join(location, name)
        if name == "template" and isinstance(value, Mapping):
            found.extend(
                (f"template.{k}", join(where, str(k)), v)
                for k, v in value.items()
            )
        else:
            found.append((name, where, value))
    return found


def _load_effects(
    data: object,
    location: str,
    custom: Mapping[str, ProfileAttribute],
    errors: list[PolicyError],
) -> dict[str, object]:
    if not isinstance(data, Mapping) or not data:
        errors.append(
            PolicySyntaxError(
                location,
                "expected a table of attributes to set, such as "
                "{tone = 'formal'}",
            )
        )
        return {}
    effects: dict[str, object] = {}
    for name, where, value in _flatten_effects(data, location):
        base = name.partition(".")[0]
        if (
            name == "template"
            or (base not in BUILTIN_ATTRIBUTES and name not in custom)
            or (base != "template" and "." in name)
        ):
            known = known_names(custom)
            errors.append(
                PolicySyntaxError(
                    where,
                    f"unknown attribute {name!r}{did_you_mean(name, known)}"
                    if name != "template"
                    else "template takes a table of purpose = template, "
                    "such as {acknowledgement = 'acknowledgement.vip'}",
                )
            )
            continue
        try:
            effects[name] = check_value(name, value, where, custom)
        except PolicyError as exc:
            add_error(errors, exc)
    return effects


def _load_rule(
    data: object,
    location: str,
    registry: Registry,
    custom: Mapping[str, ProfileAttribute],
    errors: list[PolicyError],
) -> PersonalizationRule | None:
    before = len(errors)
    data = section_table(
        data,
        location,
        _RULE_KEYS,
        errors,
        expected="a rule table {name, when, set}",
    )
    if data is None:
        return None
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(
            PolicySyntaxError(
                join(location, "name"),
                "every rule needs a non-empty name"
                if name is None
                else f"expected a name, got {name!r}",
            )
        )
    when = Condition.always()
    if "when" in data:
        try:
            when = Condition.from_dict(
                data["when"],
                registry=registry,
                location=join(location, "when"),
            )
        except PolicyError as exc:
            add_error(errors, exc)
    if "set" not in data:
        errors.append(PolicySyntaxError(location, "missing 'set'"))
        effects: dict[str, object] = {}
    else:
        effects = _load_effects(
            data["set"], join(location, "set"), custom, errors
        )
    final = data.get("final", False)
    if not isinstance(final, bool):
        errors.append(
            PolicySyntaxError(
                join(location, "final"),
                f"expected true or false, got {final!r}",
            )
        )
    description = data.get("description", "")
    if not isinstance(description, str):
        errors.append(
            PolicySyntaxError(
                join(location, "description"),
                f"expected text, got {description!r}",
            )
        )
    if len(errors) > before:
        return None
    assert isinstance(name, str)  # noqa: S101 - checked above
    return PersonalizationRule(
        name=name.strip(),
        when=when,
        effects=MappingProxyType(effects),
        final=bool(final),
        description=str(description),
        location=location,
    )


@attrs.frozen
class _LoadedSection:
    """The personalization section as loaded: rules and custom attributes."""

    rules: tuple[PersonalizationRule, ...]
    custom: Mapping[str, ProfileAttribute]
    registry: Registry | None = None


def _load_section(
    data: object,
    location: str,
    registry: Registry,
    errors: list[PolicyError],
) -> _LoadedSection:
    custom = custom_attributes(registry)
    data = section_table(
        data, location, ("rules",), errors, expected="a table with 'rules'"
    )
    if data is None:
        return _LoadedSection((), custom)
    raw = data.get("rules", [])
    where = join(location, "rules")
    if not isinstance(raw, list | tuple):
        errors.append(PolicySyntaxError(where, "expected a list of rules"))
        return _LoadedSection((), custom)
    registry = with_history_fields(registry)
    rules: list[PersonalizationRule] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(raw):
        rule_location = f"{where}[{i}]"
        rule = _load_rule(item, rule_location, registry, custom, errors)
        if rule is None:
            continue
        if rule.name in seen:
            errors.append(
                PolicySyntaxError(
                    join(rule_location, "name"),
                    f"rule name {rule.name!r} is already used by "
                    f"{seen[rule.name]}",
                )
            )
            continue
        seen[rule.name] = rule_location
        rules.append(rule)
    return _LoadedSection(tuple(rules), custom, registry)


#: The catalog the personalizer of a document being loaded is built with
#: (``None``: the shipped one): Personalizer's loaders pass theirs.
_CATALOG: ContextVar[MessageCatalog | None] = ContextVar(
    "servicecore_personalization_catalog", default=None
)


@contextlib.contextmanager
def _built_with(catalog: MessageCatalog | None) -> Iterator[None]:
    """Build the personalizer of documents loaded inside with *catalog*."""
    token = _CATALOG.set(catalog)
    try:
        yield
    finally:
        _CATALOG.reset(token)


def _build_personalizer(
    section: object,
    engines: Mapping[str, object | None],  # noqa: ARG001 - needs none
    registry: Registry,  # noqa: ARG001 - the section keeps its own
) -> Personalizer:
    """Build the personalizer a document's section feeds."""
    assert isinstance(section, _LoadedSection)  # noqa: S101 - our loader
    return Personalizer(
        section.rules,
        registry=section.registry,
        custom=section.custom,
        catalog=_CATALOG.get(),
    )


register_section(SECTION, _load_section, build=_build_personalizer)


def _default_catalog() -> MessageCatalog:
    from servicecore.personalization._catalogs import (  # noqa: PLC0415
        MessageCatalog,
    )

    return MessageCatalog.default()


class Personalizer:
    """
    A checked, compiled set of personalization rules.

    >>> rules = sc.Personalizer.from_toml('''
    ... schema_version = 1
    ... [[personalization.rules]]
    ... name = "german"
    ... when = {field = "customer.language", op = "is", value = "de"}
    ... set = {tone = "formal", contact_window = "08:00-20:00"}
    ... [[personalization.rules]]
    ... name = "chat"
    ... when = {field = "customer.preferred_channel", op = "is", value = "chat"}
    ... set = {tone = "informal"}
    ... ''')
    >>> customer = sc.Customer(id="c-1", name="Lena Meier", locale="de_CH",
    ...     time_zone="Europe/Zurich", preferred_channel="chat")
    >>> profile = rules.personalize(customer,
    ...     at=pendulum.datetime(2024, 3, 5, 9, tz="UTC"))
    >>> profile.tone, profile.locale, str(profile.contact_window)
    ('informal', 'de_CH', '08:00-20:00')
    >>> print(profile.source("tone"))
    tone = 'informal' by rule 'chat' (overrode 'german')

    Load rule sets with :meth:`from_dict`, :meth:`from_toml`,
    :meth:`from_json`, :meth:`load` or :meth:`from_document`; build one from
    :class:`PersonalizationRule` objects with the constructor.

    Args:
        rules: The rules, in order.
        registry: Where custom attributes (kind ``profile_attribute``) come
            from; the built-in registry when ``None``.
        catalog: The message catalog that ``greeting`` and ``template.*``
            effects must name templates of; the shipped one by default.

    Raises:
        TemplateError: A rule names a template the catalog does not have
            (all such problems together).
    """

    __slots__ = (
        "_apply",
        "_catalog",
        "_custom",
        "_dynamic",
        "_effects",
        "_finals",
        "_has_static",
        "_hits",
        "_names",
        "_predicates",
        "_resolved",
        "_rules",
        "_sets_custom",
        "_sets_template",
        "_static",
        "_trace_base",
    )

    def __init__(
        self,
        rules: Iterable[PersonalizationRule] = (),
        *,
        registry: Registry | None = None,
        catalog: MessageCatalog | None = None,
        custom: Mapping[str, ProfileAttribute] | None = None,
    ) -> None:
        checked = registry
        if custom is None:
            if registry is None:
                from servicecore.plugins import Registry  # noqa: PLC0415

                registry = Registry()
            custom = custom_attributes(registry)
        self._rules = tuple(rules)
        self._custom = MappingProxyType(dict(custom))
        self._catalog = catalog if catalog is not None else _default_catalog()
        self._check_templates()
        self._names = tuple(rule.name for rule in self._rules)
        self._predicates = tuple(
            (i, rule.when.predicate) for i, rule in enumerate(self._rules)
        )
        # Rules that read only time-independent fields of the customer give
        # the same answer for equal customers: they run once per customer
        # value. Only with the registry the rules were checked against can
        # we tell a built-in field from a plugin's replacement.
        static = frozenset(
            i
            for i, rule in enumerate(self._rules)
            if checked is not None and _customer_only(rule.when, checked)
        )
        self._static = tuple(
            (i, holds) for i, holds in self._predicates if i in static
        )
        self._dynamic = tuple(
            (i, holds) for i, holds in self._predicates if i not in static
        )
        self._has_static = bool(static)
        self._hits: dict[object, tuple[int, ...]] = {}
        self._effects = tuple(
            tuple(rule.effects.items()) for rule in self._rules
        )
        # What personalize applies: attribute names as Profile spells them.
        self._apply = tuple(
            tuple((_FIELD_NAMES.get(n, n), v) for n, v in effects)
            for effects in self._effects
        )
        self._finals = tuple(rule.final for rule in self._rules)
        self._sets_template = any(
            name.startswith("template.")
            for rule in self._rules
            for name in rule.effects
        )
        self._sets_custom = bool(self._custom)
        self._resolved: dict[
            tuple[int, ...],
            tuple[
                dict[str, object], Mapping[str, object], Mapping[str, object]
            ],
        ] = {}
        self._trace_base = (
            self._names,
            self._effects,
            self._finals,
            _CUSTOMER_ORIGIN,
        )

    def _check_templates(self) -> None:
        errors: list[PolicyError] = []
        known = self._catalog.template_names()
        for rule in self._rules:
            for name, value in rule.effects.items():
                if name != "greeting" and not name.startswith("template."):
                    continue
                if value not in known:
                    errors.append(
                        TemplateError(
                            join(join(rule.location, "set"), name),
                            f"no template {value!r} in the message catalog"
                            f"{did_you_mean(str(value), known)}",
                        )
                    )
        raise_all(SECTION, errors)

    # -- loading ---------------------------------------------------------

    @classmethod
    def from_document(
        cls,
        document: PolicyDocument,
        *,
        catalog: MessageCatalog | None = None,
    ) -> Personalizer:
        """
        Return the rules of a loaded policy document's ``personalization``.

        The personalizer built when the document loaded, when *catalog* is
        ``None`` or the one it was built with; else one checked against
        *catalog*. A document loaded on its own is checked against the
        shipped catalog: load one whose templates are in another catalog
        with :meth:`from_dict`, :meth:`from_toml`, :meth:`from_json` or
        :meth:`load` and ``catalog=``.

        Raises:
            PolicySyntaxError: The document has no personalization section.
            TemplateError: A rule names a template the catalog lacks.
        """
        built = document.engines.get(SECTION)
        if isinstance(built, Personalizer) and (
            catalog is None or catalog is built.catalog
        ):
            return built
        section = document.sections.get(SECTION)
        if not isinstance(section, _LoadedSection):
            raise PolicySyntaxError(
                document.source,
                "no [personalization] section; add "
                "[[personalization.rules]] tables",
            )
        return cls(
            section.rules,
            registry=section.registry,
            custom=section.custom,
            catalog=catalog,
        )

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        registry: Registry | None = None,
        catalog: MessageCatalog | None = None,
    ) -> Personalizer:
        """
        Check and compile the rules of the policy document *data*.

        Args:
            data: A policy document (``schema_version`` and a
                ``personalization`` section) as plain data.
            registry: Fields, operators and custom attributes.
            catalog: The catalog templates are checked against.

        Returns:
            The compiled rules.

        Raises:
            PolicyError: The document is wrong; every problem together.
        """
        with _built_with(catalog):
            document = PolicyDocument.from_dict(data, registry=registry)
        return cls.from_document(document, catalog=catalog)

    @classmethod
    def from_toml(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        catalog: MessageCatalog | None = None,
        source: str = "<string>",
    ) -> Personalizer:
        """
        Check and compile the rules of the TOML policy document *text*.

        Raises:
            PolicyError: Not TOML, or the document is wrong.
        """
        with _built_with(catalog):
            document = PolicyDocument.from_toml(
                text, registry=registry, source=source
            )
        return cls.from_document(document, catalog=catalog)

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        catalog: MessageCatalog | None = None,
        source: str = "<string>",
    ) -> Personalizer:
        """
        Check and compile the rules of the JSON policy document *text*.

        Raises:
            PolicyError: Not JSON, or the document is wrong.
        """
        with _built_with(catalog):
            document = PolicyDocument.from_json(
                text, registry=registry, source=source
            )
        return cls.from_document(document, catalog=catalog)

    @classmethod
    def load(
        cls,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        registry: Registry | None = None,
        catalog: MessageCatalog | None = None,
    ) -> Personalizer:
        """
        Load the rules from a ``.toml`` or ``.json`` file.

        Raises:
            PolicyError: The file cannot be read or is wrong.
        """
        with _built_with(catalog):
            document = load_policies(source, registry=registry)
        return cls.from_document(document, catalog=catalog)

    # -- use -------------------------------------------------------------

    @property
    def rules(self) -> tuple[PersonalizationRule, ...]:
        """The rules, in order."""
        return self._rules

    @property
    def catalog(self) -> MessageCatalog:
        """The message catalog messages render from."""
        return self._catalog

    def personalize(
        self,
        customer: Any,  # noqa: ANN401 - a servicecore Customer
        case: Any = None,  # noqa: ANN401 - a servicecore Case
        *,
        at: datetime,
        history: CustomerHistory | None = None,
    ) -> Profile:
        """
        Return the profile of *customer* at *at*, for *case* if given.

        Rules are evaluated in order against the customer, the case (its
        state at *at*) and *history*; effects of later rules override
        earlier ones unless an earlier rule setting the same attribute was
        ``final``. Deterministic: the same inputs give the same profile.

        Args:
            customer: The customer (the case's customer when ``None``).
            case: The case being handled, if any.
            at: The moment, an aware datetime.
            history: What the host knows of the customer's history.

        Returns:
            The profile; :meth:`Profile.source` explains each attribute.

        Raises:
            NaiveDatetimeError: *at* has no time zone.
        """
        return self.personalize_s(
            customer, case, at_s=_epoch(at), history=history
        )

    def personalize_s(
        self,
        customer: Any,  # noqa: ANN401 - a servicecore Customer
        case: Any = None,  # noqa: ANN401 - a servicecore Case
        *,
        at_s: int,
        history: CustomerHistory | None = None,
    ) -> Profile:
        """
        Return the profile at epoch second *at_s* (the engines' fast path).

        >>> sc.Personalizer().personalize_s(sc.Customer(id="c-1"), at_s=0).locale
        'en'

        See :meth:`personalize`.
        """
        if customer is None:
            customer = case.customer
        context = PersonalizationContext.at_epoch(
            case, at_s, customer=customer
        )
        context.history = history  # type: ignore[attr-defined]
        if self._has_static:
            matched = self._customer_hits(customer, context)
            dynamic = [i for i, holds in self._dynamic if holds(context)]
            if dynamic:
                matched = tuple(sorted(matched + tuple(dynamic)))
        else:
            matched = tuple(
                [i for i, holds in self._predicates if holds(context)]
            )
        resolved = self._resolved.get(matched)
        if resolved is None:
            resolved = self._resolve(matched)
        values: dict[str, object] = {
            "name": customer.name,
            "locale": customer.locale,
            "time_zone": customer.time_zone,
            "preferred_channel": customer.preferred_channel,
        }
        values.update(resolved[0])
        return Profile(
            **values,  # type: ignore[arg-type]
            templates=resolved[1],  # type: ignore[arg-type]
            custom=resolved[2],
            trace=_Trace(matched, *self._trace_base),
        )

    def _customer_hits(
        self,
        customer: object,
        context: EvaluationContext,
    ) -> tuple[int, ...]:
        """Return the customer-only rules that hold for *customer* (cached)."""
        try:
            hits = self._hits.get(customer)
        except TypeError:  # an unhashable stand-in for a customer
            hits = None
            cache = False
        else:
            cache = True
        if hits is None:
            hits = tuple([i for i, holds in self._static if holds(context)])
            if cache:
                if len(self._hits) >= _HITS_MAX:
                    self._hits.clear()
                self._hits[customer] = hits
        return hits

    def _resolve(
        self, matched: tuple[int, ...]
    ) -> tuple[dict[str, object], Mapping[str, object], Mapping[str, object]]:
        """Return the attributes the rules *matched* set, and cache them."""
        # The outcome depends only on which rules matched, so it is worked
        # out once per combination (bounded; dict access is thread-safe).
        values: dict[str, object] = {}
        frozen: set[str] = set()
        for i in matched:
            values.update(
                (name, value)
                for name, value in self._apply[i]
                if name not in frozen
            )
            if self._finals[i]:
                frozen.update(name for name, _ in self._apply[i])
        templates: Mapping[str, object] = _EMPTY
        if self._sets_template:
            found = {
                name[9:]: values.pop(name)
                for name in [n for n in values if n.startswith("template.")]
            }
            if found:
                templates = MappingProxyType(found)
        custom: Mapping[str, object] = _EMPTY
        if self._sets_custom:
            custom = MappingProxyType(
                {
                    name: values.pop(name, attribute.default)
                    for name, attribute in self._custom.items()
                }
            )
        resolved = (values, templates, custom)
        if len(self._resolved) >= _RESOLVED_MAX:
            self._resolved.clear()
        self._resolved[matched] = resolved
        return resolved

    def render(
        self,
        profile: Profile,
        purpose: str,
        *,
        at: datetime,
        **values: object,
    ) -> RenderedMessage:
        """
        Render the message for *purpose* as *profile* wants it.

        Shorthand for ``self.catalog.render_for(profile, purpose, ...)``;
        see :meth:`MessageCatalog.render_for`.

        Raises:
            TemplateError: A value the template needs is missing.
        """
        return self._catalog.render_for(
            profile,
            purpose,
            at=at,
            **values,  # type: ignore[arg-type]
        )

    def __repr__(self) -> str:
        """Return the number of rules and their names."""
        return f"<Personalizer {len(self._rules)} rules {list(self._names)}>"
