# ruff: noqa: RUF001, ISC004, E501 - localized punctuation; long expected texts
import contextlib
import io
from datetime import UTC
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

CATALOG = sc.personalization.MessageCatalog.default()
# Europe/Berlin springs forward on 2024-03-31 at 02:00 (to 03:00); the reply
# is due three real hours after 23:30 CET, at 03:30 CEST.
BEFORE_DST = pendulum.datetime(2024, 3, 30, 22, 30, tz="UTC")
ACKNOWLEDGEMENTS = {
    "en": "Thank you for your message. We will reply by Sunday, "
    "3:30\u202fAM your time (in 3 hours).",
    "de": "Vielen Dank für Ihre Nachricht. Wir antworten Ihnen bis Sonntag, "
    "03:30 Ihrer Zeit (in 3 Stunden).",
    "fr": "Merci pour votre message. Nous vous répondrons d’ici dimanche, "
    "03:30, heure locale (dans 3 heures).",
    "es": "Gracias por su mensaje. Le responderemos a más tardar el domingo, "
    "3:30, hora local (dentro de 3 horas).",
    "pt_BR": "Obrigado pela sua mensagem. Responderemos até domingo 03:30, "
    "no seu horário (em 3 horas).",
    "ja": "お問い合わせいただきありがとうございます。日曜日 3:30（現地時間）"
    "までにご返信いたします（3 時間後）。",
}
DELAYS = {
    "en": "We are sorry for the wait. Your request is taking longer than "
    "planned; we now expect to reply by Tuesday, 5:30\u202fAM (in 2 days).",
    "de": "Entschuldigen Sie bitte die Wartezeit. Ihre Anfrage dauert länger "
    "als geplant; wir rechnen jetzt mit einer Antwort bis Dienstag, 05:30 "
    "(in 2 Tagen).",
    "fr": "Veuillez nous excuser pour l’attente. Votre demande prend plus de "
    "temps que prévu. Nous prévoyons désormais de vous répondre d’ici "
    "mardi, 05:30 (dans 2 jours).",
    "es": "Disculpe la espera. Su solicitud está tardando más de lo "
    "previsto; ahora esperamos responderle a más tardar el martes, 5:30 "
    "(dentro de 2 días).",
    "pt_BR": "Desculpe pela espera. Sua solicitação está levando mais tempo "
    "do que o previsto; agora esperamos responder até terça-feira 05:30 "
    "(em 2 dias).",
    "ja": "お待たせして申し訳ございません。ご依頼の対応に予定より時間が"
    "かかっております。火曜日 5:30までにご返信できる見込みです（2 日後）。",
}
SURVEYS = {
    "en": (
        "How did we do with request C-7? Please answer 1 short question: "
        "https://s.example/x",
        "How did we do with request C-7? Please answer 3 short questions: "
        "https://s.example/x",
    ),
    "de": (
        "Wie zufrieden waren Sie mit Ihrer Anfrage C-7? Bitte beantworten "
        "Sie 1 kurze Frage: https://s.example/x",
        "Wie zufrieden waren Sie mit Ihrer Anfrage C-7? Bitte beantworten "
        "Sie 3 kurze Fragen: https://s.example/x",
    ),
    "fr": (
        "Êtes-vous satisfait du traitement de votre demande C-7\u00a0? Merci "
        "de répondre à 1 courte question\u00a0: https://s.example/x",
        "Êtes-vous satisfait du traitement de votre demande C-7\u00a0? Merci "
        "de répondre à 3 courtes questions\u00a0: https://s.example/x",
    ),
    "es": (
        "¿Qué tal lo hicimos con su solicitud C-7? Responda 1 pregunta "
        "breve: https://s.example/x",
        "¿Qué tal lo hicimos con su solicitud C-7? Responda 3 preguntas "
        "breves: https://s.example/x",
    ),
    "pt_BR": (
        "Como foi o atendimento da sua solicitação C-7? Responda 1 pergunta "
        "rápida: https://s.example/x",
        "Como foi o atendimento da sua solicitação C-7? Responda 3 perguntas "
        "rápidas: https://s.example/x",
    ),
    "ja": (
        "お問い合わせ C-7 の対応はいかがでしたか。1 問の簡単なアンケートに"
        "ご協力ください：https://s.example/x",
        "お問い合わせ C-7 の対応はいかがでしたか。3 問の簡単なアンケートに"
        "ご協力ください：https://s.example/x",
    ),
}
# Plural forms: 0, 1 and 2 days; French and Portuguese treat 0 as singular.
RESOLUTION_DAYS = {
    "en": ("0 days", "1 day", "2 days"),
    "de": ("0 Tagen", "1 Tag", "2 Tagen"),
    "fr": ("0 jour", "1 jour", "2 jours"),
    "es": ("0 días", "1 día", "2 días"),
    "pt_BR": ("0 dia", "1 dia", "2 dias"),
    "ja": ("0 日", "1 日", "2 日"),
}
GREETINGS = {
    "en": ("Dear Lena Meier,", "Dear customer,", "Hi Lena,", "Hi there,"),
    "de": ("Guten Tag Lena Meier,", "Guten Tag,", "Hallo Lena,", "Hallo,"),
    "fr": ("Bonjour Lena Meier,", "Bonjour,", "Salut Lena,", "Salut,"),
    "es": (
        "Estimado/a Lena Meier:",
        "Estimado/a cliente:",
        "¡Hola, Lena!",
        "¡Hola!",
    ),
    "pt_BR": (
        "Prezado(a) Lena Meier,",
        "Prezado(a) cliente,",
        "Olá, Lena!",
        "Olá!",
    ),
    "ja": (
        "Lena Meier 様",
        "お客様",
        "Lena Meierさん、こんにちは。",
        "こんにちは。",
    ),
}


