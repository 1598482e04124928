"""Sync deck files into the database, keeping every card's history.

* The folders: :func:`cuecards.paths.deck_folders` (shipped unless hidden,
  the ``deck_folders`` setting, this run's ``--decks``); the files and their
  deck ids: :func:`cuecards.deckfiles.discover` (the one copy ``lint`` uses
  too). A user deck with a shipped deck's id replaces it, with a note.
* An unchanged file is recognised by (size, mtime_ns) without reading it, then
  by a sha256 of its bytes without parsing it. YAML (and the loader) are
  imported only when some file really has to be parsed.
* Identity: every file that changed is planned at once
  (:func:`cuecards.identity.plan_sync`), so a renamed, moved or split file and
  a card whose id changed keep their rows (schedule and reviews). Each deck
  file is then written in its own transaction. A file that fails to load
  changes none of its cards; the error is recorded and reported.
* Retiring: a card gone from its file is retired, not deleted, and comes back
  with its history if it reappears. A deck is retired only when its file is
  gone from a folder that is present: a missing folder is a warning in the
  report and retires nothing, and a folder this run does not name is left
  alone. Hiding the shipped decks retires them (history kept).
* ``dry_run`` plans and reports without writing (``cuecards lint --plan``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cuecards import paths
from cuecards.deckfiles import DeckFile, Discovery, discover, missing_note
from cuecards.errors import CuecardsError, DeckError
from cuecards.paths import DeckFolder
from cuecards.storage import DeckMeta, DeckRecord, Store
from cuecards.views import DeckLoadError, Problem, SyncReport

if TYPE_CHECKING:
    from cuecards.identity import SyncPlan
    from cuecards.loader import LoadedDeck


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folders_for(store: Store, roots: Iterable[Path]) -> list[DeckFolder]:
    """The deck folders of this run: ``roots`` (:attr:`Paths.deck_dirs`) and
    the stored ``deck_folders`` and ``show_shipped_decks`` settings."""
    settings = store.settings()
    configured = settings.get("deck_folders") or []
    shown = settings.get("show_shipped_decks", True)
    names = [str(c) for c in configured] if isinstance(configured, list) else []
    return paths.deck_folders(roots, names, shown is not False)


def stored_error(rec: DeckRecord, path: Path) -> DeckLoadError:
    """The load error recorded for a deck file, rebuilt without parsing the file."""
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


@dataclass
class _Run:
    """One sync: what it read, and what it reports."""

    store: Store
    now: int
    dry_run: bool
    known: dict[str, DeckRecord]
    decks: int = 0
    skipped: int = 0
    errors: list[DeckLoadError] = field(default_factory=list)
    loaded: list[tuple[DeckFile, LoadedDeck, os.stat_result]] = field(default_factory=list)

    def error(self, f: DeckFile, message: str) -> None:
        problem = Problem(str(f.path), 1, 1, "error", message)
        self.errors.append(DeckLoadError(f.deck_id, f.path, (problem,)))

    def read(self, f: DeckFile) -> None:
        """Skip an unchanged file, record a failed one, or keep a loaded one."""
        self.decks += 1
        try:
            st = f.path.stat()
        except OSError as e:
            self.error(f, f"cannot read the file: {e.strerror}")
            return
        rec = self.known.get(f.deck_id)
        same_place = rec is not None and rec.path == str(f.path) and not rec.retired
        if same_place and rec and (rec.size, rec.mtime_ns) == (st.st_size, st.st_mtime_ns):
            self.skip(rec, f.path)
            return
        try:
            digest = file_digest(f.path)
        except OSError as e:
            self.error(f, f"cannot read the file: {e.strerror}")
            return
        if same_place and rec and rec.digest == digest:
            if not self.dry_run:
                self.store.touch_deck(f.deck_id, st.st_size, st.st_mtime_ns)
            self.skip(rec, f.path)
            return
        from cuecards.loader import load_deck  # imports YAML: only when a file changed

        try:
            loaded = load_deck(f.path, f.root, f.deck_id)
        except (DeckError, CuecardsError, OSError, ValueError) as e:
            problems = _problems(e, f.path)
            if not self.dry_run:
                self.store.record_deck_error(
                    f.deck_id,
                    str(f.root),
                    str(f.path),
                    [[p.path, p.line, p.col, p.severity, p.message] for p in problems],
                    st.st_size,
                    st.st_mtime_ns,
                    digest,
                    self.now,
                )
            self.errors.append(DeckLoadError(f.deck_id, f.path, tuple(problems)))
            return
        self.loaded.append((f, loaded, st))

    def skip(self, rec: DeckRecord, path: Path) -> None:
        self.skipped += 1
        if rec.error:
            self.errors.append(stored_error(rec, path))

    def finish(self, gone: list[str], notes: list[str]) -> SyncReport:
        """Plan every loaded file at once, write (unless a dry run), report."""
        from cuecards.identity import NewDeck, OldCard, SyncPlan, plan_sync

        if not self.loaded and not gone:  # the common start: nothing changed
            return self.report(SyncPlan(), notes)
        new = [NewDeck(ld.deck_id, list(ld.items), ld.aliases) for _f, ld, _st in self.loaded]
        wanted = {d.deck_id for d in new} | set(gone)
        for d in new:
            wanted |= set(d.was)
            for a in d.aliases:
                wanted |= {t.rpartition("/")[0] for t in a.targets if "/" in t}
        old = [OldCard.from_record(r) for r in self.store.card_records(sorted(wanted))]
        plan = plan_sync(new, old, gone)
        if not self.dry_run:
            for f, ld, st in self.loaded:
                meta = DeckMeta(
                    id=ld.deck_id,
                    root=str(f.root),
                    path=str(f.path),
                    title=ld.deck.title,
                    description=ld.deck.description,
                    tags=tuple(ld.deck.tags),
                    digest=ld.digest,
                    mtime_ns=st.st_mtime_ns,
                    size=st.st_size,
                )
                cards = plan.plans[ld.deck_id]
                self.store.apply_deck(meta, cards, self.now)
            if gone:
                self.store.retire_decks(gone)
        return self.report(plan, notes)

    def report(self, plan: SyncPlan, notes: list[str]) -> SyncReport:
        """The report of this run, with the plan's tally."""
        return SyncReport(
            decks=self.decks,
            skipped_unchanged=self.skipped,
            added=plan.added,
            updated=plan.updated,
            retired=plan.retired,
            restored=plan.restored,
            errors=tuple(self.errors),
            reattached=plan.reattached,
            notes=tuple(notes + plan.notes()),
        )


