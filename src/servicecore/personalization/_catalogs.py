"""
Message catalogs: templates and their translations from gettext ``.po`` files.

The shipped catalogs live in ``servicecore/locale/<locale>/LC_MESSAGES/
servicecore.po`` and are read with :func:`babel.messages.pofile.read_po`
when first used; no compiled ``.mo`` file is kept anywhere. An entry's
``msgctxt`` is the template's name and its ``msgid`` the template's English
source; a translation of an older source is refused, not used.

Every translation is checked when its catalog loads: it may use only the
template's placeholders, must use every placeholder the source uses (a
plural form may leave out the count), in styles their kinds have, and must
have as many plural forms as its ``Plural-Forms`` header says. Fuzzy and
empty entries count as missing.

A locale's text is looked up along babel's chain (see ``_locales``):
``zh_Hant_TW`` -> ``zh_Hant`` -> ``zh``, then the default locale's chain,
then the English source. The whole message falls back together: a
greeting and its body come from one locale, and dates and numbers are
formatted to match that text (in the requested locale when it writes the
same language in the same script, else in the text's). The rendered
message records the locale the text came from.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from importlib import resources
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

from servicecore._files import MAX_DOCUMENT_BYTES, read_limited
from servicecore._problems import raise_all
from servicecore._time import get_timezone, to_epoch
from servicecore.errors import (
    PolicyError,
    PolicySyntaxError,
    TemplateError,
    UnknownLocaleError,
    did_you_mean,
)
from servicecore.personalization._locales import (
    SOURCE_LOCALE,
    chain,
    format_locale,
    locale_key,
    parse_locale,
)
from servicecore.personalization._messages import (
    MessageTemplate,
    Piece,
    RenderedMessage,
    check_count,
    names_in,
    parse_text,
    render_pieces,
)

if TYPE_CHECKING:
    from servicecore.personalization._profile import Profile

__all__ = ["SHIPPED_LOCALES", "SHIPPED_TEMPLATES", "MessageCatalog"]

#: The locales servicecore ships catalogs for.
SHIPPED_LOCALES: Final = ("de", "en", "es", "fr", "ja", "pt_BR")
_DOMAIN: Final = "servicecore"

_REPLY = {"reply_by": "datetime"}

#: The templates servicecore ships, in English; translations are in the
#: shipped ``.po`` catalogs.
SHIPPED_TEMPLATES: Final = (
    MessageTemplate(
        name="acknowledgement",
        source="Thank you for your message. We will reply by {reply_by} "
        "your time ({reply_by:relative}).",
        placeholders=_REPLY,
        description="Sent when a request arrives; reply_by is the "
        "first-reply deadline.",
    ),
    MessageTemplate(
        name="delay_notice",
        source="We are sorry for the wait. Your request is taking longer "
        "than planned; we now expect to reply by {reply_by} "
        "({reply_by:relative}).",
        placeholders=_REPLY,
        description="A proactive message when a reply will be late.",
    ),
    MessageTemplate(
        name="survey_invitation",
        source="How did we do with request {case_id}? Please answer "
        "{questions} short question: {survey_url}",
        plural_source="How did we do with request {case_id}? Please answer "
        "{questions} short questions: {survey_url}",
        count="questions",
        placeholders={
            "case_id": "text",
            "questions": "count",
            "survey_url": "text",
        },
        description="Invites the customer to a satisfaction survey.",
    ),
    MessageTemplate(
        name="resolution",
        source="Your request {case_id} has been resolved. If anything is "
        "still unclear, reply within {days} day and we will reopen it.",
        plural_source="Your request {case_id} has been resolved. If "
        "anything is still unclear, reply within {days} days and we will "
        "reopen it.",
        count="days",
        placeholders={"case_id": "text", "days": "count"},
        description="Confirms that a request was solved.",
    ),
    MessageTemplate(
        name="greeting.formal",
        source="Dear {name},",
        placeholders={"name": "name"},
        description="The formal greeting.",
    ),
    MessageTemplate(
        name="greeting.formal.anonymous",
        source="Dear customer,",
        description="The formal greeting when the name is unknown.",
    ),
    MessageTemplate(
        name="greeting.informal",
        source="Hi {name:first},",
        placeholders={"name": "name"},
        description="The informal greeting.",
    ),
    MessageTemplate(
        name="greeting.informal.anonymous",
        source="Hi there,",
        description="The informal greeting when the name is unknown.",
    ),
)


class _Entry:
    """One template's text in one locale: compiled forms and plural rule."""

    __slots__ = ("forms", "plural")

    def __init__(
        self,
        forms: tuple[tuple[Piece, ...], ...],
        plural: Callable[[int], int],
    ) -> None:
        self.forms = forms
        self.plural = plural

    def pick(self, count: int) -> tuple[Piece, ...]:
        index = self.plural(count) if len(self.forms) > 1 else 0
        return self.forms[min(max(index, 0), len(self.forms) - 1)]


