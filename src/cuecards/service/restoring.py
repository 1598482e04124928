"""Restoring a backup: the service side of ``cuecards restore``."""

from __future__ import annotations

from pathlib import Path

from cuecards.errors import StoreError
from cuecards.storage.backup import restore
from cuecards.storage.presence import Presence


def restore_database(file: Path, db: Path) -> Path | None:
    """Replace ``db`` with the checked backup ``file``; where the replaced
    database was copied to. Refused while another copy of cuecards holds it."""
    presence = Presence(db) if db.parent.is_dir() else None
    try:
        if presence is not None and presence.others():
            raise StoreError(f"another copy of cuecards has {db} open; close it, then restore")
        return restore(file, db)
    finally:
        if presence is not None:
            presence.close()
