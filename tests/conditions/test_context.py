"""The built-in fields read a real case, customer and moment."""

from __future__ import annotations

import pendulum
import pytest

import servicecore as sc

T0 = pendulum.datetime(2024, 3, 1, 9, tz="UTC")  # a Friday


def _message(i, *, at, direction, author, public=True, body="hello"):
    return sc.Interaction(
        id=f"m-{i}",
        channel="chat",
        direction=direction,
        author_kind=author,
        author_id="a-1" if author == "agent" else None,
        at=at,
        body=body,
        public=public,
    )


@pytest.fixture(name="case")
def _case():
    customer = sc.Customer(
        id="cu-1",
        email="ana@acme.com",
        tier="vip",
        tags=["emea", "VIP"],
        locale="de_CH",
        time_zone="Asia/Tokyo",
        attributes={"plan": "gold", "seats": 40},
        preferred_channel="chat",
    )
    events = [
        sc.CaseCreated(
            case_id="k-1",
            at=T0,
            priority="high",
            tags=["billing"],
            fields={"order": "A-1"},
        ),
        sc.MessageAdded(
            case_id="k-1",
            interaction=_message(
                1, at=T0.add(minutes=5), direction="inbound", author="customer"
            ),
        ),
        sc.MessageAdded(
            case_id="k-1",
            interaction=_message(
                2, at=T0.add(hours=1), direction="outbound", author="agent"
            ),
        ),
        sc.Assigned(case_id="k-1", at=T0.add(hours=1), agent_id="a-1"),
        sc.StatusChanged(case_id="k-1", at=T0.add(hours=2), status="solved"),
        sc.StatusChanged(case_id="k-1", at=T0.add(hours=3), status="open"),
        sc.MessageAdded(
            case_id="k-1",
            interaction=_message(
                3,
                at=T0.add(hours=3),
                direction="outbound",
                author="agent",
                public=False,
                body="internal: refund approved",
            ),
        ),
    ]
    return sc.Case(
        id="k-1",
        customer=customer,
        channel="email",
        subject="Refund",
        events=events,
    )


def _value(registry, field, context):
    return registry.field(field).getter(field)(context)


class TestCaseFields:
    def test_every_builtin_field(self, case):
        """Each built-in field reads its part of the case at the moment."""
        context = sc.EvaluationContext(case, at=T0.add(hours=4))
        registry = sc.Registry()
        expected = {
            "case.id": "k-1",
            "case.status": "open",
            "case.priority": "high",
            "case.channel": "email",
            "case.subject": "Refund",
            "case.tags": frozenset({"billing"}),
            "case.fields.order": "A-1",
            "case.fields.missing": None,
            "case.assignee": "a-1",
            "case.team": None,
            "case.reopen_count": 1,
            "case.age": 4 * 3600,
            "case.created_at": 1709283600,
            "case.first_agent_reply_at": 1709283600 + 3600,
            "case.last_agent_reply_at": 1709283600 + 3600,
            "case.last_customer_message_at": 1709283600 + 300,
            "case.solved_at": None,
            "case.closed_at": None,
            "case.message_count": 3,
            "case.customer_message_count": 1,
            "case.agent_message_count": 1,
            "case.note_count": 1,
            "case.has_agent_reply": True,
            "case.since_customer_message": 4 * 3600 - 300,
            "case.since_agent_reply": 3 * 3600,
            "customer.id": "cu-1",
            "customer.email": "ana@acme.com",
            "customer.tier": "vip",
            "customer.segment": None,
            "customer.tags": frozenset({"emea", "vip"}),
            "customer.locale": "de_CH",
            "customer.language": "de",
            "customer.time_zone": "Asia/Tokyo",
            "customer.preferred_channel": "chat",
            "customer.attributes.plan": "gold",
            "customer.attributes.seats": 40,
            "customer.local_hour": 22,
            "customer.local_weekday": "fri",
            "interaction.channel": "chat",
            "interaction.direction": "outbound",
            "interaction.author_kind": "agent",
            "interaction.body": "hello",
            "interaction.public": False,
            "interaction.age": 3600,
            "moment.at": 1709283600 + 4 * 3600,
            "moment.weekday": "fri",
            "moment.hour": 13,
            "moment.minute": 0,
            "moment.business_hours": True,
        }
        actual = {name: _value(registry, name, context) for name in expected}
        assert actual == expected

    def test_every_builtin_field_is_tested(self):
        """The test above covers every built-in field (families by member)."""
        names = {
            name.replace("*", "x") for name in sc.Registry().field_names()
        }
        assert names == {
            "case.fields.x",
            "customer.attributes.x",
        } | {
            name
            for name in sc.Registry().field_names()
            if not name.endswith("*")
        }

    def test_state_is_derived_once(self, case, monkeypatch):
        """The case's state is derived once per context, not once per field."""
        calls = []
        original = sc.Case.state_at_s

        def counting(self, at_s):
            calls.append(at_s)
            return original(self, at_s)

        monkeypatch.setattr(sc.Case, "state_at_s", counting)
        context = sc.EvaluationContext(case, at=T0.add(hours=4))
        condition = sc.Condition.from_dict(
            {
                "all": [
                    {"field": "case.status", "op": "is", "value": "open"},
                    {"field": "case.priority", "op": "gte", "value": "high"},
                    {"field": "case.reopen_count", "op": "gte", "value": 1},
                ]
            }
        )
        assert condition(context) is True
        assert condition(context) is True
        assert len(calls) == 1

    def test_moment_before_the_first_agent_reply(self, case):
        """Fields reflect the log at the moment, not the case's end state."""
        context = sc.EvaluationContext(case, at=T0.add(minutes=30))
        registry = sc.Registry()
        assert [
            _value(registry, name, context)
            for name in (
                "case.status",
                "case.has_agent_reply",
                "case.since_agent_reply",
                "interaction.author_kind",
            )
        ] == ["new", False, None, "customer"]