@functools.lru_cache(maxsize=256)
def _plural_rule(expression: str) -> Callable[[int], int]:
    # gettext's own parser of C plural expressions: it accepts only the
    # operators of the Plural-Forms grammar.
    return gettext.c2py(expression)


def _locale_id(value: str, location: str) -> str:
    return locale_key(parse_locale(value, location))


def _check_forms(
    template: MessageTemplate,
    forms: Sequence[str],
    location: str,
    expected: int,
) -> tuple[tuple[Piece, ...], ...]:
    """Parse and check the translated *forms* of *template*."""
    plural = template.count is not None
    if plural and len(forms) != expected:
        raise TemplateError(
            location,
            f"{template.name!r} needs {expected} plural form"
            f"{'s' if expected != 1 else ''} in this locale, got {len(forms)}",
        )
    if not plural and len(forms) != 1:
        raise TemplateError(
            location, f"{template.name!r} has no plural forms; give one text"
        )
    required = names_in(parse_text(template.source, template.placeholders, ""))
    compiled = []
    for form in forms:
        pieces = parse_text(form, template.placeholders, location)
        missing = required - names_in(pieces) - {template.count}
        if missing:
            raise TemplateError(
                location,
                f"the translation of {template.name!r} leaves out "
                f"{', '.join('{' + m + '}' for m in sorted(missing))}",
            )
        compiled.append(pieces)
    return tuple(compiled)


