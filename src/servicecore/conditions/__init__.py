"""
The condition language shared by SLA, escalation and personalization rules.

A condition is ``{all = [...], any = [...], not = {...}}`` of
``{field, op, value}`` clauses, nestable. Fields are typed dotted paths over
an :class:`EvaluationContext`; values are checked and coerced when a policy
loads, and a condition compiles once into a plain closure.

>>> condition = sc.Condition.from_dict({"all": [
...     {"field": "moment.weekday", "op": "in", "value": ["sat", "sun"]},
... ]})
>>> condition(sc.EvaluationContext(at=pendulum.datetime(2024, 3, 9, tz="UTC")))
True
"""

from servicecore.conditions._compile import Condition
from servicecore.conditions._context import EvaluationContext
from servicecore.conditions._explain import Explanation
from servicecore.conditions._fields import Field, FieldFamily
from servicecore.conditions._types import FieldType

__all__ = [
    "Condition",
    "EvaluationContext",
    "Explanation",
    "Field",
    "FieldFamily",
    "FieldType",
]
