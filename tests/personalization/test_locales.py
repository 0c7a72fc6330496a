# ruff: noqa: RUF001 - localized punctuation; long expected texts
import contextlib

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc

CATALOG = sc.personalization.MessageCatalog.default()
MONDAY = pendulum.datetime(2024, 3, 25, 13, tz="UTC")
REPLY = {"reply_by": MONDAY.add(hours=3)}
ZH_HANS = "感谢您的留言。我们将在{reply_by}（{reply_by:relative}）之前回复您。"
ZH_HANT = "感謝您的來信。我們將在{reply_by}（{reply_by:relative}）前回覆。"
SR_CYRL = "Хвала. Одговорићемо до {reply_by} ({reply_by:relative})."
ENGLISH = (
    "Thank you for your message. We will reply by Tuesday, 12:00\u202fAM "
    "your time (in 3 hours)."
)
REFUND = sc.personalization.MessageTemplate(
    name="refund",
    source="We refunded {amount} on {day:date}.",
    placeholders={"amount": "money", "day": "datetime"},
)


def _ack(catalog, locale, zone="Asia/Taipei"):
    return catalog.render(
        "acknowledgement",
        locale=locale,
        at=MONDAY,
        time_zone=zone,
        values=REPLY,
    )


class TestLocaleForms:
    @pytest.mark.parametrize(
        ("written", "key"),
        [
            ("zh_CN", "zh_Hans_CN"),
            ("zh_Hans_CN", "zh_Hans_CN"),
            ("zh-CN", "zh_Hans_CN"),
            ("zh-Hans-CN", "zh_Hans_CN"),
            ("zh_TW", "zh_Hant_TW"),
            ("zh_Hant_TW", "zh_Hant_TW"),
            ("sr_RS", "sr_Cyrl_RS"),
            ("pa_IN", "pa_Guru_IN"),
            ("az_AZ", "az_Latn_AZ"),
            ("bs_BA", "bs_Latn_BA"),
            ("de-CH", "de_CH"),
        ],
    )
    def test_every_spelling_finds_the_same_catalog(self, written, key):
        """A catalog added under one spelling serves every other spelling."""
        catalog = CATALOG.with_translation(
            written, "greeting.formal", "¡{name}!"
        )
        for other in (written, key, key.replace("_", "-")):
            message = catalog.render(
                "greeting.formal",
                locale=other,
                at=MONDAY,
                values={"name": "A"},
            )
            assert (message.text, message.locale) == ("¡A!", key)
            assert message.requested_locale == other
            assert not message.fell_back

    @pytest.mark.parametrize(
        "locale", ["pa_IN", "az_AZ", "bs_BA", "sr_RS", "zh_CN", "zh-TW"]
    )
    def test_locale_without_catalog_renders_in_english(self, locale):
        """A locale with no catalog in its chain gets the English message."""
        message = _ack(CATALOG, locale)
        assert (message.text, message.locale) == (ENGLISH, "en")
        assert message.fell_back

    def test_unknown_locale_is_refused_with_a_hint(self):
        """A locale babel cannot parse is an error naming the argument."""
        with pytest.raises(
            sc.errors.UnknownLocaleError,
            match=r"^locale: unknown locale 'pt_BRA'; did you mean 'pt_BR'\?$",
        ) as caught:
            _ack(CATALOG, "pt_BRA")
        assert caught.value.location == "locale"

    def test_rules_accept_every_form(self):
        """A rule may set the locale in any form babel parses, kept as written."""
        rules = sc.Personalizer.from_dict(
            {
                "schema_version": 1,
                "personalization": {
                    "rules": [{"name": "zh", "set": {"locale": "zh-TW"}}]
                },
            }
        )
        profile = rules.personalize(sc.Customer(id="c"), at=MONDAY)
        assert profile.locale == "zh-TW"
        assert (
            rules.render(profile, "acknowledgement", at=MONDAY, **REPLY).locale
            == "en"
        )

    @pytest.mark.parametrize("locale", ["zh_CN", "zh-CN", "zh_Hans_CN"])
    def test_customer_locale_in_any_form(self, locale):
        """A customer's locale in any form renders from its catalog."""
        rules = sc.Personalizer(
            catalog=CATALOG.with_translation("zh", "acknowledgement", ZH_HANS)
        )
        customer = sc.Customer(
            id="c", locale=locale, time_zone="Asia/Shanghai"
        )
        message = rules.render(
            rules.personalize(customer, at=MONDAY),
            "acknowledgement",
            at=MONDAY,
            greet=False,
            **REPLY,
        )
        assert (
            message.text
            == "感谢您的留言。我们将在星期二 00:00（3小时后）之前回复您。"
        )
        assert message.locale == "zh"


