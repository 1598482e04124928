"""The service API: the only door the app and the command line use.

It joins deck loading, storage and scheduling. It knows nothing of Textual.

CONTRACT (stub: the signatures are fixed; bodies are being written):

    svc = Service.open(paths, clock=None)   # opens/creates the db; no sync yet
    report = svc.sync(progress=None)         # progress(done, total) callback
    svc.home() -> HomeSummary
    s = svc.start_session(deck=None, tag=None, uids=None) -> ReviewSession
    s.next_card() -> CardView | None          # None: nothing left today
    s.rate(uid, rating, duration_ms, answer=None, grade=None) -> RateResult
                                              # committed before it returns
    s.undo() -> CardView | None               # restores the last rating exactly
    s.suspend(uid); s.bury(uid)
    s.remaining() -> QueueCounts
    s.summary() -> SessionSummary
    svc.deck_file(deck_id) -> Path | None     # for `e` (open in editor)
    svc.resync_file(path) -> SyncReport       # after the editor closes
    svc.close()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cuecards.paths import Paths
from cuecards.views import (
    CardView,
    HomeSummary,
    QueueCounts,
    RateResult,
    SessionSummary,
    SyncReport,
)

Clock = Callable[[], datetime]


class ReviewSession:
    """One sitting: a queue for today, rated card by card."""

    def next_card(self) -> CardView | None:
        raise NotImplementedError

    def rate(
        self,
        uid: str,
        rating: int,
        duration_ms: int,
        answer: str | None = None,
        grade: dict[str, Any] | None = None,
    ) -> RateResult:
        raise NotImplementedError

    def undo(self) -> CardView | None:
        raise NotImplementedError

    def suspend(self, uid: str) -> None:
        raise NotImplementedError

    def bury(self, uid: str) -> None:
        raise NotImplementedError

    def remaining(self) -> QueueCounts:
        raise NotImplementedError

    def summary(self) -> SessionSummary:
        raise NotImplementedError


class Service:
    """Opens the database, syncs decks, and hands out review sessions."""

    @classmethod
    def open(cls, paths: Paths, clock: Clock | None = None) -> Service:
        raise NotImplementedError

    def sync(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        raise NotImplementedError

    def home(self) -> HomeSummary:
        raise NotImplementedError

    def start_session(
        self, deck: str | None = None, tag: str | None = None, uids: list[str] | None = None
    ) -> ReviewSession:
        raise NotImplementedError

    def deck_file(self, deck_id: str) -> Path | None:
        raise NotImplementedError

    def resync_file(self, path: Path) -> SyncReport:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError
