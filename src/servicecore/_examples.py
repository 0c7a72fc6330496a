"""
Realistic example cases for demos, benchmarks and tests.

:func:`generate_cases` is deterministic for a seed and uses only the
standard library's ``random`` (no hypothesis): customers in several locales
and zones write through several channels; bots answer first on chat;
teams and agents pick the cases up, reply, leave internal notes, wait on
the customer (``pending``) or on a third party (``on_hold``), raise
priorities, solve, get reopened, close, and receive CSAT, NPS and CES
surveys. Every case is built through the models' constructors, so every
generated case is valid.
"""

# Data tables (names, messages in six languages) read best one row a line.
# ruff: noqa: E501

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
from collections.abc import Sequence
from typing import TypeVar

import pendulum

from servicecore.errors import ModelError
from servicecore.models import (
    Agent,
    Assigned,
    AuthorKind,
    Case,
    CaseCreated,
    CaseEvent,
    CaseStatus,
    Channel,
    Customer,
    Direction,
    EscalationFired,
    FieldChanged,
    Interaction,
    MessageAdded,
    Priority,
    PriorityChanged,
    StatusChanged,
    SurveyKind,
    SurveyReceived,
    SurveyResponse,
    TagsChanged,
    Team,
)

__all__ = ["generate_cases"]

_MINUTE = 60
_HOUR = 3_600
_DAY = 86_400
# Cases start during 2024 (a leap year with both DST changes in it).
_YEAR_START = 1_704_067_200  # 2024-01-01T00:00:00Z

# Profiles: locale, zone, language, first names, last names.
_PROFILES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("en_US", "America/New_York", "en", ("Emma", "Liam", "Olivia", "Noah"), ("Smith", "Johnson", "Brown")),
    ("en_GB", "Europe/London", "en", ("Amelia", "Oliver", "Isla", "Harry"), ("Taylor", "Davies", "Evans")),
    ("en_AU", "Australia/Sydney", "en", ("Charlotte", "Jack", "Mia"), ("Wilson", "Martin", "Lee")),
    ("en_IN", "Asia/Kolkata", "en", ("Aarav", "Diya", "Vihaan"), ("Sharma", "Patel", "Iyer")),
    ("de_CH", "Europe/Zurich", "de", ("Lena", "Luca", "Mia", "Noah"), ("Meier", "Müller", "Keller")),
    ("de_DE", "Europe/Berlin", "de", ("Hannah", "Paul", "Emilia", "Ben"), ("Schmidt", "Schneider", "Fischer")),
    ("fr_FR", "Europe/Paris", "fr", ("Léa", "Hugo", "Chloé", "Louis"), ("Martin", "Bernard", "Dubois")),
    ("es_ES", "Europe/Madrid", "es", ("Lucía", "Hugo", "Sofía", "Mateo"), ("García", "Fernández", "López")),
    ("es_MX", "America/Mexico_City", "es", ("Valentina", "Santiago", "Regina"), ("Hernández", "Ramírez", "Cruz")),
    ("pt_BR", "America/Sao_Paulo", "pt", ("Helena", "Miguel", "Alice", "Arthur"), ("Silva", "Santos", "Oliveira")),
    ("ja_JP", "Asia/Tokyo", "ja", ("Yui", "Haruto", "Sakura", "Ren"), ("Sato", "Suzuki", "Takahashi")),
)  # fmt: skip
_PROFILE_WEIGHTS = (22, 10, 4, 6, 8, 10, 10, 8, 5, 9, 8)

# Topics: topic, subject line, tag, team.
_TOPICS: tuple[tuple[str, str, str, str], ...] = (
    ("invoice", "Invoice does not match my plan", "billing", "t-billing"),
    ("refund", "Refund for a cancelled order", "refund", "t-billing"),
    ("login", "Cannot log in to my account", "login", "t-tech"),
    ("bug", "The export fails with an error", "bug", "t-tech"),
    ("shipping", "Where is my parcel?", "shipping", "t-orders"),
    ("cancel", "Please cancel my subscription", "cancellation", "t-accounts"),
    ("address", "Change the address on my account", "account", "t-accounts"),
    ("feature", "Could you add dark mode?", "feature_request", "t-tech"),
)
_TOPIC_WEIGHTS = (16, 10, 16, 12, 16, 8, 10, 6)