class TestChain:
    def test_traditional_chinese_falls_back_by_parts(self):
        """zh_Hant_TW falls back to zh_Hant, then zh, then English."""
        both = CATALOG.with_translation(
            "zh_Hant", "acknowledgement", ZH_HANT
        ).with_translation("zh", "acknowledgement", ZH_HANS)
        hant = _ack(both, "zh_Hant_TW")
        assert (hant.locale, hant.text) == (
            "zh_Hant",
            "感謝您的來信。我們將在星期二 午夜12:00（3 小時後）前回覆。",
        )
        assert _ack(both, "zh_TW").locale == "zh_Hant"
        simplified = CATALOG.with_translation("zh", "acknowledgement", ZH_HANS)
        assert _ack(simplified, "zh_Hant_TW").locale == "zh"
        assert _ack(CATALOG, "zh_Hant_TW").locale == "en"

    def test_cldr_parents_come_before_truncation(self):
        """es_MX reads es_419 before es, as CLDR says; es_ES does not."""
        catalog = CATALOG.with_translation(
            "es_419", "greeting.formal", "Hola {name}:"
        )
        texts = {
            locale: catalog.render(
                "greeting.formal",
                locale=locale,
                at=MONDAY,
                values={"name": "Ana"},
            )
            for locale in ("es_MX", "es_AR", "es_ES")
        }
        assert {k: (m.locale, m.text) for k, m in texts.items()} == {
            "es_MX": ("es_419", "Hola Ana:"),
            "es_AR": ("es_419", "Hola Ana:"),
            "es_ES": ("es", "Estimado/a Ana:"),
        }

    def test_default_locale_chain_comes_before_the_source(self):
        """A catalog's default locale and its parents precede the English source."""
        default_fr = sc.personalization.MessageCatalog(
            (CATALOG.template(n) for n in CATALOG.template_names()),
            default_locale="fr_CA",
        ).with_translation("fr", "greeting.formal.anonymous", "Bonjour,")
        message = default_fr.render(
            "greeting.formal", locale="it", at=MONDAY, values={"name": ""}
        )
        assert (message.locale, message.text) == ("fr", "Bonjour,")


class TestWholeMessageFallsBackTogether:
    def test_no_catalog_means_english_dates_and_relative_times(self):
        """An Italian customer without an Italian catalog gets it all in English."""
        message = _ack(CATALOG, "it_IT", zone="Europe/Rome")
        assert message.text == (
            "Thank you for your message. We will reply by Monday, 5:00\u202fPM "
            "your time (in 3 hours)."
        )

    def test_same_language_region_formats_the_region_way(self):
        """A de text for de_CH shows Swiss money; the source for en_GB British dates."""
        catalog = CATALOG.with_templates(REFUND).with_translation(
            "de", "refund", "Wir haben {amount} am {day:date} erstattet."
        )
        values = {"amount": (1234.5, "EUR"), "day": MONDAY}
        texts = {
            locale: catalog.render(
                "refund", locale=locale, at=MONDAY, values=values
            ).text
            for locale in ("de", "de_CH", "de-AT", "en", "en_GB", "it_IT")
        }
        assert texts == {
            "de": "Wir haben 1.234,50\u00a0€ am 25. März 2024 erstattet.",
            "de_CH": "Wir haben EUR\u00a01'234.50 am 25. März 2024 erstattet.",
            "de-AT": "Wir haben €\u00a01.234,50 am 25. März 2024 erstattet.",
            "en": "We refunded €1,234.50 on March 25, 2024.",
            "en_GB": "We refunded €1,234.50 on 25 March 2024.",
            "it_IT": "We refunded €1,234.50 on March 25, 2024.",
        }

    def test_other_script_formats_in_the_text_script(self):
        """A Cyrillic text for sr_Latn_RS, a Simplified one for zh_TW, keep their script."""
        serbian = CATALOG.with_translation("sr", "acknowledgement", SR_CYRL)
        latin = _ack(serbian, "sr_Latn_RS", zone="Europe/Belgrade")
        assert (latin.locale, latin.text) == (
            "sr",
            "Хвала. Одговорићемо до понедељак 17:00 (за 3 сата).",
        )
        chinese = CATALOG.with_translation("zh", "acknowledgement", ZH_HANS)
        assert _ack(chinese, "zh_TW").text == (
            "感谢您的留言。我们将在星期二 00:00（3小时后）之前回复您。"
        )

    def test_greeting_and_body_come_from_one_locale(self):
        """render_for uses the first locale that has both greeting and body."""
        catalog = CATALOG.with_translation(
            "it",
            "acknowledgement",
            "Grazie. Risponderemo entro {reply_by} ({reply_by:relative}).",
        )
        profile = sc.personalization.Profile(
            name="Ada Rossi", locale="it_IT", time_zone="Europe/Rome"
        )
        message = catalog.render_for(
            profile, "acknowledgement", at=MONDAY, **REPLY
        )
        assert message.text == (
            "Dear Ada Rossi,\n\nThank you for your message. We will reply by "
            "Monday, 5:00\u202fPM your time (in 3 hours)."
        )
        assert message.locale == "en"
        full = catalog.with_translation(
            "it", "greeting.formal", "Gentile {name},"
        )
        message = full.render_for(
            profile, "acknowledgement", at=MONDAY, **REPLY
        )
        assert message.text == (
            "Gentile Ada Rossi,\n\nGrazie. Risponderemo entro lunedì, 17:00 (tra 3 ore)."
        )
        assert (message.locale, message.greeting) == (
            "it",
            "Gentile Ada Rossi,",
        )


class TestLocaleFuzz:
    @settings(max_examples=80)
    @given(locale=st.text(max_size=20))
    def test_any_locale_text_renders_or_is_refused(self, locale):
        """No locale text makes rendering raise a foreign exception."""
        with contextlib.suppress(sc.errors.UnknownLocaleError):
            message = _ack(CATALOG, locale)
            assert message.locale in CATALOG.locales()


class TestLongLocale:
    def test_long_text_is_refused_before_parsing(self):
        """A locale of a million characters is refused without parsing it."""
        with pytest.raises(sc.errors.UnknownLocaleError) as caught:
            _ack(CATALOG, "de" * 500_000)
        assert (caught.value.location, caught.value.problem) == (
            "locale",
            (
                "unknown locale: 1,000,000 characters is too long for a "
                "locale id (at most 64)"
            ),
        )