def _render(template, locale, values, at=BEFORE_DST, zone="Europe/Berlin"):
    return CATALOG.render(
        template, locale=locale, at=at, time_zone=zone, values=values
    )


class TestShippedLocales:
    @pytest.mark.parametrize("locale", sorted(ACKNOWLEDGEMENTS))
    def test_acknowledgement_across_dst(self, locale):
        """The reply time is shown in the zone's new offset, 3 real hours on."""
        message = _render(
            "acknowledgement", locale, {"reply_by": BEFORE_DST.add(hours=3)}
        )
        assert message.text == ACKNOWLEDGEMENTS[locale]
        assert (message.locale, message.fell_back) == (locale, False)

    def test_acknowledgement_in_new_york_on_its_dst_day(self):
        """Midnight EST plus 3 hours is 4:00 EDT on 2024-03-10."""
        at = pendulum.datetime(2024, 3, 10, 5, tz="UTC")
        message = _render(
            "acknowledgement",
            "en",
            {"reply_by": at.add(hours=3)},
            at=at,
            zone="America/New_York",
        )
        assert message.text == (
            "Thank you for your message. We will reply by Sunday, "
            "4:00\u202fAM your time (in 3 hours)."
        )

    @pytest.mark.parametrize("locale", sorted(DELAYS))
    def test_delay_notice(self, locale):
        """The delay notice gives the new time and the days until it."""
        message = _render(
            "delay_notice",
            locale,
            {"reply_by": BEFORE_DST.add(days=2, hours=5)},
        )
        assert message.text == DELAYS[locale]

    @pytest.mark.parametrize("locale", sorted(SURVEYS))
    def test_survey_invitation_plurals(self, locale):
        """The survey invitation takes the plural form of its count."""
        values = {"case_id": "C-7", "survey_url": "https://s.example/x"}
        texts = tuple(
            _render(
                "survey_invitation", locale, {**values, "questions": n}
            ).text
            for n in (1, 3)
        )
        assert texts == SURVEYS[locale]

    @pytest.mark.parametrize("locale", sorted(RESOLUTION_DAYS))
    def test_resolution_plurals(self, locale):
        """Each locale's plural rule picks the form for 0, 1 and 2."""
        texts = [
            _render("resolution", locale, {"case_id": "C-7", "days": n}).text
            for n in (0, 1, 2)
        ]
        for text, days in zip(texts, RESOLUTION_DAYS[locale], strict=True):
            assert days in text
        assert (
            texts[1]
            == {
                "en": "Your request C-7 has been resolved. If anything is still "
                "unclear, reply within 1 day and we will reopen it.",
                "de": "Ihre Anfrage C-7 wurde gelöst. Falls noch etwas unklar "
                "ist, antworten Sie innerhalb von 1 Tag, dann öffnen wir sie "
                "erneut.",
                "fr": "Votre demande C-7 a été résolue. Si quelque chose n’est "
                "pas clair, répondez dans un délai de 1 jour et nous la "
                "rouvrirons.",
                "es": "Su solicitud C-7 se ha resuelto. Si algo no está claro, "
                "responda en un plazo de 1 día y la reabriremos.",
                "pt_BR": "Sua solicitação C-7 foi resolvida. Se algo ainda não "
                "estiver claro, responda em até 1 dia e nós a reabriremos.",
                "ja": "お問い合わせ C-7 は解決済みとなりました。ご不明な点が"
                "ございましたら、1 日以内にご返信いただければ再度対応いたします。",
            }[locale]
        )

    @pytest.mark.parametrize("locale", sorted(GREETINGS))
    def test_greetings_with_and_without_a_name(self, locale):
        """Greetings use the name, or their anonymous variant without one."""
        texts = tuple(
            _render(template, locale, {"name": name}).text
            for template in ("greeting.formal", "greeting.informal")
            for name in ("Lena Meier", "")
        )
        assert texts == GREETINGS[locale]

    def test_every_shipped_locale_translates_every_template(self):
        """No shipped catalog leaves a template to the fallback."""
        assert CATALOG.locales() == ("de", "en", "es", "fr", "ja", "pt_BR")
        for locale in CATALOG.locales():
            for name in CATALOG.template_names():
                assert CATALOG.lookup(name, locale) == locale


