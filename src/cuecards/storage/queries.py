"""Read-only queries shared by the home screen and the statistics.

One copy of each: the current and longest streak, leeches, a card's recall in
SQL. The statistics (:mod:`cuecards.storage.statistics`) and the store's
summaries for the home screen both inherit :class:`Queries`, so home and stats
agree by construction.

Recall probability comes from the one recall formula: the SQL calls
``recall(stability, last_review, study_day)``, a Python function the service
registers on each connection (:meth:`Queries.use_recall`), which counts whole
study days as the scheduler does (:mod:`cuecards.scheduling.memory`).

Scope: ``deck`` (a deck id or a folder of decks) and ``tag`` narrow every
figure; ``since`` (a study day) narrows only figures made of reviews, since a
card's current state has no date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cuecards.storage.codec import STUDIED, live, scope_params, scope_sql
from cuecards.storage.connection import Database

SECONDS_PER_DAY = 86400
#: days of interval (or stability) from which a card counts as mature
MATURE_DAYS = 21


@dataclass(frozen=True)
class Query:
    """What a figure needs: the moment, the curve and the scope.

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
    decay: float = -0.1542
    factor: float = 0.9 ** (1 / -0.1542) - 1
    deck: str | None = None
    tag: str | None = None
    since: int | None = None
    bounds: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)

    def params(self) -> dict[str, Any]:
        """Named parameters shared by every query."""
        return {
            **scope_params(self.deck, self.tag),
            "now": self.now,
            "today": self.today,
            "decay": self.decay,
            "factor": self.factor,
            "since": self.since if self.since is not None else -1,
        }


def card_filter(q: Query, alias: str = "c") -> str:
    """``AND ...`` limiting cards (``alias``) to the query's deck and tag."""
    return scope_sql(q.deck, q.tag, alias)


def since_sql(q: Query, alias: str = "r") -> str:
    """``AND ...`` limiting reviews to the query's ``since``."""
    return f" AND {alias}.day >= :since" if q.since is not None else ""


def review_filter(q: Query, alias: str = "r", use_since: bool = True) -> str:
    """``AND ...`` limiting reviews (``alias``) to the query's scope."""
    sql = ""
    if q.deck or q.tag:
        sql += f" AND {alias}.card_id IN (SELECT c.id FROM cards c WHERE 1{card_filter(q)})"
    if use_since:
        sql += since_sql(q, alias)
    return sql


def recall_sql(alias: str = "c", ahead_days: int = 0) -> str:
    """SQL for a card's recall probability (NULL for an unstudied card): today,
    or ``ahead_days`` study days from today if it is not reviewed meanwhile.
    ``recall()`` is the one recall formula, registered on the connection
    (:meth:`~cuecards.storage.connection.Database.use_recall`)."""
    a = alias
    return (
        f"(CASE WHEN {a}.reps > 0 THEN recall({a}.stability, {a}.last_review, "
        f":today + {int(ahead_days)}) END)"
    )


def mature_sql(alias: str = "c") -> str:
    """SQL that is 1 for a studied card with stability or interval of 21 days or more."""
    a = alias
    return (
        f"({a}.reps > 0 AND (coalesce({a}.stability, 0) >= {MATURE_DAYS} OR "
        f"({a}.last_review IS NOT NULL AND {a}.due - {a}.last_review >= "
        f"{MATURE_DAYS * SECONDS_PER_DAY})))"
    )


#: the columns of :class:`CardFigure`
CARD_FIGURE_COLS = "c.uid, c.deck_id, c.kind, c.lapses, c.reps, "


@dataclass(frozen=True)
class DeckCount:
    """One live deck on the home screen (suspended and buried cards count only
    in ``cards``)."""

    deck_id: str
    title: str | None
    error: str | None
    path: str
    cards: int
    new: int
    learning: int
    review: int


#: ``recall(stability, last_review_epoch, study_day)``: the one recall formula
#: (:class:`cuecards.scheduling.memory.RecallOn`), called by the SQL per row
RecallFn = Callable[[float | None, int | None, int], float | None]


