"""Make the fuzz suite's shared strategies importable, under a unique name."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent

if "fuzzing" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "fuzzing", HERE / "fuzzing.py"
    )
    assert _spec is not None
    assert _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["fuzzing"] = _module
    _spec.loader.exec_module(_module)
