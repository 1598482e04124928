"""Short-answer drill grading: which key points a typed answer makes, where,
and what FSRS rating that suggests.

The check is lexical and cheap. Both the answer and each point are split into
stemmed words (:mod:`cuecards.textnorm`); a point is made when a short window
of the answer's words covers the point's content words, each word matched
exactly, by a plain synonym, or with a typo. A point written as "X vs Y" (or
"X / Y", "X and Y"...) needs every part, each found on its own, in the same or
the next sentence. Each ``accept`` phrase of a point is an alternative to its
text. A match right after "not", "no", "without"... is not credited, and one
region of the answer is not credited for two points when another region can be.

Suggested rating: every point -> Good, and Easy when also quick (under half the
time limit, or under 20 s a point when there is none); at least the card's
``pass`` (or 60 % of the points when it sets none) -> Hard; fewer -> Again.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cuecards.model import Item, Point
from cuecards.textnorm import (
    DISMISSALS,
    GENERIC,
    NEGATION_FLIP,
    NEGATION_RELEASE,
    PLURAL_QUANTIFIERS,
    SINGULAR,
    SOFT_NEGATIONS,
    Token,
    fold,
    similarity,
    stem,
    tokenize,
)

RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
#: seconds per point under which a full answer counts as quick, when no limit is set
QUICK_SECONDS_PER_POINT = 20.0
#: share of the points that passes when the card sets no ``pass``
DEFAULT_PASS_SHARE = 0.6

# Between the parts of a multi-part point: "X vs Y", "X versus Y", "X / Y",
# "X against Y", "X or Y", "X and Y", "X - Y", "X & Y".
# A slash between single letters ("a/b tests") is part of a word.
_SEPARATOR = re.compile(
    r"\s+(?:vs\.?|versus|against|or|and|&)\s+|\s+/\s+|(?<=[^\W_]{2})/(?=[^\W_]{2})"
    r"|\s+[-\u2013\u2014]+\s+",
    re.I,
)
_PARENS = re.compile(r"\([^)]*\)")
_COVERAGE = 0.66  # weighted share of a part's words a window must match
_GENERIC_WEIGHT = 0.5
_NEGATION_REACH = 3  # words before a match that a negation can reach
_MAX_SENTENCE_GAP = 1  # parts of one point may sit in neighbouring sentences


@dataclass(frozen=True)
class PointResult:
    """How one key point fared against the answer."""

    text: str
    hit: bool
    score: float
    match: str | None
    span: tuple[int, int] | None


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer."""

    points: tuple[PointResult, ...]
    hits: int
    total: int
    suggested: int

    @property
    def suggested_name(self) -> str:
        """The suggested rating as a word: again, hard, good or easy."""
        return RATING_NAMES[self.suggested]

    def to_dict(self, card: str) -> dict[str, Any]:
        """The result as the JSON object ``cuecards grade`` prints."""
        return {
            "card": card,
            "points": [
                {"text": p.text, "hit": p.hit, "match": p.match, "score": round(p.score, 3)}
                for p in self.points
            ],
            "hits": self.hits,
            "total": self.total,
            "suggested_rating": self.suggested_name,
        }


@dataclass(frozen=True)
class _Hit:
    """One place the answer makes a point (or one part of it)."""

    score: float
    tokens: frozenset[int]  # indexes into the answer's token list
    sentence: int


@dataclass(frozen=True)
class _Unit:
    """A word, or two adjacent words run together ("trade off" ~ "tradeoff")."""

    norm: str
    covers: tuple[int, ...]


def _units(tokens: Sequence[Token], idx: Sequence[int]) -> list[_Unit]:
    units = [_Unit(tokens[i].norm, (k,)) for k, i in enumerate(idx)]
    for k in range(len(idx) - 1):
        a, b = tokens[idx[k]], tokens[idx[k + 1]]
        if idx[k + 1] == idx[k] + 1 and a.sentence == b.sentence:
            units.append(_Unit(stem(a.raw + b.raw), (k, k + 1)))
    return units