class TestFallback:
    def test_region_falls_back_to_language(self):
        """de_CH text comes from de, and the message says so."""
        message = _render("resolution", "de_CH", {"case_id": "C", "days": 2})
        assert (message.locale, message.requested_locale) == ("de", "de_CH")
        assert message.fell_back

    def test_unknown_language_falls_back_to_english(self):
        """A locale without catalog falls back to English."""
        message = _render("resolution", "it_IT", {"case_id": "C", "days": 2})
        assert message.locale == "en"
        assert message.text.startswith("Your request C has been resolved.")

    def test_host_catalog_fills_a_region(self):
        """A host catalog for de_CH wins over de for de_CH only."""
        catalog = CATALOG.with_translation(
            "de_CH", "greeting.formal", "Grüezi {name},"
        )
        assert (
            catalog.render(
                "greeting.formal",
                locale="de_CH",
                at=BEFORE_DST,
                values={"name": "Lena"},
            ).text
            == "Grüezi Lena,"
        )
        assert (
            catalog.render(
                "greeting.formal",
                locale="de_AT",
                at=BEFORE_DST,
                values={"name": "Lena"},
            ).text
            == "Guten Tag Lena,"
        )

    def test_unknown_locale_is_an_error(self):
        """Rendering in a locale babel does not know is a clear error."""
        with pytest.raises(
            sc.errors.UnknownLocaleError, match=r"^locale: unknown"
        ):
            _render("resolution", "xx_YY", {"case_id": "C", "days": 1})


