"""Browse: find cards, read one card's info and history, act on several.

The query is one line a user types: words to find (fuzzy) and filters
``deck:ID`` (a deck or folder), ``tag:T``, ``kind:recall|drill|cloze``,
``is:new|learning|review|suspended|buried|leech|retired`` and
``sort:due|recall|lapses|last``. Filters and sorts run in SQL
(:mod:`cuecards.storage.browse`); words are prefiltered there with ``LIKE``
and the candidates ranked here with rapidfuzz.

Recall now and on the interview day come from the one recall formula
(:meth:`cuecards.scheduling.Scheduling.recall_on`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, get_args

from cuecards.errors import UsageError
from cuecards.scheduling import from_epoch, to_epoch
from cuecards.storage.browse import BrowseFilter, BrowseRow, BrowseState
from cuecards.views import RATING_NAMES, format_interval

if TYPE_CHECKING:
    from cuecards.service.service import Service

STATES: tuple[str, ...] = get_args(BrowseState)
SORTS: tuple[str, ...] = ("due", "recall", "lapses", "last")
KINDS = ("recall", "drill", "cloze")
#: candidates a text search ranks at most
CANDIDATES = 5000
#: the lowest fuzzy score (0..100) a card needs to be listed
MIN_SCORE = 70.0


@dataclass(frozen=True)
class BrowseQuery:
    """A parsed Browse query."""

    words: tuple[str, ...] = ()
    deck: str | None = None
    tag: str | None = None
    kind: str | None = None
    state: BrowseState | None = None
    #: None: by match when there are words, else by due
    sort: str | None = None

    @property
    def order(self) -> str:
        """The sort in effect."""
        return self.sort or ("match" if self.words else "due")


def parse_query(text: str) -> BrowseQuery:
    """A :class:`BrowseQuery` from what was typed; a bad filter is a UsageError."""
    words: list[str] = []
    q = BrowseQuery()
    for token in text.split():
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or key not in ("deck", "tag", "kind", "is", "sort") or not value:
            words.append(token)
            continue
        if key == "deck":
            q = replace(q, deck=value.strip("/"))
        elif key == "tag":
            q = replace(q, tag=value)
        elif key == "kind":
            if value not in KINDS:
                raise UsageError(f"kind:{value}? kinds are {', '.join(KINDS)}")
            q = replace(q, kind=value)
        elif key == "is":
            if value not in STATES:
                raise UsageError(f"is:{value}? states are {', '.join(STATES)}")
            q = replace(q, state=value)  # type: ignore[arg-type]
        else:
            if value not in SORTS:
                raise UsageError(f"sort:{value}? sorts are {', '.join(SORTS)}")
            q = replace(q, sort=value)
    return replace(q, words=tuple(words))


@dataclass(frozen=True)
class BrowseItem:
    """One card in the Browse table."""

    uid: str
    deck_id: str
    kind: str
    prompt: str
    #: new, learning, review, suspended, buried or retired
    state: str
    leech: bool
    due: datetime | None
    recall_now: float | None
    lapses: int
    last_review: datetime | None


@dataclass(frozen=True)
class BrowsePage:
    """A page of the cards a query lists."""

    query: BrowseQuery
    total: int
    offset: int
    items: tuple[BrowseItem, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One review in a card's history."""

    at: datetime
    rating: str
    interval: str
    seconds: float | None
    #: "2/3" for a drill
    points: str
    answer: str | None
    #: False for a review from before the card was forgotten
    counts: bool


@dataclass(frozen=True)
class CardInfo:
    """Everything Browse says about one card."""

    uid: str
    deck_id: str
    deck_title: str
    deck_path: str | None
    line: int
    kind: str
    prompt: str
    answer: str
    tags: tuple[str, ...]
    state: str
    leech: bool
    suspended: bool
    stability: float | None
    difficulty: float | None
    due: datetime | None
    reps: int
    lapses: int
    recall_now: float | None
    interview_date: date | None
    recall_interview: float | None
    history: tuple[HistoryEntry, ...]


def _state(r: BrowseRow, today: int) -> str:
    if r.retired:
        return "retired"
    if r.suspended:
        return "suspended"
    if r.buried_until > today:
        return "buried"
    if r.reps == 0:
        return "new"
    return "review" if r.state == 2 else "learning"


