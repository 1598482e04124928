"""An Anki review history as cuecards reviews, and its replay into the database.

:func:`review_records` turns revlog rows into plain :class:`ReviewRecord` s
(the card's cuecards uid, when, the rating 1-4, how long); manual changes and
reschedules (no button pressed) are skipped and counted. A card reset to new
in Anki (a manual row with no interval: "Forget") starts again there, as
Anki's own FSRS memory state does: the reviews before the reset are skipped
and counted. :func:`apply_history`
writes them: each card's state is the replay of its reviews, in time order,
through the same scheduler a rating uses.

A second import of the same package adds nothing twice: a card gets only the
reviews later than its last one in the database (so reviews made in Anki
before a later review here are skipped, and counted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cuecards.interop.anki_sqlite import AnkiCard, AnkiReview
from cuecards.scheduling import from_epoch

if TYPE_CHECKING:
    from cuecards.session import Service

#: revlog kinds in which the user pressed a button
_ANSWERED = {0: "learning", 1: "review", 2: "relearning", 3: "filtered"}
_SUSPENDED, _BURIED = -1, (-2, -3)
_MANUAL = 4


@dataclass(frozen=True)
class ReviewRecord:
    """One review to import."""

    uid: str
    reviewed_at: int
    rating: int
    duration_ms: int
    #: the review's stable id from its source (Anki's revlog id)
    source_id: str = ""


@dataclass
class HistoryReport:
    """What :func:`review_records` and :func:`apply_history` did."""

    records: int = 0
    written: int = 0
    cards: int = 0
    suspended: int = 0
    buried: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def review_records(
    reviews: Iterable[AnkiReview], uids: dict[int, str], report: HistoryReport | None = None
) -> list[ReviewRecord]:
    """The reviews of imported cards, by card then time; the rest counted in ``report``."""
    report = report if report is not None else HistoryReport()
    rows = list(reviews)
    reset_at = {r.card_id: r.id for r in rows if r.kind == _MANUAL and r.ease == 0 and r.ivl == 0}
    out: list[ReviewRecord] = []
    for r in rows:
        if r.id < reset_at.get(r.card_id, -1):
            report.skipped["review before the card was reset to new in Anki"] += 1
            continue
        if r.kind not in _ANSWERED or not 1 <= r.ease <= 4:
            report.skipped["manual change or reschedule"] += 1
            continue
        uid = uids.get(r.card_id)
        if uid is None:
            report.skipped["review of a card not imported"] += 1
            continue
        # A duration is capped by Anki at its answer time limit; keep it as is.
        out.append(
            ReviewRecord(uid, r.id // 1000, r.ease, max(0, r.time_ms), f"anki-{r.id}-{r.card_id}")
        )
    out.sort(key=lambda rec: (rec.uid, rec.reviewed_at))
    report.records = len(out)
    return out


def apply_history(
    svc: Service, records: list[ReviewRecord], report: HistoryReport | None = None
) -> HistoryReport:
    """Write ``records`` (cards already synced) through the service, which
    rates them in time order as a rating does, so each card's state is the
    replay of its log; returns ``report`` (or a new one) with what was written
    and skipped."""
    from cuecards.service.log import ImportedReview

    report = report if report is not None else HistoryReport()
    logs: dict[str, list[ImportedReview]] = {}
    for rec in records:
        logs.setdefault(rec.uid, []).append(
            ImportedReview(from_epoch(rec.reviewed_at), rec.rating, rec.duration_ms, rec.source_id)
        )
    written, older, missing = svc.import_history(logs)
    if older:
        report.skipped["review not newer than the card's last review here"] += older
    if missing:
        report.skipped["review of a card that did not load"] += missing
    report.written += sum(written.values())
    report.cards += len(written)
    return report


def apply_flags(
    svc: Service, cards: Iterable[AnkiCard], uids: dict[int, str], report: HistoryReport
) -> None:
    """Suspended cards stay suspended; buried ones are buried until tomorrow."""
    suspend: list[str] = []
    bury: list[str] = []
    for card in cards:
        uid = uids.get(card.id)
        if uid and card.queue == _SUSPENDED:
            suspend.append(uid)
        elif uid and card.queue in _BURIED:
            bury.append(uid)
    loaded = svc.card_ids(suspend + bury)
    suspend = [u for u in suspend if u in loaded]
    bury = [u for u in bury if u in loaded]
    if suspend:
        svc.suspend_cards(suspend)
    if bury:
        svc.bury_cards(bury)
    report.suspended += len(suspend)
    report.buried += len(bury)
