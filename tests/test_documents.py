import contextlib
import json

import hypothesis.strategies as st
import pytest
from hypothesis import given

import servicecore as sc
from servicecore._documents import (
    MAX_DEPTH,
    check_data,
    parse_file,
    parse_text,
)

E = sc.errors.PolicySyntaxError


def nested(depth, fmt):
    """Return a document whose value ``x`` is *depth* arrays deep."""
    if fmt == "json":
        return '{"x": ' + "[" * depth + "]" * depth + "}"
    return "x = " + "[" * depth + "]" * depth


class TestDuplicateKeys:
    def test_json_duplicate_is_refused_with_its_path(self):
        """A key given twice in a JSON object is refused, not half-read."""
        text = '{"targets": {"normal": {"first_reply": "1h", "first_reply": "8h"}}}'
        with pytest.raises(
            E,
            match=r"^doc, targets\.normal: the key 'first_reply' is given twice$",
        ) as info:
            parse_text(text, "json", "doc", E)
        assert info.value.location == "doc, targets.normal"

    def test_duplicate_at_the_top(self):
        """A duplicate in the document's own object is located at the source."""
        with pytest.raises(E, match=r"^doc: the key 'a' is given twice$"):
            parse_text('{"a": 1, "b": 2, "a": 1}', "json", "doc", E)

    def test_duplicate_inside_a_list(self):
        """The path names list indexes."""
        with pytest.raises(
            E, match=r"^doc, p\[1\]: the key 'k' is given twice$"
        ):
            parse_text('{"p": [{}, {"k": 1, "k": 1}]}', "json", "doc", E)

    def test_toml_duplicates_stay_refused(self):
        """TOML refuses duplicates itself, with a line."""
        with pytest.raises(E, match=r"^doc:2:\d+: not valid TOML"):
            parse_text("a = 1\na = 2\n", "toml", "doc", E)

    def test_same_key_in_different_objects_is_fine(self):
        """Only a repeat within one object is a duplicate."""
        assert parse_text(
            '{"a": {"k": 1}, "b": {"k": 2}}', "json", "d", E
        ) == {
            "a": {"k": 1},
            "b": {"k": 2},
        }


class TestDepth:
    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_max_depth_is_accepted(self, fmt):
        """A document exactly MAX_DEPTH levels deep is read."""
        data = parse_text(nested(MAX_DEPTH - 1, fmt), fmt, "doc", E)
        assert len(json.dumps(data)) == len('{"x": }') + 2 * (MAX_DEPTH - 1)

    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_one_more_is_refused(self, fmt):
        """One level more than MAX_DEPTH is refused, located at its path."""
        with pytest.raises(
            E, match=r"^doc, x(\[0\]){63}: nested too deeply"
        ) as info:
            parse_text(nested(MAX_DEPTH, fmt), fmt, "doc", E)
        assert info.value.problem == (
            "nested too deeply: more than 64 levels of tables, arrays or objects"
        )

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("toml", "x = " + "[" * 100_000),
            ("toml", "x = " + "{a = " * 100_000),
            ("json", "[" * 100_000),
        ],
    )
    def test_parser_recursion_is_refused(self, fmt, text):
        """Nesting that makes the parser itself recurse is our error."""
        with pytest.raises(
            E, match=rf"^doc: {fmt.upper()} nested too deeply$"
        ) as info:
            parse_text(text, fmt, "doc", E)
        assert isinstance(info.value.__cause__, RecursionError)

    def test_condition_nested_500_deep_in_toml(self):
        """The issue's condition nested 500 deep is refused before any loader."""
        text = (
            "x = "
            + "{not = " * 500
            + '{field = "a", op = "eq", value = 1}'
            + "}" * 500
        )
        with pytest.raises(
            E, match=r"^doc: TOML nested too deeply$|nested too deeply"
        ):
            parse_text(text, "toml", "doc", E)

    def test_adjustable(self):
        """The limit is a keyword argument."""
        with pytest.raises(
            E, match=r"^doc, x\[0\]: nested too deeply: more than 2 "
        ):
            parse_text(nested(2, "json"), "json", "doc", E, max_depth=2)

    def test_cycles_in_python_data_are_refused(self):
        """check_data on a cyclic structure stops at the depth limit."""
        loop: list[object] = []
        loop.append(loop)
        with pytest.raises(E, match=r"^data, (\[0\]){64}: nested too deeply"):
            check_data(loop, "data", E)


