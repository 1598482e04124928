"""The database: the only module that runs SQL at run time.

Reads and writes use the standard library's :mod:`sqlite3` with plain SQL, so
that opening cuecards does not pay for importing SQLModel. The schema of record
is in :mod:`cuecards.tables`, imported only to create or migrate a database.

Durability: WAL journal, ``synchronous=FULL`` (a committed rating survives a
killed process and a power cut; WAL with NORMAL would survive only the first,
and the extra fsync per rating is far below what a person notices), and a
5 s busy timeout so two copies of cuecards wait for each other instead of
failing. Every write runs in ``BEGIN IMMEDIATE ... COMMIT``.

Guards: a file that is not a database, a database from a newer cuecards, a
foreign SQLite file, a lock held too long or a full disk all become one
:class:`~cuecards.errors.StoreError`; an existing file is never recreated.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from cuecards.errors import StoreError
from cuecards.model import Item, Point
from cuecards.scheduling import CardState, from_epoch, to_epoch

SCHEMA_VERSION = 1  # kept equal to cuecards.tables.SCHEMA_VERSION (a test checks)

# The WHERE terms of the partial indexes in cuecards.tables, word for word.
STUDIED = "retired = 0 AND suspended = 0 AND reps > 0"
NEW = "retired = 0 AND suspended = 0 AND reps = 0"
_CARD_STATE_COLS = "id, state, step, stability, difficulty, due, last_review, reps, lapses"


class ReadOnlyStoreError(StoreError):
    """The database (or the folder holding it) cannot be written; reading may
    still work through :meth:`Store.open` with ``read_only=True``."""


def folder_message(folder: Path) -> str:
    """What to say when the data folder cannot be created or written."""
    return f"cannot write to the data folder {folder}: permission denied; use --home DIR"


def _folder_writable(folder: Path) -> bool:
    # os.access also says no on a read-only file system.
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


#: One review row: the rating, then the card's state before and after it.
_INSERT_REVIEW = (
    "INSERT INTO reviews(card_id, rating, reviewed_at, day, duration_ms, "
    "state_before, step_before, stability_before, difficulty_before, due_before, "
    "last_review_before, reps_before, lapses_before, state_after, step_after, "
    "stability_after, difficulty_after, due_after, last_review_after, "
    "interval_days, answer, grade, points_hit, points_total) VALUES "
    "(?,?,?,?,?, ?,?,?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?)"
)


def _translate(e: sqlite3.Error, path: Path) -> StoreError:
    """One clear message for a low-level database error."""
    text = str(e).lower()
    if (
        "readonly" in text or "read-only" in text or "unable to open" in text
    ) and not _folder_writable(path.parent):
        # SQLite only says "unable to open database file" or "readonly" when
        # it cannot create the database or its journal files beside it.
        return ReadOnlyStoreError(folder_message(path.parent))
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the database {path} is locked by another program (is cuecards open "
            "elsewhere?); nothing was changed, try again when it is closed"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"{path} is damaged or is not a cuecards database; it was left untouched "
            "(move it aside to start afresh)"
        )
    if "full" in text:
        return StoreError(f"the disk holding {path} is full; the last change was not saved")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyStoreError(f"the database {path} is read-only; nothing can be saved")
    if "unable to open" in text:
        return StoreError(f"cannot open the database {path}: {e}")
    return StoreError(f"database error in {path}: {e}")


def connect_read_only(path: Path, timeout: float = 5.0, **kwargs: Any) -> sqlite3.Connection:
    """A connection that can only read the existing database at ``path``.

    Works on a read-only file and in a folder that cannot be written: there
    SQLite cannot make the WAL's shared-memory file, so it is opened
    "immutable" (nobody can be writing to it then).
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"there is no database at {path} to read")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    error: sqlite3.Error | None = None
    for extra in ("", "&immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(
                uri + extra, uri=True, timeout=timeout, check_same_thread=False, **kwargs
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as e:
            error = e
            if conn is not None:
                conn.close()
            continue
        return conn
    assert error is not None
    raise _translate(error, path) from None


def card_state(row: sqlite3.Row | tuple[Any, ...]) -> CardState:
    """A :class:`CardState` from a row of ``_CARD_STATE_COLS``."""
    cid, state, step, stab, diff, due, last, reps, lapses = tuple(row)[:9]
    return CardState(
        card_id=cid,
        state=state,
        step=step,
        stability=stab,
        difficulty=diff,
        due=from_epoch(due),
        last_review=from_epoch(last) if last is not None else None,
        reps=reps,
        lapses=lapses,
    )


def item_content(item: Item) -> dict[str, Any]:
    """An Item as a JSON-ready dict (the ``cards.content`` column): every field,
    tuples as lists, points as ``{text, accept}``."""
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name == "points":
            value = [{"text": p.text, "accept": list(p.accept)} for p in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def content_hash(content: dict[str, Any]) -> str:
    """A hash of what the card says (not where it sits in the file)."""
    import hashlib

    core = {k: v for k, v in content.items() if k not in ("line", "uid", "note_uid", "card_id")}
    return hashlib.sha1(json.dumps(core, sort_keys=True).encode()).hexdigest()


_ITEM_FIELDS = frozenset(f.name for f in fields(Item))


def item_from_json(text: str) -> Item:
    """Rebuild an Item from the ``cards.content`` column, without YAML."""
    d = {k: v for k, v in json.loads(text).items() if k in _ITEM_FIELDS}
    d["points"] = tuple(
        Point.model_construct(text=p["text"], accept=p.get("accept", []))
        for p in d.get("points", ())
    )
    for key, value in d.items():
        if isinstance(value, list):
            d[key] = tuple(value)
    return Item(**d)


@dataclass
class CardPlan:
    """What a sync does to one deck's cards (decided in :mod:`cuecards.sync`).

    ``updates`` pairs an existing card id with the item it now is; the card
    keeps its id, so its schedule and reviews follow it.
    """

    inserts: list[tuple[int, Item]]
    updates: list[tuple[int, int, Item]]
    retire: list[int]


@dataclass(frozen=True)
class DeckRecord:
    """What the database knows of a deck file (for the unchanged-file check)."""

    id: str
    root: str
    path: str
    title: str
    size: int
    mtime_ns: int
    digest: str
    error: str | None
    retired: int


@dataclass(frozen=True)
class QueueRow:
    """A card in today's queue, without its content."""

    id: int
    uid: str
    note_uid: str
    kind: str
    state: int
    due: int
    reps: int
    group: str  # "learning", "review", "new"


class Store:
    """An open cuecards database."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        #: opened read-only on purpose (``Store.open(..., read_only=True)``)
        self.read_only = read_only

    # -- opening ------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, busy_timeout_ms: int = 5000, read_only: bool = False) -> Store:
        """Open the database at ``path``, creating it (and its folder) if missing.

        With ``read_only``, an existing database is opened for reading only
        (nothing is created or migrated), even in a folder that cannot be
        written.
        """
        path = Path(path)
        if read_only:
            return cls._open_read_only(path, busy_timeout_ms)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except PermissionError:
            raise ReadOnlyStoreError(folder_message(path.parent)) from None
        except OSError as e:
            if e.errno == errno.EROFS:
                raise ReadOnlyStoreError(folder_message(path.parent)) from None
            raise StoreError(f"cannot create the folder {path.parent}: {e.strerror}") from None
        try:
            conn = sqlite3.connect(
                str(path),
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as e:
            raise _translate(e, path) from None
        return cls._ready(cls(conn, path), busy_timeout_ms)

    @classmethod
    def _open_read_only(cls, path: Path, busy_timeout_ms: int) -> Store:
        conn = connect_read_only(path, busy_timeout_ms / 1000, isolation_level=None)
        return cls._ready(cls(conn, path, read_only=True), busy_timeout_ms)

    @classmethod
    def _ready(cls, store: Store, busy_timeout_ms: int) -> Store:
        conn = store.conn
        try:
            store._prepare(busy_timeout_ms)
        except sqlite3.Error as e:
            conn.close()
            raise _translate(e, store.path) from None
        except StoreError:
            conn.close()
            raise
        return store

    def _prepare(self, busy_timeout_ms: int) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer cuecards (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade cuecards. The file was left untouched."
            )
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} needs upgrading by a cuecards that can write "
                    "to it; it was opened read-only and left untouched"
                )
            conn.row_factory = sqlite3.Row
            return
        if version < SCHEMA_VERSION:
            if version == 0:
                n = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if n:
                    raise StoreError(
                        f"{self.path} is an SQLite file but not a cuecards database; "
                        "it was left untouched"
                    )
            conn.execute("PRAGMA journal_mode=WAL")
            from cuecards import tables  # only now: it imports SQLModel

            try:
                tables.migrate(str(self.path), version)
            except Exception as e:  # SQLAlchemy wraps sqlite3 errors in its own
                orig = getattr(e, "orig", None)
                if isinstance(orig, sqlite3.Error):
                    raise _translate(orig, self.path) from None
                raise
            conn.execute(f"PRAGMA user_version={tables.SCHEMA_VERSION}")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.row_factory = sqlite3.Row

    def writable(self) -> bool:
        """True when a write would succeed (not a read-only file, folder or mount).

        Probed by changing nothing inside a transaction that is rolled back:
        SQLite refuses the change on a connection that can only read.
        """
        if self.read_only:
            return False
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                self.conn.execute(f"PRAGMA user_version={int(version)}")
            finally:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error as e:
            err = _translate(e, self.path)
            if isinstance(err, ReadOnlyStoreError):
                return False
            raise err from None
        return True

    def close(self) -> None:
        """Close the connection (committed work is already on disk)."""
        with suppress(sqlite3.Error):
            self.conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); rolled back on any error."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _translate(e, self.path) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as e:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise _translate(e, self.path) from None
            raise

    def _q(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise _translate(e, self.path) from None

    def _one(self, sql: str, params: Any = ()) -> Any:
        rows = self._q(sql, params)
        return rows[0][0] if rows else None

    # -- settings -----------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """Stored settings (only those set), decoded from JSON."""
        return {r[0]: json.loads(r[1]) for r in self._q("SELECT key, value FROM settings")}

    def put_setting(self, key: str, value: Any) -> None:
        """Store a setting; ``None`` removes it (back to its default)."""
        with self.write() as c:
            if value is None:
                c.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                c.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )

    # -- decks --------------------------------------------------------------
    def decks(self) -> dict[str, DeckRecord]:
        """Every deck row, by id."""
        rows = self._q(
            "SELECT id, root, path, title, size, mtime_ns, digest, error, retired FROM decks"
        )
        return {r[0]: DeckRecord(*tuple(r)) for r in rows}

    def deck_path(self, deck_id: str) -> str | None:
        """The file of a deck, if known."""
        return self._one("SELECT path FROM decks WHERE id = ?", (deck_id,))

    def touch_deck(self, deck_id: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose bytes did not change."""
        with self.write() as c:
            c.execute(
                "UPDATE decks SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, deck_id)
            )

    def record_deck_error(
        self,
        deck_id: str,
        root: str,
        path: str,
        problems: list[Any],
        size: int,
        mtime_ns: int,
        digest: str,
        now: int,
    ) -> None:
        """Remember that a file failed to load; its cards are left as they are."""
        with self.write() as c:
            c.execute(
                "INSERT INTO decks(id, root, path, title, tags, digest, mtime_ns, size, error,"
                " retired, synced_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, 0, ?) "
                "ON CONFLICT(id) DO UPDATE SET root=excluded.root, path=excluded.path, "
                "digest=excluded.digest, mtime_ns=excluded.mtime_ns, size=excluded.size, "
                "error=excluded.error, retired=0, synced_at=excluded.synced_at",
                (deck_id, root, path, deck_id, digest, mtime_ns, size, json.dumps(problems), now),
            )

    def apply_deck(self, meta: dict[str, Any], plan_fn: Any, now: int) -> tuple[int, ...]:
        """Write one loaded deck file in one transaction.

        ``plan_fn(existing_rows) -> CardPlan`` decides what happens to the
        deck's cards given its current rows (id, uid, kind, variant, content,
        content_hash, auto_id, retired, line, position, tags). Returns
        (added, updated, retired, restored).
        """
        added = updated = retired = restored = 0
        with self.write() as c:
            rows = c.execute(
                "SELECT id, uid, kind, variant, content, content_hash, auto_id, retired, line, "
                "position, tags FROM cards WHERE deck_id = ?",
                (meta["id"],),
            ).fetchall()
            by_id = {r["id"]: r for r in rows}
            plan: CardPlan = plan_fn(rows)
            # identity: a card may come from another deck (a moved or split file),
            # and uids may trade places (cloze gaps, ids): free them first.
            self._identity_prepare(c, plan, by_id)
            c.execute(
                "INSERT INTO decks(id, root, path, title, description, tags, digest, mtime_ns, "
                "size, error, retired, synced_at) VALUES (?,?,?,?,?,?,?,?,?,NULL,0,?) "
                "ON CONFLICT(id) DO UPDATE SET root=excluded.root, path=excluded.path, "
                "title=excluded.title, description=excluded.description, tags=excluded.tags, "
                "digest=excluded.digest, mtime_ns=excluded.mtime_ns, size=excluded.size, "
                "error=NULL, retired=0, synced_at=excluded.synced_at",
                (
                    meta["id"],
                    meta["root"],
                    meta["path"],
                    meta["title"],
                    meta["description"],
                    json.dumps(meta["tags"]),
                    meta["digest"],
                    meta["mtime_ns"],
                    meta["size"],
                    now,
                ),
            )
            for position, item in plan.inserts:
                content = item_content(item)
                tags = json.dumps(list(item.tags))
                cur = c.execute(
                    "INSERT INTO cards(uid, deck_id, card_id, note_uid, kind, variant, content, "
                    "content_hash, tags, line, position, auto_id, retired, suspended, "
                    "buried_until, state, step, due, reps, lapses, created_at) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,1,0,?,0,0,?)",
                    (
                        item.uid,
                        item.deck_id,
                        item.card_id,
                        item.note_uid,
                        item.kind,
                        item.variant,
                        json.dumps(content),
                        content_hash(content),
                        tags,
                        item.line,
                        position,
                        int(item.auto_id),
                        now,
                        now,
                    ),
                )
                c.executemany(
                    "INSERT OR IGNORE INTO card_tags(card_id, tag) VALUES (?, ?)",
                    [(cur.lastrowid, t) for t in item.tags],
                )
                added += 1
            for card_id, position, item in plan.updates:
                old = by_id[card_id]
                content = item_content(item)
                chash = content_hash(content)
                tags = json.dumps(list(item.tags))
                if old["retired"]:
                    restored += 1
                elif chash != old["content_hash"] or old["uid"] != item.uid:
                    updated += 1
                elif (old["line"], old["position"]) == (item.line, position):
                    continue  # nothing to write
                c.execute(
                    "UPDATE cards SET uid=?, deck_id=?, card_id=?, note_uid=?, kind=?, variant=?, "
                    "content=?, content_hash=?, tags=?, line=?, position=?, auto_id=?, "
                    "retired=0 WHERE id=?",
                    (
                        item.uid,
                        item.deck_id,
                        item.card_id,
                        item.note_uid,
                        item.kind,
                        item.variant,
                        json.dumps(content),
                        chash,
                        tags,
                        item.line,
                        position,
                        int(item.auto_id),
                        card_id,
                    ),
                )
                if tags != old["tags"]:
                    c.execute("DELETE FROM card_tags WHERE card_id = ?", (card_id,))
                    c.executemany(
                        "INSERT OR IGNORE INTO card_tags(card_id, tag) VALUES (?, ?)",
                        [(card_id, t) for t in item.tags],
                    )
            for card_id in plan.retire:
                if card_id in by_id and not by_id[card_id]["retired"]:
                    c.execute("UPDATE cards SET retired = 1 WHERE id = ?", (card_id,))
                    retired += 1
        return added, updated, retired, restored

    def retire_decks(self, deck_ids: list[str]) -> int:
        """Retire decks whose files are gone, and their cards (history is kept)."""
        n = 0
        with self.write() as c:
            for deck_id in deck_ids:
                n += c.execute(
                    "UPDATE cards SET retired = 1 WHERE deck_id = ? AND retired = 0", (deck_id,)
                ).rowcount
                c.execute("UPDATE decks SET retired = 1, error = NULL WHERE id = ?", (deck_id,))
        return n

    # -- cards --------------------------------------------------------------
    def card_id_of(self, uid: str) -> int | None:
        """The numeric id of a card uid."""
        return self._one("SELECT id FROM cards WHERE uid = ?", (uid,))

    def card_row(self, card_id: int) -> sqlite3.Row | None:
        """A card with its deck's title and file, for showing it."""
        rows = self._q(
            "SELECT c.id, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, "
            "c.reps, c.lapses, c.uid, c.content, c.kind, c.note_uid, c.deck_id, "
            "d.title, d.path FROM cards c LEFT JOIN decks d ON d.id = c.deck_id "
            "WHERE c.id = ?",
            (card_id,),
        )
        return rows[0] if rows else None

    def live_tags(self) -> list[str]:
        """Every tag of a live (not retired) card, sorted."""
        return [
            r[0]
            for r in self._q(
                "SELECT DISTINCT t.tag FROM card_tags t JOIN cards c ON c.id = t.card_id "
                "WHERE c.retired = 0 ORDER BY t.tag"
            )
        ]

    def has_live_tag(self, tag: str) -> bool:
        """True when some live card has ``tag``."""
        return (
            self._one(
                "SELECT 1 FROM card_tags t JOIN cards c ON c.id = t.card_id "
                "WHERE t.tag = ? AND c.retired = 0 LIMIT 1",
                (tag,),
            )
            is not None
        )

    def set_aside(self, card_id: int, suspend: bool, until_day: int) -> tuple[int, int]:
        """Suspend a card, or bury it until study day ``until_day``, in one
        transaction; returns its (suspended, buried_until) from before, for undo."""
        with self.write() as c:
            row = c.execute(
                "SELECT suspended, buried_until FROM cards WHERE id = ?", (card_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"card {card_id} is no longer in the database")
            if suspend:
                c.execute("UPDATE cards SET suspended = 1 WHERE id = ?", (card_id,))
            else:
                c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (until_day, card_id))
        return int(row[0]), int(row[1])

    def set_flags(self, card_id: int, suspended: int, buried_until: int) -> None:
        """Put back a card's suspended flag and burial (undo of :meth:`set_aside`)."""
        with self.write() as c:
            c.execute(
                "UPDATE cards SET suspended = ?, buried_until = ? WHERE id = ?",
                (suspended, buried_until, card_id),
            )

    def suspended_cards(self) -> list[tuple[str, str, str]]:
        """(uid, deck id, content JSON) of every live suspended card, by uid."""
        return [
            (r[0], r[1], r[2])
            for r in self._q(
                "SELECT uid, deck_id, content FROM cards WHERE suspended = 1 AND retired = 0 "
                "ORDER BY uid"
            )
        ]

    def unsuspend(self, uids: list[str] | None) -> list[str]:
        """Unsuspend the named cards (None: every suspended card), in one
        transaction; returns the uids that were suspended and now are not."""
        with self.write() as c:
            if uids is None:
                found = [
                    r[0]
                    for r in c.execute("SELECT uid FROM cards WHERE suspended = 1 ORDER BY uid")
                ]
            else:
                marks = ",".join("?" * len(uids))
                found = (
                    [
                        r[0]
                        for r in c.execute(
                            f"SELECT uid FROM cards WHERE suspended = 1 AND uid IN ({marks}) "
                            "ORDER BY uid",
                            uids,
                        )
                    ]
                    if uids
                    else []
                )
            c.executemany("UPDATE cards SET suspended = 0 WHERE uid = ?", [(u,) for u in found])
        return found

    # -- queue --------------------------------------------------------------
    @staticmethod
    def _filter(deck: str | None, tag: str | None) -> tuple[str, list[Any]]:
        sql, params = "", []
        if deck:
            sql += " AND (deck_id = ? OR substr(deck_id, 1, ?) = ?)"
            params += [deck, len(deck) + 1, deck + "/"]
        if tag:
            sql += " AND id IN (SELECT card_id FROM card_tags WHERE tag = ?)"
            params.append(tag)
        return sql, params

    def queue(
        self,
        today: int,
        end: int,
        new_limit: int,
        review_limit: int,
        deck: str | None = None,
        tag: str | None = None,
    ) -> list[QueueRow]:
        """Today's candidates in one indexed query: learning due today, reviews due
        before ``end`` (oldest first) and new cards (by position, so decks mix)."""
        flt, fp = self._filter(deck, tag)
        cols = "SELECT id, uid, note_uid, kind, state, due, reps, '{g}' FROM cards WHERE "
        studied = cols + STUDIED + " AND buried_until <= ?" + flt
        new = cols.format(g="new") + NEW + " AND buried_until <= ?" + flt
        sql = (
            studied.format(g="learning") + " AND state IN (1, 3) AND due < ?"
            " UNION ALL SELECT * FROM ("
            + studied.format(g="review")
            + " AND state = 2 AND due < ? ORDER BY due LIMIT ?)"
            " UNION ALL SELECT * FROM (" + new + " ORDER BY position, deck_id LIMIT ?)"
        )
        params = [today, *fp, end, today, *fp, end, review_limit, today, *fp, new_limit]
        return [QueueRow(*tuple(r)) for r in self._q(sql, params)]

    def cram(self, uids: list[str]) -> list[QueueRow]:
        """Named cards (any schedule), in the order given; suspended/retired left out."""
        if not uids:
            return []
        marks = ",".join("?" * len(uids))
        rows = self._q(
            "SELECT id, uid, note_uid, kind, state, due, reps, "
            "CASE WHEN reps = 0 THEN 'new' ELSE 'review' END FROM cards "
            f"WHERE retired = 0 AND suspended = 0 AND uid IN ({marks})",
            uids,
        )
        order = {u: i for i, u in enumerate(uids)}
        return sorted((QueueRow(*tuple(r)) for r in rows), key=lambda r: order[r.uid])

    def done_today(self, day: int) -> tuple[int, int]:
        """(new cards introduced, review-state cards reviewed) on study day ``day``."""
        row = self._q(
            "SELECT coalesce(sum(reps_before = 0), 0), "
            "coalesce(sum(reps_before > 0 AND state_before = 2), 0) "
            "FROM reviews WHERE day = ?",
            (day,),
        )[0]
        return int(row[0]), int(row[1])

    def notes_reviewed(self, day: int) -> dict[str, set[int]]:
        """note_uid -> ids of its cards rated on study day ``day`` (for siblings)."""
        out: dict[str, set[int]] = {}
        for note, cid in self._q(
            "SELECT DISTINCT c.note_uid, c.id FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ?",
            (day,),
        ):
            out.setdefault(note, set()).add(cid)
        return out

    # -- rating -------------------------------------------------------------
    def rate(
        self,
        card_id: int,
        after_fn: Any,
        reviewed_at: int,
        day: int,
        rating: int,
        duration_ms: int | None,
        answer: str | None,
        grade: dict[str, Any] | None,
        points: tuple[int | None, int | None],
    ) -> tuple[int, CardState, CardState]:
        """Apply a rating in one transaction: re-read the card (another copy of
        cuecards may have rated it), compute ``after_fn(before)``, write both the
        card and its review row, commit. Returns (review id, before, after)."""
        with self.write() as c:
            row = c.execute(
                f"SELECT {_CARD_STATE_COLS} FROM cards WHERE id = ?", (card_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"card {card_id} is no longer in the database")
            before = card_state(row)
            after: CardState = after_fn(before)
            due, last = to_epoch(after.due), to_epoch(after.last_review or after.due)
            c.execute(
                "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, "
                "last_review=?, reps=?, lapses=? WHERE id=?",
                (
                    after.state,
                    after.step,
                    after.stability,
                    after.difficulty,
                    due,
                    last,
                    after.reps,
                    after.lapses,
                    card_id,
                ),
            )
            cur = c.execute(
                _INSERT_REVIEW,
                (
                    card_id,
                    rating,
                    reviewed_at,
                    day,
                    duration_ms,
                    before.state,
                    before.step,
                    before.stability,
                    before.difficulty,
                    to_epoch(before.due),
                    to_epoch(before.last_review) if before.last_review else None,
                    before.reps,
                    before.lapses,
                    after.state,
                    after.step,
                    after.stability,
                    after.difficulty,
                    due,
                    last,
                    (due - reviewed_at) / 86400,
                    answer,
                    json.dumps(grade) if grade is not None else None,
                    points[0],
                    points[1],
                ),
            )
            review_id = int(cur.lastrowid or 0)
        return review_id, before, after

    def undo(self, review_id: int) -> int | None:
        """Restore the card exactly as before review ``review_id`` and delete that
        review, in one transaction. Returns the card id, or None if it was gone."""
        with self.write() as c:
            r = c.execute(
                "SELECT card_id, state_before, step_before, stability_before, "
                "difficulty_before, due_before, last_review_before, reps_before, "
                "lapses_before FROM reviews WHERE id = ?",
                (review_id,),
            ).fetchone()
            if r is None:
                return None
            c.execute(
                "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, "
                "last_review=?, reps=?, lapses=? WHERE id=?",
                (*tuple(r)[1:], r[0]),
            )
            c.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        return int(r[0])

    def live_card_ids(self) -> list[int]:
        """Ids of every live (not retired) card, in id order."""
        return [r[0] for r in self._q("SELECT id FROM cards WHERE retired = 0 ORDER BY id")]

    def write_history(self, states: list[CardState], reviews: list[tuple[Any, ...]]) -> None:
        """Bulk-load made-up history (benchmarks): final card states and review
        rows in the column order of :meth:`rate`'s INSERT, in one transaction."""
        with self.write() as c:
            c.executemany(
                "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, "
                "last_review=?, reps=?, lapses=? WHERE id=?",
                [
                    (
                        a.state,
                        a.step,
                        a.stability,
                        a.difficulty,
                        to_epoch(a.due),
                        to_epoch(a.last_review) if a.last_review else None,
                        a.reps,
                        a.lapses,
                        a.card_id,
                    )
                    for a in states
                ],
            )
            c.executemany(_INSERT_REVIEW, reviews)

    # -- summaries ----------------------------------------------------------
    def deck_counts(self, today: int, end: int) -> list[sqlite3.Row]:
        """Per live deck: id, title, error, path, cards, new, learning due today,
        review due today (suspended and buried cards count only in ``cards``)."""
        # Aggregate the cards in one pass, then join: a join per deck made the
        # planner walk the whole cards index once per deck.
        return self._q(
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

    def review_days(self, limit_days: int = 4000) -> list[int]:
        """Distinct study days with reviews, newest first."""
        return [
            r[0]
            for r in self._q(
                "SELECT DISTINCT day FROM reviews ORDER BY day DESC LIMIT ?", (limit_days,)
            )
        ]

    def reviews_on(self, day: int) -> int:
        """How many ratings were given on study day ``day``."""
        return int(self._one("SELECT count(*) FROM reviews WHERE day = ?", (day,)) or 0)

    def mean_duration_ms(self) -> float | None:
        """Mean time per rating over the last 500 ratings."""
        v = self._one(
            "SELECT avg(duration_ms) FROM (SELECT duration_ms FROM reviews "
            "WHERE duration_ms > 0 ORDER BY id DESC LIMIT 500)"
        )
        return float(v) if v is not None else None

    def next_due(self, after: int) -> int | None:
        """The earliest due time after ``after`` of a studied, live card."""
        return self._one(f"SELECT min(due) FROM cards WHERE {STUDIED} AND due > ?", (after,))

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
                "SELECT stability, last_review FROM cards WHERE retired = 0 AND suspended = 0 "
                "AND reps > 0 AND stability IS NOT NULL AND last_review IS NOT NULL"
            )
        ]

    def leeches(self, threshold: int) -> list[tuple[str, int]]:
        """(uid, lapses) of live cards with at least ``threshold`` lapses, worst first."""
        return [
            (r[0], r[1])
            for r in self._q(
                "SELECT uid, lapses FROM cards WHERE retired = 0 AND lapses >= ? "
                "ORDER BY lapses DESC, uid",
                (threshold,),
            )
        ]

    def review_history(self) -> Iterator[tuple[int, int, int]]:
        """Every rating as ``(card id, study day, rating)``, by card then time,
        streamed rather than loaded at once (for fitting FSRS parameters)."""
        cur = self.conn.execute(
            "SELECT card_id, day, rating FROM reviews ORDER BY card_id, reviewed_at, id"
        )
        while rows := cur.fetchmany(5000):
            yield from ((r[0], r[1], r[2]) for r in rows)

    # -- identity (sync) ----------------------------------------------------
    _IDENTITY_COLS = (
        "id, uid, kind, variant, content, content_hash, auto_id, retired, line, position, tags"
    )

    def _identity_prepare(
        self, c: sqlite3.Connection, plan: CardPlan, by_id: dict[int, sqlite3.Row]
    ) -> None:
        """Before one deck's writes: load the rows it takes from other decks,
        and park every row holding a uid this plan writes to another row, so no
        two rows hold one uid midway (gaps and ids trade places; a card leaves
        for another deck, which gives it its new uid)."""
        target = {cid: item.uid for cid, _pos, item in plan.updates}
        wanted = list(target.values()) + [item.uid for _pos, item in plan.inserts]
        foreign = [cid for cid in target if cid not in by_id]
        holders: list[tuple[int, str]] = []
        for start in range(0, max(len(foreign), len(wanted)), 400):
            ids, uids = foreign[start : start + 400], wanted[start : start + 400]
            if ids:
                marks = ",".join("?" * len(ids))
                sql = f"SELECT {self._IDENTITY_COLS} FROM cards WHERE id IN ({marks})"
                by_id.update({r["id"]: r for r in c.execute(sql, ids)})
            if uids:
                marks = ",".join("?" * len(uids))
                sql = f"SELECT id, uid FROM cards WHERE uid IN ({marks})"
                holders += [(int(r[0]), str(r[1])) for r in c.execute(sql, uids)]
        park = [(f"~{cid}", cid) for cid, uid in holders if target.get(cid) != uid]
        c.executemany("UPDATE cards SET uid = ? WHERE id = ?", park)
        # A card leaving for another deck waits retired (so a crash before that
        # deck's write leaves no ghost card in the queue; its reviews stay).
        leaving = [(cid,) for _uid, cid in park if cid not in target]
        c.executemany("UPDATE cards SET retired = 1 WHERE id = ?", leaving)

    def card_records(self, deck_ids: list[str]) -> list[tuple[Any, ...]]:
        """Every card (live and retired) of these decks, for matching: id, uid,
        deck_id, card_id, note_uid, kind, variant, content, auto_id, retired, reps."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(deck_ids), 500):
            part = deck_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            out += [
                tuple(r)
                for r in self._q(
                    "SELECT id, uid, deck_id, card_id, note_uid, kind, variant, content, "
                    f"auto_id, retired, reps FROM cards WHERE deck_id IN ({marks})",
                    part,
                )
            ]
        return out

    def notes_known(self, note_uids: list[str]) -> set[str]:
        """Which of these note uids (``deck-id/card-id``) some card has had."""
        out: set[str] = set()
        for start in range(0, len(note_uids), 500):
            part = note_uids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._q(f"SELECT DISTINCT note_uid FROM cards WHERE note_uid IN ({marks})", part)
            out |= {str(r[0]) for r in rows}
        return out
