"""Opening the database, its guards, and the one write transaction.

Reads and writes use the standard library's :mod:`sqlite3` with plain SQL, so
that opening cuecards does not pay for importing SQLModel. The schema of
record is in :mod:`cuecards.storage.tables`, imported only to create a
database; numbered migrations are in :mod:`cuecards.storage.migrate`.

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
import math
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from cuecards.errors import StoreError
from cuecards.storage.guards import damaged_message, preflight

#: The schema version this code writes; a database with a higher one is refused.
#: v1: the first schema; v2: every review row has a stable unique id (``uid``);
#: v3: ``forgets``, the markers of "forget" (back to new, history kept).
SCHEMA_VERSION = 3

#: SQL parameters: positional or named.
Params = Sequence[Any] | dict[str, Any]

#: How long a connection waits for another copy's write (milliseconds); read
#: at open, so tests can shorten it.
BUSY_TIMEOUT_MS = 5000
#: Tables every cuecards database has (a file without them is someone else's).
CUECARDS_TABLES = frozenset({"cards", "reviews", "settings"})


class ReadOnlyStoreError(StoreError):
    """The database (or the folder holding it) cannot be written; reading may
    still work through :meth:`Store.open` with ``read_only=True``."""


def folder_message(folder: Path) -> str:
    """What to say when the data folder cannot be created or written."""
    return f"cannot write to the data folder {folder}: permission denied; use --home DIR"


def _folder_writable(folder: Path) -> bool:
    # os.access also says no on a read-only file system.
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def translate(e: sqlite3.Error, path: Path) -> StoreError:
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
        return StoreError(damaged_message(path))
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
        return conn  # type: ignore[no-any-return]  # connect(**kwargs) is typed Any
    assert error is not None
    raise translate(error, path) from None


def backup_file(conn: sqlite3.Connection, dest: Path, path: Path) -> Path:
    """Copy the database of ``conn`` to ``dest`` with SQLite's online backup API
    (a consistent copy even while another copy of cuecards writes). The copy
    is written beside ``dest`` and renamed, so a killed backup leaves no half
    file under that name."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(tmp))
        try:
            conn.backup(target)
        finally:
            target.close()
        os.replace(tmp, dest)
    except sqlite3.Error as e:
        raise translate(e, path) from None
    except OSError as e:
        raise StoreError(f"cannot write the backup {dest}: {e.strerror}") from None
    finally:
        with suppress(OSError):
            tmp.unlink()
    return dest


