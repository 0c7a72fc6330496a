"""
Locales for messages: parsing, the fallback chain, and the formatting rule.

A locale is anything :meth:`babel.Locale.parse` reads, with ``-`` allowed
for ``_`` (``zh_CN``, ``zh_Hans_CN``, ``zh-CN``, ``sr_RS``, ``de_CH``).
Catalogs are keyed by babel's identifier without modifier (``zh_CN`` is
``zh_Hans_CN``, ``sr_RS`` is ``sr_Cyrl_RS``), so every spelling of a
locale finds the same catalog.

The chain of a locale follows babel's (CLDR's) parents: the identifier,
then its explicit CLDR parent where there is one (``es_MX`` -> ``es_419``,
``en_GB`` -> ``en_001``), else the identifier without its last part
(``zh_Hant_TW`` -> ``zh_Hant`` -> ``zh``).
"""

from __future__ import annotations

import functools
from typing import Final

import babel
from babel import Locale
from babel.core import get_global
from babel.localedata import locale_identifiers

from servicecore.errors import InvalidValueError, did_you_mean

__all__ = [
    "MAX_LOCALE_LENGTH",
    "SOURCE_LOCALE",
    "chain",
    "check_locale",
    "format_locale",
    "locale_key",
    "parse_locale",
]

#: The locale of the templates' own text (their English ``source``).
SOURCE_LOCALE: Final = "en"
#: The longest locale id read (``ca_ES_VALENCIA`` has 14 characters): the
#: parsed ids are cached, and a cache of customers' long strings is not.
MAX_LOCALE_LENGTH: Final = 64


@functools.cache
def _locale_ids() -> tuple[str, ...]:
    return tuple(locale_identifiers())


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Locale | None:
    try:
        return Locale.parse(text.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return None


def parse_locale(value: object, location: str) -> Locale:
    """
    Return the babel ``Locale`` of *value*, or raise naming *location*.

    Raises:
        InvalidValueError: Not a locale babel can parse.
    """
    if not isinstance(value, str) or not value:
        raise InvalidValueError(
            location, f"expected a locale id such as 'de_CH', got {value!r}"
        )
    if len(value) > MAX_LOCALE_LENGTH:
        raise InvalidValueError(
            location,
            f"unknown locale: {len(value):,} characters is too long for a "
            f"locale id (at most {MAX_LOCALE_LENGTH})",
        )
    locale = _parse(value)
    if locale is None:
        hint = did_you_mean(value.replace("-", "_"), _locale_ids())
        raise InvalidValueError(location, f"unknown locale {value!r}{hint}")
    return locale


def check_locale(value: object, location: str) -> str:
    """Return *value*, as written, if babel can parse it as a locale."""
    parse_locale(value, location)
    return str(value)


def locale_key(locale: Locale) -> str:
    """
    Return the catalog key of *locale*: babel's identifier, no modifier.

    >>> from babel import Locale
    >>> locale_key(Locale.parse("zh_CN")), locale_key(Locale.parse("de@euro"))
    ('zh_Hans_CN', 'de')
    """
    parts = (locale.language, locale.script, locale.territory, locale.variant)
    return "_".join(part for part in parts if part)


@functools.lru_cache(maxsize=1024)
def chain(key: str) -> tuple[str, ...]:
    """
    Return the catalog keys *key* falls back through, itself first.

    >>> chain("zh_Hant_TW"), chain("es_MX")
    (('zh_Hant_TW', 'zh_Hant', 'zh'), ('es_MX', 'es_419', 'es'))
    """
    parents = get_global("parent_exceptions")
    found = [key]
    while True:
        parent = parents.get(found[-1])
        if parent is None or parent == "root":
            head, _, _ = found[-1].rpartition("_")
            parent = head or None
        if parent is None or parent in found:
            return tuple(found)
        found.append(parent)


def _script(locale: Locale) -> str:
    """Return the script *locale* writes in (its likely one if unsaid)."""
    if locale.script:
        return str(locale.script)
    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.territory}", locale.language):
        parts = str(likely.get(key, "")).split("_")
        if len(parts) > 1 and len(parts[1]) == 4:  # noqa: PLR2004 - a script
            return parts[1]
    return ""


@functools.lru_cache(maxsize=1024)
def format_locale(requested: Locale, text: str) -> Locale:
    """
    Return the locale a message's dates and numbers are formatted in.

    The requested locale when it writes the language of the text's locale
    *text* in the same script (``de_CH`` for a ``de`` text, ``en_GB`` for
    the English source); the text's locale otherwise, so that a message
    never mixes languages or scripts.

    >>> from babel import Locale
    >>> str(format_locale(Locale.parse("de_CH"), "de"))
    'de_CH'
    >>> str(format_locale(Locale.parse("it_IT"), "en"))
    'en'
    >>> str(format_locale(Locale.parse("sr_Latn_RS"), "sr"))
    'sr'
    """
    written = parse_locale(text, "text")
    if requested.language == written.language and _script(
        requested
    ) == _script(written):
        return requested
    return written
