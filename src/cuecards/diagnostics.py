"""pydantic's complaints about a deck as plain problems, each at the key or
value at fault: "card 'a' has unknown key 'frnt': did you mean 'front'?"."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from cuecards.model import KIND_TAGS, ClozeCard, Deck, DrillCard, Point, RecallCard
from cuecards.views import Problem
from cuecards.yamlsafe import Node, show

_CARD_MODELS: dict[str, type[BaseModel]] = {
    "recall": RecallCard,
    "drill": DrillCard,
    "cloze": ClozeCard,
}


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


_ALLOWED: dict[str, list[str]] = {
    "deck": _keys(Deck),
    "point": _keys(Point),
    **{kind: _keys(m) for kind, m in _CARD_MODELS.items()},
}


def describe(value: Any) -> str:
    """A value's kind in words: ``a list``, ``text``, ``true/false``..."""
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


def validation_problems(
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
                    f"front: and back:, not {describe(value)}"
                )
        elif is_point_item and str_branch:
            msg = (
                f"{_owner(loc, data)} should be text, or a mapping with text: "
                f"and accept:, not {describe(value)}"
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
        return f"{name} should be text, not {describe(value)}{hint}"
    if etype in ("list_type",):
        return f"{name} should be a list, not {describe(value)}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} should be a whole number, not {describe(value)}"
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
        return f"{_owner(loc, data)} should be a mapping of keys, not {describe(value)}"
    if etype == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    return str(e["msg"])
