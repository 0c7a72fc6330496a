"""
The English sentiment lexicon of :class:`LexiconSentimentScorer`.

Valences run from -4 (extremely negative) to +4 (extremely positive). The
list is servicecore's own, written for customer-service text (support
tickets, chats, survey comments); it is small (under 300 entries) on
purpose: each word is one a support lead would agree carries the feeling
given, in most service contexts. Words are lower case; a few common
misspellings and contractions are included.
"""

from __future__ import annotations

_GROUPS: dict[float, str] = {
    3.5: """
        outstanding superb exceptional phenomenal flawless perfect perfectly
        brilliant wonderful
    """,
    3.0: """
        excellent amazing awesome fantastic love loved loves lovely
        delighted thrilled incredible best impressed impressive
        grateful marvelous marvellous stellar spectacular
    """,
    2.5: """
        great terrific pleased happy glad appreciate appreciated
        appreciative thankful recommend recommended exceeded beautiful
        kudos lifesaver enjoy enjoyed satisfied
    """,
    2.0: """
        good nice helpful thanks thank thx ty friendly kind polite
        professional courteous patient quick quickly fast prompt promptly
        efficient easy easily effortless smooth smoothly solved resolved
        fixed works worked working reliable clear knowledgeable
        responsive fair generous welcome welcoming reassuring reassured
        relieved useful valuable convenient painless attentive
        empathetic understanding supportive caring pleasure pleasant
        seamless
    """,
    1.5: """
        better improved improvement fine cool ok okay okey sorted speedy
        simple comfortable accurate satisfying hopeful positive calm
        confident secure safe correct
    """,
    1.0: """
        decent reasonable acceptable adequate informative interested
        clarified updated answered explained fixes liked
    """,
    -1.0: """
        wait waiting waited confusing confused unclear complicated
        issue issues problem problems delay delayed late slowish meh
        mediocre average odd strange weird
        concern concerned worry worried bug bugs glitch hassle
    """,
    -1.5: """
        slow slowly difficult hard inconvenient inconvenience annoying
        annoyed unhappy sad sorry unfortunately unfortunate lost missing
        error errors fail fails failing failure mistake mistakes wrong
        incorrect expensive overcharged repeat repeated
        repeatedly nobody ignored ignoring unanswered unresolved
        unhelpful dissatisfied cancel cancelling canceled cancelled refund
    """,
    -2.0: """
        bad poor poorly broken broke crash crashed crashes frustrating
        frustrated frustration disappointing disappointed disappointment
        upset rude impolite unprofessional careless incompetent useless
        pointless waste wasted annoyance complaint complain complained
        complaining problematic unreliable defective damaged faulty stuck hate hated
        angry mad nightmare ridiculous lie lied lies misleading
    """,
    -2.5: """
        terrible horrible awful dreadful unacceptable disgusting
        outrageous furious livid scam fraud pathetic appalling
        shocking incompetence worthless hopeless lousy
    """,
    -3.0: """
        worst disgraceful atrocious abysmal horrendous disaster
        disastrous betrayed hostile abusive insulting
    """,
}

LEXICON: dict[str, float] = {
    word: valence
    for valence, words in _GROUPS.items()
    for word in words.split()
}
"""Each word's valence, -4 to +4."""

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nowhere",
        "neither",
        "nor",
        "cannot",
        "cant",
        "can't",
        "dont",
        "don't",
        "doesnt",
        "doesn't",
        "didnt",
        "didn't",
        "isnt",
        "isn't",
        "wasnt",
        "wasn't",
        "arent",
        "aren't",
        "werent",
        "weren't",
        "wont",
        "won't",
        "wouldnt",
        "wouldn't",
        "shouldnt",
        "shouldn't",
        "couldnt",
        "couldn't",
        "hasnt",
        "hasn't",
        "havent",
        "haven't",
        "hadnt",
        "hadn't",
        "without",
        "ain't",
        "aint",
    ]
)
"""Words that flip the valence of the next three words."""

BOOSTERS: dict[str, float] = {
    **dict.fromkeys(
        [
            "very",
            "really",
            "so",
            "extremely",
            "incredibly",
            "absolutely",
            "totally",
            "completely",
            "utterly",
            "truly",
            "highly",
            "super",
            "especially",
            "exceptionally",
            "remarkably",
            "seriously",
            "terribly",
            "awfully",
            "hugely",
            "entirely",
            "most",
        ],
        0.293,
    ),
    **dict.fromkeys(
        [
            "slightly",
            "somewhat",
            "barely",
            "hardly",
            "marginally",
            "partly",
            "fairly",
            "rather",
            "little",
            "bit",
            "kinda",
            "sorta",
        ],
        -0.293,
    ),
}
"""Words that strengthen (positive) or soften (negative) the next word."""
