import datetime as dt

import attrs
import pendulum
import pytest

import servicecore as sc

T0 = pendulum.datetime(2024, 3, 1, 9, tz="Europe/Zurich")
T0_S = 1709280000
CUSTOMER = sc.Customer(id="c-1", locale="de_CH", time_zone="Europe/Zurich")


def _at(minutes):
    return T0_S + 60 * minutes


def _message(minutes, kind="customer", direction="inbound", *, public=True):
    return sc.MessageAdded(
        case_id="k",
        interaction=sc.Interaction(
            id=f"m-{minutes}",
            channel="email",
            direction=direction,
            author_kind=kind,
            author_id="a-1" if kind == "agent" else "c-1",
            at=_at(minutes),
            public=public,
        ),
    )


def _status(minutes, status):
    return sc.StatusChanged(case_id="k", at=_at(minutes), status=status)


def _case(*events, priority="normal"):
    created = sc.CaseCreated(
        case_id="k", at=T0, priority=priority, tags=["billing"]
    )
    return sc.Case(
        id="k",
        customer=CUSTOMER,
        subject="Invoice",
        channel="email",
        events=(created, *events),
    )


@pytest.fixture(name="case")
def _full_case():
    return _case(
        _message(0),
        sc.Assigned(case_id="k", at=_at(5), agent_id="a-1", team_id="t-1"),
        _status(5, "open"),
        _message(10, "agent", "outbound", public=False),
        _message(30, "agent", "outbound"),
        _status(30, "pending"),
        _message(90, "customer"),
        _status(90, "open"),
        sc.PriorityChanged(case_id="k", at=_at(95), priority="high"),
        sc.TagsChanged(
            case_id="k", at=_at(95), added=["vip"], removed=["billing"]
        ),
        sc.FieldChanged(case_id="k", at=_at(96), name="order", value="A-7"),
        _message(120, "agent", "outbound"),
        _status(120, "solved"),
        _message(200, "customer"),
        _status(200, "open"),
        sc.FieldChanged(case_id="k", at=_at(201), name="order", value=None),
        _status(240, "solved"),
        _status(300, "closed"),
        sc.SurveyReceived(
            case_id="k",
            response=sc.SurveyResponse(
                id="s", kind="csat", score=4, at=_at(400)
            ),
        ),
    )


class TestConstruction:
    def test_fields(self, case):
        """A case keeps id, customer, subject, channel and its events."""
        assert (case.id, case.customer, case.subject, case.channel) == (
            "k",
            CUSTOMER,
            "Invoice",
            sc.Channel.EMAIL,
        )
        assert len(case.events) == 20
        assert isinstance(case.events, tuple)
        assert (case.created_at_s, case.created_at) == (T0_S, T0)
        assert case.status is sc.CaseStatus.CLOSED

    def test_events_from_a_list(self):
        """A list of events is stored as a tuple."""
        created = sc.CaseCreated(case_id="k", at=T0_S)
        case = sc.Case(
            id="k", customer=CUSTOMER, channel="chat", events=[created]
        )
        assert case.events == (created,)

    def test_starts_with_created(self):
        """The first event must be CaseCreated."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^events\[0\]: a case starts with CaseCreated, got StatusChanged",
        ):
            sc.Case(
                id="k",
                customer=CUSTOMER,
                channel="chat",
                events=[_status(0, "open")],
            )

    def test_no_events(self):
        """An empty log is refused."""
        with pytest.raises(sc.errors.ModelError, match=r"got nothing"):
            sc.Case(id="k", customer=CUSTOMER, channel="chat", events=())

    def test_out_of_order_log(self):
        """An event before its predecessor raises EventOrderError at its index."""
        with pytest.raises(
            sc.errors.EventOrderError, match=r"^events\[2\]\.at: "
        ) as info:
            _case(_message(10), _message(5))
        assert info.value.location == "events[2].at"

    def test_event_of_another_case(self):
        """An event of another case raises CaseMismatchError."""
        other = sc.StatusChanged(case_id="x", at=_at(1), status="open")
        with pytest.raises(
            sc.errors.CaseMismatchError,
            match=r"^events\[1\]\.case_id: event of case 'x'",
        ):
            _case(other)

    def test_invalid_transition_in_log(self):
        """A forbidden status change in the log raises at its index."""
        with pytest.raises(
            sc.errors.InvalidTransitionError,
            match=r"^events\[2\]\.status: the case is already 'open'",
        ):
            _case(_status(1, "open"), _status(2, "open"))

    def test_second_created(self):
        """Only the first event may be CaseCreated."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^events\[1\]: a case has one CaseCreated",
        ):
            _case(sc.CaseCreated(case_id="k", at=_at(1)))

    def test_hashable_and_equal(self, case):
        """Cases compare and hash by value."""
        same = sc.Case(
            id=case.id,
            customer=case.customer,
            subject=case.subject,
            channel=case.channel,
            events=list(case.events),
        )
        assert same == case
        assert hash(same) == hash(case)

    def test_evolve_revalidates(self, case):
        """attrs.evolve goes through validation."""
        with pytest.raises(sc.errors.ModelError):
            attrs.evolve(case, events=case.events[1:])


