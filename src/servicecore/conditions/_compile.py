"""
Compilation: a checked condition tree into one plain closure.

No ``eval``, no ``exec``, no generated source: each node becomes a closure
over its children's closures, built once when the policy loads. Groups of
up to eight parts are spelt out as ``and``/``or`` chains (chunked by eight
up to 64 parts), larger ones loop; all short-circuit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from servicecore._problems import raise_all
from servicecore.conditions._explain import Explanation, explain_node
from servicecore.conditions._parse import (
    AllOf,
    AnyOf,
    Clause,
    Named,
    Node,
    NotOf,
    named_conditions,
    parse,
)
from servicecore.errors import InvalidValueError, PolicyError

if TYPE_CHECKING:
    from servicecore.plugins import Registry

__all__ = ["Condition", "compile_node"]

Predicate = Callable[[Any], bool]


def _always(_: object) -> bool:
    return True


def _never(_: object) -> bool:
    return False


def _all(predicates: tuple[Predicate, ...]) -> Predicate:  # noqa: C901, PLR0911
    match predicates:
        case ():
            return _always
        case (a,):
            return a
        case (a, b):
            return lambda c: a(c) and b(c)
        case (a, b, d):
            return lambda c: a(c) and b(c) and d(c)
        case (a, b, d, e):
            return lambda c: a(c) and b(c) and d(c) and e(c)
        case (a, b, d, e, f):
            return lambda c: a(c) and b(c) and d(c) and e(c) and f(c)
        case (a, b, d, e, f, g):
            return lambda c: a(c) and b(c) and d(c) and e(c) and f(c) and g(c)
        case (a, b, d, e, f, g, h):
            return lambda c: (
                a(c) and b(c) and d(c) and e(c) and f(c) and g(c) and h(c)
            )
        case (a, b, d, e, f, g, h, i):
            return lambda c: (
                a(c)
                and b(c)
                and d(c)
                and e(c)
                and f(c)
                and g(c)
                and h(c)
                and i(c)
            )
    if len(predicates) <= 64:  # noqa: PLR2004
        # Chains of eight: one frame per eight parts, no loop.
        chunks = tuple(
            _all(predicates[i : i + 8]) for i in range(0, len(predicates), 8)
        )
        return _all(chunks)

    def all_(c: object) -> bool:
        for predicate in predicates:  # noqa: SIM110 - a loop beats all()
            if not predicate(c):
                return False
        return True

    return all_


def _any(predicates: tuple[Predicate, ...]) -> Predicate:  # noqa: C901, PLR0911
    match predicates:
        case ():
            return _never
        case (a,):
            return a
        case (a, b):
            return lambda c: a(c) or b(c)
        case (a, b, d):
            return lambda c: a(c) or b(c) or d(c)
        case (a, b, d, e):
            return lambda c: a(c) or b(c) or d(c) or e(c)
        case (a, b, d, e, f):
            return lambda c: a(c) or b(c) or d(c) or e(c) or f(c)
        case (a, b, d, e, f, g):
            return lambda c: a(c) or b(c) or d(c) or e(c) or f(c) or g(c)
        case (a, b, d, e, f, g, h):
            return lambda c: (
                a(c) or b(c) or d(c) or e(c) or f(c) or g(c) or h(c)
            )
        case (a, b, d, e, f, g, h, i):
            return lambda c: (
                a(c) or b(c) or d(c) or e(c) or f(c) or g(c) or h(c) or i(c)
            )
    if len(predicates) <= 64:  # noqa: PLR2004
        chunks = tuple(
            _any(predicates[i : i + 8]) for i in range(0, len(predicates), 8)
        )
        return _any(chunks)

    def any_(c: object) -> bool:
        for predicate in predicates:  # noqa: SIM110 - a loop beats any()
            if predicate(c):
                return True
        return False

    return any_


def compile_node(node: Node) -> Predicate:
    """Return the closure that evaluates *node* over a context."""
    match node:
        case Clause():
            return node.predicate
        case AllOf():
            return _all(tuple(compile_node(part) for part in node.parts))
        case AnyOf():
            return _any(tuple(compile_node(part) for part in node.parts))
        case NotOf():
            inner = compile_node(node.part)
            return lambda c: not inner(c)
        case Named():
            return _always if node.part is None else compile_node(node.part)


class Condition:
    """
    A condition of a policy, checked at load and compiled into a closure.

    >>> condition = sc.Condition.from_dict(
    ...     {"all": [{"field": "moment.hour", "op": "between",
    ...               "value": [9, 17]}]}
    ... )
    >>> context = sc.EvaluationContext(
    ...     at=pendulum.datetime(2024, 3, 4, 10, tz="UTC"))
    >>> condition(context)
    True
    >>> sc.Condition.from_dict({"field": "case.priority", "op": "in",
    ...                          "value": ["urgent", "hgh"]})
    Traceback (most recent call last):
    ...
    servicecore.errors.InvalidValueError: when.value[1]: 'hgh' is not a priority; did you mean...

    Build conditions with :meth:`from_dict`; call one with an
    :class:`EvaluationContext` (or any context its fields understand).
    """

    __slots__ = ("_document", "_node", "_predicate", "location")

    _node: Node | None
    _predicate: Predicate
    _document: object
    location: str

    def __init__(
        self, node: Node | None, document: object, location: str
    ) -> None:
        self._node = node
        self._predicate = _always if node is None else compile_node(node)
        self._document = document
        self.location = location

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, object],
        *,
        registry: Registry | None = None,
        location: str = "when",
        conditions: Mapping[str, Condition] | None = None,
    ) -> Condition:
        """
        Check and compile the condition document *data*.

        ``{condition = "name"}`` anywhere in *data* uses the named condition
        *name*: one of *conditions*, or, while a policy document loads, of
        its ``[conditions]`` section.

        >>> vip = sc.Condition.from_dict(
        ...     {"field": "customer.tier", "op": "is", "value": "vip"})
        >>> urgent_vip = sc.Condition.from_dict(
        ...     {"all": [{"condition": "vip"},
        ...              {"field": "case.priority", "op": "is", "value": "urgent"}]},
        ...     conditions={"vip": vip})
        >>> sorted(urgent_vip.fields)
        ['case.priority', 'customer.tier']
        >>> sc.Condition.from_dict({"condition": "vp"}, conditions={"vip": vip})
        Traceback (most recent call last):
        ...
        servicecore.errors.InvalidValueError: when.condition: unknown condition 'vp'; did...

        Args:
            data: ``{all = [...], any = [...], not = {...}}``, a single
                ``{field, op, value}`` clause or ``{condition = name}``,
                nested as deep as needed.
            registry: Where fields and operators come from; the built-in
                registry when ``None``.
            location: The path of *data* in its document, for errors.
            conditions: Named conditions *data* may use by name.

        Returns:
            The compiled condition.

        Raises:
            PolicyError: The document is wrong; with several problems, a
                :class:`~servicecore.PolicyValidationError` holding all of
                them in ``errors``.
        """
        if registry is None:
            from servicecore.plugins import Registry  # noqa: PLC0415

            registry = Registry()
        errors: list[PolicyError] = []
        if conditions is None:
            node = parse(data, location, registry, errors)
        else:
            if not isinstance(conditions, Mapping):
                raise InvalidValueError(
                    "conditions",
                    "expected a mapping of names to conditions, got "
                    f"{type(conditions).__name__}",
                )
            for name, named in conditions.items():
                if not isinstance(named, Condition):
                    raise InvalidValueError(
                        f"conditions[{name!r}]",
                        f"expected a Condition (Condition.from_dict(...)), "
                        f"got {type(named).__name__}",
                    )
            with named_conditions(conditions):
                node = parse(data, location, registry, errors)
        raise_all(location, errors)
        return cls(node, data, location)

    @classmethod
    def always(cls) -> Condition:
        """
        Return the condition that always holds (an empty ``all``).

        >>> sc.Condition.always()(None)
        True
        """
        return cls(None, {"all": []}, "")

    def __call__(self, context: object) -> bool:
        """Return whether the condition holds in *context*."""
        return self._predicate(context)

    def holds(self, context: object) -> bool:
        """Return whether the condition holds in *context* (as calling it)."""
        return self._predicate(context)

    @property
    def predicate(self) -> Callable[[Any], bool]:
        """The compiled closure itself, for hot loops."""
        return self._predicate

    @property
    def fields(self) -> frozenset[str]:
        """The names of the fields the condition reads."""
        return frozenset(self.getters)

    @property
    def getters(self) -> Mapping[str, Callable[[Any], object]]:
        """
        The getter of each field the condition reads, as compiled.

        A condition's outcome depends on these values alone (operators are
        pure functions of a value and the document's operand), so a host
        may cache outcomes keyed by them.

        >>> condition = sc.Condition.from_dict(
        ...     {"field": "case.channel", "op": "is", "value": "chat"})
        >>> get = condition.getters["case.channel"]
        >>> case = sc.generate_cases(1, seed=3)[0]
        >>> get(sc.EvaluationContext(case, at=case.created_at)) == case.channel
        True
        """
        found: dict[str, Callable[[Any], object]] = {}
        stack = [] if self._node is None else [self._node]
        while stack:
            node = stack.pop()
            match node:
                case Clause():
                    found.setdefault(node.field, node.get)
                case AllOf() | AnyOf():
                    stack.extend(node.parts)
                case NotOf():
                    stack.append(node.part)
                case Named() if node.part is not None:
                    stack.append(node.part)
        return MappingProxyType(found)

    def to_dict(self) -> object:
        """Return the document the condition was loaded from."""
        return self._document

    def explain(self, context: object) -> Explanation:
        """
        Report which parts of the condition held in *context*, and why.

        Every part is evaluated (no short-circuit), so the report shows the
        actual value of each field.

        >>> condition = sc.Condition.from_dict({"any": [
        ...     {"field": "moment.hour", "op": "lt", "value": 9},
        ...     {"field": "moment.weekday", "op": "in", "value": ["sat", "sun"]},
        ... ]})
        >>> print(condition.explain(sc.EvaluationContext(
        ...     at=pendulum.datetime(2024, 3, 4, 10, tz="UTC"))))
        no   any (when.any)
        no     moment.hour lt 9: actual 10 (when.any[0])
        no     moment.weekday in ['sat', 'sun']: actual 'mon' (when.any[1])

        Args:
            context: The context to evaluate in.

        Returns:
            The explanation; ``held`` equals calling the condition.
        """
        if self._node is None:
            return Explanation(
                held=True, location="", text="always", children=()
            )
        return explain_node(self._node, context)

    def __repr__(self) -> str:
        """Return the condition's location and fields."""
        return f"<Condition {self.location or '-'} {sorted(self.fields)}>"
