"""
Import cost: ``import servicecore`` against importing its dependencies.

Each measurement starts a fresh interpreter (``python -X importtime`` is
not used: it slows what it measures) and times the import statement alone,
inside that interpreter, with ``time.perf_counter``; the figure is the
median of several runs. Measured in the same run:

- ``deps``: ``import pendulum, attrs, babel`` (what servicecore needs in
  any case);
- ``servicecore``: ``import servicecore``;
- ``first_case``: that, then the first use of ``sc.Case`` (the models);
- ``engines``: that, then ``sc.SLAEngine``, ``sc.EscalationEngine`` and
  ``sc.Personalizer`` (nearly the whole package);
- ``empty``: an empty statement (the floor of the method).

Names load on first use, so ``import servicecore`` alone is cheap; the
other two ratios say what using it costs, and are printed beside it.

The figure judged is the ratio ``servicecore / deps`` (goal: at most 1.3);
absolute times are context only, and depend on the machine and its disk
cache.

    python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

GOAL = 1.3
STATEMENTS = {
    "empty": "pass",
    "deps": "import pendulum, attrs, babel",
    "servicecore": "import servicecore",
    # What a first use costs on top: names load on first use (PEP 562).
    "first_case": "import servicecore as sc; sc.Case",
    "engines": (
        "import servicecore as sc; "
        "sc.SLAEngine, sc.EscalationEngine, sc.Personalizer"
    ),
}
_PROBE = (
    "import time; t = time.perf_counter(); {statement}; "
    "print(time.perf_counter() - t)"
)


def _once(statement: str) -> float:
    """Seconds *statement* takes in a fresh interpreter."""
    done = subprocess.run(  # noqa: S603 - our interpreter, our statements
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def measure(runs: int) -> dict[str, float]:
    """Median seconds of each statement, the statements interleaved."""
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(2):  # warm the disk cache; not counted
        for statement in STATEMENTS.values():
            _once(statement)
    for _ in range(runs):
        for name, statement in STATEMENTS.items():
            times[name].append(_once(statement))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    """Measure, print and write ``benchmarks/results/startup.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    medians = measure(args.runs)
    ratio = medians["servicecore"] / medians["deps"]
    print(f"Python {platform.python_version()} on {platform.machine()}")
    for name, seconds in medians.items():
        print(f"  {name:<12} {seconds * 1000:8.1f} ms (median of {args.runs})")
    verdict = "met" if ratio <= GOAL else "not met"
    print(
        f"import servicecore / import pendulum, attrs, babel = {ratio:.2f}x"
        f" (goal <= {GOAL}x: {verdict})"
    )
    for name in ("first_case", "engines"):
        print(
            f"{name} / import pendulum, attrs, babel = "
            f"{medians[name] / medians['deps']:.2f}x (context)"
        )
    out = Path(__file__).parent / "results" / "startup.json"
    out.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "runs": args.runs,
                "median_seconds": medians,
                "ratio_to_dependencies": ratio,
                "first_case_ratio": medians["first_case"] / medians["deps"],
                "engines_ratio": medians["engines"] / medians["deps"],
                "goal": GOAL,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
