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
from typing import Any

import pendulum

from servicecore._time import format_duration
from servicecore.cli import _options
from servicecore.config import PolicyDocument
from servicecore.errors import SerializationError
from servicecore.models import Case
from servicecore.personalization import Personalizer
from servicecore.sla import SLAEngine, SLAPolicySet


def add_parser(subparsers: Any) -> None:  # noqa: ANN401 - argparse's private type
    """Add the ``personalize`` command."""
    parser = subparsers.add_parser(
        "personalize",
        help="show a case's personalization profile and acknowledgement",
    )
    parser.add_argument(
        "--rules",
        type=_options.input_file,
        required=True,
        help="policy document (TOML/JSON)",
    )
    _options.add_cases_options(parser)
    parser.add_argument("--case", required=True, help="the case's id")
    parser.add_argument(
        "--at",
        type=_options.moment,
        help="the moment, ISO 8601 with an offset (default: now)",
    )
    parser.add_argument(
        "--reply-in",
        type=_options.duration,
        default="4h",
        help="reply time from --at when there is no SLA deadline "
        "(default: 4h)",
    )
    _options.add_policy_options(parser)
    _options.add_format_option(parser)
    parser.set_defaults(func=run)


def _find_case(args: argparse.Namespace) -> Case:
    for case in _options.read_cases_file(args.cases, args):
        if case.id == args.case:
            return case
    raise SerializationError(str(args.cases), f"no case with id {args.case!r}")


def _reply_by(
    document: PolicyDocument,
    case: Case,
    at: pendulum.DateTime,
    args: argparse.Namespace,
) -> tuple[pendulum.DateTime, str]:
    policies = document.sections.get("sla")
    if isinstance(policies, SLAPolicySet) and len(policies):
        engine = SLAEngine(policies, registry=_options.registry(args))
        current = engine.evaluate(case, at=at)["first_reply"].current
        deadline = getattr(current, "deadline", None)
        if deadline is not None and deadline >= at:
            return deadline, "SLA first-reply deadline"
    reply_by = _options.later(int(at.timestamp()), args.reply_in, "--reply-in")
    return reply_by, f"--reply-in {format_duration(args.reply_in)}"


def run(args: argparse.Namespace) -> int:
    """Print the profile, its explanation and the acknowledgement."""
    at = _options.moment_or_now(args.at)
    document = _options.load_document(args.rules, args)
    rules = Personalizer.from_document(document)
    case = _find_case(args)
    profile = rules.personalize(case.customer, case, at=at)
    reply_by, origin = _reply_by(document, case, at, args)
    message = rules.render(
        profile, "acknowledgement", at=at, reply_by=reply_by
    )
    if args.format == "json":
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
