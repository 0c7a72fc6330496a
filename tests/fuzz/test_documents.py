"""
Damaged policy documents: every loader and engine answers or refuses.

Each example document is damaged as text (TOML and JSON) and as a tree;
whatever loads is then built into its engine and run on a few cases, so a
value that passes the loader but breaks evaluation is found too.
"""

from __future__ import annotations

import io
import json

import pytest
from fuzzing import (
    DOCUMENTS,
    TEXTS,
    damaged,
    encoded,
    failed,
    mutated,
    outcome,
    to_json,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import servicecore as sc

CASES = sc.generate_cases(3, seed=11)
#: Each case is asked about halfway through its history, with clocks running.
MOMENTS = [
    case.events[len(case.events) // 2].at.add(minutes=30) for case in CASES
]

FUZZ = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])


def _exercise(load: str, source: object) -> None:
    """Load *source* with every loader; run what loads on the cases."""
    outcome(
        sc.load_policies,
        source if isinstance(source, dict) else io.BytesIO(source),  # type: ignore[arg-type]
    )
    sla_engine = _run_sla(outcome(getattr(sc.SLAPolicySet, load), source))
    _run_escalation(
        outcome(getattr(sc.EscalationPolicySet, load), source), sla_engine
    )
    _run_personalization(outcome(getattr(sc.Personalizer, load), source))


def _run_sla(policies: object) -> object:
    """Evaluate the cases under *policies*; return the engine, if built."""
    if failed(policies):
        return None
    engine = outcome(sc.SLAEngine, policies)
    if failed(engine):
        return None
    for case, at in zip(CASES, MOMENTS, strict=True):
        report = outcome(engine.evaluate, case, at=at)
        if not failed(report):
            outcome(sc.to_dict, report)
    return engine


def _run_escalation(policies: object, sla_engine: object) -> None:
    """Decide the cases under *policies*, with the SLA engine if built."""
    if failed(policies):
        return
    engine = outcome(sc.EscalationEngine, policies, sla=sla_engine)
    if not failed(engine):
        for case, at in zip(CASES, MOMENTS, strict=True):
            outcome(engine.decide, case, at)


def _run_personalization(personalizer: object) -> None:
    """Personalize the cases' customers and render an acknowledgement."""
    if failed(personalizer):
        return
    for case, at in zip(CASES, MOMENTS, strict=True):
        profile = outcome(personalizer.personalize, case.customer, case, at=at)
        if not failed(profile):
            outcome(
                personalizer.render,
                profile,
                "acknowledgement",
                at=at,
                reply_by=at.add(hours=4),
            )


@pytest.mark.parametrize("name", sorted(TEXTS))
@FUZZ
@given(data=st.data())
def test_damaged_toml(name: str, data) -> None:
    """A damaged TOML document is loaded, built and run, or refused by us."""
    text = data.draw(damaged(TEXTS[name]))
    _exercise("from_toml", encoded(text))


@pytest.mark.parametrize("name", sorted(TEXTS))
@FUZZ
@given(data=st.data())
def test_damaged_json(name: str, data) -> None:
    """A damaged JSON document is loaded, built and run, or refused by us."""
    text = data.draw(damaged(json.dumps(DOCUMENTS[name], indent=1)))
    _exercise("from_json", encoded(text))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@FUZZ
@given(data=st.data())
def test_mutated_trees(name: str, data) -> None:
    """A document with any value anywhere is built and run, or refused."""
    tree = data.draw(mutated(DOCUMENTS[name]))
    if not isinstance(tree, dict):
        outcome(sc.load_policies, tree)
        return
    _exercise("from_dict", tree)
    _exercise("from_json", to_json(tree).encode("utf-8"))