class TestHostTemplates:
    def test_numbers_currency_durations(self):
        """Host templates format numbers, money and durations per locale."""
        catalog = CATALOG.with_templates(
            sc.personalization.MessageTemplate(
                name="refund",
                source="We refunded {amount} ({share:percent}) {eta}; "
                "{points:integer} points.",
                placeholders={
                    "amount": "money",
                    "share": "number",
                    "eta": "duration",
                    "points": "number",
                },
            )
        ).with_translation(
            "de",
            "refund",
            "Wir haben {amount} ({share:percent}) erstattet, {eta}; "
            "{points:integer} Punkte.",
        )
        values = {
            "amount": (1234.5, "EUR"),
            "share": 0.25,
            "eta": pendulum.duration(hours=3),
            "points": 12500,
        }
        en = catalog.render(
            "refund", locale="en", at=BEFORE_DST, values=values
        )
        de = catalog.render(
            "refund", locale="de", at=BEFORE_DST, values=values
        )
        assert (
            en.text == "We refunded €1,234.50 (25%) in 3 hours; 12,500 points."
        )
        assert de.text == (
            "Wir haben 1.234,50\u00a0€ (25\u00a0%) erstattet, in 3 Stunden; "
            "12.500 Punkte."
        )

    def test_override_of_a_shipped_template(self):
        """A host replaces shipped English wording; other locales keep theirs."""
        catalog = CATALOG.with_translation(
            "en", "greeting.informal", "Hey {name:first}!"
        )
        assert (
            catalog.render(
                "greeting.informal",
                locale="en_US",
                at=BEFORE_DST,
                values={"name": "Ann Lee"},
            ).text
            == "Hey Ann!"
        )

    def test_po_file_from_a_host(self):
        """A host .po file adds a locale, read with babel at run time."""
        po = b"""
msgid ""
msgstr ""
"Language: it\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "resolution"
msgid "Your request {case_id} has been resolved. If anything is still unclear, reply within {days} day and we will reopen it."
msgid_plural "Your request {case_id} has been resolved. If anything is still unclear, reply within {days} days and we will reopen it."
msgstr[0] "La richiesta {case_id} \\u00e8 risolta: risponda entro {days} giorno."
msgstr[1] "La richiesta {case_id} \\u00e8 risolta: risponda entro {days} giorni."
""".replace(b"\\u00e8", "è".encode())
        catalog = CATALOG.with_po(io.BytesIO(po))
        message = catalog.render(
            "resolution",
            locale="it_IT",
            at=BEFORE_DST,
            values={"case_id": "C-1", "days": 5},
        )
        assert (
            message.text
            == "La richiesta C-1 è risolta: risponda entro 5 giorni."
        )
        assert message.locale == "it"

    def test_render_for_profile(self):
        """render_for uses the profile's template, locale, zone and tone."""
        profile = sc.personalization.Profile(
            name="Jean Dupont",
            locale="fr_CA",
            time_zone="America/Montreal",
            tone="informal",
            templates={"acknowledgement": "delay_notice"},
        )
        at = pendulum.datetime(2024, 3, 26, 10, tz="UTC")
        message = CATALOG.render_for(
            profile, "acknowledgement", at=at, reply_by=at.add(hours=3)
        )
        assert message.greeting == "Salut Jean,"
        assert message.template == "delay_notice"
        assert message.body.endswith("d’ici mardi, 09 h 00 (dans 3 heures).")
        assert message.text == f"{message.greeting}\n\n{message.body}"
        assert (message.locale, message.requested_locale) == ("fr", "fr_CA")


