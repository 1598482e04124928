"""Progress figures: plain dataclasses assembled from the statistics queries.

No SQL here: :mod:`cuecards.storage.statistics` aggregates in the database and
:func:`assemble` turns its tuples into :class:`Stats` (a pure function, so the
figures can be tested on hand-made results too). :func:`gather` does both for
a :class:`StatsContext`, on its own connection, so it may run on any thread.

Days are study days: local dates after the rollover hour, as the review table
stores them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from cuecards.scheduling import StudyDay, to_epoch
from cuecards.storage import HORIZON_DAYS as HORIZON_DAYS
from cuecards.storage import Query, Raw, StatsReader

#: version of the JSON layout of :meth:`Stats.to_dict`
JSON_VERSION = 1
FORECAST_DAYS = 30
#: what the column of :attr:`Mastery.recall_ahead` is called in every table
RECALL_AHEAD_LABEL = f"Recall in {HORIZON_DAYS}d"
RETENTION_WINDOWS = (7, 30, 365)


@dataclass(frozen=True)
class StatsContext:
    """What the figures depend on besides the database: the moment, the day
    boundaries, the forgetting curve, two settings, and how to open a
    query-only reader of the database (made by
    :meth:`cuecards.service.Service.stats_context`)."""

    open: Callable[[], StatsReader]
    now: datetime
    days: StudyDay
    decay: float
    factor: float
    desired_retention: float = 0.9
    leech_threshold: int = 8

    @classmethod
    def from_service(cls, svc: Any) -> StatsContext:
        """The context of a :class:`cuecards.service.Service` (its
        :meth:`~cuecards.service.Service.stats_context`)."""
        ctx: StatsContext = svc.stats_context()
        return ctx

    @property
    def today(self) -> int:
        """Today's study day number."""
        return self.days.day(self.now)

    def query(
        self, deck: str | None = None, tag: str | None = None, since: date | None = None
    ) -> Query:
        """The :class:`~cuecards.storage.Query` for a scope, with the forecast's day bounds."""
        today = self.today
        bounds = tuple(
            (d, 0 if d == today else to_epoch(self.days.start(d)), to_epoch(self.days.end(d)))
            for d in range(today, today + FORECAST_DAYS)
        )
        return Query(
            now=to_epoch(self.now),
            today=today,
            decay=self.decay,
            factor=self.factor,
            deck=deck or None,
            tag=tag or None,
            since=since.toordinal() if since else None,
            bounds=bounds,
        )


@dataclass(frozen=True)
class DayCount:
    """One study day's reviews."""

    day: int
    reviews: int = 0
    seconds: float = 0.0
    review_state: int = 0  # reviews of cards in review state (for retention)
    recalled: int = 0  # of those, not rated Again

    @property
    def date(self) -> date:
        """The calendar date the study day is named after."""
        return date.fromordinal(self.day)


@dataclass(frozen=True)
class Window:
    """True retention over the last ``days`` study days."""

    days: int
    reviews: int
    recalled: int

    @property
    def retention(self) -> float | None:
        """Share of review-state reviews not rated Again; None without any."""
        return self.recalled / self.reviews if self.reviews else None


@dataclass(frozen=True)
class Mastery:
    """How well a deck (or tag) is known now."""

    key: str
    title: str
    cards: int
    studied: int
    recall: float | None  # mean current recall probability of studied cards
    mature: int
    lapses: int
    #: mean recall of studied cards HORIZON_DAYS days from now (None: none studied);
    #: unlike ``recall`` it tells decks apart right after a session
    recall_ahead: float | None = None

    @property
    def mature_share(self) -> float:
        """Mature cards over all live cards."""
        return self.mature / self.cards if self.cards else 0.0


@dataclass(frozen=True)
class HitRate:
    """Drill key points hit in one deck."""

    deck: str
    reviews: int
    hit: int
    total: int

    @property
    def rate(self) -> float:
        return self.hit / self.total if self.total else 0.0


@dataclass(frozen=True)
class CardFigure:
    """One card in the hardest or leech lists."""

    uid: str
    deck: str
    kind: str
    lapses: int
    reps: int
    recall: float | None