_NOUNS: dict[str, dict[str, str]] = {
    "en": {"invoice": "my invoice", "refund": "my refund", "login": "logging in", "bug": "the export", "shipping": "my parcel", "cancel": "my subscription", "address": "my address", "feature": "dark mode"},
    "de": {"invoice": "meiner Rechnung", "refund": "meiner Rückerstattung", "login": "der Anmeldung", "bug": "dem Export", "shipping": "meinem Paket", "cancel": "meinem Abo", "address": "meiner Adresse", "feature": "dem Dunkelmodus"},
    "fr": {"invoice": "ma facture", "refund": "mon remboursement", "login": "la connexion", "bug": "l'export", "shipping": "mon colis", "cancel": "mon abonnement", "address": "mon adresse", "feature": "le mode sombre"},
    "es": {"invoice": "mi factura", "refund": "mi reembolso", "login": "el inicio de sesión", "bug": "la exportación", "shipping": "mi paquete", "cancel": "mi suscripción", "address": "mi dirección", "feature": "el modo oscuro"},
    "pt": {"invoice": "minha fatura", "refund": "meu reembolso", "login": "o login", "bug": "a exportação", "shipping": "minha encomenda", "cancel": "minha assinatura", "address": "meu endereço", "feature": "o modo escuro"},
    "ja": {"invoice": "請求書", "refund": "返金", "login": "ログイン", "bug": "エクスポート", "shipping": "荷物", "cancel": "解約", "address": "住所変更", "feature": "ダークモード"},
}  # fmt: skip

_FIRST: dict[str, tuple[str, ...]] = {
    "en": ("Hi, I have a problem with {noun}.", "Hello, can you help me with {noun}? It is urgent.", "Something is wrong with {noun}, please check."),
    "de": ("Guten Tag, ich habe ein Problem mit {noun}.", "Hallo, können Sie mir bei {noun} helfen?"),
    "fr": ("Bonjour, j'ai un problème avec {noun}.", "Bonjour, pouvez-vous m'aider avec {noun} ?"),
    "es": ("Hola, tengo un problema con {noun}.", "Buenas, ¿me pueden ayudar con {noun}?"),
    "pt": ("Olá, estou com um problema com {noun}.", "Oi, podem me ajudar com {noun}?"),
    "ja": ("{noun}について問題があります。", "{noun}の件で助けてください。"),
}  # fmt: skip
_FOLLOW_UP: dict[str, tuple[str, ...]] = {
    "en": ("Thanks, here are the details you asked for.", "It still does not work.", "Any news?"),
    "de": ("Danke, hier sind die Angaben.", "Es funktioniert immer noch nicht."),
    "fr": ("Merci, voici les détails demandés.", "Ça ne marche toujours pas."),
    "es": ("Gracias, aquí están los detalles.", "Sigue sin funcionar."),
    "pt": ("Obrigado, seguem os detalhes.", "Ainda não funciona."),
    "ja": ("詳細をお送りします。", "まだ直っていません。"),
}  # fmt: skip
_REPLY: dict[str, tuple[str, ...]] = {
    "en": ("Thanks for reaching out, we are looking into it.", "Could you send us a screenshot, please?", "This is fixed now; let us know if anything else comes up."),
    "de": ("Danke für Ihre Nachricht, wir prüfen das.", "Könnten Sie uns einen Screenshot schicken?", "Das ist nun behoben."),
    "fr": ("Merci, nous regardons cela.", "Pourriez-vous nous envoyer une capture d'écran ?", "C'est corrigé."),
    "es": ("Gracias, lo estamos revisando.", "¿Nos puede enviar una captura de pantalla?", "Ya está resuelto."),
    "pt": ("Obrigado, estamos verificando.", "Pode nos enviar uma captura de tela?", "Já está resolvido."),
    "ja": ("お問い合わせありがとうございます。確認いたします。", "スクリーンショットをお送りいただけますか。", "解決いたしました。"),
}  # fmt: skip
_NOTES = (
    "Checked the logs: same error as last week.",
    "Waiting for the carrier's answer.",
    "Customer is on the old plan; billing to confirm.",
    "Escalated to engineering.",
)
_BOT_GREETING = "Hi! I'm the assistant. An agent will be with you shortly."
_SURVEY_COMMENTS = (
    "",
    "",
    "Quick and kind.",
    "Took too long.",
    "Great help!",
    "Had to explain twice.",
)