class TestLoadErrors:
    def test_unknown_placeholder(self):
        """A template using an undeclared placeholder fails when declared."""
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^refund: unknown placeholder \{amout\}; did you mean "
            r"'amount'\?",
        ):
            sc.personalization.MessageTemplate(
                name="refund",
                source="{amout}",
                placeholders={"amount": "money"},
            )

    def test_unknown_style(self):
        """A style the placeholder's kind lacks fails when declared."""
        with pytest.raises(
            sc.errors.TemplateError, match="no style 'weekday'"
        ):
            sc.personalization.MessageTemplate(
                name="x",
                source="{at:weekday}",
                placeholders={"at": "datetime"},
            )

    def test_translation_missing_a_placeholder(self):
        """A translation that leaves out a placeholder fails at load."""
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^de:acknowledgement: the translation of 'acknowledgement' "
            r"leaves out \{reply_by\}$",
        ):
            CATALOG.with_translation(
                "de", "acknowledgement", "Danke für Ihre Nachricht."
            )

    def test_translation_with_unknown_placeholder(self):
        """A translation naming an unknown placeholder fails at load."""
        with pytest.raises(
            sc.errors.TemplateError, match=r"unknown placeholder \{nom\}"
        ):
            CATALOG.with_translation("fr", "greeting.formal", "Bonjour {nom},")

    def test_name_template_needs_anonymous_variant(self):
        """A template with a name placeholder needs its anonymous variant."""
        with pytest.raises(
            sc.errors.TemplateError, match=r"'hello\.anonymous'"
        ):
            CATALOG.with_templates(
                sc.personalization.MessageTemplate(
                    name="hello",
                    source="Hello {name}",
                    placeholders={"name": "name"},
                )
            )

    def test_po_errors_are_reported_together_with_lines(self):
        """Every bad entry of a .po file is reported, at file:line."""
        po = b"""msgid ""
msgstr ""
"Language: de\\n"

msgctxt "greeting.formal"
msgid "Dear {name},"
msgstr "Guten Tag {nme},"

msgctxt "greting.informal"
msgid "Hi {name:first},"
msgstr "Hallo {name:first},"

msgctxt "greeting.formal.anonymous"
msgid "Dear client,"
msgstr "Guten Tag,"
"""
        source = io.BytesIO(po)
        source.name = "host/de.po"
        with pytest.raises(sc.errors.PolicyValidationError) as caught:
            CATALOG.with_po(source)
        assert [str(e) for e in caught.value.errors] == [
            "host/de.po:6: unknown placeholder {nme}; did you mean 'name'?; "
            "the template declares name",
            "host/de.po:10: unknown template 'greting.informal'; did you "
            "mean 'greeting.informal'?",
            "host/de.po:14: the msgid is not the source of "
            "'greeting.formal.anonymous' (an older text?); update the msgid "
            "and the translation",
        ]

    def test_fuzzy_and_empty_entries_fall_back(self):
        """Fuzzy or untranslated entries are missing, not errors."""
        po = b"""msgid ""
msgstr ""
"Language: de\\n"

#, fuzzy
msgctxt "greeting.formal"
msgid "Dear {name},"
msgstr "Sehr geehrte {name},"

msgctxt "greeting.informal"
msgid "Hi {name:first},"
msgstr ""
"""
        catalog = sc.personalization.MessageCatalog(
            CATALOG.template(n) for n in CATALOG.template_names()
        ).with_po(io.BytesIO(po))
        message = catalog.render(
            "greeting.formal",
            locale="de",
            at=BEFORE_DST,
            values={"name": "Ana"},
        )
        assert (message.text, message.locale) == ("Dear Ana,", "en")

    def test_missing_value_at_render(self):
        """A value missing at render time names the placeholder."""
        with pytest.raises(
            sc.errors.TemplateError, match=r"no value for \{case_id\}"
        ):
            _render("resolution", "en", {"days": 1})

    def test_wrong_plural_form_count(self):
        """A translation with the wrong number of plural forms fails."""
        with pytest.raises(
            sc.errors.TemplateError, match="needs 2 plural forms"
        ):
            CATALOG.with_translation("de", "resolution", ["{case_id} {days}"])


class TestPackageData:
    def test_catalogs_ship_as_po_files(self):
        """Catalogs are .po text files inside the package, no .mo files."""
        root = resources.files("servicecore").joinpath("locale")
        names = sorted(
            p.name
            for p in root.iterdir()
            if p.joinpath("LC_MESSAGES").is_dir()
        )
        assert names == ["de", "en", "es", "fr", "ja", "pt_BR"]
        for name in names:
            files = sorted(
                p.name for p in root.joinpath(name, "LC_MESSAGES").iterdir()
            )
            assert files == ["servicecore.po"]