class TestUnicode:
    def test_json_escape_of_a_lone_surrogate(self):
        """A lone surrogate escape in JSON is refused with its path."""
        with pytest.raises(
            E,
            match=r"^doc, a\[1\]: a lone surrogate '\\ud800' is not Unicode text",
        ):
            parse_text('{"a": [1, "x\\ud800"]}', "json", "doc", E)

    def test_surrogate_in_a_key_prints(self):
        """A surrogate in a key is quoted and escaped in the location."""
        with pytest.raises(E) as info:
            parse_text('{"\\udc00": 1}', "json", "doc", E)
        assert info.value.location == "doc, ['\\udc00']"
        assert str(info.value).encode("utf-8")

    def test_paired_surrogates_are_text(self):
        """A surrogate pair escape is one character and accepted."""
        assert parse_text('{"a": "\\ud83d\\ude00"}', "json", "d", E) == {
            "a": "😀"
        }

    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_lone_surrogate_in_str_input(self, fmt):
        """Text given as str with a lone surrogate is refused at its line."""
        text = '{\n"a": "\ud800"}' if fmt == "json" else 'b = 1\na = "\ud800"'
        with pytest.raises(E, match=r"^doc:2:\d+: a lone surrogate"):
            parse_text(text, fmt, "doc", E)

    def test_not_utf8(self):
        """Bytes that are not UTF-8 are refused with the byte offset."""
        with pytest.raises(
            E, match=r"^doc: not UTF-8 text: invalid start byte at byte 3$"
        ):
            parse_text(b"a=\xff", "toml", "doc", E)


class TestNumbers:
    @pytest.mark.parametrize(
        ("fmt", "text", "path", "shown"),
        [
            ("json", '{"x": NaN}', "x", "nan"),
            ("json", '{"x": [-Infinity]}', r"x\[0\]", "-inf"),
            ("json", '{"x": 1e400}', "x", "inf"),
            ("toml", "x = nan", "x", "nan"),
            ("toml", "x = -inf", "x", "-inf"),
        ],
    )
    def test_not_finite(self, fmt, text, path, shown):
        """Numbers that are not finite are refused with their path."""
        with pytest.raises(
            E, match=rf"^doc, {path}: {shown} is not a finite number$"
        ):
            parse_text(text, fmt, "doc", E)

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [("json", "[" + "9" * 5000 + "]"), ("toml", "x = " + "9" * 5000)],
    )
    def test_huge_integers(self, fmt, text):
        """Integers past Python's digit limit are our error, without its advice."""
        with pytest.raises(E) as info:
            parse_text(text, fmt, "doc", E)
        assert info.value.problem == (
            f"not valid {fmt.upper()}: Exceeds the limit (4300 digits) for "
            "integer string conversion: value has 5000 digits"
        )


class TestParseFile:
    def test_reads_and_parses(self, tmp_path):
        """A file is read and parsed, located by its path."""
        path = tmp_path / "p.json"
        path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
        with pytest.raises(E, match=rf"^{path}: the key 'a' is given twice$"):
            parse_file(path, "json", E)
        path.write_text('{"a": 1}', encoding="utf-8")
        assert parse_file(path, "json", E) == {"a": 1}

    def test_size_limit(self, tmp_path):
        """A file over the limit is refused before it is read whole."""
        path = tmp_path / "p.toml"
        path.write_text("a = 1\n", encoding="utf-8")
        with pytest.raises(
            E, match=rf"^{path}: larger than the limit of 5 bytes"
        ):
            parse_file(path, "toml", E, limit=5)
        assert parse_file(path, "toml", E, limit=6) == {"a": 1}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=30,
)


class TestProperties:
    @given(json_values)
    def test_json_round_trip(self, value):
        """What json writes (finite, shallow, no duplicates) is read back exactly."""
        assert parse_text(json.dumps(value), "json", "d", E) == value

    @given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_any_bytes_give_data_or_our_error(self, fmt, raw):
        """Arbitrary bytes are parsed or refused with our error, nothing else."""
        with contextlib.suppress(E):
            parse_text(raw, fmt, "doc", E)


class TestLoadersGetTheChecks:
    def test_policy_document_with_a_duplicate_target(self):
        """The issue's repro: the second first_reply no longer wins silently."""
        text = (
            '{"schema_version": 1, "sla": {"policies": [{"name": "p", '
            '"targets": {"normal": {"first_reply": "1h", "first_reply": "8h"}}}]}}'
        )
        with pytest.raises(
            sc.errors.PolicySyntaxError,
            match=r"^dup\.json, sla\.policies\[0\]\.targets\.normal: the key "
            r"'first_reply' is given twice$",
        ):
            sc.PolicyDocument.from_json(text, source="dup.json")

    def test_condition_nested_500_deep(self):
        """A TOML condition nested 500 deep is a syntax error, for every loader."""
        cond = (
            "{not = " * 500
            + '{field = "case.priority", op = "eq", value = "high"}'
            + "}" * 500
        )
        with pytest.raises(
            sc.errors.PolicySyntaxError,
            match=r"^<string>: TOML nested too deeply$",
        ):
            sc.PolicyDocument.from_toml(
                f"schema_version = 1\n[conditions]\nx = {cond}\n"
            )
        rules = f'schema_version = 1\n[[personalization.rules]]\nname = "a"\nwhen = {cond}\n'
        with pytest.raises(
            sc.errors.PolicySyntaxError, match=r"TOML nested too deeply$"
        ):
            sc.Personalizer.from_toml(rules)

    def test_calendar_with_100k_nested_arrays(self):
        """BusinessCalendar.from_toml refuses 100k nested arrays cleanly."""
        with pytest.raises(
            sc.errors.CalendarError,
            match=r"^calendar: TOML nested too deeply$",
        ):
            sc.BusinessCalendar.from_toml(
                'time_zone = "UTC"\nx = ' + "[" * 100_000
            )
