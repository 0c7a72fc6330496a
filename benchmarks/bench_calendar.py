"""
Business-time ``add``: servicecore against businesstimedelta and pandas.

One random workload (fixed seed): starts uniform over 2024 on whole
minutes, durations of 1 to 40 business hours (whole hours, which pandas'
``CustomBusinessHour`` needs), Mon-Fri 09:00-17:00 with the 2024 and 2025
public holidays of Berlin (DE-BE) and New York (US-NY), from the
``holidays`` package. Every library gets its inputs in its own types,
prepared before the clock starts; only ``start + duration`` is timed.

Prints the environment, operations per second, servicecore's speed-up over
each peer, and the share of each peer's results that agree with
servicecore's, with the disagreements sorted into classes; writes
``benchmarks/results/calendar.json``.

Then business time over long spans: ``add`` of 1, 1,000 and 52,000
business weeks (and ``between`` over the same spans) from one start, on a
new calendar each time (its first query, which builds its index) and on a
warm one, with the ratios to the 1-week figures of the same run.

Run: ``python benchmarks/bench_calendar.py [operations_per_zone]`` (or
``benchmarks/calendar_bench.py``, the same script);
``python benchmarks/bench_calendar.py --long-spans`` runs only the second
part.
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import time
import warnings
from collections import Counter
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import pendulum

import servicecore as sc

SEED = 20241
ZONES = {"Europe/Berlin": ("DE", "BE"), "America/New_York": ("US", "NY")}
YEARS = (2024, 2025)


def workload(n: int, zone: str) -> list[tuple[int, int]]:
    """Return *n* (start epoch second, whole business hours) pairs."""
    rng = random.Random(f"{SEED}-{zone}")
    first = int(datetime(2024, 1, 1, tzinfo=ZoneInfo(zone)).timestamp())
    last = int(datetime(2025, 1, 1, tzinfo=ZoneInfo(zone)).timestamp())
    return [
        (rng.randrange(first, last) // 60 * 60, rng.randint(1, 40))
        for _ in range(n)
    ]


def best_rate(run, count: int, repeats: int) -> float:
    """Return the best operations per second of *repeats* runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def measure_servicecore(zone, holidays, ops, results):
    calendar = sc.BusinessCalendar(
        zone,
        {"mon-fri": "09:00-17:00"},
        holidays=sc.calendar.HolidaySet(holidays),
    )
    epoch = [(s, h * 3600) for s, h in ops]
    moments = [
        (pendulum.from_timestamp(s, zone), pendulum.duration(hours=h))
        for s, h in ops
    ]
    add_s, add = calendar.add_s, calendar.add
    # Warm the index over the whole range once (it is built lazily).
    calendar.add_s(epoch[0][0], 1)
    calendar.between_s(
        min(s for s, _ in epoch), max(s for s, _ in epoch) + 60 * 86400
    )

    def run_epoch():
        for s, d in epoch:
            add_s(s, d)

    def run_datetime():
        for s, d in moments:
            add(s, d)

    results["servicecore_epoch"] = best_rate(run_epoch, len(ops), 15)
    results["servicecore_datetime"] = best_rate(run_datetime, len(ops), 10)
    got = [add_s(s, d) for s, d in epoch]
    assert got == [int(add(s, d).timestamp()) for s, d in moments]
    return calendar, got


def measure_businesstimedelta(zone, holidays, ops, results):
    import businesstimedelta  # noqa: PLC0415
    import pytz  # noqa: PLC0415

    tz = pytz.timezone(zone)
    rule = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=datetime.min.time().replace(hour=9),
                end_time=datetime.min.time().replace(hour=17),
                working_days=[0, 1, 2, 3, 4],
                tz=tz,
            ),
            businesstimedelta.HolidayRule(holidays, tz=tz),
        ]
    )
    deltas = {
        h: businesstimedelta.BusinessTimeDelta(rule, hours=h)
        for h in range(1, 41)
    }
    inputs = [(datetime.fromtimestamp(s, tz), deltas[h]) for s, h in ops]
    out: list[int | None] = []

    def run():
        out.clear()
        for start, delta in inputs:
            try:
                out.append(int((start + delta).timestamp()))
            except TypeError:
                out.append(None)

    results["businesstimedelta"] = best_rate(run, len(ops), 1)
    return out


