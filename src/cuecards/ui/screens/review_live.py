"""The review screen after a sync (live reload, or ``e``): cards removed from
their files leave the session, and the card on screen stays as it was, a
half-typed drill answer and its timer too."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from textual.widgets import TextArea

from cuecards.ui.screens.review_keys import ReviewKeys

if TYPE_CHECKING:
    from cuecards.session import ReviewSession
    from cuecards.ui.backend import Backend
    from cuecards.ui.screens.review_flow import ReviewFlow
    from cuecards.views import CardView, QueueCounts

GONE = "The card on screen was removed from its file: it left the session"


class LiveSession(ReviewKeys):
    """What the review screen does when its decks change under it."""

    backend: Backend
    flow: ReviewFlow
    card: CardView | None = None

    @property
    def session(self) -> ReviewSession | None:
        raise NotImplementedError

    def _say(self, text: str) -> None:
        raise NotImplementedError

    def _show_counts(self, counts: QueueCounts) -> None:
        raise NotImplementedError

    def _elapsed_s(self) -> float:
        raise NotImplementedError

    def _guard(self) -> bool:
        raise NotImplementedError

    def _run(self, work: Awaitable[None]) -> None:
        raise NotImplementedError

    async def _finish(self) -> None:
        raise NotImplementedError

    async def _show_card(self, card: CardView, keep: tuple[str, float] | None = None) -> None:
        raise NotImplementedError

    def kept_answer(self, card: CardView) -> tuple[str, float] | None:
        """(typed answer, seconds taken) while ``card`` is the drill being typed."""
        if self.card is None or card.item.uid != self.card.item.uid or self.state != "typing":
            return None
        return self.query_one("#typed", TextArea).text, self._elapsed_s()

    async def leave_removed(self) -> None:
        """After a sync: cards no longer in their files leave this session; the
        card on screen stays as it is unless it is one of them."""
        session = self.session
        if session is None or self.card is None:
            return
        gone = await self.backend.call(session.leave_removed)
        if self.card.item.uid in gone:
            self._say(GONE)
        card = await self.backend.call(session.next_card)
        self._show_counts(await self.backend.call(session.remaining))
        if card is None:
            await self._finish()
        elif self.state in ("answer", "graded") and card.item.uid == self.card.item.uid:
            self.card = card  # revealed or graded: what is shown stays
        else:
            await self._show_card(card, self.kept_answer(card))

    def decks_changed(self) -> None:
        """A deck file changed on disk and was synced (live reload)."""
        if self._guard():
            self._run(self.leave_removed())