class TestCatalogLocales:
    PO = b"""msgid ""
msgstr ""
"Language: %s\\n"

msgctxt "greeting.formal.anonymous"
msgid "Dear customer,"
msgstr "Hallo,"
"""

    def test_unknown_language_header(self):
        """A .po file for a locale babel does not know fails at load."""
        source = io.BytesIO(self.PO % b"xx_YY")
        source.name = "host/xx.po"
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^host/xx\.po: unknown locale 'xx_YY'",
        ):
            CATALOG.with_po(source)

    def test_unknown_locale_argument(self):
        """A misspelt locale argument fails with a suggestion."""
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^<po>: unknown locale 'de_CHE'; did you mean 'de_CH'\?$",
        ):
            CATALOG.with_po(io.BytesIO(self.PO % b"de"), locale="de_CHE")

    @pytest.mark.parametrize(
        ("header", "argument", "key"),
        [
            (b"de_CH", None, "de_CH"),
            (b"de-CH", None, "de_CH"),
            (b"de", "de-CH", "de_CH"),
            (b"zh_CN", None, "zh_Hans_CN"),
            (b"zh", "zh-TW", "zh_Hant_TW"),
        ],
    )
    def test_locale_in_any_form(self, header, argument, key):
        """A .po file's locale may be written in any form babel parses."""
        catalog = CATALOG.with_po(
            io.BytesIO(self.PO % header), locale=argument
        )
        assert key in catalog.locales()
        assert catalog.lookup("greeting.formal.anonymous", key) == key

    def test_unknown_locale_in_override(self):
        """An override for an unknown locale fails at once."""
        with pytest.raises(
            sc.errors.PolicyError, match="unknown locale 'klingon'"
        ):
            CATALOG.with_translation(
                "klingon", "greeting.formal", "Qapla' {name}"
            )

    def test_not_a_po_file(self):
        """Text that is not a .po file is a syntax error naming the file."""
        source = io.BytesIO(b'msgid "a"\nmsgstr "b"\nmsgstr "c"\n')
        source.name = "bad.po"
        with pytest.raises(sc.errors.PolicySyntaxError, match=r"^bad\.po:"):
            CATALOG.with_po(source)

    @pytest.mark.parametrize(
        ("old", "new", "problem"),
        [
            (
                "charset=utf-8",
                "charset={tf-8",
                r":\?: not a \.po file: unknown",
            ),
            (
                "plural=(n != 1)",
                "plural=({n != 1)",
                r": the Plural-Forms header is not a plural rule",
            ),
        ],
    )
    def test_a_header_gettext_cannot_read(self, old, new, problem):
        """An unknown encoding or plural rule is a syntax error naming the file."""
        shipped = Path(sc.__file__).parent / "locale" / "de" / "LC_MESSAGES"
        text = (shipped / "servicecore.po").read_text(encoding="utf-8")
        source = io.BytesIO(text.replace(old, new).encode("utf-8"))
        source.name = "bad.po"
        with pytest.raises(
            sc.errors.PolicySyntaxError, match=r"^bad\.po" + problem
        ):
            CATALOG.with_po(source, locale="de")


class TestToneVariants:
    def test_informal_variant_is_used_for_informal_profiles(self):
        """A <template>.informal variant renders for an informal profile."""
        catalog = CATALOG.with_templates(
            sc.personalization.MessageTemplate(
                name="acknowledgement.informal",
                source="Thanks! We'll get back to you {reply_by:relative}.",
                placeholders={"reply_by": "datetime"},
            )
        ).with_translation(
            "de",
            "acknowledgement.informal",
            "Danke! Wir melden uns {reply_by:relative}.",
        )
        at = pendulum.datetime(2024, 3, 26, 10, tz="UTC")
        informal = sc.personalization.Profile(
            name="Lena Meier", locale="de", tone="informal"
        )
        formal = sc.personalization.Profile(
            name="Lena Meier", locale="de", tone="formal"
        )
        message = catalog.render_for(
            informal, "acknowledgement", at=at, reply_by=at.add(hours=2)
        )
        assert (
            message.text
            == "Hallo Lena,\n\nDanke! Wir melden uns in 2 Stunden."
        )
        assert message.template == "acknowledgement.informal"
        assert (
            catalog.render_for(
                formal, "acknowledgement", at=at, reply_by=at.add(hours=2)
            ).template
            == "acknowledgement"
        )


