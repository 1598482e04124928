"""What an answer asserts, clause by clause: which words a negation reaches,
which clauses are dismissed or rejected, and which are only headings or a
salad of keywords.

Computed once per answer (:class:`Scope`) and asked for every match. A
negation reaches its whole clause ("the risk is never too high"), or only
what follows it for "without", "instead of", "no"...; two negations cancel.
A clause that waves its subject away ("a waste of time", "later", "after
launch") or a clause that rejects what came before ("..., but I don't buy
that", "I disagree.") takes the credit from the clauses it speaks of.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from cuecards.grading.textnorm import Token, fold, norm
from cuecards.grading.words import (
    DISMISSAL_PHRASES,
    DISMISSALS,
    FORWARD_NEGATIONS,
    NEGATION_FLIP,
    NEGATION_RELEASE,
    REJECT_WORDS,
    SEQUENCE,
    SOFT_NEGATIONS,
    STRONG_REJECT,
)

# (clause length, most function words it may have as a share) that make a salad
_SALADS = ((7, 0.0), (10, 0.1), (12, 0.2), (16, 0.3), (30, 0.35))
_MOSTLY = 0.5  # an answer this much salad is a salad
_REPEAT_LENGTH, _REPEAT_SHARE = 20, 0.25  # a long clause this repetitive is a salad too
_BACK_REFERENCES = frozenset("that this it which so those these".split())  # noqa: SIM905
_OPINIONS = frozenset("buy agree disagree think believe convinced sure".split())  # noqa: SIM905
_COMPARATIVES = frozenset("more less fewer longer later".split())  # noqa: SIM905
_CONDITIONALS = frozenset(["if", "when", "unless", "whether", "once"])
_PIVOTS = {"instead": "of", "rather": "than"}
# A sentence (or an answer) of this many clauses, nearly all this short, is a keyword list.
_LIST_ITEMS, _LIST_SHARE, _SHORT_ITEM = 8, 0.8, 3
_CUE_REACH = 2  # a negation this close before a match governs it directly
# After "and"/"or", these start a new statement that a negation before does not reach.
_SUBJECTS = frozenset(
    "the a an we it they i you our their its this that these those he she there".split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def _reject_norms() -> frozenset[str]:
    return frozenset(norm(w) for w in REJECT_WORDS | DISMISSALS | {"none", "no", "nope"})


def _low(tok: Token) -> str:
    low = fold(tok.raw).replace("\u2019", "'")
    return low.removesuffix("'s").replace("'", "")


class Scope:
    """The assertion structure of one tokenised text."""

    def __init__(self, tokens: Sequence[Token], text: str = "") -> None:
        self.tokens = tokens
        self.text = text
        self.clauses: dict[int, list[int]] = {}
        for i, t in enumerate(tokens):
            self.clauses.setdefault(t.clause, []).append(i)
        #: per token: hard negations covering it, and soft ones
        self.hard = [0] * len(tokens)
        self.soft = [0] * len(tokens)
        #: per token: a cue just before it (within its clause)
        self.cue_before = [False] * len(tokens)
        for idx in self.clauses.values():
            self._cover(idx)
        self.dismissed: set[int] = set()
        self.later: set[int] = set()  # dismissed only by "later"-like words
        self.rejected: set[int] = set()
        self._salads = {c for c in self.clauses if self._salad(c)}
        in_salads = sum(len(self.clauses[c]) for c in self._salads)
        self.mostly_salad = bool(tokens) and in_salads >= _MOSTLY * len(tokens)
        self._judge(text)

    def _cover(self, idx: list[int]) -> None:
        toks = self.tokens
        cues: list[int] = []  # positions in ``idx`` of the cues that count
        for n, i in enumerate(idx):
            t = toks[i]
            low = _low(t)
            soft = low in SOFT_NEGATIONS
            if not (t.neg or soft):
                continue
            nxt = idx[n + 1 : n + 3]
            if nxt and _low(toks[nxt[0]]) in NEGATION_RELEASE:
                continue  # "not only X"
            if (
                len(nxt) == 2
                and _low(toks[nxt[0]]) in _COMPARATIVES
                and _low(toks[nxt[1]]) == "than"
            ):
                continue  # "no more than two seconds" is a limit, not a denial
            if low in _PIVOTS and not (nxt and _low(toks[nxt[0]]) == _PIVOTS[low]):
                continue  # "instead, use X" asserts X; only "instead of X" denies it
            if low == "without" and nxt and _low(toks[nxt[0]]).startswith(NEGATION_FLIP):
                continue  # "without sacrificing X"
            forward = soft or low in FORWARD_NEGATIONS
            reach = idx[n + 1 :] if forward else self._segment(idx, n)
            counts = self.soft if soft else self.hard
            for j in reach:
                counts[j] += 1
            cues.append(n)
        # A word is governed by a denial when a cue stands just before it and the
        # cues before it in the clause are odd in number ("never admit", but not
        # "wouldn't ship without X").
        for n, i in enumerate(idx):
            before = [k for k in cues if k < n]
            if before and n - before[-1] <= _CUE_REACH + 1 and len(before) % 2 == 1:
                self.cue_before[i] = True

    def _segment(self, idx: list[int], n: int) -> list[int]:
        """What a verb negation at ``idx[n]`` reaches: its clause, but not past an
        "and"/"or" that starts a new subject or another negated statement."""
        toks = self.tokens
        lows = [_low(toks[i]) for i in idx]
        joins = [k for k, w in enumerate(lows) if w in ("and", "or")]
        start = max((k + 1 for k in joins if k < n), default=0)
        end = len(idx)
        later_neg = [k for k in range(n + 1, len(idx)) if toks[idx[k]].neg]
        for k in joins:
            if k <= n:
                continue
            nxt = lows[k + 1] if k + 1 < len(lows) else ""
            if nxt in _SUBJECTS or any(m > k for m in later_neg):
                end = k
                break
        return [idx[k] for k in range(start, end) if k != n]

    def _judge(self, text: str) -> None:
        toks = self.tokens
        order = sorted(self.clauses)
        reject = _reject_norms()
        for c in order:
            idx = self.clauses[c]
            words = [toks[i] for i in idx]
            lows = [_low(t) for t in words]
            span = fold(text[words[0].start : words[-1].end]) if text else " ".join(lows)
            if any(w in DISMISSALS for w in lows) or any(p in span for p in DISMISSAL_PHRASES):
                only_later = all(
                    w in ("later", "eventually", "someday") for w in lows if w in DISMISSALS
                )
                (self.later if only_later else self.dismissed).add(c)
            content = [t for t in words if not t.stop]
            strong = any(w in STRONG_REJECT for w in lows)
            negative = any(t.neg for t in words) or strong
            refers = any(w in _BACK_REFERENCES for w in lows)
            opinion = any(w in _OPINIONS for w in lows)
            conditional = lows[0] in _CONDITIONALS
            if (
                negative
                and not conditional
                and content
                and all(t.norm in reject for t in content)
                and (refers or opinion or strong)
            ):
                self._reject_before(c)
            elif negative and not conditional and not content and len(words) <= 4:
                self._reject_before(c)  # "not really", "no."

    def _reject_before(self, c: int) -> None:
        toks = self.tokens
        sentence = toks[self.clauses[c][0]].sentence
        earlier = [
            d for d in self.clauses if d < c and toks[self.clauses[d][0]].sentence == sentence
        ]
        alone = all(toks[self.clauses[d][0]].sentence != sentence for d in self.clauses if d > c)
        if not earlier and alone:
            # "I disagree." rejects the sentence before it.
            earlier = [d for d in self.clauses if toks[self.clauses[d][0]].sentence == sentence - 1]
        self.rejected.update(earlier)
        # A clause that dismisses ("X: none") is part of the same verdict.
        self.dismissed.update(earlier)

    def negations(self, first: int, negative_phrase: bool) -> int:
        """How many negations reach token ``first`` (soft ones only for a negative phrase)."""
        return self.hard[first] + (self.soft[first] if negative_phrase else 0)

    def void(self, tokens: frozenset[int], sequence_phrase: bool) -> bool:
        """Whether a match on ``tokens`` sits in a dismissed, rejected or salad clause."""
        for k in tokens:
            c = self.tokens[k].clause
            if c in self.dismissed or c in self.rejected or self.salad(c):
                return True
            if c in self.later and not sequence_phrase:
                return True
        return False

    def salad(self, c: int) -> bool:
        """Whether clause ``c`` is a salad, or the answer is mostly salad (then
        all of it is: keywords shuffled with a few words between them)."""
        return self.mostly_salad or c in self._salads

    def _salad(self, c: int) -> bool:
        """A run of keywords with (almost) no function words: natural clauses of
        a dozen words are a third function words or more."""
        idx = self.clauses[c]
        stops = sum(self.tokens[i].stop for i in idx)
        if any(len(idx) >= size and stops <= share * len(idx) for size, share in _SALADS):
            return True
        # Shuffled phrases repeat their words; a long natural clause seldom does.
        content = [self.tokens[i].norm for i in idx if not self.tokens[i].stop]
        repeats = len(content) - len(set(content))
        return len(idx) >= _REPEAT_LENGTH and repeats >= _REPEAT_SHARE * len(content)

    def _labelled(self, c: int) -> bool:
        """Whether clause ``c`` is the value after a label ("Metric: acceptance rate")."""
        first = self.tokens[self.clauses[c][0]]
        prev = [d for d in self.clauses if d < c]
        if not prev or self.tokens[self.clauses[max(prev)][0]].sentence != first.sentence:
            return False
        last = self.tokens[self.clauses[max(prev)][-1]]
        return ":" in self.text[last.end : first.start]

    def statement(self, tokens: frozenset[int]) -> bool:
        """Whether the clause of a match says something: not a heading or a bare
        keyword ("Fallback:", "latency"), not a salad, not one of a run of short
        list items ("escalate, customers, csat, rubric, ...")."""
        c = self.tokens[min(tokens)].clause
        idx = self.clauses[c]
        matched = [i for i in tokens if not self.tokens[i].stop]
        if self.salad(c) or (len(idx) < 3 and not (len(matched) >= 2 and self._labelled(c))):
            return False
        sentence = self.tokens[idx[0]].sentence
        items = [d for d, ix in self.clauses.items() if self.tokens[ix[0]].sentence == sentence]
        return not (self._keyword_list(items) or self._keyword_list(list(self.clauses)))

    def _keyword_list(self, items: list[int]) -> bool:
        """Whether these clauses are a run of short items (keywords, headings)."""
        short = [d for d in items if len(self.clauses[d]) <= _SHORT_ITEM]
        return len(items) >= _LIST_ITEMS and len(short) >= _LIST_SHARE * len(items)


def phrase_polarity(tokens: Sequence[Token]) -> tuple[int, bool, bool]:
    """Of a point phrase: the negations reaching its first content word, whether
    a negation stands just before it, and whether the phrase is about order."""
    scope = Scope(tokens)
    negative = any(t.neg or _low(t) in SOFT_NEGATIONS for t in tokens)
    first = next(
        (i for i, t in enumerate(tokens) if not t.stop and _low(t) not in SOFT_NEGATIONS), 0
    )
    count = scope.negations(first, negative) if tokens else 0
    before = scope.cue_before[first] if tokens else False
    sequence = any(_low(t) in SEQUENCE for t in tokens)
    return count, before, sequence
