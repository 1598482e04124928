"""The grade of a drill answer and the rules that turn points into a rating:
the one copy of the pass rule, the suggested rating, and a grade the
candidate corrected point by point."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
#: seconds per point under which a full answer counts as quick, when no limit is set
QUICK_SECONDS_PER_POINT = 20.0
#: share of the points that passes when the card sets no ``pass``
DEFAULT_PASS_SHARE = 0.6


@dataclass(frozen=True)
class PointResult:
    """How one key point fared against the answer.

    ``claimed``: the candidate toggled this point (made or missed) against the grader.
    """

    text: str
    hit: bool
    score: float
    match: str | None
    span: tuple[int, int] | None
    claimed: bool = False


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer."""

    points: tuple[PointResult, ...]
    hits: int
    total: int
    suggested: int
    needed: int = 0
    elapsed_s: float | None = None
    time_limit: int | None = None

    @property
    def suggested_name(self) -> str:
        """The suggested rating as a word: again, hard, good or easy."""
        return RATING_NAMES[self.suggested]

    @property
    def points_needed(self) -> int:
        """Points this drill needs for a pass."""
        return points_needed(self.needed, self.total)

    def toggled(self, index: int) -> Grade:
        """This grade with point ``index`` flipped by the candidate (made <-> missed);
        the suggested rating follows."""
        points = list(self.points)
        p = points[index]
        points[index] = replace(p, hit=not p.hit, claimed=not p.claimed)
        return regrade(self, points)

    def to_dict(self, card: str) -> dict[str, Any]:
        """The result as the JSON object ``cuecards grade`` prints (and a review stores)."""
        out: dict[str, Any] = {
            "card": card,
            "points": [
                {"text": p.text, "hit": p.hit, "match": p.match, "score": round(p.score, 3)}
                | ({"claimed": True} if p.claimed else {})
                for p in self.points
            ],
            "hits": self.hits,
            "total": self.total,
            "suggested_rating": self.suggested_name,
        }
        return out


def points_needed(needed: int, total: int) -> int:
    """Key points needed for a pass: the card's ``pass``, else 60 % of them (at least one)."""
    return needed if needed > 0 else max(1, math.ceil(DEFAULT_PASS_SHARE * total))


def suggest_rating(
    hits: int, total: int, needed: int, elapsed_s: float | None, time_limit: int | None
) -> int:
    """Every point -> Good, and Easy when also quick (under half the time limit,
    or under 20 s a point when there is none); a pass -> Hard; fewer -> Again."""
    if total and hits >= total:
        if elapsed_s is not None:
            quick = (time_limit / 2) if time_limit else QUICK_SECONDS_PER_POINT * total
            if elapsed_s < quick:
                return 4
        return 3
    if hits > 0 and hits >= points_needed(needed, total):
        return 2
    return 1


def regrade(grade: Grade, points: Sequence[PointResult]) -> Grade:
    """``grade`` with new point results; hits and the suggestion recomputed."""
    hits = sum(p.hit for p in points)
    return replace(
        grade,
        points=tuple(points),
        hits=hits,
        suggested=suggest_rating(
            hits, len(points), grade.needed, grade.elapsed_s, grade.time_limit
        ),
    )
