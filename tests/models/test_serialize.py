import datetime as dt
import io
import json

import attrs
import pendulum
import pytest

import servicecore as sc

AT = 1709283600


@pytest.fixture(name="case")
def _case():
    customer = sc.Customer(
        id="c-1",
        name="Léa Martin",
        email="lea@example.com",
        locale="fr_FR",
        time_zone="Europe/Paris",
        tags=["vip"],
        attributes={"plan": "pro", "since": dt.date(2020, 2, 29), "mrr": 9.5},
        preferred_channel="chat",
        created_at=AT - 86_400,
    )
    message = sc.Interaction(
        id="m-1",
        channel="chat",
        direction="inbound",
        author_kind="customer",
        author_id="c-1",
        at=AT + 60,
        body="Bonjour !",
    )
    survey = sc.SurveyResponse(
        id="s-1", kind="nps", score=9, at=AT + 999, case_id="k"
    )
    return sc.Case(
        id="k",
        customer=customer,
        subject="Facture",
        channel="chat",
        events=[
            sc.CaseCreated(
                case_id="k", at=AT, priority="high", fields={"n": 1}
            ),
            sc.MessageAdded(case_id="k", interaction=message),
            sc.Assigned(case_id="k", at=AT + 70, team_id="t-1"),
            sc.StatusChanged(case_id="k", at=AT + 70, status="open"),
            sc.TagsChanged(
                case_id="k", at=AT + 80, added=["x"], removed=["y"]
            ),
            sc.FieldChanged(
                case_id="k", at=AT + 80, name="d", value=dt.date(2024, 1, 2)
            ),
            sc.PriorityChanged(case_id="k", at=AT + 90, priority="urgent"),
            sc.EscalationFired(
                case_id="k", at=AT + 95, policy="p", level=1, dedupe_key="p:1"
            ),
            sc.SurveyReceived(case_id="k", response=survey, at=AT + 1000),
        ],
    )


class TestToDict:
    def test_customer(self, case):
        """A customer becomes JSON-safe values; defaults are left out."""
        assert sc.to_dict(case.customer) == {
            "id": "c-1",
            "name": "Léa Martin",
            "email": "lea@example.com",
            "locale": "fr_FR",
            "time_zone": "Europe/Paris",
            "tags": ["vip"],
            "attributes": {
                "plan": "pro",
                "since": {"date": "2020-02-29"},
                "mrr": 9.5,
            },
            "preferred_channel": "chat",
            "created_at": "2024-02-29T09:00:00Z",
        }

    def test_event_has_kind_and_case_id(self, case):
        """A stand-alone event carries its kind and case id."""
        assert sc.to_dict(case.events[4]) == {
            "kind": "tags_changed",
            "case_id": "k",
            "at": "2024-03-01T09:01:20Z",
            "added": ["x"],
            "removed": ["y"],
        }

    def test_events_in_a_case_leave_out_the_case_id(self, case):
        """Inside a case, events share its id and leave it out."""
        data = sc.to_dict(case)
        assert [e["kind"] for e in data["events"]] == [
            "created",
            "message",
            "assigned",
            "status_changed",
            "tags_changed",
            "field_changed",
            "priority_changed",
            "escalation_fired",
            "survey_received",
        ]
        assert all("case_id" not in e for e in data["events"])
        assert data["events"][1] == {
            "kind": "message",
            "interaction": {
                "id": "m-1",
                "channel": "chat",
                "direction": "inbound",
                "author_kind": "customer",
                "author_id": "c-1",
                "at": "2024-03-01T09:01:00Z",
                "body": "Bonjour !",
            },
        }

    def test_json_safe(self, case):
        """The dict survives json.dumps and json.loads unchanged."""
        data = sc.to_dict(case)
        assert json.loads(json.dumps(data)) == data

    def test_enum_values_are_plain_strings(self, case):
        """Enums become plain str, not StrEnum members."""
        assert type(sc.to_dict(case)["channel"]) is str

    def test_not_a_model(self):
        """Anything but a model is refused."""
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^model: not a servicecore model: dict",
        ):
            sc.to_dict({})  # type: ignore[arg-type]