class Queries(Database):
    """Queries that the home screen and the statistics share."""

    def use_recall(self, recall: RecallFn) -> None:
        """Give this connection's SQL its ``recall()`` function."""
        self._conn.create_function("recall", 3, recall, deterministic=True)

    def streaks(self, q: Query) -> tuple[int, int]:
        """(current, longest) runs of consecutive study days with reviews, up to
        ``q.today`` (reviews dated later, after the clock moved back, are not
        counted). The current run ends today, or yesterday when today has no
        review yet. Runs are islands: consecutive days share ``day - row_number()``.
        """
        row = self._q(
            "WITH d AS (SELECT DISTINCT r.day FROM reviews r WHERE r.day <= :today"
            + review_filter(q)
            + "), "
            "g AS (SELECT day, day - row_number() OVER (ORDER BY day) AS grp FROM d), "
            "runs AS (SELECT count(*) AS n, max(day) AS last FROM g GROUP BY grp) "
            "SELECT coalesce(max(CASE WHEN last >= :today - 1 THEN n END), 0), "
            "coalesce(max(n), 0) FROM runs",
            q.params(),
        )[0]
        return int(row[0]), int(row[1])

    def leeches(self, q: Query, threshold: int) -> list[tuple[Any, ...]]:
        """Live cards with at least ``threshold`` lapses, worst first: (uid, deck
        id, kind, lapses, reps, recall)."""
        return self._q(
            f"SELECT {CARD_FIGURE_COLS}{recall_sql()} FROM cards c WHERE c.retired = 0 "
            "AND c.lapses >= :threshold" + card_filter(q) + " ORDER BY c.lapses DESC, c.uid",
            {**q.params(), "threshold": int(threshold)},
        )

    def missing_scope(self, deck: str | None, tag: str | None) -> str | None:
        """A message when no card (even retired) has the deck or the tag, else None."""
        if deck:
            sql = "SELECT 1 FROM cards c WHERE 1" + scope_sql(deck, None) + " LIMIT 1"
            if self._one(sql, scope_params(deck, None)) is None:
                return f"no deck {deck!r} (nor a folder of decks by that name) in the database"
        if tag and self._one("SELECT 1 FROM card_tags WHERE tag = ? LIMIT 1", (tag,)) is None:
            return f"no card has the tag {tag!r}"
        return None


class Summaries(Queries):
    """The home screen's figures and the review history."""

    def deck_counts(self, today: int, end: int) -> list[DeckCount]:
        """Per live deck: cards, new, learning due today, review due today."""
        # Aggregate the cards in one pass, then join: a join per deck made the
        # planner walk the whole cards index once per deck.
        rows = self._q(
            "SELECT d.id, d.title, d.error, d.path, coalesce(x.n, 0), coalesce(x.new, 0), "
            "coalesce(x.learn, 0), coalesce(x.rev, 0) FROM decks d LEFT JOIN ("
            " SELECT deck_id, count(*) AS n,"
            " sum(ok AND reps = 0) AS new,"
            " sum(ok AND reps > 0 AND state IN (1, 3) AND due < ?) AS learn,"
            " sum(ok AND reps > 0 AND state = 2 AND due < ?) AS rev"
            " FROM (SELECT *, (suspended = 0 AND buried_until <= ?) AS ok FROM cards"
            "       WHERE retired = 0) GROUP BY deck_id"
            ") x ON x.deck_id = d.id WHERE d.retired = 0 ORDER BY d.id",
            (end, end, today),
        )
        return [DeckCount(*r) for r in rows]

    def reviews_on(self, day: int) -> int:
        """How many ratings were given on study day ``day``."""
        return int(self._one("SELECT count(*) FROM reviews WHERE day = ?", (day,)) or 0)

    def mean_duration_ms(self) -> float | None:
        """Mean time per rating over the last 500 ratings, each counted between
        2 s and 2 min, so that one card flicked past or left on screen over
        lunch does not throw the estimate."""
        v = self._one(
            "SELECT avg(min(max(duration_ms, 2000), 120000)) FROM (SELECT duration_ms "
            "FROM reviews WHERE duration_ms > 0 ORDER BY id DESC LIMIT 500)"
        )
        return float(v) if v is not None else None

    def next_due(self, after: int) -> int | None:
        """The earliest due time after ``after`` of a studied, live card."""
        v = self._one(f"SELECT min(due) FROM cards WHERE {STUDIED} AND due > ?", (after,))
        return None if v is None else int(v)

    def due_within(self, start: int, end: int, shown_on: int, learning_only: bool = False) -> int:
        """Studied live cards due in ``[start, end)`` and not buried on study day
        ``shown_on``; with ``learning_only``, only (re)learning cards."""
        states = " AND state IN (1, 3)" if learning_only else ""
        return int(
            self._one(
                f"SELECT count(*) FROM cards WHERE {STUDIED} AND buried_until <= ? "
                f"AND due >= ? AND due < ?{states}",
                (shown_on, start, end),
            )
            or 0
        )

    def memory(self) -> list[tuple[float, int]]:
        """(stability, last_review) of every studied live card."""
        return [
            (r[0], r[1])
            for r in self._q(
                f"SELECT stability, last_review FROM cards c WHERE {live('c')} "
                "AND reps > 0 AND stability IS NOT NULL AND last_review IS NOT NULL"
            )
        ]

    def review_history(self) -> Iterator[tuple[int, int, int]]:
        """Every rating as ``(card id, study day, rating)``, by card then time,
        streamed rather than loaded at once (for fitting FSRS parameters)."""
        for r in self._stream(
            "SELECT card_id, day, rating FROM reviews ORDER BY card_id, reviewed_at, id", (), 5000
        ):
            yield int(r[0]), int(r[1]), int(r[2])
