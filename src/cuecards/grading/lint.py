"""Warnings for deck authors about how a drill will be graded.

:func:`drill_warnings` is what ``cuecards lint`` can call for each drill item:

- an accept phrase (or a point's text) that comes down to one generic word
  ("user", "product", "give") credits the point on any passing mention;
- a drill's model answer that does not earn every point, or earns one only
  on generic words, is a drill no full answer can pass as intended.
"""

from __future__ import annotations

from dataclasses import dataclass

from cuecards.grading import grade_item
from cuecards.grading.lexical import parse_phrase
from cuecards.grading.textnorm import generic
from cuecards.model import Item


@dataclass(frozen=True)
class DrillWarning:
    """One warning about a drill: its uid, its line in the deck file, the message."""

    uid: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.uid}: {self.message}"


def _generic_only(phrase: str) -> bool:
    parsed = parse_phrase(phrase)
    words = [t.norm for part in parsed.parts for t in part if not t.stop]
    gen = generic()
    return len(words) == 1 and words[0] in gen


def drill_warnings(item: Item) -> list[DrillWarning]:
    """The grading warnings for one drill item (none for other kinds).

    Args:
        item: a loaded card item.

    Returns:
        One :class:`DrillWarning` per problem, in the card's point order.
    """
    if item.kind != "drill":
        return []
    out: list[DrillWarning] = []

    def warn(message: str) -> None:
        out.append(DrillWarning(item.uid, item.line, message))

    for n, point in enumerate(item.points, start=1):
        # The point's own text says what it says; its accept phrases must say more.
        for phrase in point.accept:
            if _generic_only(phrase):
                warn(
                    f"point {n} ({point.text!r}): {phrase!r} is one generic word and "
                    "would credit the point on any mention; say more"
                )
    grade = grade_item(item, item.answer)
    gen = generic()
    for n, (point, result) in enumerate(zip(item.points, grade.points, strict=True), start=1):
        if not result.hit:
            warn(f"point {n} ({point.text!r}): the model answer does not earn it")
            continue
        matched = parse_phrase(result.match).parts if result.match else ()
        words = [t.norm for part in matched for t in part if not t.stop]
        own = [t.norm for part in parse_phrase(point.text).parts for t in part if not t.stop]
        if words and all(w in gen for w in words) and not all(w in gen for w in own):
            warn(
                f"point {n} ({point.text!r}): the model answer earns it only on "
                f"generic words ({result.match!r})"
            )
    return out
