"""
Message templates: named placeholders, checked at load, formatted by babel.

A template is text with ``{name}`` or ``{name:style}`` placeholders, as in
``str.format`` but without attribute access, indexing or conversions. Each
placeholder has a kind, declared with the template, which decides how the
value is formatted in the customer's locale and time zone:

========== ================================== ==============================
kind       value                              styles
========== ================================== ==============================
text       anything (``str()``)               -
name       the customer's name                ``first`` (the first word)
datetime   an aware datetime                  ``weekday_time`` (default),
                                              ``date``, ``time``,
                                              ``datetime``, ``relative``
duration   a ``timedelta`` (or seconds)       ``in`` (default: "in 3
                                              hours"), ``plain`` ("3 hours")
number     a finite int, float or Decimal     -, ``integer``, ``percent``
money      ``(amount, "EUR")``: a number and  -
           an ISO 4217 code
count      an int; chooses the plural form    -
========== ================================== ==============================

Numbers, counts and amounts lie within +-10^15 (MAX_MAGNITUDE); a value
its kind cannot show is a ``TemplateError`` at ``"<template> {<name>}"``.

``relative`` formats the distance from the rendering moment: "in 3 hours",
"dans 3 heures", "3 時間後".
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import attrs
import babel
from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.dates import format_timedelta as babel_timedelta
from babel.numbers import (
    UnknownCurrencyError,
    format_currency,
    format_decimal,
    format_percent,
    is_currency,
)

from servicecore._time import from_epoch, to_epoch
from servicecore.errors import (
    PolicyError,
    ServiceCoreError,
    TemplateError,
    did_you_mean,
)
from servicecore.personalization._locales import locale_key, parse_locale

__all__ = ["KINDS", "STYLES", "MessageTemplate", "RenderedMessage"]

#: The styles each placeholder kind accepts ("" is the default style).
STYLES: Final[Mapping[str, tuple[str, ...]]] = {
    "text": ("",),
    "name": ("", "first"),
    "datetime": ("", "weekday_time", "date", "time", "datetime", "relative"),
    "duration": ("", "in", "plain"),
    "number": ("", "integer", "percent"),
    "money": ("",),
    "count": ("",),
}
KINDS: Final = tuple(STYLES)
_IDENT = re.compile(r"[a-z_][a-z0-9_]*\Z")

#: A compiled template: literal text and (name, kind, style) placeholders.
Piece = str | tuple[str, str, str]


def parse_text(
    text: str,
    placeholders: Mapping[str, str],
    location: str,
) -> tuple[Piece, ...]:
    """
    Return the pieces of *text*, checking every placeholder.

    Raises:
        TemplateError: Bad syntax, an undeclared placeholder, a style its
            kind does not have, a conversion or an attribute access.
    """
    pieces: list[Piece] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(
            location, f"{exc} in template {text!r}; write '{{{{' for a brace"
        ) from None
    for literal, field, spec, conversion in parsed:
        if literal:
            pieces.append(literal)
        if field is None:
            continue
        if conversion or not _IDENT.match(field):
            raise TemplateError(
                location,
                f"placeholder {{{field}{'!' + conversion if conversion else ''}}} "
                "must be a plain name such as {reply_by}",
            )
        if field not in placeholders:
            raise TemplateError(
                location,
                f"unknown placeholder {{{field}}}"
                f"{did_you_mean(field, placeholders)}; the template "
                f"declares {', '.join(sorted(placeholders)) or 'none'}",
            )
        kind = placeholders[field]
        style = spec or ""
        if style not in STYLES[kind]:
            raise TemplateError(
                location,
                f"{{{field}:{style}}}: {kind} placeholders have no style "
                f"{style!r}; use one of "
                f"{', '.join(s or '(none)' for s in STYLES[kind])}",
            )
        pieces.append((field, kind, style))
    return tuple(pieces)


def names_in(pieces: tuple[Piece, ...]) -> frozenset[str]:
    """Return the placeholder names used in *pieces*."""
    return frozenset(p[0] for p in pieces if isinstance(p, tuple))


def _check_placeholders(
    placeholders: Mapping[str, str], location: str
) -> None:
    for name, kind in placeholders.items():
        if not isinstance(name, str) or not _IDENT.match(name):
            raise TemplateError(
                location, f"placeholder name {name!r} is not lower_snake_case"
            )
        if kind not in STYLES:
            raise TemplateError(
                location,
                f"placeholder {name!r} has unknown kind {kind!r}"
                f"{did_you_mean(str(kind), KINDS)}",
            )


@attrs.frozen(kw_only=True)
class MessageTemplate:
    """
    A message template: its name, English source and placeholders.

    Translations live in gettext catalogs (``msgctxt`` = the template's
    name, ``msgid`` = *source*); the English *source* is the last fallback.

    >>> template = sc.personalization.MessageTemplate(
    ...     name="refund", source="We refunded {amount}.",
    ...     placeholders={"amount": "money"})
    >>> template.placeholder_names
    frozenset({'amount'})
    >>> sc.personalization.MessageTemplate(name="x", source="Hi {nmae}",
    ...     placeholders={"name": "name"})
    Traceback (most recent call last):
    ...
    servicecore.errors.TemplateError: x: unknown placeholder {nmae}; did you mean 'name'?...

    Args:
        name: The template's name (dotted lower-case words).
        source: The English text.
        plural_source: The English plural text, for templates that have
            plural forms; *count* then names the placeholder that chooses.
        count: The ``count`` placeholder that chooses the plural form.
        placeholders: Name -> kind (see the module documentation).
        description: For translators and documentation.

    Raises:
        TemplateError: A placeholder is undeclared, of an unknown kind or
            style, or the plural settings do not fit together.
    """

    name: str
    source: str
    plural_source: str | None = None
    count: str | None = None
    placeholders: Mapping[str, str] = attrs.field(factory=dict)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        """Check the placeholders and the plural settings."""
        location = self.name
        _check_placeholders(self.placeholders, location)
        parse_text(self.source, self.placeholders, location)
        if (self.plural_source is None) != (self.count is None):
            raise TemplateError(
                location, "plural_source and count go together"
            )
        if self.count is not None:
            if self.placeholders.get(self.count) != "count":
                raise TemplateError(
                    location,
                    f"count {self.count!r} must be a placeholder of kind "
                    "'count'",
                )
            assert self.plural_source is not None  # noqa: S101
            parse_text(self.plural_source, self.placeholders, location)

    @property
    def placeholder_names(self) -> frozenset[str]:
        """The names of the declared placeholders."""
        return frozenset(self.placeholders)

    @property
    def uses_name(self) -> bool:
        """Whether a ``name`` placeholder is declared."""
        return "name" in self.placeholders.values()


@attrs.frozen(kw_only=True)
class RenderedMessage:
    """
    A rendered message, with the template and locale it came from.

    >>> message = sc.personalization.MessageCatalog.default().render(
    ...     "resolution", locale="de_CH", at=pendulum.datetime(2024, 3, 5, tz="UTC"),
    ...     values={"case_id": "C-7", "days": 1})
    >>> print(message.text)
    Ihre Anfrage C-7 wurde gelöst. Falls noch etwas unklar ist, antworten
    Sie innerhalb von 1 Tag, dann öffnen wir sie erneut.
    >>> message.locale, message.requested_locale, message.fell_back
    ('de', 'de_CH', True)

    Attributes:
        text: The message, greeting first when there is one.
        template: The template rendered (an ``.anonymous`` variant when the
            customer's name was unknown).
        locale: The catalog locale the text came from (``"en"`` is the
            English source), as babel names it (``zh_Hans_CN``).
        requested_locale: The locale asked for, as given. Dates and
            numbers are formatted in it when it writes the text's language
            in the same script (``de_CH`` for a ``de`` text), else in the
            text's locale, so a message never mixes languages.
        greeting: The greeting line, when rendered with one.
        body: The text without the greeting.
    """

    text: str
    template: str
    locale: str
    requested_locale: str
    greeting: str = ""
    body: str = ""

    @property
    def fell_back(self) -> bool:
        """Whether the text came from another locale than the one asked."""
        try:
            requested = locale_key(parse_locale(self.requested_locale, ""))
        except PolicyError:
            return True
        return self.locale != requested

    def __str__(self) -> str:
        """Return the text."""
        return self.text


def _weekday_time(moment: datetime, locale: Locale) -> str:
    glue = str(locale.datetime_formats["medium"])
    return glue.replace(
        "{1}", format_date(moment, "EEEE", locale=locale)
    ).replace("{0}", format_time(moment, "short", locale=locale))


#: The largest magnitude a number, count or money amount may have: babel
#: formats with 28 significant digits, and a bound keeps output in
#: proportion to input (``Decimal("1e999999")`` is nine bytes).
MAX_MAGNITUDE: Final = 10**15
#: The longest duration a placeholder takes: ``timedelta``'s range.
_MAX_SECONDS: Final = timedelta.max.days * 86_400 + timedelta.max.seconds
# Ints longer than this are named by size: repr() of an int of over 4,300
# digits raises ValueError, and a message need not hold a million digits.
_BRIEF_BITS: Final = 256


def _bad(problem: str) -> TemplateError:
    """Return the error of a wrong value; render_pieces adds where."""
    return TemplateError("", problem)


def check_number(value: object, what: str) -> int | float | Decimal:
    """Return *value* if it is a finite number within MAX_MAGNITUDE."""
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        raise _bad(f"expected {what}, got {value!r}")
    if not (
        value.is_finite()
        if isinstance(value, Decimal)
        else isinstance(value, int) or math.isfinite(value)
    ):
        raise _bad(f"expected a finite number, got {value!r}")
    if not -MAX_MAGNITUDE < value < MAX_MAGNITUDE:
        raise _bad(
            f"{_brief(value)} is out of range; numbers, counts and amounts "
            "are shown between -10^15 and 10^15"
        )
    return value


def _brief(value: object) -> str:
    """Return the repr of *value*, or its size when it is a huge int."""
    if isinstance(value, int) and value.bit_length() > _BRIEF_BITS:
        return f"an int of {value.bit_length()} bits"
    return repr(value)


def check_count(value: object) -> int:
    """Return *value* if it is an int within MAX_MAGNITUDE."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad(f"expected an int, got {value!r}")
    check_number(value, "an int")
    return value


def _seconds(value: object) -> int:
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, int) and not isinstance(value, bool):
        if not -_MAX_SECONDS <= value <= _MAX_SECONDS:
            raise _bad(
                f"{_brief(value)} seconds is out of range; a duration is at most "
                f"{_MAX_SECONDS} seconds (999999999 days)"
            )
        return value
    raise _bad(f"expected a timedelta or seconds, got {value!r}")


