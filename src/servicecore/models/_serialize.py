"""
Models to and from JSON-safe dicts (with cattrs), and cases as JSON Lines.

The dict form is what a JSON document would hold: enums by value, sets as
sorted lists, moments as ISO 8601 strings in UTC (``"2024-03-01T09:00:00Z"``),
dates in attributes and fields as ``{"date": "2024-03-01"}`` (JSON has no
dates, and a bare string would come back as a string). Fields at their
default are left out. An event carries its ``kind``; inside a case, events
leave out the ``case_id`` they share with it.

Reading goes through the models' constructors, so everything a constructor
checks is checked, and any problem is a
:class:`~servicecore.SerializationError` whose location is the path of the
bad item (``events[3].interaction.at``), after the file and line for JSON
Lines.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar, cast, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    override,
)

from servicecore._documents import check_data, decode_json_line
from servicecore._files import MAX_LINE_BYTES, atomic_write, read_line_limited
from servicecore._time import to_epoch
from servicecore.errors import (
    ModelError,
    SerializationError,
    ServiceCoreError,
)
from servicecore.models._case import Case
from servicecore.models._enums import (
    AuthorKind,
    CaseStatus,
    Channel,
    Direction,
    EventKind,
    Priority,
    SurveyKind,
)
from servicecore.models._events import EVENT_TYPES, CaseEvent
from servicecore.models._interaction import Interaction
from servicecore.models._people import Agent, Customer, Team
from servicecore.models._state import CaseState
from servicecore.models._survey import SurveyResponse
from servicecore.models._validate import brief, hint_for

__all__ = ["from_dict", "read_cases", "to_dict", "write_cases"]

Model = (
    Customer
    | Agent
    | Team
    | Interaction
    | SurveyResponse
    | Case
    | CaseState
    | CaseEvent
)
_M = TypeVar("_M")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _key(name: str) -> str:
    """Return the dict key of attribute *name*: moments lose their ``_s``."""
    return name.removesuffix("_s")


# -- leaf hooks ------------------------------------------------------------


def _moment_out(seconds: int | None) -> str | None:
    """Write epoch seconds as ISO 8601 in UTC, to the second."""
    if seconds is None:
        return None
    d = _EPOCH + timedelta(seconds=seconds)
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        f"T{d.hour:02d}:{d.minute:02d}:{d.second:02d}Z"
    )


_ISO_UTC_LENGTH = len("2024-03-01T09:00:00Z")


def _moment_in(value: object, _: object) -> int | None:
    """Read an ISO 8601 moment with a zone (or epoch seconds, or None)."""
    if value is None or type(value) is int:
        return value
    if isinstance(value, str):
        if len(value) == _ISO_UTC_LENGTH and value[-1] == "Z":
            # What to_dict writes: whole seconds in UTC (the fast path).
            try:
                return int(datetime.fromisoformat(value).timestamp())
            except ValueError:
                pass
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return to_epoch(moment, "")
        problem = (
            "a moment without a time zone"
            if moment is not None
            else "not an ISO 8601 moment"
        )
        raise ModelError(
            "",
            f"{problem}: {brief(value)}; write e.g. '2024-03-01T09:00:00Z'",
        )
    raise ModelError("", f"expected an ISO 8601 moment, got {brief(value)}")


def _value_out(value: object) -> object:
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _value_in(value: object, location: str = "") -> object:
    if isinstance(value, dict) and len(value) == 1 and "date" in value:
        text = value["date"]
        try:
            return date.fromisoformat(text)
        except (TypeError, ValueError):
            raise ModelError(
                _join(location, "date"),
                f"expected 'YYYY-MM-DD', got {brief(text)}",
            ) from None
    return value


def _map_out(values: Mapping[str, object]) -> dict[str, object]:
    return {key: _value_out(value) for key, value in values.items()}


def _map_in(values: object, _: object) -> object:
    if isinstance(values, dict):
        return {
            key: _value_in(value, str(key)) for key, value in values.items()
        }
    return values  # the model's converter names the problem


def _field_value_in(value: object, _: object) -> object:
    return _value_in(value)


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(values)


# -- the converter ---------------------------------------------------------


class _ItemError(Exception):
    """An error in item *index* of a list structured by our own hook."""

    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


def _passthrough(value: object, _: object) -> object:
    # cattrs would coerce (str(5) == "5", int(4.5) == 4); the models'
    # validators check types instead, and name the field.
    return value


_SHORT = 40


def _text(value: object, _: object) -> object:
    # Short strings (ids, author ids, locales, tiers) repeat across events
    # and cases; json.loads makes a new object for each occurrence.
    if type(value) is str and len(value) <= _SHORT:
        return sys.intern(value)
    return value


def _overrides(cls: type, *, out: bool) -> dict[str, Any]:
    names = {a.name for a in attrs.fields(cls)}
    found: dict[str, Any] = {}
    for name in names:
        if name.endswith("_s"):  # integer epoch seconds, by convention
            found[name] = (
                override(rename=_key(name), unstruct_hook=_moment_out)
                if out
                else override(rename=_key(name), struct_hook=_moment_in)
            )
    for name in ("attributes", "fields"):
        if name in names:
            found[name] = (
                override(unstruct_hook=_map_out)
                if out
                else override(struct_hook=_map_in)
            )
    if "value" in names:
        found["value"] = (
            override(unstruct_hook=_value_out)
            if out
            else override(struct_hook=_field_value_in)
        )
    if "_status" in names:
        found["_status"] = override(omit=True)
    return found


def _event_out(event: CaseEvent, *, case_id: bool = True) -> dict[str, Any]:
    data = _built()[1][type(event)](event)
    if not case_id:
        del data["case_id"]
    return {"kind": event.kind.value, **data}


_KINDS: dict[str, type[CaseEvent]] = {
    kind.value: cls for kind, cls in EVENT_TYPES.items()
}


def _event_in(data: object, case_id: str | None = None) -> CaseEvent:
    if not isinstance(data, dict):
        raise ModelError("", f"expected an event object, got {brief(data)}")
    kind = data.get("kind")
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ModelError(
            "kind",
            f"unknown event kind {brief(kind)}{hint_for(kind, _KINDS)}",
        )
    payload = {key: value for key, value in data.items() if key != "kind"}
    if case_id is not None and "case_id" not in payload:
        payload["case_id"] = case_id
    return _built()[0].structure(payload, cls)


def _events_in(values: object, _: object) -> object:
    if not isinstance(values, list):
        return values  # Case names the problem
    events = []
    for index, item in enumerate(values):
        try:
            events.append(_event_in(item))
        except Exception as exc:  # located, then re-raised
            raise _ItemError(index, exc) from exc
    return tuple(events)


def _objects_only(
    fn: Callable[[Any, Any], _M],
) -> Callable[[Any, Any], _M]:
    def structure(data: object, cls: object) -> _M:
        if not isinstance(data, dict):
            raise ModelError("", f"expected an object, got {brief(data)}")
        return fn(data, cls)

    return structure


_MODELS: tuple[type, ...] = (
    Customer,
    Agent,
    Team,
    Interaction,
    SurveyResponse,
    *EVENT_TYPES.values(),
    CaseState,
    Case,
)


def _is_frozenset(type_: object) -> bool:
    return type_ is frozenset or get_origin(type_) is frozenset


def _build() -> tuple[cattrs.Converter, dict[type, Callable[[Any], Any]]]:
    conv = cattrs.Converter(
        forbid_extra_keys=True,
        prefer_attrib_converters=True,
        detailed_validation=True,
    )
    for leaf in (int, bool, float):
        conv.register_structure_hook(leaf, _passthrough)
    conv.register_structure_hook(str, _text)
    for enum in (
        Channel,
        Direction,
        AuthorKind,
        Priority,
        CaseStatus,
        SurveyKind,
        EventKind,
    ):
        conv.register_unstructure_hook(enum, lambda e: e.value)
    conv.register_unstructure_hook_func(_is_frozenset, _sorted)
    unstructure: dict[type, Callable[[Any], Any]] = {}
    for cls in _MODELS:
        extra: dict[str, Any] = {}
        if cls is Case:
            extra["events"] = override(
                unstruct_hook=lambda events: [
                    _event_out(e, case_id=False) for e in events
                ]
            )
        fn: Callable[[Any], Any] = make_dict_unstructure_fn(
            cls,
            conv,
            _cattrs_omit_if_default=True,
            **{**_overrides(cls, out=True), **extra},
        )
        unstructure[cls] = fn
        if cls in EVENT_TYPES.values():
            conv.register_unstructure_hook(cls, _event_out)
        else:
            conv.register_unstructure_hook(cls, fn)
        s_extra: dict[str, Any] = {}
        if cls is Case:
            s_extra["events"] = override(struct_hook=_events_in)
        conv.register_structure_hook(
            cls,
            _objects_only(
                make_dict_structure_fn(
                    cls,
                    conv,
                    _cattrs_use_alias=True,
                    **{**_overrides(cls, out=False), **s_extra},
                )
            ),
        )
    structure_case = conv.get_structure_hook(Case)

    def case_in(data: object, cls: object) -> Case:
        # Events inside a case leave out the case_id; put it back.
        if isinstance(data, dict) and isinstance(data.get("events"), list):
            case_id = data.get("id")
            if not isinstance(case_id, str) or not case_id:
                # Checked first: the events would repeat the problem.
                raise ModelError(
                    "id", f"expected a non-empty string, got {brief(case_id)}"
                )
            data = {
                **data,
                "events": [
                    {**e, "case_id": case_id}
                    if isinstance(e, dict) and "case_id" not in e
                    else e
                    for e in data["events"]
                ],
            }
        return cast("Case", structure_case(data, cls))

    conv.register_structure_hook(Case, case_in)
    return conv, unstructure


_Built = tuple[cattrs.Converter, dict[type, Callable[[Any], Any]]]


@functools.cache
def _built() -> _Built:
    """
    Return the converter and the unstructure functions, built once.

    Built on first use: generating the functions of every model takes a
    noticeable part of a second, which ``import servicecore`` should not
    pay.
    """
    return _build()


# -- locating errors -------------------------------------------------------


def _join(path: str, part: str) -> str:
    if not part:
        return path
    if part.startswith("[") or not path:
        return path + part
    return f"{path}.{part}"


def _locate(error: BaseException, path: str) -> tuple[str, BaseException]:
    """Follow the first problem down to its leaf, building its path."""
    while True:
        if isinstance(error, _ItemError):
            path = _join(path, f"[{error.index}]")
            error = error.error
            continue
        if isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
            for note in getattr(error, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    path = _join(path, _key(note.name))
                elif isinstance(note, IterableValidationNote):
                    path = _join(path, f"[{note.index}]")
            continue
        return path, error


def _serialization_error(
    error: BaseException, location: str
) -> tuple[SerializationError, BaseException]:
    """Return the located error, and the leaf error as its cause."""
    path, leaf = _locate(error, "")
    if isinstance(leaf, ServiceCoreError):
        path = _join(path, leaf.location)
        problem = leaf.problem
    elif isinstance(leaf, ForbiddenExtraKeysError):
        problem = f"unknown key(s): {', '.join(sorted(leaf.extra_fields))}"
    elif isinstance(leaf, KeyError):
        problem = "required, but missing"
    elif isinstance(leaf, AttributeError | TypeError) and path:
        problem = f"wrong shape: {leaf}"
    else:
        problem = f"{type(leaf).__name__}: {leaf}"
    where = ", ".join(part for part in (location, path) if part)
    return SerializationError(where, problem), leaf


# -- public functions ------------------------------------------------------


def to_dict(model: Model) -> dict[str, Any]:
    """
    Return *model* as a JSON-safe dict (enums by value, moments ISO 8601).

    Fields at their default are left out; :func:`from_dict` puts them
    back. Events carry their ``kind``.

    >>> r = sc.SurveyResponse(id="s-1", kind="nps", score=9,
    ...                       at=pendulum.datetime(2024, 3, 1, 10, tz="Europe/Paris"))
    >>> sc.to_dict(r)
    {'id': 's-1', 'kind': 'nps', 'score': 9, 'at': '2024-03-01T09:00:00Z'}
    >>> sc.to_dict(sc.StatusChanged(case_id="k", at=r.at, status="open"))
    {'kind': 'status_changed', 'case_id': 'k', 'at': '2024-03-01T09:00:00Z', 'status': 'open'}

    Args:
        model: Any model: a customer, agent, team, interaction, survey
            response, case event, case or case state.

    Returns:
        A dict of str, int, float, bool, None, lists and dicts.

    Raises:
        SerializationError: *model* is not a servicecore model.
    """
    fn = _built()[1].get(type(model))
    if fn is None:
        raise SerializationError(
            "model", f"not a servicecore model: {type(model).__name__}"
        )
    if type(model) in EVENT_TYPES.values():
        return _event_out(model)  # type: ignore[arg-type]
    return cast("dict[str, Any]", fn(model))


def from_dict(
    cls: type[_M], data: Mapping[str, Any], *, location: str = ""
) -> _M:
    """
    Build a model of class *cls* from its dict form (see :func:`to_dict`).

    Everything goes through the model's constructor, so it is validated;
    any problem raises :class:`~servicecore.SerializationError` naming the
    path of the bad item. *cls* may be :data:`CaseEvent` to read any event
    by its ``kind``.

    >>> sc.from_dict(sc.Customer, {"id": "c-1", "locale": "de_CH", "tags": ["vip"]})
    Customer(id='c-1', name='', email=None, phone=None, locale='de_CH', ...)
    >>> case = {"id": "k", "customer": {"id": "c"}, "channel": "chat", "events": [
    ...     {"kind": "created", "at": "2024-03-01T09:00:00Z"},
    ...     {"kind": "status_changed", "at": "2024-03-01T09:00:00", "status": "open"},
    ... ]}
    >>> sc.from_dict(sc.Case, case)
    Traceback (most recent call last):
    ...
    servicecore.errors.SerializationError: events[1].at: a moment without a time zone: ...

    Args:
        cls: The model class, or ``sc.CaseEvent``.
        data: The dict, as :func:`to_dict` or ``json.load`` gives it.
        location: Where *data* came from (a file, a key), put before the
            path in errors.

    Returns:
        The model.

    Raises:
        SerializationError: *data* does not describe a valid *cls*.
    """
    if cls is not CaseEvent and cls not in _MODELS:  # type: ignore[comparison-overlap]
        raise SerializationError("cls", f"not a servicecore model: {cls!r}")
    if not isinstance(data, Mapping):
        raise SerializationError(
            location, f"expected an object, got {brief(data)}"
        )
    try:
        if cls is CaseEvent:  # type: ignore[comparison-overlap]
            return cast("_M", _event_in(dict(data)))
        return _built()[0].structure(dict(data), cls)
    except Exception as exc:  # noqa: BLE001 - every failure is located
        error, leaf = _serialization_error(exc, location)
        raise error from leaf


def write_cases(
    cases: Iterable[Case], path_or_file: str | os.PathLike[str] | IO[str]
) -> int:
    """
    Write *cases* as JSON Lines: one case per line, UTF-8.

    >>> import io
    >>> out = io.StringIO()
    >>> sc.write_cases(sc.generate_cases(2, seed=1), out)
    2
    >>> [case.id for case in sc.read_cases(io.StringIO(out.getvalue()))]
    ['case-1-000000', 'case-1-000001']

    A path is written all at once or not at all: the lines go to a
    temporary file in the same folder, which replaces the file only when
    every case is written; on an error the file is left as it was.

    Args:
        cases: The cases.
        path_or_file: A path (the file is replaced) or an open text file.

    Returns:
        The number of cases written.

    Raises:
        SerializationError: An item is not a case, or holds text that
            UTF-8 cannot encode (a lone surrogate); the location is
            ``cases[index]`` and the path of the bad item.
        OSError: The file cannot be written.
    """
    if isinstance(path_or_file, str | os.PathLike):
        with atomic_write(path_or_file) as file:
            return _write(cases, file)
    return _write(cases, path_or_file)


def _write(cases: Iterable[Case], file: IO[str]) -> int:
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for case in cases:
        where = f"cases[{count}]"
        if type(case) is not Case:
            raise SerializationError(
                where, f"not a servicecore Case: {type(case).__name__}"
            )
        data = to_dict(case)
        line = dumps(data)
        if not line.isascii():
            try:
                line.encode("utf-8")
            except UnicodeEncodeError as exc:
                check_data(data, where, SerializationError)  # names the item
                raise SerializationError(
                    where, f"text UTF-8 cannot encode: {exc.reason}"
                ) from exc
        file.write(line)
        file.write("\n")
        count += 1
    return count


def read_cases(
    path_or_file: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[Case]:
    r"""
    Read cases from JSON Lines, lazily; blank lines are skipped.

    >>> import io
    >>> lines = io.StringIO('{"id": "k", "customer": {"id": "c"}, "channel": "sms", '
    ...                     '"events": [{"kind": "created", "at": 1709283600}]}\n{"id": ""}\n')
    >>> cases = sc.read_cases(lines)
    >>> next(cases).channel
    <Channel.SMS: 'sms'>
    >>> next(cases)
    Traceback (most recent call last):
    ...
    servicecore.errors.SerializationError: line 2, customer: required, but missing

    Files are untrusted: every problem is a ``SerializationError`` naming
    the line. Lines are UTF-8 JSON objects separated by ``\n``; a key
    given twice, a lone surrogate (``"\ud800"``, which could not be
    written back) and a line longer than *max_line_bytes* are refused.

    Args:
        path_or_file: A path, or an open text or binary file (a binary
            file is read as UTF-8).
        max_line_bytes: The longest line read, its newline not counted:
            bytes for a path or binary file, characters for a text file.
            16 MiB by default (``servicecore._files.MAX_LINE_BYTES``).

    Yields:
        Each case, in file order.

    Raises:
        SerializationError: A line is not UTF-8, not JSON, too long or not
            a valid case; the location names the file (when known), the
            line and the path.
        OSError: The file cannot be opened or read.
    """
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        with path.open("rb") as file:
            yield from _read(file, f"{path}, line", max_line_bytes)
    else:
        name = getattr(path_or_file, "name", None)
        prefix = f"{name}, line" if isinstance(name, str) else "line"
        yield from _read(path_or_file, prefix, max_line_bytes)


def _read(
    file: IO[str] | IO[bytes], prefix: str, limit: int
) -> Iterator[Case]:
    number = 0
    while True:
        number += 1
        where = f"{prefix} {number}"
        raw = _next_line(file, where, limit)
        if raw is None:
            return
        line = raw if isinstance(raw, str) else _utf8(raw, where)
        if line.strip():
            data = decode_json_line(
                line, where, SerializationError, from_utf8=line is not raw
            )
            yield from_dict(Case, data, location=where)


def _next_line(file: IO[Any], where: str, limit: int) -> str | bytes | None:
    """Return the next line of *file*, None at the end."""
    try:
        line: str | bytes = read_line_limited(file, limit)
    except UnicodeDecodeError as exc:  # a text file opened by the caller
        raise SerializationError(
            where, f"not UTF-8 text: {exc.reason}"
        ) from exc
    if not line:
        return None
    # The limit is the line's own length; its newline does not count.
    newline = b"\n" if isinstance(line, bytes) else "\n"
    if len(line) - line.endswith(newline) > limit:  # type: ignore[arg-type]
        raise SerializationError(
            where,
            f"longer than the limit of {limit:,} "
            f"{'bytes' if isinstance(line, bytes) else 'characters'}; raise "
            "the limit (max_line_bytes; --max-line-bytes on the command line) "
            "if the line is meant to be this long",
        )
    return line


def _utf8(line: bytes, where: str) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SerializationError(
            where,
            f"not UTF-8 text: {exc.reason} at byte {exc.start + 1} of the line",
        ) from exc
