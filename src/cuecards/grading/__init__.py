"""Short-answer drill grading: which key points a typed answer makes, where,
and what FSRS rating that suggests.

- :mod:`.textnorm` words in one normal form; :mod:`.words` the vocabulary;
- :mod:`.scope` what the answer asserts, clause by clause;
- :mod:`.lexical` matching a point's phrases;
- :mod:`.rules` the grade, the pass rule and the suggested rating;
- :mod:`.lint` warnings for deck authors.

A case drill (a drill tagged ``case``) is graded as moves with content: a
point's text names the move and earns nothing itself; its accept phrases say
what makes the move concrete for that case, and each counts only inside a
statement, never as a heading, a bare keyword or part of a keyword salad.
"""

from __future__ import annotations

from collections.abc import Sequence

from cuecards.grading.lexical import (
    Answer,
    Hit,
    is_singular,
    phrase_hits,
    point_phrases,
    split_parts,
)
from cuecards.grading.rules import (
    DEFAULT_PASS_SHARE,
    QUICK_SECONDS_PER_POINT,
    RATING_NAMES,
    Grade,
    PointResult,
    points_needed,
    regrade,
    suggest_rating,
)
from cuecards.grading.textnorm import generic, norm
from cuecards.model import Item, Point

__all__ = [
    "DEFAULT_PASS_SHARE",
    "QUICK_SECONDS_PER_POINT",
    "RATING_NAMES",
    "Grade",
    "PointResult",
    "grade_answer",
    "grade_item",
    "is_case",
    "points_needed",
    "regrade",
    "split_parts",
    "suggest_rating",
    "synonym_table",
]

_MOVE_COVERAGE = 0.75
#: the tag that marks a drill graded as moves with content
CASE_TAG = "case"


def is_case(item: Item) -> bool:
    """Whether a drill is a case drill, graded as moves with content."""
    return CASE_TAG in item.tags


def synonym_table(groups: Sequence[Sequence[str]]) -> dict[str, str]:
    """A deck's ``synonyms`` (groups of words) as normal form -> the group's first word."""
    table: dict[str, str] = {}
    for group in groups:
        if group:
            head = norm(group[0])
            for word in group:
                table[norm(word)] = head
    return table


def _candidates(point: Point, answer: Answer, moves: bool) -> tuple[list[Hit], float]:
    singular = is_singular(point)
    found: list[Hit] = []
    closest = 0.0
    for phrase in point_phrases(point, moves):
        hits, close = phrase_hits(phrase, answer, singular)
        if moves:
            hits = [h for h in hits if answer.scope.statement(h.tokens)]
        found.extend(hits)
        closest = max(closest, close)
    gen = generic()
    toks = answer.tokens
    # Best first: the strongest match, then the one with the most specific words.
    found.sort(
        key=lambda h: (-h.score, -sum(toks[k].norm not in gen for k in h.tokens), min(h.tokens))
    )
    return found, closest


def _assign(order: Sequence[int], found: Sequence[list[Hit]]) -> dict[int, Hit]:
    """One stretch of the answer per point: points claim their best free hit in
    ``order``; then a point left out may take a hit from a point that can move
    to another free hit of its own."""
    chosen: dict[int, Hit] = {}

    def free(hit: Hit, but: int | None = None) -> bool:
        return not any(hit.tokens & h.tokens for j, h in chosen.items() if j != but)

    for i in order:
        hit = next((h for h in found[i] if free(h)), None)
        if hit is not None:
            chosen[i] = hit
    for i in order:
        if i in chosen:
            continue
        for hit in found[i]:
            holders = [j for j, h in chosen.items() if h.tokens & hit.tokens]
            if len(holders) != 1:
                continue
            j = holders[0]
            chosen[i] = hit
            other = next(
                (h for h in found[j] if not h.tokens & hit.tokens and free(h, but=j)), None
            )
            if other is None:
                del chosen[i]
                continue
            chosen[j] = other
            break
    return chosen


def grade_answer(
    points: Sequence[Point],
    answer: str,
    needed: int = 0,
    elapsed_s: float | None = None,
    time_limit: int | None = None,
    *,
    moves: bool = False,
    synonyms: Sequence[Sequence[str]] = (),
) -> Grade:
    """Grade a typed answer against a drill's key points.

    Args:
        points: the drill's key points.
        answer: the answer as typed.
        needed: the card's ``pass`` (points needed); 0 when it sets none.
        elapsed_s: seconds the candidate took, if known.
        time_limit: the card's time limit in seconds, if any.
        moves: grade as a case drill (points are moves that need content).
        synonyms: the deck's synonym groups.

    Returns:
        One :class:`PointResult` per point, in the card's order, the hit count
        and the suggested rating (1 again .. 4 easy).
    """
    # A case drill's accept phrases are content: most of their words must be there.
    parsed = Answer(answer, synonym_table(synonyms), coverage=_MOVE_COVERAGE if moves else 0.66)
    found = [_candidates(p, parsed, moves) for p in points]
    # Strongest points claim their stretch first; one stretch credits one point.
    # Ties go to the point with the wider match ("cost vs coverage" before "cost").
    order = sorted(
        range(len(points)),
        key=lambda i: (
            -(found[i][0][0].score if found[i][0] else 0),
            -(len(found[i][0][0].tokens) if found[i][0] else 0),
            len(found[i][0]),
        ),
    )
    chosen = _assign(order, [f[0] for f in found])
    results = []
    for i, point in enumerate(points):
        made = chosen.get(i)
        if made is None:
            results.append(
                PointResult(point.text, False, round(min(found[i][1], 0.99), 3), None, None)
            )
            continue
        toks = [parsed.tokens[k] for k in made.tokens]
        start, end = min(t.start for t in toks), max(t.end for t in toks)
        results.append(
            PointResult(point.text, True, round(made.score, 3), answer[start:end], (start, end))
        )
    hits = sum(r.hit for r in results)
    total = len(results)
    return Grade(
        tuple(results),
        hits,
        total,
        suggest_rating(hits, total, needed, elapsed_s, time_limit),
        needed=needed,
        elapsed_s=elapsed_s,
        time_limit=time_limit,
    )


def grade_item(item: Item, answer: str, elapsed_s: float | None = None) -> Grade:
    """Grade a typed answer to a drill item (its points, ``pass``, time limit,
    the deck's synonyms, and whether it is a case drill)."""
    return grade_answer(
        item.points,
        answer,
        needed=item.needed,
        elapsed_s=elapsed_s,
        time_limit=item.time_limit,
        moves=is_case(item),
        synonyms=item.synonyms,
    )
