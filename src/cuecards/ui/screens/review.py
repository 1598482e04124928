"""The review session: one card at a time, rated, committed, next.

States (each a CSS class on the screen, so ``app.tcss`` decides what shows):
``-loading``, ``-question`` (recall/cloze front), ``-answer`` (revealed,
rate 1-4), ``-typing`` (drill answer), ``-graded`` (drill checked, rate 1-4).
A rating is awaited until the service has committed it; only then is the next
card asked for and shown, with a "saved" line.

The screen receives what it calls (the backend, the clock, the editor) and
posts what the app decides: :class:`ReviewScreen.Finished`,
:class:`ReviewScreen.Left`, :class:`ReviewScreen.Failed`. Its keys are in
:mod:`cuecards.ui.screens.review_keys`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, LoadingIndicator, ProgressBar, Static

from cuecards.errors import CuecardsError
from cuecards.ui.editor import EditorRunner, edit_in_terminal, run_editor
from cuecards.ui.screens.review_flow import ReviewFlow
from cuecards.ui.screens.review_keys import STATES, State
from cuecards.ui.screens.review_live import LiveSession
from cuecards.ui.widgets.card_text import (
    answer_content,
    counts_content,
    deck_content,
    kind_content,
    prompt_content,
)
from cuecards.ui.widgets.drill_timer import DrillTimer
from cuecards.ui.widgets.grade_view import GradeView
from cuecards.ui.widgets.key_bar import KeyBar
from cuecards.ui.widgets.rating_bar import RatingBar
from cuecards.views import RATING_NAMES, CardView, QueueCounts, SessionSummary

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from cuecards.clock import Clock
    from cuecards.grading import Grade
    from cuecards.service.custom import CustomChoice
    from cuecards.session import ReviewSession
    from cuecards.ui.backend import Backend

#: ``milestone(name)``: a moment of the screen's life ("shown", "rated"), for a benchmark
Milestone = Callable[[str], None]


class ReviewScreen(LiveSession):
    """Today's session (or one deck's, or one tag's, or a list of cards)."""

    class Finished(Message):
        """The session is over (or had nothing to show): show its summary."""

        def __init__(self, summary: SessionSummary | None, empty: bool) -> None:
            super().__init__()
            self.summary = summary
            self.empty = empty

    class Left(Message):
        """The user left before rating anything: back home."""

    class Failed(Message):
        """The session could not start (a bad deck or tag, a broken database)."""

        def __init__(self, error: CuecardsError) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        backend: Backend,
        clock: Clock,
        *,
        deck: str | None = None,
        tag: str | None = None,
        uids: list[str] | None = None,
        label: str | None = None,
        editor: EditorRunner = run_editor,
        live_timer: bool = True,
        milestone: Milestone | None = None,
        custom: CustomChoice | None = None,
    ) -> None:
        """A session over every deck, or only ``deck`` or ``tag``, or exactly
        ``uids``, or the custom study ``custom``.

        Args:
            backend: The service's thread; every call goes through it.
            clock: Now, UTC-aware; the time taken per card and the drill timer use it.
            deck: One deck id (or a folder of decks).
            tag: One tag.
            uids: Exactly these cards (the weakest of a deck, say).
            label: Said in the title (what ``uids`` are).
            editor: Runs an editor on a deck file at a line (``ctrl+o``).
            live_timer: Tick the drill timer every second (tests turn it off).
            milestone: Told when a card is on screen ("shown") and when a
                rating key was pressed ("rated").
        """
        super().__init__()
        if custom is not None:
            from cuecards.ui.screens.custom_study import CustomFlow

            self.flow: ReviewFlow = CustomFlow(backend, custom)
        else:
            self.flow = ReviewFlow(backend, deck=deck, tag=tag, uids=uids)
        self.backend = backend
        self.clock = clock
        self.deck = deck
        self.tag = tag
        self.uids = uids
        self.label = label
        self.editor = editor
        self.live_timer = live_timer
        self.milestone = milestone
        self.state: State = "loading"
        self.busy = False
        self.card: CardView | None = None
        self.grade: Grade | None = None
        self.typed = ""
        self._shown_at = 0.0
        #: the last drill rated: (uid, typed answer, seconds taken), for undo
        self._last_drill: tuple[str, str, float] | None = None

    @property
    def session(self) -> ReviewSession | None:
        """The service's session, once started."""
        return self.flow.session

    @property
    def done(self) -> int:
        """Ratings given (and not undone) in this session."""
        return self.flow.done

    def compose(self) -> ComposeResult:
        yield Header()
        # kind, state and timer first: a long deck title is what gets cut short
        with Horizontal(id="status"):
            yield Static("", id="kind")
            yield DrillTimer(id="timer")
            yield Static("", id="where")
            yield Static("", id="counts")
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        with VerticalScroll(id="card"):
            yield LoadingIndicator(id="card-loading")
            yield Static("", id="prompt")
            yield Static("", id="answer")
            yield GradeView("", id="grade")
        yield Static("", id="saved")
        with Horizontal(id="actions"):
            # Buttons are for the mouse; keys go to the screen's bindings, so
            # enter always means the one action the footer names.
            yield Button("Show answer (space)", id="reveal", variant="primary")
            yield Button("Submit (ctrl+s)", id="submit", variant="primary")
            yield RatingBar(id="ratings")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = (
            "Review"
            + (f" · {self.deck}" if self.deck else "")
            + (f" · #{self.tag}" if self.tag else "")
            + (f" · {self.label}" if self.label else "")
        )
        for button in self.query(Button):
            button.can_focus = False
        self.query_one("#card").can_focus = False
        self._set_state("loading")
        # The footer offers scrolling only while the card body overflows.
        self.watch(self.query_one("#card"), "virtual_size", self._body_resized, init=False)
        self.run_worker(self._begin(), group="review")

    def _mark(self, name: str) -> None:
        if self.milestone is not None:
            self.milestone(name)

    # ---- state and display -------------------------------------------------

    def _elapsed_s(self) -> float:
        return max(0.0, self.clock().timestamp() - self._shown_at)

    def _set_state(self, state: State) -> None:
        self.state = state
        for s in STATES:
            self.set_class(s == state, f"-{s}")
        self.refresh_bindings()

    def show_progress(self, done: int, total: int) -> None:
        """Sync progress from the app, while the first card is loading."""
        if self.state == "loading" and not self.backend.is_ready():
            self._say(f"Loading decks {done}/{total}…")

    def _say(self, text: str) -> None:
        """The line under the card: what happened to the previous card (or to
        this one, after an undo); cleared once this card is revealed or submitted."""
        self.query_one("#saved", Static).update(text)

    def _show_counts(self, counts: QueueCounts) -> None:
        self.query_one("#counts", Static).update(counts_content(counts))
        self.query_one("#progress", ProgressBar).update(
            total=max(1, self.done + counts.total), progress=self.done
        )

    async def _show_card(self, card: CardView, keep: tuple[str, float] | None = None) -> None:
        """Show ``card``; ``keep`` = (typed answer, seconds already taken) puts
        a drill back as it was (after ``e``, or an undone rating)."""
        if self.state == "loading":
            self._say("")  # "Loading decks n/N…" speaks of no card
        self.card = card
        self.grade = None
        self.typed = ""
        self._shown_at = self.clock().timestamp() - (keep[1] if keep else 0.0)
        self.query_one("#kind", Static).update(kind_content(card))
        self.query_one("#where", Static).update(deck_content(card))
        self.query_one("#prompt", Static).update(prompt_content(card))
        body = self.query_one("#card", VerticalScroll)
        body.scroll_home(animate=False)
        self.query_one(DrillTimer).stop()
        if card.item.kind == "drill":
            area = await self._text_area()
            area.text = keep[0] if keep else ""
            area.move_cursor(area.document.end)
            self._set_state("typing")
            area.focus()
            if card.item.time_limit:
                self.query_one(DrillTimer).start(
                    card.item.time_limit, self._elapsed_s, live=self.live_timer
                )
        else:
            self._set_state("question")
            self.set_focus(None)
        self.arm_relabel(card)
        if self.milestone is not None:
            self.call_after_refresh(self._mark, "shown")

    async def _text_area(self) -> TextArea:
        """The answer box, mounted the first time a drill appears."""
        from textual.widgets import TextArea

        found = self.query("#typed")
        if found:
            return found.only_one(TextArea)
        area = TextArea(id="typed", soft_wrap=True, show_line_numbers=False)
        await self.query_one("#card", VerticalScroll).mount(area, after="#prompt")
        return area

    # ---- the session -------------------------------------------------------

    async def _begin(self) -> None:
        self._say("")
        try:
            await self.flow.start()
        except CuecardsError as e:
            self.post_message(self.Failed(e))
            return
        await self._next()

    async def _next(self) -> None:
        card, counts = await self.flow.next()
        self._show_counts(counts)
        if card is None:
            await self._finish()
            return
        await self._show_card(card)

    async def _finish(self) -> None:
        summary = await self.flow.summary()
        self._mark("shown")
        self.post_message(self.Finished(summary, empty=self.done == 0))

    def _guard(self) -> bool:
        """True if a card is on screen and no service call is running."""
        return self.card is not None and self.session is not None and not self.busy

    def _run(self, work: Awaitable[None]) -> None:
        """Run one step of the session; steps never overlap (``busy``)."""
        self.busy = True

        async def step() -> None:
            try:
                await work
            except CuecardsError as e:
                self.notify(e.msg, title=e.title, severity="error", timeout=10)
            finally:
                self.busy = False

        self.run_worker(step(), group="review")

    # ---- actions -------------------------------------------------------------

    def action_reveal(self) -> None:
        """Show the answer and the four ratings, Good preselected."""
        if self.card is None or self.busy:
            return
        self.query_one("#answer", Static).update(answer_content(self.card))
        self._say("")
        ratings = self.query_one(RatingBar)
        ratings.set_intervals(self.card.intervals)
        self._set_state("answer")
        ratings.preselect(3)

    def action_submit(self) -> None:
        """Check the typed drill answer against the key points."""
        if not self._guard() or self.card is None:
            return
        from textual.widgets import TextArea

        from cuecards.grading import grade_item  # only sessions with drills pay for it

        self.typed = self.query_one("#typed", TextArea).text
        self.grade = grade_item(self.card.item, self.typed, elapsed_s=self._elapsed_s())
        self.query_one(DrillTimer).stop()
        self._say("")
        self.query_one("#prompt", Static).update(prompt_content(self.card, hint=False))
        self.query_one(GradeView).show(
            self.grade, self.typed, self.card.item.answer, self.card.item.needed
        )
        ratings = self.query_one(RatingBar)
        ratings.set_intervals(self.card.intervals)
        self._set_state("graded")
        ratings.preselect(int(self.grade.suggested))
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.set_focus(None)

    def action_toggle_point(self, index: int) -> None:
        """A point's letter after grading: the candidate corrects the grader."""
        if self.grade is None or self.card is None or index >= self.grade.total:
            return
        self.grade = self.grade.toggled(index)
        item = self.card.item
        self.query_one(GradeView).show(self.grade, self.typed, item.answer, item.needed)
        self.query_one(RatingBar).preselect(int(self.grade.suggested))

    def action_good(self) -> None:
        """Enter/space after the answer: Good."""
        self.action_rate(3)

    def action_accept(self) -> None:
        """Enter/space after grading: the drill's suggested rating."""
        if self.grade is not None:
            self.action_rate(int(self.grade.suggested))

    def action_rate(self, rating: int) -> None:
        """Rate the card; the next card shows once the rating is committed."""
        if not self._guard() or self.state not in ("answer", "graded"):
            return
        self._mark("rated")
        self._run(self._rate(rating))

    async def _rate(self, rating: int) -> None:
        assert self.card is not None and self.session is not None
        uid = self.card.item.uid
        duration_ms = int(self._elapsed_s() * 1000)
        answer = grade = None
        if self.card.item.kind == "drill" and self.grade is not None:
            answer = self.typed
            grade = self.grade.to_dict(uid)
        result = await self.flow.rate(uid, rating, duration_ms, answer=answer, grade=grade)
        self._last_drill = (uid, self.typed, duration_ms / 1000) if answer is not None else None
        name = RATING_NAMES[result.rating].title()
        practice = self.session is not None and self.session.practice
        self._say(
            f"Practice · previous card: {name}, schedule unchanged"
            if practice
            else f"✓ Saved · previous card: {name}, next in {result.interval}"
            + (" (also rated in another copy)" if result.rated_elsewhere else "")
        )
        await self._next()

    @on(RatingBar.Rated)
    def _rated_by_click(self, event: RatingBar.Rated) -> None:
        self.action_rate(event.rating)

    @on(Button.Pressed, "#reveal")
    def _reveal_clicked(self) -> None:
        self.action_reveal()

    @on(Button.Pressed, "#submit")
    def _submit_clicked(self) -> None:
        self.action_submit()

    def action_undo(self) -> None:
        """Take back the last rating (or suspend, or bury) and show that card again."""
        if self.session is not None and not self.busy:
            self._run(self._undo())

    async def _undo(self) -> None:
        card = await self.flow.undo()
        if card is None:
            self._say("")  # an earlier "Undone" would now be wrong
            self.notify("Nothing to undo in this session.")
            return
        self._show_counts(await self.flow.remaining())
        self._say("↶ Undone: this card is back")
        last, self._last_drill = self._last_drill, None
        await self._show_card(card, last[1:] if last and last[0] == card.item.uid else None)

    def action_suspend(self) -> None:
        """Suspend this card: it leaves every queue until unsuspended."""
        if self._guard():
            self._run(self._set_aside("suspend"))

    def action_bury(self) -> None:
        """Bury this card until tomorrow."""
        if self._guard():
            self._run(self._set_aside("bury"))

    async def _set_aside(self, how: Literal["suspend", "bury"]) -> None:
        assert self.card is not None
        await self.flow.set_aside(self.card.item.uid, how)
        self._say(
            "Previous card suspended: it is out of your queues"
            if how == "suspend"
            else "Previous card buried until tomorrow"
        )
        await self._next()

    def action_edit(self) -> None:
        """Open this card's deck file in the editor at its line, then re-sync it."""
        if self._guard():
            self._run(self._edit())

    async def _edit(self) -> None:
        assert self.card is not None
        notices, loaded = await self.flow.edit(
            self.card, lambda path, line: edit_in_terminal(self.app, self.editor, path, line)
        )
        for n in notices:
            self.notify(n.text, title=n.title, severity=n.severity, timeout=n.timeout)
        if loaded is None:
            return
        if loaded:
            self._say("Deck re-synced")
        await self.leave_removed()

    def action_end(self) -> None:
        """Leave the session; every rating given so far is already saved."""
        if self.busy:
            return
        if self.session is None or self.done == 0:
            self.post_message(self.Left())
            return
        self._run(self._finish())
