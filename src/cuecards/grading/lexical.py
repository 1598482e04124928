"""The lexical check: which key points a typed answer makes, and where.

Both the answer and each phrase of a point (its text and its ``accept``
phrases) are split into words in one normal form (:mod:`.textnorm`). A phrase
is made when a short window of one clause covers its content words, each
matched exactly, by a synonym, or with a typo where the typed word is not a
real word. A pair ("X vs Y") or a mapping ("A -> B") needs its sides in one
clause and in relation (next to each other or joined by a few linking words);
a conjunction ("X and Y") needs its parts in one sentence. A match counts only
when the answer asserts it (:mod:`.scope`): same polarity as the phrase, not
dismissed, not rejected, not in a keyword salad. One stretch of the answer
credits one point.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cuecards.grading.scope import Scope, phrase_polarity
from cuecards.grading.textnorm import Token, fold, generic, norm, similarity, stem, tokenize
from cuecards.grading.words import LEADING_VERBS, PLURAL_QUANTIFIERS, RELATION_WORDS, SINGULAR
from cuecards.model import Point

_PAIR = re.compile(r"\s+(?:vs\.?|versus|against)\s+", re.I)
_MAP = re.compile(r"\s*(?:->|\u2192|=>)\s*")
# Between the parts of a conjunction (or of a pair's side): "and", "or", "&", "/", ",".
_AND = re.compile(
    r"\s+(?:or|and|but|&)\s+|\s*,\s*|\s+/\s+|(?<=[^\W_]{2})/(?=[^\W_]{2})|\s+[-\u2013\u2014]+\s+",
    re.I,
)
_PARENS = re.compile(r"\([^)]*\)")
_GENERIC_WEIGHT = 0.5
_RELATION_GAP = 6  # tokens at most between the two sides of a pair or mapping
_PAIR_WORDS = frozenset(["vs", "versus", "against", "over", "than", "between", "->"])
# With one of these between them, the sides may stand further apart
# ("how much autonomy the agent gets versus how much control the user keeps").
_WIDE_GAP, _WIDE_FOREIGN = 9, 3


@lru_cache(maxsize=1)
def leading_verbs() -> frozenset[str]:
    """The instruction verbs a point may start with, in normal form."""
    return frozenset(norm(w) for w in LEADING_VERBS)


@dataclass(frozen=True)
class Phrase:
    """A point phrase parsed: its parts and how they relate."""

    text: str
    parts: tuple[tuple[Token, ...], ...]
    kind: str  # "one", "and", "pair" or "map"
    #: per part: negations reaching its first word, a negation just before it, about order
    polarity: tuple[tuple[int, bool, bool], ...]


@lru_cache(maxsize=4096)
def parse_phrase(text: str, pair: bool = False) -> Phrase:
    """Parse a phrase; ``pair``: the point is a pair, so "X / Y" or "X and Y" is one."""
    clean = _PARENS.sub(" ", text)
    tokens = tuple(tokenize(clean))
    if _MAP.search(clean):
        src, dst = _MAP.split(clean, maxsplit=1)
        chunks, kind = [src, *_AND.split(dst)], "map"
    elif _PAIR.search(clean):
        chunks, kind = _PAIR.split(clean), "pair"
    else:
        chunks = _AND.split(clean)
        kind = "pair" if pair and len(chunks) == 2 else "and"
    parts = tuple(p for p in (tuple(tokenize(c)) for c in chunks if c.strip()) if p)
    if len(parts) == 1:
        kind = "one"
        return Phrase(text, parts, kind, (phrase_polarity(tokens),))
    return Phrase(text, parts, kind, tuple(phrase_polarity(p) for p in parts))


def split_parts(phrase: str) -> list[list[Token]]:
    """The parts of a point phrase, each as its tokens."""
    return [list(p) for p in parse_phrase(phrase).parts]


@dataclass(frozen=True)
class Hit:
    """One place the answer makes a phrase (or one part of it)."""

    score: float
    tokens: frozenset[int]  # indexes into the answer's token list
    clause: int
    sentence: int


@dataclass(frozen=True)
class _Unit:
    """A word, or two adjacent words run together ("trade off" ~ "tradeoff")."""

    norm: str
    covers: tuple[int, ...]
    real: bool
    form: str = ""  # the word stemmed without its lemma, for reading a typo


def _units(tokens: Sequence[Token], idx: Sequence[int]) -> list[_Unit]:
    units = [
        _Unit(tokens[i].norm, (k,), tokens[i].real, stem(tokens[i].raw)) for k, i in enumerate(idx)
    ]
    for k in range(len(idx) - 1):
        a, b = tokens[idx[k]], tokens[idx[k + 1]]
        if idx[k + 1] == idx[k] + 1 and a.clause == b.clause and a.start != b.start:
            units.append(_Unit(norm(a.raw + b.raw), (k, k + 1), a.real and b.real))
    return units


class Answer:
    """The typed answer, tokenised and scoped once for every point."""

    def __init__(
        self, text: str, synonyms: Mapping[str, str] | None = None, coverage: float = 0.66
    ) -> None:
        self.text = text
        #: weighted share of a part's words a window must match
        self.coverage = coverage
        self.synonyms = synonyms or {}
        self.tokens = tokenize(text)
        self.scope = Scope(self.tokens, text)
        #: indexes of the content words (not stop words)
        self.content = [i for i, t in enumerate(self.tokens) if not t.stop]
        self.units = [
            _Unit(self.synonyms.get(u.norm, u.norm), u.covers, u.real, u.form)
            for u in _units(self.tokens, self.content)
        ]

    def many(self, tokens: frozenset[int]) -> bool:
        """Whether "many", "all", "several"... sit in the clause of the matched tokens."""
        c = self.tokens[min(tokens)].clause
        return any(fold(self.tokens[i].raw) in PLURAL_QUANTIFIERS for i in self.scope.clauses[c])

    def asserts(self, tokens: frozenset[int], polarity: tuple[int, bool, bool]) -> bool:
        """Whether the answer says what a phrase (part) says on these tokens."""
        count, cue_before, sequence = polarity
        first = min(tokens)
        negative = count > 0 or cue_before
        if any(self.scope.negations(k, negative) % 2 != count % 2 for k in tokens):
            return False
        if self.scope.cue_before[first] != cue_before:
            return False
        return negative or not self.scope.void(tokens, sequence)


_Match = tuple[int, int, tuple[int, ...], float]


def _unit_matches(point_units: Sequence[_Unit], answer: Answer) -> list[_Match]:
    """(first, last answer content position, point words covered, similarity) of
    every answer unit that matches a unit of the point."""
    matches: list[_Match] = []
    for pu in point_units:
        for au in answer.units:
            if len(pu.covers) > 1 and len(au.covers) > 1:
                continue
            joined = len(pu.covers) > 1 or len(au.covers) > 1
            s = similarity(pu.norm, au.norm, strict=joined, typo=not au.real)
            if not s and not au.real and pu.form and au.form:
                # A typo is read against the word as written ("analitical" ~ "analytical").
                s = similarity(pu.form, au.form, strict=True)
            if s > 0:
                matches.append((au.covers[0], au.covers[-1], pu.covers, s))
    return matches


def _match_part(
    part: Sequence[Token], answer: Answer, polarity: tuple[int, bool, bool]
) -> tuple[list[Hit], float]:
    """Every window of the answer that makes this part, and the best coverage seen."""
    words = [t for t in part if not t.stop] or [t for t in part if not t.neg] or list(part)
    n = len(words)
    gen = generic()
    syn = answer.synonyms
    wnorms = [syn.get(w.norm, w.norm) for w in words]
    weights = [_GENERIC_WEIGHT if w in gen else 1.0 for w in wnorms]
    # A leading instruction ("create a rubric", "define the task") may go unsaid
    # in a terse answer ("task -> rubric"): it weighs like a generic word.
    lead = n > 1 and wnorms[0] in leading_verbs() and wnorms[1] not in gen
    if lead:
        weights[0] = _GENERIC_WEIGHT
    need = min(n - lead, 2)
    specific = n > 1 and any(w not in gen for w in wnorms)
    total_weight = sum(weights)
    point_units = [
        _Unit(syn.get(u.norm, u.norm), u.covers, True, u.form) for u in _units(words, range(n))
    ]
    matches = _unit_matches(point_units, answer)
    if not matches:
        return [], 0.0
    matches.sort()
    span_limit = 2 * n + 1
    hits: list[Hit] = []
    best_cov = 0.0
    content, toks = answer.content, answer.tokens
    firsts = [m[0] for m in matches]
    for a in sorted(set(firsts)):
        clause = toks[content[a]].clause
        best = [0.0] * n
        used: dict[int, tuple[int, int]] = {}
        lo, hi = bisect_left(firsts, a), bisect_left(firsts, a + span_limit)
        for first, last, covers, s in matches[lo:hi]:
            if last >= a + span_limit or toks[content[first]].clause != clause:
                continue
            for i in covers:
                if s > best[i]:
                    best[i] = s
                    used[i] = (first, last)
        cov = sum(w * b for w, b in zip(weights, best, strict=True)) / total_weight
        best_cov = max(best_cov, cov)
        matched = [i for i in range(n) if best[i] > 0]
        if cov < answer.coverage or len(matched) < need:
            continue
        if specific and all(wnorms[i] in gen for i in matched):
            continue
        positions = frozenset(
            content[k] for i in matched for k in range(used[i][0], used[i][1] + 1)
        )
        if not answer.asserts(positions, polarity):
            continue
        hits.append(Hit(cov, positions, clause, toks[content[a]].sentence))
    return hits, best_cov


def _related(hits: Sequence[Hit], answer: Answer) -> bool:
    """Whether the sides of a pair or mapping stand in relation: one clause, and
    between each side and the next only a few linking words."""
    ordered = sorted(hits, key=lambda h: min(h.tokens))
    for left, right in zip(ordered, ordered[1:], strict=False):
        if left.clause != right.clause and not _dashed(left, right, answer):
            return False
    taken = frozenset().union(*(h.tokens for h in hits))
    relation = {norm(w) for w in RELATION_WORDS}
    for left, right in zip(ordered, ordered[1:], strict=False):
        between = range(max(left.tokens) + 1, min(right.tokens))
        gap_text = answer.text[
            answer.tokens[max(left.tokens)].end : answer.tokens[min(right.tokens)].start
        ]
        if not between and not gap_text.strip():
            return False  # side by side with nothing joining them: a list of keywords
        explicit = any(fold(answer.tokens[k].raw) in _PAIR_WORDS for k in between)
        gap, allowed = (_WIDE_GAP, _WIDE_FOREIGN) if explicit else (_RELATION_GAP, 1)
        if len(between) > gap:
            return False
        foreign = [
            k
            for k in between
            if k not in taken
            and not answer.tokens[k].stop
            and answer.tokens[k].norm not in relation
        ]
        if len(foreign) > allowed:
            return False
    return True


_DASH = re.compile(r"\s*[-\u2013\u2014/]+\s*")


_LINKS = frozenset(
    [
        "to",
        "for",
        "into",
        "onto",
        "means",
        "mean",
        "maps",
        "map",
        "goes",
        "go",
        "back",
        "tie",
        "ties",
        "with",
        "about",
        "is",
        "are",
        "becomes",
    ]
)
_ARROW = re.compile(r"->|\u2192|=>|:|=")


def _linked(source: Hit, target: Hit, answer: Answer) -> bool:
    """Whether a mapping's source and target are joined by a link ("scale -> cost",
    "scale goes back to cost", "evaluation for quality"), not only side by side."""
    left, right = sorted((source, target), key=lambda h: min(h.tokens))
    a, b = max(left.tokens) + 1, min(right.tokens)
    if _ARROW.search(answer.text[answer.tokens[a - 1].end : answer.tokens[b].start]):
        return True
    return any(fold(answer.tokens[k].raw) in _LINKS for k in range(a, b))


def _dashed(left: Hit, right: Hit, answer: Answer) -> bool:
    """Whether two hits are joined by a bare dash or slash ("latency - quality")."""
    a = answer.tokens[max(left.tokens)].end
    b = answer.tokens[min(right.tokens)].start
    return right.clause == left.clause + 1 and bool(_DASH.fullmatch(answer.text[a:b]))


def _combine(part_hits: list[list[Hit]], answer: Answer, kind: str) -> list[Hit]:
    """Join one hit per part into hits of the whole phrase."""
    if any(not hits for hits in part_hits):
        return []
    out: list[Hit] = []
    for anchor in part_hits[0]:
        chosen = [anchor]
        taken = set(anchor.tokens)
        for hits in part_hits[1:]:
            near = [
                h
                for h in hits
                if not (h.tokens & taken)
                and (
                    abs(h.clause - anchor.clause) <= 1
                    if kind != "and"
                    else h.sentence == anchor.sentence
                )
            ]
            if not near:
                break
            pick = min(near, key=lambda h: (h.clause != anchor.clause, -h.score, min(h.tokens)))
            chosen.append(pick)
            taken |= pick.tokens
        else:
            if kind in ("pair", "map") and not _related(chosen, answer):
                continue
            if kind == "map" and not _linked(chosen[0], chosen[1], answer):
                continue
            score = sum(h.score for h in chosen) / len(chosen)
            out.append(Hit(score, frozenset(taken), anchor.clause, anchor.sentence))
    return out


def phrase_hits(phrase: Phrase, answer: Answer, singular: bool) -> tuple[list[Hit], float]:
    """Places the answer makes a phrase, and how close it came."""
    results = [
        _match_part(p, answer, pol) for p, pol in zip(phrase.parts, phrase.polarity, strict=True)
    ]
    closest = sum(r[1] for r in results) / len(results) if results else 0.0
    hits = (
        results[0][0]
        if len(results) == 1
        else _combine([r[0] for r in results], answer, phrase.kind)
    )
    if singular:
        hits = [h for h in hits if not answer.many(h.tokens)]
    return hits, closest


def point_phrases(point: Point, moves: bool = False) -> list[Phrase]:
    """The phrases of a point, parsed. ``moves``: a case drill, whose point text
    names the move and is not matched itself."""
    head = parse_phrase(point.text)
    pair = head.kind == "pair"
    phrases = [] if moves and point.accept else [head]
    phrases += [parse_phrase(a, pair) for a in point.accept]
    return [p for p in phrases if p.parts]


def is_singular(point: Point) -> bool:
    """Whether the point speaks of one thing ("one segment")."""
    return any(fold(t.raw) in SINGULAR for t in tokenize(point.text))
