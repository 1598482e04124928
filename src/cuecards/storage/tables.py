"""The database schema of record, as SQLModel tables.

These classes define the tables; they are imported only to create or migrate
the database (and by stats or export code that likes an ORM). Everyday reads
and writes go through :mod:`cuecards.storage` with plain SQL, because importing
SQLModel costs more than the whole start-up budget of the app.

Conventions:

* Every time is an INTEGER of epoch seconds in UTC (``due``, ``last_review``,
  ``reviewed_at``, ``created_at``). Local study days are INTEGER day numbers
  (``date.toordinal()`` of the local date after the rollover hour), stored next
  to the time so per-day statistics group by an integer.
* ``cards.id`` is the card's fsrs ``card_id``.
* ``cards.state`` is fsrs's ``State`` value (1 learning, 2 review,
  3 relearning); a card with ``reps == 0`` is new.
* JSON columns hold text written by :func:`json.dumps`.

The schema version lives in SQLite's ``PRAGMA user_version``
(:data:`cuecards.storage.connection.SCHEMA_VERSION`); older files are brought
up to it by :mod:`cuecards.storage.migrate`.
"""

from __future__ import annotations

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, create_engine

from cuecards.storage.browse import BROWSE_INDEX
from cuecards.storage.codec import NEW, STUDIED


class DeckRow(SQLModel, table=True):
    """One deck file seen by a sync."""

    __tablename__ = "decks"

    id: str = Field(primary_key=True, description="Deck id: path under its root, no extension.")
    root: str = Field(description="The deck folder the file was found in.")
    path: str = Field(description="The deck file.")
    title: str = ""
    description: str | None = None
    tags: str = Field(default="[]", description="JSON list of the deck's tags.")
    digest: str = Field(default="", description="sha256 of the file's bytes at the last sync.")
    mtime_ns: int = 0
    size: int = 0
    error: str | None = Field(default=None, description="First problem of the last failed load.")
    retired: int = Field(default=0, description="1 when the file has disappeared.")
    synced_at: int = 0


class CardRow(SQLModel, table=True):
    """One schedulable item (a recall card, its reverse, a cloze gap, a drill)."""

    __tablename__ = "cards"
    __table_args__ = (
        # Partial indexes: the queue reads only live cards, and studied and
        # new cards are asked for separately. Queries repeat these WHERE terms
        # word for word so that SQLite can use them.
        Index("ix_cards_sched", "state", "due", sqlite_where=text(STUDIED)),
        Index("ix_cards_due", "due", sqlite_where=text(STUDIED)),
        Index("ix_cards_new", "position", "deck_id", sqlite_where=text(NEW)),
        Index("ix_cards_deck", "deck_id"),
        Index("ix_cards_note", "note_uid"),
        # Browse: every column it filters and sorts by
        Index("ix_cards_browse", *BROWSE_INDEX),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, description="deck-id/card-id[#variant]")
    deck_id: str
    card_id: str
    note_uid: str = Field(description="Siblings share it: deck-id/card-id.")
    kind: str
    variant: str = ""
    content: str = Field(description="JSON enough to rebuild cuecards.model.Item.")
    content_hash: str = ""
    tags: str = "[]"
    line: int = 0
    position: int = Field(default=0, description="Order of the item in its deck file.")
    auto_id: int = 0
    retired: int = 0
    suspended: int = 0
    buried_until: int = Field(default=0, description="Hidden until this local day number.")
    state: int = 1
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: int = 0
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0
    created_at: int = 0


class CardTagRow(SQLModel, table=True):
    """A card's tag, one row each, for per-tag statistics and filters."""

    __tablename__ = "card_tags"
    __table_args__ = (Index("ix_card_tags_tag", "tag"),)

    card_id: int = Field(primary_key=True)
    tag: str = Field(primary_key=True)


class ReviewRow(SQLModel, table=True):
    """One rating: every fsrs ReviewLog field plus the card before and after."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_day", "day"),
        Index("ix_reviews_card", "card_id", "reviewed_at"),
        Index("ix_reviews_uid", "uid", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = Field(default=None, description="A stable, globally unique id (uuid).")
    card_id: int = Field(description="cards.id, which is fsrs's card_id.")
    rating: int = Field(description="1 again, 2 hard, 3 good, 4 easy.")
    reviewed_at: int = Field(description="Epoch seconds UTC (ReviewLog.review_datetime).")
    day: int = Field(description="Local study day number after the rollover hour.")
    duration_ms: int | None = Field(default=None, description="ReviewLog.review_duration.")
    state_before: int
    step_before: int | None = None
    stability_before: float | None = None
    difficulty_before: float | None = None
    due_before: int
    last_review_before: int | None = None
    reps_before: int = 0
    lapses_before: int = 0
    state_after: int
    step_after: int | None = None
    stability_after: float | None = None
    difficulty_after: float | None = None
    due_after: int
    last_review_after: int | None = None
    interval_days: float = Field(default=0.0, description="(due_after - reviewed_at) in days.")
    answer: str | None = Field(default=None, description="A drill's typed answer.")
    grade: str | None = Field(default=None, description="A drill's grade, JSON.")
    points_hit: int | None = None
    points_total: int | None = None


class ForgetRow(SQLModel, table=True):
    """A "forget" of a card (back to new, history kept): the card's schedule is
    the replay of its reviews after its last forget."""

    __tablename__ = "forgets"
    __table_args__ = (Index("ix_forgets_card", "card_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, description="A stable, globally unique id (uuid).")
    card_id: int
    at: int = Field(description="Epoch seconds UTC; reviews up to it no longer count.")
    day: int = Field(description="Local study day number after the rollover hour.")


class SettingRow(SQLModel, table=True):
    """One setting; the value is JSON."""

    __tablename__ = "settings"

    key: str = Field(primary_key=True)
    value: str


def create_schema(db_path: str) -> None:
    """Create every table and index in the database at ``db_path``.

    Only called for a database with ``user_version`` 0 and no tables; the
    caller sets the version afterwards.
    """
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
