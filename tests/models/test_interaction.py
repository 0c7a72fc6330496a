import datetime as dt

import pendulum
import pytest

import servicecore as sc

T0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")


def _message(**kw):
    base = {
        "id": "m-1",
        "channel": "email",
        "direction": "inbound",
        "author_kind": "customer",
        "at": T0,
    }
    return sc.Interaction(**{**base, **kw})


class TestInteraction:
    def test_fields(self):
        """Strings convert to enums; at is stored as epoch seconds."""
        m = _message(author_id="c-1", body="Hi")
        assert (m.channel, m.direction, m.author_kind) == (
            sc.Channel.EMAIL,
            sc.Direction.INBOUND,
            sc.AuthorKind.CUSTOMER,
        )
        assert (m.at_s, m.at, m.public) == (1709283600, T0, True)

    def test_at_of_any_zone(self):
        """The same instant in another zone gives the same at_s."""
        m = _message(at=T0.in_tz("Asia/Tokyo"))
        assert m.at_s == 1709283600
        assert m.at.timezone_name == "UTC"

    def test_at_epoch_seconds(self):
        """The moment may be given as epoch seconds."""
        assert _message(at=1709283600) == _message()

    def test_naive_at(self):
        """A naive at raises NaiveDatetimeError naming 'at'."""
        with pytest.raises(
            sc.errors.NaiveDatetimeError, match=r"^at: naive"
        ) as info:
            _message(at=dt.datetime(2024, 3, 1, 9))  # noqa: DTZ001
        assert info.value.location == "at"

    def test_at_of_wrong_type(self):
        """A bool or a string is no moment."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^at: expected an aware"
        ):
            _message(at=True)

    def test_roles(self):
        """Agent replies and customer messages are public and directed."""
        reply = _message(direction="outbound", author_kind="agent")
        note = _message(
            direction="outbound", author_kind="agent", public=False
        )
        assert reply.is_agent_reply
        assert not reply.is_customer_message
        assert not note.is_agent_reply
        assert _message().is_customer_message

    def test_unknown_direction(self):
        """An unknown direction names the field."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^direction: unknown Direction 'in'"
        ):
            _message(direction="in")

    def test_public_must_be_bool(self):
        """The public flag is a bool, not a truthy value."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^public: expected a bool"
        ):
            _message(public=1)

    def test_non_string_enum_value(self):
        """A value that is no string gets no misleading suggestion."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^channel: unknown Channel None; expected one of email",
        ):
            _message(channel=None)

    def test_epoch_seconds_out_of_range(self):
        """Epoch seconds must be within the years 1 to 9999."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^at: epoch seconds 10{20} are outside",
        ):
            _message(at=10**20)
