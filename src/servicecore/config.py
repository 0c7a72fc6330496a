"""
Policy documents: loaded from TOML, JSON or dicts, checked completely.

A policy document is a table with a ``schema_version`` (the document format
is public API, versioned like the code) and sections::

    schema_version = 1

    [conditions.vip_urgent]
    all = [
      {field = "customer.tier", op = "is", value = "vip"},
      {field = "case.priority", op = "gte", value = "high"},
    ]

``conditions`` holds named, reusable conditions and ``calendars`` named
business calendars, both usable by every section; the SLA, escalation and
personalization sections join through :func:`register_section`. Every
problem of a document is collected, each with its path
(``conditions.vip_urgent.all[1].value``), and raised together; the parser's
line and column are given for syntax errors (``servicecore._documents``
maps the exceptions of ``tomllib`` and ``json`` to
:class:`~servicecore.errors.PolicySyntaxError`, at the edge).

Loading a document also builds the engine each section feeds (the SLA
engine, the escalation engine, the personalizer), with the very
constructors hosts call: a document that loads is one every engine accepts.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from types import MappingProxyType
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Final,
    Generic,
    TypeVar,
    cast,
)

import attrs

from servicecore._documents import Format, parse_text
from servicecore._files import MAX_DOCUMENT_BYTES, read_limited
from servicecore._problems import add_error, as_policy_error, join, raise_all
from servicecore.calendar import BusinessCalendar
from servicecore.conditions._compile import Condition
from servicecore.conditions._parse import BROKEN, LATER, named_conditions
from servicecore.errors import (
    InvalidValueError,
    PolicyError,
    PolicySyntaxError,
    ServiceCoreError,
    did_you_mean,
)

if TYPE_CHECKING:
    from servicecore.plugins import Registry

__all__ = ["SCHEMA_VERSION", "PolicyDocument", "load_policies"]

#: The policy document format this servicecore reads.
SCHEMA_VERSION: Final = 1


#: Loads one section: (data, location, registry, errors) -> the section's
#: object; problems go to *errors*, so that every one is reported.
SectionLoader = Callable[[object, str, "Registry", list[PolicyError]], object]

#: Builds the engine a loaded section feeds: (the section's object, the
#: engines built so far by section name, registry) -> the engine, or
#: ``None`` when it cannot be built from this document alone; raises
#: PolicyError. An engine is ``None`` in that mapping when its section has
#: problems (its dependents are then not built).
SectionBuilder = Callable[
    [object, Mapping[str, object | None], "Registry"], object | None
]

_SECTIONS: dict[str, SectionLoader] = {}
_BUILDERS: dict[str, SectionBuilder] = {}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
#: The document's top-level calendars while its sections load.
_SHARED: ContextVar[Mapping[str, BusinessCalendar]] = ContextVar(
    "servicecore_shared_calendars", default=MappingProxyType({})
)


def register_section(
    name: str, loader: SectionLoader, *, build: SectionBuilder | None = None
) -> None:
    """
    Make policy documents accept the section *name*, read by *loader*.

    For servicecore's own policy modules (``sla``, ``escalation``,
    ``personalization``); a later registration of a name replaces it.
    *build* builds the section's engine once the whole document loaded;
    builders run in the order of registration, so a section registered
    later may use the engine of one registered before it.
    """
    _SECTIONS[name] = loader
    if build is not None:
        _BUILDERS[name] = build


def inline_calendar(
    data: object, location: str, errors: list[PolicyError]
) -> BusinessCalendar | None:
    """Return the calendar table *data*, or note its problems in *errors*."""
    try:
        # from_dict reports what is no table, by location.
        return BusinessCalendar.from_dict(
            cast("Mapping[str, Any]", data), location=location
        )
    except ServiceCoreError as exc:
        add_error(errors, as_policy_error(exc))
        return None


def section_calendars(
    tables: object, location: str, errors: list[PolicyError]
) -> dict[str, BusinessCalendar]:
    """
    Return the calendars a section may name: the document's and its own.

    For section loaders: the top-level ``[calendars]`` of the document
    being loaded, plus the section's own ``calendars`` table *tables*
    (``[sla.calendars]``, ``[escalation.calendars]``); a name defined in
    both is a problem. Each problem is noted in *errors*, with its path.
    """
    shared = _SHARED.get()
    own = _calendar_tables(tables, location, errors)
    errors.extend(
        InvalidValueError(
            join(location, name),
            f"calendar {name!r} is already defined in [calendars]; "
            "define it once, there",
        )
        for name in own
        if name in shared
    )
    return {**shared, **own}


def _calendar_tables(
    tables: object, location: str, errors: list[PolicyError]
) -> dict[str, BusinessCalendar]:
    """Return the calendar tables *tables* by name, noting problems."""
    if not isinstance(tables, Mapping):
        errors.append(
            PolicySyntaxError(location, "expected a table of calendars")
        )
        return {}
    calendars: dict[str, BusinessCalendar] = {}
    for name, table in tables.items():
        calendar = inline_calendar(table, join(location, str(name)), errors)
        if calendar is not None:
            calendars[str(name)] = calendar
    return calendars


def section_table(
    data: object,
    location: str,
    keys: Sequence[str],
    errors: list[PolicyError],
    *,
    expected: str,
) -> Mapping[str, Any] | None:
    """
    Return *data* as a table, noting each unknown key in *errors*.

    For the loaders of sections and of the tables in them (a policy, a
    level, a rule): *keys* are the keys the table knows (an unknown one
    gets a did-you-mean, or the list of known keys); when *data* is no
    table, the problem ``expected {expected}`` is noted and ``None``
    returned.
    """
    if not isinstance(data, Mapping):
        errors.append(PolicySyntaxError(location, f"expected {expected}"))
        return None
    errors.extend(
        PolicySyntaxError(
            join(location, str(key)),
            f"unknown key {key!r}"
            + (did_you_mean(str(key), keys) or f"; known: {', '.join(keys)}"),
        )
        for key in data
        if key not in keys
    )
    return data


def _load_conditions(
    data: object,
    location: str,
    registry: Registry,
    errors: list[PolicyError],
) -> Mapping[str, Condition]:
    if not isinstance(data, Mapping):
        errors.append(
            PolicySyntaxError(location, "expected a table of named conditions")
        )
        return MappingProxyType({})
    found: dict[str, Condition] = {}
    # What each name stands for while the section loads: a condition may
    # use those defined before it (so no cycle can be written).
    named: dict[str, object] = dict.fromkeys(map(str, data), LATER)
    for name, body in data.items():
        where = join(location, str(name))
        if not isinstance(name, str) or not _NAME.match(name):
            errors.append(
                PolicySyntaxError(
                    where,
                    f"condition name {name!r} must be letters, digits, "
                    "'_' or '-'",
                )
            )
            named[str(name)] = BROKEN
            continue
        try:
            with named_conditions(named):
                found[name] = condition = Condition.from_dict(
                    body, registry=registry, location=where
                )
        except PolicyError as exc:
            add_error(errors, exc)
            named[name] = BROKEN
            continue
        named[name] = condition
    return MappingProxyType(found)


_SECTIONS["conditions"] = _load_conditions


def _load_calendars(
    data: object,
    location: str,
    registry: Registry,  # noqa: ARG001 - a section loader
    errors: list[PolicyError],
) -> Mapping[str, BusinessCalendar]:
    return MappingProxyType(_calendar_tables(data, location, errors))


_SECTIONS["calendars"] = _load_calendars


@contextlib.contextmanager
def _shared_calendars(
    calendars: Mapping[str, BusinessCalendar],
) -> Iterator[None]:
    """Make *calendars* the top-level calendars sections see."""
    token = _SHARED.set(calendars)
    try:
        yield
    finally:
        _SHARED.reset(token)


def _for_sections(
    written: object, named: Mapping[str, Condition]
) -> dict[str, object]:
    """
    Return what each name of a ``[conditions]`` section stands for.

    The conditions loaded, and ``BROKEN`` for those with problems.
    """
    names = map(str, written) if isinstance(written, Mapping) else ()
    usable: dict[str, object] = dict.fromkeys(names, BROKEN)
    usable.update(named)
    return usable


@attrs.frozen(kw_only=True)
class PolicyDocument:
    """
    A checked policy document: its version, named conditions and sections.

    >>> document = sc.PolicyDocument.from_toml('''
    ... schema_version = 1
    ... [conditions.weekend]
    ... field = "moment.weekday"
    ... op = "in"
    ... value = ["sat", "sun"]
    ... ''')
    >>> sorted(document.conditions)
    ['weekend']
    >>> sc.PolicyDocument.from_dict({"conditions": {}})
    Traceback (most recent call last):
    ...
    servicecore.errors.PolicySyntaxError: schema_version: missing; start the document with...

    Calendars defined once at the top (``[calendars.<name>]``) serve every
    section; each section's engine is built when the document loads, so a
    name no engine knows is a problem of the document:

    >>> document = sc.PolicyDocument.from_toml('''
    ... schema_version = 1
    ... [calendars.office]
    ... time_zone = "Europe/Berlin"
    ... hours = {mon-fri = "09:00-17:00"}
    ... [[sla.policies]]
    ... name = "standard"
    ... calendar = "office"
    ... targets.normal = {first_reply = "4h"}
    ... ''')
    >>> sorted(document.calendars), type(document.engines["sla"]).__name__
    (['office'], 'SLAEngine')
    >>> try:
    ...     sc.PolicyDocument.from_dict({"schema_version": 1, "sla": {
    ...         "policies": [{"name": "p", "calendar": "ofice"}]}})
    ... except sc.errors.PolicyError as err:
    ...     print(err.location, "|", err.problem)
    sla.policies[0].calendar | unknown calendar 'ofice'; known: none

    Attributes:
        schema_version: The format version the document declared.
        source: Where it came from: a file name, ``<string>`` or ``<dict>``.
        conditions: The named conditions, compiled.
        calendars: The top-level calendars, by name.
        sections: Every section's loaded object, by section name.
        engines: The engine each section feeds, built once at load, by
            section name: ``"sla"`` an :class:`~servicecore.SLAEngine`,
            ``"escalation"`` an :class:`~servicecore.EscalationEngine`
            (when the document holds all it needs: its SLA triggers need
            the document's ``[sla]`` section), ``"personalization"`` a
            :class:`~servicecore.Personalizer`.
    """

    schema_version: int
    source: str
    conditions: Mapping[str, Condition]
    calendars: Mapping[str, BusinessCalendar] = MappingProxyType({})
    sections: Mapping[str, object]
    # Built from the rest: documents equal without them are equal.
    engines: Mapping[str, object] = attrs.field(
        default=MappingProxyType({}), eq=False, repr=False
    )

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        registry: Registry | None = None,
        source: str = "<dict>",
    ) -> PolicyDocument:
        """
        Check and load the policy document *data*.

        Args:
            data: The document as plain data.
            registry: Fields, operators and plugins to check against; the
                built-in registry when ``None``.
            source: Names the document in errors about it as a whole.

        Returns:
            The loaded document.

        Raises:
            PolicyError: The document is wrong, or an engine its sections
                feed refuses them; with several problems, a
                :class:`~servicecore.PolicyValidationError` with all.
        """
        if registry is None:
            from servicecore.plugins import Registry  # noqa: PLC0415

            registry = Registry()
        if not isinstance(data, Mapping):
            raise PolicySyntaxError(
                source, "a policy document must be a table at the top"
            )
        version = _check_version(data)
        errors: list[PolicyError] = []
        sections: dict[str, object] = {}
        # Named conditions and calendars first: every section may use them.
        named = _load_conditions(
            data.get("conditions", {}), "conditions", registry, errors
        )
        calendars = _load_calendars(
            data.get("calendars", {}), "calendars", registry, errors
        )
        shared = {"conditions": named, "calendars": calendars}
        sections.update((key, shared[key]) for key in shared if key in data)
        shared_failed = bool(errors)
        # A section with problems builds no engine: they would be repeated.
        failed: set[str] = set()
        for key, value in data.items():
            if key in {"schema_version", "conditions", "calendars"}:
                continue
            loader = _SECTIONS.get(key) if isinstance(key, str) else None
            if loader is None:
                errors.append(_unknown_section(key))
                continue
            before = len(errors)
            with (
                named_conditions(_for_sections(data.get("conditions"), named)),
                _shared_calendars(calendars),
            ):
                sections[key] = loader(value, key, registry, errors)
            if len(errors) > before or shared_failed:
                failed.add(key)
        engines = _build_engines(sections, failed, registry, errors)
        raise_all(source, errors)
        return cls(
            schema_version=version,
            source=source,
            conditions=named,
            calendars=calendars,
            sections=MappingProxyType(sections),
            engines=MappingProxyType(engines),
        )

    @classmethod
    def from_toml(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        source: str = "<string>",
    ) -> PolicyDocument:
        """
        Check and load the TOML policy document *text*.

        Raises:
            PolicySyntaxError: Not TOML (location ``source:line:column``).
            PolicyError: The document is wrong (see :meth:`from_dict`).
        """
        return cls.from_dict(
            parse_text(text, "toml", source, PolicySyntaxError),
            registry=registry,
            source=source,
        )

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        source: str = "<string>",
    ) -> PolicyDocument:
        """
        Check and load the JSON policy document *text*.

        >>> sc.PolicyDocument.from_json('{"schema_version" 1}')
        Traceback (most recent call last):
        ...
        servicecore.errors.PolicySyntaxError: <string>:1:19: not valid JSON: Expecting ':' delimiter

        Raises:
            PolicySyntaxError: Not JSON (location ``source:line:column``).
            PolicyError: The document is wrong (see :meth:`from_dict`).
        """
        return cls.from_dict(
            parse_text(text, "json", source, PolicySyntaxError),
            registry=registry,
            source=source,
        )

    def condition(self, name: str) -> Condition:
        """
        Return the named condition *name*.

        Raises:
            PolicyError: No condition of that name; suggests the closest.
        """
        try:
            return self.conditions[name]
        except KeyError:
            raise PolicyError(
                join("conditions", name),
                f"no condition {name!r}{did_you_mean(name, self.conditions)}",
            ) from None


def _unknown_section(key: object) -> PolicyError:
    return PolicySyntaxError(
        str(key),
        f"unknown section {key!r}"
        + (
            did_you_mean(str(key), _SECTIONS)
            or f"; known sections: {', '.join(sorted(_SECTIONS))}"
        ),
    )


def _build_engines(
    sections: Mapping[str, object],
    failed: set[str],
    registry: Registry,
    errors: list[PolicyError],
) -> dict[str, object]:
    """
    Build the engine of each section, noting what an engine refuses.

    Returns the engines built, by section name.
    """
    built: dict[str, object | None] = {}
    for key, build in _BUILDERS.items():
        if key not in sections:
            continue
        built[key] = None
        if key in failed:
            continue
        try:
            built[key] = build(sections[key], built, registry)
        except PolicyError as exc:
            add_error(errors, exc)
    return {key: engine for key, engine in built.items() if engine is not None}


def _check_version(data: Mapping[str, Any]) -> int:
    if "schema_version" not in data:
        raise PolicySyntaxError(
            "schema_version",
            f"missing; start the document with schema_version = "
            f"{SCHEMA_VERSION}",
        )
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidValueError(
            "schema_version",
            f"{version!r} is not a version number; write schema_version = "
            f"{SCHEMA_VERSION}",
        )
    if version != SCHEMA_VERSION:
        raise InvalidValueError(
            "schema_version",
            f"version {version} is not supported; this servicecore reads "
            f"schema_version = {SCHEMA_VERSION}",
        )
    return version


def load_policies(
    source: str | os.PathLike[str] | IO[bytes] | Mapping[str, Any],
    *,
    format: Format | None = None,  # noqa: A002 - the natural name
    registry: Registry | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> PolicyDocument:
    r"""
    Load a policy document from a file, a binary file object or a dict.

    >>> path = getfixture("tmp_path") / "policies.toml"
    >>> _ = path.write_text('schema_version = 1\n[conditions.night]\n'
    ...                     'field = "moment.hour"\nop = "lt"\nvalue = 7\n')
    >>> sorted(sc.load_policies(path).conditions)
    ['night']
    >>> sc.load_policies(path, max_bytes=10)
    Traceback (most recent call last):
    ...
    servicecore.errors.PolicyError: ...policies.toml: larger than the limit of 10 bytes; ...

    Args:
        source: A path (``.toml`` or ``.json``), a binary file, or the
            document as a dict.
        format: ``"toml"`` or ``"json"``; by default from the file name's
            extension (TOML when there is none).
        registry: Fields, operators and plugins to check against.
        max_bytes: The largest file read, in bytes (16 MiB by default);
            a larger one is refused before it is read whole.

    Returns:
        The loaded document.

    Raises:
        PolicyError: The file cannot be read or is too large, is not
            TOML/JSON, or the document is wrong (or refused by an engine
            it feeds); every problem is reported together.
    """
    if isinstance(source, Mapping):
        return PolicyDocument.from_dict(source, registry=registry)
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        raw = read_limited(name, limit=max_bytes, error=PolicyError)
    elif not callable(getattr(source, "read", None)):
        raise PolicyError(
            "document",
            "expected a path, a binary file or a table (a dict), got "
            f"{type(source).__name__}",
        )
    else:
        name = str(getattr(source, "name", "<file>"))
        raw = source.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise PolicyError(
                name, f"larger than the limit of {max_bytes:,} bytes"
            )
    fmt: Format = format or (
        "json" if name.lower().endswith(".json") else "toml"
    )
    return PolicyDocument.from_dict(
        parse_text(raw, fmt, name, PolicySyntaxError),
        registry=registry,
        source=name,
    )


def line_of(text: str, location: str) -> int | None:
    r"""
    Return the line of *text* where the path *location* is, if found.

    A best effort over the document's text, for messages: it follows the
    keys of the path (not the list indexes) through table headers and
    ``key =`` / ``"key":`` lines. ``None`` when a key is not found.

    >>> line_of('schema_version = 1\n[conditions.a]\nop = "x"\n',
    ...         "conditions.a.op")
    3
    """
    steps = [
        (match["key"], match["index"])
        for match in re.finditer(
            r"(?P<key>[^.\[\]]+)(?:\[(?P<index>\d+)\])?", location
        )
    ]
    lines = text.splitlines()
    position = 0
    found: int | None = None
    for key, index in steps:
        pattern = re.compile(
            rf"""(^|[\[{{,.\s"'])["']?{re.escape(key)}["']?\s*(=|:|\]|\.)"""
        )
        for number in range(position, len(lines)):
            if pattern.search(lines[number]):
                position = number
                found = number + 1
                break
        else:
            return found
        header = lines[position].strip()
        if index is not None and header.startswith("[["):
            # An array of tables: item i is the i-th repeat of the header.
            repeats = [
                number
                for number in range(position, len(lines))
                if lines[number].strip() == header
            ]
            if int(index) < len(repeats):
                position = repeats[int(index)]
                found = position + 1
        # A multi-line array with one item per line: item i is i lines on.
        elif index is not None and lines[position].rstrip().endswith("["):
            item = position + 1 + int(index)
            if item < len(lines):
                position = item
                found = item + 1
    return found


_Built = TypeVar("_Built")


class FromDocument(Generic[_Built]):
    """
    The constructors of what a policy document's section holds.

    ``from_dict``, ``from_toml``, ``from_json`` and ``load`` check the whole
    document (:class:`PolicyDocument`: ``schema_version``, every section,
    every problem reported together) and hand it to the class's
    ``from_document``.
    """

    __slots__ = ()

    @classmethod
    def from_document(cls, document: PolicyDocument) -> _Built:
        """Return what the loaded *document* holds for this class."""
        raise NotImplementedError

    @classmethod
    def from_dict(
        cls,
        document: Mapping[str, Any],
        *,
        registry: Registry | None = None,
        source: str = "<dict>",
    ) -> _Built:
        """
        Build it from a policy document given as plain data.

        Args:
            document: ``{"schema_version": 1, ...sections}``.
            registry: The plugin registry conditions compile against.
            source: Names the document in errors about it as a whole.

        Raises:
            PolicyError: the document is wrong (every problem together).
        """
        return cls.from_document(
            PolicyDocument.from_dict(
                document, registry=registry, source=source
            )
        )

    @classmethod
    def from_toml(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        source: str = "<string>",
    ) -> _Built:
        """
        Build it from a TOML policy document (see :meth:`from_dict`).

        Raises:
            PolicySyntaxError: not TOML.
            PolicyError: the document is wrong.
        """
        return cls.from_document(
            PolicyDocument.from_toml(text, registry=registry, source=source)
        )

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        registry: Registry | None = None,
        source: str = "<string>",
    ) -> _Built:
        """
        Build it from a JSON policy document (see :meth:`from_dict`).

        Raises:
            PolicySyntaxError: not JSON.
            PolicyError: the document is wrong.
        """
        return cls.from_document(
            PolicyDocument.from_json(text, registry=registry, source=source)
        )

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | IO[bytes],
        *,
        registry: Registry | None = None,
    ) -> _Built:
        """
        Load it from a ``.toml`` or ``.json`` policy document.

        Raises:
            PolicyError: unreadable, not TOML/JSON, or wrong (every
                problem together).
        """
        return cls.from_document(load_policies(path, registry=registry))
