"""Live reload: watch the deck folders while the app is open.

A :class:`DeckWatcher` runs the file-watching library on its own thread and
calls ``changed(paths)`` (on that thread) with the deck files saved, created
or deleted in one burst. It never touches the service or the screen: the app
passes a callback that only posts a message, and the app's handler syncs on
the service thread. The library is imported on the watcher's thread, after the
first frame, so start-up does not pay for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

#: what counts as a deck file
DECK_SUFFIXES = (".yaml", ".yml")
#: how long a burst of writes is gathered before it is reported (ms); an
#: editor's save (write, rename, chmod) is one burst
DEBOUNCE_MS = 250
#: how often the watcher looks at its stop flag (ms)
WAKE_MS = 200


def is_deck_file(path: str | Path) -> bool:
    """True for a ``.yaml``/``.yml`` file that is not an editor's hidden swap file."""
    p = Path(path)
    return p.suffix in DECK_SUFFIXES and not p.name.startswith((".", "#", "~"))


class DeckWatcher:
    """Watches folders on a thread; ``changed(paths)`` is called per burst."""

    def __init__(
        self,
        roots: Iterable[Path],
        changed: Callable[[list[Path]], None],
        *,
        force_polling: bool | None = None,
        poll_delay_ms: int = 300,
    ) -> None:
        self.roots = [Path(r) for r in roots if Path(r).is_dir()]
        self._changed = changed
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._polling = force_polling
        self._poll_ms = poll_delay_ms
        #: an error that stopped the watcher (the app keeps working without it)
        self.error: Exception | None = None

    def start(self) -> None:
        """Begin watching (nothing happens when no folder exists)."""
        if self._thread is None and self.roots:
            self._thread = threading.Thread(target=self._run, name="cuecards-watch", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            from watchfiles import watch

            for changes in watch(
                *self.roots,
                watch_filter=lambda _change, path: is_deck_file(path),
                debounce=DEBOUNCE_MS,
                step=50,
                stop_event=self._stop,
                rust_timeout=WAKE_MS,
                raise_interrupt=False,
                force_polling=self._polling,
                poll_delay_ms=self._poll_ms,
            ):
                paths = sorted({Path(p) for _change, p in changes})
                if paths and not self._stop.is_set():
                    self._changed(paths)
        except Exception as e:  # noqa: BLE001 - a watcher that fails only stops watching
            self.error = e

    def stop(self) -> None:
        """Stop watching and wait (briefly) for the thread to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None


def reload_line(paths: list[Path], added: int, updated: int, retired: int, error: str) -> str:
    """What a live reload did, in one line."""
    more = f" (+{len(paths) - 2})" if len(paths) > 2 else ""
    names = ", ".join(p.name for p in paths[:2]) + more
    if error:
        return f"{names} did not load: {error}"
    counts = ((added, "added"), (updated, "updated"), (retired, "removed"))
    bits = [f"{n} {what}" for n, what in counts if n]
    return f"{names} reloaded: " + (", ".join(bits) if bits else "no card changed")
