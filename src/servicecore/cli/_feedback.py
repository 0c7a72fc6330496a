"""
``servicecore feedback report``: CSAT, NPS and CES of cases, with intervals.

Reads cases from JSON Lines, takes the survey responses of their
``SurveyReceived`` events, and prints each score overall and per group
(agent, team, channel or month) with its interval, or says that a group
has too few responses for a number. By month, each month is also compared
with the month before (difference, interval, significance).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Hashable
from operator import attrgetter
from typing import Any

from servicecore._time import get_timezone
from servicecore.cli import _options
from servicecore.cli._options import plural
from servicecore.errors import ServiceCoreError
from servicecore.feedback import (
    CESChange,
    CESScale,
    CESScore,
    CSATChange,
    CSATScale,
    CSATScore,
    NPSChange,
    NPSScore,
    aggregate,
    by_month,
    ces_score,
    compare_ces,
    compare_csat,
    compare_nps,
    csat_score,
    nps_score,
    survey_responses,
)
from servicecore.feedback._stats import check_confidence
from servicecore.models import SurveyKind, SurveyResponse

_NONE = "(none)"
_LEAST_SAMPLE = 2
_MOST_SAMPLE = 1_000_000_000
_GROUP_WIDTH = 14


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``feedback`` command and its ``report``."""
    feedback = subparsers.add_parser(
        "feedback", help="CSAT, NPS and CES of cases, with intervals"
    )
    commands = feedback.add_subparsers(dest="feedback_command", required=True)
    report = commands.add_parser(
        "report", help="scores overall and per agent, team, channel or month"
    )
    _options.add_cases_options(report)
    report.add_argument(
        "--by",
        choices=["agent", "team", "channel", "month"],
        help="also score each group",
    )
    report.add_argument(
        "--zone",
        type=_zone,
        default="UTC",
        help="time zone of the months (--by month)",
    )
    report.add_argument(
        "--confidence",
        type=_confidence,
        default=0.95,
        help="interval level, between 0 and 1 (default 0.95)",
    )
    report.add_argument(
        "--minimum-sample",
        type=_options.count(_LEAST_SAMPLE, _MOST_SAMPLE),
        default=30,
        metavar="N",
        help="fewer responses than N are reported as insufficient "
        f"(default 30, at least {_LEAST_SAMPLE}: a CES interval needs two)",
    )
    report.add_argument(
        "--ces-scale",
        choices=["agreement", "effort"],
        default="agreement",
        help="CES 2.0 1-7 agreement (higher is easier) or the 1-5 effort "
        "question (lower is easier)",
    )
    _options.add_format_option(report)
    report.set_defaults(func=run_report)


def _zone(text: str) -> str:
    try:
        get_timezone(text, "--zone")
    except ServiceCoreError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from exc
    return text


def _confidence(text: str) -> float:
    try:
        value = float(text)
        check_confidence(value, "--confidence")
    except (ValueError, ServiceCoreError) as exc:
        message = f"{text!r} is not a level between 0 and 1, e.g. 0.95"
        raise argparse.ArgumentTypeError(message) from exc
    return value


Score = CSATScore | NPSScore | CESScore


def _key(by: str | None, zone: str) -> Callable[[Any], Hashable] | None:
    if by is None:
        return None
    if by == "month":
        return by_month(zone)
    if by == "channel":
        return lambda r: None if r.channel is None else r.channel.value
    return attrgetter(f"{by}_id")


def _score(
    kind: SurveyKind,
    scale: tuple[int, int],
    scores: Any,  # noqa: ANN401 - a Tally or a list of ints
    args: argparse.Namespace,
) -> Score:
    confidence: float = args.confidence
    minimum: int = args.minimum_sample
    if kind is SurveyKind.CSAT:
        csat = CSATScale(minimum=scale[0], maximum=scale[1])
        return csat_score(
            scores, scale=csat, confidence=confidence, minimum_sample=minimum
        )
    if kind is SurveyKind.NPS:
        return nps_score(scores, confidence=confidence, minimum_sample=minimum)
    ces = (
        CESScale.effort_5()
        if args.ces_scale == "effort"
        else CESScale(minimum=scale[0], maximum=scale[1])
    )
    return ces_score(
        scores, scale=ces, confidence=confidence, minimum_sample=minimum
    )


def _value(score: Score) -> tuple[float | None, float | None, float | None]:
    value = (
        score.share
        if isinstance(score, CSATScore)
        else score.score
        if isinstance(score, NPSScore)
        else score.mean
    )
    if score.interval is None:
        return value, None, None
    return value, score.interval.low, score.interval.high


