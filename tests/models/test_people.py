import datetime as dt

import attrs
import babel
import babel.localedata
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import servicecore as sc


class TestLocales:
    @pytest.mark.parametrize(
        "locale", ["zh_CN", "zh_TW", "sr_RS", "pa_IN", "az_AZ", "bs_BA"]
    )
    def test_locales_babel_completes_are_accepted_as_written(self, locale):
        """Locales babel parses by adding a script are kept as written."""
        customer = sc.Customer(id="c", locale=locale)
        assert customer.locale == locale
        assert babel.Locale.parse(customer.locale) == babel.Locale.parse(
            locale
        )

    @pytest.mark.parametrize(
        ("written", "stored"),
        [
            ("zh-CN", "zh_CN"),
            ("zh-cn", "zh_CN"),
            ("ZH_cn", "zh_CN"),
            ("zh_Hans_CN", "zh_Hans_CN"),
            ("zh-hans-cn", "zh_Hans_CN"),
            ("de-CH", "de_CH"),
            ("sr-Latn", "sr_Latn"),
            ("es-419", "es_419"),
            ("EN", "en"),
            ("de_DE@euro", "de_DE@euro"),
        ],
    )
    def test_stored_in_babels_spelling(self, written, stored):
        """Separators and letter case become babel's; no part is added."""
        assert sc.Customer(id="c", locale=written).locale == stored
        assert sc.Agent(id="a", locale=written).locale == stored
        assert sc.Team(id="t", locale=written).locale == stored

    def test_every_babel_id_is_kept_and_round_trips(self):
        """Each babel identifier, with _ or -, is stored as babel spells it."""
        for locale in babel.localedata.locale_identifiers():
            assert sc.Customer(id="c", locale=locale).locale == locale
            dashed = locale.replace("_", "-")
            assert sc.Customer(id="c", locale=dashed).locale == locale

    @given(st.sampled_from(sorted(babel.localedata.locale_identifiers())))
    def test_spelling_is_stable(self, locale):
        """Storing a stored locale again changes nothing."""
        once = sc.Customer(id="c", locale=locale.upper().replace("_", "-"))
        assert sc.Customer(id="c", locale=once.locale).locale == once.locale

    @pytest.mark.parametrize(
        "locale", ["en_XX", "x", "", "en US", "a" * 10_000, "\u0663\u0663"]
    )
    def test_what_babel_cannot_parse_is_refused(self, locale):
        """A locale babel cannot parse raises UnknownLocaleError, briefly."""
        with pytest.raises(
            sc.errors.UnknownLocaleError, match=r"^locale: unknown locale "
        ) as info:
            sc.Customer(id="c", locale=locale)
        assert len(str(info.value)) < 300

    def test_not_a_string(self):
        """A locale that is no string is refused, naming the field."""
        with pytest.raises(
            sc.errors.UnknownLocaleError,
            match=r"^locale: unknown locale \['en'\]",
        ):
            sc.Customer(id="c", locale=["en"])  # type: ignore[arg-type]