_CHANNELS = (
    Channel.EMAIL, Channel.CHAT, Channel.PHONE, Channel.WEB, Channel.SOCIAL,
    Channel.MESSAGING, Channel.SMS, Channel.IN_PERSON, Channel.BOT,
)  # fmt: skip
_CHANNEL_WEIGHTS = (35, 20, 12, 12, 5, 6, 4, 2, 4)
# How fast agents answer on each channel: (minimum, typical) in seconds.
_PACE: dict[Channel, tuple[int, int]] = {
    Channel.EMAIL: (10 * _MINUTE, 5 * _HOUR),
    Channel.WEB: (10 * _MINUTE, 5 * _HOUR),
    Channel.SOCIAL: (5 * _MINUTE, 2 * _HOUR),
    Channel.MESSAGING: (2 * _MINUTE, 1 * _HOUR),
    Channel.SMS: (2 * _MINUTE, 1 * _HOUR),
    Channel.CHAT: (30, 4 * _MINUTE),
    Channel.BOT: (30, 6 * _MINUTE),
    Channel.PHONE: (0, 2 * _MINUTE),
    Channel.IN_PERSON: (0, 2 * _MINUTE),
}
_PRIORITIES = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)
_PRIORITY_WEIGHTS = (15, 55, 22, 8)
_SPEED = {Priority.LOW: 1.6, Priority.NORMAL: 1.0, Priority.HIGH: 0.6, Priority.URGENT: 0.3}  # fmt: skip
# The tiers of the example policies (examples/): basic customers get the
# SLA's best effort, VIPs (tagged "vip" too) the escalated targets.
_TIERS = ("basic", "standard", "premium", "enterprise", "vip")
_TIER_WEIGHTS = (12, 50, 22, 10, 6)
_SEGMENTS = ("consumer", "smb", "mid_market", "enterprise")
_PLANS = ("free", "starter", "pro", "business")

# team id: (name, member ids, skills, locale, zone)
_TEAMS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str, str]] = {
    "t-billing": ("Billing", ("a-01", "a-02", "a-03", "a-04"), ("billing", "refund"), "en", "UTC"),
    "t-tech": ("Technical support", ("a-05", "a-06", "a-07", "a-08", "a-09"), ("login", "bug"), "en", "Europe/Berlin"),
    "t-orders": ("Orders", ("a-10", "a-11", "a-12"), ("shipping",), "es_ES", "Europe/Madrid"),
    "t-accounts": ("Accounts", ("a-13", "a-14", "a-15"), ("account", "cancellation"), "en_US", "America/New_York"),
}  # fmt: skip
_MEMBERS = {team_id: team[1] for team_id, team in _TEAMS.items()}
_AGENT_NAMES = (
    "Ana", "Ben", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiro",
    "Ines", "Jonas", "Kemi", "Lars", "Maya", "Nils", "Oona",
)  # fmt: skip


@functools.cache
def example_teams() -> tuple[Team, ...]:
    """Return the teams the example cases are assigned to."""
    return tuple(
        Team(
            id=team_id,
            name=name,
            member_ids=members,
            skills=skills,
            locale=locale,
            time_zone=zone,
        )
        for team_id, (name, members, skills, locale, zone) in _TEAMS.items()
    )


