"""The statistics queries, on a query-only connection of their own.

Every figure is aggregated by SQLite over the ``reviews`` and ``cards`` tables,
so no query loads the whole review history into Python: per-day figures group
by the stored integer study day (``reviews.day``), the forecast buckets card
due times by study-day boundaries computed in Python. Recall, streaks, leeches
and the scope filter are those of :mod:`cuecards.storage.queries`.

A :class:`StatsReader` is opened with ``query_only`` (nothing here can write)
and may be used from any one thread: the app computes figures on a worker
thread while the service keeps its own connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cuecards.storage.codec import live
from cuecards.storage.connection import connect_read_only, ensure_pow, translate
from cuecards.storage.queries import (
    CARD_FIGURE_COLS,
    Queries,
    Query,
    RecallFn,
    card_filter,
    mature_sql,
    recall_sql,
    review_filter,
    since_sql,
)

#: days ahead at which mastery also gives the mean recall: right after study the
#: current recall of every card is 1, so it cannot tell decks apart; a week on,
#: cards with low stability (just lapsed, say) have visibly faded
HORIZON_DAYS = 7

_LIVE = live("c")


@dataclass(frozen=True)
class Raw:
    """The results of every query for one :class:`Query`, as plain tuples."""

    daily: list[tuple[int, ...]]
    streaks: tuple[int, int]
    forecast: list[tuple[int, int]]
    decks: list[tuple[Any, ...]]
    tags: list[tuple[Any, ...]]
    hit_rate: list[tuple[Any, ...]]
    hardest: list[tuple[Any, ...]]
    leeches: list[tuple[Any, ...]]
    states: dict[str, int]


class StatsReader(Queries):
    """A query-only connection for the figures (close it when done)."""

    @classmethod
    def connect(cls, path: Path, recall: RecallFn, read_only: bool = False) -> StatsReader:
        """A query-only reader of the database at ``path`` whose SQL computes
        recall with ``recall`` (``read_only``: opened so that a read-only file
        or folder is fine)."""
        try:
            if read_only:
                conn = connect_read_only(Path(path))
            else:
                conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
            conn.execute("PRAGMA query_only=1")
            ensure_pow(conn)
        except sqlite3.Error as e:
            raise translate(e, Path(path)) from None
        reader = cls(conn, Path(path), read_only=True)
        reader.use_recall(recall)
        return reader

    def __enter__(self) -> StatsReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- review history -----------------------------------------------------
    def daily(self, q: Query) -> list[tuple[int, ...]]:
        """Per study day up to today, days with reviews only (one pass over the
        day index): (day, reviews, duration ms, reviews of review-state cards,
        of which not Again)."""
        return self._q(
            "SELECT r.day, count(*), coalesce(sum(r.duration_ms), 0), "
            "coalesce(sum(r.state_before = 2), 0), "
            "coalesce(sum(r.state_before = 2 AND r.rating > 1), 0) "
            "FROM reviews r WHERE r.day <= :today"
            + review_filter(q)
            + " GROUP BY r.day ORDER BY r.day",
            q.params(),
        )

    def hit_rate(self, q: Query) -> list[tuple[Any, ...]]:
        """Per deck: (deck id, graded drill reviews, points hit, points asked).

        Reviews are summed per card first (one scan), then per deck: joining
        every review to its card would look each one up by index instead.
        """
        return self._q(
            "SELECT c.deck_id, sum(r.n), sum(r.hit), sum(r.total) FROM (SELECT r.card_id, "
            "count(*) AS n, coalesce(sum(r.points_hit), 0) AS hit, sum(r.points_total) AS total "
            "FROM reviews r NOT INDEXED WHERE r.points_total > 0"
            + since_sql(q)
            + " GROUP BY r.card_id) r JOIN cards c ON c.id = r.card_id WHERE 1"
            + card_filter(q)
            + " GROUP BY c.deck_id ORDER BY c.deck_id",
            q.params(),
        )

    def review_rows(self, q: Query) -> Iterator[tuple[Any, ...]]:
        """Every review in scope, oldest first, streamed: (reviewed_at, day, deck id,
        uid, kind, rating, duration ms, interval days, points hit, points total)."""
        return self._stream(
            "SELECT r.reviewed_at, r.day, c.deck_id, c.uid, c.kind, r.rating, r.duration_ms, "
            "r.interval_days, r.points_hit, r.points_total FROM reviews r "
            "JOIN cards c ON c.id = r.card_id WHERE 1"
            + card_filter(q)
            + since_sql(q)
            + " ORDER BY r.reviewed_at, r.id",
            q.params(),
        )

    # -- cards now ------------------------------------------------------------
    def forecast(self, q: Query) -> list[tuple[Any, ...]]:
        """(day, studied live cards due that day) for each of ``q.bounds``: one
        indexed range count per day, rather than every card against every day."""
        if not q.bounds:
            return []
        values = ", ".join(f"({int(d)}, {int(lo)}, {int(hi)})" for d, lo, hi in q.bounds)
        return self._q(
            f"WITH b(day, lo, hi) AS (VALUES {values}) SELECT b.day, (SELECT count(*) "
            f"FROM cards c WHERE {_LIVE} AND c.state IN (1, 2, 3) "
            # the unary + keeps the planner off the new-card index (reps), which
            # would visit every studied card once per day
            "AND c.due >= b.lo AND c.due < b.hi AND +c.reps > 0"
            + card_filter(q)
            + ") FROM b ORDER BY b.day",
            q.params(),
        )

    def mastery(self, q: Query, by: str) -> list[tuple[Any, ...]]:
        """Per deck (``by="deck"``) or tag: (key, title, live cards, studied, mean
        current recall of studied cards or NULL, mature cards, lapses, mean recall
        of studied cards :data:`HORIZON_DAYS` days from now or NULL)."""
        if by == "deck":
            key, title = "c.deck_id", "coalesce(nullif(d.title, ''), c.deck_id)"
            source = "cards c LEFT JOIN decks d ON d.id = c.deck_id"
        elif by == "tag":
            key, title = "t.tag", "t.tag"
            source = "card_tags t JOIN cards c ON c.id = t.card_id"
        else:
            raise ValueError(f"mastery by {by!r}: expected 'deck' or 'tag'")
        return self._q(
            f"SELECT {key}, {title}, count(*), coalesce(sum(c.reps > 0), 0), "
            f"avg({recall_sql()}), coalesce(sum({mature_sql()}), 0), "
            f"coalesce(sum(c.lapses), 0), avg({recall_sql(ahead_days=HORIZON_DAYS)}) "
            f"FROM {source} WHERE {_LIVE}" + card_filter(q) + f" GROUP BY {key} ORDER BY {key}",
            q.params(),
        )

    def state_counts(self, q: Query) -> dict[str, int]:
        """Cards by state: new, learning, review, relearning (live cards),
        suspended (live), retired; each card is counted once."""
        row = self._q(
            f"SELECT coalesce(sum({_LIVE} AND c.reps = 0), 0), "
            f"coalesce(sum({_LIVE} AND c.reps > 0 AND c.state = 1), 0), "
            f"coalesce(sum({_LIVE} AND c.reps > 0 AND c.state = 2), 0), "
            f"coalesce(sum({_LIVE} AND c.reps > 0 AND c.state = 3), 0), "
            "coalesce(sum(c.retired = 0 AND c.suspended = 1), 0), "
            "coalesce(sum(c.retired = 1), 0) FROM cards c WHERE 1" + card_filter(q),
            q.params(),
        )[0]
        keys = ("new", "learning", "review", "relearning", "suspended", "retired")
        return {k: int(v) for k, v in zip(keys, row, strict=True)}

    def hardest(self, q: Query, limit: int = 10) -> list[tuple[Any, ...]]:
        """Studied live cards, most lapses first, then lowest recall:
        (uid, deck id, kind, lapses, reps, recall)."""
        return self._q(
            f"SELECT {CARD_FIGURE_COLS}{recall_sql()} AS rr FROM cards c "
            f"WHERE {_LIVE} AND c.reps > 0"
            + card_filter(q)
            + " ORDER BY c.lapses DESC, rr IS NULL, rr, c.uid LIMIT :limit",
            {**q.params(), "limit": int(limit)},
        )

    def weakest_uids(self, q: Query, limit: int = 20) -> list[str]:
        """Uids of the live cards in scope most worth studying now: studied cards
        by lowest current recall, then unstudied ones in deck order."""
        return [
            str(r[0])
            for r in self._q(
                f"SELECT c.uid, {recall_sql()} AS rr FROM cards c WHERE {_LIVE}"
                + card_filter(q)
                + " ORDER BY rr IS NULL, rr, c.lapses DESC, c.deck_id, c.position LIMIT :limit",
                {**q.params(), "limit": int(limit)},
            )
        ]

    def card_rows(self, q: Query) -> Iterator[tuple[Any, ...]]:
        """Every card in scope (retired ones too), streamed: (uid, deck id, kind,
        state, reps, lapses, stability, difficulty, due, last review, suspended,
        retired, tags JSON, recall)."""
        return self._stream(
            "SELECT c.uid, c.deck_id, c.kind, c.state, c.reps, c.lapses, c.stability, "
            "c.difficulty, c.due, c.last_review, c.suspended, c.retired, c.tags, "
            f"{recall_sql()} FROM cards c WHERE 1" + card_filter(q) + " ORDER BY c.deck_id, "
            "c.position, c.uid",
            q.params(),
        )

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every query inside sees the same database."""
        if self._conn.in_transaction:
            yield
            return
        self._q("BEGIN")
        try:
            yield
        finally:
            self._q("COMMIT")

    def fetch(self, q: Query, leech_threshold: int, hardest_limit: int = 10) -> Raw:
        """Run every statistics query in one read transaction (a consistent snapshot)."""
        with self.snapshot():
            return Raw(
                daily=self.daily(q),
                streaks=self.streaks(q),
                forecast=self.forecast(q),
                decks=self.mastery(q, "deck"),
                tags=self.mastery(q, "tag"),
                hit_rate=self.hit_rate(q),
                hardest=self.hardest(q, hardest_limit),
                leeches=self.leeches(q, leech_threshold),
                states=self.state_counts(q),
            )
