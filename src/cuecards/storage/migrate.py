"""Numbered schema migrations, each after a backup of the file.

A database's version is SQLite's ``PRAGMA user_version``. Version 0 with no
tables is a new file: the whole schema is created from
:mod:`cuecards.storage.tables` (the only import of SQLModel, paid once).
Every later step is plain SQL in :data:`STEPS`, run in its own transaction
after :func:`~cuecards.storage.connection.backup_file` has copied the file
into ``backups/`` beside it.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from cuecards.errors import StoreError
from cuecards.storage.connection import SCHEMA_VERSION, backup_file, backup_name, translate


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Every review row gets a stable, globally unique id."""
    conn.execute("ALTER TABLE reviews ADD COLUMN uid TEXT")
    ids = [r[0] for r in conn.execute("SELECT id FROM reviews WHERE uid IS NULL")]
    conn.executemany(
        "UPDATE reviews SET uid = ? WHERE id = ?", [(str(uuid.uuid4()), i) for i in ids]
    )
    conn.execute("CREATE UNIQUE INDEX ix_reviews_uid ON reviews (uid)")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Forget markers: a card's schedule replays only the reviews after its last one."""
    from cuecards.storage.browse import FORGETS_DDL

    for ddl in FORGETS_DDL:
        conn.execute(ddl)


#: ``from_version -> step`` bringing a database to ``from_version + 1``.
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring the database of ``conn`` (at ``version``) up to :data:`SCHEMA_VERSION`."""
    if version == 0:
        n = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if n:
            raise StoreError(
                f"{path} is an SQLite file but not a cuecards database; it was left untouched"
            )
        conn.execute("PRAGMA journal_mode=WAL")
        _create(path)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        return
    backup_file(conn, backup_name(path, f"before-v{version + 1}"), path)
    while version < SCHEMA_VERSION:
        step = STEPS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version={version + 1}")
            conn.execute("COMMIT")
        except BaseException as e:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise translate(e, path) from None
            raise
        version += 1


def _create(path: Path) -> None:
    from cuecards.storage import tables  # only now: it imports SQLModel

    try:
        tables.create_schema(str(path))
    except Exception as e:  # SQLAlchemy wraps sqlite3 errors in its own
        orig = getattr(e, "orig", None)
        if isinstance(orig, sqlite3.Error):
            raise translate(orig, path) from None
        raise
