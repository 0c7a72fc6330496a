"""Make the calendar's oracle and strategies importable, under unique names."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _load(name: str, filename: str) -> None:
    """Import tests/calendar/<filename> as module *name*, once."""
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


# Other test packages may have their own oracles.py and strategies.py.
_load("calendar_oracles", "oracles.py")
_load("calendar_strategies", "strategies.py")