def _money(value: object) -> str:
    if (
        not isinstance(value, tuple)
        or len(value) != 2  # noqa: PLR2004
        or not isinstance(value[1], str)
    ):
        raise _bad(f"expected (amount, 'EUR'), got {value!r}")
    if not is_currency(value[1]):
        raise _bad(
            f"unknown currency {value[1]!r}; use an ISO 4217 code such as "
            "'EUR'"
        )
    return value[1]


def _timedelta(seconds: int, locale: Locale, *, direction: bool) -> str:
    return babel_timedelta(
        timedelta(seconds=seconds),
        granularity="minute",
        threshold=1,
        add_direction=direction,
        locale=locale,
    )


def format_value(  # noqa: C901, PLR0911, PLR0912 - a branch per kind, style
    kind: str,
    style: str,
    value: object,
    *,
    locale: Locale,
    zone: Any,  # noqa: ANN401 - tzinfo
    at_s: int,
) -> str:
    """
    Return *value* formatted for *locale* as a placeholder of *kind*.

    Raises:
        TemplateError: The value does not fit the kind (no location yet).
    """
    if kind == "text":
        return str(value)
    if kind == "name":
        text = str(value).strip()
        return text.split()[0] if style == "first" and text else text
    if kind == "datetime":
        if not isinstance(value, datetime):
            raise _bad(f"expected an aware datetime, got {value!r}")
        moment_s = to_epoch(value, "value")
        if style == "relative":
            return _timedelta(moment_s - at_s, locale, direction=True)
        moment = from_epoch(moment_s, zone)
        if style == "date":
            return format_date(moment, "long", locale=locale)
        if style == "time":
            return format_time(moment, "short", locale=locale)
        if style == "datetime":
            return format_datetime(moment, "medium", locale=locale)
        return _weekday_time(moment, locale)
    if kind == "duration":
        seconds = _seconds(value)
        return _timedelta(seconds, locale, direction=style != "plain")
    if kind == "money":
        currency = _money(value)
        amount = check_number(value[0], "a number as the amount")  # type: ignore[index]
        return format_currency(amount, currency, locale=locale)
    if kind == "count":
        return format_decimal(
            check_count(value), format="#,##0", locale=locale
        )
    number = check_number(value, "a number")
    if style == "percent":
        return format_percent(number, locale=locale)
    if style == "integer":
        return format_decimal(number, format="#,##0", locale=locale)
    return format_decimal(number, locale=locale)


def render_pieces(
    pieces: tuple[Piece, ...],
    values: Mapping[str, object],
    *,
    template: str,
    locale: Locale,
    zone: Any,  # noqa: ANN401 - tzinfo
    at_s: int,
) -> str:
    """Return *pieces* with every placeholder formatted from *values*."""
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        name, kind, style = piece
        if name not in values:
            raise TemplateError(
                template,
                f"no value for {{{name}}}; pass {name}=... when rendering",
            )
        # The one boundary where a value meets babel: whatever goes wrong
        # formatting it is a TemplateError naming the placeholder.
        try:
            text = format_value(
                kind, style, values[name], locale=locale, zone=zone, at_s=at_s
            )
        except ServiceCoreError as exc:
            raise TemplateError(f"{template} {{{name}}}", exc.problem) from exc
        except (
            ArithmeticError,
            LookupError,
            ValueError,
            babel.UnknownLocaleError,
            UnknownCurrencyError,
        ) as exc:
            raise TemplateError(
                f"{template} {{{name}}}",
                f"cannot format {_brief(values[name])} as {kind} in "
                f"{locale}: {exc}",
            ) from exc
        out.append(text)
    return "".join(out)
