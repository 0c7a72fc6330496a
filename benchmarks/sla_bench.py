"""The issue's name for ``bench_sla.py``: runs it unchanged."""

import runpy
from pathlib import Path

runpy.run_path(
    str(Path(__file__).with_name("bench_sla.py")), run_name="__main__"
)
