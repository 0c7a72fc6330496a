"""The core lexicon sentiment scorer and the optional VADER scorer."""

import importlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import servicecore as sc


def _norm(total):
    return total / math.sqrt(total * total + 15)


@pytest.fixture(name="scorer")
def _scorer():
    return sc.feedback.LexiconSentimentScorer()


class TestLexiconScorer:
    @pytest.mark.parametrize(
        ("text", "total"),
        [
            ("good", 2.0),
            ("Good service.", 2.0),
            ("very good", 2.0 + 0.293),
            ("slightly slow", -1.5 + 0.293),
            ("not good", 2.0 * -0.74),
            ("I didn't find it helpful at all", 2.0 * -0.74),
            ("good!!", 2.0 + 2 * 0.292),
            ("bad!!!!!!", -2.0 - 4 * 0.292),
            ("the GOOD agent", 2.0 + 0.733),
            ("good but slow", 2.0 * 0.5 - 1.5 * 1.5),
            ("Thanks, the agent was very helpful!", 2.0 + 2.293 + 0.292),
        ],
    )
    def test_hand_calculations(self, scorer, text, total):
        """Each rule of the method gives the hand-computed score."""
        assert scorer.score(text) == pytest.approx(_norm(total))

    def test_neutral_text(self, scorer):
        """A text without lexicon words scores exactly 0."""
        assert scorer.score("Please find the invoice attached.") == 0.0
        assert scorer.score("") == 0.0

    def test_all_capitals_is_not_shouting(self, scorer):
        """A text written all in capitals gets no emphasis."""
        assert scorer.score("GOOD") == pytest.approx(_norm(2.0))

    def test_negation_reaches_three_words(self, scorer):
        """A negation flips words up to three positions later, not four."""
        assert scorer.score("not at all good") < 0
        assert scorer.score("not that it was very good") > 0

    def test_explain(self, scorer):
        """The explanation lists each scored word with its adjusted valence."""
        assert scorer.explain("Rude and slow, never helpful") == (
            ("rude", -2.0),
            ("slow", -1.5),
            ("helpful", pytest.approx(-1.48)),
        )

    def test_custom_lexicon(self):
        """Extra words join the lexicon and may replace built-in ones."""
        scorer = sc.feedback.LexiconSentimentScorer(
            {"sick": 2.0, "fine": -1.0}
        )
        assert scorer.score("sick") == pytest.approx(_norm(2.0))
        assert scorer.score("fine") == pytest.approx(_norm(-1.0))

    def test_is_a_sentiment_scorer(self, scorer):
        """The scorer satisfies the SentimentScorer protocol."""
        assert isinstance(scorer, sc.feedback.SentimentScorer)

    @given(st.text(max_size=200))
    @settings(max_examples=100)
    def test_score_in_range(self, text):
        """Any text scores strictly between -1 and 1."""
        value = sc.feedback.LexiconSentimentScorer().score(text)
        assert -1 < value < 1

    @given(st.lists(st.sampled_from(["good", "bad", "slow", "fast"])))
    @settings(max_examples=50)
    def test_word_order_without_rules_does_not_matter(self, words):
        """Plain lexicon words add up whatever their order."""
        scorer = sc.feedback.LexiconSentimentScorer()
        assert scorer.score(" ".join(words)) == pytest.approx(
            scorer.score(" ".join(reversed(words)))
        )


class TestLabels:
    @pytest.mark.parametrize(
        ("score", "label"),
        [
            (-1.0, "negative"),
            (-0.05, "negative"),
            (-0.049, "neutral"),
            (0.0, "neutral"),
            (0.049, "neutral"),
            (0.05, "positive"),
            (0.9, "positive"),
        ],
    )
    def test_thresholds(self, score, label):
        """Scores within 0.05 of 0 are neutral."""
        assert sc.feedback.sentiment_label(score) == label


class TestVADER:
    def test_compound_score(self):
        """The VADER scorer returns VADER's compound score."""
        vader = pytest.importorskip("vaderSentiment.vaderSentiment")
        text = "The agent was rude and the wait was terrible."
        expected = vader.SentimentIntensityAnalyzer().polarity_scores(text)
        assert (
            sc.feedback.VADERSentimentScorer().score(text)
            == expected["compound"]
        )
        assert isinstance(
            sc.feedback.VADERSentimentScorer(), sc.feedback.SentimentScorer
        )

    @pytest.mark.parametrize(
        "text",
        [
            "Thank you so much, this was excellent service!",
            "Terrible experience, nobody answered for a week.",
            "The agent was not helpful at all.",
            "Great support but the app is still broken and useless.",
        ],
    )
    def test_agrees_with_the_core_scorer_in_sign(self, text):
        """On clear texts the core scorer and VADER agree on the sign."""
        pytest.importorskip("vaderSentiment.vaderSentiment")
        core = sc.feedback.LexiconSentimentScorer().score(text)
        vader = sc.feedback.VADERSentimentScorer().score(text)
        assert math.copysign(1, core) == math.copysign(1, vader)

    def test_missing_extra(self, monkeypatch):
        """Without vaderSentiment the scorer says which extra to install."""
        real = importlib.import_module

        def fake(name, *args):
            if name.startswith("vaderSentiment"):
                raise ImportError(name)
            return real(name, *args)

        monkeypatch.setattr(importlib, "import_module", fake)
        with pytest.raises(
            sc.errors.PluginError, match=r"servicecore\[sentiment\]"
        ):
            sc.feedback.VADERSentimentScorer()
