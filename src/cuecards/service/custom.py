"""Custom study: sessions outside today's plan, each with a stated effect.

Anki's rule: studying ahead of the plan changes the schedule; cramming does
not. So every kind here is one of two:

* **scheduled** (``changes_schedule``): ratings are real reviews, written to
  the log like any other (more new cards today, review ahead, drills only);
* **cram**: ratings are kept in the session's memory only and never written
  as reviews (:attr:`ReviewSession.practice`). Nothing in the log changes, so
  the replay, ``cuecards check``, due dates and daily counts are untouched.

"More new cards today" raises today's new-card limit by N; "counted against
tomorrow" also lowers tomorrow's by N. Both are kept per study day in a small
JSON file beside the database (``custom-study.json``), read by the daily caps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cuecards.errors import UsageError
from cuecards.scheduling import to_epoch
from cuecards.service.session import Caps, ReviewSession
from cuecards.storage import Query

if TYPE_CHECKING:
    from cuecards.paths import Paths
    from cuecards.service.service import Service

Kind = Literal["more_new", "ahead", "drills", "scope", "failed", "weakest"]

#: the file beside the database that keeps "more new cards today"
LIMITS_FILE = "custom-study.json"
#: the most cards a cram session takes
CRAM_LIMIT = 500


@dataclass(frozen=True)
class CustomKind:
    """One kind of custom study, as the screen offers it."""

    kind: Kind
    title: str
    #: what N means for this kind ("" when it takes no number)
    number: str
    default: int
    changes_schedule: bool
    help: str


KINDS: tuple[CustomKind, ...] = (
    CustomKind(
        "more_new", "More new cards today", "new cards", 10, True,
        "Raise today's new-card limit by N.",
    ),
    CustomKind(
        "ahead", "Review ahead", "days", 3, True,
        "Cards due in the next N days, rated for real.",
    ),
    CustomKind(
        "drills", "Drills only", "", 0, True,
        "Today's due drills and nothing else.",
    ),
    CustomKind(
        "scope", "One deck or tag", "cards", 50, False,
        "Up to N cards of a deck or tag, weakest first.",
    ),
    CustomKind(
        "failed", "Cards failed today", "", 0, False,
        "Every card rated Again today, once more.",
    ),
    CustomKind(
        "weakest", "Weakest on the interview day", "cards", 20, False,
        "N cards with the lowest recall on the interview day.",
    ),
)  # fmt: skip
BY_KIND = {k.kind: k for k in KINDS}


@dataclass(frozen=True)
class CustomChoice:
    """What the user picked on the custom study screen."""

    kind: Kind
    number: int = 0
    deck: str | None = None
    tag: str | None = None
    #: for "more new": the extra cards also lower tomorrow's limit
    from_tomorrow: bool = False


class DayLimits:
    """Per study day: new cards added to the limit, and taken from it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def of(cls, paths: Paths) -> DayLimits:
        """The file of the data folder ``paths`` names."""
        return cls(paths.home / LIMITS_FILE)

    def _read(self) -> dict[str, dict[str, int]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def extra_new(self, day: int) -> int:
        """New cards added to (minus those taken from) day ``day``'s limit."""
        data = self._read()
        key = str(day)
        return int(data.get("added", {}).get(key, 0)) - int(data.get("taken", {}).get(key, 0))

    def add_new(self, day: int, n: int, from_tomorrow: bool) -> None:
        """Add ``n`` new cards to day ``day``'s limit (and take them from the next day's)."""
        data = self._read()
        # Days gone by are dropped: the file stays a few lines long.
        for part in ("added", "taken"):
            data[part] = {k: v for k, v in data.get(part, {}).items() if int(k) >= day}
        added = data["added"]
        added[str(day)] = added.get(str(day), 0) + n
        if from_tomorrow:
            taken = data["taken"]
            taken[str(day + 1)] = taken.get(str(day + 1), 0) + n
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


def _cram(svc: Service, uids: list[str]) -> ReviewSession:
    rows = svc.store.cram(uids)
    caps = Caps(len(rows), len(rows), svc.settings().new_per_day)
    return ReviewSession(svc.store, svc.sched, svc.clock, svc.card_view, caps, rows, practice=True)


def _weakest(svc: Service, choice: CustomChoice, day: int) -> list[str]:
    s = svc.sched
    q = Query(
        now=to_epoch(svc.clock()),
        today=day,
        decay=s.decay,
        factor=s.factor,
        deck=choice.deck,
        tag=choice.tag,
    )
    with svc.stats_context().open() as reader:
        return reader.weakest_uids(q, max(1, choice.number))


def start_custom(svc: Service, choice: CustomChoice) -> ReviewSession:
    """The session for ``choice`` (a UsageError for a bad deck, tag or number)."""
    if choice.kind not in BY_KIND:
        raise UsageError(f"no custom study {choice.kind!r}")
    if choice.number < 0:
        raise UsageError("the number must be 0 or more")
    if choice.deck:
        svc.check_deck(choice.deck)
    if choice.tag:
        svc.check_tag(choice.tag)
    today = svc.today()
    days = svc.sched.days
    if choice.kind == "more_new":
        if choice.number < 1:
            raise UsageError("add at least 1 new card")
        DayLimits.of(svc.paths).add_new(today, choice.number, choice.from_tomorrow)
        session = svc.start_session(deck=choice.deck, tag=choice.tag)
        session.keep_only(lambda r: r.group in ("new", "learning"))
        return session
    if choice.kind == "drills":
        session = svc.start_session(deck=choice.deck, tag=choice.tag)
        session.keep_only(lambda r: r.kind == "drill")
        return session
    if choice.kind == "ahead":
        if choice.number < 1:
            raise UsageError("review ahead at least 1 day")
        start, end = to_epoch(days.end(today)), to_epoch(days.end(today + choice.number))
        rows = [
            r
            for r in svc.store.queue(today, end, 0, CRAM_LIMIT, choice.deck, choice.tag)
            if r.group == "review" and r.due >= start
        ]
        caps = Caps(0, len(rows), svc.settings().new_per_day)
        return ReviewSession(svc.store, svc.sched, svc.clock, svc.card_view, caps, rows, True)
    if choice.kind == "failed":
        return _cram(svc, svc.store.failed_on(today))
    if choice.kind == "weakest":
        at = svc.sched.interview_moment()
        day = days.day(at) if at is not None else today
        return _cram(svc, _weakest(svc, choice, day))
    if not choice.deck and not choice.tag:
        raise UsageError("name a deck or a tag to cram")
    return _cram(svc, _weakest(svc, choice, today)[: choice.number or CRAM_LIMIT])
