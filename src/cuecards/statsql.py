"""The statistics queries: part of the storage layer.

This module and :mod:`cuecards.store` are the only places with SQL. Every
figure is aggregated by SQLite over the ``reviews`` and ``cards`` tables, so
no query loads the whole review history into Python: per-day figures group by
the stored integer study day (``reviews.day``), the forecast buckets card due
times by study-day boundaries computed in Python, and current recall
probability is computed in SQL from the FSRS-6 forgetting curve

    R = (1 + FACTOR * t / S) ** DECAY,   FACTOR = 0.9 ** (1 / DECAY) - 1

with ``t`` the whole study days since the last review, ``S`` the stability and ``DECAY``
the negated ``w[20]`` of the scheduler's parameters: the SQL function ``recall()`` that
the stats connection registers (:mod:`cuecards.scheduling.memory`). SQLite has ``pow`` only
when built with its math functions; :func:`connect` registers a Python one
when it is missing.

Statistics use their own connection (:func:`connect`), opened with
``query_only`` so nothing here can write, and usable from any one thread
(the app computes them on a worker thread while the service keeps its own).

Scope: ``deck`` (a deck id or a folder of decks) and ``tag`` narrow every
figure; ``since`` (a study day) narrows only figures made of reviews, since a
card's current state has no date.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECONDS_PER_DAY = 86400
#: days ahead at which mastery also gives the mean recall: right after study the
#: current recall of every card is 1, so it cannot tell decks apart; a week on,
#: cards with low stability (just lapsed, say) have visibly faded
HORIZON_DAYS = 7
#: days of interval (or stability) from which a card counts as mature
MATURE_DAYS = 21


@dataclass(frozen=True)
class Query:
    """What every statistics query needs: the moment, the curve and the scope.

    Attributes:
        now: Epoch seconds (UTC) that "current" recall is computed at.
        today: Today's study day number.
        decay: The forgetting curve's DECAY (negative, e.g. -0.1542).
        factor: ``0.9 ** (1 / decay) - 1``.
        deck: Only this deck, or the decks in this folder.
        tag: Only cards with this tag.
        since: Only reviews on or after this study day.
        bounds: ``(day, start, end)`` epoch bounds of the forecast's study
            days, today first; today's start is open so overdue cards count.
    """

    now: int
    today: int
    decay: float
    factor: float
    deck: str | None = None
    tag: str | None = None
    since: int | None = None
    bounds: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)

    def params(self) -> dict[str, Any]:
        """Named parameters shared by every query."""
        deck = self.deck or ""
        return {
            "now": self.now,
            "today": self.today,
            "decay": self.decay,
            "factor": self.factor,
            "deck": deck,
            "deck_len": len(deck) + 1,
            "deck_prefix": deck + "/",
            "tag": self.tag or "",
            "since": self.since if self.since is not None else -1,
        }


def connect(path: Path | str, read_only: bool = False) -> sqlite3.Connection:
    """A query-only connection to the database at ``path``, with ``pow`` available
    (``read_only``: opened so that a read-only file or folder is fine)."""
    if read_only:
        from cuecards.store import connect_read_only

        conn = connect_read_only(Path(path))
    else:
        conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    ensure_pow(conn)
    return conn


def ensure_pow(conn: sqlite3.Connection) -> bool:
    """Register ``pow(x, y)`` when this SQLite lacks math functions; True if added."""
    try:
        conn.execute("SELECT pow(2, 3)").fetchone()
        return False
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, _pow, deterministic=True)
        return True


def _pow(x: float | None, y: float | None) -> float | None:
    if x is None or y is None:
        return None
    try:
        return math.pow(x, y)
    except (ValueError, OverflowError):
        return None


# -- building blocks ----------------------------------------------------------
def card_filter(q: Query, alias: str = "c") -> str:
    """``AND ...`` limiting cards (``alias``) to the query's deck and tag."""
    sql = ""
    if q.deck:
        sql += (
            f" AND ({alias}.deck_id = :deck OR "
            f"substr({alias}.deck_id, 1, :deck_len) = :deck_prefix)"
        )
    if q.tag:
        sql += f" AND {alias}.id IN (SELECT card_id FROM card_tags WHERE tag = :tag)"
    return sql


