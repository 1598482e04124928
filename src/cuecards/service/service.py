"""The service: the one door to the core for the app and the command line.

The rule: nothing above this package opens the database, reads its rows or
calls storage, sync or the loader. The app (through its backend) and every
command call a :class:`Service` method, and get back plain data from
:mod:`cuecards.views`, :mod:`cuecards.stats` or :mod:`cuecards.config`. The
service joins deck syncing, storage and scheduling; it knows nothing of
Textual. Settings are written only by :meth:`Service.set_setting` (one
validation); a bad ``--deck`` or ``--tag`` is a :class:`UsageError` from here.

CONTRACT:

    svc = Service.open(paths, clock=None)   # opens/creates the db; no sync yet
    report = svc.sync(progress=None)         # progress(done, total) callback
    svc.home() -> HomeSummary
    s = svc.start_session(deck=None, tag=None, uids=None) -> ReviewSession
    s.next_card() -> CardView | None          # None: nothing left today
    s.rate(uid, rating, duration_ms, answer=None, grade=None) -> RateResult
                                              # committed before it returns
    s.undo() -> CardView | None               # deletes its own review row and
                                              # replays the card's others
    s.suspend(uid); s.bury(uid)
    s.remaining() -> QueueCounts
    s.summary() -> SessionSummary
    svc.deck_file(deck_id) -> Path | None     # for `e` (open in editor)
    svc.resync_file(path) -> SyncReport       # after the editor closes
    svc.stats_context() -> StatsContext       # for the figures (any thread)
    svc.close()

Also: ``settings()``, ``set_setting(key, value)`` (``None`` resets),
``stored_settings()``, ``suspended_cards()``, ``unsuspend(uids)``,
``review_history()``, ``check(repair)``, ``leeches()``, ``streak()``,
``expected_recall_on_interview()``, ``today()``.

Choices:

* The queue is built by one indexed query; card content is read one card at
  a time when shown.
* ``next_card()`` returns the same card until it is rated, suspended or
  buried. Learning cards come back when due; when nothing else is left, a
  learning card due within the ``learn_ahead_minutes`` setting is shown early.
* Siblings: once a card of a note is rated today, its siblings are skipped
  for the rest of the day (computed from today's reviews, so undo un-hides
  them; nothing is written).
* The review log is the truth: a card's schedule is the replay of its review
  rows (:mod:`cuecards.service.log`).
* Leeches (lapses >= ``leech_threshold``) are flagged, not suspended.
* ``start_session(uids=[...])`` studies exactly those cards, due or not.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import cuecards.clock
from cuecards.clock import Clock
from cuecards.config import Settings, effective, known_key, validated
from cuecards.errors import ConfigError, UsageError
from cuecards.paths import Paths
from cuecards.scheduling import Scheduling, from_epoch, to_epoch
from cuecards.scheduling.memory import RecallOn
from cuecards.service.custom import CustomChoice, DayLimits, start_custom
from cuecards.service.log import CheckReport, ImportedReview, check, import_reviews
from cuecards.service.session import Caps, ReviewSession
from cuecards.stats import StatsContext
from cuecards.storage import DeckRecord, Query, Store, SuspendedCard
from cuecards.views import (
    CardView,
    DeckSummary,
    HomeSummary,
    QueueCounts,
    SyncReport,
    format_interval,
)

#: seconds per card assumed for the home screen's estimate before any history
DEFAULT_SECONDS_PER_CARD = 15.0
#: how many known tags (or decks) an unknown-scope message names
TAG_HINTS = 8


def _unknown(what: str, name: str, known: list[str]) -> UsageError:
    """A usage error naming near misses first (a typo is the likely cause)."""
    if not known and what == "deck":
        return UsageError(f"no deck or folder of decks {name!r}; no deck is loaded")
    if not known:
        return UsageError(f"no card has the {what} {name!r}; no card has any {what} yet")
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = near + [t for t in known if t not in near]
    more = len(hint) - TAG_HINTS
    shown = ", ".join(hint[:TAG_HINTS]) + (f" (and {more} more)" if more > 0 else "")
    if what == "deck":
        return UsageError(f"no deck or folder of decks {name!r}; decks are: {shown}")
    return UsageError(f"no card has the {what} {name!r}; {what}s are: {shown}")


class Service:
    """Opens the database, syncs decks, and hands out review sessions."""

    def __init__(
        self,
        paths: Paths,
        store: Store,
        clock: Clock,
        until: date | None = None,
        lenient: bool = False,
    ) -> None:
        self.paths = paths
        self.store = store
        self.clock = clock
        #: an interview date for this run only (``--until``), over the setting
        self.until = until
        #: settings that fail validation fall back to their defaults (``config``)
        self._lenient = lenient
        self._load_settings()

    @classmethod
    def open(
        cls,
        paths: Paths,
        clock: Clock | None = None,
        read_only: bool = False,
        until: date | None = None,
        lenient: bool = False,
    ) -> Service:
        """Open (or create) the database of ``paths``; decks are not synced yet.

        ``read_only`` opens an existing database for reading only (for the
        figures of ``stats`` and ``export`` when it cannot be written).
        ``until`` is an interview date for this run only: no interval reaches
        past it, whatever the ``interview_date`` setting says. ``lenient``
        opens even when stored settings are invalid (to repair them)."""
        store = Store.open(paths.db_path, read_only=read_only)
        try:
            return cls(paths, store, clock or cuecards.clock.utc_now, until=until, lenient=lenient)
        except BaseException:
            store.close()
            raise

    def _load_settings(self) -> None:
        stored = self.store.settings()
        if self.until is not None:
            stored = {**stored, "interview_date": self.until.isoformat()}
        try:
            self._settings = validated(stored)
        except ConfigError as e:
            if not self._lenient:
                raise ConfigError(
                    f"stored settings are invalid: {e.msg}; fix them with "
                    "`cuecards config set` or `cuecards config unset`"
                ) from None
            self._settings = validated(self.setting_values(stored, valid_only=True))
        self.sched = Scheduling(self._settings)
        self._recall = RecallOn(self.sched.curve, self.sched.days)
        self.store.use_recall(self._recall)

    # -- settings -----------------------------------------------------------
    def settings(self) -> Settings:
        """The current settings."""
        return self._settings

    def stored_settings(self) -> dict[str, Any]:
        """The settings that were set (not defaults), as stored."""
        return self.store.settings()

    #: every setting's value from the stored ones (:func:`cuecards.config.effective`)
    setting_values = staticmethod(effective)
    #: ``key`` when it names a setting, else a ConfigError (:func:`cuecards.config.known_key`)
    setting_key = staticmethod(known_key)

    def set_setting(self, key: str, value: Any) -> Settings:
        """Validate and store one setting (``None`` = back to the default): the
        one write path for settings. An unknown key or a bad value is a
        :class:`ConfigError` and nothing is written."""
        self.setting_key(key)
        checked = None if value is None else validated({key: value}).model_dump(mode="json")[key]
        self.store.put_setting(key, checked)
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

    def writable(self) -> bool:
        """True when the database can be written."""
        return self.store.writable()

    # -- today --------------------------------------------------------------
    def today(self) -> int:
        """Today's study day number."""
        return self.sched.days.day(self.clock())

    def _caps(self, today: int) -> Caps:
        new_done, rev_done = self.store.done_today(today)
        s = self._settings
        extra = DayLimits.of(self.paths).extra_new(today)  # custom study's "more new cards"
        return Caps(
            max(0, s.new_per_day + extra - new_done),
            max(0, s.reviews_per_day - rev_done),
            s.new_per_day,
        )

    def start_session(
        self, deck: str | None = None, tag: str | None = None, uids: list[str] | None = None
    ) -> ReviewSession:
        """Today's queue (optionally one deck or folder, or one tag), or the named cards."""
        # Another copy or `cuecards config set` may have changed the settings.
        self._load_settings()
        if uids is not None:
            caps = Caps(len(uids), len(uids), self._settings.new_per_day)
            return self._session(caps, self.store.cram(uids), cram=True)
        if deck:
            self.check_deck(deck)
        if tag:
            self.check_tag(tag)
        today = self.today()
        caps = self._caps(today)
        end = to_epoch(self.sched.days.end(today))
        # A few extra rows so that dropping siblings still fills the limits.
        rows = self.store.queue(today, end, caps.new * 2 + 5, caps.review + 50, deck, tag)
        return self._session(caps, rows)

    def start_custom(self, choice: CustomChoice) -> ReviewSession:
        """A custom study session (:mod:`cuecards.service.custom`)."""
        return start_custom(self, choice)

    def _session(self, caps: Caps, rows: list[Any], cram: bool = False) -> ReviewSession:
        return ReviewSession(self.store, self.sched, self.clock, self.card_view, caps, rows, cram)

    def check_tag(self, tag: str) -> None:
        """A tag some live card has, or a UsageError naming a few that exist."""
        if not self.store.has_live_tag(tag):
            raise _unknown("tag", tag, self.store.live_tags())

    def check_deck(self, deck: str) -> None:
        """A deck (or folder of decks) with cards, or a UsageError naming decks."""
        if not self.store.has_deck(deck):
            decks = self.store.live_decks()
            folders = sorted({d.rsplit("/", 1)[0] for d in decks if "/" in d})
            raise _unknown("deck", deck, decks + [f for f in folders if f not in decks])

    def card_view(self, card_id: int) -> CardView:
        """A card as the review screen shows it, with each rating's interval."""
        card = self.store.card(card_id)
        if card is None:
            raise UsageError(f"card {card_id} is not in the database")
        state = card.state
        now = self.clock()
        intervals = {r: format_interval(d) for r, d in self.sched.preview(state, now).items()}
        return CardView(
            item=card.item,
            state=state.label,  # type: ignore[arg-type]
            reps=state.reps,
            lapses=state.lapses,
            is_leech=state.lapses >= self._settings.leech_threshold,
            intervals=intervals,
            labels_expire=self.sched.labels_expire(now),
            deck_title=card.deck_title or card.deck_id,
            deck_path=Path(card.deck_path) if card.deck_path else None,
        )

    def home(self) -> HomeSummary:
        """Today at a glance, per deck and in total (totals respect daily limits)."""
        from cuecards.sync import stored_error

        self._load_settings()  # as start_session: settings may have changed meanwhile
        now = self.clock()
        today = self.sched.days.day(now)
        caps = self._caps(today)
        end = to_epoch(self.sched.days.end(today))
        decks, errors = [], []
        tot_new = tot_learn = tot_rev = 0
        for d in self.store.deck_counts(today, end):
            first = None
            if d.error:
                rec = DeckRecord(d.deck_id, "", d.path, d.title or "", 0, 0, "", d.error, 0)
                err = stored_error(rec, Path(d.path))
                errors.append(err)
                first = err.first
            counts = QueueCounts(
                new=min(d.new, caps.new), learning=d.learning, review=min(d.review, caps.review)
            )
            decks.append(DeckSummary(d.deck_id, d.title or d.deck_id, counts, d.cards, first))
            tot_new, tot_learn, tot_rev = (
                tot_new + d.new,
                tot_learn + d.learning,
                tot_rev + d.review,
            )
        totals = QueueCounts(
            new=min(tot_new, caps.new), learning=tot_learn, review=min(tot_rev, caps.review)
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
            streak=self.streak(),
            reviews_today=self.store.reviews_on(today),
            interview_date=interview,
            days_to_interview=(interview - date.fromordinal(today)).days if interview else None,
            load_errors=tuple(errors),
            next_due=from_epoch(next_due) if next_due is not None else None,
            interview_recall=self.expected_recall_on_interview() if interview else None,
        )

    def _query(self) -> Query:
        s = self.sched
        return Query(now=to_epoch(self.clock()), today=self.today(), decay=s.decay, factor=s.factor)

    def streak(self) -> int:
        """Consecutive study days with reviews, ending today (or yesterday when
        today has none yet): the same query as the statistics' current streak."""
        return self.store.streaks(self._query())[0]

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
        """(uid, lapses) of cards at or past the leech threshold, worst first
        (the statistics' leech list)."""
        rows = self.store.leeches(self._query(), self._settings.leech_threshold)
        return [(str(r[0]), int(r[3])) for r in rows]

    # -- figures, cards, the log ---------------------------------------------
    def stats_context(self) -> StatsContext:
        """What the statistics need: the moment, days, curve, two settings and
        a way to open a query-only reader (usable on another thread)."""
        s = self._settings
        return StatsContext(
            open=self.store.stats_reader(self._recall),
            now=self.clock(),
            days=self.sched.days,
            decay=self.sched.decay,
            factor=self.sched.factor,
            desired_retention=s.desired_retention,
            leech_threshold=s.leech_threshold,
        )

    def check_scope(self, deck: str | None, tag: str | None) -> None:
        """A UsageError, with near misses, when no card (even retired) has the
        deck or the tag (the scope of ``stats`` and ``export``)."""
        if deck and not self.store.has_deck(deck):
            self.check_deck(deck)
        if tag and self.store.missing_scope(None, tag):
            raise _unknown("tag", tag, self.store.live_tags())

    def suspended_cards(self) -> list[SuspendedCard]:
        """Every live suspended card, by uid."""
        return self.store.suspended_cards()

    def unsuspend(self, uids: list[str] | None) -> list[str]:
        """Unsuspend the named cards, or every one (None); all or nothing: a uid
        that is not a suspended card is a UsageError and nothing changes."""
        if uids is not None:
            known = {c.uid for c in self.store.suspended_cards()}
            wanted = list(dict.fromkeys(uids))
            bad = [u for u in wanted if u not in known]
            if bad:
                why = [
                    f"{u} ({'not suspended' if self.store.card_id_of(u) else 'no such card'})"
                    for u in bad
                ]
                raise UsageError("nothing was changed: " + ", ".join(why))
            uids = wanted
        return self.store.unsuspend(uids)

    def review_history(self) -> Iterator[tuple[int, int, int]]:
        """Every rating as (card id, study day, rating), by card then time, streamed."""
        return self.store.review_history()

    def check(self, repair: bool = False) -> CheckReport:
        """The database's integrity, and every card's schedule against the
        replay of its reviews; ``repair`` rewrites those that differ (after a
        backup)."""
        return check(self.store, self.sched, repair)

    def import_history(
        self, logs: dict[str, list[ImportedReview]]
    ) -> tuple[dict[int, int], int, int]:
        """Extend the logs of the named cards (uid -> reviews made elsewhere) in
        one transaction. Returns (reviews written per card id, skipped as not
        newer than a card's last review here, skipped as their card is not
        loaded)."""
        by_id: dict[int, list[ImportedReview]] = {}
        missing = 0
        for uid, reviews in logs.items():
            card_id = self.store.card_id_of(uid)
            if card_id is None:
                missing += len(reviews)
            else:
                by_id[card_id] = reviews
        written, older = import_reviews(self.store, self.sched, by_id)
        return written, older, missing

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the database (default: ``backups/`` in the data folder)."""
        return self.store.backup(dest)

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
