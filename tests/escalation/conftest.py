"""Make the escalation test helpers importable, under a unique name."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _load(name: str, filename: str) -> None:
    """Import tests/escalation/<filename> as module *name*, once."""
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_load("escalation_helpers", "helpers.py")


@pytest.fixture(name="office")
def _office() -> object:
    """Monday to Friday, 09:00-17:00 UTC."""
    return sys.modules["escalation_helpers"].office()