class TestRoundTrip:
    @pytest.mark.parametrize(
        "model",
        [
            sc.Agent(id="a", team_ids=["t"], skills=["x"], locale="ja_JP"),
            sc.Team(id="t", member_ids=["a"], time_zone="Asia/Tokyo"),
            sc.Customer(id="c"),
            sc.SurveyResponse(
                id="s", kind="csat", score=9, scale_max=10, at=AT
            ),
        ],
    )
    def test_models(self, model):
        """Every model comes back equal from its dict."""
        assert sc.from_dict(type(model), sc.to_dict(model)) == model

    def test_case(self, case):
        """A case comes back equal, through JSON text."""
        text = json.dumps(sc.to_dict(case))
        assert sc.from_dict(sc.Case, json.loads(text)) == case

    def test_events_through_case_event(self, case):
        """sc.CaseEvent reads any event by its kind."""
        for event in case.events:
            assert sc.from_dict(sc.CaseEvent, sc.to_dict(event)) == event

    def test_state(self, case):
        """A derived state round-trips too."""
        state = case.state_at_s(AT + 2000)
        assert sc.from_dict(sc.CaseState, sc.to_dict(state)) == state

    def test_moments_in_any_zone_are_read(self, case):
        """ISO moments with any offset are read as the same instant."""
        data = sc.to_dict(case)
        data["events"][0]["at"] = "2024-03-01T10:00:00+01:00"
        assert sc.from_dict(sc.Case, data) == case

    def test_epoch_seconds_are_read(self, case):
        """Integer epoch seconds are accepted for moments."""
        data = sc.to_dict(case)
        data["events"][0]["at"] = AT
        assert sc.from_dict(sc.Case, data) == case


class TestErrors:
    def _bad(self, case, mutate):
        data = sc.to_dict(case)
        mutate(data)
        with pytest.raises(sc.errors.SerializationError) as info:
            sc.from_dict(sc.Case, data, location="cases.json")
        return info.value

    def test_naive_moment(self, case):
        """A moment without zone names the path of the item."""
        err = self._bad(
            case,
            lambda d: d["events"][1]["interaction"].update(
                at="2024-03-01T09:00:00"
            ),
        )
        assert err.location == "cases.json, events[1].interaction.at"
        assert err.problem.startswith("a moment without a time zone")

    def test_unknown_locale(self, case):
        """A bad customer locale is located in the customer."""
        err = self._bad(case, lambda d: d["customer"].update(locale="fr_XX"))
        assert err.location == "cases.json, customer.locale"
        assert err.problem.startswith("unknown locale 'fr_XX'; did you mean")

    def test_unknown_key(self, case):
        """Unknown keys are refused, not ignored."""
        err = self._bad(case, lambda d: d["events"][2].update(agent="a"))
        assert (err.location, err.problem) == (
            "cases.json, events[2]",
            "unknown key(s): agent",
        )

    def test_unknown_event_kind(self, case):
        """An unknown kind suggests the closest."""
        err = self._bad(case, lambda d: d["events"][3].update(kind="status"))
        assert err.location == "cases.json, events[3].kind"

    def test_score_off_scale(self, case):
        """A score off its scale inside a survey event is located."""
        err = self._bad(
            case, lambda d: d["events"][8]["response"].update(score=11)
        )
        assert err.location == "cases.json, events[8].response.score"
        assert isinstance(err.__cause__, sc.ServiceCoreError)

    def test_invalid_transition(self, case):
        """An invalid log is reported at the event."""
        err = self._bad(case, lambda d: d["events"][3].update(status="new"))
        assert err.location == "cases.json, events[3].status"

    def test_missing_field(self, case):
        """A missing required key is named."""
        err = self._bad(case, lambda d: d.pop("channel"))
        assert (err.location, err.problem) == (
            "cases.json, channel",
            "required, but missing",
        )

    def test_wrong_types_are_not_coerced(self, case):
        """An int id is refused, not turned into a string."""
        err = self._bad(case, lambda d: d.update(id=5))
        assert err.location == "cases.json, id"

    def test_not_an_object(self):
        """A list is no model."""
        with pytest.raises(
            sc.errors.SerializationError, match=r"^expected an object"
        ):
            sc.from_dict(sc.Customer, [])  # type: ignore[arg-type]

    def test_not_a_model_class(self):
        """from_dict only builds models."""
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^cls: not a servicecore model",
        ):
            sc.from_dict(dict, {})