class TestAppend:
    def test_returns_a_new_case(self):
        """Appending leaves the case as it was and returns a longer one."""
        case = _case()
        longer = case.append(_status(1, "open"))
        assert len(case.events) == 1
        assert len(longer.events) == 2
        assert longer.status is sc.CaseStatus.OPEN
        assert case.status is sc.CaseStatus.NEW

    def test_appended_equals_built(self, case):
        """Appending events one by one equals building the case at once."""
        built = _case()
        for event in case.events[1:]:
            built = built.append(event)
        assert built == case
        assert hash(built) == hash(case)
        assert built.status is case.status

    def test_same_second_is_fine(self):
        """An event at the same second as the last one is in order."""
        case = _case(_status(1, "open")).append(_status(1, "pending"))
        assert case.status is sc.CaseStatus.PENDING

    def test_out_of_order(self):
        """An event before the last event raises EventOrderError."""
        case = _case(_status(10, "open"))
        with pytest.raises(
            sc.errors.EventOrderError,
            match=r"^event\.at: 2024-03-01T08:05:00\+00:00 is before the case's "
            r"last event at 2024-03-01T08:10:00\+00:00",
        ):
            case.append(_message(5))

    def test_another_case(self):
        """An event of another case raises CaseMismatchError."""
        with pytest.raises(
            sc.errors.CaseMismatchError, match=r"^event\.case_id: "
        ):
            _case().append(
                sc.StatusChanged(case_id="x", at=_at(1), status="open")
            )

    def test_closed_is_terminal(self):
        """Nothing changes the status of a closed case."""
        case = _case(_status(1, "closed"))
        for status in ("open", "solved", "pending"):
            with pytest.raises(
                sc.errors.InvalidTransitionError,
                match=r"^event\.status: cannot change a closed case",
            ):
                case.append(_status(2, status))

    def test_events_after_closing(self):
        """A closed case still takes non-status events such as a survey."""
        case = _case(_status(1, "closed")).append(_message(5))
        assert len(case.events) == 3

    def test_nothing_goes_back_to_new(self):
        """No status goes back to new."""
        with pytest.raises(
            sc.errors.InvalidTransitionError, match=r"back to 'new'"
        ):
            _case(_status(1, "open")).append(_status(2, "new"))

    def test_same_status_refused(self):
        """A change to the current status is refused."""
        with pytest.raises(
            sc.errors.InvalidTransitionError, match=r"already 'new'"
        ):
            _case().append(_status(2, "new"))

    def test_second_created_refused(self):
        """Appending refuses a second CaseCreated."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^event: a case has one"
        ):
            _case().append(sc.CaseCreated(case_id="k", at=_at(1)))

    def test_not_an_event(self):
        """Appending refuses anything but an event."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^event: expected a case event"
        ):
            _case().append("hello")  # type: ignore[arg-type]


class TestStateAt:
    def test_at_creation(self, case):
        """At creation: new, the initial priority and tags, nothing else."""
        state = case.state_at(T0)
        assert state == sc.CaseState(
            status=sc.CaseStatus.NEW,
            priority=sc.Priority.NORMAL,
            tags=frozenset({"billing"}),
            created_at_s=T0_S,
            message_count=1,
            customer_message_count=1,
            last_customer_message_at_s=T0_S,
            last_interaction=case.events[1].interaction,
        )

    def test_mid_conversation(self, case):
        """After the first reply and the pending period."""
        state = case.state_at_s(_at(100))
        assert state.status is sc.CaseStatus.OPEN
        assert state.priority is sc.Priority.HIGH
        assert (state.assignee_id, state.team_id) == ("a-1", "t-1")
        assert state.tags == frozenset({"vip"})
        assert state.fields == {"order": "A-7"}
        assert state.first_agent_reply_at_s == _at(30)
        assert state.last_agent_reply_at_s == _at(30)
        assert state.last_customer_message_at_s == _at(90)
        assert (
            state.message_count,
            state.customer_message_count,
            state.agent_message_count,
            state.note_count,
        ) == (4, 2, 1, 1)
        assert (state.solved_at_s, state.closed_at_s, state.reopen_count) == (
            None,
            None,
            0,
        )

    def test_solved_then_reopened(self, case):
        """A reopen counts and clears solved_at."""
        assert case.state_at_s(_at(150)).solved_at_s == _at(120)
        state = case.state_at_s(_at(210))
        assert (state.status, state.reopen_count, state.solved_at_s) == (
            sc.CaseStatus.OPEN,
            1,
            None,
        )
        assert state.fields == {}

    def test_closed(self, case):
        """At the end: closed after the second solve."""
        state = case.state_at(T0.add(days=1))
        assert state.status is sc.CaseStatus.CLOSED
        assert state.solved_at == T0.add(minutes=240)
        assert state.closed_at == T0.add(minutes=300)
        assert state.first_agent_reply_at == T0.add(minutes=30)
        assert state.last_agent_reply_at == T0.add(minutes=120)
        assert state.last_customer_message_at == T0.add(minutes=200)
        assert state.created_at == T0
        assert state.reopen_count == 1
        assert state.message_count == 6

    def test_events_at_the_moment_count(self, case):
        """An event exactly at the moment is included."""
        assert case.state_at_s(_at(5)).status is sc.CaseStatus.OPEN
        assert case.state_at_s(_at(5) - 1).status is sc.CaseStatus.NEW

    def test_any_zone(self, case):
        """The moment may be in any zone."""
        at = T0.add(minutes=100)
        assert case.state_at(at.in_tz("America/Sao_Paulo")) == case.state_at(
            at
        )

    def test_naive_moment(self, case):
        """A naive moment raises NaiveDatetimeError naming 'at'."""
        with pytest.raises(sc.errors.NaiveDatetimeError, match=r"^at: naive"):
            case.state_at(dt.datetime(2024, 3, 1, 12))  # noqa: DTZ001

    def test_before_creation(self, case):
        """There is no state before the case existed."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^at: .* is before the case was created",
        ):
            case.state_at(T0.subtract(seconds=1))

    def test_datetime_properties_are_utc(self, case):
        """State moments read as UTC DateTimes."""
        assert case.state_at(T0).created_at.timezone_name == "UTC"
        assert case.state_at(T0).first_agent_reply_at is None