@functools.cache
def example_agents() -> tuple[Agent, ...]:
    """Return the agents of the example cases, each in one team."""
    return tuple(
        Agent(
            id=member,
            name=_AGENT_NAMES[int(member[2:]) - 1],
            team_ids=[team.id],
            skills=team.skills,
            locale=team.locale,
            time_zone=team.time_zone,
        )
        for team in example_teams()
        for member in sorted(team.member_ids)
    )


def _chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def _cum(weights: Sequence[int]) -> tuple[int, ...]:
    return tuple(itertools.accumulate(weights))


_T = TypeVar("_T")


def _choose(rng: random.Random, items: Sequence[_T], cum: Sequence[int]) -> _T:
    """Pick from *items* by cumulative weights (random.choices, faster)."""
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


@functools.cache
def _offset(zone: str) -> int:
    """Return the zone's UTC offset in seconds in mid-2024 (approximate)."""
    return int(
        pendulum.datetime(2024, 6, 1, tz=zone).utcoffset().total_seconds()  # type: ignore[union-attr]
    )


# Local hours customers write at: mostly 8:00-20:00.
_HOURS = tuple(range(24))
_HOUR_CUM = _cum(
    (
        1,
        1,
        1,
        1,
        1,
        2,
        3,
        6,
        10,
        12,
        12,
        11,
        9,
        10,
        11,
        11,
        10,
        9,
        7,
        6,
        5,
        4,
        3,
        2,
    )
)
_PROFILE_CUM = _cum(_PROFILE_WEIGHTS)
_TIER_CUM = _cum(_TIER_WEIGHTS)
_CHANNEL_CUM = _cum(_CHANNEL_WEIGHTS)
_TOPIC_CUM = _cum(_TOPIC_WEIGHTS)
_PRIORITY_CUM = _cum(_PRIORITY_WEIGHTS)
_ROUNDS_CUM = _cum((35, 35, 20, 10))
# Each round of back and forth waits on the customer, a third party, or
# neither (the customer just writes again).
_STEPS = ("pending", "on_hold", "message")
_STEP_CUM = _cum((60, 20, 20))
_SURVEYS = (SurveyKind.CSAT, SurveyKind.NPS, SurveyKind.CES)
_SURVEY_CUM = _cum((60, 25, 15))
_SCORES: dict[SurveyKind, tuple[tuple[int, ...], tuple[int, ...]]] = {
    SurveyKind.CSAT: ((1, 2, 3, 4, 5), _cum((5, 5, 10, 30, 50))),
    SurveyKind.NPS: (tuple(range(11)), _cum((2, 1, 1, 2, 2, 4, 6, 10, 18, 24, 30))),
    # CES 2.0 (the default CESScale): 7 is "very easy", most find it easy.
    SurveyKind.CES: (tuple(range(1, 8)), _cum((3, 4, 8, 12, 18, 25, 30))),
}  # fmt: skip


def _customer(rng: random.Random, seed: int, index: int) -> Customer:
    profile = _choose(rng, _PROFILES, _PROFILE_CUM)
    locale, zone, _, firsts, lasts = profile
    first, last = rng.choice(firsts), rng.choice(lasts)
    tier = _choose(rng, _TIERS, _TIER_CUM)
    tags = []
    if tier == "vip":
        tags.append("vip")
    if _chance(rng, 0.1):
        tags.append("beta")
    if _chance(rng, 0.05):
        tags.append("churn_risk")
    ident = f"cust-{seed}-{index:06d}"
    domain = "example.com" if _chance(rng, 0.7) else "example.org"
    ascii_name = f"{first}.{last}".encode("ascii", "ignore").decode().lower()
    return Customer(
        id=ident,
        name=f"{first} {last}",
        email=f"{ascii_name or 'customer'}.{index}@{domain}",
        phone=f"+{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        if _chance(rng, 0.6)
        else None,
        locale=locale,
        time_zone=zone,
        tier=tier,
        segment=rng.choice(_SEGMENTS),
        tags=tags,
        attributes={
            "plan": rng.choice(_PLANS),
            "seats": rng.randint(1, 250),
            "lifetime_value": round(rng.uniform(0, 20_000), 2),
            "signed_up": dt.date(2018, 1, 1)
            + dt.timedelta(days=rng.randint(0, 2_000)),
        },
        preferred_channel=_choose(rng, _CHANNELS, _CHANNEL_CUM)
        if _chance(rng, 0.5)
        else None,
        created_at=_YEAR_START - rng.randint(30, 2_000) * _DAY,
    )