@dataclass(frozen=True)
class Stats:
    """Every progress figure for one scope."""

    generated_at: datetime
    today: int
    deck: str | None
    tag: str | None
    since: int | None
    reviews: int
    seconds: float
    days_studied: int
    first_day: int | None
    last_day: int | None
    streak_current: int
    streak_longest: int
    desired_retention: float
    windows: tuple[Window, ...]
    daily: tuple[DayCount, ...]  # dense: one per study day up to today
    forecast: tuple[tuple[int, int], ...]  # (day, cards due)
    decks: tuple[Mastery, ...]  # weakest first
    tags: tuple[Mastery, ...]  # weakest first
    hit_rates: tuple[HitRate, ...]
    hardest: tuple[CardFigure, ...]
    leeches: tuple[CardFigure, ...]
    states: dict[str, int] = field(default_factory=dict)

    @property
    def scope_label(self) -> str:
        """What the figures are narrowed to, e.g. ``deck pm, since 2025-03-01``
        ("" for everything): the terminal table and the HTML report say it alike."""
        since = date.fromordinal(self.since).isoformat() if self.since else None
        parts = (self.deck and f"deck {self.deck}", self.tag and f"tag {self.tag}",
                 since and f"since {since}")  # fmt: skip
        return ", ".join(x for x in parts if x)

    def last_days(self, n: int) -> tuple[DayCount, ...]:
        """The last ``n`` study days (zeros where nothing was done)."""
        known = {d.day: d for d in self.daily}
        return tuple(known.get(d, DayCount(d)) for d in range(self.today - n + 1, self.today + 1))

    def weekly_retention(self, weeks: int = 26) -> list[tuple[int, float | None]]:
        """(first day of week, true retention or None) for the last ``weeks`` weeks."""
        days = self.last_days(weeks * 7)
        out: list[tuple[int, float | None]] = []
        for i in range(weeks):
            chunk = days[i * 7 : (i + 1) * 7]
            n = sum(d.review_state for d in chunk)
            ok = sum(d.recalled for d in chunk)
            out.append((chunk[0].day, ok / n if n else None))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; keys are stable (see ``cuecards stats --help``)."""
        iso = _iso_day
        return {
            "version": JSON_VERSION,
            "generated_at": self.generated_at.astimezone(UTC).isoformat(),
            "today": iso(self.today),
            "scope": {"deck": self.deck, "tag": self.tag, "since": iso(self.since)},
            "totals": {
                "reviews": self.reviews,
                "seconds": round(self.seconds, 3),
                "days_studied": self.days_studied,
                "first_day": iso(self.first_day),
                "last_day": iso(self.last_day),
            },
            "streak": {"current": self.streak_current, "longest": self.streak_longest},
            "retention": {
                "desired": self.desired_retention,
                "windows": [
                    {
                        "days": w.days,
                        "reviews": w.reviews,
                        "recalled": w.recalled,
                        "retention": _r(w.retention),
                    }
                    for w in self.windows
                ],
            },
            "daily": [
                {
                    "date": iso(d.day),
                    "reviews": d.reviews,
                    "seconds": round(d.seconds, 3),
                    "review_state_reviews": d.review_state,
                    "recalled": d.recalled,
                }
                for d in self.daily
                if d.reviews
            ],
            "forecast": [{"date": iso(d), "due": n} for d, n in self.forecast],
            "mastery": {
                "decks": [_mastery(m) for m in self.decks],
                "tags": [_mastery(m) for m in self.tags],
            },
            "drills": [
                {
                    "deck": h.deck,
                    "reviews": h.reviews,
                    "points_hit": h.hit,
                    "points_total": h.total,
                    "hit_rate": _r(h.rate),
                }
                for h in self.hit_rates
            ],
            "hardest": [_card(c) for c in self.hardest],
            "leeches": [_card(c) for c in self.leeches],
            "states": dict(self.states),
        }


def _iso_day(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _r(x: float | None) -> float | None:
    return round(x, 4) if x is not None else None


def _mastery(m: Mastery) -> dict[str, Any]:
    return {
        "id": m.key,
        "title": m.title,
        "cards": m.cards,
        "studied": m.studied,
        "recall": _r(m.recall),
        "mature": m.mature,
        "mature_share": _r(m.mature_share),
        "lapses": m.lapses,
        f"recall_{HORIZON_DAYS}d": _r(m.recall_ahead),
    }


def _card(c: CardFigure) -> dict[str, Any]:
    return {
        "uid": c.uid,
        "deck": c.deck,
        "kind": c.kind,
        "lapses": c.lapses,
        "reps": c.reps,
        "recall": _r(c.recall),
    }


def mastery_key(m: Mastery) -> tuple[bool, float, int, float, str]:
    """Sort key, weakest first: lowest mean recall :data:`HORIZON_DAYS` days
    ahead (current recall is 1 for everything just studied, so it orders
    nothing), then most lapses, then least mature; never studied ones last."""
    return (
        m.recall_ahead is None,
        round(m.recall_ahead or 0.0, 9),
        -m.lapses,
        m.mature_share,
        m.key,
    )


def weakest_first(rows: list[Mastery]) -> tuple[Mastery, ...]:
    """Decks or tags, weakest first (see :func:`mastery_key`)."""
    return tuple(sorted(rows, key=mastery_key))


def assemble(
    raw: Raw,
    q: Query,
    generated_at: datetime,
    desired_retention: float,
    history_days: int = 365,
) -> Stats:
    """Turn query results into :class:`Stats` (pure).

    Totals and retention windows are sums over the per-day rows; the dense
    daily series covers the last ``history_days`` days (or from ``since``).
    """
    rows = [tuple(int(v) for v in r) for r in raw.daily]
    first = q.today - history_days + 1
    if q.since is not None:
        first = max(first, q.since)
    known = {r[0]: r for r in rows}
    daily = tuple(
        DayCount(d, known[d][1], known[d][2] / 1000, known[d][3], known[d][4])
        if d in known
        else DayCount(d)
        for d in range(first, q.today + 1)
    )
    windows = tuple(
        Window(
            n,
            sum(r[3] for r in rows if r[0] > q.today - n),
            sum(r[4] for r in rows if r[0] > q.today - n),
        )
        for n in RETENTION_WINDOWS
    )
    return Stats(
        generated_at=generated_at,
        today=q.today,
        deck=q.deck,
        tag=q.tag,
        since=q.since,
        reviews=sum(r[1] for r in rows),
        seconds=sum(r[2] for r in rows) / 1000,
        days_studied=len(rows),
        first_day=rows[0][0] if rows else None,
        last_day=rows[-1][0] if rows else None,
        streak_current=raw.streaks[0],
        streak_longest=raw.streaks[1],
        desired_retention=desired_retention,
        windows=windows,
        daily=daily,
        forecast=tuple((int(d), int(n)) for d, n in raw.forecast),
        decks=weakest_first([Mastery(*r) for r in raw.decks]),
        tags=weakest_first([Mastery(*r) for r in raw.tags]),
        hit_rates=tuple(HitRate(*r) for r in raw.hit_rate),
        hardest=hard_only((CardFigure(*r) for r in raw.hardest), desired_retention),
        leeches=tuple(CardFigure(*r) for r in raw.leeches),
        states=dict(raw.states),
    )


def is_hard(card: CardFigure, desired_retention: float) -> bool:
    """A card worth naming as hard: it has lapsed, or its recall is below the
    desired retention."""
    return card.lapses > 0 or (card.recall is not None and card.recall < desired_retention)


def hard_only(cards: Iterable[CardFigure], desired_retention: float) -> tuple[CardFigure, ...]:
    """The hard cards of the store's hardest-first list (most lapses, then lowest
    recall: the hard ones are its head, so its limit still holds)."""
    return tuple(c for c in cards if is_hard(c, desired_retention))


def gather(
    ctx: StatsContext, deck: str | None = None, tag: str | None = None, since: date | None = None
) -> Stats:
    """Every figure for a scope, read on a connection of its own."""
    q = ctx.query(deck, tag, since)
    with ctx.open() as reader:
        raw = reader.fetch(q, ctx.leech_threshold)
    return assemble(raw, q, ctx.now, ctx.desired_retention)


def weakest_uids(
    ctx: StatsContext, deck: str | None = None, tag: str | None = None, limit: int = 20
) -> list[str]:
    """The cards of a deck or tag most worth a session now (lowest recall first)."""
    with ctx.open() as reader:
        return reader.weakest_uids(ctx.query(deck, tag), limit)
