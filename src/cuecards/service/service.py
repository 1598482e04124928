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
    svc.own_copy(deck_id) -> (Path, SyncReport) # `e` on a shipped deck: copy, sync
    svc.stats_context() -> StatsContext       # for the figures (any thread)
    svc.close()

Also: ``settings()``, ``set_setting(key, value)`` (``None`` resets),
``stored_settings()``, ``suspended_cards()``, ``unsuspend(uids)``,
``review_history()``, ``check(repair)``, ``leeches()``, ``streak()``,
``expected_recall_on_interview()``, ``today()``, ``verify()`` (the check of
the whole file made at open), ``other_copy_open()``, ``is_shipped(deck_id)``,
``add_deck_folder(path)``; Browse (:mod:`cuecards.service.browse`):
``browse_query(text)``, ``browse(query, offset, limit)``, ``card_info(uid)``,
``suspend_cards``, ``bury_cards``, ``forget_cards``; ``seconds_per_rating()``, ``card_ids(uids)``.

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
* Leeches (lapses >= ``leech_threshold``) are flagged, not suspended;
  ``start_session(uids=[...])`` studies exactly those cards, due or not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cuecards.clock
from cuecards.clock import Clock
from cuecards.config import Settings, effective, known_key, validated
from cuecards.errors import ConfigError, UsageError
from cuecards.paths import Paths
from cuecards.scheduling import Scheduling, from_epoch, to_epoch
from cuecards.scheduling.memory import RecallOn
from cuecards.service import browse as _browse
from cuecards.service import today as _today
from cuecards.service.custom import CustomChoice, DayLimits, start_custom
from cuecards.service.log import CheckReport, ImportedReview, check, import_reviews
from cuecards.service.scope import unknown as _unknown
from cuecards.service.session import Caps, ReviewSession
from cuecards.stats import StatsContext
from cuecards.storage import Query, Store, SuspendedCard
from cuecards.views import (
    CardView,
    HomeSummary,
    SyncReport,
    format_interval,
)

if TYPE_CHECKING:
    from cuecards.service.opening import Watch


class Service:
    """Opens the database, syncs decks, and hands out review sessions."""

    #: the one-line notes of the last sync (a deck move, an override, a missing folder)
    sync_notes: tuple[str, ...] = ()

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
        #: the check, daily backup and presence started by :meth:`open`
        self.watch: Watch | None = None
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

        ``read_only``: read an existing database only (``stats``, ``export``).
        ``until``: an interview date for this run only. ``lenient``: open even
        when stored settings are invalid (to repair them). Refused with a
        StoreError before anything is shown: an empty, foreign, newer, locked,
        journal-less or (unless ``read_only``) read-only file. The check of the
        whole file and the day's backup then run on their own thread; every
        write waits for the check and is refused on a damaged file."""
        from cuecards.service.opening import Watch, open_store

        store = open_store(paths.db_path, read_only)
        try:
            svc = cls(paths, store, clock or cuecards.clock.utc_now, until=until, lenient=lenient)
        except BaseException:
            store.close()
            raise
        svc.watch = Watch(store, None if read_only else svc.sched.days.date_of(svc.today()))
        return svc

    def verify(self) -> None:
        """Wait for the check made at open; a StoreError if the file is damaged."""
        if self.watch is not None:
            self.watch.verify()

    def other_copy_open(self) -> bool:
        """True when another copy of cuecards has this database open."""
        return self.watch is not None and self.watch.others()

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

        report = sync_all(self.store, self.paths.deck_dirs, to_epoch(self.clock()), progress)
        self.sync_notes = report.notes
        return report

    def resync_file(self, path: Path) -> SyncReport:
        """Sync one deck file (e.g. after editing it)."""
        from cuecards.sync import sync_one

        report = sync_one(self.store, Path(path), self.paths.deck_dirs, to_epoch(self.clock()))
        self.sync_notes = report.notes
        return report

    def deck_file(self, deck_id: str) -> Path | None:
        """The file a deck was loaded from."""
        p = self.store.deck_path(deck_id)
        return Path(p) if p else None

    def is_shipped(self, deck_id: str) -> bool:
        """True when the deck is read from the decks that come with cuecards."""
        from cuecards.service.folders import is_shipped

        return is_shipped(self, deck_id)

    def own_copy(self, deck_id: str) -> tuple[Path, SyncReport]:
        """Copy a shipped deck into the user's first deck folder and sync, so
        the copy replaces it with its history (:func:`cuecards.service.folders.own_copy`)."""
        from cuecards.service.folders import own_copy

        return own_copy(self, deck_id)

    def add_deck_folder(self, folder: Path) -> bool:
        """Add a folder to the ``deck_folders`` setting; True when it was not there."""
        from cuecards.service.folders import add_deck_folder

        return add_deck_folder(self, folder)

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
        from cuecards.service.today import one_per_note

        rows = rows if cram else one_per_note(rows)  # the home screen counts the same
        return ReviewSession(self.store, self.sched, self.clock, self.card_view, caps, rows, cram)

    def check_tag(self, tag: str) -> None:
        """A tag some live card has, or a UsageError naming a few that exist."""
        if not self.store.has_live_tag(tag):
            raise _unknown("tag", tag, self.store.live_tags())

    def check_deck(self, deck: str, failed: Collection[str] = ()) -> None:
        """A deck (or folder of decks) with cards, or a UsageError naming decks
        (not those in ``failed``: decks whose file did not load)."""
        if not self.store.has_deck(deck):
            decks = [d for d in self.store.live_decks() if d not in failed]
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
        """Today at a glance, per deck and in total: the totals are what a
        session over every deck then shows (:mod:`cuecards.service.today`)."""
        from cuecards.service.today import home_summary

        return home_summary(self)

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

    # -- browse: find cards, one card's info and history, act on several ----
    browse = _browse.browse
    browse_query = staticmethod(_browse.parse_query)
    card_info = _browse.card_info
    suspend_cards = _browse.suspend_cards
    bury_cards = _browse.bury_cards
    forget_cards = _browse.forget_cards
    seconds_per_rating = _today.seconds_per_rating
    card_ids = _today.card_ids

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the database (default: ``backups/`` in the data folder)."""
        return self.store.backup(dest)

    def close(self) -> None:
        """Close the database (after the check made at open has finished)."""
        if self.watch is not None:
            self.watch.close()
            self.watch = None
        self.store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            if kind is None:
                self.verify()  # a command that only read still says the file is damaged
        finally:
            self.close()
