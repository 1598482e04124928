"""Plain data the service API hands to the app and the command line.

Nothing here imports Textual, SQLModel or YAML: these are the words the UI and
the core share. The service (:mod:`cuecards.service`) returns them; screens
only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from cuecards.model import Item

#: where a card is in its life, as the review screen names it
CardStage = Literal["new", "learning", "review", "relearning"]
RATING_NAMES: dict[int, str] = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def format_interval(delta: timedelta) -> str:
    """A short interval label as review apps show it.

    ``<1m``, ``10m``, ``3h``, ``4d``, ``2mo``, ``1.5y``.
    """
    secs = delta.total_seconds()
    if secs < 60:
        return "<1m"
    if secs < 3600:
        return f"{round(secs / 60)}m"
    if secs < 86400:
        return f"{round(secs / 3600)}h"
    days = secs / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}mo".replace(".0mo", "mo")
    years = days / 365
    return f"{years:.1f}y".replace(".0y", "y")


@dataclass(frozen=True)
class Problem:
    """One problem in a deck file, pointing at a line and column (1-based)."""

    path: str
    line: int
    col: int
    severity: Literal["error", "warning"]
    message: str

    def format(self) -> str:
        """``path:line:col: severity: message``, the form editors understand."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class DeckLoadError:
    """A deck file that did not load; its cards keep what the database had."""

    deck_id: str
    path: Path
    problems: tuple[Problem, ...]

    @property
    def first(self) -> str:
        return self.problems[0].format() if self.problems else f"{self.path}: error"


@dataclass(frozen=True)
class SyncReport:
    """What one sync of the deck folders did."""

    decks: int = 0
    skipped_unchanged: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    errors: tuple[DeckLoadError, ...] = ()
    #: cards that kept their history in a new place (a moved file, a new id)
    reattached: int = 0
    #: one line each: what was matched, a deck replacing a shipped one, a missing folder
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> int:
        """Cards this sync added, updated, retired or restored."""
        return self.added + self.updated + self.retired + self.restored


@dataclass(frozen=True)
class QueueCounts:
    """Cards left for today, as review apps count them."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class DeckSummary:
    """One deck on the home screen."""

    deck_id: str
    title: str
    counts: QueueCounts
    cards: int
    error: str | None = None


@dataclass(frozen=True)
class HomeSummary:
    """Today at a glance."""

    decks: tuple[DeckSummary, ...]
    totals: QueueCounts
    minutes_estimate: int
    streak: int
    reviews_today: int
    interview_date: date | None
    days_to_interview: int | None
    load_errors: tuple[DeckLoadError, ...] = ()
    next_due: datetime | None = None
    #: mean predicted recall of studied cards on the interview day (0..1)
    interview_recall: float | None = None
    #: due or new cards a sibling holds back until tomorrow (not in ``totals``)
    held_back: int = 0
    #: the last sync's notes, a few lines at most (moves, overrides, missing folders)
    sync_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CardView:
    """The card to show now, with what each rating would do."""

    item: Item
    state: CardStage
    reps: int
    lapses: int
    is_leech: bool
    intervals: dict[int, str]
    deck_title: str = ""
    deck_path: Path | None = None
    #: when the ``intervals`` stop being true (the study day ends): fetch the
    #: view again then if the card is still on screen
    labels_expire: datetime | None = None


@dataclass(frozen=True)
class RateResult:
    """What a rating did; returned only after it is committed."""

    uid: str
    rating: int
    due: datetime
    interval: str
    review_id: int
    #: another copy of cuecards rated this card after it was queued here: the
    #: rating extended that log, so its interval is not the one the button showed
    rated_elsewhere: bool = False


@dataclass
class SessionSummary:
    """The end-of-session screen."""

    done: int = 0
    by_rating: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    drill_points_hit: int = 0
    drill_points_total: int = 0
    seconds: float = 0.0
    #: learning cards that come back later today (after this session)
    due_later_today: int = 0
    #: cards due during tomorrow's study day
    due_tomorrow: int = 0
    #: the daily new-card limit when today's is used up (0 when it is not)
    new_limit_reached: int = 0
    #: today's new-card limit is used up (also when the limit is 0: new cards off)
    new_limit_hit: bool = False
