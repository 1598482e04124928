"""What candidates told the grader: per drill, the points they marked made
that the grader had missed, and the words they made them with, so an author
can add accept phrases.

:func:`claimed_misses` works on stored reviews (a drill's answer and the
grade stored with its rating, the JSON of :meth:`Grade.to_dict`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cuecards.grading.lexical import Answer, parse_phrase
from cuecards.grading.textnorm import similarity


@dataclass
class ClaimedPoint:
    """One point of one drill that candidates claimed against the grader."""

    card: str
    point: str
    times: int = 0
    #: the clauses of their answers that come closest to the point, as typed
    phrases: list[str] = field(default_factory=list)


def closest_clause(answer: str, point: str) -> str:
    """The clause of ``answer`` that shares the most words with ``point`` (the
    whole answer, trimmed, when none shares any)."""
    parsed = Answer(answer)
    words = [t.norm for part in parse_phrase(point).parts for t in part if not t.stop]
    best, best_score = "", 0
    for idx in parsed.scope.clauses.values():
        toks = [parsed.tokens[i] for i in idx]
        score = sum(any(similarity(w, t.norm) > 0 for w in words) for t in toks if not t.stop)
        if score > best_score:
            best_score = score
            best = answer[toks[0].start : toks[-1].end]
    return best or " ".join(answer.split())[:80]


def claimed_misses(reviews: Iterable[tuple[str, Mapping[str, Any]]]) -> list[ClaimedPoint]:
    """Per drill and point, how often candidates marked it made against the grader.

    Args:
        reviews: (typed answer, stored grade) for each drill review.

    Returns:
        The claimed points, most claimed first, each with its distinct phrases.
    """
    found: dict[tuple[str, str], ClaimedPoint] = {}
    for answer, grade in reviews:
        card = str(grade.get("card", "?"))
        for p in grade.get("points", []):
            if not (p.get("claimed") and p.get("hit")):
                continue
            key = (card, str(p["text"]))
            entry = found.setdefault(key, ClaimedPoint(card, str(p["text"])))
            entry.times += 1
            phrase = closest_clause(answer, entry.point)
            if phrase not in entry.phrases:
                entry.phrases.append(phrase)
    return sorted(found.values(), key=lambda c: (-c.times, c.card, c.point))
