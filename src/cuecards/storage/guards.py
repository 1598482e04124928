"""Checks made on a database file before SQLite opens it, and the words for
a file cuecards will not use."""

from __future__ import annotations

import sys
from pathlib import Path

from cuecards.errors import StoreError

#: The first bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def afresh(path: Path) -> str:
    """How to start with a new database instead of ``path``."""
    return f"to start afresh, move {path.name} out of {path.parent} and run cuecards again"


def damaged_message(path: Path) -> str:
    """What to say about a file that is damaged or is not a cuecards database."""
    return (
        f"{path} is damaged or is not a cuecards database; it was left untouched "
        f"(`cuecards restore FILE` puts back a backup; {afresh(path)})"
    )


def preflight(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that would be lost or misread.

    A zero-length file (SQLite would quietly make it a new, empty database), a
    file that is not SQLite, and a database whose write-ahead log is gone
    while the log's index says it held changes not yet in the file (opening
    it would forget them, and the next write would make it final).
    """
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as e:
        raise StoreError(f"cannot read the database {path}: {e.strerror}") from None
    if not head:
        raise StoreError(f"{path} is empty (0 bytes), not a cuecards database; {afresh(path)}")
    if head != SQLITE_MAGIC:
        raise StoreError(damaged_message(path))
    if wal_lost(path):
        raise StoreError(
            f"the journal of {path} ({path.name}-wal) is missing, with changes that were "
            "not yet in the database; the file was left untouched. Put the -wal file "
            f"back, or `cuecards restore FILE` a backup, or {afresh(path)}"
        )


def wal_lost(path: Path) -> bool:
    """True when ``path``'s ``-shm`` index says its ``-wal`` log holds frames not
    yet copied into the database, and the ``-wal`` file is not there."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if wal.exists():
        return False
    try:
        with shm.open("rb") as f:
            head = f.read(100)
    except OSError:
        return False
    if len(head) < 100 or not head[12]:  # too short, or never initialised
        return False
    # The wal-index header is in native byte order: mxFrame at 16; the
    # checkpoint's nBackfill at 96 (after the header's two copies).
    max_frame = int.from_bytes(head[16:20], sys.byteorder)
    backfilled = int.from_bytes(head[96:100], sys.byteorder)
    return max_frame > backfilled