# Enum members as module constants: reading ``Enum.MEMBER`` costs about
# as much as building a small object, and the generator does it often.
_AGENT = AuthorKind.AGENT
_BOT = AuthorKind.BOT
_CUSTOMER = AuthorKind.CUSTOMER
_CLOSED = CaseStatus.CLOSED
_NEW = CaseStatus.NEW
_ON_HOLD = CaseStatus.ON_HOLD
_OPEN = CaseStatus.OPEN
_PENDING = CaseStatus.PENDING
_SOLVED = CaseStatus.SOLVED
_BOT_CHANNEL = Channel.BOT
_CHAT = Channel.CHAT
_INBOUND = Direction.INBOUND
_OUTBOUND = Direction.OUTBOUND
_HIGH = Priority.HIGH
_URGENT = Priority.URGENT


class _Log:
    """Collects the events of one case, keeping time moving forward."""

    __slots__ = ("case_id", "channel", "events", "lang", "rng", "status", "t")

    def __init__(
        self,
        rng: random.Random,
        case_id: str,
        channel: Channel,
        lang: str,
        t: int,
    ) -> None:
        self.rng = rng
        self.case_id = case_id
        self.channel = channel
        self.lang = lang
        self.t = t
        self.status = _NEW
        self.events: list[CaseEvent] = []

    def wait(self, low: int, typical: int) -> int:
        """Advance time by at least *low*, *typical* on average."""
        self.t += low + int(self.rng.expovariate(1 / max(typical - low, 1)))
        return self.t

    def message(
        self,
        kind: AuthorKind,
        author_id: str | None,
        body: str,
        *,
        public: bool = True,
    ) -> None:
        inbound = kind is _CUSTOMER
        self.events.append(
            MessageAdded(
                case_id=self.case_id,
                interaction=Interaction(
                    id=f"{self.case_id}-m{len(self.events)}",
                    channel=self.channel,
                    direction=_INBOUND if inbound else _OUTBOUND,
                    author_kind=kind,
                    author_id=author_id,
                    at=self.t,
                    body=body,
                    public=public,
                ),
            )
        )

    def status_to(self, status: CaseStatus) -> None:
        if status is not self.status:
            self.events.append(
                StatusChanged(case_id=self.case_id, at=self.t, status=status)
            )
            self.status = status


def _pick(rng: random.Random, texts: Sequence[str]) -> str:
    return texts[int(rng.random() * len(texts))]