class TestJSONLines:
    def test_round_trip_through_a_file(self, case, tmp_path):
        """Cases written to a path read back equal, in order."""
        path = tmp_path / "cases.jsonl"
        cases = [case, *sc.generate_cases(5, seed=3)]
        assert sc.write_cases(cases, path) == 6
        assert list(sc.read_cases(path)) == cases
        assert len(path.read_text(encoding="utf-8").splitlines()) == 6

    def test_string_path(self, case, tmp_path):
        """A str path works as well as a Path."""
        path = str(tmp_path / "c.jsonl")
        sc.write_cases([case], path)
        assert list(sc.read_cases(path)) == [case]

    def test_blank_lines_are_skipped(self, case):
        """Blank lines between cases are ignored."""
        out = io.StringIO()
        sc.write_cases([case], out)
        text = "\n" + out.getvalue() + "\n  \n"
        assert list(sc.read_cases(io.StringIO(text))) == [case]

    def test_bad_json_names_the_line(self, case, tmp_path):
        """A line that is not JSON names the file and line."""
        path = tmp_path / "cases.jsonl"
        sc.write_cases([case], path)
        with path.open("a", encoding="utf-8") as f:
            f.write("{not json\n")
        cases = sc.read_cases(path)
        assert next(cases) == case
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"cases\.jsonl, line 2: not JSON",
        ):
            next(cases)

    def test_bad_case_names_line_and_path(self, case, tmp_path):
        """An invalid case names the file, the line and the item."""
        data = sc.to_dict(case)
        data["events"][0]["priority"] = "highest"
        path = tmp_path / "cases.jsonl"
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")
        with pytest.raises(sc.errors.SerializationError) as info:
            list(sc.read_cases(path))
        assert info.value.location == f"{path}, line 1, events[0].priority"
        assert info.value.problem.startswith("unknown Priority 'highest'")

    def test_unicode_is_kept(self, case):
        """Non-ASCII text is written as is and read back."""
        out = io.StringIO()
        sc.write_cases([case], out)
        assert "Léa" in out.getvalue()


class TestMomentFormat:
    def test_far_moments(self):
        """Moments before 1970 and after 2038 round-trip."""
        for at in (
            pendulum.datetime(1, 1, 1, tz="UTC"),
            pendulum.datetime(1969, 12, 31, 23, 59, 59, tz="UTC"),
            pendulum.datetime(9999, 12, 31, 23, 59, 59, tz="UTC"),
        ):
            r = sc.SurveyResponse(id="s", kind="ces", score=3, at=at)
            assert sc.from_dict(sc.SurveyResponse, sc.to_dict(r)) == r

    def test_invalid_utc_moment(self):
        """A moment shaped like ours but impossible is refused."""
        data = {
            "id": "s",
            "kind": "csat",
            "score": 3,
            "at": "2024-13-01T09:00:00Z",
        }
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^at: not an ISO 8601 moment: '2024-13-01T09:00:00Z'",
        ):
            sc.from_dict(sc.SurveyResponse, data)


def _line(*, ensure_ascii=True, **customer):
    """Return one JSON line of a minimal case with *customer* fields."""
    return json.dumps(
        {
            "id": "k",
            "customer": {"id": "c", **customer},
            "channel": "sms",
            "events": [{"kind": "created", "at": AT}],
        },
        ensure_ascii=ensure_ascii,
    )


