"""The check at open, the daily backup, and restoring a backup.

:class:`OpenCheck` runs on its own thread and its own read-only connection
while the app paints its first frame: SQLite's ``quick_check`` over the whole
file, then, once per study day, a copy with the online backup API into
``backups/`` beside the database (the last :data:`KEEP_DAILY` kept). A file
that fails the check is never copied (a damaged copy would push a good one
out of the seven), and the service refuses every write to it.

:func:`restore` replaces the database with a backup: the backup is checked
first (a cuecards database this version can read, sound), the current file is
copied into ``backups/``, and the new file is moved into place in one rename.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from contextlib import suppress
from datetime import date
from pathlib import Path

from cuecards.errors import StoreError
from cuecards.storage.connection import (
    CUECARDS_TABLES,
    SCHEMA_VERSION,
    backup_file,
    backup_name,
    connect_read_only,
    translate,
)
from cuecards.storage.guards import damaged_message, preflight

#: daily backups kept in ``backups/``
KEEP_DAILY = 7
#: the name part that marks a daily backup
DAILY = "daily"


def daily_name(path: Path, day: date) -> Path:
    """Where the daily backup of ``path`` for the study day ``day`` goes."""
    return path.parent / "backups" / f"{path.stem}-{day:%Y%m%d}-{DAILY}.db"


def dailies(path: Path) -> list[Path]:
    """The daily backups of ``path``, oldest first."""
    folder = path.parent / "backups"
    return sorted(folder.glob(f"{path.stem}-????????-{DAILY}.db")) if folder.is_dir() else []


def prune(path: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete all but the newest ``keep`` daily backups; returns those deleted."""
    old = dailies(path)[:-keep] if keep > 0 else dailies(path)
    for p in old:
        with suppress(OSError):
            p.unlink()
    return old


def copy_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """A consistent copy of ``conn``'s database at ``dest`` (written beside it
    and renamed: a killed copy never leaves half a file under that name)."""
    return backup_file(conn, dest, dest)


def problems(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """SQLite's ``quick_check`` (page structure, records, not index contents):
    an empty list when the file is sound."""
    found = [str(r[0]) for r in conn.execute(f"PRAGMA quick_check({int(limit)})")]
    return [] if found == ["ok"] else found


class OpenCheck:
    """The check (and the day's backup) of one database, on its own thread."""

    def __init__(self, path: Path, day: date | None, delay: float = 0.0) -> None:
        """Check ``path`` after ``delay`` seconds, or as soon as someone waits
        for the result; with ``day``, then back it up for that study day unless
        that backup exists (or the database has no review yet)."""
        self.path = Path(path)
        self.day = day
        #: the message when the file failed the check
        self.error: StoreError | None = None
        #: the daily backup written by this check, if any
        self.backup: Path | None = None
        #: seconds the check and the backup took
        self.seconds: tuple[float, float] = (0.0, 0.0)
        self._delay = delay
        self._go = threading.Event()
        self._checked = threading.Event()  # the check's answer is known
        self._thread = threading.Thread(target=self._run, name="cuecards-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import time

        # Out of the way of the first frame, unless a write or a caller is waiting.
        self._go.wait(self._delay)
        try:
            conn = connect_read_only(self.path)
        except StoreError as e:
            self.error = e
            self._checked.set()
            return
        try:
            t0 = time.perf_counter()
            found = problems(conn)
            t1 = time.perf_counter()
            if found:
                self.error = StoreError(damaged_message(self.path))
                return
            # Writes wait for the copy too (about 0.1 s on 20,000 cards, once a
            # day): the day's backup is then exactly the file as it was opened,
            # never half a session later.
            if self.day is not None and self._wants_backup(conn):
                with suppress(StoreError):  # a full disk, a read-only folder: no copy today
                    self.backup = copy_to(conn, daily_name(self.path, self.day))
                    prune(self.path)
            self.seconds = (t1 - t0, time.perf_counter() - t1)
        except sqlite3.Error as e:
            self.error = translate(e, self.path)
        finally:
            conn.close()
            self._checked.set()

    def _wants_backup(self, conn: sqlite3.Connection) -> bool:
        assert self.day is not None
        if daily_name(self.path, self.day).exists():
            return False
        return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM reviews)").fetchone()[0])

    def wait(self) -> StoreError | None:
        """Wait for the check (starting it now if it is still waiting); the
        error if the file failed it."""
        self._go.set()
        self._thread.join()
        return self.error

    def raise_if_damaged(self) -> None:
        """Wait for the check and the day's backup, and raise the check's error:
        the write gate."""
        self._go.set()
        self._checked.wait()
        if self.error is not None:
            raise self.error


def readable_backup(file: Path) -> int:
    """Check that ``file`` is a sound cuecards database this version can read;
    its schema version, or a StoreError saying what is wrong."""
    file = Path(file)
    if not file.is_file():
        raise StoreError(f"there is no file {file}")
    preflight(file)
    conn = connect_read_only(file)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{file} was written by a newer cuecards (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade cuecards to restore it"
            )
        if version < 1 or not names >= CUECARDS_TABLES:
            raise StoreError(f"{file} is not a cuecards database; nothing was restored")
        if problems(conn):
            raise StoreError(f"{file} is damaged; nothing was restored")
        return version
    except sqlite3.Error as e:
        raise StoreError(f"{file} is damaged or is not a database; nothing was restored") from e
    finally:
        conn.close()


def restore(file: Path, db: Path) -> Path | None:
    """Replace the database ``db`` with the backup ``file`` (checked first).

    The current database, if any, is copied into ``backups/`` first, byte
    for byte with its log. The new file is made beside ``db``
    and moved over it in one rename. Returns where the old database went.
    The caller makes sure no other copy of cuecards has ``db`` open.
    """
    readable_backup(file)
    db = Path(db)
    saved = _save_current(db) if db.exists() else None
    source = connect_read_only(Path(file))
    tmp = db.with_name(f".{db.name}.restore.tmp")
    try:
        copy_to(source, tmp)
    except StoreError as e:
        raise StoreError(f"{e.msg}; nothing was restored") from None
    finally:
        source.close()
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        with suppress(FileNotFoundError):
            side.unlink()
    os.replace(tmp, db)
    return saved


def _save_current(db: Path) -> Path:
    """The current database, byte for byte (with its ``-wal`` log, if any, as
    ``<copy>-wal`` beside it): nothing is lost even from a damaged file."""
    dest = backup_name(db, "before-restore")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, dest)
        wal = Path(f"{db}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{dest}-wal"))
    except OSError as e:
        raise StoreError(
            f"cannot copy {db} into {dest.parent}: {e.strerror}; nothing was restored"
        ) from None
    return dest
