"""A review session's steps over the backend, without a screen: start, next
card, rate, undo, suspend, bury, re-sync an edited deck. The review screen
shows what these return; the counts they keep (ratings given, what undo takes
back) are what the progress bar reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from cuecards.errors import UsageError
from cuecards.ui.editor import EditorMissing
from cuecards.ui.widgets.notice_text import short_paths

if TYPE_CHECKING:
    from cuecards.session import ReviewSession, Service
    from cuecards.ui.backend import Backend
    from cuecards.views import CardView, QueueCounts, RateResult, SessionSummary, SyncReport

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Notice:
    """Something to tell the user in a notification."""

    text: str
    title: str = ""
    severity: Literal["information", "warning", "error"] = "information"
    timeout: float = 10


def check_deck(known: list[str], deck: str) -> None:
    """Raise a UsageError unless ``deck`` is a deck id in ``known`` or a folder of them."""
    wanted = deck.strip("/")
    if not any(k == wanted or k.startswith(wanted + "/") for k in known):
        raise UsageError(f"no deck {deck!r}; decks are: {', '.join(known)}")


def labels_delay(card: CardView, now: datetime) -> float | None:
    """Seconds until ``card``'s rating labels stop being true (None: never),
    so a timer can fetch fresh ones with :meth:`ReviewFlow.relabel`."""
    if card.labels_expire is None:
        return None
    return max(0.0, (card.labels_expire - now).total_seconds())


class ReviewFlow:
    """One session's service calls, in order, on the service thread."""

    def __init__(
        self,
        backend: Backend,
        deck: str | None = None,
        tag: str | None = None,
        uids: list[str] | None = None,
    ) -> None:
        """A session over every deck, or only ``deck`` or ``tag``, or exactly ``uids``."""
        self.backend = backend
        self.deck = deck
        self.tag = tag
        self.uids = uids
        self.session: ReviewSession | None = None
        #: ratings given (and not undone) in this session
        self.done = 0
        #: what each undoable step was, newest last (undo of a suspend gives back no rating)
        self._steps: list[Literal["rated", "aside"]] = []

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.backend.call(fn, *args, **kwargs)

    async def _service(self) -> Service:
        return await self.backend.ready()

    async def start(self) -> None:
        """Open the session (a CuecardsError when its deck or tag does not exist)."""
        service = await self._service()
        if self.deck:
            check_deck([d.deck_id for d in (await self._call(service.home)).decks], self.deck)
        self.session = await self._call(
            service.start_session, deck=self.deck, tag=self.tag, uids=self.uids
        )

    def _open(self) -> ReviewSession:
        assert self.session is not None, "start() first"
        return self.session

    async def next(self) -> tuple[CardView | None, QueueCounts]:
        """The next card (None when the session is over) and what is left."""
        session = self._open()
        card = await self._call(session.next_card)
        return card, await self._call(session.remaining)

    async def remaining(self) -> QueueCounts:
        """What is left today in this session."""
        return await self._call(self._open().remaining)

    async def summary(self) -> SessionSummary | None:
        """What the session did (None before it started)."""
        if self.session is None:
            return None
        return await self._call(self.session.summary)

    async def rate(
        self,
        uid: str,
        rating: int,
        duration_ms: int,
        answer: str | None = None,
        grade: dict[str, Any] | None = None,
    ) -> RateResult:
        """Rate ``uid``; returns once the rating is committed (else raises)."""
        session = self._open()
        result = await self._call(
            session.rate, uid, rating, duration_ms, answer=answer, grade=grade
        )
        self.done += 1
        self._steps.append("rated")
        return result

    async def undo(self) -> CardView | None:
        """Take back the last step; the card it gives back, or None."""
        card = await self._call(self._open().undo)
        if card is not None and self._steps and self._steps.pop() == "rated":
            self.done = max(0, self.done - 1)
        return card

    async def relabel(self, card: CardView) -> CardView | None:
        """``card`` again with each rating's interval as of now, for when its
        labels expire (the study day turned) while it is on screen; None when
        it is no longer the card the session is showing."""
        view = await self._call(self._open().next_card)
        return view if view is not None and view.item.uid == card.item.uid else None

    async def set_aside(self, uid: str, how: Literal["suspend", "bury"]) -> None:
        """Suspend ``uid``, or bury it until tomorrow."""
        session = self._open()
        await self._call(session.suspend if how == "suspend" else session.bury, uid)
        self._steps.append("aside")

    async def edit(
        self, card: CardView, open_editor: Callable[[Path, int], int]
    ) -> tuple[list[Notice], bool | None]:
        """Open ``card``'s deck file with ``open_editor`` at its line, then read
        the file again. A shipped deck is first copied into the user's deck
        folder (:meth:`Service.own_copy`) and the copy is what opens. Returns
        what to tell the user (the sync's new notes among it), and whether the
        file loaded (None: it was not read again, the card stays as it is)."""
        service = await self._service()
        deck_id = card.item.deck_id
        notices: list[Notice] = []
        path: Path | None
        if await self._call(service.is_shipped, deck_id):
            # Nothing edits the decks that come with cuecards: the user's own
            # copy replaces the shipped deck (history kept) and is what opens.
            path, _copied = await self._call(service.own_copy, deck_id)
            where = short_paths(str(path))
            notices.append(Notice(f"Editing your copy: {where} (it replaces the shipped deck)"))
        else:
            path = card.deck_path or await self._call(service.deck_file, deck_id)
        if path is None:
            return [Notice("This card's deck file is not on disk.", severity="warning")], None
        before = set(service.sync_notes)  # said already: the home screen shows them
        try:
            code = open_editor(path, card.item.line)
        except EditorMissing as e:
            return [*notices, Notice(e.message, title="No editor", severity="error")], None
        if code != 0:
            notices.append(Notice(f"The editor exited with status {code}.", severity="warning"))
        report: SyncReport = await self._call(service.resync_file, path)
        if report.errors:
            notices.append(
                Notice(
                    report.errors[0].first,
                    title="The deck did not load",
                    severity="error",
                    timeout=15,
                )
            )
        fresh = [n for n in report.notes if n not in before]  # what this edit did
        if fresh:
            from cuecards.service.today import brief_notes

            notices.append(Notice("\n".join(brief_notes(fresh)), title="Deck sync"))
        return notices, not report.errors
