"""
Models: memory of a 20-event case, and the example generator's speed.

Measurements:

- ``case_20_events_bytes``: the deep size of a 20-event case (target: under
  4 KB), with its breakdown by type, its message bodies, and without any
  strings (the models' own overhead: objects, slots, integers). The walk
  (``deep_size`` below) follows every object reachable from the case --
  attrs slots, tuples, frozensets, the read-only mappings and their dicts,
  ints, strings -- and adds ``sys.getsizeof`` of each once
  (``getsizeof`` includes the GC header of tracked objects). It skips what
  the case shares with other cases rather than owns: the ``Customer`` (one
  per customer, referenced by each of their cases), enum members, ``None``
  and the bools, the shared empty mapping, and classes. Strings are
  counted even when shared with other cases (message templates of the
  generator), so the figure is what a case costs when loaded from storage.
  It is reported for the generated case, for the same case read back from
  JSON, and with a ``tracemalloc`` cross-check: the memory still allocated
  after reading the case's JSON text 1,000 times (each copy with its own
  Customer; interned short strings are shared), divided by 1,000.
  Baseline in the same run: the same case as plain JSON dicts
  (``json.loads``), the representation a host would otherwise keep.
- ``generate_cases_100k_s``: seconds to run ``generate_cases(100_000)``
  (wall clock and process CPU time, one run; on a shared machine the CPU
  time is the cost, the wall clock also measures the other processes, so
  the load average is recorded with the environment).
- Throughputs for context, per CPU second (``time.process_time``; the
  work is single-threaded): ``state_at`` on generated cases, ``append``,
  ``to_dict`` and ``from_dict`` of cases.

No peer library models cases as event logs, so the peer is the plain-dict
representation for memory and nothing for the rest.

    python benchmarks/bench_models.py
"""

from __future__ import annotations

import enum
import json
import os
import platform
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import servicecore as sc
from servicecore.models._mapping import EMPTY, FrozenMap
from servicecore.models._validate import NO_STRINGS

TARGET_BYTES = 4_096
TARGET_GENERATE_S = 60.0
RESULTS = Path(__file__).parent / "results" / "models.json"


def _children(obj: object) -> list[object]:
    """The objects *obj* refers to that the walk follows."""
    if isinstance(obj, tuple | list | frozenset | set):
        return list(obj)
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    if isinstance(obj, FrozenMap):
        return [obj._data]  # noqa: SLF001 - measuring it
    slots = [
        getattr(obj, name)
        for cls in type(obj).__mro__
        for name in getattr(cls, "__slots__", ())
        if hasattr(obj, name)
    ]
    if hasattr(obj, "__dict__"):
        slots.append(obj.__dict__)
    return slots


def deep_size(
    root: object,
    skip: tuple[object, ...] = (),
    *,
    strings: bool = True,
    by_type: Counter[str] | None = None,
) -> int:
    """
    Return the bytes of every object reachable from *root*, once each.

    Skipped: the objects in *skip*, singletons shared by every case (None,
    the bools, enum members, the shared empty mapping and empty set) and
    classes; strings too unless *strings*. *by_type* collects the bytes per
    type name.
    """
    seen = {id(obj) for obj in (*skip, EMPTY, NO_STRINGS)}
    total = 0
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if obj is None or isinstance(obj, bool | enum.Enum | type):
            continue
        if isinstance(obj, str) and not strings:
            continue
        size = sys.getsizeof(obj)
        total += size
        if by_type is not None:
            by_type[type(obj).__name__] += size
        if not isinstance(obj, str | int | float):
            stack.extend(_children(obj))
    return total


def case_with(events: int, cases: list[sc.Case]) -> sc.Case:
    """Return the first generated case with exactly *events* events."""
    return next(c for c in cases if len(c.events) == events)


def rate(fn: Callable[[], object], number: int) -> float:
    """Return calls of *fn* per CPU second over *number* calls (best of 3)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, time.process_time() - start)
    return number / best


def main() -> None:  # noqa: PLR0915 - one report, in order
    env = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "servicecore": sc.__version__,
        "attrs": metadata.version("attrs"),
        "cattrs": metadata.version("cattrs"),
        "pendulum": metadata.version("pendulum"),
    }
    print("environment:", json.dumps(env))
    results: dict[str, object] = {"environment": env}

    # -- memory ---------------------------------------------------------
    sample = sc.generate_cases(2_000, seed=1)
    case = case_with(20, sample)
    skip = (case.customer,)
    generated = deep_size(case, skip)
    text = json.dumps(sc.to_dict(case))
    loaded = sc.from_dict(sc.Case, json.loads(text))
    assert loaded == case
    types: Counter[str] = Counter()
    read_back = deep_size(loaded, (loaded.customer,), by_type=types)
    no_text = deep_size(loaded, (loaded.customer,), strings=False)
    bodies = sum(
        sys.getsizeof(e.interaction.body)
        for e in loaded.events
        if isinstance(e, sc.MessageAdded)
    )
    plain = json.loads(text)
    plain_bytes = deep_size(plain, (plain["customer"],))
    copies = 1_000
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [sc.from_dict(sc.Case, json.loads(text)) for _ in range(copies)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    traced = sum(s.size_diff for s in after.compare_to(before, "filename"))
    traced_per_case = traced / copies
    del kept
    per_event = [
        deep_size(c, (c.customer,)) / len(c.events) for c in sample[:500]
    ]
    mean_per_event = sum(per_event) / len(per_event)
    print(f"\n20-event case {case.id} (target < {TARGET_BYTES} bytes):")
    print(f"  generated:                {generated:6d} bytes")
    print(f"  read back from JSON:      {read_back:6d} bytes")
    print(f"    of which message bodies {bodies:6d} bytes")
    print(f"  read back, no strings:    {no_text:6d} bytes")
    print(
        "  by type (read back): "
        + ", ".join(f"{k} {v}" for k, v in types.most_common())
    )
    print(
        f"  tracemalloc, 1,000 reads: {traced_per_case:6.0f} bytes per case "
        "(customer included)"
    )
    print(
        f"  baseline, plain JSON dicts: {plain_bytes:4d} bytes "
        f"(ours is {read_back / plain_bytes:.2f}x)"
    )
    print(
        f"  mean over 500 generated cases: {mean_per_event:.0f} bytes "
        f"per event ({20 * mean_per_event:.0f} for 20 events)"
    )
    results["case_20_events_bytes"] = {
        "generated": generated,
        "read_back": read_back,
        "read_back_message_bodies": bodies,
        "read_back_without_strings": no_text,
        "read_back_by_type": dict(types.most_common()),
        "tracemalloc_from_dict_with_customer": round(traced_per_case),
        "plain_json_dicts": plain_bytes,
        "ratio_to_plain_json_dicts": round(read_back / plain_bytes, 3),
        "mean_bytes_per_event": round(mean_per_event, 1),
        "target": TARGET_BYTES,
        "met_with_all_text": max(generated, read_back) < TARGET_BYTES,
        "met_without_message_bodies": read_back - bodies < TARGET_BYTES,
        "met_without_strings": no_text < TARGET_BYTES,
    }

    # -- generate_cases(100_000) -----------------------------------------
    wall = time.perf_counter()
    cpu = time.process_time()
    cases = sc.generate_cases(100_000, seed=0)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    events = sum(len(c.events) for c in cases)
    print(
        f"\ngenerate_cases(100_000): {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({events:,} events; {len(cases) / wall:,.0f} cases/s; "
        f"target < {TARGET_GENERATE_S:.0f} s)"
    )
    results["generate_cases_100k_s"] = {
        "wall": round(wall, 2),
        "cpu": round(cpu, 2),
        "events": events,
        "target": TARGET_GENERATE_S,
        "met_wall": wall < TARGET_GENERATE_S,
        "met_cpu": cpu < TARGET_GENERATE_S,
    }

    # -- throughputs ------------------------------------------------------
    subset = cases[:20_000]
    start = time.process_time()
    for c in subset:
        c.state_at_s(c.events[-1].at_s)
    state_rate = len(subset) / (time.process_time() - start)
    mean_events = sum(len(c.events) for c in subset) / len(subset)
    print(
        f"\nstate_at, whole log ({mean_events:.1f} events on average): "
        f"{state_rate:,.0f} states/s"
    )
    last = case.events[-1]
    base = sc.Case(
        id=case.id,
        customer=case.customer,
        subject=case.subject,
        channel=case.channel,
        events=case.events[:-1],
    )
    append_rate = rate(lambda: base.append(last), 20_000)
    print(f"append to a 19-event case: {append_rate:,.0f} appends/s")
    dicts = [sc.to_dict(c) for c in subset[:2_000]]
    start = time.process_time()
    for c in subset[:2_000]:
        sc.to_dict(c)
    to_rate = 2_000 / (time.process_time() - start)
    start = time.process_time()
    for d in dicts:
        sc.from_dict(sc.Case, d)
    from_rate = 2_000 / (time.process_time() - start)
    print(
        f"to_dict: {to_rate:,.0f} cases/s; from_dict: {from_rate:,.0f} cases/s"
    )
    results["throughput_per_cpu_s"] = {
        "state_at_whole_log": round(state_rate),
        "append_19_to_20": round(append_rate),
        "to_dict_cases": round(to_rate),
        "from_dict_cases": round(from_rate),
    }

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
