"""The engine's private fast paths build exactly what the public API does."""

from __future__ import annotations

import attrs

import servicecore as sc
from servicecore.escalation import _engine


class TestCheckConstructor:
    """decide builds its EscalationCheck without the attrs __init__."""

    def test_fast_check_equals_the_attrs_check(self) -> None:
        """The fast constructor gives an equal check with the same fields."""
        decision = sc.EscalationDecision(
            case_id="c-1",
            policy="p",
            level=0,
            trigger="elapsed",
            reason="r",
            dedupe_key="c-1:p:-:0:0",
            at_s=60,
        )
        fast = _engine._check("c-1", 60, (decision,), 120)
        slow = sc.EscalationCheck(
            case_id="c-1", at_s=60, decisions=(decision,), next_check_at_s=120
        )
        assert type(fast) is sc.EscalationCheck
        assert fast == slow
        assert attrs.asdict(fast, recurse=False) == attrs.asdict(
            slow, recurse=False
        )
        assert hash(fast) == hash(slow)

    def test_check_has_nothing_the_fast_constructor_skips(self) -> None:
        """EscalationCheck has no validator, converter or post-init hook."""
        fields = attrs.fields(sc.EscalationCheck)
        assert [(f.name, f.validator, f.converter) for f in fields] == [
            ("case_id", None, None),
            ("at_s", None, None),
            ("decisions", None, None),
            ("next_check_at_s", None, None),
        ]
        assert not hasattr(sc.EscalationCheck, "__attrs_post_init__")
