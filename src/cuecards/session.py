"""The service API: the only door the app and the command line use.

It joins deck loading, storage and scheduling. It knows nothing of Textual.

CONTRACT:

    svc = Service.open(paths, clock=None)   # opens/creates the db; no sync yet
    report = svc.sync(progress=None)         # progress(done, total) callback
    svc.home() -> HomeSummary
    s = svc.start_session(deck=None, tag=None, uids=None) -> ReviewSession
    s.next_card() -> CardView | None          # None: nothing left today
    s.rate(uid, rating, duration_ms, answer=None, grade=None) -> RateResult
                                              # committed before it returns
    s.undo() -> CardView | None               # undoes the last rating, suspend
                                              # or bury exactly
    s.suspend(uid); s.bury(uid)
    s.remaining() -> QueueCounts
    s.summary() -> SessionSummary
    svc.deck_file(deck_id) -> Path | None     # for `e` (open in editor)
    svc.resync_file(path) -> SyncReport       # after the editor closes
    svc.close()

Also: ``svc.settings()``, ``svc.set_setting(key, value)`` (``None`` resets),
``svc.expected_recall_on_interview()``, ``svc.leeches()``, ``svc.today()``.

Choices:

* The queue is built by one indexed query (:meth:`Store.queue`); card content
  is read one card at a time when shown.
* ``next_card()`` returns the same card until it is rated, suspended or
  buried. Learning cards come back when due; when nothing else is left, a
  learning card due within the ``learn_ahead_minutes`` setting is shown early.
* Siblings: once a card of a note is rated today, its siblings are skipped
  for the rest of the day (computed from today's reviews, so undo un-hides
  them; nothing is written).
* Leeches (lapses >= ``leech_threshold``) are flagged, not suspended.
* ``start_session(uids=[...])`` studies exactly those cards, due or not.
* ``grade`` may carry ``points_hit``/``points_total`` (or ``hit``/``total``);
  they are stored with the review for drill statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cuecards.config import Settings, validated
from cuecards.errors import ConfigError, UsageError
from cuecards.paths import Paths
from cuecards.scheduling import REVIEW, Scheduling, from_epoch, to_epoch
from cuecards.store import QueueRow, Store, card_state, item_from_json
from cuecards.views import (
    CardView,
    DeckSummary,
    HomeSummary,
    QueueCounts,
    RateResult,
    SessionSummary,
    SyncReport,
    format_interval,
)

Clock = Callable[[], datetime]
#: seconds per card assumed for the home screen's estimate before any history
DEFAULT_SECONDS_PER_CARD = 15.0
#: how many known tags an unknown-tag message names
TAG_HINTS = 8


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


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


class ReviewSession:
    """One sitting: a queue for today, rated card by card."""

    def __init__(self, svc: Service, rows: list[QueueRow], cram: bool = False) -> None:
        self.svc = svc
        self.cram = cram
        now = svc.clock()
        self.today = svc.sched.days.day(now)
        self.end = svc.sched.days.end(self.today)
        self.notes_today = svc.store.notes_reviewed(self.today)
        self.learning: dict[int, tuple[datetime, QueueRow]] = {}
        main_rev: list[QueueRow] = []
        main_new: list[QueueRow] = []
        for r in rows:
            if r.group == "learning" and not cram:
                self.learning[r.id] = (from_epoch(r.due), r)
            elif r.group == "new":
                main_new.append(r)
            else:
                main_rev.append(r)
        if cram:
            self.queue = list(rows)
        else:
            main_rev = self._drop_siblings(main_rev)[: self._review_cap]
            main_new = self._drop_siblings(main_new)[: self._new_cap]
            self.queue = _no_drill_runs(_spread(main_rev, main_new))
        self.current: QueueRow | None = None
        self.rated: list[_Rated] = []
        #: every undoable action of this session, last on top
        self.actions: list[_Rated | _SetAside] = []
        self.started = now

    @property
    def _review_cap(self) -> int:
        return self.svc._review_cap  # noqa: SLF001

    @property
    def _learn_ahead(self) -> timedelta:
        return timedelta(minutes=self.svc.settings().learn_ahead_minutes)

    @property
    def _new_cap(self) -> int:
        return self.svc._new_cap  # noqa: SLF001

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
        return bool(done) and row.id not in done  # type: ignore[operator]

    # -- the loop -----------------------------------------------------------
    def next_card(self) -> CardView | None:
        """The card to show now, or None when nothing is left today."""
        if self.current is None:
            self.current = self._pick(self.svc.clock())
        return None if self.current is None else self.svc._view(self.current.id)  # noqa: SLF001

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
        if self.current is not None and self.current.uid == uid:
            row, self.current = self.current, None
        else:
            row = next((r for r in self.queue if r.uid == uid), None)  # type: ignore[assignment]
            if row is not None:
                self.queue.remove(row)
            else:
                found = next((r for _d, r in self.learning.values() if r.uid == uid), None)
                if found is None:
                    # Not a card of this session (or already rated and gone):
                    # refusing it keeps a double key press from rating twice.
                    raise UsageError(f"{uid!r} is not waiting in this session")
                row = found
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
        """Rate a card (1 again .. 4 easy); committed to disk before it returns."""
        if rating not in (1, 2, 3, 4):
            raise UsageError(f"a rating is 1, 2, 3 or 4, not {rating!r}")
        row = self._take(uid)
        now = self.svc.clock().astimezone(UTC)
        sched = self.svc.sched
        points = _points(grade)
        try:
            review_id, _before, after = self.svc.store.rate(
                row.id,
                lambda before: sched.review(before, rating, now, duration_ms),
                to_epoch(now),
                sched.days.day(now),
                rating,
                max(0, int(duration_ms)),
                answer,
                grade,
                points,
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
        done = _Rated(review_id, row, rating, max(0, int(duration_ms)), points)
        self.rated.append(done)
        self.actions.append(done)
        return RateResult(
            uid=row.uid,
            rating=rating,
            due=after.due,
            interval=format_interval(sched.shown_interval(after, now)),
            review_id=review_id,
        )

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
        return self.svc._view(row.id)  # noqa: SLF001

    def undo(self) -> CardView | None:
        """Undo the last action of this session (a rating, a suspend or a bury):
        the card is restored exactly and shown again. None when there is
        nothing to undo."""
        while self.actions:
            last = self.actions.pop()
            if isinstance(last, _SetAside):
                self.svc.store.set_flags(last.row.id, last.suspended, last.buried_until)
                return self._show_again(last.row)
            self.rated.remove(last)
            card_id = self.svc.store.undo(last.review_id)
            if card_id is None:
                continue
            self.learning.pop(card_id, None)
            # Re-read rather than forget this card: it may have been rated
            # earlier today too, and then its siblings stay hidden.
            self.notes_today = self.svc.store.notes_reviewed(self.today)
            for r in self.rated:  # those rated after a rollover in mid-session too
                self.notes_today.setdefault(r.row.note_uid, set()).add(r.row.id)
            return self._show_again(last.row)
        return None

    def _set_aside(self, uid: str, suspend: bool) -> None:
        row = self._take(uid)
        try:
            before = self.svc.store.set_aside(row.id, suspend, self.today + 1)
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
        horizon = self.svc.clock() + self._learn_ahead
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
        days, store = self.svc.sched.days, self.svc.store
        end_today = to_epoch(days.end(self.today))
        # Learning cards left for later today, including any already due that
        # this session did not get to (ended early): they come back today too.
        s.due_later_today = store.due_within(0, end_today, self.today, learning_only=True)
        s.due_tomorrow = store.due_within(
            end_today, to_epoch(days.end(self.today + 1)), self.today + 1
        )
        limit = self.svc.settings().new_per_day
        if not self.cram and store.done_today(self.today)[0] >= limit:
            s.new_limit_reached = limit
        return s


def _points(grade: dict[str, Any] | None) -> tuple[int | None, int | None]:
    """Points hit and total from a drill's grade (the JSON of ``Grade.to_dict``)."""
    if not grade:
        return None, None
    try:
        return int(grade["hits"]), int(grade["total"])
    except (KeyError, TypeError, ValueError):
        return None, None


