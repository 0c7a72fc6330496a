import copy
import pickle

import pytest

import servicecore as sc
from servicecore.models._mapping import FrozenMap


class TestFrozenMap:
    def test_reads_like_a_mapping(self):
        """Items, keys, get and len work as on a dict."""
        m = FrozenMap({"a": 1, "b": "x"})
        assert (m["a"], m.get("c"), len(m), list(m)) == (
            1,
            None,
            2,
            ["a", "b"],
        )
        assert "b" in m
        assert dict(m.items()) == {"a": 1, "b": "x"}
        assert (m.get("a", 0), m.get("c", 0)) == (1, 0)

    def test_read_only(self):
        """Items and attributes cannot be changed."""
        m = FrozenMap({"a": 1})
        with pytest.raises(TypeError):
            m["a"] = 2  # type: ignore[index]
        with pytest.raises(AttributeError, match="read-only"):
            m._data = {}  # type: ignore[misc]

    def test_copies_its_input(self):
        """Changing the dict it was built from does not change it."""
        source = {"a": 1}
        m = FrozenMap(source)
        source["a"] = 2
        assert m["a"] == 1

    def test_equality_and_hash(self):
        """Equal to a dict with the same items; equal maps hash equal."""
        a, b = FrozenMap({"x": 1, "y": 2}), FrozenMap({"y": 2, "x": 1})
        assert a == b == {"x": 1, "y": 2}
        assert hash(a) == hash(b)
        assert a != {"x": 1}
        assert a != [("x", 1)]

    def test_repr_is_the_dicts(self):
        """The repr reads like a dict."""
        assert repr(FrozenMap({"a": 1})) == "{'a': 1}"


class TestCopyAndPickle:
    def test_case_pickles_and_copies(self):
        """Cases survive pickle and deepcopy, status cache included."""
        (case,) = sc.generate_cases(1, seed=4)
        for clone in (pickle.loads(pickle.dumps(case)), copy.deepcopy(case)):
            assert clone == case
            assert hash(clone) == hash(case)
            assert clone.status is case.status
