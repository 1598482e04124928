"""What :meth:`Service.open <cuecards.service.service.Service.open>` adds to
opening the store: the read-only guard, the check of the whole file (and the
day's backup) on its own thread, the gate that refuses writes to a damaged
file, and this copy's presence for "another copy is open"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cuecards.storage import ReadOnlyStoreError, Store
from cuecards.storage.backup import OpenCheck
from cuecards.storage.presence import Presence

#: seconds after open before the check starts on its own (past the first
#: frame); a write, or a caller asking for the result, starts it at once
CHECK_DELAY = 0.6


def open_store(path: Path, read_only: bool) -> Store:
    """The store at ``path``; unless ``read_only``, refused (ReadOnlyStoreError)
    when it cannot be written, before anything is shown."""
    store = Store.open(path, read_only=read_only)
    try:
        if not read_only and not store.writable():
            raise ReadOnlyStoreError(
                f"the database {path} is read-only (file or folder); nothing could "
                "be saved, so cuecards did not start"
            )
    except BaseException:
        store.close()
        raise
    return store


class Watch:
    """The check started at open and this copy's hold on the lock file."""

    def __init__(self, store: Store, day: date | None) -> None:
        """Start the check (and, with ``day``, that study day's backup) and
        make every write of ``store`` wait for it."""
        self.check = OpenCheck(store.path, day, delay=CHECK_DELAY)
        store.gate_writes(self.check.raise_if_damaged)
        self.presence = Presence(store.path) if not store.read_only else None

    def verify(self) -> None:
        """Wait for the check; a StoreError when the file is damaged."""
        self.check.raise_if_damaged()

    def others(self) -> bool:
        """True when another copy of cuecards holds the database."""
        return self.presence is not None and self.presence.others()

    def close(self) -> None:
        """Wait for the check (its thread reads the file), then let go of the lock."""
        self.check.wait()
        if self.presence is not None:
            self.presence.close()
