"""``cuecards lint`` without the command line: every problem in a set of deck
files, found the way the sync finds them (:mod:`cuecards.deckfiles`).

Besides each file's own problems (:func:`cuecards.loader.load_deck`), lint
checks the ``was:`` aliases across the files: an alias naming a card or deck
that still exists is an error (the sync would not know which one is meant),
and one naming a card or deck the database never had is a warning (one whose
card already has the history says the alias can go).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cuecards.deckfiles import DeckFile, deck_id_for, discover, missing_note
from cuecards.errors import DeckError
from cuecards.paths import DeckFolder
from cuecards.views import Problem

if TYPE_CHECKING:
    from cuecards.loader import LoadedDeck
    from cuecards.storage import Store


def _targets(deck: LoadedDeck, target: str, was: tuple[str, ...]) -> list[str]:
    """The note uids a card's ``was:`` may mean (as the sync reads it)."""
    if "/" in target:
        return [target]
    return [f"{d}/{target}" for d in (deck.deck_id, *was)]


def alias_problems(decks: Sequence[LoadedDeck], store: Store | None = None) -> list[Problem]:
    """The ``was:`` problems of a set of loaded decks (see the module docstring)."""
    problems: list[Problem] = []
    live_decks = {d.deck_id for d in decks}
    live_notes = {i.note_uid for d in decks for i in d.items}
    known_decks = set(store.decks()) if store is not None else None
    wanted = [
        t
        for d in decks
        for a in d.aliases
        if a.card_id is not None
        for target in a.targets
        for t in _targets(d, target, next((x.targets for x in d.aliases if x.card_id is None), ()))
    ]
    own = [f"{d.deck_id}/{a.card_id}" for d in decks for a in d.aliases if a.card_id is not None]
    known_notes = store.notes_known(sorted({*wanted, *own})) if store is not None else None
    for d in decks:
        shown = str(d.path)
        was = next((a.targets for a in d.aliases if a.card_id is None), ())
        for a in d.aliases:
            for target in a.targets:
                if a.card_id is None:
                    if target in live_decks:
                        msg = f"was: '{target}' is a deck that still exists; remove the alias"
                        problems.append(Problem(shown, a.line, a.col, "error", msg))
                    elif known_decks is not None and target not in known_decks:
                        msg = f"was: no deck '{target}' has been synced; nothing to take over"
                        problems.append(Problem(shown, a.line, a.col, "warning", msg))
                    continue
                notes = _targets(d, target, was)
                clash = [n for n in notes if n in live_notes and n != f"{d.deck_id}/{a.card_id}"]
                if clash:
                    msg = f"was: '{target}' is the id of a card that still exists ({clash[0]})"
                    problems.append(Problem(shown, a.line, a.col, "error", msg))
                elif known_notes is not None and not known_notes & set(notes):
                    if f"{d.deck_id}/{a.card_id}" in known_notes:
                        # this card has synced: either that sync moved the history
                        # (the old id is gone) or there was none; the alias does nothing
                        msg = (
                            f"was: '{target}' is not in the database (already taken over, "
                            "or never there); delete the alias"
                        )
                    else:
                        msg = f"was: no card '{target}' has been synced; nothing to take over"
                    problems.append(Problem(shown, a.line, a.col, "warning", msg))
    return problems


def _folder_of(given: Path, folders: Sequence[DeckFolder]) -> Path | None:
    """The deck folder ``given`` lies in (the innermost), which names its decks
    as the sync does; None when it is in none of them."""
    try:
        target = given.resolve()
    except OSError:
        return None
    inside = [f.path for f in folders if target.is_relative_to(f.path.expanduser().resolve())]
    return max(inside, key=lambda p: len(p.expanduser().resolve().parts), default=None)


def _named_from(f: DeckFile, root: Path | None) -> DeckFile:
    """A file found under a folder given to lint, with the id its deck folder gives it."""
    if root is None:
        return f
    return replace(f, deck_id=deck_id_for(f.path, root), root=root)


def lint_paths(
    paths: list[Path], folders: Sequence[DeckFolder] = (), store: Store | None = None
) -> tuple[list[Problem], int]:
    """Problems (errors and warnings) in the given files and folders (or, with
    none, in ``folders``), and how many files were checked. A path inside one
    of ``folders`` has its deck ids from that folder, as the sync names them."""
    from cuecards.loader import load_deck

    problems: list[Problem] = []
    files: list[DeckFile] = []
    #: folders to discover, each with the deck folder that names its decks (None: itself)
    sets: list[tuple[Sequence[DeckFolder], Path | None]] = []
    if paths:
        for given in paths:
            root = _folder_of(given, folders)
            if given.is_dir():
                sets.append(([DeckFolder(given)], root))
            elif given.exists():
                home = root or given.parent
                files.append(DeckFile(deck_id_for(given, home), given, home))
            else:
                problems.append(Problem(str(given), 1, 1, "error", "no such file or folder"))
    else:
        sets.append((folders, None))
    for folder_set, root in sets:
        found = discover(folder_set)
        files += [_named_from(f, root) for f in found.files]
        problems += [
            Problem(str(m), 1, 1, "warning", missing_note(m)) for m in found.missing if not paths
        ]
        for f, problem in found.clashes:
            files.append(_named_from(f, root))  # its own problems are worth showing too
            problems.append(problem)
    loaded: list[LoadedDeck] = []
    for f in files:
        try:
            deck = load_deck(f.path, f.root, f.deck_id)
        except DeckError as e:
            problems.extend(e.problems)
            continue
        problems.extend(deck.warnings)
        problems += _grading_warnings(deck)
        loaded.append(deck)
    problems += alias_problems(loaded, store)
    return problems, len(files)


def _grading_warnings(deck: LoadedDeck) -> list[Problem]:
    """How the deck's drills will be graded: a one-generic-word accept phrase,
    a model answer that does not earn its own points
    (:func:`cuecards.grading.lint.drill_warnings`)."""
    from cuecards.grading.lint import drill_warnings

    return [
        Problem(str(deck.path), w.line, 1, "warning", w.message)
        for item in deck.items
        for w in drill_warnings(item)
    ]