class _Answer:
    """The typed answer, tokenised once for every point."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        #: indexes of the content words (not stop words)
        self.content = [i for i, t in enumerate(self.tokens) if not t.stop]
        self.units = _units(self.tokens, self.content)

    def _before(self, first: int) -> list[Token]:
        """The few content words (and the stop words among them) just before
        token ``first`` in its clause, nearest first."""
        toks = self.tokens
        out: list[Token] = []
        seen = 0
        for j in range(first - 1, -1, -1):
            if toks[j].clause != toks[first].clause or seen >= _NEGATION_REACH:
                break
            out.append(toks[j])
            seen += not toks[j].stop
        return out

    def negated(self, first: int) -> bool:
        """Whether a negation shortly before token ``first``, in its clause, denies it."""
        before = self._before(first)
        for n, tok in enumerate(before):
            if tok.neg:
                after = before[n - 1] if n else self.tokens[first]
                if after.norm in NEGATION_RELEASE:
                    return False
                # "without sacrificing X": X is still what is talked about.
                return not any(t.norm.startswith(NEGATION_FLIP) for t in before[:n])
        return False

    def dismissed(self, last: int) -> bool:
        """Whether the clause goes on to wave the match away ("X doesn't matter")."""
        toks = self.tokens
        after = [t for t in toks[last + 1 : last + 6] if t.clause == toks[last].clause]
        for n, tok in enumerate(after):
            if tok.neg:
                return any(t.norm in DISMISSALS for t in after[n + 1 : n + 4])
        return False

    def denies(self, tokens: frozenset[int]) -> bool:
        """Whether any negation, soft ones included, reaches the matched tokens."""
        first, last = min(tokens), max(tokens)
        near = self._before(first) + self.tokens[first : last + 1]
        return any(t.neg or fold(t.raw) in SOFT_NEGATIONS for t in near)

    def many(self, tokens: frozenset[int]) -> bool:
        """Whether "many", "all", "several"... qualify the matched tokens."""
        first, last = min(tokens), max(tokens)
        near = self._before(first) + self.tokens[first : last + 1]
        return any(fold(t.raw) in PLURAL_QUANTIFIERS for t in near)


def split_parts(phrase: str) -> list[list[Token]]:
    """The parts of a point phrase, each as its tokens."""
    phrase = _PARENS.sub(" ", phrase)
    parts = [tokenize(p) for p in _SEPARATOR.split(phrase)]
    return [p for p in parts if p]


def _match_part(  # noqa: C901
    part: list[Token], answer: _Answer, singular: bool = False
) -> tuple[list[_Hit], float]:
    """Every window of the answer that makes this part, and the best coverage seen.

    ``singular``: the point speaks of one thing, so "many X" does not make it.
    """
    negated_part = any(t.neg for t in part)
    words = [t for t in part if not t.stop] or [t for t in part if not t.neg] or part
    n = len(words)
    weights = [_GENERIC_WEIGHT if w.norm in GENERIC else 1.0 for w in words]
    # A phrase with a specific word is not made by its generic words alone.
    specific = n > 1 and any(w.norm not in GENERIC for w in words)
    total_weight = sum(weights)
    idx = list(range(n))
    point_units = _units(words, idx)
    # matches[k] = (answer content position, point words covered, similarity)
    matches: list[tuple[int, int, tuple[int, ...], float]] = []
    for pu in point_units:
        for au in answer.units:
            if len(pu.covers) > 1 and len(au.covers) > 1:
                continue
            # Words run together match only as spelled (typos allowed): a
            # prefix or synonym of a joined pair would credit one word for two.
            joined = len(pu.covers) > 1 or len(au.covers) > 1
            s = similarity(pu.norm, au.norm, strict=joined)
            if s > 0:
                matches.append((au.covers[0], au.covers[-1], pu.covers, s))
    if not matches:
        return [], 0.0
    matches.sort()
    span_limit = 2 * n + 1
    hits: list[_Hit] = []
    best_cov = 0.0
    content = answer.content
    toks = answer.tokens
    firsts = [m[0] for m in matches]
    for a in sorted(set(firsts)):
        sentence = toks[content[a]].sentence
        best = [0.0] * n
        used: dict[int, tuple[int, int]] = {}
        # Only the matches that start inside the window [a, a + span_limit).
        lo, hi = bisect_left(firsts, a), bisect_left(firsts, a + span_limit)
        for first, last, covers, s in matches[lo:hi]:
            if last >= a + span_limit:
                continue
            if toks[content[first]].sentence != sentence:
                continue
            for i in covers:
                if s > best[i]:
                    best[i] = s
                    used[i] = (first, last)
        cov = sum(w * b for w, b in zip(weights, best, strict=True)) / total_weight
        best_cov = max(best_cov, cov)
        matched = [i for i in range(n) if best[i] > 0]
        if cov < _COVERAGE or len(matched) < min(n, 2):
            continue
        if specific and all(words[i].norm in GENERIC for i in matched):
            continue
        positions = frozenset(
            content[k] for i in matched for k in range(used[i][0], used[i][1] + 1)
        )
        if negated_part:
            # A negative point ("not shipping blindly") needs a negative answer.
            if not answer.denies(positions):
                continue
        elif answer.negated(min(positions)) or answer.dismissed(max(positions)):
            continue
        if singular and answer.many(positions):
            continue
        hits.append(_Hit(cov, positions, sentence))
    return hits, best_cov


def _point_candidates(point: Point, answer: _Answer) -> tuple[list[_Hit], float]:
    """Places the answer makes the point (best first) and, failing that, how close it came."""
    candidates: list[_Hit] = []
    closest = 0.0
    singular = any(fold(t.raw) in SINGULAR for t in tokenize(point.text))
    for phrase in (point.text, *point.accept):
        parts = split_parts(phrase)
        if not parts:
            continue
        results = [_match_part(p, answer, singular) for p in parts]
        closest = max(closest, sum(r[1] for r in results) / len(results))
        if len(parts) == 1:
            candidates.extend(results[0][0])
            continue
        candidates.extend(_combine([r[0] for r in results]))
    candidates.sort(key=lambda h: (-h.score, min(h.tokens)))
    return candidates, closest


def _combine(part_hits: list[list[_Hit]]) -> list[_Hit]:
    """Join one hit per part into hits of the whole point, parts close together."""
    if any(not hits for hits in part_hits):
        return []
    out: list[_Hit] = []
    for anchor in part_hits[0]:
        chosen = [anchor]
        taken = set(anchor.tokens)
        for hits in part_hits[1:]:
            near = [
                h
                for h in hits
                if abs(h.sentence - anchor.sentence) <= _MAX_SENTENCE_GAP and not (h.tokens & taken)
            ]
            if not near:
                break
            # Same sentence first, then the strongest.
            pick = min(near, key=lambda h: (h.sentence != anchor.sentence, -h.score))
            chosen.append(pick)
            taken |= pick.tokens
        else:
            score = sum(h.score for h in chosen) / len(chosen)
            if len({h.sentence for h in chosen}) > 1:
                score *= 0.95
            out.append(_Hit(score, frozenset(taken), anchor.sentence))
    return out


def suggest_rating(
    hits: int, total: int, needed: int, elapsed_s: float | None, time_limit: int | None
) -> int:
    if total and hits >= total:
        if elapsed_s is not None:
            quick = (time_limit / 2) if time_limit else QUICK_SECONDS_PER_POINT * total
            if elapsed_s < quick:
                return 4
        return 3
    need = needed if needed > 0 else math.ceil(DEFAULT_PASS_SHARE * total)
    if hits > 0 and hits >= need:
        return 2
    return 1


def grade_answer(
    points: Sequence[Point],
    answer: str,
    needed: int = 0,
    elapsed_s: float | None = None,
    time_limit: int | None = None,
) -> Grade:
    """Grade a typed answer against a drill's key points.

    Args:
        points: the drill's key points.
        answer: the answer as typed.
        needed: the card's ``pass`` (points needed); 0 when it sets none.
        elapsed_s: seconds the candidate took, if known.
        time_limit: the card's time limit in seconds, if any.

    Returns:
        One :class:`PointResult` per point, in the card's order, the hit count
        and the suggested rating (1 again .. 4 easy).
    """
    parsed = _Answer(answer)
    found = [_point_candidates(p, parsed) for p in points]
    # Strongest points claim their region first; a later point may not be
    # credited on a region wholly claimed already, if it has another one.
    # Ties go to the point with the wider match ("cost vs coverage" before "cost").
    order = sorted(
        range(len(points)),
        key=lambda i: (
            -(found[i][0][0].score if found[i][0] else 0),
            -(len(found[i][0][0].tokens) if found[i][0] else 0),
        ),
    )
    claimed: set[int] = set()
    chosen: dict[int, _Hit] = {}
    for i in order:
        for hit in found[i][0]:
            if not hit.tokens <= claimed:
                chosen[i] = hit
                claimed |= hit.tokens
                break
    results = []
    for i, point in enumerate(points):
        hit = chosen.get(i)
        if hit is None:
            results.append(
                PointResult(point.text, False, round(min(found[i][1], 0.99), 3), None, None)
            )
            continue
        toks = [parsed.tokens[k] for k in hit.tokens]
        start, end = min(t.start for t in toks), max(t.end for t in toks)
        results.append(
            PointResult(point.text, True, round(hit.score, 3), answer[start:end], (start, end))
        )
    hits = sum(r.hit for r in results)
    total = len(results)
    return Grade(
        tuple(results), hits, total, suggest_rating(hits, total, needed, elapsed_s, time_limit)
    )


def grade_item(item: Item, answer: str, elapsed_s: float | None = None) -> Grade:
    """Grade a typed answer to a drill item (its points, ``pass`` and time limit)."""
    return grade_answer(
        item.points, answer, needed=item.needed, elapsed_s=elapsed_s, time_limit=item.time_limit
    )