class TestReadingUntrustedLines:
    def test_duplicate_key_names_the_line(self):
        """A key given twice in a case line is refused, not half-read."""
        line = '{"id": "k", "id": "j", "customer": {"id": "c"}}'
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^line 1: the key 'id' is given twice$",
        ):
            list(sc.read_cases(io.StringIO(line)))

    def test_duplicate_key_deeper_names_the_path(self):
        """A duplicate inside the customer is located at the customer."""
        line = _line().replace('"id": "c"', '"id": "c", "id": "d"')
        with pytest.raises(sc.errors.SerializationError) as info:
            list(sc.read_cases(io.StringIO(line)))
        assert (info.value.location, info.value.problem) == (
            "line 1, customer",
            "the key 'id' is given twice",
        )

    def test_lone_surrogate_escape_is_refused_with_file_and_line(
        self, tmp_path
    ):
        """A surrogate's lone escape is refused naming file, line and item."""
        path = tmp_path / "cases.jsonl"
        path.write_text(
            _line() + "\n" + _line(name="x\ud800") + "\n", encoding="utf-8"
        )
        cases = sc.read_cases(path)
        assert next(cases).id == "k"
        with pytest.raises(sc.errors.SerializationError) as info:
            next(cases)
        assert info.value.location == f"{path}, line 2, customer.name"
        assert info.value.problem.startswith(
            "a lone surrogate '\\ud800' is not Unicode"
        )

    def test_lone_surrogate_in_a_text_file(self):
        """A surrogate in a str line (a caller's text file) is refused too."""
        line = _line(name="x\ud800", ensure_ascii=False)
        assert "\ud800" in line
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^line 1, customer\.name: a lone",
        ):
            list(sc.read_cases(io.StringIO(line)))

    def test_surrogate_pairs_are_text(self):
        """A pair of escapes is one character and read back."""
        line = _line(name="\U0001f600")
        assert "\\ud83d\\ude00" in line
        assert (
            next(sc.read_cases(io.StringIO(line))).customer.name
            == "\U0001f600"
        )

    def test_deep_line(self):
        """A line nested 100k deep is our error naming the line."""
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^line 1: JSON nested too deeply$",
        ) as info:
            list(sc.read_cases(io.StringIO('{"id":' + "[" * 100_000 + "\n")))
        assert isinstance(info.value.__cause__, RecursionError)

    def test_deep_value_in_an_error_message(self):
        """A deeply nested bad value is shown briefly, never recursed over."""
        line = _line().replace('"created"', "[" * 900 + "]" * 900)
        with pytest.raises(sc.errors.SerializationError) as info:
            list(sc.read_cases(io.StringIO(line)))
        assert info.value.location == "line 1, events[0].kind"
        assert info.value.problem == "unknown event kind [[[[...]]]]"

    def test_not_utf8_in_a_file(self, tmp_path):
        """Bytes that are not UTF-8 name the file, the line and the byte."""
        path = tmp_path / "cases.jsonl"
        path.write_bytes(_line().encode() + b"\n\n" + b'{"id": "\xff"}\n')
        with pytest.raises(sc.errors.SerializationError) as info:
            list(sc.read_cases(path))
        assert (info.value.location, info.value.problem) == (
            f"{path}, line 3",
            "not UTF-8 text: invalid start byte at byte 9 of the line",
        )

    def test_binary_files_are_read_as_utf8(self):
        """An open binary file is read as UTF-8 lines."""
        data = (_line(name="Léa") + "\n").encode()
        assert [c.customer.name for c in sc.read_cases(io.BytesIO(data))] == [
            "Léa"
        ]
        with pytest.raises(
            sc.errors.SerializationError, match=r"^line 1: not UTF-8 text"
        ):
            list(sc.read_cases(io.BytesIO(b"\xfe\xff\n")))

    def test_text_file_that_cannot_decode(self, tmp_path):
        """A caller's text file failing to decode is our error with the line."""
        path = tmp_path / "cases.jsonl"
        path.write_bytes(b"\xff" * 10_000)
        with (
            path.open(encoding="utf-8") as file,
            pytest.raises(
                sc.errors.SerializationError,
                match=rf"^{path}, line 1: not UTF-8 text",
            ),
        ):
            list(sc.read_cases(file))

    @pytest.mark.parametrize(
        ("source", "unit"),
        [
            (io.StringIO, "characters"),
            (lambda t: io.BytesIO(t.encode()), "bytes"),
        ],
    )
    def test_line_size_limit(self, source, unit):
        """A line longer than max_line_bytes is refused before it is read whole."""
        text = _line() + "\n" + "x" * 1000 + "\n"
        cases = sc.read_cases(source(text), max_line_bytes=len(_line()) + 1)
        assert next(cases).id == "k"
        with pytest.raises(
            sc.errors.SerializationError,
            match=rf"^line 2: longer than the limit of {len(_line()) + 1:,} {unit}; "
            r"raise the limit \(max_line_bytes",
        ):
            next(cases)

    def test_endless_line_costs_bounded_memory(self):
        """An endless line (/dev/zero) is refused after limit + 1 bytes."""

        class Endless(io.RawIOBase):
            read_total = 0

            def readable(self):
                return True

            def readinto(self, buffer):
                Endless.read_total += len(buffer)
                buffer[:] = b"0" * len(buffer)
                return len(buffer)

        with pytest.raises(
            sc.errors.SerializationError, match=r"^line 1: longer than"
        ):
            list(
                sc.read_cases(
                    io.BufferedReader(Endless()), max_line_bytes=100_000
                )
            )
        assert Endless.read_total < 300_000

    @pytest.mark.parametrize(
        ("customer", "location", "problem"),
        [
            (
                {"tags": {"x": 1, "y": False}},
                "customer.tags",
                "expected a collection of strings, not a mapping: {'x': 1, 'y': False}",
            ),
            (
                {"created_at": 10**30},
                "customer.created_at",
                f"epoch seconds {10**30} are outside the years 1-9999",
            ),
            (
                {"created_at": "9999-12-31T23:00:00-05:00"},
                "customer.created_at",
                (
                    "9999-12-31T23:00:00-05:00 is outside the supported "
                    "moments, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
                ),
            ),
            (
                {"attributes": {"x": {"date": "2024-99-01"}}},
                "customer.attributes.x.date",
                "expected 'YYYY-MM-DD', got '2024-99-01'",
            ),
            (
                {"name": ["x"] * 10_000},
                "customer.name",
                "expected a string, got ['x', 'x', 'x', 'x', 'x', 'x', ...]",
            ),
        ],
    )
    def test_foreign_failures_are_located(self, customer, location, problem):
        """Huge ints, far moments, bad dates and big values are located errors."""
        with pytest.raises(sc.errors.SerializationError) as info:
            list(sc.read_cases(io.StringIO(_line(**customer))))
        assert (info.value.location, info.value.problem) == (
            f"line 1, {location}",
            problem,
        )

    def test_nan_is_refused(self):
        """JSON's NaN (not JSON, but Python writes it) is refused where it is."""
        line = _line(attributes={"x": 1.5}).replace("1.5", "NaN")
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^line 1, customer\.attributes\.x: expected a finite number, got nan$",
        ):
            list(sc.read_cases(io.StringIO(line)))

    def test_locales_with_scripts_are_read(self):
        """A customer in zh_CN no longer makes the file unreadable."""
        [case] = sc.read_cases(io.StringIO(_line(locale="zh_CN")))
        assert case.customer.locale == "zh_CN"


