"""Survey responses: CSAT, NPS and CES scores."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from servicecore._time import from_epoch
from servicecore.errors import ModelError, ScoreOutOfRangeError
from servicecore.models import _validate as v
from servicecore.models._enums import Channel, SurveyKind

__all__ = ["DEFAULT_SCALES", "SurveyResponse"]

DEFAULT_SCALES: dict[SurveyKind, tuple[int, int]] = {
    SurveyKind.CSAT: (1, 5),
    SurveyKind.NPS: (0, 10),
    SurveyKind.CES: (1, 7),
}
"""The default ``(scale_min, scale_max)`` of each kind; NPS's is fixed."""


def _default_min(self: SurveyResponse) -> int:
    return DEFAULT_SCALES[self.kind][0]


def _default_max(self: SurveyResponse) -> int:
    return DEFAULT_SCALES[self.kind][1]


def _score(
    instance: SurveyResponse, attribute: attrs.Attribute[Any], value: object
) -> None:
    v.is_int(instance, attribute, value)
    lo, hi = instance.scale_min, instance.scale_max
    if not lo <= value <= hi:  # type: ignore[operator]
        raise ScoreOutOfRangeError(
            "score",
            f"{instance.kind.value} score {v.brief(value)} is off its scale "
            f"{v.brief(lo)}..{v.brief(hi)}",
        )


def _scale(
    instance: SurveyResponse, attribute: attrs.Attribute[Any], value: object
) -> None:
    v.is_int(instance, attribute, value)
    if instance.kind is SurveyKind.NPS:
        if (instance.scale_min, instance.scale_max) != (0, 10):
            raise ModelError(
                attribute.name,
                "the NPS scale is fixed at 0..10, got "
                f"{v.brief(instance.scale_min)}..{v.brief(instance.scale_max)}",
            )
    elif attribute.name == "scale_max" and value <= instance.scale_min:  # type: ignore[operator]
        raise ModelError(
            "scale_max",
            f"scale_max {v.brief(value)} must be above scale_min "
            f"{v.brief(instance.scale_min)}",
        )


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """
    A customer's answer to a satisfaction survey.

    The scale defaults by kind: CSAT 1-5, NPS 0-10 (fixed), CES 1-7; a
    score off its scale raises :class:`~servicecore.ScoreOutOfRangeError`.

    >>> r = sc.SurveyResponse(
    ...     id="s-1", kind="csat", score=4, comment="Quick and kind.",
    ...     at=pendulum.datetime(2024, 3, 2, 9, tz="UTC"), case_id="case-1",
    ... )
    >>> r.kind, (r.scale_min, r.scale_max)
    (<SurveyKind.CSAT: 'csat'>, (1, 5))
    >>> sc.SurveyResponse(id="s-2", kind="nps", score=11, at=r.at)
    Traceback (most recent call last):
    ...
    servicecore.errors.ScoreOutOfRangeError: score: nps score 11 is off its scale 0..10

    Args:
        id: The host's identifier, non-empty.
        kind: CSAT, NPS or CES.
        score: The score, an int on the scale.
        scale_min: The lowest score (default by kind).
        scale_max: The highest score (default by kind).
        comment: The customer's comment.
        at: When the answer came: aware datetime or epoch seconds.
        case_id: The case surveyed, if any.
        customer_id: The customer who answered, if known.
        agent_id: The agent rated, if any.
        team_id: The team rated, if any.
        channel: The channel of the case or survey, if known.

    Raises:
        ScoreOutOfRangeError: ``score`` is off the scale.
        ModelError: Another field is wrong (an NPS scale other than 0-10,
            ``scale_max`` not above ``scale_min``, an empty id ...).
        NaiveDatetimeError: ``at`` has no time zone.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    kind: SurveyKind = attrs.field(converter=v.to_survey_kind)
    scale_min: int = attrs.field(
        default=attrs.Factory(_default_min, takes_self=True), validator=_scale
    )
    scale_max: int = attrs.field(
        default=attrs.Factory(_default_max, takes_self=True), validator=_scale
    )
    score: int = attrs.field(validator=_score)
    comment: str = attrs.field(default="", validator=v.is_str)
    at_s: int = attrs.field(alias="at", converter=v.to_at)
    case_id: str | None = attrs.field(default=None, validator=v.optional_str)
    customer_id: str | None = attrs.field(
        default=None, validator=v.optional_str
    )
    agent_id: str | None = attrs.field(default=None, validator=v.optional_str)
    team_id: str | None = attrs.field(default=None, validator=v.optional_str)
    channel: Channel | None = attrs.field(
        default=None, converter=v.to_optional_channel
    )

    @property
    def at(self) -> pendulum.DateTime:
        """When the answer came, in UTC."""
        return from_epoch(self.at_s)
