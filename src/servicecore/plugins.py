"""
The plugin registry: condition operators, context fields, and what plugins add.

A :class:`Registry` starts with the built-in operators and fields. Hosts
add their own with :meth:`Registry.add_operator` and
:meth:`Registry.add_field`; third-party packages register through the
entry-point group ``servicecore.plugins``, loaded only when the host asks
(:meth:`Registry.with_entry_points`), never on ``import servicecore``.

Each entry point is a callable receiving the registry, declaring the plugin
API it was written for in a ``plugin_api_version`` attribute (the
:func:`plugin` decorator sets it). A plugin runs against a copy of the
registry; only when it finished without error and everything it added
checks out does the copy replace the registry's contents, so a failing
plugin raises :class:`~servicecore.errors.PluginError` naming it and leaves
the registry as it was.

Kinds of things a registry holds are declared in one table, each with the
check its items must pass: ``operator`` and ``field`` here; SLA metrics,
escalation actions and profile attributes join it through
:func:`register_kind` and are added with :meth:`Registry.add`.

Plugins cannot take the host down: the table also says which callables of
an item run plugin code, and the registry wraps those of every item it adds
that is not servicecore's own (built-ins stay as they are, so their hot
paths pay nothing). A plugin callable that raises while a policy loads
raises :class:`~servicecore.errors.PluginError`, while a case is evaluated
:class:`~servicecore.errors.EvaluationError`, each naming the plugin and the
item, with the original exception as ``__cause__`` (``SystemExit``
included; ``KeyboardInterrupt`` goes through).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from typing import Any, Final, NamedTuple, Protocol, TypeVar, runtime_checkable

import attrs

from servicecore.conditions._operators import BUILTIN_OPERATORS
from servicecore.conditions._types import FieldType
from servicecore.errors import (
    EvaluationError,
    PluginError,
    PolicyError,
    UnknownFieldError,
    UnknownOperatorError,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_api.py checks
    "ENTRY_POINT_GROUP",
    "FieldProvider",
    "Operator",
    "PLUGIN_API_VERSION",
    "Plugin",
    "Registry",
    "plugin",
    "register_kind",
]

#: The plugin API this servicecore implements; a plugin declares the one it
#: was written for, and a different one is refused at load.
PLUGIN_API_VERSION: Final = 1

#: The entry-point group third-party packages register plugins under.
ENTRY_POINT_GROUP: Final = "servicecore.plugins"

Getter = Callable[[Any], object]
Predicate = Callable[[Any], bool]

_OPERATOR_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*(?:\.\*)?\Z")


@runtime_checkable
class Operator(Protocol):
    """
    **Protocol:** a condition operator such as ``in`` or ``gte``.

    ``check`` runs once per clause when a policy loads and returns the value
    coerced for the field's type (raising
    :class:`~servicecore.errors.PolicyError` naming *location*); ``compile``
    runs once and returns the predicate evaluation calls. The predicate
    must read the context only through the field's getter (``get``): its
    outcome then depends on the field's value alone, which lets engines
    cache a condition's outcome keyed by the values of its fields (see
    :attr:`Condition.getters <servicecore.Condition.getters>`).

    >>> isinstance(sc.Registry().operator("between"), sc.plugins.Operator)
    True
    """

    @property
    def name(self) -> str:
        """The name policies use in ``op``."""
        ...

    @property
    def description(self) -> str:
        """One line for the generated documentation."""
        ...

    @property
    def value_form(self) -> str:
        """The value it takes, for docs and errors (``"a list"``)."""
        ...

    @property
    def takes_value(self) -> bool:
        """Whether a clause gives it a ``value``."""
        ...

    def accepts(self, ftype: FieldType) -> bool:
        """Return whether the operator applies to fields of *ftype*."""
        ...

    def check(self, ftype: FieldType, value: object, location: str) -> object:
        """Return *value* checked and coerced; raise PolicyError if bad."""
        ...

    def compile(self, get: Getter, ftype: FieldType, value: Any) -> Predicate:  # noqa: ANN401
        """Return the predicate over a context; called once per clause."""
        ...


@runtime_checkable
class FieldProvider(Protocol):
    """
    **Protocol:** a typed field (or a ``prefix.*`` family) of the context.

    :class:`~servicecore.conditions.Field` and
    :class:`~servicecore.conditions.FieldFamily` implement it.

    >>> field = sc.Registry().field("case.fields.order_id")
    >>> isinstance(field, sc.plugins.FieldProvider), field.name
    (True, 'case.fields.*')
    """

    @property
    def name(self) -> str:
        """The dotted name, ending in ``.*`` for a family."""
        ...

    @property
    def type(self) -> FieldType:
        """The type of the values."""
        ...

    @property
    def description(self) -> str:
        """One line for the generated documentation."""
        ...

    @property
    def operators(self) -> frozenset[str] | None:
        """The operators allowed; ``None`` for all that apply to the type."""
        ...

    def getter(self, name: str) -> Getter:
        """Return the getter of field *name* over an evaluation context."""
        ...


@runtime_checkable
class Plugin(Protocol):
    """
    **Protocol:** an entry point of the group ``servicecore.plugins``.

    A callable receiving the registry to add to, with the plugin API
    version it was written for; the :func:`plugin` decorator sets it.

    >>> @sc.plugin()
    ... def register(registry):
    ...     pass
    >>> isinstance(register, sc.plugins.Plugin), register.plugin_api_version
    (True, 1)
    """

    plugin_api_version: int

    def __call__(self, registry: Registry) -> None:
        """Add operators, fields, ... to *registry*."""
        ...


_F = TypeVar("_F", bound=Callable[..., object])


def plugin(api_version: int = PLUGIN_API_VERSION) -> Callable[[_F], _F]:
    """
    Mark a function as a servicecore plugin written for *api_version*.

    >>> @sc.plugin(api_version=1)
    ... def register(registry):
    ...     registry.add_field(
    ...         sc.conditions.Field(name="shift.hour", type=sc.conditions.FieldType.integer(),
    ...                  get=lambda context: 9)
    ...     )
    >>> registry = sc.Registry()
    >>> registry.load_plugin(register, name="shift")
    >>> "shift.hour" in registry.field_names()
    True

    Args:
        api_version: The plugin API version the plugin was written for.

    Returns:
        A decorator setting ``plugin_api_version`` on the function.
    """

    def mark(function: _F) -> _F:
        function.plugin_api_version = api_version  # type: ignore[attr-defined]
        return function

    return mark


def _check_operator(item: object) -> str:
    if not isinstance(item, Operator):
        return (
            "is not an operator: it needs name, description, value_form, "
            "takes_value, accepts(), check() and compile()"
        )
    if not isinstance(item.name, str) or not _OPERATOR_NAME.match(item.name):
        return f"operator name {item.name!r} is not lower_snake_case"
    return ""


def _check_field(item: object) -> str:
    if not isinstance(item, FieldProvider):
        return (
            "is not a field: it needs name, type, description, operators "
            "and getter()"
        )
    if not isinstance(item.name, str) or not _FIELD_NAME.match(item.name):
        return (
            f"field name {item.name!r} is not a dotted lower-case name "
            "(families end in '.*')"
        )
    if not isinstance(item.type, FieldType):
        return f"field {item.name!r} has no FieldType"
    return ""


class _Kind(NamedTuple):
    """A kind of registry item: its check, and which callables run plugins."""

    check: Callable[[object], str]
    #: Methods run when a policy loads (a PolicyError they raise is theirs
    #: to raise; anything else becomes a PluginError).
    loads: tuple[str, ...] = ()
    #: Methods run when a policy loads that return a callable run at
    #: evaluation (an operator's ``compile``, a field's ``getter``).
    compiles: tuple[str, ...] = ()
    #: Attributes holding callables run at evaluation (an attrs item's
    #: fields, such as a metric's ``starts``).
    evaluates: tuple[str, ...] = ()


#: The modules that declare servicecore's other kinds (see register_kind).
_KIND_HOMES: Final[Mapping[str, str]] = {
    "sla_metric": "servicecore.sla",
    "escalation_action": "servicecore.escalation",
    "profile_attribute": "servicecore.personalization",
}

#: Each kind a registry holds, with the check an item must pass.
_KINDS: Final[dict[str, _Kind]] = {
    "operator": _Kind(
        _check_operator, loads=("accepts", "check"), compiles=("compile",)
    ),
    "field": _Kind(_check_field, compiles=("getter",), evaluates=("get",)),
}


def register_kind(
    kind: str,
    check: Callable[[object], str],
    *,
    loads: Iterable[str] = (),
    compiles: Iterable[str] = (),
    evaluates: Iterable[str] = (),
) -> None:
    """
    Declare a kind of item registries hold, with the check items must pass.

    For servicecore's own modules (SLA metrics, escalation actions,
    profile attributes, ...): *check* returns ``""`` for a good item, else
    what is wrong with it. The other arguments name the item's callables
    that run plugin code, which the registry guards in items that are not
    servicecore's own: *loads*, methods run when a policy loads;
    *compiles*, methods run then that return a callable run at evaluation;
    *evaluates*, attrs fields holding callables run at evaluation.
    Declaring a kind again keeps the first declaration.

    >>> register_kind("greeting", lambda item: "")
    >>> registry = sc.Registry()
    >>> class Hello:
    ...     name = "hello"
    >>> registry.add("greeting", Hello())
    >>> registry.names("greeting")
    ['hello']
    """
    _KINDS.setdefault(
        kind, _Kind(check, tuple(loads), tuple(compiles), tuple(evaluates))
    )


def _is_ours(value: object) -> bool:
    """Return whether *value* (a callable or its class) is servicecore's."""
    module = getattr(value, "__module__", None) or ""
    return module == "servicecore" or module.startswith("servicecore.")


