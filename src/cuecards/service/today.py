"""Today at a glance, counted as the session will show it.

The home screen promises what a session then gives: its new and review
counts come from the very queue :meth:`Service.start_session` builds, so the
cards a note's sibling holds back until tomorrow (a reverse card, a cloze's
other gaps) are counted apart as ``held_back`` rather than promised and then
withheld. Learning cards count when due today, as the session shows them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cuecards.scheduling import from_epoch, to_epoch
from cuecards.storage import DeckRecord, QueueRow
from cuecards.views import DeckSummary, HomeSummary, QueueCounts

if TYPE_CHECKING:
    from cuecards.service.service import Service

#: seconds per card assumed for the home screen's estimate before any history
DEFAULT_SECONDS_PER_CARD = 15.0
#: the home screen's note while another copy of cuecards has the database open
ANOTHER_COPY = "Another copy of cuecards is open: ratings in both are kept."
#: how many of a sync's notes are said before "and N more"
NOTES_SHOWN = 3


def brief_notes(notes: Sequence[str], limit: int = NOTES_SHOWN) -> list[str]:
    """At most ``limit`` of a sync's one-line notes, then ``and N more``."""
    if len(notes) <= limit:
        return list(notes)
    return [*notes[: limit - 1], f"and {len(notes) - limit + 1} more"]


def one_per_note(rows: list[QueueRow]) -> list[QueueRow]:
    """Today's candidates with one review or new card per note (the first:
    reviews come before new cards). Once one card of a note is rated, its
    siblings wait until tomorrow, so they are left out from the start rather
    than counted and then skipped. Learning cards are all kept."""
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.group != "learning":
            if r.note_uid in seen:
                continue
            seen.add(r.note_uid)
        out.append(r)
    return out


def home_summary(svc: Service) -> HomeSummary:
    """Today at a glance, per deck and in total (totals as the session counts)."""
    from cuecards.sync import stored_error

    session = svc.start_session()  # reloads the settings: another copy may have set them
    now = svc.clock()
    today = session.today
    caps = session.caps
    end = to_epoch(svc.sched.days.end(today))
    decks, errors = [], []
    raw = QueueCounts()
    for d in svc.store.deck_counts(today, end):
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
        raw = QueueCounts(raw.new + d.new, raw.learning + d.learning, raw.review + d.review)
    new = sum(1 for r in session.queue if r.group == "new")
    totals = QueueCounts(new=new, learning=raw.learning, review=len(session.queue) - new)
    promised = min(raw.new, caps.new) + min(raw.review, caps.review)
    per_card = seconds_per_rating(svc)
    # New and learning cards come back for their steps: count them twice.
    minutes = -(-int(per_card * (totals.review + 2 * (totals.new + totals.learning))) // 60)
    interview = svc.settings().interview_date
    next_due = svc.store.next_due(to_epoch(now))
    return HomeSummary(
        decks=tuple(decks),
        totals=totals,
        minutes_estimate=minutes,
        streak=svc.streak(),
        reviews_today=svc.store.reviews_on(today),
        interview_date=interview,
        days_to_interview=(interview - date.fromordinal(today)).days if interview else None,
        load_errors=tuple(errors),
        next_due=from_epoch(next_due) if next_due is not None else None,
        interview_recall=svc.expected_recall_on_interview() if interview else None,
        held_back=max(0, promised - totals.new - totals.review),
        sync_notes=((ANOTHER_COPY,) if svc.other_copy_open() else ())
        + tuple(brief_notes(svc.sync_notes)),
    )


def seconds_per_rating(svc: Service) -> float:
    """Mean seconds per rating lately (:data:`DEFAULT_SECONDS_PER_CARD` before
    any history): the home screen's estimate and the plan's minutes."""
    return (svc.store.mean_duration_ms() or DEFAULT_SECONDS_PER_CARD * 1000) / 1000


def card_ids(svc: Service, uids: Collection[str]) -> dict[str, int]:
    """The database ids of the named cards that are loaded (the fuzz seed)."""
    return {uid: cid for uid in uids if (cid := svc.store.card_id_of(uid)) is not None}