def _case(  # noqa: C901, PLR0912, PLR0915 - one story, told in order
    rng: random.Random, case_id: str, customer: Customer
) -> Case:
    lang = customer.locale.split("_")[0]
    (topic, subject, tag, team_id) = _choose(rng, _TOPICS, _TOPIC_CUM)
    if customer.preferred_channel is not None and _chance(rng, 0.6):
        channel = customer.preferred_channel
    else:
        channel = _choose(rng, _CHANNELS, _CHANNEL_CUM)
    priority = _choose(rng, _PRIORITIES, _PRIORITY_CUM)
    if customer.tier == "vip" and priority < _HIGH:
        priority = _HIGH
    # Customers write mostly during their local day (offset without DST).
    day = rng.randrange(365)
    local_hour = _choose(rng, _HOURS, _HOUR_CUM)
    t0 = (
        _YEAR_START
        + day * _DAY
        + local_hour * _HOUR
        + rng.randrange(_HOUR)
        - _offset(customer.time_zone)
    )
    fields: dict[str, str | int] = {"topic": topic}
    if topic in {"invoice", "refund", "shipping"}:
        fields["order_id"] = f"A-{rng.randint(10_000, 99_999)}"
    log = _Log(rng, case_id, channel, lang, t0)
    log.events.append(
        CaseCreated(
            case_id=case_id,
            at=t0,
            priority=priority,
            tags=[tag, *(["vip"] if "vip" in customer.tags else [])],
            fields=fields,
        )
    )
    noun = _NOUNS[lang][topic]
    log.message(
        _CUSTOMER, customer.id, _pick(rng, _FIRST[lang]).format(noun=noun)
    )
    pace_low, pace = _PACE[channel]
    speed = _SPEED[priority]
    if channel in {_CHAT, _BOT_CHANNEL} and _chance(rng, 0.7):
        log.wait(2, 10)
        log.message(_BOT, "bot-1", _BOT_GREETING)
    agent = rng.choice(_MEMBERS[team_id])
    log.wait(0, int(20 * _MINUTE * speed))
    log.events.append(
        Assigned(case_id=case_id, at=log.t, agent_id=agent, team_id=team_id)
    )
    log.status_to(_OPEN)
    first_reply_wait = int(pace * speed)
    if priority is _URGENT and _chance(rng, 0.3):
        # The first reply is late: the example escalation policy's
        # "manager" level (examples/escalation) fires, with its key.
        log.wait(30 * _MINUTE, 45 * _MINUTE)
        log.events.append(
            EscalationFired(
                case_id=case_id,
                at=log.t,
                policy="first-reply",
                level=1,
                dedupe_key=f"{case_id}:first-reply:first_reply:0:manager",
                metric="first_reply",
                cycle=0,
            )
        )
    if _chance(rng, 0.25):
        log.wait(_MINUTE, 10 * _MINUTE)
        log.message(_AGENT, agent, _pick(rng, _NOTES), public=False)
    log.wait(pace_low, first_reply_wait)
    log.message(_AGENT, agent, _pick(rng, _REPLY[lang][:2]))
    # Back and forth: waiting on the customer or on a third party.
    for _ in range(_choose(rng, (0, 1, 2, 3), _ROUNDS_CUM)):
        step = _choose(rng, _STEPS, _STEP_CUM)
        if step == "pending":
            log.status_to(_PENDING)
            if _chance(rng, 0.1):
                return _finish(log, customer, subject)  # waiting, still
            log.wait(10 * _MINUTE, 8 * _HOUR)
            log.message(_CUSTOMER, customer.id, _pick(rng, _FOLLOW_UP[lang]))
            log.status_to(_OPEN)
        elif step == "on_hold":
            log.status_to(_ON_HOLD)
            log.wait(_HOUR, _DAY)
            log.message(_AGENT, agent, _pick(rng, _NOTES), public=False)
            log.status_to(_OPEN)
        else:
            log.wait(_MINUTE, 2 * _HOUR)
            log.message(_CUSTOMER, customer.id, _pick(rng, _FOLLOW_UP[lang]))
        if _chance(rng, 0.15) and priority is not _URGENT:
            priority = _PRIORITIES[priority.rank + 1]
            log.events.append(
                PriorityChanged(case_id=case_id, at=log.t, priority=priority)
            )
            speed = _SPEED[priority]
        if _chance(rng, 0.1):
            log.events.append(
                TagsChanged(case_id=case_id, at=log.t, added=["follow_up"])
            )
        log.wait(pace_low, int(pace * speed))
        log.message(_AGENT, agent, _pick(rng, _REPLY[lang][:2]))
    if _chance(rng, 0.12):
        return _finish(log, customer, subject)  # still open
    if _chance(rng, 0.2):
        log.events.append(
            FieldChanged(
                case_id=case_id,
                at=log.t,
                name="resolution",
                value=rng.choice(
                    ("fixed", "explained", "refunded", "workaround")
                ),
            )
        )
    log.wait(pace_low, int(pace * speed))
    log.message(_AGENT, agent, _REPLY[lang][2])
    log.status_to(_SOLVED)
    solved_at = log.t
    # The customer writes again: a reopen (12 %), and a quarter of those
    # reopen a second time.
    for reopen_chance in (0.12, 0.25):
        if not _chance(rng, reopen_chance):
            break
        log.wait(_HOUR, 2 * _DAY)
        log.message(_CUSTOMER, customer.id, _pick(rng, _FOLLOW_UP[lang]))
        log.status_to(_OPEN)
        log.events.append(
            TagsChanged(case_id=case_id, at=log.t, added=["reopened"])
        )
        log.wait(pace_low, int(pace * speed))
        log.message(_AGENT, agent, _REPLY[lang][2])
        log.status_to(_SOLVED)
        solved_at = log.t
    if _chance(rng, 0.5):
        kind = _choose(rng, _SURVEYS, _SURVEY_CUM)
        log.wait(10 * _MINUTE, 6 * _HOUR)
        log.events.append(
            SurveyReceived(
                case_id=case_id,
                response=SurveyResponse(
                    id=f"{case_id}-s",
                    kind=kind,
                    score=_score(rng, kind),
                    comment=rng.choice(_SURVEY_COMMENTS),
                    at=log.t,
                    case_id=case_id,
                    customer_id=customer.id,
                    agent_id=agent,
                    team_id=team_id,
                    channel=channel,
                ),
            )
        )
    if _chance(rng, 0.7):
        log.t = max(log.t, solved_at + 4 * _DAY)
        log.status_to(_CLOSED)
    return _finish(log, customer, subject)


