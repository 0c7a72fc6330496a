"""Values across kinds: booleans are no numbers, dates compare as moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import servicecore as sc
from servicecore.conditions._moments import moment_seconds

JUNE_1 = 1_717_200_000  # 2024-06-01T00:00:00Z


def _holds(registry, field, op, value, actual):
    condition = sc.Condition.from_dict(
        {"field": field, "op": op, "value": value}, registry=registry
    )
    return condition({field: actual})


class TestBooleansAreNotNumbers:
    @pytest.mark.parametrize(
        ("op", "value", "actual", "expected"),
        [
            ("is", True, 1, False),
            ("is", True, True, True),
            ("is", 1, True, False),
            ("is", 1, 1.0, True),
            ("is", False, 0, False),
            ("is", 0, False, False),
            ("is_not", True, 1, True),
            ("is_not", 1, True, True),
            ("in", [1, 2], True, False),
            ("in", [1, 2], 1, True),
            ("in", [True], 1, False),
            ("in", [1, True], True, True),
            ("in", [1, True], 1, True),
            ("in", [0, "a"], False, False),
            ("not_in", [1, 2], True, True),
            ("not_in", [False], 0, True),
            ("gt", 0, True, False),
            ("gte", 1, True, False),
            ("lt", 2, False, False),
            ("between", [0, 1], True, False),
            ("is", "1", 1, False),
            ("is", 1, "1", False),
            ("is", "true", True, False),
            ("in", ["a", "1"], 1, False),
            ("in", ["a", "True"], True, False),
            ("in", ["a", "b"], "b", True),
        ],
    )
    def test_untyped(self, registry, op, value, actual, expected):
        """Untyped values equal and order only within their own kind."""
        assert _holds(registry, "t.any.x", op, value, actual) is expected

    def test_keys_keep_true_and_one_apart(self, registry):
        """A list holding both 1 and true keeps both, tagged by kind."""
        condition = sc.Condition.from_dict(
            {"field": "t.any.x", "op": "in", "value": [1, True, "a"]},
            registry=registry,
        )
        assert condition._node.value == frozenset(
            {(1, 1), (0, True), (2, "a")}
        )

    def test_customer_attributes(self):
        """The issue's repro: attribute 1 is not true, true is not in [1, 2]."""
        at = pendulum.datetime(2024, 3, 4, 9, tz="UTC")

        def holds(op, value, attribute):
            customer = sc.Customer(id="u", attributes={"x": attribute})
            condition = sc.Condition.from_dict(
                {"field": "customer.attributes.x", "op": op, "value": value}
            )
            return condition(sc.EvaluationContext(at=at, customer=customer))

        cases = [
            ("is", True, 1),
            ("in", [1, 2], True),
            ("gt", 0, True),
            ("is", True, True),
            ("in", [1, 2], 2),
        ]
        assert [holds(*case) for case in cases] == [
            False,
            False,
            False,
            True,
            True,
        ]


