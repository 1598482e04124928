"""Deck files -> validated decks and their schedulable items.

:func:`load_deck` reads one YAML file safely (:mod:`cuecards.yamlsafe`),
validates it with :class:`cuecards.model.Deck`, and either returns a
:class:`LoadedDeck` or raises :class:`DeckError` listing every problem, each
with the line and column of the key or value at fault. No file content makes
it raise anything else. :func:`lint_paths` does the same for files and folders
and collects the problems instead of raising.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from cuecards.errors import DeckError
from cuecards.model import (
    KIND_TAGS,
    ClozeCard,
    Deck,
    DrillCard,
    Item,
    Point,
    RecallCard,
    derived_id,
    expand,
)
from cuecards.views import Problem
from cuecards.yamlsafe import MAX_BYTES, Node, YamlFailure, decode, parse, show

DECK_SUFFIXES = (".yaml", ".yml")

_CARD_MODELS: dict[str, type] = {"recall": RecallCard, "drill": DrillCard, "cloze": ClozeCard}


def _keys(model: type) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


_ALLOWED: dict[str, list[str]] = {
    "deck": _keys(Deck),
    "point": _keys(Point),
    **{kind: _keys(m) for kind, m in _CARD_MODELS.items()},
}


@dataclass(frozen=True)
class LoadedDeck:
    """One deck file that loaded: the deck, its items, and any warnings."""

    deck_id: str
    path: Path
    deck: Deck
    items: list[Item]
    warnings: list[Problem]
    digest: str


def deck_id_for(path: Path, root: Path) -> str:
    """``pm/trade-offs`` for ``root/pm/trade-offs.yaml``; the file's stem when
    it is not under ``root``."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            rel = Path(path.name)
    return rel.with_suffix("").as_posix()