VALUES_CATALOG = CATALOG.with_templates(
    sc.personalization.MessageTemplate(
        name="refund",
        source="{amount} {n} {c} {eta} {day}",
        placeholders={
            "amount": "money",
            "n": "number",
            "c": "count",
            "eta": "duration",
            "day": "datetime",
        },
    )
)
GOOD = {"amount": (1, "EUR"), "n": 1, "c": 1, "eta": 60, "day": BEFORE_DST}


class TestValueErrors:
    @pytest.mark.parametrize(
        ("name", "value", "problem"),
        [
            ("amount", "abc", "expected (amount, 'EUR'), got 'abc'"),
            ("amount", None, "expected (amount, 'EUR'), got None"),
            (
                "amount",
                ("abc", "EUR"),
                "expected a number as the amount, got 'abc'",
            ),
            (
                "amount",
                (None, "EUR"),
                "expected a number as the amount, got None",
            ),
            (
                "amount",
                (float("nan"), "EUR"),
                "expected a finite number, got nan",
            ),
            ("amount", (1e400, "EUR"), "expected a finite number, got inf"),
            (
                "amount",
                (Decimal("1e400"), "EUR"),
                "Decimal('1E+400') is out of range; numbers, counts and "
                "amounts are shown between -10^15 and 10^15",
            ),
            (
                "amount",
                (1, "XYZ"),
                "unknown currency 'XYZ'; use an ISO 4217 code such as 'EUR'",
            ),
            ("n", float("nan"), "expected a finite number, got nan"),
            (
                "n",
                Decimal("sNaN"),
                "expected a finite number, got Decimal('sNaN')",
            ),
            ("n", True, "expected a number, got True"),
            (
                "n",
                -(10**15),
                "-1000000000000000 is out of range; numbers, counts and "
                "amounts are shown between -10^15 and 10^15",
            ),
            pytest.param(
                "n",
                10**5000,
                "an int of 16610 bits is out of range; numbers, counts and "
                "amounts are shown between -10^15 and 10^15",
                id="n-huge-int",
            ),
            ("c", float("nan"), "expected an int, got nan"),
            ("c", 2.5, "expected an int, got 2.5"),
            (
                "eta",
                10**30,
                "1000000000000000000000000000000 seconds is out of range; a "
                "duration is at most 86399999999999 seconds (999999999 days)",
            ),
            ("eta", "1h", "expected a timedelta or seconds, got '1h'"),
            ("day", "x", "expected an aware datetime, got 'x'"),
        ],
    )
    def test_bad_value_names_the_placeholder(self, name, value, problem):
        """A value its kind cannot show is a TemplateError at the placeholder."""
        with pytest.raises(sc.errors.TemplateError) as caught:
            VALUES_CATALOG.render(
                "refund",
                locale="en",
                at=BEFORE_DST,
                values={**GOOD, name: value},
            )
        assert (caught.value.location, caught.value.problem) == (
            f"refund {{{name}}}",
            problem,
        )

    def test_babel_failure_is_mapped_at_the_boundary(self):
        """A moment that cannot be shown in the zone is a TemplateError, cause kept."""
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^refund \{day\}: .* cannot be shown in Asia/Tokyo",
        ) as caught:
            VALUES_CATALOG.render(
                "refund",
                locale="en",
                at=BEFORE_DST,
                time_zone="Asia/Tokyo",
                values={
                    **GOOD,
                    "day": pendulum.datetime(9999, 12, 31, 23, tz="UTC"),
                },
            )
        assert isinstance(caught.value.__cause__, sc.errors.TimeError)

    def test_text_babel_cannot_show_is_an_error(self):
        """An int too long for str() is a TemplateError, its size named."""
        with pytest.raises(sc.errors.TemplateError) as caught:
            CATALOG.render(
                "resolution",
                locale="en",
                at=BEFORE_DST,
                values={"case_id": 10**5000, "days": 1},
            )
        assert caught.value.location == "resolution {case_id}"
        assert caught.value.problem.startswith(
            "cannot format an int of 16610 bits as text in en: Exceeds the limit"
        )

    @settings(max_examples=150)
    @given(
        name=st.sampled_from(["amount", "n", "c", "eta", "day"]),
        value=st.one_of(
            st.none(),
            st.text(max_size=5),
            st.integers(),
            st.floats(),
            st.decimals(),
            st.tuples(
                st.one_of(st.floats(), st.decimals(), st.integers()),
                st.text(max_size=4),
            ),
            st.datetimes(timezones=st.just(UTC)),
        ),
    )
    def test_any_value_renders_or_raises_template_error(self, name, value):
        """No value makes rendering raise anything but a TemplateError."""
        with contextlib.suppress(sc.errors.TemplateError):
            VALUES_CATALOG.render(
                "refund",
                locale="de_CH",
                at=BEFORE_DST,
                time_zone="Asia/Tokyo",
                values={**GOOD, name: value},
            )