def measure_pandas(zone, holidays, ops, results):
    import pandas as pd  # noqa: PLC0415

    offsets = {
        h: pd.offsets.CustomBusinessHour(
            n=h,
            start="09:00",
            end="17:00",
            weekmask="Mon Tue Wed Thu Fri",
            holidays=sorted(holidays),
        )
        for h in range(1, 41)
    }
    inputs = [(pd.Timestamp(s, unit="s", tz=zone), offsets[h]) for s, h in ops]
    out: list[int | None] = []

    def run():
        out.clear()
        for start, offset in inputs:
            try:
                out.append(int((start + offset).timestamp()))
            except Exception:
                out.append(None)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results["pandas"] = best_rate(run, len(ops), 1)
    return out


def classify(calendar, zone, ours, theirs):
    """Return the class of one disagreement: ours and theirs end where?"""
    if theirs is None:
        return "peer raised"
    if calendar.next_open_s(ours) == theirs and not calendar.is_open_s(ours):
        return "ends at a closing: peer gives the next opening"
    tz = ZoneInfo(zone)
    lo, hi = min(ours, theirs), max(ours, theirs)
    if any(
        datetime.fromtimestamp(t, tz).utcoffset()
        != datetime.fromtimestamp(lo, tz).utcoffset()
        for t in range(lo, hi + 3600, 3600)
    ):
        return "DST change in between"
    return "other"


LONG_WEEKS = (1, 1_000, 52_000)
BUSINESS_WEEK_S = 5 * 8 * 3600