def find_deck_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` below ``root``, sorted, hidden files and
    folders skipped."""
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.endswith(DECK_SUFFIXES):
                path = Path(dirpath) / name
                found.append((path.relative_to(root).as_posix(), path))
    return [p for _, p in sorted(found)]


def load_deck(path: Path, root: Path | None = None) -> LoadedDeck:
    """Load and validate one deck file.

    Args:
        path: The YAML file.
        root: The decks folder it belongs to (default: its own folder); the
            deck id is the path relative to it.

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
    return load_bytes(data, path, deck_id_for(path, root))


def load_bytes(data: bytes, path: Path, deck_id: str) -> LoadedDeck:
    """Load and validate a deck from the bytes of its file (see :func:`load_deck`)."""
    shown = str(path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        value, root = parse(decode(data))
    except YamlFailure as e:
        _fail([Problem(shown, p.line, p.col, "error", p.message) for p in e.problems])
    if not isinstance(value, dict):
        what = "nothing" if value is None else _describe(value)
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
        _fail(_validation_problems(e, value, root, shown) + problems)
    items, more = _check_cards(deck_id, deck, root, shown)
    problems += more
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        _fail(problems)
    return LoadedDeck(
        deck_id=deck_id, path=path, deck=deck, items=items, warnings=problems, digest=digest
    )


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


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _normalise_loc(loc: tuple[Any, ...]) -> tuple[list[Any], str | None, bool]:
    """The loc as keys of the data, the card kind it was checked as, and
    whether it came from the text branch of a point.

    pydantic puts the union member's tag after a card's index and after a
    point's index; the data has no such keys.
    """
    out: list[Any] = []
    kind: str | None = None
    str_branch = False
    i = 0
    while i < len(loc):
        part = loc[i]
        prev2 = out[-2] if len(out) >= 2 else None
        if isinstance(prev2, str) and isinstance(out[-1], int):
            if prev2 == "cards" and len(out) == 2 and part in KIND_TAGS:
                kind = part
                i += 1
                continue
            if prev2 == "points" and part in ("str", "constrained-str", "Point"):
                str_branch = part != "Point"
                i += 1
                continue
        out.append("pass" if part == "pass_" else part)
        i += 1
    return out, kind, str_branch


def _walk(root: Node, data: Any, loc: list[Any]) -> tuple[Node, Any, int]:
    """The deepest node (and its data) the loc reaches, and how many parts it used."""
    node, used = root, 0
    for part in loc:
        child = node.children.get(part)
        if child is None:
            break
        node, used = child, used + 1
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            data = None
    return node, data, used


def _card_name(data: Any, index: int) -> str:
    """``card 'latency-vs-quality'`` when the card has an id, else ``card 3``."""
    cards = data.get("cards") if isinstance(data, dict) else None
    card = cards[index] if isinstance(cards, list) and 0 <= index < len(cards) else None
    card_id = card.get("id") if isinstance(card, dict) else None
    if isinstance(card_id, str) and card_id.strip():
        return f"card '{show(card_id, 30)}'"
    return f"card {index + 1}"


def _owner(loc: list[Any], data: Any, kind: str | None = None) -> str:
    """Words for the mapping a loc points into: ``card 'a'``, ``point 2 of
    card 3``; with ``kind``, the kind it was checked as: ``card 3 (kind drill)``."""
    if len(loc) >= 2 and loc[0] == "cards" and isinstance(loc[1], int):
        card = _card_name(data, loc[1]) + (f" (kind {kind})" if kind else "")
        if len(loc) >= 4 and loc[2] == "points" and isinstance(loc[3], int):
            return f"point {loc[3] + 1} of {card}"
        return card
    return "the deck"


def _allowed_for(loc: list[Any], kind: str | None) -> tuple[str, list[str]]:
    if len(loc) >= 4 and loc[0] == "cards" and loc[2] == "points":
        return "point", _ALLOWED["point"]
    if len(loc) >= 2 and loc[0] == "cards":
        return kind or "recall", _ALLOWED[kind or "recall"]
    return "deck", _ALLOWED["deck"]


def _unknown_key_message(
    key: str, loc: list[Any], kind: str | None, data: Any
) -> tuple[str, str | None]:
    """The message for an unknown key, and the allowed key it suggests if any."""
    where, allowed = _allowed_for(loc, kind)
    msg = f"{_owner(loc, data)} has unknown key '{show(key)}'"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"{msg}: did you mean '{close[0]}'?", close[0]
    if where in _CARD_MODELS:
        owners = [k for k in _CARD_MODELS if k != where and key in _ALLOWED[k]]
        if owners:
            return f"{msg}: it belongs to {owners[0]} cards, add `kind: {owners[0]}`", None
        return f"{msg} ({where} cards allow: {', '.join(allowed)})", None
    return f"{msg} (allowed: {', '.join(allowed)})", None


def _validation_problems(
    err: ValidationError, data: dict[str, Any], root: Node, shown: str
) -> list[Problem]:
    """One plain problem per pydantic error, at the key or value at fault."""
    problems: list[Problem] = []
    # (owner loc, key) a did-you-mean already names: its "missing" error is noise.
    suggested: set[tuple[tuple[Any, ...], str]] = set()
    missing: list[tuple[tuple[Any, ...], str, Problem]] = []
    for e in err.errors(include_url=False):
        loc, kind, str_branch = _normalise_loc(tuple(e["loc"]))
        node, value, used = _walk(root, data, loc)
        etype = e["type"]
        field = next((p for p in reversed(loc) if isinstance(p, str)), None)
        is_point_item = len(loc) == 4 and loc[2] == "points" and isinstance(loc[3], int)
        if is_point_item and isinstance(value, dict) == str_branch:
            # A point is text or a mapping; keep only the branch that fits what was written.
            continue
        line, col = node.line, node.col
        if etype == "missing":
            owner_loc = loc[:-1]
            msg = f"{_owner(owner_loc, data, kind)} is missing '{loc[-1]}'"
            missing.append(
                (tuple(owner_loc), str(loc[-1]), Problem(shown, line, col, "error", msg))
            )
            continue
        if etype == "extra_forbidden":
            key = str(loc[-1])
            parent, _, _ = _walk(root, data, loc[:-1])
            line, col = parent.key_pos.get(key, (node.line, node.col))
            msg, suggestion = _unknown_key_message(key, loc[:-1], kind, data)
            if suggestion is not None:
                suggested.add((tuple(loc[:-1]), suggestion))
        elif etype == "card_kind":
            kind_node = node.children.get("kind")
            if kind_node is not None:
                line, col = kind_node.line, kind_node.col
                got = value.get("kind") if isinstance(value, dict) else None
                what = "'kind' is empty" if got is None else f"unknown kind '{show(str(got))}'"
                msg = f"{what}; kind is one of: recall, drill, cloze"
            else:
                msg = (
                    f"{_owner(loc, data)} should be a mapping with keys like "
                    f"front: and back:, not {_describe(value)}"
                )
        elif is_point_item and str_branch:
            msg = (
                f"{_owner(loc, data)} should be text, or a mapping with text: "
                f"and accept:, not {_describe(value)}"
            )
        else:
            msg = _value_message(etype, e, loc, data, value, node, field)
            if (
                etype == "value_error"
                and used == len(loc)
                and isinstance(value, dict)
                and "pass" in node.children
                and "pass is" in msg
            ):
                at = node.children["pass"]
                line, col = at.line, at.col
        problems.append(Problem(shown, line, col, "error", msg))
    problems.extend(p for owner, key, p in missing if (owner, key) not in suggested)
    return problems


def _value_message(
    etype: str,
    e: Any,
    loc: list[Any],
    data: Any,
    value: Any,
    node: Node,
    field: str | None,
) -> str:
    """The plain message for a bad value."""
    ctx = e.get("ctx") or {}
    last = loc[-1] if loc else None
    if isinstance(last, int) and field is not None:
        name = f"item {last + 1} of '{field}'"
    elif field in ("cards",) or field is None:
        name = _owner(loc, data)
    else:
        name = f"'{field}'"
    if etype in ("string_type", "string_too_short") and (value is None or value == ""):
        return f"{name} is empty"
    if etype == "string_type":
        hint = "; put it in quotes" if node.plain and not isinstance(value, (list, dict)) else ""
        return f"{name} should be text, not {_describe(value)}{hint}"
    if etype in ("list_type",):
        return f"{name} should be a list, not {_describe(value)}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} should be a whole number, not {_describe(value)}"
    if etype in ("bool_type", "bool_parsing"):
        return f"{name} should be true or false"
    if etype == "greater_than":
        return f"{name} should be more than {ctx.get('gt')}"
    if etype == "less_than_equal":
        return f"{name} should be at most {ctx.get('le')}"
    if etype == "too_short":
        n = ctx.get("min_length", 1)
        return f"{name} needs at least {n} item{'s' if n != 1 else ''}"
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return f"{_owner(loc, data)} should be a mapping of keys, not {_describe(value)}"
    if etype == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    return str(e["msg"])


def lint_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Problems (errors and warnings) in the given files and folders, and how
    many files were checked. A folder is searched with :func:`find_deck_files`."""
    problems: list[Problem] = []
    checked = 0
    for given in paths:
        if given.is_dir():
            files = [(p, given) for p in find_deck_files(given)]
        elif given.exists():
            files = [(given, given.parent)]
        else:
            problems.append(Problem(str(given), 1, 1, "error", "no such file or folder"))
            continue
        ids: dict[str, Path] = {}
        for path, root in files:
            checked += 1
            deck_id = deck_id_for(path, root)
            if deck_id in ids:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        "error",
                        f"deck id '{deck_id}' is also used by {ids[deck_id]}",
                    )
                )
            ids.setdefault(deck_id, path)
            try:
                problems.extend(load_deck(path, root).warnings)
            except DeckError as e:
                problems.extend(e.problems)
    return problems, checked