class TestInputBounds:
    PO = (
        b'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        b'msgctxt "greeting.formal.anonymous"\nmsgid "Dear customer,"\n'
        b'msgstr "Hallo,"\n'
    )

    def test_po_path_over_the_limit_is_refused(self, tmp_path):
        """A .po file larger than the limit is refused, naming the file."""
        path = tmp_path / "big.po"
        path.write_bytes(self.PO)
        assert (
            CATALOG.with_po(path, limit=len(self.PO)).lookup(
                "greeting.formal.anonymous", "de"
            )
            == "de"
        )
        with pytest.raises(sc.errors.PolicySyntaxError) as caught:
            CATALOG.with_po(path, limit=len(self.PO) - 1)
        assert (caught.value.location, caught.value.problem) == (
            str(path),
            f"larger than the limit of {len(self.PO) - 1:,} bytes; raise "
            "the limit if the file is meant to be this large",
        )

    def test_po_stream_over_the_limit_is_refused(self):
        """A binary stream is read only up to the limit."""
        source = io.BytesIO(self.PO + b"#" * 100)
        source.name = "host.po"
        with pytest.raises(
            sc.errors.PolicySyntaxError,
            match=r"^host\.po: larger than the limit of 10 bytes",
        ):
            CATALOG.with_po(source, limit=10)
        assert source.tell() == 11

    @pytest.mark.parametrize(
        ("days", "problem"),
        [
            (
                10**15,
                "1000000000000000 is out of range; numbers, counts and "
                "amounts are shown between -10^15 and 10^15",
            ),
            ("2", "expected an int, got '2'"),
            (None, "expected an int, got None"),
        ],
    )
    def test_plural_count_is_checked_before_choosing_the_form(
        self, days, problem
    ):
        """A count is bounded before a plural expression runs on it."""
        with pytest.raises(sc.errors.TemplateError) as caught:
            CATALOG.render(
                "resolution",
                locale="de",
                at=BEFORE_DST,
                values={"case_id": "C", "days": days},
            )
        assert (caught.value.location, caught.value.problem) == (
            "resolution {days}",
            problem,
        )

    def test_costly_plural_expression_meets_a_bounded_count(self):
        """n*n*...*n in Plural-Forms cannot be fed a count of a million digits."""
        po = (
            b'msgid ""\nmsgstr ""\n"Language: it\\n"\n'
            b'"Plural-Forms: nplurals=2; plural=('
            + b"n*" * 300
            + b'n > 1);\\n"\n\n'
        )
        catalog = CATALOG.with_po(io.BytesIO(po))
        with pytest.raises(
            sc.errors.TemplateError,
            match=r"^resolution \{days\}: an int of 3321929 bits is out of range",
        ):
            catalog.render(
                "resolution",
                locale="it",
                at=BEFORE_DST,
                values={"case_id": "C", "days": 10**1_000_000},
            )
