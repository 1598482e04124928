"""The review session: one card at a time, rated, committed, next.

States (each a CSS class on the screen, so ``app.tcss`` decides what shows):
``-loading``, ``-question`` (recall/cloze front), ``-answer`` (revealed,
rate 1-4), ``-typing`` (drill answer), ``-graded`` (drill checked, rate 1-4).
A rating is awaited until the service has committed it; only then is the next
card asked for and shown, with a "saved" line.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, LoadingIndicator, ProgressBar, Static

from cuecards.errors import CuecardsError, UsageError
from cuecards.ui.widgets.card_text import (
    answer_content,
    counts_content,
    deck_content,
    kind_content,
    prompt_content,
)
from cuecards.ui.widgets.drill_timer import DrillTimer
from cuecards.ui.widgets.grade_view import TOGGLE_KEYS, GradeView
from cuecards.ui.widgets.rating_bar import RatingBar
from cuecards.views import RATING_NAMES, CardView, QueueCounts

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from cuecards.session import ReviewSession
    from cuecards.ui.app import CuecardsApp

State = Literal["loading", "question", "answer", "typing", "graded"]
STATES: tuple[State, ...] = ("loading", "question", "answer", "typing", "graded")

# Which actions make sense in which state; the footer shows only these.
ALLOWED: dict[str, tuple[State, ...]] = {
    "reveal": ("question",),
    "good": ("answer",),
    "accept": ("graded",),
    "toggle_point": ("graded",),
    "rate": ("answer", "graded"),
    "submit": ("typing",),
    "undo": ("question", "answer", "typing", "graded"),
    "suspend": ("question", "answer", "typing", "graded"),
    "bury": ("question", "answer", "typing", "graded"),
    "edit": ("question", "answer", "typing", "graded"),
    "scroll_card": ("question", "answer", "typing", "graded"),
    "leave_box": ("typing",),
    "enter_box": ("typing",),
}
# What still makes sense while the answer box has focus.
IN_BOX = ("submit", "leave_box")

# What each scroll key does to the card body (a method of the scroll container).
SCROLLS = {
    "up": "scroll_up",
    "down": "scroll_down",
    "page_up": "scroll_page_up",
    "page_down": "scroll_page_down",
    "home": "scroll_home",
    "end": "scroll_end",
}


class ReviewScreen(Screen[None]):
    """Today's session (or one deck's, or one tag's)."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer"),
        Binding("space,enter", "good", "Good"),
        Binding("space,enter", "accept", "Accept"),
        Binding("ctrl+s", "submit", "Submit"),
        *(
            Binding(str(n), f"rate({n})", name.title(), show=False)
            for n, name in RATING_NAMES.items()
        ),
        # After grading, a letter beside each point marks it made/missed.
        *(Binding(k, f"toggle_point({i})", show=False) for i, k in enumerate(TOGGLE_KEYS)),
        Binding("u", "undo", "Undo"),
        Binding("exclamation_mark", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("e", "edit", "Edit"),
        Binding("q,escape", "end", "End"),
        # While the drill's answer box has focus it takes every printable key,
        # so the footer offers only what works there: submit, and leave the box
        # (escape means that there; out of the box it ends, as the footer says).
        Binding("escape", "leave_box", "Leave box"),
        Binding("tab", "enter_box", "Type"),
        # The focus sits on a button, so the card body would not scroll by keys
        # on its own; one footer entry (↑↓) stands for the six keys (also PgUp/PgDn,
        # Home/End).
        Binding("down", "scroll_card('down')", "Scroll", key_display="↑↓"),
        *(
            Binding(key, f"scroll_card('{how}')", show=False)
            for key, how in (
                ("up", "up"),
                ("pageup", "page_up"),
                ("pagedown", "page_down"),
                ("home", "home"),
                ("end", "end"),
            )
        ),
    ]

    app: CuecardsApp  # type: ignore[assignment]

    def __init__(
        self,
        deck: str | None = None,
        tag: str | None = None,
        uids: list[str] | None = None,
        label: str | None = None,
    ) -> None:
        """A session over every deck, or only ``deck`` or ``tag``, or exactly ``uids``."""
        super().__init__()
        self.deck = deck
        self.tag = tag
        self.uids = uids
        self.label = label
        self.state: State = "loading"
        self.busy = False
        self.session: ReviewSession | None = None
        self.card: CardView | None = None
        self.done = 0
        self.grade: Any = None
        self.typed = ""
        self._shown_at = self._now_s()
        #: seconds from each rating key to the next card painted (for the bench)
        self.rate_latencies: list[float] = []
        self._rated_at: float | None = None

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
            yield Button("Show answer (space)", id="reveal", variant="primary")
            yield Button("Submit (ctrl+s)", id="submit", variant="primary")
            yield RatingBar(id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = (
            "Review"
            + (f" · {self.deck}" if self.deck else "")
            + (f" · #{self.tag}" if self.tag else "")
            + (f" · {self.label}" if self.label else "")
        )
        self._set_state("loading")
        # The footer offers scrolling only while the card body overflows.
        self.watch(self.query_one("#card"), "virtual_size", self._body_resized, init=False)
        self.run_worker(self._begin(), group="review")

    def on_resize(self) -> None:
        self._body_resized()

    def _body_resized(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    # ---- state and display -------------------------------------------------

    def _now_s(self) -> float:
        return self.app.clock().timestamp() if self.is_attached else 0.0

    def _elapsed_s(self) -> float:
        return max(0.0, self._now_s() - self._shown_at)

    def _set_state(self, state: State) -> None:
        self.state = state
        for s in STATES:
            self.set_class(s == state, f"-{s}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        if self.in_box():
            if action not in IN_BOX:
                return False
        elif action == "leave_box":
            return False
        states = ALLOWED.get(action)
        if states is None:
            return True
        if action == "scroll_card":
            return self.state in states and self.query_one("#card").max_scroll_y > 0
        return self.state in states

    def in_box(self) -> bool:
        """True while a drill's answer box has focus (keys type text there)."""
        if self.state != "typing":
            return False
        typed = self.query("#typed")
        return bool(typed) and typed.first().has_focus

    def on_descendant_focus(self) -> None:
        # Into or out of the answer box: the footer's keys change with it.
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def show_progress(self, done: int, total: int) -> None:
        """Sync progress from the app, while the first card is loading."""
        if self.state == "loading" and not self.app.ready.is_set():
            self._say(f"Loading decks {done}/{total}…")

    def _say(self, text: str) -> None:
        """The line under the card: what happened to the previous card (or to
        this one, after an undo). Cleared once this card is revealed or
        submitted, so it never sits under a card it does not speak of."""
        self.query_one("#saved", Static).update(text)

    def _show_counts(self, counts: QueueCounts) -> None:
        self.query_one("#counts", Static).update(counts_content(counts))
        self.query_one("#progress", ProgressBar).update(
            total=max(1, self.done + counts.total), progress=self.done
        )

    async def _show_card(self, card: CardView) -> None:
        self.card = card
        self.grade = None
        self.typed = ""
        self._shown_at = self._now_s()
        self.query_one("#kind", Static).update(kind_content(card))
        self.query_one("#where", Static).update(deck_content(card))
        self.query_one("#prompt", Static).update(prompt_content(card))
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.query_one(DrillTimer).stop()
        if card.item.kind == "drill":
            area = await self._text_area()
            area.text = ""
            self._set_state("typing")
            area.focus()
            if card.item.time_limit:
                self.query_one(DrillTimer).start(
                    card.item.time_limit, self._elapsed_s, live=self.app.live_timer
                )
        else:
            self._set_state("question")
            self.query_one("#reveal", Button).focus()
        if self._rated_at is not None:
            self.call_after_refresh(self._painted, self._rated_at)
            self._rated_at = None
        self.app.first_frame_shown()

    def _painted(self, rated_at: float) -> None:
        self.rate_latencies.append(time.perf_counter() - rated_at)

    async def _text_area(self) -> TextArea:
        """The answer box, mounted the first time a drill appears."""
        found = self.query("#typed")
        if found:
            return found.first()  # type: ignore[return-value]
        from textual.widgets import TextArea

        area = TextArea(id="typed", soft_wrap=True, show_line_numbers=False)
        await self.query_one("#card", VerticalScroll).mount(area, after="#prompt")
        return area

    # ---- the session -------------------------------------------------------

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await self.app.backend.call(fn, *args, **kwargs)

    async def _begin(self) -> None:
        service = await self.app.service()
        self._say("")
        try:
            if self.deck:
                await self._check_deck(service)
            self.session = await self._call(
                service.start_session, deck=self.deck, tag=self.tag, uids=self.uids
            )
        except CuecardsError as e:
            if (
                self.app.start_mode.screen == "review"
                and self.card is None
                and not any(type(s).__name__ == "HomeScreen" for s in self.app.screen_stack)
            ):
                # `cuecards review --deck nope`: one message on the command line, exit 1
                self.app.startup_error = e
                self.app.exit(return_code=e.exit_code)
                return
            self.notify(e.msg, title=e.title, severity="error")
            self.app.go_home()
            return
        await self._next()

    async def _check_deck(self, service: Any) -> None:
        """A deck (or folder of decks) that exists, or a clear error."""
        known = [d.deck_id for d in (await self._call(service.home)).decks]
        wanted = self.deck.strip("/") if self.deck else ""
        if not any(k == wanted or k.startswith(wanted + "/") for k in known):
            raise UsageError(f"no deck {self.deck!r}; decks are: {', '.join(known)}")

    async def _next(self) -> None:
        assert self.session is not None
        card = await self._call(self.session.next_card)
        counts = await self._call(self.session.remaining)
        self._show_counts(counts)
        if card is None:
            await self._finish()
            return
        await self._show_card(card)

    async def _finish(self) -> None:
        from cuecards.ui.screens.summary import SummaryScreen

        summary = None
        if self.session is not None:
            summary = await self._call(self.session.summary)
        self.app.first_frame_shown()
        self.app.switch_screen(SummaryScreen(summary, empty=self.done == 0))

    def _guard(self) -> bool:
        """True if a card is on screen and no service call is running."""
        return self.card is not None and self.session is not None and not self.busy

    def _run(self, work: Any) -> None:
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
        from cuecards.grading import grade_item  # only sessions with drills pay for it

        self.typed = self.query_one("#typed").text  # type: ignore[attr-defined]
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

    def action_toggle_point(self, index: int) -> None:
        """A point's letter after grading: the candidate corrects the grader; the
        suggestion follows, and the corrected grade is what the rating stores."""
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
        self._rated_at = time.perf_counter()
        self._run(self._rate(rating))

    async def _rate(self, rating: int) -> None:
        assert self.card is not None and self.session is not None
        uid = self.card.item.uid
        duration_ms = int(self._elapsed_s() * 1000)
        answer = grade = None
        if self.card.item.kind == "drill" and self.grade is not None:
            answer = self.typed
            grade = self.grade.to_dict(uid)
        result = await self._call(
            self.session.rate, uid, rating, duration_ms, answer=answer, grade=grade
        )
        self.done += 1
        self._say(
            f"✓ Saved · previous card: {RATING_NAMES[result.rating].title()},"
            f" next in {result.interval}"
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
        """Take back the last rating and show that card again."""
        if self.session is not None and not self.busy:
            self._run(self._undo())

    async def _undo(self) -> None:
        assert self.session is not None
        card = await self._call(self.session.undo)
        if card is None:
            self._say("")  # an earlier "Undone" would now be wrong
            self.notify("Nothing to undo in this session.")
            return
        self.done = max(0, self.done - 1)
        self._show_counts(await self._call(self.session.remaining))
        self._say("↶ Undone: this card is back")
        await self._show_card(card)

    def action_suspend(self) -> None:
        """Suspend this card: it leaves every queue until unsuspended."""
        if self._guard():
            self._run(self._set_aside("suspend"))

    def action_bury(self) -> None:
        """Bury this card until tomorrow."""
        if self._guard():
            self._run(self._set_aside("bury"))

    async def _set_aside(self, how: Literal["suspend", "bury"]) -> None:
        assert self.card is not None and self.session is not None
        fn = self.session.suspend if how == "suspend" else self.session.bury
        await self._call(fn, self.card.item.uid)
        self._say(
            "Previous card suspended: it is out of your queues"
            if how == "suspend"
            else "Previous card buried until tomorrow"
        )
        await self._next()

    def action_edit(self) -> None:
        """Open this card's deck file in $EDITOR at its line, then re-sync it."""
        if self._guard():
            self._run(self._edit())

    async def _edit(self) -> None:
        assert self.card is not None and self.session is not None
        service = await self.app.service()
        item = self.card.item
        path = self.card.deck_path or await self._call(service.deck_file, item.deck_id)
        if path is None:
            self.notify("This card's deck file is not on disk.", severity="warning")
            return
        from cuecards.paths import is_installed_deck

        if is_installed_deck(path):
            self.notify(
                "This deck ships with cuecards: an upgrade replaces your edit. "
                "Copy it into your own --decks folder to keep changes.",
                severity="warning",
                timeout=10,
            )
        code = self.app.edit_file(path, item.line)
        if code != 0:
            self.notify(f"The editor exited with status {code}.", severity="warning")
        report = await self._call(service.resync_file, path)
        if report.errors:
            self.notify(
                report.errors[0].first, title="The deck did not load", severity="error", timeout=15
            )
        else:
            self._say("Deck re-synced")
        await self._next()

    def action_scroll_card(self, how: str) -> None:
        """Scroll the card body (prompt, answer, grading) by a line, a page or to an end."""
        body = self.query_one("#card", VerticalScroll)
        getattr(body, SCROLLS[how])(animate=False)

    def action_leave_box(self) -> None:
        """Leave the answer box, so letter keys are commands again; a stray
        escape does not throw away a half-typed answer (a second one ends)."""
        self.query_one("#submit", Button).focus()

    def action_enter_box(self) -> None:
        """Back into the drill's answer box."""
        self.query_one("#typed").focus()

    def action_end(self) -> None:
        """Leave the session; every rating given so far is already saved."""
        if self.busy:
            return
        if self.session is None or self.done == 0:
            self.app.go_home()
            return
        self._run(self._finish())
