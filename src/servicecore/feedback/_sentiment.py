"""
Sentiment of interaction text, behind the :class:`SentimentScorer` Protocol.

The core ships :class:`LexiconSentimentScorer`, a pure-Python scorer for
English in the manner of VADER (Hutto and Gilbert, 2014) with its own,
smaller lexicon. Method, per text:

1. Split into lower-case words (apostrophes kept: ``didn't``).
2. Each word in the lexicon has a valence from -4 to +4.
3. A booster before it (``very``, ``extremely``) adds 0.293 in the
   direction of its valence; a dampener (``slightly``) takes 0.293 away.
4. A word in capitals in a text that is not all capitals adds 0.733.
5. A negation (``not``, ``never``, ``didn't``) among the three words
   before flips it and weakens it: times -0.74.
6. Words before ``but`` count half, words after it one and a half times.
7. The sum plus 0.292 per ``!`` (at most 4) in its direction is
   normalised to (-1, 1) with ``s / sqrt(s^2 + 15)``.

Limits: English only; no sarcasm, irony or domain idioms ("the app is
sick"); no emoji; a word's valence ignores its sense ("fine" as a
penalty); unknown words count 0, so long texts of neutral words score
near 0. Use it for routing and escalation hints, not for judging people.
``VADERSentimentScorer`` wraps the ``vaderSentiment`` package (optional
extra ``sentiment``) when a larger lexicon is wanted.
"""

from __future__ import annotations

import importlib
import math
import re
from typing import Protocol, runtime_checkable

import attrs

from servicecore.errors import PluginError
from servicecore.feedback._lexicon import BOOSTERS, LEXICON, NEGATIONS

__all__ = [
    "LexiconSentimentScorer",
    "SentimentScorer",
    "VADERSentimentScorer",
    "sentiment_label",
]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_NEGATION_SCALE = -0.74
_CAPS_BOOST = 0.733
_BUT_BEFORE = 0.5
_BUT_AFTER = 1.5
_EXCLAMATION = 0.292
_MAX_EXCLAMATIONS = 4
_ALPHA = 15.0
_NEGATION_REACH = 3
_NEUTRAL = 0.05


@runtime_checkable
class SentimentScorer(Protocol):
    """
    **Protocol:** scores the sentiment of a text from -1 to 1.

    -1 is most negative, 0 neutral, 1 most positive. Implementations must
    be deterministic and safe to call from several threads.

    >>> isinstance(sc.feedback.LexiconSentimentScorer(), sc.feedback.SentimentScorer)
    True
    """

    def score(self, text: str) -> float:
        """Return the sentiment of *text*, from -1 to 1."""
        ...  # pragma: no cover


def sentiment_label(score: float) -> str:
    """
    Name a sentiment score: ``negative``, ``neutral`` or ``positive``.

    Scores within 0.05 of 0 are neutral (VADER's usual threshold).

    Args:
        score: A sentiment from -1 to 1.

    Returns:
        The label.

    >>> sc.feedback.sentiment_label(-0.6), sc.feedback.sentiment_label(0.01)
    ('negative', 'neutral')
    """
    if score >= _NEUTRAL:
        return "positive"
    if score <= -_NEUTRAL:
        return "negative"
    return "neutral"


@attrs.frozen
class LexiconSentimentScorer:
    """
    The pure-Python English sentiment scorer of the core.

    See the module documentation for its method and limits; ``explain``
    shows what each word contributed.

    Args:
        lexicon: Extra or replacement word valences (-4 to 4), merged over
            the built-in lexicon; lower-case words.

    >>> scorer = sc.feedback.LexiconSentimentScorer()
    >>> scorer.score("Thanks, the agent was very helpful!")
    0.7...
    >>> scorer.score("I have waited a week and nobody answered. Terrible.")
    -0.7...
    >>> scorer.score("not bad") > 0
    True
    """

    lexicon: dict[str, float] = attrs.field(factory=dict, converter=dict)
    _words: dict[str, float] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Merge the extra words over the built-in lexicon."""
        object.__setattr__(self, "_words", {**LEXICON, **self.lexicon})

    def explain(self, text: str) -> tuple[tuple[str, float], ...]:
        """
        Return each scored word of *text* with its adjusted valence.

        >>> sc.feedback.LexiconSentimentScorer().explain("not very good, but fast")
        (('good', -0.848...), ('fast', 3.0))
        """
        tokens = _WORD.findall(text)
        lowered = [t.lower() for t in tokens]
        shouting = any(t.isupper() and len(t) > 1 for t in tokens) and not (
            text.isupper()
        )
        but_at = lowered.index("but") if "but" in lowered else None
        out: list[tuple[str, float]] = []
        for i, word in enumerate(lowered):
            valence = self._words.get(word)
            if valence is None:
                continue
            sign = 1.0 if valence > 0 else -1.0
            if i > 0 and lowered[i - 1] in BOOSTERS:
                valence += sign * BOOSTERS[lowered[i - 1]]
            if shouting and tokens[i].isupper() and len(tokens[i]) > 1:
                valence += sign * _CAPS_BOOST
            window = lowered[max(0, i - _NEGATION_REACH) : i]
            if any(_is_negation(w) for w in window):
                valence *= _NEGATION_SCALE
            if but_at is not None:
                valence *= _BUT_BEFORE if i < but_at else _BUT_AFTER
            out.append((word, valence))
        return tuple(out)

    def score(self, text: str) -> float:
        """
        Return the sentiment of *text*, from -1 to 1.

        >>> sc.feedback.LexiconSentimentScorer().score("The invoice is attached.")
        0.0
        """
        total = sum(valence for _, valence in self.explain(text))
        if total:
            marks = min(text.count("!"), _MAX_EXCLAMATIONS) * _EXCLAMATION
            total += math.copysign(marks, total)
        return total / math.sqrt(total * total + _ALPHA)


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


class VADERSentimentScorer:
    """
    The VADER scorer of the ``vaderSentiment`` package (extra ``sentiment``).

    Returns VADER's *compound* score. Install with
    ``pip install 'servicecore[sentiment]'``.

    Raises:
        PluginError: ``vaderSentiment`` is not installed.

    >>> sc.feedback.VADERSentimentScorer().score("The agent was very helpful!")
    0.5244
    """

    def __init__(self) -> None:
        try:
            vader = importlib.import_module("vaderSentiment.vaderSentiment")
        except ImportError as exc:
            raise PluginError(
                "sentiment",
                "VADER needs the optional extra: "
                "pip install 'servicecore[sentiment]'",
                plugin="vaderSentiment",
            ) from exc
        self._analyzer = vader.SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        """Return VADER's compound score of *text*, from -1 to 1."""
        return float(self._analyzer.polarity_scores(text)["compound"])
