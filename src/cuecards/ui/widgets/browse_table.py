"""The Browse table (one page of cards at a time) and a card's info text."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from cuecards.service.browse import BrowseItem, BrowsePage, CardInfo
from cuecards.ui.widgets.cells import fit

#: cells of the fixed columns (mark, state, due, recall, lapses) with padding
FIXED = 2 + 10 + 8 + 6 + 4 + 10


def when(moment: datetime | None, now: datetime) -> str:
    """A due date the short way: ``now``, ``today``, ``3d``, ``-2d`` (overdue)."""
    if moment is None:
        return "—"
    days = (moment.astimezone().date() - now.astimezone().date()).days
    if moment <= now:
        return "now" if days == 0 else f"{days}d"
    return "today" if days == 0 else f"{days}d"


def percent(p: float | None) -> str:
    """``87%``, or a dash for a card never studied."""
    return "—" if p is None else f"{round(100 * p)}%"


class BrowseTable(DataTable[str | Text]):
    """A page of cards; running off either end asks for the next page."""

    class PageNeeded(Message):
        """The cursor ran off the page: ``step`` +1 (next) or -1 (previous)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._card_width = 30

    def setup(self, width: int) -> bool:
        """Columns for a screen ``width`` cells wide: the card's text takes what is
        left. True when they changed (the rows are then gone: show the page again)."""
        card_width = max(12, width - FIXED - 4)
        if self.columns and card_width == self._card_width:
            return False
        self._card_width = card_width
        self.clear(columns=True)
        self.add_column(" ", key="mark", width=1)
        self.add_column("Card", key="card", width=self._card_width)
        self.add_column("State", key="state", width=8)
        self.add_column("Due", key="due", width=6)
        self.add_column("Rec", key="recall", width=4)
        self.add_column("Lap", key="lapses", width=3)
        return True

    def show(self, page: BrowsePage, selected: set[str], now: datetime) -> None:
        """Fill the table with ``page``."""
        self.clear()
        for item in page.items:
            self.add_row(*self._cells(item, item.uid in selected, now), key=item.uid)

    def _cells(self, item: BrowseItem, marked: bool, now: datetime) -> list[str | Text]:
        state = "leech" if item.leech and item.state in ("learning", "review") else item.state
        style = {"suspended": "yellow", "buried": "dim", "retired": "dim", "leech": "red"}
        return [
            "●" if marked else " ",
            fit(" ".join((item.prompt or item.uid).split()), self._card_width),
            Text(state, style=style.get(state, "")),
            when(item.due, now),
            percent(item.recall_now),
            str(item.lapses),
        ]

    def mark(self, row: int, on: bool) -> None:
        """Show (or clear) the selection mark on ``row``."""
        self.update_cell_at(Coordinate(row, 0), "●" if on else " ")

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageNeeded(+1))
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.PageNeeded(-1))
            return
        super().action_cursor_up()


def _n(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def info_text(info: CardInfo) -> Text:
    """A card's info and its whole history, as the panel shows them."""
    t = Text()
    t.append(info.prompt + "\n", style="bold")
    t.append(f"{info.deck_title} · {info.deck_id}:{info.line} · {info.kind}\n", style="dim")
    bits = [info.state + (" · leech" if info.leech else "")]
    if info.stability is not None:
        bits.append(f"stability {info.stability:.1f}d")
    if info.difficulty is not None:
        bits.append(f"difficulty {info.difficulty:.1f}")
    bits.append(f"recall now {percent(info.recall_now)}")
    if info.interview_date is not None:
        bits.append(
            f"on {info.interview_date:%b} {info.interview_date.day} "
            f"{percent(info.recall_interview)}"
        )
    bits.append(f"{_n(info.reps, 'review')}, {_n(info.lapses, 'lapse')}")
    if info.tags:
        bits.append("tags " + ", ".join(info.tags))
    t.append(" · ".join(bits) + "\n")
    if info.answer:
        t.append(info.answer + "\n")
    if not info.history:
        t.append("No reviews yet.", style="dim")
    else:
        t.append(f"History, newest first ({len(info.history)}):", style="bold")
    for h in reversed(info.history):
        line = f"{h.at.astimezone():%Y-%m-%d %H:%M}  {h.rating:<5}  {h.interval:>4}"
        if h.seconds is not None:
            line += f"  {h.seconds:.0f}s"
        if h.points:
            line += f"  points {h.points}"
        if not h.counts:
            line += "  (before forget)"
        t.append("\n" + line, style="" if h.counts else "dim")
        if h.answer:
            t.append("\n    " + " ".join(h.answer.split()), style="italic")
    return t