def review_filter(q: Query, alias: str = "r", use_since: bool = True) -> str:
    """``AND ...`` limiting reviews (``alias``) to the query's scope."""
    sql = ""
    if q.deck or q.tag:
        sql += (
            f" AND {alias}.card_id IN (SELECT c.id FROM cards c WHERE 1" + card_filter(q, "c") + ")"
        )
    if use_since:
        sql += _since(q, alias)
    return sql


def recall_sql(alias: str = "c", ahead_days: int = 0) -> str:
    """SQL for a card's recall probability (NULL for an unstudied card): now, or
    ``ahead_days`` whole days from now if it is not reviewed meanwhile."""
    a = alias
    # recall(): the one formula, registered by cuecards.stats.StatsContext.connect
    return (
        f"(CASE WHEN {a}.reps > 0 THEN recall({a}.stability, {a}.last_review, "
        f"{int(ahead_days)}) END)"
    )


def mature_sql(alias: str = "c") -> str:
    """SQL that is 1 for a studied card with stability or interval of 21 days or more."""
    a = alias
    return (
        f"({a}.reps > 0 AND (coalesce({a}.stability, 0) >= {MATURE_DAYS} OR "
        f"({a}.last_review IS NOT NULL AND {a}.due - {a}.last_review >= "
        f"{MATURE_DAYS * SECONDS_PER_DAY})))"
    )


_LIVE = "c.retired = 0 AND c.suspended = 0"


