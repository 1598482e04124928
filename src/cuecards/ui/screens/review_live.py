"""The review screen after a sync (live reload, or ``e``): cards removed from
their files leave the session, and the card on screen stays as it was, a
half-typed drill answer and its timer too."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import TextArea

from cuecards.ui.screens.review_flow import labels_delay
from cuecards.ui.screens.review_keys import ReviewKeys
from cuecards.ui.widgets.rating_bar import RatingBar

if TYPE_CHECKING:
    from cuecards.clock import Clock
    from cuecards.session import ReviewSession
    from cuecards.ui.backend import Backend
    from cuecards.ui.screens.review_flow import ReviewFlow
    from cuecards.views import CardView, QueueCounts

GONE = "The card on screen was removed from its file: it left the session"


class LiveSession(ReviewKeys):
    """What the review screen does when its decks change under it."""

    backend: Backend
    flow: ReviewFlow
    clock: Clock
    card: CardView | None = None
    _relabel_timer: Timer | None = None

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

    def arm_relabel(self, card: CardView) -> None:
        """The rating buttons promise intervals that hold until the study day
        turns: when ``card`` is still on screen then, fetch fresh ones."""
        if self._relabel_timer is not None:
            self._relabel_timer.stop()
            self._relabel_timer = None
        delay = labels_delay(card, self.clock())
        if delay is not None:
            self._relabel_timer = self.set_timer(delay + 0.5, self._relabel_due)

    def _relabel_due(self) -> None:
        self._relabel_timer = None
        if self._guard():
            self._run(self._relabel())

    async def _relabel(self) -> None:
        if self.card is None:
            return
        fresh = await self.flow.relabel(self.card)
        if fresh is None:
            return
        self.card = fresh
        self.query_one(RatingBar).set_intervals(fresh.intervals)
        self.arm_relabel(fresh)

    def decks_changed(self) -> None:
        """A deck file changed on disk and was synced (live reload)."""
        if self._guard():
            self._run(self.leave_removed())
