"""The four rating buttons, each showing the interval it would give."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

from cuecards.views import RATING_NAMES

VARIANTS: dict[int, ButtonVariant] = {1: "error", 2: "warning", 3: "success", 4: "primary"}


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy; click one or press its number."""

    class Rated(Message):
        """The user picked a rating with the mouse."""

        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for n, name in RATING_NAMES.items():
            button = Button(f"{n} {name.title()}", id=f"rate-{n}", variant=VARIANTS[n])
            # Keys rate through the screen's bindings (1-4, enter): a focused
            # button would be a second way for enter to rate.
            button.can_focus = False
            yield button

    def set_intervals(self, intervals: dict[int, str]) -> None:
        """Show what each rating would do, e.g. ``3 Good · 3d``."""
        for n, name in RATING_NAMES.items():
            label = f"{n} {name.title()}"
            if n in intervals:
                label += f" · {intervals[n]}"
            self.query_one(f"#rate-{n}", Button).label = label

    def preselect(self, rating: int) -> None:
        """Mark the rating that enter gives (the screen's binding does the rating)."""
        for n in RATING_NAMES:
            self.query_one(f"#rate-{n}", Button).set_class(n == rating, "-suggested")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))
