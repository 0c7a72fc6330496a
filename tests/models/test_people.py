import datetime as dt

import attrs
import pendulum
import pytest

import servicecore as sc


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
        with pytest.raises(sc.NaiveDatetimeError, match=r"^created_at: naive"):
            sc.Customer(id="c-1", created_at=dt.datetime(2024, 1, 1))  # noqa: DTZ001

    def test_preferred_channel_from_string(self):
        """A channel value string converts to the Channel member."""
        c = sc.Customer(id="c-1", preferred_channel="sms")
        assert c.preferred_channel is sc.Channel.SMS

    def test_unknown_channel_names_the_field(self):
        """An unknown channel names the field and suggests the closest."""
        with pytest.raises(
            sc.ModelError,
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
        with pytest.raises(sc.ModelError, match=r"^attributes\.x: expected"):
            sc.Customer(id="c-1", attributes={"x": [1]})  # type: ignore[dict-item]

    def test_datetime_attribute_values_are_refused(self):
        """Datetimes are not attribute values: only dates."""
        moment = pendulum.datetime(2024, 1, 1)
        with pytest.raises(sc.ModelError, match=r"^attributes\.t: datetimes"):
            sc.Customer(id="c-1", attributes={"t": moment})

    def test_non_finite_floats_are_refused(self):
        """NaN cannot round-trip equal, so it is refused."""
        with pytest.raises(
            sc.ModelError, match=r"^attributes\.x: expected a finite"
        ):
            sc.Customer(id="c-1", attributes={"x": float("nan")})

    def test_unknown_locale(self):
        """An unknown locale raises UnknownLocaleError naming the field."""
        with pytest.raises(
            sc.UnknownLocaleError, match=r"^locale: unknown locale 'xx_YY'"
        ) as info:
            sc.Customer(id="c-1", locale="xx_YY")
        assert info.value.location == "locale"
        assert isinstance(info.value, sc.ModelError)

    def test_hyphenated_locale_gets_a_hint(self):
        """'de-CH' is refused with a hint to write 'de_CH'."""
        with pytest.raises(
            sc.UnknownLocaleError, match=r"did you mean 'de_CH'\?"
        ):
            sc.Customer(id="c-1", locale="de-CH")

    def test_known_locales(self):
        """Babel locale ids such as de_CH and pt_BR are accepted."""
        for locale in ("en", "de_CH", "fr_FR", "es_ES", "pt_BR", "ja_JP"):
            assert sc.Customer(id="c", locale=locale).locale == locale

    def test_unknown_time_zone(self):
        """An unknown zone raises UnknownTimeZoneError naming the field."""
        with pytest.raises(
            sc.UnknownTimeZoneError,
            match=r"^time_zone: unknown time zone 'Europe/Zurik'; "
            r"did you mean 'Europe/Zurich'\?",
        ):
            sc.Customer(id="c-1", time_zone="Europe/Zurik")

    def test_empty_id(self):
        """An empty id is refused, naming the field."""
        with pytest.raises(sc.ModelError, match=r"^id: expected a non-empty"):
            sc.Customer(id="")

    def test_email_shape(self):
        """Something that is no e-mail address is refused."""
        with pytest.raises(sc.ModelError, match=r"^email: expected an e-mail"):
            sc.Customer(id="c-1", email="not an address")

    def test_tags_must_not_be_a_string(self):
        """A bare string is not a collection of tags."""
        with pytest.raises(
            sc.ModelError, match=r"^tags: expected a collection"
        ):
            sc.Customer(id="c-1", tags="vip")

    def test_frozen(self):
        """Customers are immutable; evolve makes a changed copy."""
        c = sc.Customer(id="c-1")
        with pytest.raises(AttributeError):
            c.name = "x"  # type: ignore[misc]
        assert attrs.evolve(c, locale="fr_FR").locale == "fr_FR"
        with pytest.raises(sc.UnknownLocaleError):
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
        with pytest.raises(sc.UnknownTimeZoneError, match=r"^time_zone:"):
            sc.Agent(id="a-1", time_zone="Mars/Olympus")

    def test_team_empty_member_id(self):
        """Member ids are non-empty strings."""
        with pytest.raises(
            sc.ModelError, match=r"^member_ids: expected non-empty"
        ):
            sc.Team(id="t-1", member_ids=[""])
