"""
A read-only, hashable mapping for the models' attributes and fields.

Models are frozen attrs classes, and attrs makes them hashable from their
fields; a ``dict`` field would make them unhashable, and a
``MappingProxyType`` is not hashable either. :class:`FrozenMap` is a
``Mapping`` that holds a private dict, refuses changes and hashes like the
``frozenset`` of its items (its values are scalars, hence hashable).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar, overload

__all__ = ["EMPTY", "FrozenMap"]

_V = TypeVar("_V")
_T = TypeVar("_T")


class FrozenMap(Mapping[str, _V]):
    """
    A read-only mapping that compares like a dict and can be hashed.

    >>> from servicecore.models._mapping import FrozenMap
    >>> m = FrozenMap({"plan": "pro"})
    >>> m["plan"], m == {"plan": "pro"}, hash(m) == hash(FrozenMap(m))
    ('pro', True, True)
    """

    __slots__ = ("_data", "_hash")

    _data: dict[str, _V]
    _hash: int | None

    def __init__(self, data: Mapping[str, _V] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data) if data else {})
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: str) -> _V:
        """Return the value of *key*."""
        return self._data[key]

    @overload
    def get(self, key: str, /) -> _V | None: ...
    @overload
    def get(self, key: str, default: _V | _T, /) -> _V | _T: ...
    def get(self, key: str, default: object = None, /) -> object:
        """Return the value of *key*, or *default* (the dict's own ``get``)."""
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the keys in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """Return the number of keys."""
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        """Return whether *key* is a key."""
        return key in self._data

    def __eq__(self, other: object) -> bool:
        """Compare with any mapping by items, as dicts do."""
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        """Hash like the frozenset of the items; computed once."""
        if self._hash is None:
            object.__setattr__(
                self, "_hash", hash(frozenset(self._data.items()))
            )
        return self._hash  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse every change: the mapping is read-only."""
        raise AttributeError(f"FrozenMap is read-only; cannot set {name!r}")

    def __repr__(self) -> str:
        """Return the repr of the underlying dict, e.g. ``{'plan': 'pro'}``."""
        return repr(self._data)

    def __reduce__(self) -> tuple[type[FrozenMap[_V]], tuple[dict[str, _V]]]:
        """Pickle as the class and a copy of the items."""
        return (type(self), (dict(self._data),))


EMPTY: FrozenMap[object] = FrozenMap()