class MessageCatalog:
    """
    Message templates and their translations, with locale fallback.

    Immutable: ``with_*`` methods return a new catalog, so a catalog can be
    shared between threads. :meth:`default` holds the shipped templates in
    English, German, French, Spanish, Brazilian Portuguese and Japanese.

    >>> catalog = sc.personalization.MessageCatalog.default()
    >>> at = pendulum.datetime(2024, 3, 26, 10, tz="UTC")
    >>> print(catalog.render("acknowledgement", locale="fr",
    ...     time_zone="Europe/Paris", at=at,
    ...     values={"reply_by": at.add(hours=3)}))
    Merci pour votre message. Nous vous répondrons d...ici mardi, 14:00,
    heure locale (dans 3 heures).

    Args:
        templates: The templates (their English sources are the last
            fallback of every locale).
        default_locale: The end of every fallback chain.

    Raises:
        TemplateError: A template declares a ``name`` placeholder but has
            no ``<name>.anonymous`` variant for customers without a name.
    """

    __slots__ = ("_default", "_templates", "_texts")

    def __init__(
        self,
        templates: Iterable[MessageTemplate] = (),
        *,
        default_locale: str = "en",
    ) -> None:
        self._templates: Mapping[str, MessageTemplate] = MappingProxyType(
            {t.name: t for t in templates}
        )
        self._default = _locale_id(default_locale, "default_locale")
        self._texts: Mapping[str, Mapping[str, _Entry]] = MappingProxyType({})
        self._check_anonymous()

    def _check_anonymous(self) -> None:
        for template in self._templates.values():
            if (
                template.uses_name
                and f"{template.name}.anonymous" not in self._templates
            ):
                raise TemplateError(
                    template.name,
                    "a template with a name placeholder needs a "
                    f"{template.name + '.anonymous'!r} variant for customers "
                    "whose name is unknown",
                )

    def _evolve(
        self,
        templates: Mapping[str, MessageTemplate] | None = None,
        texts: Mapping[str, Mapping[str, _Entry]] | None = None,
    ) -> MessageCatalog:
        other = MessageCatalog.__new__(MessageCatalog)
        other._default = self._default  # noqa: SLF001
        other._templates = MappingProxyType(  # noqa: SLF001
            dict(self._templates if templates is None else templates)
        )
        other._texts = MappingProxyType(  # noqa: SLF001
            {
                locale: MappingProxyType(dict(entries))
                for locale, entries in (
                    self._texts if texts is None else texts
                ).items()
            }
        )
        other._check_anonymous()  # noqa: SLF001
        return other

    @classmethod
    def default(cls) -> MessageCatalog:
        """
        Return the shipped templates with the shipped catalogs (cached).

        >>> sc.personalization.MessageCatalog.default().locales()
        ('de', 'en', 'es', 'fr', 'ja', 'pt_BR')
        """
        return _shipped()

    # -- building ----------------------------------------------------------

    def with_templates(
        self, *templates: MessageTemplate, replace: bool = False
    ) -> MessageCatalog:
        """
        Return a catalog with *templates* added.

        >>> catalog = sc.personalization.MessageCatalog.default().with_templates(
        ...     sc.personalization.MessageTemplate(name="refund", source="We refunded {amount}.",
        ...                        placeholders={"amount": "money"}))
        >>> print(catalog.render("refund", locale="en",
        ...     at=pendulum.datetime(2024, 3, 5, tz="UTC"),
        ...     values={"amount": (1234.5, "EUR")}))
        We refunded €1,234.50.

        Args:
            templates: The templates.
            replace: Replace templates of the same name (their existing
                translations are dropped) instead of failing.

        Raises:
            TemplateError: A name is taken, or a ``name`` placeholder has
                no anonymous variant.
        """
        found = dict(self._templates)
        texts = {k: dict(v) for k, v in self._texts.items()}
        for template in templates:
            if template.name in found:
                if not replace:
                    raise TemplateError(
                        template.name,
                        "a template of this name exists; pass replace=True "
                        "to replace it",
                    )
                for entries in texts.values():
                    entries.pop(template.name, None)
            found[template.name] = template
        return self._evolve(found, texts)

    def with_translation(
        self,
        locale: str,
        template: str,
        text: str | Sequence[str],
    ) -> MessageCatalog:
        """
        Return a catalog whose *locale* text of *template* is *text*.

        Hosts override shipped wording this way (or with :meth:`with_po`).

        >>> catalog = sc.personalization.MessageCatalog.default().with_translation(
        ...     "en", "greeting.formal", "Hello {name},")
        >>> catalog.render("greeting.formal", locale="en_GB",
        ...     at=pendulum.datetime(2024, 3, 5, tz="UTC"),
        ...     values={"name": "Ann Lee"}).text
        'Hello Ann Lee,'

        Args:
            locale: The locale (``"en"``, ``"de_CH"``, ...).
            template: The template's name.
            text: The text, or the plural forms in the locale's order.

        Raises:
            TemplateError: Unknown template, or the text is wrong for it.
            PolicyError: Unknown locale.
        """
        locale_id = _locale_id(locale, "locale")
        spec = self._template(template, "template")
        forms = [text] if isinstance(text, str) else list(text)
        expected = get_plural(locale_id).num_plurals
        entry = _Entry(
            _check_forms(spec, forms, f"{locale_id}:{template}", expected),
            _plural_rule(get_plural(locale_id).plural_expr),
        )
        texts = {k: dict(v) for k, v in self._texts.items()}
        texts.setdefault(locale_id, {})[template] = entry
        return self._evolve(texts=texts)

    def with_po(
        self,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        locale: str | None = None,
        limit: int = MAX_DOCUMENT_BYTES,
    ) -> MessageCatalog:
        """
        Return a catalog with the translations of a ``.po`` file added.

        Entries override the catalog's existing text for the same locale
        and template. Every problem of the file is reported together, each
        at ``file:line``.

        Args:
            source: A path or a binary file.
            locale: The locale; by default the file's ``Language`` header.
            limit: The largest file read, in bytes (16 MiB by default); a
                larger one is refused before it is read whole.

        Raises:
            TemplateError: An entry names an unknown template, translates
                an older source, or has wrong placeholders; or the locale
                is unknown.
            PolicySyntaxError: Not a ``.po`` file, no locale, or larger
                than *limit*.
        """
        if isinstance(source, str | os.PathLike):
            name = str(source)
            data = read_limited(source, limit=limit, error=PolicySyntaxError)
        else:
            name = str(getattr(source, "name", "<po>"))
            data = source.read(limit + 1)
            if len(data) > limit:
                raise PolicySyntaxError(
                    name,
                    f"larger than the limit of {limit:,} bytes; raise the "
                    "limit if the file is meant to be this large",
                )
        locale_id, entries = self._read_po(data, name, locale)
        texts = {k: dict(v) for k, v in self._texts.items()}
        texts.setdefault(locale_id, {}).update(entries)
        return self._evolve(texts=texts)

    def _read_po(
        self, data: bytes, name: str, locale: str | None
    ) -> tuple[str, dict[str, _Entry]]:
        catalog, locale_id = _parse_po(data, name, locale)
        try:
            plural = _plural_rule(catalog.plural_expr)
        except ValueError as exc:
            raise PolicySyntaxError(
                name, f"the Plural-Forms header is not a plural rule: {exc}"
            ) from exc
        expected = catalog.num_plurals
        errors: list[PolicyError] = []
        entries: dict[str, _Entry] = {}
        for message in catalog:
            if not message.id:
                continue
            where = f"{name}:{message.lineno}"
            singular = (
                message.id[0] if isinstance(message.id, tuple) else message.id
            )
            forms = [
                str(form or "")
                for form in (
                    message.string
                    if isinstance(message.string, list | tuple)
                    else [message.string]
                )
            ]
            if message.fuzzy or not all(forms):
                continue  # untranslated: the chain falls back
            context = message.context
            if context is None or context not in self._templates:
                errors.append(
                    TemplateError(
                        where,
                        "the entry's msgctxt must name a template"
                        if context is None
                        else f"unknown template {context!r}"
                        f"{did_you_mean(context, self._templates)}",
                    )
                )
                continue
            spec = self._templates[context]
            if singular != spec.source:
                errors.append(
                    TemplateError(
                        where,
                        f"the msgid is not the source of {context!r} (an "
                        "older text?); update the msgid and the translation",
                    )
                )
                continue
            try:
                entries[context] = _Entry(
                    _check_forms(spec, forms, where, expected), plural
                )
            except TemplateError as exc:
                errors.append(exc)
        raise_all(name, errors)
        return locale_id, entries

    # -- reading -----------------------------------------------------------

    def template_names(self) -> frozenset[str]:
        """Return the names of the templates."""
        return frozenset(self._templates)

    def locales(self) -> tuple[str, ...]:
        """Return the locales that have translations, sorted."""
        return tuple(sorted(self._texts))

    def template(self, name: str) -> MessageTemplate:
        """
        Return the template *name*.

        Raises:
            TemplateError: No such template; suggests the closest.
        """
        return self._template(name, "template")

    def _template(self, name: str, location: str) -> MessageTemplate:
        try:
            return self._templates[name]
        except KeyError:
            raise TemplateError(
                location,
                f"no template {name!r}{did_you_mean(name, self._templates)}",
            ) from None

    def lookup(self, name: str, locale: str) -> str:
        """
        Return the locale the text of *name* for *locale* comes from.

        >>> catalog = sc.personalization.MessageCatalog.default()
        >>> catalog.lookup("acknowledgement", "pt_PT")
        'en'
        >>> catalog.lookup("acknowledgement", "pt-BR")
        'pt_BR'

        Raises:
            UnknownLocaleError: Unknown locale.
        """
        return self._text_locale((name,), _requested(locale))

    def _text_locale(self, names: Iterable[str], requested: Locale) -> str:
        """Return the first locale of the chain with a text for all *names*."""
        candidates = chain(locale_key(requested))
        if self._default not in candidates:
            candidates += chain(self._default)
        for candidate in candidates:
            entries = self._texts.get(candidate, {})
            if candidate == SOURCE_LOCALE or all(n in entries for n in names):
                return candidate
        return SOURCE_LOCALE

    def _resolve(
        self, template: str, values: Mapping[str, object]
    ) -> tuple[MessageTemplate, int]:
        """Return the template to render (or its anonymous variant), count."""
        spec = self._template(template, "template")
        if spec.uses_name and any(
            not str(values.get(name, "")).strip()
            for name, kind in spec.placeholders.items()
            if kind == "name"
        ):
            spec = self._templates[f"{spec.name}.anonymous"]
        count = 1
        if spec.count is not None:
            raw = values.get(spec.count)
            # A .po file's plural expression may multiply n by itself
            # hundreds of times: the count is bounded before it runs.
            try:
                count = check_count(raw)
            except TemplateError as exc:
                raise TemplateError(
                    f"{spec.name} {{{spec.count}}}", exc.problem
                ) from None
        return spec, count

    def _render(
        self,
        spec: MessageTemplate,
        count: int,
        values: Mapping[str, object],
        *,
        used: str,
        requested: Locale,
        zone: Any,  # noqa: ANN401 - tzinfo
        at_s: int,
    ) -> str:
        """Return *spec* rendered with the text of locale *used*."""
        entry = self._texts.get(used, {}).get(spec.name)
        if entry is not None:
            pieces = entry.pick(count)
        else:  # the source: *used* is SOURCE_LOCALE
            text = spec.source
            if spec.plural_source is not None and count != 1:
                text = spec.plural_source
            pieces = parse_text(text, spec.placeholders, spec.name)
        return render_pieces(
            pieces,
            values,
            template=spec.name,
            locale=format_locale(requested, used),
            zone=zone,
            at_s=at_s,
        )

    def render(
        self,
        template: str,
        *,
        locale: str,
        at: datetime,
        time_zone: str = "UTC",
        values: Mapping[str, object] | None = None,
    ) -> RenderedMessage:
        """
        Render *template* in *locale*, times shown in *time_zone*.

        When a ``name`` placeholder's value is empty, the template's
        ``.anonymous`` variant is rendered instead.

        >>> sc.personalization.MessageCatalog.default().render("greeting.formal", locale="ja",
        ...     at=pendulum.datetime(2024, 3, 5, tz="UTC"), values={"name": ""}).text
        'お客様'

        Args:
            template: The template's name.
            locale: The customer's locale, in any form babel parses
                (``zh_CN``, ``zh-Hant-TW``); the text falls back along its
                chain, and dates and numbers follow the text (see the
                module documentation).
            at: The moment of rendering (``relative`` times count from it).
            time_zone: The zone dates and times are shown in.
            values: The placeholder values.

        Returns:
            The message, with the locale its text came from.

        Raises:
            TemplateError: Unknown template, or a value is missing or of
                the wrong type, naming the template and placeholder.
            UnknownLocaleError: Unknown locale.
            UnknownTimeZoneError: Unknown time zone.
        """
        values = values or {}
        spec, count = self._resolve(template, values)
        requested = _requested(locale)
        used = self._text_locale((spec.name,), requested)
        text = self._render(
            spec,
            count,
            values,
            used=used,
            requested=requested,
            zone=get_timezone(time_zone),
            at_s=to_epoch(at, "at"),
        )
        return RenderedMessage(
            text=text,
            template=spec.name,
            locale=used,
            requested_locale=locale,
            body=text,
        )

    def render_for(
        self,
        profile: Profile,
        purpose: str,
        *,
        at: datetime,
        greet: bool = True,
        **values: object,
    ) -> RenderedMessage:
        """
        Render the message for *purpose* as *profile* says, with a greeting.

        The template is ``profile.template(purpose)``, or its tone variant
        ``<template>.<tone>`` (``acknowledgement.informal``) when the catalog
        has one; locale and zone are the profile's; the greeting is
        ``profile.greeting_template`` with the customer's name (its
        anonymous variant without one).

        >>> profile = sc.personalization.Profile(name="Lena Meier", locale="de_CH",
        ...     time_zone="Europe/Zurich")
        >>> at = pendulum.datetime(2024, 3, 26, 10, tz="UTC")
        >>> print(sc.personalization.MessageCatalog.default().render_for(
        ...     profile, "acknowledgement", at=at, reply_by=at.add(hours=3)))
        Guten Tag Lena Meier,
        <BLANKLINE>
        Vielen Dank für Ihre Nachricht. Wir antworten Ihnen bis Dienstag,
        14:00 Ihrer Zeit (in 3 Stunden).

        Args:
            profile: The customer's profile.
            purpose: ``acknowledgement``, ``delay_notice``, ... or a host
                purpose.
            at: The moment of rendering.
            greet: Put the greeting line first.
            values: The placeholder values (``name`` defaults to the
                profile's).

        Returns:
            The message; ``greeting`` and ``body`` hold the two parts.

        Raises:
            TemplateError: Unknown template, or a value is missing.
        """
        values.setdefault("name", profile.name)
        template = profile.template(purpose)
        # A tone variant (``acknowledgement.informal``) wins when it exists.
        if f"{template}.{profile.tone}" in self._templates:
            template = f"{template}.{profile.tone}"
        spec, count = self._resolve(template, values)
        parts = [(spec, count, values)]
        if greet:
            greeting_values: dict[str, object] = {"name": profile.name}
            greeting, _ = self._resolve(
                profile.greeting_template, greeting_values
            )
            parts.insert(0, (greeting, 1, greeting_values))
        requested = _requested(profile.locale)
        # The whole message falls back together: one locale for every part.
        used = self._text_locale([p[0].name for p in parts], requested)
        zone = get_timezone(profile.time_zone)
        at_s = to_epoch(at, "at")
        texts = [
            self._render(
                *part, used=used, requested=requested, zone=zone, at_s=at_s
            )
            for part in parts
        ]
        return RenderedMessage(
            text="\n\n".join(texts),
            template=spec.name,
            locale=used,
            requested_locale=profile.locale,
            greeting=texts[0] if greet else "",
            body=texts[-1],
        )

    def __repr__(self) -> str:
        """Return the numbers of templates and locales."""
        return (
            f"<MessageCatalog {len(self._templates)} templates, "
            f"locales {list(self.locales())}>"
        )