def _guard(
    function: Callable[..., Any],
    *,
    step: str,
    who: str,
    plugin: str,
    evaluating: bool,
) -> Callable[..., Any]:
    """
    Return *function* raising our error for any other it raises.

    At load (*evaluating* false) a PolicyError is the plugin's to raise
    and anything else becomes a PluginError, located at the policy
    location when the call has one (a ``check()``'s last argument); at
    evaluation (positional arguments only) anything but an EvaluationError
    becomes one. *step* names the call in the message, *who* the plugin
    and its item.
    """
    if _is_ours(function):
        return function

    def evaluate(*args: Any) -> Any:  # noqa: ANN401 - any plugin
        # The hot path: evaluation calls take positional arguments only.
        try:
            return function(*args)
        except EvaluationError:
            raise
        except (Exception, SystemExit) as exc:
            raise EvaluationError(who, _failed(step, exc)) from exc

    def load(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - any plugin
        try:
            return function(*args, **kwargs)
        except PolicyError:
            raise
        except (Exception, SystemExit) as exc:
            failed = _failed(step, exc)
            location = kwargs.get("location", args[-1] if args else None)
            if step != "check()" or not isinstance(location, str):
                raise PluginError(who, failed, plugin=plugin) from exc
            raise PluginError(
                location, f"{who} {failed}", plugin=plugin
            ) from exc

    guarded = evaluate if evaluating else load
    guarded.__module__ = __name__
    return guarded


def _failed(step: str, exc: BaseException) -> str:
    return f"failed in {step}: {type(exc).__name__}: {exc}"


class _Guarded:
    """A third-party registry item whose plugin callables are guarded."""

    def __init__(self, item: object, methods: dict[str, object]) -> None:
        # Instance attributes, not __getattr__: isinstance() against a
        # runtime Protocol looks attributes up statically.
        for name in dir(item):
            if not name.startswith("_"):
                try:
                    setattr(self, name, getattr(item, name))
                except Exception:  # noqa: BLE001, S112 - a property that fails
                    continue
        for name, method in methods.items():
            setattr(self, name, method)
        self._item = item

    def __repr__(self) -> str:
        """Return the item's own repr."""
        return repr(self._item)


def _guarded_item(
    kind: _Kind, item: object, where: str, plugin: str
) -> object:
    """Return *item* with its plugin callables guarded; ours as it is."""
    who = f"plugin {plugin!r} ({where})" if plugin else where
    theirs = [
        name
        for name in kind.evaluates
        if callable(getattr(item, name, None))
        and not _is_ours(getattr(item, name))
    ]
    if theirs and attrs.has(type(item)):
        item = attrs.evolve(
            item,  # type: ignore[misc]  # attrs.has() said so
            **{
                name: _guard(
                    getattr(item, name),
                    step=name,
                    who=who,
                    plugin=plugin,
                    evaluating=True,
                )
                for name in theirs
            },
        )
    # The methods of servicecore's own classes are ours to trust.
    if _is_ours(type(item)) or not (kind.loads or kind.compiles):
        return item
    methods: dict[str, object] = {
        name: _guard(
            getattr(item, name),
            step=f"{name}()",
            who=who,
            plugin=plugin,
            evaluating=False,
        )
        for name in kind.loads
    }
    for name in kind.compiles:
        methods[name] = _compiling(
            getattr(item, name), name, who=who, plugin=plugin
        )
    return _Guarded(item, methods)


def _compiling(
    method: Callable[..., Any], name: str, *, who: str, plugin: str
) -> Callable[..., Any]:
    """Guard *method* at load, and the callable it returns at evaluation."""
    load = _guard(
        method, step=f"{name}()", who=who, plugin=plugin, evaluating=False
    )

    def compiled(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - any plugin
        return _guard(
            load(*args, **kwargs),
            step=f"the result of {name}()",
            who=who,
            plugin=plugin,
            evaluating=True,
        )

    return compiled


class Registry:
    """
    Operators, fields and plugin extensions that policies can name.

    ``Registry()`` holds the built-ins; engines take a registry and use a
    fresh default one when given none. A registry is changed only by its
    ``add_*`` methods and by loading plugins, never behind the host's back.

    >>> registry = sc.Registry()
    >>> registry.operator("in").name
    'in'
    >>> registry.operator("inn")
    Traceback (most recent call last):
    ...
    servicecore.errors.UnknownOperatorError: op: unknown operator 'inn'; did you mean 'in'?

    Args:
        builtins: Start with the built-in operators and fields (the
            default); ``False`` gives an empty registry.
    """

    def __init__(self, *, builtins: bool = True) -> None:
        self._items: dict[str, dict[str, Any]] = {
            "operator": {},
            "field": {},
        }
        self._plugins: list[str] = []
        #: The plugin running against this registry, if any.
        self._loading = ""
        if builtins:
            for operator in BUILTIN_OPERATORS:
                self._items["operator"][operator.name] = operator
            for field in _builtin_fields():
                self._items["field"][field.name] = field

    @classmethod
    def with_entry_points(
        cls,
        *,
        group: str = ENTRY_POINT_GROUP,
        names: Iterable[str] | None = None,
    ) -> Registry:
        """
        Return a registry of the built-ins plus the installed plugins.

        >>> registry = sc.Registry.with_entry_points(names=[])
        >>> registry.plugins
        ()

        Args:
            group: The entry-point group to load.
            names: Load only these entry points (all when ``None``).

        Returns:
            The registry.

        Raises:
            PluginError: A plugin failed; nothing is returned.
        """
        registry = cls()
        registry.load_entry_points(group=group, names=names)
        return registry

    # -- generic ---------------------------------------------------------

    def add(self, kind: str, item: object, *, replace: bool = False) -> None:
        """
        Add *item* of *kind* (``"operator"``, ``"field"``, ...).

        >>> registry = sc.Registry()
        >>> registry.add("operator", registry.operator("is"))
        Traceback (most recent call last):
        ...
        servicecore.errors.PluginError: operator 'is': is already registered; pass replace=True...

        Args:
            kind: What *item* is.
            item: The item; it must satisfy the kind's protocol.
            replace: Replace an item of the same name instead of failing.

        Raises:
            PluginError: Unknown kind, an item that does not satisfy the
                protocol, or a name already taken.

        An item that is not servicecore's own is kept with its plugin
        callables guarded (see the module's documentation).
        """
        if kind not in _KINDS and kind in _KIND_HOMES:
            # servicecore loads on first use: the engine that declares a
            # kind may not be imported yet.
            importlib.import_module(_KIND_HOMES[kind])
        if kind not in _KINDS:
            raise PluginError(
                "registry", f"unknown kind {kind!r}; known: {sorted(_KINDS)}"
            )
        name = getattr(item, "name", None)
        where = f"{kind} {name!r}" if isinstance(name, str) else kind
        problem = _KINDS[kind].check(item)
        if problem:
            raise PluginError(where, problem)
        assert isinstance(name, str)  # noqa: S101 - checked by the protocol
        items = self._items.setdefault(kind, {})
        if name in items and not replace:
            raise PluginError(
                where,
                "is already registered; pass replace=True to replace it",
            )
        items[name] = _guarded_item(_KINDS[kind], item, where, self._loading)

    def get(self, kind: str, name: str) -> Any:  # noqa: ANN401 - kinds vary
        """Return the item *name* of *kind*; ``KeyError`` when missing."""
        return self._items.get(kind, {})[name]

    def names(self, kind: str) -> list[str]:
        """Return the names of the items of *kind*, in registration order."""
        return list(self._items.get(kind, {}))

    # -- operators and fields -----------------------------------------------

    def add_operator(
        self, operator: Operator, *, replace: bool = False
    ) -> None:
        """
        Add a condition operator.

        Args:
            operator: The operator (see :class:`Operator`).
            replace: Replace a registered operator of the same name.

        Raises:
            PluginError: Not an operator, or the name is taken.
        """
        self.add("operator", operator, replace=replace)

    def add_field(
        self, field: FieldProvider, *, replace: bool = False
    ) -> None:
        """
        Add a context field or a ``prefix.*`` family of fields.

        >>> registry = sc.Registry()
        >>> registry.add_field(sc.conditions.Field(
        ...     name="interaction.sentiment", type=sc.conditions.FieldType.number(),
        ...     get=lambda context: 0.0))
        >>> registry.field("interaction.sentiment").type.kind
        'float'

        Args:
            field: The field (see :class:`FieldProvider`).
            replace: Replace a registered field of the same name.

        Raises:
            PluginError: Not a field, or the name is taken.
        """
        self.add("field", field, replace=replace)

    def operator(self, name: str, location: str = "op") -> Operator:
        """
        Return the operator *name*.

        Raises:
            UnknownOperatorError: No such operator; suggests the closest.
        """
        try:
            operator: Operator = self._items["operator"][name]
        except (KeyError, TypeError):
            raise UnknownOperatorError.for_name(
                location, name, self._items["operator"]
            ) from None
        return operator

    def field(self, name: str, location: str = "field") -> FieldProvider:
        """
        Return the field, or the family of fields, that supplies *name*.

        Raises:
            UnknownFieldError: No such field; suggests the closest.
        """
        fields = self._items["field"]
        found: FieldProvider | None = (
            fields.get(name) if isinstance(name, str) else None
        )
        if found is not None and not found.name.endswith("*"):
            return found
        if isinstance(name, str):
            for family in fields.values():
                prefix = family.name.removesuffix("*")
                if (
                    family.name.endswith(".*")
                    and name.startswith(prefix)
                    and len(name) > len(prefix)
                ):
                    return family  # type: ignore[no-any-return]
        raise UnknownFieldError.for_name(location, name, self.field_names())

    def field_names(self) -> list[str]:
        """Return every field name (families as ``prefix.*``), sorted."""
        return sorted(self._items["field"])

    def operator_names(self) -> list[str]:
        """Return every operator name, in registration order."""
        return list(self._items["operator"])

    def operators_for(self, field: FieldProvider) -> list[str]:
        """Return the operators *field* allows, in registration order."""
        return [
            name
            for name, operator in self._items["operator"].items()
            if operator.accepts(field.type)
            and (field.operators is None or name in field.operators)
        ]

    # -- plugins -------------------------------------------------------------

    @property
    def plugins(self) -> tuple[str, ...]:
        """The names of the plugins loaded into this registry, in order."""
        return tuple(self._plugins)

    def copy(self) -> Registry:
        """Return an independent registry with the same contents."""
        other = Registry(builtins=False)
        other._items = {
            kind: dict(items) for kind, items in self._items.items()
        }
        other._plugins = list(self._plugins)
        return other

    def load_plugin(
        self, function: Callable[[Registry], object], *, name: str
    ) -> None:
        """
        Run the plugin *function* against this registry, all or nothing.

        Args:
            function: The plugin; it must declare ``plugin_api_version``.
            name: The plugin's name, for errors and :attr:`plugins`.

        Raises:
            PluginError: The plugin declares no or another API version, or
                raised; the registry is unchanged.
        """
        version = getattr(function, "plugin_api_version", None)
        if version is None:
            raise PluginError(
                f"plugin {name!r}",
                "declares no plugin_api_version; decorate it with "
                f"@servicecore.plugin(api_version={PLUGIN_API_VERSION})",
                plugin=name,
            )
        if version != PLUGIN_API_VERSION:
            raise PluginError(
                f"plugin {name!r}",
                f"was written for plugin API {version!r}; this servicecore "
                f"implements plugin API {PLUGIN_API_VERSION}",
                plugin=name,
            )
        staged = self.copy()
        staged._loading = name  # noqa: SLF001
        try:
            function(staged)
        except PluginError as exc:
            raise PluginError(
                f"plugin {name!r}", str(exc), plugin=name
            ) from exc
        except (Exception, SystemExit) as exc:
            raise PluginError(
                f"plugin {name!r}",
                f"failed: {type(exc).__name__}: {exc}",
                plugin=name,
            ) from exc
        staged._plugins.append(name)  # noqa: SLF001
        self._items = staged._items  # noqa: SLF001
        self._plugins = staged._plugins  # noqa: SLF001

    def load_entry_points(
        self,
        *,
        group: str = ENTRY_POINT_GROUP,
        names: Iterable[str] | None = None,
    ) -> None:
        """
        Load the plugins of entry-point *group*, all or none.

        Args:
            group: The entry-point group.
            names: Load only these entry points (all when ``None``); a
                name that is not installed is an error.

        Raises:
            PluginError: A plugin could not be imported, declared another
                API version, or failed; the registry is unchanged.
        """
        found = {ep.name: ep for ep in metadata.entry_points(group=group)}
        wanted = sorted(found) if names is None else list(names)
        staged = self.copy()
        for name in wanted:
            if name not in found:
                raise PluginError(
                    f"plugin {name!r}",
                    f"no entry point {name!r} in group {group!r}",
                    plugin=name,
                )
            try:
                function = found[name].load()
            except (Exception, SystemExit) as exc:
                raise PluginError(
                    f"plugin {name!r}",
                    f"cannot be imported: {type(exc).__name__}: {exc}",
                    plugin=name,
                ) from exc
            if not callable(function):
                raise PluginError(
                    f"plugin {name!r}",
                    f"entry point {found[name].value!r} is not callable",
                    plugin=name,
                )
            staged.load_plugin(function, name=name)
        self._items = staged._items  # noqa: SLF001
        self._plugins = staged._plugins  # noqa: SLF001

    def __repr__(self) -> str:
        """Return a summary: counts per kind and the loaded plugins."""
        counts = ", ".join(
            f"{len(items)} {kind}s" for kind, items in self._items.items()
        )
        return f"<Registry {counts}; plugins {self._plugins}>"


def _builtin_fields() -> list[FieldProvider]:
    from servicecore.conditions._builtin import BUILTIN_FIELDS  # noqa: PLC0415

    return list(BUILTIN_FIELDS)