class TestTags:
    def test_a_mapping_is_not_tags(self):
        """A dict of tags is refused, not read as its keys."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^tags: expected a collection of strings, not a mapping: "
            r"\{'x': 1, 'y': False\}$",
        ) as info:
            sc.Customer(id="c", tags={"x": 1, "y": False})  # type: ignore[arg-type]
        assert info.value.location == "tags"

    @pytest.mark.parametrize(
        ("tags", "shown"),
        [([["x"]], r"\['x'\]"), (["a", 1], "1"), (["a", " "], "' '")],
    )
    def test_nested_lists_and_non_strings(self, tags, shown):
        """A tag that is no non-empty string is refused, naming the field."""
        with pytest.raises(
            sc.errors.ModelError,
            match=rf"^tags: expected non-empty strings, got {shown}$",
        ):
            sc.Customer(id="c", tags=tags)

    @pytest.mark.parametrize("tags", [b"vip", bytearray(b"vip"), "vip", 5])
    def test_bytes_strings_and_scalars(self, tags):
        """Bytes and a lone string are not collections of tags."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^tags: expected a collection of strings, got ",
        ):
            sc.Customer(id="c", tags=tags)

    def test_same_for_skills_and_ids(self):
        """Every set of strings refuses a mapping, naming its field."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^skills: .* not a mapping"
        ):
            sc.Agent(id="a", skills={"billing": True})  # type: ignore[arg-type]
        with pytest.raises(
            sc.errors.ModelError, match=r"^member_ids: .* not a mapping"
        ):
            sc.Team(id="t", member_ids={"a-1": 1})  # type: ignore[arg-type]


class TestHugeValues:
    @pytest.mark.parametrize(
        ("field", "error", "shown"),
        [
            (
                "time_zone",
                sc.errors.UnknownTimeZoneError,
                "unknown time zone 'xxxx",
            ),
            (
                "preferred_channel",
                sc.errors.ModelError,
                "unknown Channel 'xxxx",
            ),
            ("locale", sc.errors.UnknownLocaleError, "unknown locale 'xxxx"),
        ],
    )
    def test_long_strings_give_short_messages(self, field, error, shown):
        """A megabyte of text is named briefly, without a costly hint."""
        with pytest.raises(error) as info:
            sc.Customer(id="c", **{field: "x" * 1_000_000})
        assert info.value.location == field
        assert info.value.problem.startswith(shown)
        assert len(info.value.problem) < 200

    @pytest.mark.parametrize(
        "value",
        [2**63, -(2**63) - 1, 10**5000],
        ids=["2**63", "-2**63-1", "10**5000"],
    )
    def test_attribute_integers_are_64_bit(self, value):
        """An attribute int beyond 64 bits is refused at once, not at write."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^attributes\.x: expected an integer of 64 bits "
            r"\(-2\*\*63 to 2\*\*63 - 1\), got ",
        ):
            sc.Customer(id="c", attributes={"x": value})
        edge = 2**63 - 1 if value > 0 else -(2**63)
        assert (
            sc.Customer(id="c", attributes={"x": edge}).attributes["x"] == edge
        )

    def test_huge_epoch_seconds_are_named_briefly(self):
        """An int too long to print is described, not printed."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^created_at: epoch seconds <an integer of 16,610 bits> "
            "are outside the years 1-9999$",
        ):
            sc.Customer(id="c", created_at=10**5000)

    def test_deep_time_zone_is_named_briefly(self):
        """A deeply nested value is shown briefly, never recursed over."""
        deep: list[object] = []
        for _ in range(100_000):
            deep = [deep]
        with pytest.raises(
            sc.errors.UnknownTimeZoneError,
            match=r"^time_zone: unknown time zone '\[\[\[\[\.\.\.\]\]\]\]'$",
        ):
            sc.Customer(id="c", time_zone=deep)  # type: ignore[arg-type]


class TestCustomer:
    def test_defaults(self):
        """A customer needs only an id; the rest has documented defaults."""
        c = sc.Customer(id="c-1")
        assert (c.name, c.email, c.phone, c.locale, c.time_zone) == (
            "",
            None,
            None,
            "en",
            "UTC",
        )
        assert (c.tier, c.segment, c.tags, c.preferred_channel) == (
            "standard",
            None,
            frozenset(),
            None,
        )
        assert dict(c.attributes) == {}
        assert c.created_at_s is None
        assert c.created_at is None

    def test_tags_are_normalised(self):
        """Tags are stripped, lower-cased and deduplicated."""
        c = sc.Customer(id="c-1", tags=["VIP ", " vip", "Beta"])
        assert c.tags == frozenset({"vip", "beta"})

    def test_created_at_is_stored_as_epoch_seconds(self):
        """created_at of any zone is stored as epoch seconds, read in UTC."""
        moment = pendulum.datetime(2024, 1, 1, 1, tz="Europe/Zurich")
        c = sc.Customer(id="c-1", created_at=moment)
        assert c.created_at_s == 1704067200
        assert c.created_at == pendulum.datetime(2024, 1, 1, tz="UTC")
        assert c.created_at.timezone_name == "UTC"

    def test_naive_created_at_is_refused(self):
        """A naive created_at raises NaiveDatetimeError naming the field."""
        with pytest.raises(
            sc.errors.NaiveDatetimeError, match=r"^created_at: naive"
        ):
            sc.Customer(id="c-1", created_at=dt.datetime(2024, 1, 1))  # noqa: DTZ001

    def test_preferred_channel_from_string(self):
        """A channel value string converts to the Channel member."""
        c = sc.Customer(id="c-1", preferred_channel="sms")
        assert c.preferred_channel is sc.Channel.SMS

    def test_unknown_channel_names_the_field(self):
        """An unknown channel names the field and suggests the closest."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^preferred_channel: unknown Channel 'emial'; "
            r"did you mean 'email'\?",
        ):
            sc.Customer(id="c-1", preferred_channel="emial")

    def test_attributes_are_read_only_and_hashable(self):
        """The attributes are a read-only mapping, and customers stay hashable."""
        born = dt.date(1990, 5, 17)
        c = sc.Customer(
            id="c-1",
            attributes={"plan": "pro", "seats": 5, "mrr": 99.5, "born": born},
        )
        assert c.attributes == {
            "plan": "pro",
            "seats": 5,
            "mrr": 99.5,
            "born": born,
        }
        with pytest.raises(TypeError):
            c.attributes["plan"] = "free"  # type: ignore[index]
        same = sc.Customer(id="c-1", attributes=dict(c.attributes))
        assert hash(c) == hash(same)
        assert c == same
        assert {c, same} == {c}

    def test_attribute_values_are_checked(self):
        """An attribute value that is no scalar names its key."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^attributes\.x: expected"
        ):
            sc.Customer(id="c-1", attributes={"x": [1]})  # type: ignore[dict-item]

    def test_datetime_attribute_values_are_refused(self):
        """Datetimes are not attribute values: only dates."""
        moment = pendulum.datetime(2024, 1, 1)
        with pytest.raises(
            sc.errors.ModelError, match=r"^attributes\.t: datetimes"
        ):
            sc.Customer(id="c-1", attributes={"t": moment})

    def test_non_finite_floats_are_refused(self):
        """NaN cannot round-trip equal, so it is refused."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^attributes\.x: expected a finite"
        ):
            sc.Customer(id="c-1", attributes={"x": float("nan")})

    def test_unknown_locale(self):
        """An unknown locale raises UnknownLocaleError naming the field."""
        with pytest.raises(
            sc.errors.UnknownLocaleError,
            match=r"^locale: unknown locale 'xx_YY'",
        ) as info:
            sc.Customer(id="c-1", locale="xx_YY")
        assert info.value.location == "locale"
        assert isinstance(info.value, sc.errors.ModelError)

    def test_mixed_separators_get_a_hint(self):
        """'zh_Hans-CN' is refused with a hint to write 'zh_Hans_CN'."""
        with pytest.raises(
            sc.errors.UnknownLocaleError,
            match=r"^locale: unknown locale 'zh_Hans-CN'; did you mean "
            r"'zh_Hans_CN'\?; write a locale such as 'en', 'de_CH', 'de-CH' "
            r"or 'zh_Hans_CN'$",
        ):
            sc.Customer(id="c-1", locale="zh_Hans-CN")

    def test_known_locales(self):
        """Babel locale ids such as de_CH and pt_BR are accepted."""
        for locale in ("en", "de_CH", "fr_FR", "es_ES", "pt_BR", "ja_JP"):
            assert sc.Customer(id="c", locale=locale).locale == locale

    def test_unknown_time_zone(self):
        """An unknown zone raises UnknownTimeZoneError naming the field."""
        with pytest.raises(
            sc.errors.UnknownTimeZoneError,
            match=r"^time_zone: unknown time zone 'Europe/Zurik'; "
            r"did you mean 'Europe/Zurich'\?",
        ):
            sc.Customer(id="c-1", time_zone="Europe/Zurik")

    def test_empty_id(self):
        """An empty id is refused, naming the field."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^id: expected a non-empty"
        ):
            sc.Customer(id="")

    def test_email_shape(self):
        """Something that is no e-mail address is refused."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^email: expected an e-mail"
        ):
            sc.Customer(id="c-1", email="not an address")

    def test_tags_must_not_be_a_string(self):
        """A bare string is not a collection of tags."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^tags: expected a collection"
        ):
            sc.Customer(id="c-1", tags="vip")

    def test_frozen(self):
        """Customers are immutable; evolve makes a changed copy."""
        c = sc.Customer(id="c-1")
        with pytest.raises(AttributeError):
            c.name = "x"  # type: ignore[misc]
        assert attrs.evolve(c, locale="fr_FR").locale == "fr_FR"
        with pytest.raises(sc.errors.UnknownLocaleError):
            attrs.evolve(c, locale="fr-XX")


class TestAgentAndTeam:
    def test_agent(self):
        """An agent has teams, normalised skills, a locale and a zone."""
        a = sc.Agent(
            id="a-1",
            name="Ana",
            team_ids=["t-1"],
            skills=["Billing"],
            locale="es_ES",
            time_zone="Europe/Madrid",
        )
        assert (a.team_ids, a.skills) == (
            frozenset({"t-1"}),
            frozenset({"billing"}),
        )

    def test_team(self):
        """A team has members and skills."""
        t = sc.Team(id="t-1", member_ids=("a-1", "a-2"), skills={"de"})
        assert t.member_ids == frozenset({"a-1", "a-2"})
        assert hash(t) == hash(
            sc.Team(id="t-1", member_ids=["a-2", "a-1"], skills=["de"])
        )

    def test_agent_unknown_zone(self):
        """Agents validate their zone like customers."""
        with pytest.raises(
            sc.errors.UnknownTimeZoneError, match=r"^time_zone:"
        ):
            sc.Agent(id="a-1", time_zone="Mars/Olympus")

    def test_team_empty_member_id(self):
        """Member ids are non-empty strings."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^member_ids: expected non-empty"
        ):
            sc.Team(id="t-1", member_ids=[""])
