"""Is another copy of cuecards open on this database?

Every copy that opens a database for writing holds a shared lock on a small
file beside it (``cuecards.db.lock``, which holds the pid of the last copy to
open it, for people). A copy asks whether it is alone by trying to turn its
shared lock into an exclusive one without waiting: the system refuses while
any other process holds the file, and releases every lock of a process that
dies, so a killed copy never looks open. Where such locks do not exist, the
answer is "no".
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def lock_path(db: Path) -> Path:
    """The lock file of the database ``db``."""
    return Path(f"{db}.lock")


#: this process's lock files, shared by every Presence on one database (a
#: POSIX lock belongs to the process, and closing any descriptor of the file
#: would drop it): path -> [file, holders]
_HELD: dict[str, list[Any]] = {}
_GUARD = threading.Lock()


def _hold(path: Path) -> IO[str] | None:
    if fcntl is None:
        return None
    try:
        f = path.open("a+", encoding="utf-8")
    except OSError:
        return None
    try:
        fcntl.lockf(f, fcntl.LOCK_SH)
    except OSError:
        f.close()
        return None
    with suppress(OSError):
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
    return f


class Presence:
    """This process's shared hold on a database's lock file."""

    def __init__(self, db: Path) -> None:
        """Hold the lock file of ``db`` (nothing is held when it cannot be made)."""
        self.path = lock_path(Path(db))
        self._key = str(self.path.resolve())
        self._file: IO[str] | None = None
        with _GUARD:
            held = _HELD.get(self._key)
            if held is not None:
                held[1] += 1
                self._file = held[0]
            elif (f := _hold(self.path)) is not None:
                _HELD[self._key] = [f, 1]
                self._file = f

    def others(self) -> bool:
        """True when another process holds the lock file (another copy is open)."""
        f = self._file
        if f is None or fcntl is None:
            return False
        with _GUARD:
            try:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            # Alone: back to shared (a POSIX lock converts in place).
            fcntl.lockf(f, fcntl.LOCK_SH)
            return False

    def close(self) -> None:
        """Let go of the lock file (the last holder in this process closes it)."""
        if self._file is None:
            return
        self._file = None
        with _GUARD:
            held = _HELD.get(self._key)
            if held is None:
                return
            held[1] -= 1
            if held[1] <= 0:
                del _HELD[self._key]
                with suppress(OSError):
                    held[0].close()


def other_copy_open(db: Path) -> bool:
    """True when some process holds ``db``'s lock file (for a command that
    does not open the database itself, such as ``restore``)."""
    if fcntl is None or not lock_path(db).exists():
        return False
    probe = Presence(db)
    try:
        return probe.others()
    finally:
        probe.close()
