import pytest

import servicecore as sc

AT = 1709283600


class TestScales:
    @pytest.mark.parametrize(
        ("kind", "scale"),
        [("csat", (1, 5)), ("nps", (0, 10)), ("ces", (1, 7))],
    )
    def test_default_scales(self, kind, scale):
        """Each kind has its default scale."""
        r = sc.SurveyResponse(id="s", kind=kind, score=scale[0], at=AT)
        assert (r.scale_min, r.scale_max) == scale

    @pytest.mark.parametrize(
        ("kind", "score"),
        [("csat", 0), ("csat", 6), ("nps", -1), ("nps", 11), ("ces", 8)],
    )
    def test_score_off_scale(self, kind, score):
        """A score off its scale raises ScoreOutOfRangeError on 'score'."""
        with pytest.raises(
            sc.errors.ScoreOutOfRangeError,
            match=rf"^score: {kind} score {score} is off",
        ) as info:
            sc.SurveyResponse(id="s", kind=kind, score=score, at=AT)
        assert info.value.location == "score"

    def test_custom_csat_scale(self):
        """CSAT may use another scale, e.g. 1-10."""
        r = sc.SurveyResponse(
            id="s", kind="csat", score=9, scale_min=1, scale_max=10, at=AT
        )
        assert r.score == 9

    def test_nps_scale_is_fixed(self):
        """NPS is always 0-10."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^scale_min: the NPS scale"
        ):
            sc.SurveyResponse(id="s", kind="nps", score=3, scale_max=5, at=AT)

    def test_score_must_be_int(self):
        """A bool is not a score."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^score: expected an int"
        ):
            sc.SurveyResponse(id="s", kind="csat", score=True, at=AT)

    def test_inverted_scale(self):
        """scale_max must be above scale_min."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^scale_max: scale_max 1"
        ):
            sc.SurveyResponse(
                id="s", kind="ces", score=1, scale_min=1, scale_max=1, at=AT
            )

    def test_unknown_kind(self):
        """An unknown kind names the field."""
        with pytest.raises(
            sc.errors.ModelError, match=r"^kind: unknown SurveyKind 'cast'"
        ):
            sc.SurveyResponse(id="s", kind="cast", score=1, at=AT)

    def test_fields(self):
        """Ids, comment and channel are kept."""
        r = sc.SurveyResponse(
            id="s",
            kind="ces",
            score=2,
            at=AT,
            comment="easy",
            case_id="k",
            customer_id="c",
            agent_id="a",
            team_id="t",
            channel="chat",
        )
        assert (r.case_id, r.customer_id, r.agent_id, r.team_id) == (
            "k",
            "c",
            "a",
            "t",
        )
        assert r.channel is sc.Channel.CHAT
        assert r.at.int_timestamp == AT


class TestHugeIntegers:
    @pytest.mark.parametrize(
        "fields",
        [
            {"score": 10**5000},
            {"score": 3, "scale_max": 10**5000},
            {"score": 3, "scale_min": -(10**5000)},
        ],
        ids=["score", "scale_max", "scale_min"],
    )
    def test_integers_beyond_64_bits_are_refused(self, fields):
        """Survey integers are 64-bit: a huge one is refused, never a ValueError."""
        (field,) = set(fields) - {"score"} or {"score"}
        with pytest.raises(
            sc.errors.ModelError,
            match=rf"^{field}: expected an integer of 64 bits .* got "
            r"<an integer of 16,610 bits>$",
        ):
            sc.SurveyResponse(id="s", kind="csat", at=AT, **fields)

    def test_escalation_level(self):
        """An escalation level beyond 64 bits is refused, named briefly."""
        with pytest.raises(
            sc.errors.ModelError,
            match=r"^level: expected an int >= 0, got <an integer",
        ):
            sc.EscalationFired(
                case_id="k",
                at=AT,
                policy="p",
                level=10**5000,
                dedupe_key="x",
            )
