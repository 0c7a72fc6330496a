"""
``servicecore personalize``: one case's profile, explained, and its message.

Loads the rules of a policy document, finds the case in a JSON Lines file,
prints the customer's profile with the rule behind each attribute, and
renders the acknowledgement in the customer's locale and zone. The reply
time is the first-reply deadline when the document also has an ``[sla]``
section (and the clock is running), else ``--reply-in`` from now.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pendulum

from servicecore._time import parse_duration
from servicecore.config import load_policies
from servicecore.errors import PolicyError, SerializationError
from servicecore.personalization import Personalizer


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``personalize`` command."""
    parser = subparsers.add_parser(
        "personalize",
        help="show a case's personalization profile and acknowledgement",
    )
    parser.add_argument(
        "--rules", type=Path, required=True, help="policy document (TOML/JSON)"
    )
    parser.add_argument(
        "--cases", type=Path, required=True, help="cases as JSON Lines"
    )
    parser.add_argument("--case", required=True, help="the case's id")
    parser.add_argument(
        "--at",
        help="the moment, ISO 8601 with offset (default: now)",
    )
    parser.add_argument(
        "--reply-in",
        default="4h",
        help="reply time from --at when there is no SLA deadline "
        "(default: 4h)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the profile as JSON"
    )
    parser.set_defaults(func=run)


def _moment(text: str | None) -> pendulum.DateTime:
    if text is None:
        return pendulum.now("UTC")  # the CLI is the one reader of the clock
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise PolicyError("--at", f"not an ISO 8601 moment: {text!r}") from exc
    if moment.tzinfo is None:
        raise PolicyError(
            "--at", f"give the moment an offset, e.g. {text}+00:00"
        )
    return pendulum.instance(moment)


def _find_case(path: Path, case_id: str) -> Any:  # noqa: ANN401 - a Case
    from servicecore.models import read_cases  # noqa: PLC0415

    for case in read_cases(path):
        if case.id == case_id:
            return case
    raise SerializationError(str(path), f"no case with id {case_id!r}")


def _reply_by(
    document: Any,  # noqa: ANN401 - a PolicyDocument
    case: Any,  # noqa: ANN401 - a Case
    at: pendulum.DateTime,
    reply_in: str,
) -> tuple[pendulum.DateTime, str]:
    policies = document.sections.get("sla")
    if policies is not None:
        from servicecore.sla import SLAEngine  # noqa: PLC0415

        report = SLAEngine(policies).evaluate(case, at=at)
        current = report["first_reply"].current
        deadline = getattr(current, "deadline", None)
        if deadline is not None and deadline >= at:
            return deadline, "SLA first-reply deadline"
    return at + parse_duration(
        reply_in, "--reply-in"
    ), f"--reply-in {reply_in}"


def run(args: argparse.Namespace) -> int:
    """Print the profile, its explanation and the acknowledgement."""
    at = _moment(args.at)
    document = load_policies(args.rules)
    rules = Personalizer.from_document(document)
    case = _find_case(args.cases, args.case)
    profile = rules.personalize(case.customer, case, at=at)
    reply_by, origin = _reply_by(document, case, at, args.reply_in)
    message = rules.render(
        profile, "acknowledgement", at=at, reply_by=reply_by
    )
    if args.json:
        print(
            json.dumps(
                {
                    "case": case.id,
                    "customer": case.customer.id,
                    "at": at.isoformat(),
                    "matched_rules": list(profile.matched_rules),
                    "profile": profile.to_dict(),
                    "acknowledgement": {
                        "text": message.text,
                        "template": message.template,
                        "locale": message.locale,
                        "requested_locale": message.requested_locale,
                        "reply_by": reply_by.isoformat(),
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"case {case.id}, customer {case.customer.id}, at {at.isoformat()}")
    matched = ", ".join(repr(r) for r in profile.matched_rules) or "none"
    print(f"rules that matched: {matched}")
    print()
    print(profile.explain())
    print()
    fallback = (
        f", falling back from {message.requested_locale}"
        if message.fell_back
        else ""
    )
    print(
        f"acknowledgement ({message.template}, locale {message.locale}"
        f"{fallback}; reply by {reply_by.isoformat()} from {origin}):"
    )
    print(message.text)
    return 0