def backup_name(path: Path, why: str, now: datetime | None = None) -> Path:
    """Where an automatic backup of ``path`` goes: ``backups/`` beside it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return path.parent / "backups" / f"{path.stem}-{stamp}-{why}.db"


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


class Database:
    """An open connection with its guards; the base of :class:`Store`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self._conn = conn
        self._path = path
        #: opened read-only on purpose (``Store.open(..., read_only=True)``)
        self.read_only = read_only
        #: called before every write transaction; raises to refuse it
        self._write_gate: Callable[[], None] | None = None

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def gate_writes(self, gate: Callable[[], None] | None) -> None:
        """Call ``gate`` before every write transaction (it raises a
        :class:`StoreError` to refuse the write, e.g. on a damaged file)."""
        self._write_gate = gate

    @classmethod
    def open(cls, path: Path, busy_timeout_ms: int | None = None, read_only: bool = False) -> Self:
        """Open the database at ``path``, creating it (and its folder) if missing.

        With ``read_only``, an existing database is opened for reading only
        (nothing is created or migrated), even in a folder that cannot be
        written.
        """
        path = Path(path)
        if busy_timeout_ms is None:
            busy_timeout_ms = BUSY_TIMEOUT_MS
        preflight(path)
        if read_only:
            conn = connect_read_only(path, busy_timeout_ms / 1000, isolation_level=None)
            return cls._ready(cls(conn, path, read_only=True), busy_timeout_ms)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except PermissionError:
            raise ReadOnlyStoreError(folder_message(path.parent)) from None
        except OSError as e:
            if e.errno == errno.EROFS:
                raise ReadOnlyStoreError(folder_message(path.parent)) from None
            raise StoreError(f"cannot create the folder {path.parent}: {e.strerror}") from None
        if not path.exists():
            cls._create_new(path, busy_timeout_ms)
        return cls._ready(cls(cls._connect(path, busy_timeout_ms), path), busy_timeout_ms)

    @staticmethod
    def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                str(path),
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as e:
            raise translate(e, path) from None

    @classmethod
    def _create_new(cls, path: Path, busy_timeout_ms: int) -> None:
        """Make a new database beside ``path`` and link it into place whole, so
        an interrupted first start never leaves an empty file (which would be
        refused). When another copy made ``path`` meanwhile, theirs is kept."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        try:
            cls._ready(cls(cls._connect(tmp, busy_timeout_ms), tmp), busy_timeout_ms).close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
        except OSError as e:
            raise StoreError(f"cannot create the database {path}: {e.strerror}") from None
        finally:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                with suppress(OSError):
                    leftover.unlink()

    @classmethod
    def _ready(cls, db: Self, busy_timeout_ms: int) -> Self:
        try:
            db._prepare(busy_timeout_ms)
        except sqlite3.Error as e:
            db._conn.close()
            raise translate(e, db._path) from None
        except BaseException:
            db._conn.close()
            raise
        return db

    def _prepare(self, busy_timeout_ms: int) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        ensure_pow(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self._path} was written by a newer cuecards (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade cuecards. The file was left untouched."
            )
        if version > 0:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not names >= CUECARDS_TABLES:
                raise StoreError(
                    f"{self._path} is an SQLite file but not a cuecards database; "
                    "it was left untouched"
                )
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{self._path} needs upgrading by a cuecards that can write "
                    "to it; it was opened read-only and left untouched"
                )
            conn.row_factory = sqlite3.Row
            return
        if version < SCHEMA_VERSION:
            from cuecards.storage.migrate import migrate

            migrate(conn, self._path, version)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        # Rows by name for tests that read the file; storage hands out only
        # tuples turned into its own dataclasses.
        conn.row_factory = sqlite3.Row

    def writable(self) -> bool:
        """True when a write would succeed (not a read-only file, folder or mount).

        Probed by changing nothing inside a transaction that is rolled back:
        SQLite refuses the change on a connection that can only read.
        """
        if self.read_only:
            return False
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                version = self._conn.execute("PRAGMA user_version").fetchone()[0]
                self._conn.execute(f"PRAGMA user_version={int(version)}")
            finally:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error as e:
            err = translate(e, self._path)
            if isinstance(err, ReadOnlyStoreError):
                return False
            raise err from None
        return True

    def close(self) -> None:
        """Close the connection (committed work is already on disk)."""
        with suppress(sqlite3.Error):
            self._conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``); rolled back on any error."""
        if self._write_gate is not None:
            self._write_gate()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise translate(e, self._path) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as e:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise translate(e, self._path) from None
            raise

    def _q(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        try:
            return [tuple(r) for r in self._conn.execute(sql, params).fetchall()]
        except sqlite3.Error as e:
            raise translate(e, self._path) from None

    def _one(self, sql: str, params: Params = ()) -> Any:
        rows = self._q(sql, params)
        return rows[0][0] if rows else None

    def _stream(
        self, sql: str, params: Params = (), chunk: int = 2000
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of a query a chunk at a time, never all in memory."""
        try:
            cur = self._conn.execute(sql, params)
            while rows := cur.fetchmany(chunk):
                yield from (tuple(r) for r in rows)
        except sqlite3.Error as e:
            raise translate(e, self._path) from None

    # -- integrity and copies -----------------------------------------------
    def integrity_problems(self, limit: int = 20) -> list[str]:
        """SQLite's ``integrity_check``: an empty list when the file is sound."""
        rows = self._q(f"PRAGMA integrity_check({int(limit)})")
        found = [str(r[0]) for r in rows]
        return [] if found == ["ok"] else found

    def backup(self, dest: Path | None = None, why: str = "backup") -> Path:
        """A copy of the database (online backup API); by default into
        ``backups/`` in the data folder. Returns where it went."""
        target = Path(dest) if dest is not None else backup_name(self._path, why)
        return backup_file(self._conn, target, self._path)