class TestWithoutCase:
    def test_case_fields_are_missing(self):
        """Without a case, case and interaction fields are None."""
        context = sc.EvaluationContext(at=T0)
        registry = sc.Registry()
        names = [
            "case.status",
            "case.tags",
            "case.fields.x",
            "case.has_agent_reply",
            "case.age",
            "customer.tier",
            "customer.attributes.x",
            "customer.local_hour",
            "interaction.body",
        ]
        assert [_value(registry, n, context) for n in names] == [None] * 9

    def test_customer_only(self):
        """A customer-only context supplies the customer fields."""
        customer = sc.Customer(id="c", tier="gold")
        context = sc.EvaluationContext(customer=customer, at=T0)
        condition = sc.Condition.from_dict(
            {"field": "customer.tier", "op": "is", "value": "gold"}
        )
        assert condition(context) is True


class TestCustomerMessage:
    def _case(self, *messages):
        events = [sc.CaseCreated(case_id="k-1", at=T0)]
        events += [
            sc.MessageAdded(case_id="k-1", interaction=message)
            for message in messages
        ]
        return sc.Case(
            id="k-1",
            customer=sc.Customer(id="cu-1"),
            channel="chat",
            events=events,
        )

    def test_body_reads_the_customers_words(self, case):
        """interaction.body is the customer's text, not a later note."""
        context = sc.EvaluationContext(case, at=T0.add(hours=4))
        registry = sc.Registry()
        assert [
            _value(registry, name, context)
            for name in (
                "interaction.body",
                "interaction.author_kind",
                "interaction.public",
            )
        ] == ["hello", "agent", False]

    def test_sentiment_ignores_notes_and_replies(self):
        """An agent's angry note or reply does not make the customer angry."""
        case = self._case(
            _message(
                1,
                at=T0.add(minutes=1),
                direction="inbound",
                author="customer",
                body="Thanks, that was very helpful!",
            ),
            _message(
                2,
                at=T0.add(minutes=2),
                direction="outbound",
                author="agent",
                public=False,
                body="Terrible, awful customer. Hate this. Worst!",
            ),
            _message(
                3,
                at=T0.add(minutes=3),
                direction="outbound",
                author="agent",
                body="Sorry, this is terrible and awful.",
            ),
        )
        registry = sc.Registry()
        for field in sc.feedback.feedback_fields():
            registry.add_field(field, replace=True)
        angry = sc.Condition.from_dict(
            {"field": "interaction.sentiment", "op": "lt", "value": 0},
            registry=registry,
        )
        context = sc.EvaluationContext(case, at=T0.add(minutes=5))
        sentiment = registry.field("interaction.sentiment").get(context)
        assert (angry(context), sentiment) == (
            False,
            sc.feedback.LexiconSentimentScorer().score(
                "Thanks, that was very helpful!"
            ),
        )

    def test_latest_customer_message_at_the_moment(self):
        """The customer's latest message is the latest at the moment asked."""
        case = self._case(
            _message(
                1,
                at=T0.add(minutes=1),
                direction="inbound",
                author="customer",
                body="first",
            ),
            _message(
                2,
                at=T0.add(minutes=2),
                direction="inbound",
                author="customer",
                public=False,
                body="not public",
            ),
            _message(
                3,
                at=T0.add(minutes=3),
                direction="inbound",
                author="customer",
                body="second",
            ),
        )
        registry = sc.Registry()
        bodies = [
            _value(
                registry,
                "interaction.body",
                sc.EvaluationContext(case, at=T0.add(minutes=minutes)),
            )
            for minutes in (0, 1, 2, 3)
        ]
        assert bodies == [None, "first", "first", "second"]


