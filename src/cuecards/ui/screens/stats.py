"""The stats screen: charts of reviews, forecast and retention, a calendar, and
decks and tags by mastery (weakest first), from which a session on the weakest
cards starts.

The screen paints at once with a loading indicator; the figures are computed
on a worker thread over a connection of their own (see :mod:`cuecards.stats`),
so the service thread is never held up. Pressing enter on a row looks up that
deck's or tag's weakest cards (also on a thread) and then either calls the
``on_study`` callback or posts :class:`StatsScreen.StudyWeakest`, which the app
handles by starting ``start_session(uids=...)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, LoadingIndicator, Static
from textual_plotext import PlotextPlot

from cuecards.stats import (
    HORIZON_DAYS,
    RECALL_AHEAD_LABEL,
    Stats,
    StatsContext,
    gather,
    mastery_key,
    weakest_uids,
)
from cuecards.ui.widgets.cells import fit
from cuecards.ui.widgets.charts import CalendarHeatmap, draw_bars, draw_retention
from cuecards.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from cuecards.ui.backend import Backend

#: below this many columns the mastery table has short headings
SHORT_BELOW = 96
#: below this many columns it has no kind column either
NO_KIND_BELOW = 70
FULL_HEADS = (
    ("Cards", "cards"),
    ("Studied", "studied"),
    ("Recall now", "recall"),
    (RECALL_AHEAD_LABEL, "recall_ahead"),
    ("Lapses", "lapses"),
    ("Mature", "mature"),
)
SHORT_HEADS = (
    ("Cards", "cards"),
    ("Seen", "studied"),
    ("Recall", "recall"),
    (RECALL_AHEAD_LABEL.removeprefix("Recall ").strip(), "recall_ahead"),
    ("Lapses", "lapses"),
    ("Mature", "mature"),
)

#: below this many lines the charts are shorter, so the table shows several rows
LOW_BELOW = 24
LOW_CHART_LINES = 7
TITLE = (
    "Decks and tags by mastery, weakest first: lowest recall in "
    f"{HORIZON_DAYS} days if not reviewed (enter: study the weakest cards)"
)
SHORT_TITLE = f"Weakest first, by recall in {HORIZON_DAYS} days (enter: study them)"

#: how many cards a session from this screen studies
WEAKEST_LIMIT = 20
HEATMAP_WEEKS = 17

StudyCallback = Callable[[list[str], str], None]


def _pct(x: float | None, digits: int = 0) -> str:
    return "–" if x is None else f"{100 * x:.{digits}f}%"


class StatsScreen(Screen[None]):
    """Progress at a glance; enter on a deck or tag studies its weakest cards."""

    # Absolute, so that a subclass defined elsewhere still finds the file.
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "stats.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("r", "reload", "Refresh"),
        Binding("question_mark", "app.show_help", "Help", key_display="?"),
        Binding("enter", "study", "Study the weakest cards of the chosen deck or tag", show=False),
        Binding("pageup", "scroll_body(-1)", "Scroll the screen up", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll the screen down", show=False, priority=True),
    ]
    HELP_NOTE = (
        "↑↓ pick a deck or tag in the table; the charts of retention and the "
        "calendar are below it (pgdn)."
    )

    class Loaded(Message):
        """The figures are ready (posted from the worker thread)."""

        def __init__(self, stats: Stats) -> None:
            super().__init__()
            self.stats = stats

    class StudyWeakest(Message):
        """Start a session on these cards (the weakest of a deck or tag)."""

        def __init__(self, uids: list[str], label: str) -> None:
            super().__init__()
            self.uids = uids
            self.label = label

    def __init__(
        self,
        service_like: Any = None,
        on_study: StudyCallback | None = None,
        backend: Backend | None = None,
    ) -> None:
        """Build the screen.

        Args:
            service_like: Anything with ``store.path``, ``settings()``, ``sched``
                and ``clock`` (a :class:`cuecards.session.Service`); None takes
                the service from ``backend`` once it is ready.
            on_study: Called with (uids, label) instead of posting
                :class:`StudyWeakest`.
            backend: Where the service comes from when ``service_like`` is None.
        """
        super().__init__()
        self.source = service_like
        self.backend = backend
        self.on_study = on_study
        self.ctx: StatsContext | None = None
        self._compact = False
        self._name_width = 8
        self.stats: Stats | None = None
        #: set each time figures have been put on screen (tests and the benchmark wait on it)
        self.loaded = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator(id="stats-loading")
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-summary")
            with Horizontal(classes="stats-row"):
                yield PlotextPlot(id="plot-reviews")
                yield PlotextPlot(id="plot-forecast")
            yield Static(TITLE, id="mastery-title")
            table: DataTable[str | int] = DataTable(
                id="mastery", cursor_type="row", zebra_stripes=True
            )
            yield table
            with Horizontal(classes="stats-row"):
                yield PlotextPlot(id="plot-retention")
                yield CalendarHeatmap(id="stats-heatmap")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        table = self.query_one("#mastery", DataTable)
        width = self.app.size.width
        # Every column on screen: below 96 cells the headings get short, below
        # 70 the kind column goes too (a tag reads #tag), and the name takes
        # the rest.
        self._compact = width < NO_KIND_BELOW
        if not self._compact:
            table.add_column("", key="kind")
        heads = SHORT_HEADS if width < SHORT_BELOW else FULL_HEADS
        widths = [max(len(label), 6 if "recall" in key else 5) for label, key in heads]
        # each column pads a cell either side; the screen's and the table's
        # scroll bars take two each
        used = sum(w + 2 for w in widths) + (0 if self._compact else 6) + 2 + 2 + 2
        self._name_width = max(8, width - used)
        table.add_column("Name", key="name", width=self._name_width)
        if width < 80:
            self.query_one("#mastery-title", Static).update(SHORT_TITLE)
        if self.app.size.height < LOW_BELOW:
            # the charts above the table only: the calendar below needs its lines
            top = self.query(".stats-row").first()
            top.styles.height = LOW_CHART_LINES
            for part in top.children:
                part.styles.height = LOW_CHART_LINES
        for (label, key), w in zip(heads, widths, strict=True):
            table.add_column(label, key=key, width=w)
        self.query_one("#stats-body").display = False
        self._load()

    # -- loading ------------------------------------------------------------------
    @work(exclusive=True, group="stats-load")
    async def _load(self) -> None:
        source = self.source
        if source is None:
            assert self.backend is not None, "a service or a backend is needed"
            source = await self.backend.ready()
        self.ctx = StatsContext.from_service(source)
        self._compute(self.ctx)

    @work(thread=True, exclusive=True, group="stats-compute")
    def _compute(self, ctx: StatsContext) -> None:
        self.post_message(self.Loaded(gather(ctx)))

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        self.stats = s = message.stats
        self.query_one("#stats-loading").display = False
        self.query_one("#stats-body").display = True
        retention = next((w for w in s.windows if w.days == 30), None)
        self.query_one("#stats-summary", Static).update(
            f"[b]{s.reviews}[/b] review{'' if s.reviews == 1 else 's'} · "
            f"{round(s.seconds / 60)} min · streak "
            f"[b]{s.streak_current}[/b] (longest {s.streak_longest}) · retention 30d "
            f"[b]{_pct(retention.retention if retention else None)}[/b] "
            f"(desired {_pct(s.desired_retention)}) · due in 30 days "
            f"{sum(n for _d, n in s.forecast)}"
        )
        last = s.last_days(30)
        draw_bars(
            self.query_one("#plot-reviews", PlotextPlot),
            "Reviews, last 30 days",
            [d.date.strftime("%m-%d") for d in last],
            [d.reviews for d in last],
        )
        draw_bars(
            self.query_one("#plot-forecast", PlotextPlot),
            "Due, next 30 days",
            [date.fromordinal(d).strftime("%m-%d") for d, _n in s.forecast],
            [n for _d, n in s.forecast],
        )
        weeks = s.weekly_retention(12)
        draw_retention(
            self.query_one("#plot-retention", PlotextPlot),
            "Retention % per week (red: desired)",
            [date.fromordinal(d).strftime("%m-%d") for d, _r in weeks],
            [r for _d, r in weeks],
            s.desired_retention,
        )
        self.query_one("#stats-heatmap", CalendarHeatmap).show_days(
            [(d.date, d.reviews) for d in s.last_days(HEATMAP_WEEKS * 7)]
        )
        self._fill_table(s)
        self.loaded.set()

    def _fill_table(self, s: Stats) -> None:
        table = self.query_one("#mastery", DataTable)
        table.clear()
        rows = [("deck", m) for m in s.decks] + [("tag", m) for m in s.tags]
        for kind, m in sorted(rows, key=lambda km: mastery_key(km[1])):
            table.add_row(
                *(() if self._compact else (kind,)),
                fit(m.title if kind == "deck" else f"#{m.key}", self._name_width),
                m.cards,
                m.studied,
                _pct(m.recall, 1),
                _pct(m.recall_ahead, 1),
                m.lapses,
                _pct(m.mature_share),
                key=f"{kind}:{m.key}",
            )
        # Keys go to the table, but the view stays at the top (summary first).
        table.focus(scroll_visible=False)

    # -- actions --------------------------------------------------------------------
    @on(DataTable.RowSelected, "#mastery")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and self.ctx is not None:
            kind, _sep, name = key.partition(":")
            self._study(self.ctx, kind, name)

    @work(thread=True, exclusive=True, group="stats-study")
    def _study(self, ctx: StatsContext, kind: str, name: str) -> None:
        uids = weakest_uids(
            ctx,
            deck=name if kind == "deck" else None,
            tag=name if kind == "tag" else None,
            limit=WEAKEST_LIMIT,
        )
        label = f"weakest of {kind} {name}"
        if self.on_study is not None:
            self.app.call_from_thread(self.on_study, uids, label)
        else:
            self.post_message(self.StudyWeakest(uids, label))

    def action_study(self) -> None:
        """Study the weakest cards of the deck or tag under the table's cursor."""
        table = self.query_one("#mastery", DataTable)
        if table.row_count and self.ctx is not None:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                kind, _sep, name = key.partition(":")
                self._study(self.ctx, kind, name)

    def action_scroll_body(self, direction: int) -> None:
        """Scroll the whole screen a page (the table keeps its own cursor)."""
        body = self.query_one("#stats-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def action_reload(self) -> None:
        """Compute the figures again (after a session, say)."""
        self.query_one("#stats-loading").display = True
        self.loaded.clear()
        self._load()

    def action_close(self) -> None:
        """Back to the previous screen."""
        self.dismiss()