def _parse_po(
    data: bytes, name: str, locale: str | None
) -> tuple[Catalog, str]:
    """Read a .po file with babel; map its errors; return it and its key."""
    key = None if locale is None else _po_locale(locale, name)
    try:
        catalog = read_po(io.BytesIO(data), locale=key, abort_invalid=True)
    except (PoFileError, ValueError, LookupError) as exc:
        where = f"{name}:{getattr(exc, 'lineno', '?')}"
        raise PolicySyntaxError(where, f"not a .po file: {exc}") from exc
    if key is not None:
        return catalog, key
    if catalog.locale is not None:
        return catalog, locale_key(catalog.locale)
    declared = getattr(catalog, "locale_identifier", None)
    if not declared:
        raise PolicySyntaxError(
            name, "no locale: give locale=... or a 'Language' header"
        )
    # babel reads only ``_`` in the header; ``zh-CN`` is ours to read.
    return catalog, _po_locale(declared, name)


def _po_locale(locale: str, name: str) -> str:
    try:
        return _locale_id(locale, "locale")
    except PolicyError as exc:
        raise TemplateError(name, exc.problem) from None


def _requested(locale: str) -> Locale:
    """Return the babel locale of a rendering's *locale* argument."""
    try:
        return parse_locale(locale, "locale")
    except PolicyError as exc:
        raise UnknownLocaleError("locale", exc.problem) from None


@functools.cache
def _shipped() -> MessageCatalog:
    catalog = MessageCatalog(SHIPPED_TEMPLATES)
    root = resources.files("servicecore").joinpath("locale")
    for locale in SHIPPED_LOCALES:
        path = root.joinpath(locale, "LC_MESSAGES", f"{_DOMAIN}.po")
        locale_id, entries = catalog._read_po(  # noqa: SLF001
            path.read_bytes(), f"servicecore/locale/{locale}.po", locale
        )
        catalog = catalog._evolve(  # noqa: SLF001
            texts={**catalog._texts, locale_id: entries}  # noqa: SLF001
        )
    return catalog