class TestWritingSafely:
    def test_a_failed_write_leaves_the_file(self, tmp_path):
        """A write that fails half-way leaves the existing file as it was."""
        path = tmp_path / "cases.jsonl"
        sc.write_cases(sc.generate_cases(3, seed=1), path)
        before = path.read_bytes()
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^cases\[2\]: not a servicecore Case: object$",
        ):
            sc.write_cases([*sc.generate_cases(2, seed=2), object()], path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["cases.jsonl"]

    def test_a_lone_surrogate_is_refused_at_write(self, tmp_path, case):
        """Text UTF-8 cannot encode is refused naming the case and the item."""
        path = tmp_path / "cases.jsonl"
        bad = attrs.evolve(case, subject="Facture \ud800")
        with pytest.raises(sc.errors.SerializationError) as info:
            sc.write_cases([case, bad], path)
        assert info.value.location == "cases[1], subject"
        assert not path.exists()
        with pytest.raises(sc.errors.SerializationError):
            sc.write_cases([bad], io.StringIO())


class TestMomentsAndDatesAreASCII:
    @pytest.mark.parametrize(
        "text",
        [
            "\uff12\uff10\uff12\uff14-03-01T09:00:00Z",
            "2024-03-01T09:00:00\uff3a",
            "2024-03-0\u0661T09:00:00+00:00",
        ],
    )
    def test_moments_with_other_digits_are_refused(self, text):
        """Moments in JSON are ASCII: other scripts' digits are refused."""
        data = {"id": "s", "kind": "nps", "score": 1, "at": text}
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^at: not an ISO 8601 moment: ",
        ):
            sc.from_dict(sc.SurveyResponse, data)

    def test_dates_with_other_digits_are_refused(self):
        """A date attribute with other scripts' digits is refused at its key."""
        data = {
            "id": "c",
            "attributes": {"d": {"date": "\uff12\uff10\uff12\uff14-03-01"}},
        }
        with pytest.raises(
            sc.errors.SerializationError,
            match=r"^attributes\.d\.date: expected 'YYYY-MM-DD', got ",
        ):
            sc.from_dict(sc.Customer, data)