def _header(kind: SurveyKind, scale: tuple[int, int], args: Any) -> str:  # noqa: ANN401
    if kind is SurveyKind.CSAT:
        satisfied = sorted(
            CSATScale(minimum=scale[0], maximum=scale[1]).satisfied
        )
        return (
            f"CSAT ({scale[0]}-{scale[1]}, satisfied "
            f"{satisfied[0]}-{satisfied[-1]})"
        )
    if kind is SurveyKind.NPS:
        return "NPS (0-10; promoters 9-10, detractors 0-6)"
    direction = (
        "lower is easier" if args.ces_scale == "effort" else "higher is easier"
    )
    return f"CES ({scale[0]}-{scale[1]}, {direction})"


Change = CSATChange | NPSChange | CESChange


def _change(before: Score, after: Score, args: argparse.Namespace) -> Change:
    """Compare a month with the one before (same kind and scale)."""
    confidence: float = args.confidence
    minimum: int = args.minimum_sample
    if isinstance(before, CSATScore) and isinstance(after, CSATScore):
        return compare_csat(
            before.tally,
            after.tally,
            scale=after.scale,
            confidence=confidence,
            minimum_sample=minimum,
        )
    if isinstance(before, CESScore) and isinstance(after, CESScore):
        return compare_ces(
            before.tally,
            after.tally,
            scale=after.scale,
            confidence=confidence,
            minimum_sample=minimum,
        )
    return compare_nps(
        before.tally,
        after.tally,
        confidence=confidence,
        minimum_sample=minimum,
    )


def _change_row(change: Change | None) -> dict[str, object] | None:
    if change is None or change.difference is None:
        return None
    interval = change.interval
    return {
        "difference": change.difference,
        "low": None if interval is None else interval.low,
        "high": None if interval is None else interval.high,
        "p_value": change.p_value,
        "significant": change.significant,
    }


def run_report(args: argparse.Namespace) -> int:
    """Print the scores of the cases' survey responses."""
    cases = list(_options.read_cases_file(args.cases, args))
    responses = list(survey_responses(cases))
    groups: dict[tuple[SurveyKind, tuple[int, int]], list[SurveyResponse]] = {}
    for response in responses:
        scale = (response.scale_min, response.scale_max)
        groups.setdefault((response.kind, scale), []).append(response)
    key = _key(args.by, args.zone)
    rows: list[dict[str, object]] = []
    title = (
        "servicecore feedback report: "
        f"{plural(len(responses), 'response')} in {plural(len(cases), 'case')}"
    )
    lines = [title]
    order = {SurveyKind.CSAT: 0, SurveyKind.NPS: 1, SurveyKind.CES: 2}
    for (kind, scale), items in sorted(
        groups.items(), key=lambda g: (order[g[0][0]], g[0][1])
    ):
        lines.append("")
        lines.append(
            f"{_header(kind, scale, args)}: {plural(len(items), 'response')}"
        )
        scored: list[tuple[str, Score]] = [
            ("all", _score(kind, scale, [r.score for r in items], args))
        ]
        if key is not None:
            agg = aggregate(items, by=key)
            scored.extend(
                (
                    _NONE if group is None else str(group),
                    _score(kind, scale, tally, args),
                )
                for group, tally in sorted(
                    agg.groups.items(),
                    key=lambda g: (g[0] is None, str(g[0])),
                )
            )
        previous: tuple[str, Score] | None = None
        for group, score in scored:
            lines.append(f"  {group:<{_GROUP_WIDTH}} {score}")
            value, low, high = _value(score)
            change = None
            if args.by == "month" and group != "all":
                if previous is not None:
                    change = _change(previous[1], score, args)
                    if change.difference is not None:
                        lines.append(
                            f"  {'':<{_GROUP_WIDTH}}   vs {previous[0]}: "
                            f"{change}"
                        )
                previous = (group, score)
            rows.append(
                {
                    "kind": kind.value,
                    "scale": list(scale),
                    "group": group,
                    "count": score.count,
                    "value": value,
                    "low": low,
                    "high": high,
                    "confidence": args.confidence,
                    "sufficient": score.is_sufficient,
                    "change": _change_row(change),
                }
            )
    if args.format == "json":
        document = {
            "cases": len(cases),
            "responses": len(responses),
            "by": args.by,
            "minimum_sample": args.minimum_sample,
            "scores": rows,
        }
        print(json.dumps(document, indent=2))
    else:
        print("\n".join(lines))
    return 0