class _NineToFive:
    """A calendar open 09:00-17:00 in New York, every day (duck-typed)."""

    time_zone = "America/New_York"

    def is_open_s(self, at_s):
        local = pendulum.from_timestamp(at_s, tz=self.time_zone)
        return 9 <= local.hour < 17


class TestMoment:
    def test_calendar_zone_and_hours(self):
        """moment.* read the calendar's zone; business hours its is_open_s."""
        calendar = _NineToFive()
        at = pendulum.datetime(2024, 3, 4, 13, 30, tz="UTC")  # 08:30 in NY
        context = sc.EvaluationContext(at=at, calendar=calendar)
        registry = sc.Registry()
        assert [
            _value(registry, name, context)
            for name in (
                "moment.weekday",
                "moment.hour",
                "moment.minute",
                "moment.business_hours",
            )
        ] == ["mon", 8, 30, False]
        later = sc.EvaluationContext(at=at.add(hours=1), calendar=calendar)
        assert _value(registry, "moment.business_hours", later) is True

    def test_business_calendar(self):
        """A BusinessCalendar gives the zone and the open hours."""
        calendar = sc.BusinessCalendar(
            "Europe/Berlin", {"mon-fri": ["09:00-12:00", "13:00-17:00"]}
        )
        registry = sc.Registry()
        lunch = pendulum.datetime(2024, 3, 4, 11, 30, tz="UTC")  # 12:30
        afternoon = lunch.add(hours=1)
        assert [
            (
                _value(registry, "moment.hour", context),
                _value(registry, "moment.business_hours", context),
            )
            for context in (
                sc.EvaluationContext(at=lunch, calendar=calendar),
                sc.EvaluationContext(at=afternoon, calendar=calendar),
            )
        ] == [(12, False), (13, True)]

    def test_naive_moment_is_refused(self):
        """A naive datetime is an error naming the argument."""
        with pytest.raises(sc.errors.NaiveDatetimeError, match=r"^at: "):
            sc.EvaluationContext(at=pendulum.naive(2024, 1, 1))

    def test_memo_shares_work(self):
        """memo() computes a value once per context."""
        context = sc.EvaluationContext.at_epoch(None, 0)
        calls = []
        for _ in range(3):
            context.memo("k", lambda: calls.append(1) or len(calls))
        assert calls == [1]


class TestVocabulary:
    @pytest.mark.parametrize(
        ("field", "enum"),
        [
            ("case.priority", sc.Priority),
            ("case.status", sc.CaseStatus),
            ("case.channel", sc.Channel),
            ("interaction.direction", sc.Direction),
            ("interaction.author_kind", sc.AuthorKind),
        ],
    )
    def test_enum_fields_follow_the_models(self, field, enum):
        """Enum fields take exactly the models' values, in their order."""
        assert sc.Registry().field(field).type.choices == tuple(
            member.value for member in enum
        )
