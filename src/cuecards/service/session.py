"""One review sitting: today's queue, rated card by card.

A :class:`ReviewSession` is built by :meth:`cuecards.service.Service.start_session`
and given everything it uses: the store, the scheduling, the clock, the daily
caps and the function that turns a card into a :class:`CardView`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cuecards.clock import Clock
from cuecards.errors import UsageError
from cuecards.scheduling import REVIEW, Scheduling, from_epoch, to_epoch
from cuecards.service.log import rate_card, undo_review
from cuecards.storage import QueueRow, Store
from cuecards.views import CardView, QueueCounts, RateResult, SessionSummary, format_interval

#: where a card rated Again in a cram session comes back (cards later)
PRACTICE_AGAIN_GAP = 3
#: what a cram rating says instead of an interval
PRACTICE_INTERVAL = "unchanged (practice)"


@dataclass(frozen=True)
class Caps:
    """How many more cards today's limits allow: new ones, and reviews."""

    new: int
    review: int
    #: the new-card limit itself (the summary says when it is used up)
    new_per_day: int


def _spread(base: list[QueueRow], extra: list[QueueRow]) -> list[QueueRow]:
    """``base`` with ``extra`` merged in evenly (each keeps its own order)."""
    if not base or not extra:
        return base + extra
    keyed = [((i + 0.5) / len(base), 0, r) for i, r in enumerate(base)]
    keyed += [((j + 0.5) / len(extra), 1, r) for j, r in enumerate(extra)]
    return [r for _k, _t, r in sorted(keyed, key=lambda x: (x[0], x[1]))]


def _no_drill_runs(rows: list[QueueRow]) -> list[QueueRow]:
    """Drills spread evenly among the other cards, so that two drills are not
    back to back where that can be avoided."""
    drills = [r for r in rows if r.kind == "drill"]
    others = [r for r in rows if r.kind != "drill"]
    return _spread(others, drills)


@dataclass
class _Rated:
    """A rating given in this session (undone by deleting its review)."""

    review_id: int
    review_uid: str
    row: QueueRow
    rating: int
    duration_ms: int
    points: tuple[int | None, int | None]


@dataclass
class _SetAside:
    """A suspend or bury in this session, with the flags the card had before."""

    row: QueueRow
    suspended: int
    buried_until: int


def _points(grade: dict[str, Any] | None) -> tuple[int | None, int | None]:
    """Points hit and total from a drill's grade (the JSON of ``Grade.to_dict``)."""
    if not grade:
        return None, None
    try:
        return int(grade["hits"]), int(grade["total"])
    except (KeyError, TypeError, ValueError):
        return None, None


