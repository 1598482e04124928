"""Browse: find any card, read its info and history, act on a selection.

The table is paged: it holds one page of rows from the service at a time and
asks for the next page when the cursor runs off either end, so 20,000 cards
cost one page. The screen receives the backend and posts messages for what
is the app's job: open a card in the editor, study the selection now.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from cuecards.errors import CuecardsError
from cuecards.service.browse import SORTS, BrowseItem, BrowsePage, BrowseQuery, CardInfo
from cuecards.ui.widgets.browse_table import BrowseTable, info_text
from cuecards.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from cuecards.clock import Clock
    from cuecards.ui.backend import Backend

#: rows fetched per page
PAGE = 100


class BrowseScreen(Screen[None]):
    """Every card: search, filter, sort; info and history; act on a selection."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "browse.tcss")
    HELP_NOTE = (
        "Type words to find cards (typos are fine) and filters: deck:ID tag:T "
        "kind:recall|drill|cloze is:new|learning|review|suspended|buried|leech|retired "
        "sort:due|recall|lapses|last. Space selects; actions apply to the selection, "
        "or to the card under the cursor."
    )
    BINDINGS = [
        Binding("slash", "search", "Find", key_display="/", tooltip="Type a query"),
        Binding("o", "sort", "Sort", tooltip="Due, recall, lapses, last review"),
        Binding("space", "select", "Select", tooltip="Mark this card"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("b", "bury", "Bury", tooltip="Hide until tomorrow"),
        Binding("f", "forget", "Forget", tooltip="Back to new, history kept"),
        Binding("e", "edit", "Edit", tooltip="Open the deck file at the card's line"),
        Binding("s", "study", "Study", tooltip="Study these cards now"),
        Binding("escape", "leave", "Back", key_display="esc"),
        Binding("question_mark", "app.show_help", "Help", key_display="?"),
    ]

    class EditCard(Message):
        """Open a card's deck file at its line (as ``e`` on a card does)."""

        def __init__(self, deck_id: str, path: str | None, line: int) -> None:
            super().__init__()
            self.deck_id = deck_id
            self.path = path
            self.line = line

    class StudyCards(Message):
        """Study exactly these cards now (a cram session)."""

        def __init__(self, uids: list[str], label: str) -> None:
            super().__init__()
            self.uids = uids
            self.label = label

    def __init__(self, backend: Backend, clock: Clock, query: str = "") -> None:
        """Build the screen over ``backend``, opening on ``query`` (e.g. ``is:leech``)."""
        super().__init__()
        self.backend = backend
        self.clock = clock
        self.query_text = query
        self.page: BrowsePage | None = None
        #: uids marked with space
        self.selected: set[str] = set()
        self._sort: str | None = None
        self._forget_armed: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.query_text,
            placeholder="/ find: words deck: tag: kind: is: sort:",
            id="query",
            compact=True,
        )
        yield Static("", id="status")
        yield BrowseTable(id="cards")
        with VerticalScroll(id="info"):
            yield Static("", id="info-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.query_one(BrowseTable).setup(self.app.size.width)
        self.query_one(BrowseTable).focus()
        self.reload()

    def on_resize(self) -> None:
        # The card's text takes the width the other columns leave.
        if self.query_one(BrowseTable).setup(self.size.width) and self.page is not None:
            self.reload(keep=True)

    def on_screen_resume(self) -> None:
        self.reload(keep=True)

    # -- loading --------------------------------------------------------------------
    def _query(self, service_query: BrowseQuery) -> BrowseQuery:
        if self._sort is not None:
            from dataclasses import replace

            return replace(service_query, sort=self._sort)
        return service_query

    @work(exclusive=True, group="browse")
    async def reload(self, keep: bool = False, offset: int = 0, cursor: int = 0) -> None:
        """Fetch the page at ``offset`` (``keep``: the page shown now) and show it."""
        table = self.query_one(BrowseTable)
        if keep and self.page is not None:
            offset, cursor = self.page.offset, table.cursor_row
        try:
            service = await self.backend.ready()
            q = self._query(await self.backend.call(service.browse_query, self.query_text))
            page = await self.backend.call(service.browse, q, offset, PAGE)
        except CuecardsError as e:
            self.page = None
            table.clear()
            self.query_one("#info-text", Static).update("")
            self.query_one("#status", Static).update(Text(e.msg, style="bold red"))
            return
        self.page = page
        table.show(page, self.selected, self.clock())
        if page.items:
            table.move_cursor(row=max(0, min(cursor, len(page.items) - 1)))
        self._status()
        await self._show_info()

    def _status(self) -> None:
        p = self.page
        if p is None:
            return
        shown = f"{p.offset + 1}–{p.offset + len(p.items)} of {p.total:,}"
        text = f"{shown if p.items else 'no card matches'} · sort {p.query.order}"
        if self.selected:
            text += f" · {len(self.selected)} selected"
        self.query_one("#status", Static).update(text)

    def current(self) -> BrowseItem | None:
        """The card under the cursor."""
        if self.page is None or not self.page.items:
            return None
        row = self.query_one(BrowseTable).cursor_row
        return self.page.items[row] if 0 <= row < len(self.page.items) else None

    def targets(self) -> list[str]:
        """The selection, or the card under the cursor."""
        if self.selected:
            return sorted(self.selected)
        item = self.current()
        return [item.uid] if item else []

    @on(DataTable.RowHighlighted, "#cards")
    async def _moved(self, _event: DataTable.RowHighlighted) -> None:
        await self._show_info()

    async def _show_info(self) -> None:
        item = self.current()
        box = self.query_one("#info-text", Static)
        if item is None:
            box.update("No card matches." if self.page is not None else "")
            return
        service = await self.backend.ready()
        try:
            info: CardInfo = await self.backend.call(service.card_info, item.uid)
        except CuecardsError as e:
            box.update(e.msg)
            return
        box.update(info_text(info))

    @on(BrowseTable.PageNeeded)
    def _page(self, event: BrowseTable.PageNeeded) -> None:
        p = self.page
        if p is None:
            return
        if event.step > 0 and p.offset + len(p.items) < p.total:
            self.reload(offset=p.offset + PAGE, cursor=0)
        elif event.step < 0 and p.offset > 0:
            self.reload(offset=max(0, p.offset - PAGE), cursor=PAGE - 1)

    # -- keys -----------------------------------------------------------------------
    def action_search(self) -> None:
        """Put the cursor in the query."""
        self.query_one("#query", Input).focus()

    @on(Input.Submitted, "#query")
    def _searched(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.selected.clear()
        self.query_one(BrowseTable).focus()
        self.reload()

    def action_sort(self) -> None:
        """The next sort: due, recall, lapses, last review."""
        now = self.page.query.order if self.page else "due"
        self._sort = SORTS[(SORTS.index(now) + 1) % len(SORTS)] if now in SORTS else SORTS[0]
        self.reload()

    def action_select(self) -> None:
        """Mark or unmark the card under the cursor, then move down."""
        item = self.current()
        if item is None:
            return
        self._forget_armed = ()
        self.selected ^= {item.uid}
        table = self.query_one(BrowseTable)
        table.mark(table.cursor_row, item.uid in self.selected)
        table.action_cursor_down()
        self._status()

    def action_leave(self) -> None:
        """Back to the query box's card list, or out of Browse."""
        if isinstance(self.focused, Input):
            self.query_one(BrowseTable).focus()
        else:
            self.app.pop_screen()

    async def _act(self, name: str, done: str, *args: object) -> None:
        self._forget_armed = ()
        uids = self.targets()
        if not uids:
            return
        service = await self.backend.ready()
        try:
            n = await self.backend.call(getattr(service, name), uids, *args)
        except CuecardsError as e:
            self.notify(e.msg, title=e.title, severity="error")
            return
        self.notify(f"{n} {'card' if n == 1 else 'cards'} {done}")
        self.selected.clear()
        self.reload(keep=True)

    @work(exclusive=True, group="browse-act")
    async def action_suspend(self) -> None:
        """Suspend the cards, or unsuspend them when they all are."""
        item = self.current()
        uids = set(self.targets())
        rows = self.page.items if self.page else ()
        all_suspended = bool(uids) and all(i.state == "suspended" for i in rows if i.uid in uids)
        if item is None:
            return
        if all_suspended:
            await self._act("suspend_cards", "unsuspended", False)
        else:
            await self._act("suspend_cards", "suspended", True)

    @work(exclusive=True, group="browse-act")
    async def action_bury(self) -> None:
        """Bury the cards until tomorrow."""
        await self._act("bury_cards", "buried until tomorrow")

    @work(exclusive=True, group="browse-act")
    async def action_forget(self) -> None:
        """Back to new, history kept; asks for a second ``f`` first."""
        uids = tuple(self.targets())
        if not uids:
            return
        if self._forget_armed != uids:
            self._forget_armed = uids
            n = len(uids)
            self.notify(f"Forget {n} {'card' if n == 1 else 'cards'}? Press f again.")
            return
        self._forget_armed = ()
        await self._act("forget_cards", "back to new (history kept)")

    @work(exclusive=True, group="browse-act")
    async def action_edit(self) -> None:
        """Open the card under the cursor in the editor (via the app)."""
        item = self.current()
        if item is None:
            return
        service = await self.backend.ready()
        info = await self.backend.call(service.card_info, item.uid)
        self.post_message(self.EditCard(info.deck_id, info.deck_path, info.line))

    def action_study(self) -> None:
        """Study the selection (or this card) now, due or not."""
        uids = self.targets()
        if uids:
            label = f"Browse: {len(uids)} {'card' if len(uids) == 1 else 'cards'}"
            self.post_message(self.StudyCards(uids, label))