class TestMomentFields:
    @pytest.mark.parametrize(
        ("value", "seconds"),
        [
            ("2024-06-01", JUNE_1),
            ("2024-06-01T00:00:00Z", JUNE_1),
            ("2024-06-01t00:00:00z", JUNE_1),
            ("2024-06-01 02:00:00+02:00", JUNE_1),
            ("2024-05-31T19:30-04:30", JUNE_1),
            ("2024-06-01T00:00:00.999Z", JUNE_1),
            (date(2024, 6, 1), JUNE_1),
            (
                datetime(2024, 6, 1, 2, tzinfo=timezone(timedelta(hours=2))),
                JUNE_1,
            ),
            (pendulum.datetime(2024, 6, 1, 2, tz="Europe/Berlin"), JUNE_1),
            ("0001-01-01", -62_135_596_800),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
        ],
    )
    def test_policy_values_coerce_to_epoch_seconds(self, value, seconds):
        """Dates (the start of the day in UTC) and moments become seconds."""
        condition = sc.Condition.from_dict(
            {"field": "case.created_at", "op": "gte", "value": value}
        )
        assert condition._node.value == seconds

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            (
                "2024-06-01T09:00:00",
                (
                    "'2024-06-01T09:00:00' has no time zone; time is never "
                    "naive: add 'Z' or an offset such as '+02:00'"
                ),
            ),
            (
                datetime(2024, 6, 1, 9),  # noqa: DTZ001 - the naive case
                (
                    "'2024-06-01 09:00:00' has no time zone; time is never "
                    "naive: add 'Z' or an offset such as '+02:00'"
                ),
            ),
            (
                "June 1st",
                (
                    "'June 1st' is not a date or moment; write an ISO 8601 date "
                    "such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
            (
                "2024-02-30",
                (
                    "'2024-02-30' is not a date or moment; write an ISO 8601 "
                    "date such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
            (
                "2024-06-01T24:00:00Z",
                (
                    "'2024-06-01T24:00:00Z' is not a date or moment; write an "
                    "ISO 8601 date such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
            (
                "2024-06-01T09:00:00+01:75",
                (
                    "'2024-06-01T09:00:00+01:75' is not a date or moment; write "
                    "an ISO 8601 date such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
            (
                "\uff12024-06-01",
                (
                    "'\uff12024-06-01' is not a date or moment; write an ISO "
                    "8601 date such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
            (
                "9999-12-31T23:59:59-01:00",
                (
                    "'9999-12-31T23:59:59-01:00' is outside the supported range "
                    "0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z"
                ),
            ),
            (
                1717200000,
                (
                    "int is not a date or moment; write an ISO 8601 date such "
                    "as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
        ],
    )
    def test_bad_values_are_refused_at_load(self, value, problem):
        """A value that is no aware date or moment is refused, located."""
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^sla\.policies\[0\]\.when\.value: ",
        ) as info:
            sc.Condition.from_dict(
                {"field": "case.created_at", "op": "lt", "value": value},
                location="sla.policies[0].when",
            )
        assert info.value.location == "sla.policies[0].when.value"
        assert info.value.problem == problem

    @pytest.mark.parametrize(
        ("op", "value", "actual", "expected"),
        [
            ("lt", "2024-06-01", JUNE_1 - 1, True),
            ("lt", "2024-06-01", JUNE_1, False),
            ("gte", "2024-06-01T02:00:00+02:00", JUNE_1, True),
            ("gt", "2024-06-01", JUNE_1, False),
            ("is", "2024-06-01", JUNE_1, True),
            ("in", ["2024-06-01", "2024-06-02"], JUNE_1 + 86_400, True),
            ("between", ["2024-06-01", "2024-06-30"], JUNE_1 + 99, True),
            ("between", ["2024-06-01", "2024-06-30"], JUNE_1 - 1, False),
            ("lt", "2024-06-01", None, False),
            ("present", None, None, False),
        ],
    )
    def test_compare(self, registry, op, value, actual, expected):
        """A moment field orders and equals by epoch seconds."""
        clause = {"field": "t.when", "op": op}
        if value is not None:
            clause["value"] = value
        condition = sc.Condition.from_dict(clause, registry=registry)
        assert condition({"t.when": actual}) is expected

    def test_created_at_in_a_policy(self):
        """case.created_at selects by creation date, read from TOML dates."""
        document = sc.PolicyDocument.from_toml(
            "schema_version = 1\n"
            "[conditions.old]\n"
            'field = "case.created_at"\n'
            'op = "lt"\n'
            "value = 2024-06-01\n"
            "[conditions.new]\n"
            'field = "case.created_at"\n'
            'op = "gte"\n'
            "value = 2024-06-01T02:00:00+02:00\n"
        )
        at = pendulum.datetime(2024, 5, 31, 23, 59, 59, tz="UTC")
        case = sc.Case(
            id="k",
            customer=sc.Customer(id="u"),
            channel="email",
            events=[sc.CaseCreated(case_id="k", at=at)],
        )
        context = sc.EvaluationContext(case, at=at.add(days=3))
        assert (
            document.condition("old")(context),
            document.condition("new")(context),
        ) == (True, False)

    def test_naive_toml_datetime_is_refused(self):
        """A TOML local date-time is naive, so it is refused with its place."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^conditions\.old\.value: "
        ):
            sc.PolicyDocument.from_toml(
                "schema_version = 1\n"
                "[conditions.old]\n"
                'field = "case.created_at"\n'
                'op = "lt"\n'
                "value = 2024-06-01T09:00:00\n"
            )

    def test_explain_shows_the_moment(self):
        """Explanations show a moment field's value in ISO 8601, UTC."""
        at = pendulum.datetime(2024, 6, 1, 9, tz="Europe/Berlin")
        case = sc.Case(
            id="k",
            customer=sc.Customer(id="u"),
            channel="email",
            events=[sc.CaseCreated(case_id="k", at=at)],
        )
        condition = sc.Condition.from_dict(
            {"field": "case.created_at", "op": "lt", "value": "2024-06-01"}
        )
        explanation = condition.explain(sc.EvaluationContext(case, at=at))
        assert (explanation.held, explanation.actual) == (
            False,
            "2024-06-01T07:00:00Z",
        )


OFFSETS = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
)


class TestMomentText:
    @given(
        moment=st.datetimes(
            min_value=datetime(2, 1, 1),  # noqa: DTZ001 - hypothesis bounds
            max_value=datetime(9998, 12, 31),  # noqa: DTZ001
            timezones=OFFSETS,
        ),
        separator=st.sampled_from(["T", "t", " "]),
    )
    def test_iso_text_reads_as_its_instant(self, moment, separator):
        """ISO 8601 text of an aware moment reads as its epoch seconds."""
        text = moment.isoformat(sep=separator)
        expected = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // (
            timedelta(seconds=1)
        )
        assert moment_seconds(text) == moment_seconds(moment) == expected

    @given(day=st.dates())
    def test_date_is_the_start_of_its_day_in_utc(self, day):
        """A date, as text or object, is 00:00 UTC of that day."""
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        expected = (start - datetime(1970, 1, 1, tzinfo=UTC)) // (
            timedelta(seconds=1)
        )
        assert (
            moment_seconds(day.isoformat())
            == moment_seconds(day)
            == (expected)
        )


class TestDatesInUntypedFields:
    @pytest.mark.parametrize(
        ("op", "value", "actual", "expected"),
        [
            ("lt", "2024-06-01", "2024-05-31", True),
            ("lt", "2024-06-01", "2024-06-01", False),
            ("lt", "2024-06-01", date(2024, 5, 31), True),
            ("lt", "2024-06-01", "2024-05-31T23:59:59Z", True),
            ("lt", "2024-06-01", "2024-06-01T01:00:00+02:00", True),
            ("lt", "2024-06-01", "2024-05-31T09:00:00", False),
            ("lt", "2024-06-01", "soon", False),
            ("lt", "2024-06-01", 20240531, False),
            ("lt", "2024-06-01", True, False),
            ("lt", "2024-06-01", None, False),
            ("gte", date(2024, 6, 1), "2024-06-01", True),
            (
                "gt",
                "2024-06-01",
                datetime(2024, 6, 1, 0, 0, 1, tzinfo=UTC),
                True,
            ),
            ("between", ["2024-06-01", "2024-06-30"], "2024-06-15", True),
            ("between", ["2024-06-01", "2024-06-30"], "2024-07-01", False),
            ("is", "2024-06-01", date(2024, 6, 1), True),
            ("is", "2024-06-01", "2024-06-01T02:00:00+02:00", True),
            ("is", "2024-06-01", "2024-06-01", True),
            ("is", "2024-06-01", "2024-06-02", False),
            ("in", ["x", "2024-06-01"], "2024-06-01T00:00:00Z", True),
            ("in", ["x", "2024-06-01"], "x", True),
            ("not_in", ["2024-06-01"], "2024-06-01T00:00:00Z", False),
            ("lt", 3, "2024-06-01", False),
            ("is", "1234-56-78", "1234-56-78", True),
            ("is", "2024-06-01T09:00", "2024-06-01T09:00", True),
            ("is", "2024-06-01T09:00", "2024-06-01T09:00:00Z", False),
        ],
    )
    def test_compare(self, registry, op, value, actual, expected):
        """ISO 8601 policy values compare with dates the field holds."""
        assert _holds(registry, "t.any.x", op, value, actual) is expected

    def test_contract_end(self):
        """The issue's repro: case.fields.contract_end lt "2024-06-01"."""
        at = pendulum.datetime(2024, 3, 4, 9, tz="UTC")
        case = sc.Case(
            id="k",
            customer=sc.Customer(id="u"),
            channel="email",
            events=[
                sc.CaseCreated(
                    case_id="k", at=at, fields={"contract_end": "2024-05-31"}
                )
            ],
        )
        condition = sc.Condition.from_dict(
            {
                "field": "case.fields.contract_end",
                "op": "lt",
                "value": "2024-06-01",
            }
        )
        assert condition(sc.EvaluationContext(case, at=at)) is True

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            (
                "2024-06-01T09:00",
                (
                    "'2024-06-01T09:00' has no time zone; time is never naive: "
                    "add 'Z' or an offset such as '+02:00'"
                ),
            ),
            (
                "soon",
                "'soon' is not a number or an ISO 8601 date to compare with",
            ),
            (
                True,
                "True is not a number or an ISO 8601 date to compare with",
            ),
            (
                "2024-02-30",
                (
                    "'2024-02-30' is not a date or moment; write an ISO 8601 "
                    "date such as '2024-06-01' or a moment such as "
                    "'2024-06-01T09:00:00+02:00'"
                ),
            ),
        ],
    )
    def test_bad_values_are_refused_at_load(self, registry, value, problem):
        """Ordering an untyped field takes a number or an aware date."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^when\.value: "
        ) as info:
            sc.Condition.from_dict(
                {"field": "t.any.x", "op": "gt", "value": value},
                registry=registry,
            )
        assert info.value.problem == problem

    def test_between_mixes_no_kinds(self, registry):
        """A range from a number to a date is refused at load."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^when\.value: "
        ) as info:
            sc.Condition.from_dict(
                {
                    "field": "t.any.x",
                    "op": "between",
                    "value": [1, "2024-06-01"],
                },
                registry=registry,
            )
        assert info.value.problem == (
            "low 1 and high '2024-06-01' must both be numbers or both be dates"
        )


class TestAsciiNumbers:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("t.count", "\u0663"),
            ("t.count", "\uff11"),
            ("t.count", "1_000"),
            ("t.score", "\u0663.5"),
            ("t.score", "1_0.5"),
            ("t.score", "nan"),
            ("t.score", "infinity"),
        ],
    )
    def test_non_ascii_digits_are_refused(self, registry, field, value):
        """Numbers written as text take ASCII digits only."""
        with pytest.raises(
            sc.errors.InvalidValueError, match=r"^when\.value: "
        ):
            sc.Condition.from_dict(
                {"field": field, "op": "is", "value": value}, registry=registry
            )

    @pytest.mark.parametrize(
        ("field", "value", "coerced"),
        [
            ("t.count", " -12 ", -12),
            ("t.count", "+3", 3),
            ("t.score", "-0.5", -0.5),
            ("t.score", ".5", 0.5),
            ("t.score", "1e3", 1000.0),
        ],
    )
    def test_ascii_numbers_are_read(self, registry, field, value, coerced):
        """ASCII numbers written as text still coerce."""
        condition = sc.Condition.from_dict(
            {"field": field, "op": "is", "value": value}, registry=registry
        )
        assert condition._node.value == coerced

    def test_huge_integer_for_a_number(self, registry):
        """An integer beyond any float is refused, not an OverflowError."""
        with pytest.raises(
            sc.errors.InvalidValueError,
            match=r"^when\.value: .* is not a finite number$",
        ):
            sc.Condition.from_dict(
                {"field": "t.score", "op": "lt", "value": 10**400},
                registry=registry,
            )
