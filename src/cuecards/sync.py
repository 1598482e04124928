"""Sync deck files into the database, keeping every card's history.

* Each deck file is written in its own transaction. A file that fails to load
  changes none of its cards; the error is recorded and reported, and the
  other files still load.
* An unchanged file is recognised by (size, mtime_ns) without reading it, then
  by a sha256 of its bytes without parsing it. YAML (and the loader) are
  imported only when some file really has to be parsed.
* Identity: a card is ``deck-id/card-id[#variant]``. An edit keeps the card's
  row (schedule and reviews). A card gone from its file is retired, not
  deleted, and comes back with its history if it reappears. A card without
  an id whose text changed a little takes over the row of its old self:
  same kind and variant, and a near-identical recall front (or drill
  prompt), or the whole text a little edited (:func:`similarity`). Old
  cards with reviews are preferred, so history is never left behind.
* A deck file that disappeared: its cards are retired (history kept).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cuecards.errors import CuecardsError, DeckError
from cuecards.model import Item
from cuecards.storage import CardPlan, DeckMeta, DeckRecord, Store, item_content
from cuecards.views import DeckLoadError, Problem, SyncReport

DECK_SUFFIXES = (".yaml", ".yml")


def deck_files(root: Path) -> list[Path]:
    """Deck files under ``root`` (hidden folders and files skipped), sorted."""
    out: list[Path] = []
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(DECK_SUFFIXES) and not name.startswith("."):
                out.append(Path(dirpath) / name)  # noqa: PERF401
    return sorted(out)


def deck_id_of(path: Path, root: Path) -> str:
    """``pm/trade-offs`` for ``root/pm/trade-offs.yaml``."""
    rel = path.relative_to(root).with_suffix("")
    return rel.as_posix()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: combined text of two versions of an id-less card: at least this similar
SIMILARITY = 85.0
#: the part that names the card (recall front, drill prompt): near-identical
NEAR_SAME = 90.0
#: the naming part when the other part (recall back, drill answer) is
#: near-identical: a reworded question over the same answer
REWORDED = 70.0


def _identity(content: dict[str, Any]) -> tuple[str, str]:
    """What identifies an id-less item: (the naming part, the other part).

    Recall: (front, back), whichever way the variant shows them. Drill:
    (prompt, model answer). Cloze: the text with every gap word shown (the
    item's answer), and nothing else.
    """
    prompt = str(content.get("prompt", ""))
    answer = str(content.get("answer", ""))
    kind = content.get("kind")
    if kind == "cloze":
        return answer, ""
    if kind == "recall" and content.get("variant") == "reverse":
        return answer, prompt
    return prompt, answer


def similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    """How surely ``new`` is an edit of ``old`` (0 when it is not one).

    Both must be of one kind and variant. The naming part near-identical is
    a match (a recall card whose back was reworded); so is the whole text a
    little edited, or a reworded question over a near-identical answer.
    """
    if old.get("kind") != new.get("kind") or old.get("variant") != new.get("variant"):
        return 0.0
    from rapidfuzz import fuzz, utils

    def ratio(a: str, b: str) -> float:
        return fuzz.ratio(a, b, processor=utils.default_process)

    old_key, old_rest = _identity(old)
    new_key, new_rest = _identity(new)
    key = ratio(old_key, new_key)
    if not old_rest and not new_rest:  # cloze: the text is all there is
        return key if key >= SIMILARITY else 0.0
    whole = ratio(f"{old_key}\n{old_rest}", f"{new_key}\n{new_rest}")
    rest = ratio(old_rest, new_rest)
    passing = [whole] if whole >= SIMILARITY else []
    if key >= NEAR_SAME:
        passing.append(key)
    if rest >= NEAR_SAME and key >= REWORDED:
        passing.append((key + rest) / 2)
    return max(passing, default=0.0)


def plan_cards(
    items: list[Item], rows: Iterable[Any], history: Callable[[int], int] | None = None
) -> CardPlan:
    """Decide inserts, updates and retirements for one deck's new items.

    ``rows`` are the deck's current card rows (mapping-like, with id, uid,
    kind, variant, content, auto_id, retired). ``history(card_id)`` is how
    many reviews a card has; an id-less item whose text changed goes to the
    old card with history first, so a review record is never left behind
    for a never-reviewed copy.
    """
    import json

    existing = {r["uid"]: r for r in rows}
    plan = CardPlan(inserts=[], updates=[], retire=[])
    seen: set[str] = set()
    unmatched_auto: list[tuple[int, Item]] = []
    for position, item in enumerate(items):
        if item.uid in seen:
            continue  # the loader reports duplicate ids; never write a uid twice
        seen.add(item.uid)
        row = existing.get(item.uid)
        if row is not None:
            plan.updates.append((row["id"], position, item))
        elif item.auto_id:
            unmatched_auto.append((position, item))
        else:
            plan.inserts.append((position, item))
    # Old id-less cards no longer present (vanished now or retired earlier)
    # may be slightly edited versions of new id-less items.
    candidates = [r for r in existing.values() if r["auto_id"] and r["uid"] not in seen]
    pairs: list[tuple[tuple[bool, bool, float, int], int, Any]] = []
    if unmatched_auto and candidates:
        old = {r["id"]: json.loads(r["content"]) for r in candidates}
        reps: dict[int, int] = {}
        for index, (_position, item) in enumerate(unmatched_auto):
            new = item_content(item)
            for r in candidates:
                score = similarity(old[r["id"]], new)
                if score <= 0:
                    continue
                if r["id"] not in reps:
                    reps[r["id"]] = history(r["id"]) if history is not None else 0
                n = reps[r["id"]]
                # history first, then a card live until now, then the closest
                pairs.append(((n > 0, not r["retired"], score, n), index, r))
    # Greedy by best key: each new item takes at most one old card and each
    # old card goes to at most one new item.
    pairs.sort(key=lambda p: p[0], reverse=True)
    taken: dict[int, int] = {}
    used: set[int] = set()
    for _key, index, r in pairs:
        if index in taken or r["id"] in used:
            continue
        taken[index] = r["id"]
        used.add(r["id"])
    for index, (position, item) in enumerate(unmatched_auto):
        if index in taken:
            plan.updates.append((taken[index], position, item))
        else:
            plan.inserts.append((position, item))
    kept = {card_id for card_id, _pos, _item in plan.updates}
    plan.retire = [r["id"] for r in existing.values() if r["id"] not in kept]
    return plan


def card_reps(store: Store, card_id: int) -> int:
    """How many reviews a card has (its ``reps``); 0 when it is unknown."""
    card = store.card(card_id)
    return card.state.reps if card is not None else 0


@dataclass
class _Tally:
    decks: int = 0
    skipped: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    errors: list[DeckLoadError] = field(default_factory=list)

    def report(self) -> SyncReport:
        return SyncReport(
            self.decks,
            self.skipped,
            self.added,
            self.updated,
            self.retired,
            self.restored,
            tuple(self.errors),
        )


def stored_error(rec: DeckRecord, path: Path) -> DeckLoadError:
    """The load error recorded for a deck file, rebuilt without parsing the file."""
    import json

    try:
        raw = json.loads(rec.error or "[]")
        problems = tuple(Problem(*p) for p in raw)
    except (ValueError, TypeError):
        problems = (Problem(str(path), 1, 1, "error", str(rec.error)),)
    return DeckLoadError(rec.id, path, problems)


def _problems(e: Exception, path: Path) -> list[Problem]:
    found = list(getattr(e, "problems", None) or [])
    probs = [p for p in found if isinstance(p, Problem)]
    if not probs:
        msg = getattr(e, "msg", None) or str(e) or type(e).__name__
        probs = [Problem(str(path), 1, 1, "error", msg)]
    return probs


def sync_file(
    store: Store,
    path: Path,
    root: Path,
    known: dict[str, DeckRecord],
    now: int,
    tally: _Tally,
    claimed: dict[str, Path],
) -> str:
    """Sync one deck file; returns its deck id."""
    deck_id = deck_id_of(path, root)
    tally.decks += 1
    if deck_id in claimed and claimed[deck_id] != path:
        problem = Problem(
            str(path), 1, 1, "error", f"deck id {deck_id!r} is already used by {claimed[deck_id]}"
        )
        tally.errors.append(DeckLoadError(deck_id, path, (problem,)))
        return deck_id
    claimed[deck_id] = path
    try:
        st = path.stat()
    except OSError as e:
        problem = Problem(str(path), 1, 1, "error", f"cannot read the file: {e.strerror}")
        tally.errors.append(DeckLoadError(deck_id, path, (problem,)))
        return deck_id
    rec = known.get(deck_id)
    same_place = rec is not None and rec.path == str(path) and not rec.retired
    if same_place and rec and (rec.size, rec.mtime_ns) == (st.st_size, st.st_mtime_ns):
        tally.skipped += 1
        if rec.error:
            tally.errors.append(stored_error(rec, path))
        return deck_id
    try:
        digest = file_digest(path)
    except OSError as e:
        problem = Problem(str(path), 1, 1, "error", f"cannot read the file: {e.strerror}")
        tally.errors.append(DeckLoadError(deck_id, path, (problem,)))
        return deck_id
    if same_place and rec and rec.digest == digest:
        store.touch_deck(deck_id, st.st_size, st.st_mtime_ns)
        tally.skipped += 1
        if rec.error:
            tally.errors.append(stored_error(rec, path))
        return deck_id
    from cuecards.loader import load_deck  # imports YAML: only when a file changed

    try:
        loaded = load_deck(path, root)
    except (DeckError, CuecardsError, OSError, ValueError) as e:
        problems = _problems(e, path)
        store.record_deck_error(
            deck_id,
            str(root),
            str(path),
            [[p.path, p.line, p.col, p.severity, p.message] for p in problems],
            st.st_size,
            st.st_mtime_ns,
            digest,
            now,
        )
        tally.errors.append(DeckLoadError(deck_id, path, tuple(problems)))
        return deck_id
    deck = loaded.deck
    meta = DeckMeta(
        id=loaded.deck_id,
        root=str(root),
        path=str(path),
        title=deck.title,
        description=deck.description,
        tags=tuple(deck.tags),
        digest=digest,
        mtime_ns=st.st_mtime_ns,
        size=st.st_size,
    )
    items = list(loaded.items)
    added, updated, retired, restored = store.apply_deck(
        meta, lambda rows: plan_cards(items, rows, lambda cid: card_reps(store, cid)), now
    )
    tally.added += added
    tally.updated += updated
    tally.retired += retired
    tally.restored += restored
    return deck_id


def sync_all(
    store: Store,
    roots: Iterable[Path],
    now: int,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Sync every deck file under ``roots``; retire decks whose file is gone."""
    tally = _Tally()
    known = store.decks()
    resolved = [Path(r).resolve() for r in roots]
    files = [(root, f) for root in resolved for f in deck_files(root)]
    claimed: dict[str, Path] = {}
    seen: set[str] = set()
    for i, (root, path) in enumerate(files):
        seen.add(sync_file(store, path, Path(root), known, now, tally, claimed))
        if progress is not None:
            progress(i + 1, len(files))
    gone = [d for d, rec in known.items() if d not in seen and not rec.retired]
    if gone:
        tally.retired += store.retire_decks(gone)
    return tally.report()


def sync_one(store: Store, path: Path, roots: Iterable[Path], now: int) -> SyncReport:
    """Sync a single deck file (after an editor closed it)."""
    path = Path(path).resolve()
    tally = _Tally()
    for root in roots:
        root = Path(root).resolve()
        if path.is_relative_to(root):
            if path.exists():
                sync_file(store, path, root, store.decks(), now, tally, {})
            else:
                tally.retired += store.retire_decks([deck_id_of(path, root)])
            return tally.report()
    problem = Problem(str(path), 1, 1, "error", "the file is not under any deck folder")
    return SyncReport(errors=(DeckLoadError(path.stem, path, (problem,)),))