def _score(rng: random.Random, kind: SurveyKind) -> int:
    scores, cum = _SCORES[kind]
    return _choose(rng, scores, cum)


def _finish(log: _Log, customer: Customer, subject: str) -> Case:
    return Case(
        id=log.case_id,
        customer=customer,
        subject=subject,
        channel=log.channel,
        events=tuple(log.events),
    )


def generate_cases(n: int, seed: int = 0) -> list[Case]:
    """
    Return *n* realistic example cases, the same ones for the same seed.

    Customers (about one for every three cases, so some write again) live
    in eleven locales and their zones (``en_US``, ``de_CH``, ``fr_FR``,
    ``es_ES``, ``pt_BR``, ``ja_JP`` ...) and write through every channel,
    in their language. Cases start during 2024, mostly in the customer's
    local daytime, and tell a story: a bot greets on chat, a team and an
    agent pick the case up, agents reply at the pace of the channel and the
    priority, leave internal notes, wait on the customer (``pending``) or a
    third party (``on_hold``), raise priorities, tag, set fields, solve,
    get reopened (some twice), close after four days, and receive CSAT,
    NPS or CES surveys; urgent cases answered late record the example
    escalation policy's ``first-reply`` ``manager`` level. Some cases are
    still open or pending at their last event. Customers are of the tiers
    the example policies (``examples/``) name: ``basic``, ``standard``,
    ``premium``, ``enterprise`` and ``vip`` (tagged ``vip`` too), so every
    example SLA policy, escalation level and personalization rule applies
    to some of the cases.

    >>> cases = sc.generate_cases(3, seed=7)
    >>> [case.id for case in cases]
    ['case-7-000000', 'case-7-000001', 'case-7-000002']
    >>> sc.generate_cases(3, seed=7) == cases
    True

    Args:
        n: How many cases, >= 0.
        seed: The seed; the same seed gives the same cases.

    Returns:
        The cases, each valid (built through the models' constructors).

    Raises:
        ModelError: *n* is not a whole number >= 0, or *seed* not a whole
            number.
    """
    for name, value in (("n", n), ("seed", seed)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ModelError(name, f"expected a whole number, got {value!r}")
    if n < 0:
        raise ModelError("n", f"must be >= 0, got {n}")
    rng = random.Random(seed)
    customers: list[Customer] = []
    pool = max(1, n // 3)
    cases = []
    for i in range(n):
        if len(customers) < pool and (not customers or _chance(rng, 0.75)):
            customers.append(_customer(rng, seed, len(customers)))
            customer = customers[-1]
        else:
            customer = customers[int(rng.random() * len(customers))]
        cases.append(_case(rng, f"case-{seed}-{i:06d}", customer))
    return cases
