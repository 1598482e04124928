"""The end of a session: what was done, how it went, what comes tomorrow."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from cuecards.ui.widgets.key_bar import KeyBar
from cuecards.views import RATING_NAMES, SessionSummary

#: below this many lines the box has thin margins and a one-line button
LOW_BELOW = 24

RATING_STYLE = {1: "$text-error", 2: "$text-warning", 3: "$text-success", 4: "$text-primary"}


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m}m {s:02d}s"
    h, m = divmod(m, 60)
    return f"{h}h {m:02d}m"


def _cards(n: int) -> str:
    return f"{n} card{'s' if n != 1 else ''}"


def coming_back(s: SessionSummary) -> list[Content]:
    """What comes back later today (learning steps) and tomorrow, apart."""
    lines: list[Content] = []
    if s.due_later_today:
        lines.append(
            Content.assemble(
                ("Due later today: ", "bold"),
                str(s.due_later_today),
                (" (learning cards coming back)", "$text-muted"),
            )
        )
    if s.due_tomorrow:
        lines.append(Content.assemble(("Due tomorrow: ", "bold"), str(s.due_tomorrow)))
    else:
        lines.append(Content("Nothing due tomorrow."))
    if s.new_limit_hit or s.new_limit_reached:
        change = "change with: cuecards config set new_per_day N"
        if s.new_limit_reached:
            head, why = (
                f"Today's {s.new_limit_reached} new cards are done",
                f"more tomorrow; {change}",
            )
        else:
            head, why = "New cards are off: new_per_day is 0", change
        lines.append(Content.assemble((head, "bold"), (f" ({why})", "$text-muted")))
    return lines


def summary_content(s: SessionSummary | None, empty: bool) -> Content:
    """The summary as lines of text."""
    if s is None:
        return Content.styled("Nothing left for today.", "bold $text-success")
    if empty and s.done == 0:
        # learning cards still to come today: not "nothing left", only not yet
        head = "Nothing due right now." if s.due_later_today else "Nothing left for today."
        return Content("\n").join(
            [Content.styled(head, "bold $text-success"), Content(""), *coming_back(s)]
        )
    lines = [
        Content.assemble(("Session done", "bold"), f"  {_cards(s.done)} in {_duration(s.seconds)}"),
        Content(""),
    ]
    for n, name in RATING_NAMES.items():
        count = s.by_rating.get(n, 0)
        bar = "█" * min(count, 40)
        lines.append(
            Content.assemble(
                f"  {n} {name.title():<6}", (f"{count:>4} ", "bold"), (bar, RATING_STYLE[n])
            )
        )
    lines.append(Content(""))
    if s.drill_points_total:
        pct = round(100 * s.drill_points_hit / s.drill_points_total)
        lines.append(
            Content(f"Drill key points hit: {s.drill_points_hit}/{s.drill_points_total} ({pct}%)")
        )
    lines.extend(coming_back(s))
    return Content("\n").join(lines)


class SummaryScreen(Screen[None]):
    """Cards done, ratings used, drill points, time, and tomorrow's load."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home"),
        Binding("question_mark", "app.show_help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    class Closed(Message):
        """The user is done with the summary: back home."""

    def __init__(self, summary: SessionSummary | None, empty: bool = False) -> None:
        """Show ``summary``; ``empty`` means the session had nothing to review."""
        super().__init__()
        self.summary = summary
        self.empty = empty

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Static(summary_content(self.summary, self.empty), id="summary")
            with Center():
                yield Button("Back to home (enter)", id="home", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Summary"
        self.query_one("#home", Button).focus()
        self._fit(self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, lines: int) -> None:
        """Keep the box on screen: never taller than the screen (it scrolls), and
        below 24 lines with thin margins and a one-line button."""
        box = self.query_one("#summary-box", VerticalScroll)
        low = lines < LOW_BELOW
        box.styles.max_height = "100%"
        box.styles.margin = (0, 1) if low else (1, 2)
        box.styles.padding = (0, 1) if low else (1, 2)
        self.query_one("#home", Button).compact = low

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "home":
            self.action_home()

    def action_home(self) -> None:
        """Back to the home screen."""
        self.post_message(self.Closed())