class ReviewSession:
    """One sitting: a queue for today, rated card by card."""

    def __init__(
        self,
        store: Store,
        sched: Scheduling,
        clock: Clock,
        view: Callable[[int], CardView],
        caps: Caps,
        rows: list[QueueRow],
        cram: bool = False,
        practice: bool = False,
    ) -> None:
        self._store = store
        self._sched = sched
        self._clock = clock
        self._view = view
        self.caps = caps
        self.cram = cram or practice
        #: a cram session: ratings are kept in memory only, never written as
        #: reviews, so no due date moves and no daily count changes
        self.practice = practice
        #: how far ahead a learning card may be shown when nothing else is left
        self._learn_ahead = timedelta(minutes=sched.settings.learn_ahead_minutes)
        now = clock()
        self.today = sched.days.day(now)
        self.end = sched.days.end(self.today)
        self.notes_today = store.notes_reviewed(self.today)
        self.learning: dict[int, tuple[datetime, QueueRow]] = {}
        main_rev: list[QueueRow] = []
        main_new: list[QueueRow] = []
        for r in rows:
            if r.group == "learning" and not self.cram:
                self.learning[r.id] = (from_epoch(r.due), r)
            elif r.group == "new":
                main_new.append(r)
            else:
                main_rev.append(r)
        if self.cram:
            self.queue = list(rows)
        else:
            main_rev = self._drop_siblings(main_rev)[: caps.review]
            main_new = self._drop_siblings(main_new)[: caps.new]
            self.queue = _no_drill_runs(_spread(main_rev, main_new))
        self.current: QueueRow | None = None
        self.rated: list[_Rated] = []
        #: every undoable action of this session, last on top
        self.actions: list[_Rated | _SetAside] = []
        self.started = now

    def _drop_siblings(self, rows: list[QueueRow]) -> list[QueueRow]:
        notes: set[str] = set()
        out = []
        for r in rows:
            if r.note_uid in notes or self._blocked(r):
                continue
            notes.add(r.note_uid)
            out.append(r)
        return out

    def _blocked(self, row: QueueRow) -> bool:
        """A sibling of this card was rated today."""
        done = self.notes_today.get(row.note_uid)
        return bool(done) and row.id not in (done or set())

    # -- the loop -----------------------------------------------------------
    def next_card(self) -> CardView | None:
        """The card to show now, or None when nothing is left today."""
        if self.current is None:
            self.current = self._pick(self._clock())
        return None if self.current is None else self._view(self.current.id)

    def _pick(self, now: datetime) -> QueueRow | None:
        due_now = [(d, r) for d, r in self.learning.values() if d <= now]
        if due_now:
            return min(due_now, key=lambda x: x[0])[1]
        # A sibling of a card rated today is skipped but kept: undoing that
        # rating makes it due again.
        for i, row in enumerate(self.queue):
            if not self._blocked(row):
                return self.queue.pop(i)
        ahead = [(d, r) for d, r in self.learning.values() if d <= now + self._learn_ahead]
        if ahead:
            return min(ahead, key=lambda x: x[0])[1]
        return None

    def _take(self, uid: str) -> QueueRow:
        """The session's entry for ``uid``, removed from wherever it waits."""
        row: QueueRow | None
        if self.current is not None and self.current.uid == uid:
            row, self.current = self.current, None
        else:
            row = next((r for r in self.queue if r.uid == uid), None)
            if row is not None:
                self.queue.remove(row)
            else:
                row = next((r for _d, r in self.learning.values() if r.uid == uid), None)
                if row is None:
                    # Not a card of this session (or already rated and gone):
                    # refusing it keeps a double key press from rating twice.
                    raise UsageError(f"{uid!r} is not waiting in this session")
        self.learning.pop(row.id, None)
        return row

    def rate(
        self,
        uid: str,
        rating: int,
        duration_ms: int,
        answer: str | None = None,
        grade: dict[str, Any] | None = None,
    ) -> RateResult:
        """Rate a card (1 again .. 4 easy); committed to disk before it returns.
        When saving fails, the error is raised and the card waits to be rated again."""
        if rating not in (1, 2, 3, 4):
            raise UsageError(f"a rating is 1, 2, 3 or 4, not {rating!r}")
        row = self._take(uid)
        now = self._clock().astimezone(UTC)
        points = _points(grade)
        ms = max(0, int(duration_ms))
        if self.practice:
            return self._practise(row, rating, ms, points)
        try:
            saved, after = rate_card(
                self._store, self._sched, row.id, rating, now, ms, answer, grade, points
            )
        except BaseException:
            # Nothing was saved: the card waits to be rated again.
            self._wait_again(row)
            raise
        self.notes_today.setdefault(row.note_uid, set()).add(row.id)
        if after.state != REVIEW and after.due < self.end:
            self.learning[row.id] = (
                after.due,
                QueueRow(
                    row.id,
                    row.uid,
                    row.note_uid,
                    row.kind,
                    after.state,
                    to_epoch(after.due),
                    after.reps,
                    "learning",
                ),
            )
        done = _Rated(saved.id, saved.uid, row, rating, ms, points)
        self.rated.append(done)
        self.actions.append(done)
        return RateResult(
            uid=row.uid,
            rating=rating,
            due=after.due,
            interval=format_interval(self._sched.shown_interval(after, now)),
            review_id=saved.id,
            rated_elsewhere=after.reps != row.reps + 1,
        )

    def _practise(
        self, row: QueueRow, rating: int, ms: int, points: tuple[int | None, int | None]
    ) -> RateResult:
        """A cram rating: nothing is written; Again brings the card back a
        few cards later in this session."""
        if rating == 1:
            self.queue.insert(min(len(self.queue), PRACTICE_AGAIN_GAP), row)
        done = _Rated(0, "", row, rating, ms, points)
        self.rated.append(done)
        self.actions.append(done)
        return RateResult(
            uid=row.uid,
            rating=rating,
            due=from_epoch(row.due),
            interval=PRACTICE_INTERVAL,
            review_id=0,
        )

    def keep_only(self, keep: Callable[[QueueRow], bool]) -> None:
        """Narrow this session to the cards ``keep`` accepts (custom study)."""
        self.queue = [r for r in self.queue if keep(r)]
        self.learning = {k: v for k, v in self.learning.items() if keep(v[1])}

    def leave_removed(self) -> list[str]:
        """Drop the cards no longer live (removed from their file, retired by a
        sync) from this session; returns their uids (the current card's too)."""
        live = set(self._store.live_card_ids())
        gone = [r for r in self.queue if r.id not in live]
        gone += [r for _d, r in self.learning.values() if r.id not in live]
        self.queue = [r for r in self.queue if r.id in live]
        self.learning = {k: v for k, v in self.learning.items() if k in live}
        if self.current is not None and self.current.id not in live:
            gone.append(self.current)
            self.current = None
        return list(dict.fromkeys(r.uid for r in gone))

    def _wait_again(self, row: QueueRow) -> None:
        """Put a taken card back where it waited (a rating failed to save)."""
        if row.group == "learning":
            self.learning[row.id] = (from_epoch(row.due), row)
        if self.current is None:
            self.current = row
        elif row.group != "learning":
            self.queue.insert(0, row)

    def _show_again(self, row: QueueRow) -> CardView:
        """Make ``row`` (as it was when taken) the current card again; the card
        that was current goes back to the front of the queue."""
        cur = self.current
        if cur is not None and cur.id != row.id and cur.id not in self.learning:
            self.queue.insert(0, cur)
        if row.group == "learning":
            # A learning card waits in ``learning``, not in the queue: put it
            # back there with its old due time, or it would count as a review.
            self.learning[row.id] = (from_epoch(row.due), row)
        self.current = row
        return self._view(row.id)

    def undo(self) -> CardView | None:
        """Undo the last action of this session (a rating, a suspend or a bury)
        and show the card again. A rating's own review row is deleted and the
        card's remaining reviews replayed, so another copy's rating stays.
        None when there is nothing to undo."""
        while self.actions:
            last = self.actions.pop()
            if isinstance(last, _SetAside):
                self._store.set_flags(last.row.id, last.suspended, last.buried_until)
                return self._show_again(last.row)
            self.rated.remove(last)
            if not last.review_uid:  # a cram rating: nothing was written
                if last.rating == 1 and last.row in self.queue:
                    self.queue.remove(last.row)
                return self._show_again(last.row)
            card_id = undo_review(self._store, self._sched, last.review_uid)
            if card_id is None:
                continue
            self.learning.pop(card_id, None)
            # Re-read rather than forget this card: it may have been rated
            # earlier today too, and then its siblings stay hidden.
            self.notes_today = self._store.notes_reviewed(self.today)
            for r in self.rated:  # those rated after a rollover in mid-session too
                self.notes_today.setdefault(r.row.note_uid, set()).add(r.row.id)
            return self._show_again(last.row)
        return None

    def _set_aside(self, uid: str, suspend: bool) -> None:
        row = self._take(uid)
        try:
            before = self._store.set_aside(row.id, suspend, self.today + 1)
        except BaseException:
            self._wait_again(row)
            raise
        self.actions.append(_SetAside(row, *before))

    def suspend(self, uid: str) -> None:
        """Suspend a card: it leaves the queue until unsuspended (``undo`` or
        ``cuecards suspended --restore``)."""
        self._set_aside(uid, suspend=True)

    def bury(self, uid: str) -> None:
        """Hide a card until tomorrow."""
        self._set_aside(uid, suspend=False)

    def remaining(self) -> QueueCounts:
        """Cards left in this session, as review apps count them."""
        horizon = self._clock() + self._learn_ahead
        rows = [r for r in self.queue if not self._blocked(r)]
        if self.current is not None and self.current.id not in self.learning:
            rows.append(self.current)
        new = sum(1 for r in rows if r.group == "new")
        learn_rows = sum(1 for r in rows if r.group == "learning")
        learning = learn_rows + sum(1 for d, _r in self.learning.values() if d <= horizon)
        return QueueCounts(new=new, learning=learning, review=len(rows) - new - learn_rows)

    def summary(self) -> SessionSummary:
        """What this session did."""
        s = SessionSummary()
        for r in self.rated:
            s.done += 1
            s.by_rating[r.rating] = s.by_rating.get(r.rating, 0) + 1
            s.seconds += r.duration_ms / 1000
            if r.points[1]:
                s.drill_points_hit += r.points[0] or 0
                s.drill_points_total += r.points[1]
        days, store = self._sched.days, self._store
        end_today = to_epoch(days.end(self.today))
        # Learning cards left for later today, including any already due that
        # this session did not get to (ended early): they come back today too.
        s.due_later_today = store.due_within(0, end_today, self.today, learning_only=True)
        s.due_tomorrow = store.due_within(
            end_today, to_epoch(days.end(self.today + 1)), self.today + 1
        )
        limit = self.caps.new_per_day
        if not self.cram and store.done_today(self.today)[0] >= limit:
            s.new_limit_reached, s.new_limit_hit = limit, True
        return s