def _gone(known: dict[str, DeckRecord], seen: set[str], found: Discovery) -> list[str]:
    """Live decks whose file is gone from a folder that is present, and the
    shipped decks when they are hidden."""
    shipped = str(paths.shipped_decks_dir().resolve())
    hidden = shipped not in found.present
    return sorted(
        d
        for d, rec in known.items()
        if not rec.retired
        and d not in seen
        and (rec.root in found.present or (hidden and rec.root == shipped))
    )


def sync_all(
    store: Store,
    roots: Iterable[Path],
    now: int,
    progress: Callable[[int, int], None] | None = None,
    dry_run: bool = False,
) -> SyncReport:
    """Sync every deck file of this run's folders; retire decks whose file is
    gone from a folder that is present. ``dry_run``: plan and report only."""
    found = discover(folders_for(store, roots))
    run = _Run(store, now, dry_run, store.decks())
    for i, f in enumerate(found.files):
        run.read(f)
        if progress is not None:
            progress(i + 1, len(found.files))
    for f, problem in found.clashes:
        run.decks += 1
        run.errors.append(DeckLoadError(f.deck_id, f.path, (problem,)))
    seen = {f.deck_id for f in found.files}
    notes = [missing_note(m) for m in found.missing] + found.notes
    return run.finish(_gone(run.known, seen, found), notes)


def sync_one(store: Store, path: Path, roots: Iterable[Path], now: int) -> SyncReport:
    """Sync after an editor closed ``path``: every folder, so that cards the
    author moved into another file (a split, a rename) keep their history;
    unchanged files cost one ``stat`` each."""
    path = Path(path).resolve()
    if any(path.is_relative_to(f.path) for f in folders_for(store, roots)):
        return sync_all(store, roots, now)
    problem = Problem(str(path), 1, 1, "error", "the file is not under any deck folder")
    return SyncReport(errors=(DeckLoadError(path.stem, path, (problem,)),))