class Service:
    """Opens the database, syncs decks, and hands out review sessions."""

    def __init__(self, paths: Paths, store: Store, clock: Clock, until: date | None = None) -> None:
        self.paths = paths
        self.store = store
        self.clock = clock
        #: an interview date for this run only (``--until``), over the setting
        self.until = until
        self._load_settings()

    @classmethod
    def open(
        cls,
        paths: Paths,
        clock: Clock | None = None,
        read_only: bool = False,
        until: date | None = None,
    ) -> Service:
        """Open (or create) the database of ``paths``; decks are not synced yet.

        ``read_only`` opens an existing database for reading only (for the
        figures of ``stats`` and ``export`` when it cannot be written).
        ``until`` is an interview date for this run only: no interval reaches
        past it, whatever the ``interview_date`` setting says."""
        return cls(
            paths, Store.open(paths.db_path, read_only=read_only), clock or utc_now, until=until
        )

    def _load_settings(self) -> None:
        try:
            stored = self.store.settings()
            if self.until is not None:
                stored = {**stored, "interview_date": self.until.isoformat()}
            self._settings = validated(stored)
        except ConfigError as e:
            raise ConfigError(
                f"stored settings are invalid: {e.msg}; fix them with "
                "`cuecards config set` or `cuecards config unset`"
            ) from None
        self.sched = Scheduling(self._settings)

    # -- settings -----------------------------------------------------------
    def settings(self) -> Settings:
        """The current settings."""
        return self._settings

    def set_setting(self, key: str, value: Any) -> Settings:
        """Validate and store one setting (``None`` = back to the default)."""
        if key not in Settings.model_fields:
            raise ConfigError(f"unknown setting {key!r}")
        values = self._settings.model_dump(mode="json", exclude_unset=True)
        values.pop(key, None)
        if value is not None:
            values[key] = value
        checked = validated(values)
        self.store.put_setting(key, None if value is None else checked.model_dump(mode="json")[key])
        self._load_settings()
        return self._settings

    # -- decks --------------------------------------------------------------
    def sync(self, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Bring the database up to date with the deck folders."""
        from cuecards.sync import sync_all

        return sync_all(self.store, self.paths.deck_dirs, to_epoch(self.clock()), progress)

    def resync_file(self, path: Path) -> SyncReport:
        """Sync one deck file (e.g. after editing it)."""
        from cuecards.sync import sync_one

        return sync_one(self.store, Path(path), self.paths.deck_dirs, to_epoch(self.clock()))

    def deck_file(self, deck_id: str) -> Path | None:
        """The file a deck was loaded from."""
        p = self.store.deck_path(deck_id)
        return Path(p) if p else None

    # -- today --------------------------------------------------------------
    def today(self) -> int:
        """Today's study day number."""
        return self.sched.days.day(self.clock())

    def _caps(self, today: int) -> None:
        new_done, rev_done = self.store.done_today(today)
        self._new_cap = max(0, self._settings.new_per_day - new_done)
        self._review_cap = max(0, self._settings.reviews_per_day - rev_done)

    def start_session(
        self, deck: str | None = None, tag: str | None = None, uids: list[str] | None = None
    ) -> ReviewSession:
        """Today's queue (optionally one deck or folder, or one tag), or the named cards."""
        # Another copy or `cuecards config set` may have changed the settings.
        self._load_settings()
        if uids is not None:
            self._new_cap = self._review_cap = len(uids)
            return ReviewSession(self, self.store.cram(uids), cram=True)
        if tag:
            self._check_tag(tag)
        now = self.clock()
        today = self.sched.days.day(now)
        self._caps(today)
        end = to_epoch(self.sched.days.end(today))
        # A few extra rows so that dropping siblings still fills the limits.
        rows = self.store.queue(today, end, self._new_cap * 2 + 5, self._review_cap + 50, deck, tag)
        return ReviewSession(self, rows)

    def _check_tag(self, tag: str) -> None:
        """A tag some live card has, or a UsageError naming a few that exist."""
        if self.store.has_live_tag(tag):
            return
        import difflib

        known = self.store.live_tags()
        if not known:
            raise UsageError(f"no card has the tag {tag!r}; no card has any tag yet")
        # Near misses first (a typo is the likely cause), then the rest in order.
        near = difflib.get_close_matches(tag, known, n=3, cutoff=0.6)
        hint = near + [t for t in known if t not in near]
        more = len(hint) - TAG_HINTS
        shown = ", ".join(hint[:TAG_HINTS]) + (f" (and {more} more)" if more > 0 else "")
        raise UsageError(f"no card has the tag {tag!r}; tags are: {shown}")

    def _view(self, card_id: int) -> CardView:
        row = self.store.card_row(card_id)
        if row is None:
            raise UsageError(f"card {card_id} is not in the database")
        state = card_state(row)
        now = self.clock()
        intervals = {r: format_interval(d) for r, d in self.sched.preview(state, now).items()}
        return CardView(
            item=item_from_json(row["content"]),
            state=state.label,  # type: ignore[arg-type]
            reps=state.reps,
            lapses=state.lapses,
            is_leech=state.lapses >= self._settings.leech_threshold,
            intervals=intervals,
            labels_expire=self.sched.labels_expire(now),
            deck_title=row["title"] or row["deck_id"],
            deck_path=Path(row["path"]) if row["path"] else None,
        )

    def home(self) -> HomeSummary:
        """Today at a glance, per deck and in total (totals respect daily limits)."""
        self._load_settings()  # as start_session: settings may have changed meanwhile
        now = self.clock()
        today = self.sched.days.day(now)
        self._caps(today)
        end = to_epoch(self.sched.days.end(today))
        decks = []
        errors = []
        tot_new = tot_learn = tot_rev = 0
        from cuecards.store import DeckRecord
        from cuecards.sync import stored_error

        for r in self.store.deck_counts(today, end):
            deck_id, title, error, path, cards, new, learn, rev = tuple(r)
            first = None
            if error:
                rec = DeckRecord(deck_id, "", path, title, 0, 0, "", error, 0)
                err = stored_error(rec, Path(path))
                errors.append(err)
                first = err.first
            decks.append(
                DeckSummary(
                    deck_id=deck_id,
                    title=title or deck_id,
                    cards=cards,
                    error=first,
                    counts=QueueCounts(
                        new=min(new, self._new_cap),
                        learning=learn,
                        review=min(rev, self._review_cap),
                    ),
                )
            )
            tot_new += new
            tot_learn += learn
            tot_rev += rev
        totals = QueueCounts(
            new=min(tot_new, self._new_cap),
            learning=tot_learn,
            review=min(tot_rev, self._review_cap),
        )
        per_card = (self.store.mean_duration_ms() or DEFAULT_SECONDS_PER_CARD * 1000) / 1000
        # New and learning cards come back for their steps: count them twice.
        minutes = -(-int(per_card * (totals.review + 2 * (totals.new + totals.learning))) // 60)
        interview = self._settings.interview_date
        next_due = self.store.next_due(to_epoch(now))
        return HomeSummary(
            decks=tuple(decks),
            totals=totals,
            minutes_estimate=minutes,
            streak=self._streak(today),
            reviews_today=self.store.reviews_on(today),
            interview_date=interview,
            days_to_interview=(interview - date.fromordinal(today)).days if interview else None,
            load_errors=tuple(errors),
            next_due=from_epoch(next_due) if next_due is not None else None,
            interview_recall=self.expected_recall_on_interview() if interview else None,
        )

    def _streak(self, today: int) -> int:
        days = self.store.review_days()
        if not days:
            return 0
        expect = today if days[0] == today else today - 1
        streak = 0
        for d in days:
            if d != expect:
                break
            streak += 1
            expect -= 1
        return streak

    def expected_recall_on_interview(self) -> float | None:
        """Mean predicted recall of studied cards on the interview day, if one is set."""
        at = self.sched.interview_moment()
        if at is None:
            return None
        memory = self.store.memory()
        if not memory:
            return None
        day = self.sched.days.day(at)
        r = [self.sched.recall_on(s, from_epoch(last), day) for s, last in memory]
        return sum(r) / len(r)

    def leeches(self) -> list[tuple[str, int]]:
        """(uid, lapses) of cards at or past the leech threshold, worst first."""
        return self.store.leeches(self._settings.leech_threshold)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Clock", "ReviewSession", "Service"]
