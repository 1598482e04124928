"""Deck files -> validated decks and their schedulable items.

:func:`load_deck` reads one YAML file safely (:mod:`cuecards.yamlsafe`),
validates it with :class:`cuecards.model.Deck`, and either returns a
:class:`LoadedDeck` or raises :class:`DeckError` listing every problem, each
with the line and column of the key or value at fault. No file content makes
it raise anything else. :mod:`cuecards.decklint` does the same for files and
folders and collects the problems instead of raising.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from cuecards.deckfiles import deck_id_for, find_deck_files
from cuecards.diagnostics import describe, validation_problems
from cuecards.errors import DeckError
from cuecards.model import (
    Deck,
    Item,
    aliases_of,
    derived_id,
    expand,
)
from cuecards.views import Problem
from cuecards.yamlsafe import MAX_BYTES, Node, YamlFailure, decode, parse, show

__all__ = ["Alias", "LoadedDeck", "deck_id_for", "find_deck_files", "load_bytes", "load_deck"]


@dataclass(frozen=True)
class Alias:
    """A ``was:`` in a deck file: the ids a card (``card_id``) or, when
    ``card_id`` is None, the deck had before; and where it is written."""

    card_id: str | None
    targets: tuple[str, ...]
    line: int
    col: int


@dataclass(frozen=True)
class LoadedDeck:
    """One deck file that loaded: the deck, its items, and any warnings."""

    deck_id: str
    path: Path
    deck: Deck
    items: list[Item]
    warnings: list[Problem]
    digest: str
    aliases: tuple[Alias, ...] = field(default=())


def load_deck(path: Path, root: Path | None = None, deck_id: str | None = None) -> LoadedDeck:
    """Load and validate one deck file.

    Args:
        path: The YAML file.
        root: The decks folder it belongs to (default: its own folder); the
            deck id is the path relative to it.
        deck_id: The id found for it (:mod:`cuecards.deckfiles`), when known.

    Raises:
        DeckError: with ``problems`` listing every problem found.
    """
    root = path.parent if root is None else root
    try:
        with open(path, "rb") as f:
            # Read one byte past the limit: enough to refuse, never the whole of a huge file.
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        problem = Problem(str(path), 1, 1, "error", f"cannot read the file: {e.strerror or e}")
        raise DeckError(problem.format(), problems=[problem]) from None
    return load_bytes(data, path, deck_id or deck_id_for(path, root))


def load_bytes(data: bytes, path: Path, deck_id: str) -> LoadedDeck:
    """Load and validate a deck from the bytes of its file (see :func:`load_deck`)."""
    shown = str(path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        value, root = parse(decode(data))
    except YamlFailure as e:
        _fail([Problem(shown, p.line, p.col, "error", p.message) for p in e.problems])
    if not isinstance(value, dict):
        what = "nothing" if value is None else describe(value)
        _fail(
            [
                Problem(
                    shown,
                    root.line,
                    root.col,
                    "error",
                    f"a deck is a mapping with title: and cards:, not {what}",
                )
            ]
        )
    problems = _raw_card_problems(value, root, shown)
    try:
        deck = Deck.model_validate(value)
    except ValidationError as e:
        _fail(validation_problems(e, value, root, shown) + problems)
    items, more = _check_cards(deck_id, deck, root, shown)
    problems += more
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        _fail(problems)
    return LoadedDeck(
        deck_id=deck_id,
        path=path,
        deck=deck,
        items=items,
        warnings=problems,
        digest=digest,
        aliases=_aliases(deck, root),
    )


def _aliases(deck: Deck, root: Node) -> tuple[Alias, ...]:
    """Every ``was:`` of the deck and its cards, with where it is written."""
    out: list[Alias] = []
    if deck.was is not None:
        line, col = root.key_pos.get("was", (root.line, root.col))
        out.append(Alias(None, aliases_of(deck.was), line, col))
    cards_node = root.children.get("cards")
    for i, card in enumerate(deck.cards):
        if card.was is None:
            continue
        node = cards_node.children[i] if cards_node else root
        line, col = node.key_pos.get("was", (node.line, node.col))
        out.append(Alias(card.id or derived_id(card), aliases_of(card.was), line, col))
    return tuple(out)


def _fail(problems: list[Problem]) -> NoReturn:
    """Raise DeckError with errors first, each group in file order."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.line, p.col))
    unique = list(dict.fromkeys(ordered))
    msg = unique[0].format()
    more = sum(p.severity == "error" for p in unique) - 1
    if more > 0:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    raise DeckError(msg, problems=unique)


_NO_ID = "card has no id; one is derived from its text. Add `id:` so edits keep its history"


def _raw_card_problems(data: dict[str, Any], root: Node, shown: str) -> list[Problem]:
    """Id problems seen in the plain data, so lint reports them even when
    validation fails: cards without ids, and ids used twice."""
    problems: list[Problem] = []
    cards, cards_node = data.get("cards"), root.children.get("cards")
    if not isinstance(cards, list) or cards_node is None:
        return problems
    seen: dict[str, int] = {}
    for i, card in enumerate(cards):
        node = cards_node.children[i]
        if not isinstance(card, dict):
            continue
        card_id = card.get("id")
        if card_id is None:
            problems.append(Problem(shown, node.line, node.col, "warning", _NO_ID))
        elif isinstance(card_id, str):
            if card_id in seen:
                at = node.children["id"]
                problems.append(
                    Problem(
                        shown,
                        at.line,
                        at.col,
                        "error",
                        f"duplicate card id '{show(card_id)}' (first at line {seen[card_id]})",
                    )
                )
            else:
                seen[card_id] = node.line
    return problems


def _check_cards(
    deck_id: str, deck: Deck, root: Node, shown: str
) -> tuple[list[Item], list[Problem]]:
    """Items of every card, plus problems pydantic cannot see: an empty deck,
    and cards whose derived ids collide."""
    problems: list[Problem] = []
    items: list[Item] = []
    cards_node = root.children.get("cards")
    if not deck.cards:
        line, col = (cards_node.line, cards_node.col) if cards_node else (root.line, root.col)
        problems.append(Problem(shown, line, col, "warning", "the deck has no cards"))
    seen: dict[str, int] = {}
    for i, card in enumerate(deck.cards):
        node = cards_node.children[i] if cards_node else root
        card_id = card.id or derived_id(card)
        if card_id in seen:
            if card.id is None:
                problems.append(
                    Problem(
                        shown,
                        node.line,
                        node.col,
                        "error",
                        f"this card has the same text as the card at line {seen[card_id]}; "
                        "give them ids",
                    )
                )
            # an explicit id used twice is reported from the plain data
            continue
        seen[card_id] = node.line
        synonyms = tuple(tuple(g) for g in deck.synonyms)
        items.extend(expand(deck_id, card, deck.tags, line=node.line, synonyms=synonyms))
    return items, problems