def _filter(svc: Service, q: BrowseQuery) -> BrowseFilter:
    """The SQL filter of ``q``, with a text search ranked into ``ids``."""
    f = BrowseFilter(deck=q.deck, tag=q.tag, kind=q.kind, state=q.state)
    if not q.words:
        return f
    from rapidfuzz import fuzz

    texts = svc.store.browse_texts(replace(f, like=q.words), CANDIDATES)
    if not texts:
        # A typo: prefilter on the start of the longest word, let fuzz decide.
        longest = max(q.words, key=len)
        texts = svc.store.browse_texts(replace(f, like=(longest[:3],)), CANDIDATES)
    needle = [w.lower() for w in q.words]
    whole = " ".join(needle)
    scored = []
    for card_id, prompt, rest in texts:
        front = prompt.lower()
        low = front + " " + rest.lower()
        score = sum(fuzz.partial_ratio(w, low) for w in needle) / len(needle)
        if score >= MIN_SCORE:
            # Ties: the card whose prompt says the words together comes first.
            scored.append((-score, -fuzz.partial_ratio(whole, front), card_id))
    scored.sort()
    return replace(f, ids=tuple(s[2] for s in scored))


def browse(svc: Service, q: BrowseQuery, offset: int = 0, limit: int = 100) -> BrowsePage:
    """One page of the cards ``q`` lists (``offset`` rows in)."""
    if q.deck:
        svc.check_deck(q.deck)
    if q.tag:
        svc.check_tag(q.tag)
    f = _filter(svc, q)
    today, threshold = svc.today(), svc.settings().leech_threshold
    total = svc.store.browse_count(f, today, threshold)
    rows = svc.store.browse_page(f, q.order, max(0, offset), limit, today, threshold)
    items = tuple(
        BrowseItem(
            uid=r.uid,
            deck_id=r.deck_id,
            kind=r.kind,
            prompt=r.prompt,
            state=_state(r, today),
            leech=r.lapses >= threshold,
            due=from_epoch(r.due) if r.reps else None,
            recall_now=r.recall_now,
            lapses=r.lapses,
            last_review=from_epoch(r.last_review) if r.last_review is not None else None,
        )
        for r in rows
    )
    return BrowsePage(q, total, max(0, offset), items)


def card_info(svc: Service, uid: str) -> CardInfo:
    """One card's text, place, schedule, recall and whole history."""
    card_id = svc.store.card_id_of(uid)
    card = svc.store.card(card_id) if card_id is not None else None
    if card_id is None or card is None:
        raise UsageError(f"no card {uid!r}")
    one = BrowseFilter(ids=(card_id,), any_state=True)
    row = svc.store.browse_page(one, "due", 0, 1, svc.today(), 1)
    s, sched, today = card.state, svc.sched, svc.today()
    studied = s.reps > 0
    interview = svc.settings().interview_date
    moment = sched.interview_moment()
    history = tuple(
        HistoryEntry(
            at=from_epoch(h.reviewed_at),
            rating=RATING_NAMES.get(h.rating, str(h.rating)),
            interval=format_interval(timedelta(days=h.interval_days)),
            seconds=h.duration_ms / 1000 if h.duration_ms is not None else None,
            points=f"{h.points_hit}/{h.points_total}" if h.points_total else "",
            answer=h.answer,
            counts=h.counts,
        )
        for h in svc.store.card_history(card_id)
    )
    return CardInfo(
        uid=uid,
        deck_id=card.deck_id,
        deck_title=card.deck_title or card.deck_id,
        deck_path=card.deck_path,
        line=card.item.line,
        kind=card.kind,
        prompt=card.item.prompt,
        answer=card.item.answer,
        tags=card.item.tags,
        state=_state(row[0], today) if row else s.label,
        leech=s.lapses >= svc.settings().leech_threshold,
        suspended=bool(row and row[0].suspended),
        stability=s.stability,
        difficulty=s.difficulty,
        due=s.due if studied else None,
        reps=s.reps,
        lapses=s.lapses,
        recall_now=sched.recall_on(s.stability, s.last_review, today) if studied else None,
        interview_date=interview,
        recall_interview=(
            sched.recall_on(s.stability, s.last_review, sched.days.day(moment))
            if studied and moment is not None
            else None
        ),
        history=history,
    )


def _ids(svc: Service, uids: list[str]) -> list[int]:
    found = svc.store.ids_of(uids)
    missing = [u for u in uids if u not in found]
    if missing:
        raise UsageError("nothing was changed: no card " + ", ".join(missing))
    return [found[u] for u in dict.fromkeys(uids)]


def suspend_cards(svc: Service, uids: list[str], suspended: bool = True) -> int:
    """Suspend (or unsuspend) the named cards at once; how many changed."""
    return svc.store.set_suspended(_ids(svc, uids), suspended)


def bury_cards(svc: Service, uids: list[str]) -> int:
    """Hide the named cards until tomorrow's study day."""
    return svc.store.bury_until(_ids(svc, uids), svc.today() + 1)


def forget_cards(svc: Service, uids: list[str]) -> int:
    """Back to new, history kept: a forget marker per card; the replay (and so
    undo and ``cuecards check``) counts only the reviews after it."""
    now = svc.clock()
    return svc.store.forget(_ids(svc, uids), to_epoch(now), svc.sched.days.day(now))