def best_seconds(run, repeats: int) -> float:
    """Return the best wall time of *repeats* runs of *run*."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def long_spans() -> dict[str, dict[str, float]]:
    """Time add and between over 1, 1,000 and 52,000 weeks; print ratios."""

    def office() -> sc.BusinessCalendar:
        return sc.BusinessCalendar(
            "Europe/Berlin",
            {"mon-fri": "09:00-17:00"},
            holidays=[
                sc.calendar.Holiday("12-25"),
                sc.calendar.Holiday("01-01"),
            ],
        )

    start = int(datetime(2024, 3, 4, 9, tzinfo=ZoneInfo("UTC")).timestamp())
    warm = office()
    ends = {w: warm.add_s(start, w * BUSINESS_WEEK_S) for w in LONG_WEEKS}
    times: dict[str, dict[str, float]] = {}
    for weeks in LONG_WEEKS:
        seconds, end = weeks * BUSINESS_WEEK_S, ends[weeks]
        times[f"{weeks}w"] = {
            "add_new": best_seconds(
                lambda s=seconds: office().add_s(start, s), 7
            ),
            "add_warm": best_seconds(
                lambda s=seconds: warm.add_s(start, s), 7
            ),
            "between_new": best_seconds(
                lambda e=end: office().between_s(start, e), 7
            ),
            "between_warm": best_seconds(
                lambda e=end: warm.between_s(start, e), 7
            ),
        }
    base = times["1w"]
    print("\nlong spans (Europe/Berlin, Mon-Fri 09-17, two annual holidays):")
    for label, entry in times.items():
        print(
            f"  {label:>7}  "
            + "  ".join(
                f"{kind} {value * 1e3:8.3f} ms ({value / base[kind]:5.1f}x)"
                for kind, value in entry.items()
            )
        )
    return times


def main() -> None:
    if sys.argv[1:] == ["--long-spans"]:
        long_spans()
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    import holidays as holidays_package  # noqa: PLC0415

    env = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "servicecore": sc.__version__ if hasattr(sc, "__version__") else "?",
        "pendulum": version("pendulum"),
        "businesstimedelta": version("businesstimedelta"),
        "pandas": version("pandas"),
        "holidays": version("holidays"),
        # Other jobs share the machine: the load says how much.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print("environment:", ", ".join(f"{k} {v}" for k, v in env.items()))
    report = {
        "environment": env,
        "operations_per_zone": n,
        "seed": SEED,
        "zones": {},
    }
    for zone, (country, subdiv) in ZONES.items():
        listed = holidays_package.country_holidays(
            country, subdiv=subdiv, years=list(YEARS)
        )
        days = {day: str(name) for day, name in sorted(listed.items())}
        ops = workload(n, zone)
        rates: dict[str, float] = {}
        calendar, ours = measure_servicecore(zone, days, ops, rates)
        peers = {
            # A plain set of dates: the fastest holiday lookup it accepts.
            "businesstimedelta": measure_businesstimedelta(
                zone, set(days), ops, rates
            ),
            "pandas": measure_pandas(zone, list(days), ops, rates),
        }
        print(f"\n{zone}: {n} add operations, {len(days)} holidays")
        print(
            f"  servicecore add_s (epoch)    {rates['servicecore_epoch']:>12,.0f} /s"
        )
        print(
            f"  servicecore add (DateTime)   {rates['servicecore_datetime']:>12,.0f} /s"
        )
        entry = {"rates": rates, "peers": {}}
        for peer, theirs in peers.items():
            agree = sum(a == b for a, b in zip(ours, theirs, strict=True))
            classes = Counter()
            examples: dict[str, list[str]] = {}
            for (start, hours), a, b in zip(ops, ours, theirs, strict=True):
                if a != b:
                    kind = classify(calendar, zone, a, b)
                    classes[kind] += 1
                    if len(examples.setdefault(kind, [])) < 3:
                        tz = ZoneInfo(zone)
                        examples[kind].append(
                            f"{datetime.fromtimestamp(start, tz):%Y-%m-%d %a %H:%M} + {hours}h: "
                            f"servicecore {datetime.fromtimestamp(a, tz):%Y-%m-%d %a %H:%M %Z}, "
                            + (
                                f"{peer} {datetime.fromtimestamp(b, tz):%Y-%m-%d %a %H:%M %Z}"
                                if b is not None
                                else f"{peer} raised"
                            )
                        )
            ratio_epoch = rates["servicecore_epoch"] / rates[peer]
            ratio_dt = rates["servicecore_datetime"] / rates[peer]
            print(
                f"  {peer:<28} {rates[peer]:>12,.0f} /s   servicecore is "
                f"{ratio_epoch:,.0f}x (epoch) / {ratio_dt:,.0f}x (DateTime) faster; "
                f"agreement {agree / len(ops):.2%}"
            )
            for kind, count in classes.most_common():
                print(f"      {count:>6}  {kind}")
                for example in examples[kind]:
                    print(f"              e.g. {example}")
            entry["peers"][peer] = {
                "rate": rates[peer],
                "ratio_epoch": ratio_epoch,
                "ratio_datetime": ratio_dt,
                "agreement": agree / len(ops),
                "disagreements": dict(classes),
                "examples": examples,
            }
        report["zones"][zone] = entry
    report["long_spans"] = long_spans()
    past = _past_last_holiday()
    print(f"\nbusinesstimedelta past its last listed holiday: {past}")
    report["businesstimedelta_past_last_holiday"] = past
    out = Path(__file__).parent / "results" / "calendar.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out}")


def _past_last_holiday() -> str:
    """Ask businesstimedelta for a deadline years after its last holiday."""
    import businesstimedelta  # noqa: PLC0415
    import pytz  # noqa: PLC0415

    tz = pytz.timezone("Europe/Berlin")
    rule = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(tz=tz),
            businesstimedelta.HolidayRule([date(2024, 12, 25)], tz=tz),
        ]
    )
    start = tz.localize(datetime(2030, 1, 7, 9))  # noqa: DTZ001 - pytz
    try:
        return str(start + businesstimedelta.BusinessTimeDelta(rule, hours=4))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    main()
