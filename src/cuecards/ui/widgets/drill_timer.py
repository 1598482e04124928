"""The drill timer: time left of the card's ``time_limit``, then time over."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widgets import Static

from cuecards.ui.widgets.card_text import timer_text


class DrillTimer(Static):
    """Counts down from a limit; reads elapsed seconds from a callable (the app's clock)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__("", id=id)
        self._ticker: Timer | None = None
        self._limit = 0
        self._elapsed: Callable[[], float] = lambda: 0.0

    def start(self, limit: int, elapsed: Callable[[], float], live: bool = True) -> None:
        """Show ``limit`` seconds counting down; ``live`` ticks every second."""
        self.stop()
        self._limit = limit
        self._elapsed = elapsed
        self.display = True
        self._tick()
        if live:
            self._ticker = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.update(timer_text(self._elapsed(), self._limit))

    def stop(self) -> None:
        """Stop and clear the timer (it takes no room on the line then)."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.update("")
        self.display = False