def _stream(cur: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    """The rows of ``cur`` a chunk at a time, never all in memory."""
    while chunk := cur.fetchmany(2000):
        yield from (tuple(r) for r in chunk)


def _rows(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def missing_scope(conn: sqlite3.Connection, deck: str | None, tag: str | None) -> str | None:
    """A message when no card (even retired) has the deck or the tag, else None."""
    if deck:
        q = Query(now=0, today=0, decay=-0.5, factor=0.0, deck=deck)
        if (
            conn.execute(
                "SELECT 1 FROM cards c WHERE 1" + card_filter(q) + " LIMIT 1", q.params()
            ).fetchone()
            is None
        ):
            return f"no deck {deck!r} (nor a folder of decks by that name) in the database"
    if (
        tag
        and conn.execute("SELECT 1 FROM card_tags WHERE tag = ? LIMIT 1", (tag,)).fetchone() is None
    ):
        return f"no card has the tag {tag!r}"
    return None


# -- review history -------------------------------------------------------------
def daily(conn: sqlite3.Connection, q: Query) -> list[tuple[int, ...]]:
    """Per study day up to today, days with reviews only (one pass over the day
    index; totals and retention windows are sums of these few hundred rows):
    (day, reviews, duration ms, reviews of review-state cards, of which not Again)."""
    return _rows(
        conn,
        "SELECT r.day, count(*), coalesce(sum(r.duration_ms), 0), "
        "coalesce(sum(r.state_before = 2), 0), "
        "coalesce(sum(r.state_before = 2 AND r.rating > 1), 0) "
        "FROM reviews r WHERE r.day <= :today"
        + review_filter(q)
        + " GROUP BY r.day ORDER BY r.day",
        q.params(),
    )


def streaks(conn: sqlite3.Connection, q: Query) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days with reviews.

    The current run ends today, or yesterday when today has no review yet.
    Runs are found as islands: consecutive days share ``day - row_number()``.
    """
    row = conn.execute(
        "WITH d AS (SELECT DISTINCT r.day FROM reviews r WHERE r.day <= :today"
        + review_filter(q)
        + "), "
        "g AS (SELECT day, day - row_number() OVER (ORDER BY day) AS grp FROM d), "
        "runs AS (SELECT count(*) AS n, max(day) AS last FROM g GROUP BY grp) "
        "SELECT coalesce(max(CASE WHEN last >= :today - 1 THEN n END), 0), "
        "coalesce(max(n), 0) FROM runs",
        q.params(),
    ).fetchone()
    return int(row[0]), int(row[1])


def hit_rate(conn: sqlite3.Connection, q: Query) -> list[tuple[str, int, int, int]]:
    """Per deck: (deck id, graded drill reviews, points hit, points asked).

    Reviews are summed per card first (one scan), then per deck: joining every
    review to its card would look each one up by index instead.
    """
    return _rows(
        conn,
        "SELECT c.deck_id, sum(r.n), sum(r.hit), sum(r.total) FROM (SELECT r.card_id, "
        "count(*) AS n, coalesce(sum(r.points_hit), 0) AS hit, sum(r.points_total) AS total "
        "FROM reviews r NOT INDEXED WHERE r.points_total > 0"
        + _since(q)
        + " GROUP BY r.card_id) r JOIN cards c ON c.id = r.card_id WHERE 1"
        + card_filter(q)
        + " GROUP BY c.deck_id ORDER BY c.deck_id",
        q.params(),
    )


def _since(q: Query, alias: str = "r") -> str:
    return f" AND {alias}.day >= :since" if q.since is not None else ""


def review_rows(conn: sqlite3.Connection, q: Query) -> Iterator[tuple[Any, ...]]:
    """Every review in scope, oldest first, streamed: (reviewed_at, day, deck id,
    uid, kind, rating, duration ms, interval days, points hit, points total)."""
    cur = conn.execute(
        "SELECT r.reviewed_at, r.day, c.deck_id, c.uid, c.kind, r.rating, r.duration_ms, "
        "r.interval_days, r.points_hit, r.points_total FROM reviews r "
        "JOIN cards c ON c.id = r.card_id WHERE 1"
        + card_filter(q)
        + _since(q)
        + " ORDER BY r.reviewed_at, r.id",
        q.params(),
    )
    yield from _stream(cur)


# -- cards now ------------------------------------------------------------------
def forecast(conn: sqlite3.Connection, q: Query) -> list[tuple[int, int]]:
    """(day, studied live cards due that day) for each of ``q.bounds``.

    One indexed range count per day (``ix_cards_queue`` covers retired,
    suspended, state, due), rather than testing every card against every day.
    """
    if not q.bounds:
        return []
    values = ", ".join(f"({int(d)}, {int(lo)}, {int(hi)})" for d, lo, hi in q.bounds)
    return _rows(
        conn,
        f"WITH b(day, lo, hi) AS (VALUES {values}) SELECT b.day, (SELECT count(*) FROM cards c "
        "WHERE c.retired = 0 AND c.suspended = 0 AND c.state IN (1, 2, 3) "
        # the unary + keeps the planner off the new-card index (reps), which
        # would visit every studied card once per day
        "AND c.due >= b.lo AND c.due < b.hi AND +c.reps > 0"
        + card_filter(q)
        + ") FROM b ORDER BY b.day",
        q.params(),
    )


def mastery(conn: sqlite3.Connection, q: Query, by: str) -> list[tuple[Any, ...]]:
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
    return _rows(
        conn,
        f"SELECT {key}, {title}, count(*), coalesce(sum(c.reps > 0), 0), avg({recall_sql()}), "
        f"coalesce(sum({mature_sql()}), 0), coalesce(sum(c.lapses), 0), "
        f"avg({recall_sql(ahead_days=HORIZON_DAYS)}) FROM {source} "
        f"WHERE {_LIVE}" + card_filter(q) + f" GROUP BY {key} ORDER BY {key}",
        q.params(),
    )


def state_counts(conn: sqlite3.Connection, q: Query) -> dict[str, int]:
    """Cards by state: new, learning, review, relearning (live cards), suspended
    (live), retired; each card is counted once."""
    live = "c.retired = 0 AND c.suspended = 0"
    row = conn.execute(
        f"SELECT coalesce(sum({live} AND c.reps = 0), 0), "
        f"coalesce(sum({live} AND c.reps > 0 AND c.state = 1), 0), "
        f"coalesce(sum({live} AND c.reps > 0 AND c.state = 2), 0), "
        f"coalesce(sum({live} AND c.reps > 0 AND c.state = 3), 0), "
        "coalesce(sum(c.retired = 0 AND c.suspended = 1), 0), "
        "coalesce(sum(c.retired = 1), 0) FROM cards c WHERE 1" + card_filter(q),
        q.params(),
    ).fetchone()
    keys = ("new", "learning", "review", "relearning", "suspended", "retired")
    return {k: int(v) for k, v in zip(keys, row, strict=True)}


_CARD_COLS = "c.uid, c.deck_id, c.kind, c.lapses, c.reps, "


def hardest(conn: sqlite3.Connection, q: Query, limit: int = 10) -> list[tuple[Any, ...]]:
    """Studied live cards, most lapses first, then lowest recall:
    (uid, deck id, kind, lapses, reps, recall)."""
    return _rows(
        conn,
        f"SELECT {_CARD_COLS}{recall_sql()} AS rr FROM cards c WHERE {_LIVE} AND c.reps > 0"
        + card_filter(q)
        + " ORDER BY c.lapses DESC, rr IS NULL, rr, c.uid LIMIT :limit",
        {**q.params(), "limit": int(limit)},
    )


def leeches(conn: sqlite3.Connection, q: Query, threshold: int) -> list[tuple[Any, ...]]:
    """Live cards with at least ``threshold`` lapses, worst first (columns as
    :func:`hardest`)."""
    return _rows(
        conn,
        f"SELECT {_CARD_COLS}{recall_sql()} FROM cards c WHERE c.retired = 0 "
        "AND c.lapses >= :threshold" + card_filter(q) + " ORDER BY c.lapses DESC, c.uid",
        {**q.params(), "threshold": int(threshold)},
    )


def weakest_uids(conn: sqlite3.Connection, q: Query, limit: int = 20) -> list[str]:
    """Uids of the live cards in scope most worth studying now: studied cards by
    lowest current recall, then unstudied ones in deck order."""
    return [
        r[0]
        for r in conn.execute(
            f"SELECT c.uid, {recall_sql()} AS rr FROM cards c WHERE {_LIVE}"
            + card_filter(q)
            + " ORDER BY rr IS NULL, rr, c.lapses DESC, c.deck_id, c.position LIMIT :limit",
            {**q.params(), "limit": int(limit)},
        )
    ]


def card_rows(conn: sqlite3.Connection, q: Query) -> Iterator[tuple[Any, ...]]:
    """Every card in scope (retired ones too), streamed: (uid, deck id, kind, state,
    reps, lapses, stability, difficulty, due, last review, suspended, retired,
    tags JSON, recall)."""
    cur = conn.execute(
        "SELECT c.uid, c.deck_id, c.kind, c.state, c.reps, c.lapses, c.stability, "
        "c.difficulty, c.due, c.last_review, c.suspended, c.retired, c.tags, "
        f"{recall_sql()} FROM cards c WHERE 1" + card_filter(q) + " ORDER BY c.deck_id, "
        "c.position, c.uid",
        q.params(),
    )
    yield from _stream(cur)


# -- everything at once -----------------------------------------------------------
@dataclass(frozen=True)
class Raw:
    """The results of every query for one :class:`Query`, as plain tuples."""

    daily: list[tuple[int, ...]]
    streaks: tuple[int, int]
    forecast: list[tuple[int, int]]
    decks: list[tuple[Any, ...]]
    tags: list[tuple[Any, ...]]
    hit_rate: list[tuple[str, int, int, int]]
    hardest: list[tuple[Any, ...]]
    leeches: list[tuple[Any, ...]]
    states: dict[str, int]


def fetch(conn: sqlite3.Connection, q: Query, leech_threshold: int, hardest_limit: int = 10) -> Raw:
    """Run every statistics query in one read transaction (a consistent snapshot)."""
    in_tx = conn.in_transaction
    if not in_tx:
        conn.execute("BEGIN")
    try:
        return Raw(
            daily=daily(conn, q),
            streaks=streaks(conn, q),
            forecast=forecast(conn, q),
            decks=mastery(conn, q, "deck"),
            tags=mastery(conn, q, "tag"),
            hit_rate=hit_rate(conn, q),
            hardest=hardest(conn, q, hardest_limit),
            leeches=leeches(conn, q, leech_threshold),
            states=state_counts(conn, q),
        )
    finally:
        if not in_tx:
            conn.execute("COMMIT")
