"""The home screen: today at a glance, and where a session starts.

It receives the backend and the clock, and posts :class:`HomeScreen.StartReview`
for the app to open a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, LoadingIndicator, ProgressBar, Static

from cuecards.errors import CuecardsError
from cuecards.ui.widgets.cells import fit, fit_middle
from cuecards.ui.widgets.key_bar import KeyBar
from cuecards.views import HomeSummary

if TYPE_CHECKING:
    from cuecards.clock import Clock
    from cuecards.ui.backend import Backend

ALL_DECKS = "__all__"
#: the widest the table grows (``max-width`` in app.tcss)
MAX_WIDTH = 110


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _when(moment: datetime, now: datetime) -> str:
    """A due time said the short way: ``now``, ``in 25m``, ``today 16:30``,
    ``tomorrow``, ``Mar 3``. From tomorrow on a card is due for the whole study
    day, so no hour is given."""
    local = moment.astimezone()
    delta = moment - now
    if delta.total_seconds() <= 0:
        return "now"
    if delta.total_seconds() < 3600:
        return f"in {max(1, round(delta.total_seconds() / 60))}m"
    today = now.astimezone().date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if (local.date() - today).days == 1:
        return "tomorrow"
    return f"{local:%b} {local.day}"


class HomeScreen(Screen[None]):
    """Due, new and learning counts per deck; one key starts today's session."""

    HELP_NOTE = "Enter on a deck (↑↓ to pick one) studies that deck alone."

    BINDINGS = [
        Binding("s", "start", "Start today", tooltip="Today's session over every deck"),
        Binding("t", "app.open_stats", "Stats", tooltip="Progress, retention, forecast"),
        Binding("c", "app.custom_study", "Custom", tooltip="More new, review ahead, cram"),
        Binding(
            "comma",
            "app.open_settings",
            "Settings",
            key_display=",",
            tooltip="Every setting, saved at once",
        ),
        Binding("r", "resync", "Reload decks", tooltip="Read the deck folders again"),
        # Hidden from the footer (the palette and ? list it): the footer stays as it was.
        Binding("b", "browse", "Browse", show=False, tooltip="Find any card"),
        Binding("l", "leeches", "Leeches", tooltip="Open the leeches in Browse to rewrite them"),
        Binding("question_mark", "app.show_help", "Help", key_display="?", tooltip="These keys"),
        Binding("q", "app.quit", "Quit", tooltip="Quit cuecards"),
    ]

    class StartReview(Message):
        """Start a session over every deck (``deck`` None) or one deck."""

        def __init__(self, deck: str | None = None) -> None:
            super().__init__()
            self.deck = deck

    class OpenBrowse(Message):
        """Open Browse on ``query`` (``is:leech`` for the leeches)."""

        def __init__(self, query: str = "") -> None:
            super().__init__()
            self.query = query

    #: leeches as (uid, lapses), worst first (shown under the table)
    _leeches: list[tuple[str, int]] = []

    #: cells for a deck's title and its id in the table (set to fit the screen)
    _title_width = 30
    _id_width = 18

    def __init__(
        self, backend: Backend, clock: Clock, shown: Callable[[], None] | None = None
    ) -> None:
        """Build the screen.

        Args:
            backend: The service's thread; every call goes through it.
            clock: Now, UTC-aware (``Next due in 25m``).
            shown: Called each time the day's figures are on screen.
        """
        super().__init__()
        self.backend = backend
        self.clock = clock
        self.shown = shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="today"):
            yield Static("Loading your decks…", id="glance")
            yield Static("", id="streak")
            yield Static("", id="sync-notes")
        with Vertical(id="loading"):
            yield LoadingIndicator()
            yield ProgressBar(id="sync-progress", show_eta=False)
        table: DataTable[str | int] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="load-errors")
        leeches = Static("", id="leeches")
        leeches.styles.padding = (0, 1)
        leeches.display = False
        yield leeches
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Home"
        table = self.query_one("#decks", DataTable)
        # Title and id share what the numbers leave (24 cells with padding, the
        # margins, the two columns' own padding and room for a scrollbar: 32), so
        # two decks with one title (a copy of a shipped deck) are told apart.
        # On a wide terminal the table stops at the screen's readable width.
        room = max(24, min(self.app.size.width, MAX_WIDTH) - 32)
        self._id_width = max(10, int(room * 0.4))
        self._title_width = room - self._id_width
        table.add_column("Deck", key="deck", width=self._title_width)
        table.add_column("Id", key="id", width=self._id_width)
        table.add_column("New", key="new")
        table.add_column("Learn", key="learn")
        table.add_column("Due", key="due")
        table.add_column("Cards", key="cards")
        table.display = False
        self.load()

    def on_screen_resume(self) -> None:
        # Coming back from a session: the counts have changed.
        if self.backend.is_ready():
            self.load()

    def show_progress(self, done: int, total: int) -> None:
        """Sync progress from the app (deck files loaded so far)."""
        self.query_one("#sync-progress", ProgressBar).update(total=max(total, 1), progress=done)

    @work(exclusive=True, group="home")
    async def load(self) -> None:
        """Fetch today's summary (after the start-up sync) and show it."""
        try:
            service = await self.backend.ready()
            summary = await self.backend.call(service.home)
            leeches = await self.backend.call(service.leeches)
        except CuecardsError as e:
            self.notify(e.msg, title=e.title, severity="error")
            return
        self.show_summary(summary)
        self.show_leeches(leeches)
        if self.shown is not None:
            self.shown()

    @work(exclusive=True, group="home")
    async def action_resync(self) -> None:
        """Load the deck folders again and refresh the counts."""
        self.query_one("#loading").display = True
        try:
            service = await self.backend.ready()
            report = await self.backend.call(service.sync, self._progress_from_thread)
            summary = await self.backend.call(service.home)
        except CuecardsError as e:
            self.notify(e.msg, title=e.title, severity="error")
            return
        finally:
            self.query_one("#loading").display = False
        self.show_summary(summary)
        changed = report.added + report.updated + report.retired + report.restored
        self.notify(f"{_plural(report.decks, 'deck')} loaded, {_plural(changed, 'card')} changed")

    def _progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.show_progress, done, total)

    def show_summary(self, s: HomeSummary) -> None:
        """Fill the screen from a :class:`HomeSummary`."""
        self.query_one("#loading").display = False
        t = s.totals
        glance = Content.assemble(
            ("Today  ", "bold"),
            (f"{t.review} due", "bold $text-success"),
            " · ",
            (f"{t.new} new", "bold $text-primary"),
            (f", {s.held_back} held back as siblings" if s.held_back else "", "$text-muted"),
            " · ",
            (f"{t.learning} learning", "bold $text-warning"),
            f"   ≈ {s.minutes_estimate} min" if t.total else "   nothing left today",
        )
        self.query_one("#glance", Static).update(glance)
        now = self.clock()
        bits = [f"Streak {_plural(s.streak, 'day')}", f"{s.reviews_today} reviewed today"]
        if s.interview_date is not None:
            days = s.days_to_interview
            left = (
                "today"
                if days == 0
                else (
                    "passed" if days is not None and days < 0 else f"in {_plural(days or 0, 'day')}"
                )
            )
            recall = (
                ""
                if s.interview_recall is None or (days is not None and days < 0)
                else f", expect {round(100 * s.interview_recall)}% recall"
            )
            bits.append(f"Interview {s.interview_date:%b} {s.interview_date.day} ({left}{recall})")
        if s.next_due is not None and not t.total:
            bits.append(f"Next due {_when(s.next_due, now)}")
        self.query_one("#streak", Static).update(" · ".join(bits))
        self._show_notes(s.sync_notes)
        self._fill_table(s)
        self._show_errors(s)

    def _show_notes(self, notes: tuple[str, ...]) -> None:
        """The last sync's notes, one short line each (a deck that moved and
        kept its history, a deck of yours over a shipped one, a missing folder)."""
        box = self.query_one("#sync-notes", Static)
        box.display = bool(notes)
        width = max(20, min(self.app.size.width, MAX_WIDTH) - 4)
        lines = [
            Content.styled(
                fit_middle(n, width), "$text-warning" if "missing" in n else "$text-muted"
            )
            for n in notes
        ]
        box.update(Content("\n").join(lines))

    def _fill_table(self, s: HomeSummary) -> None:
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        t = s.totals
        table.add_row(
            Text("All decks", style="bold"),
            "",
            t.new,
            t.learning,
            t.review,
            sum(d.cards for d in s.decks),
            key=ALL_DECKS,
        )
        for d in s.decks:
            mark = " ⚠" if d.error else ""
            title = fit(d.title, self._title_width - cell_len(mark)) + mark
            table.add_row(
                title,
                Text(fit(d.deck_id, self._id_width), style="dim"),
                d.counts.new,
                d.counts.learning,
                d.counts.review,
                d.cards,
                key=d.deck_id,
            )
        table.display = True
        table.move_cursor(row=min(cursor, table.row_count - 1))
        table.focus()

    def _show_errors(self, s: HomeSummary) -> None:
        errors = self.query_one("#load-errors", Static)
        firsts = [e.first for e in s.load_errors]
        listed = {e.deck_id for e in s.load_errors}
        firsts += [
            f"{d.deck_id}: {d.error}" for d in s.decks if d.error and d.deck_id not in listed
        ]
        if not firsts:
            errors.display = False
            return
        whose = "its" if len(firsts) == 1 else "their"
        head = Content.styled(
            f"⚠ {_plural(len(firsts), 'deck')} did not load ({whose} cards keep their history):",
            "bold $text-error",
        )
        errors.update(Content("\n").join([head, *(Content(f"  {f}") for f in firsts)]))
        errors.display = True

    # -- leeches -----------------------------------------------------------------
    def show_leeches(self, leeches: list[tuple[str, int]]) -> None:
        """List the worst leeches under the table (hidden when there are none)."""
        self._leeches = leeches
        box = self.query_one("#leeches", Static)
        box.display = bool(leeches)
        if leeches:
            names = ", ".join(uid for uid, _ in leeches[:3])
            more = f" and {len(leeches) - 3} more" if len(leeches) > 3 else ""
            n = len(leeches)
            head = Content.styled(
                f"⚑ {n} {'leech' if n == 1 else 'leeches'}: ", "bold $text-warning"
            )
            box.update(head + Content(f"{names}{more}; l opens them in Browse"))
        self.refresh_bindings()

    def check_action(self, action: str, _parameters: tuple[object, ...]) -> bool | None:
        if action == "leeches":
            return bool(self._leeches)
        return True

    def action_browse(self) -> None:
        """Browse every card."""
        if self.backend.is_ready():
            self.post_message(self.OpenBrowse())

    def action_leeches(self) -> None:
        """Open the leeches in Browse, to rewrite them."""
        if self.backend.is_ready() and self._leeches:
            self.post_message(self.OpenBrowse("is:leech sort:lapses"))

    def action_start(self) -> None:
        """Today's session over every deck."""
        if self.backend.is_ready():
            self.post_message(self.StartReview())

    @on(DataTable.RowSelected, "#decks")
    def _deck_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if not self.backend.is_ready():
            return
        self.post_message(self.StartReview(deck=None if key == ALL_DECKS else key))
