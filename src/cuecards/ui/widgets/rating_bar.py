"""The four rating buttons, each showing the interval it would give."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from cuecards.views import RATING_NAMES

VARIANTS = {1: "error", 2: "warning", 3: "success", 4: "primary"}


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy; click one or press its number."""

    class Rated(Message):
        """The user picked a rating with the mouse (or enter on a button)."""

        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for n, name in RATING_NAMES.items():
            yield Button(f"{n} {name.title()}", id=f"rate-{n}", variant=VARIANTS[n])  # type: ignore[arg-type]

    def set_intervals(self, intervals: dict[int, str]) -> None:
        """Show what each rating would do, e.g. ``3 Good · 3d``."""
        for n, name in RATING_NAMES.items():
            label = f"{n} {name.title()}"
            if n in intervals:
                label += f" · {intervals[n]}"
            self.query_one(f"#rate-{n}", Button).label = label

    def preselect(self, rating: int) -> None:
        """Mark and focus one rating, so enter accepts it."""
        for n in RATING_NAMES:
            self.query_one(f"#rate-{n}", Button).set_class(n == rating, "-suggested")
        self.query_one(f"#rate-{rating}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))
