"""Text normalisation for drill grading: tokens with offsets, one normal form
per word (abbreviation expanded, then lemma, then a light stem), stop words,
negation cues and a word similarity that tolerates typos only in tokens that
are not real words.

Everything here is a pure function of strings. Tokens keep their character
offsets into the text they came from, so a match can be highlighted in the
answer exactly as the candidate typed it. The lemmatizer and its word list
(``simplemma``, which ships its data) load on the first word graded, never on
the app's start path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from cuecards.grading.words import (
    ABBREVIATIONS,
    GENERIC_WORDS,
    NEGATIONS,
    NOT_LEMMATIZED,
    STOP_WORDS,
    SYNONYM_GROUPS,
)

# A word: letters/digits, with inner apostrophes ("don't", "user's"); single
# letters joined by slashes ("A/B", "I/O") are one word, and so are "w/o", "n/a".
_WORD = re.compile(
    r"\b(?:w/o|n/a|b/c)\b|[^\W_](?:/[^\W_])+(?![^\W_])|[^\W_]+(?:['\u2019][^\W_]+)*", re.I
)
# Characters that end a clause or a sentence; a negation does not reach past them.
_CLAUSE_END = set(",;:()[]")
_SENTENCE_END = set(".!?;\n")
_DOTTED = frozenset(["vs", "e", "g", "i", "eg", "ie", "etc", "cf", "approx"])
# Words that start a new clause: what they join is said on its own.
_CLAUSE_WORDS = frozenset(
    [
        "but",
        "because",
        "while",
        "whereas",
        "although",
        "though",
        "however",
        "yet",
        "since",
        "unless",
        "except",
    ]
)
# "and"/"or" followed by one of these starts a clause too ("X and not Y").
_NEG_STARTS = frozenset(["not", "no", "never", "without", "none"])


@dataclass(frozen=True)
class Token:
    """One word of a text (or one word of an abbreviation's expansion).

    Attributes:
        raw: the word as typed (an expansion's word for an abbreviation).
        norm: its normal form, used for matching.
        start: offset of its first character in the text.
        end: offset one past its last character.
        stop: a stop word (not needed for a match).
        neg: a negation cue ("not", "without", "don't"...).
        clause: index of the clause it is in.
        sentence: index of the sentence it is in.
        real: a word of the language as typed (so never read as a typo of another).
    """

    raw: str
    norm: str
    start: int
    end: int
    stop: bool
    neg: bool
    clause: int
    sentence: int
    real: bool = True


def fold(text: str) -> str:
    """Case-fold and strip accents; keep the length unchanged where possible."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _undouble(w: str) -> str:
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsaeiou":
        return w[:-1]
    return w


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light, conflating stemmer: plurals, -ing, -ed, -ies, -ly, -ation, -ize.

    It is not a linguistic stemmer: it maps the forms of a word that people
    type interchangeably to one string ("routes", "routing", "routed" ->
    "rout"; "personalisation", "personalized" -> "personaliz").
    """
    w = fold(word).replace("\u2019", "'").replace("/", "")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if len(w) <= 3:
        return w[:-1] if len(w) == 3 and w.endswith("e") else w
    # British spellings to one form.
    w = re.sub(r"is(ation|ations|e|es|ed|ing|er|ers)$", r"iz\1", w)
    w = re.sub(r"iour$", "ior", w)
    if len(w) >= 6:
        w = re.sub(r"our$", "or", w)  # rigour, colour
    for suffix, repl in (
        ("izations", "iz"),
        ("ization", "iz"),
        ("izing", "iz"),
        ("ized", "iz"),
        ("izes", "iz"),
        ("ize", "iz"),
        ("ations", "at"),
        ("ation", "at"),
        ("ating", "at"),
        ("ated", "at"),
        ("ates", "at"),
        ("ies", "y"),
        ("ied", "y"),
        ("ness", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + repl
    if w.endswith("ing") and len(w) >= 6:
        return _undouble(w[:-3]).rstrip("e") or w
    if w.endswith("ed") and not w.endswith("eed") and len(w) >= 4:
        return _undouble(w[:-2]).rstrip("e") or w
    if w.endswith("ly") and not w.endswith("ply") and len(w) >= 6:
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) >= 4:
        w = w[:-1]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


@lru_cache(maxsize=1)
def _simplemma() -> Any:
    """The lemmatizer, imported on first use (its English data loads then)."""
    import simplemma

    return simplemma


@lru_cache(maxsize=16384)
def lemma(word: str) -> str:
    """The dictionary form of a folded word ("gave" -> "give", "criteria" -> "criterion")."""
    if len(word) <= 3 or word in NOT_LEMMATIZED or not word.isalpha():
        return word
    out: str = _simplemma().lemmatize(word, lang="en")
    return out.casefold()


@lru_cache(maxsize=16384)
def is_known(word: str) -> bool:
    """Whether a folded word is a word of English (in the lemmatizer's word list)."""
    if not word.isalpha() or len(word) <= 2:
        return True
    return bool(_simplemma().is_known(word, lang="en"))


@lru_cache(maxsize=16384)
def norm(word: str) -> str:
    """The one normal form of a word: folded, then its lemma, then stemmed."""
    w = fold(word).replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return stem(lemma(w.replace("'", "")))


@lru_cache(maxsize=1)
def generic() -> frozenset[str]:
    """The generic words in normal form."""
    return frozenset(norm(w) for w in GENERIC_WORDS)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Normal form -> the normal form of its synonym group's first word."""
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            table[norm(word)] = norm(group[0])
    return table


def is_negation(word: str) -> bool:
    """Whether a word (as typed) denies what follows it."""
    w = fold(word).replace("\u2019", "'")
    if w.endswith("n't"):
        return True
    return w.replace("'", "") in NEGATIONS


def _expand(raw: str) -> tuple[tuple[str, bool], ...]:
    """The words a typed word stands for, each with whether it is a real word."""
    low = fold(raw).replace("\u2019", "'")
    if low in ABBREVIATIONS:
        return tuple((w, True) for w in ABBREVIATIONS[low])
    if low.endswith("s") and low[:-1] in ABBREVIATIONS and len(low) > 3:
        return tuple((w, True) for w in ABBREVIATIONS[low[:-1]])
    word = low.replace("'", "")
    return ((raw, is_known(word) or is_known(word.rstrip("s"))),)


_WRAP_WIDTH = 40  # a line at least this long, broken mid-sentence, is a wrapped paragraph


def _wrapped(text: str, end: int, gap: str, nxt: str) -> bool:
    """Whether the line break in ``gap`` (after offset ``end``) only wraps a sentence:
    one break, no bullet, a long line before it and a lowercase word after it."""
    if gap.count("\n") != 1 or gap.strip() or not nxt[:1].islower():
        return False
    line_start = text.rfind("\n", 0, end) + 1
    return end - line_start >= _WRAP_WIDTH


def tokenize(text: str) -> list[Token]:
    """Split text into tokens that keep offsets, clause and sentence numbers."""
    tokens: list[Token] = []
    clause = sentence = 0
    last = 0
    for m in _WORD.finditer(text):
        gap = text[last : m.start()]
        if tokens and fold(tokens[-1].raw) in _DOTTED and gap.startswith("."):
            gap = gap[1:]  # "vs." and "e.g." do not end a sentence
        raw = m.group(0)
        low = fold(raw)
        if "\n" in gap and _wrapped(text, last, gap, raw):
            gap = gap.replace("\n", " ")  # a paragraph wrapped mid-sentence
        if tokens and any(c in _SENTENCE_END for c in gap):
            sentence += 1
            clause += 1
        elif tokens and (
            any(c in _CLAUSE_END for c in gap)
            or " - " in gap
            or " / " in gap
            or low in _CLAUSE_WORDS
            or (low in _NEG_STARTS and fold(tokens[-1].raw) in ("and", "or"))
        ):
            clause += 1
        for word, real in _expand(raw):
            wl = fold(word)
            neg = is_negation(word)
            stop = neg or wl in STOP_WORDS or wl.replace("\u2019", "'") in STOP_WORDS
            tokens.append(
                Token(word, norm(word), m.start(), m.end(), stop, neg, clause, sentence, real)
            )
        last = m.end()
    return tokens


def _allowed_edits(n: int) -> int:
    if n <= 4:
        return 0
    if n <= 7:
        return 1
    return 2


_PREFIXES = ("un", "in", "im", "ir", "il", "non", "dis")


def _antonym(a: str, b: str) -> bool:
    """Whether one word is the other with a negating prefix ("unhelpful", "inconsistent")."""
    for x, y in ((a, b), (b, a)):
        for p in _PREFIXES:
            if x.startswith(p) and len(x) - len(p) >= 4:
                rest = x[len(p) :]
                if rest == y or OSA.distance(rest, y) <= 1:
                    return True
    return False


@lru_cache(maxsize=65536)
def similarity(a: str, b: str, strict: bool = False, typo: bool = True) -> float:
    """How alike two normal forms are, 0..1: exact, synonym, typo or prefix.

    ``strict``: only the same word, perhaps with a typo (no synonym, no prefix).
    ``typo``: whether a typo may be read (off when the typed word is a real word).
    """
    if a == b:
        return 1.0
    if _antonym(a, b):
        return 0.0
    dist = OSA.distance(a, b)
    if strict:
        ok = typo and min(len(a), len(b)) > 4 and dist <= _allowed_edits(max(len(a), len(b)))
        return 1.0 - 0.1 * dist if ok else 0.0
    table = synonyms()
    sa, sb = table.get(a), table.get(b)
    if sa is not None and sa == sb:
        return 0.9
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) <= 2:
        return 0.0
    if typo and len(short) <= 4:
        # Short words: only a swap of two letters or one extra/missing letter,
        # so "cost" is not read as "most".
        if dist == 1 and (sorted(a) == sorted(b) or len(a) != len(b)) and len(short) >= 4:
            return 0.85
        return 0.0
    if typo and dist <= _allowed_edits(len(long_)):
        return 1.0 - 0.1 * dist
    # A derived form of the same word ("evaluat" ~ "evaluation").
    if long_.startswith(short) and len(short) >= 6 and len(short) >= 0.7 * len(long_):
        return 0.85
    return 0.0
