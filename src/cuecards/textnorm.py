"""Text normalisation for drill grading: tokens with offsets, a light stemmer,
stop words, negation cues and a typo-tolerant word similarity.

Everything here is a pure function of strings. Tokens keep their character
offsets into the text they came from, so a match can be highlighted in the
answer exactly as the candidate typed it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

# A word: letters/digits, with inner apostrophes ("don't", "user's"); single
# letters joined by slashes ("A/B", "I/O") are one word.
_WORD = re.compile(r"[^\W_](?:/[^\W_])+(?![^\W_])|[^\W_]+(?:['\u2019][^\W_]+)*")
# Characters that end a clause or a sentence; a negation does not reach past them.
_CLAUSE_END = set(",;:()[]")
_SENTENCE_END = set(".!?;\n")
_ABBREVIATIONS = frozenset(["vs", "e", "g", "i", "eg", "ie", "etc", "cf", "approx"])

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "up",
        "down",
        "out",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "their",
        "theirs",
        "they",
        "them",
        "we",
        "our",
        "ours",
        "us",
        "you",
        "your",
        "yours",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "him",
        "but",
        "if",
        "then",
        "than",
        "so",
        "such",
        "very",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "has",
        "have",
        "had",
        "having",
        "just",
        "also",
        "only",
        "more",
        "most",
        "some",
        "any",
        "each",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "both",
        "few",
        "other",
        "own",
        "same",
        "too",
        "s",
        "t",
        "ll",
        "re",
        "ve",
        "d",
        "m",
        "etc",
        "e",
        "g",
        "eg",
        "ie",
        "via",
        "per",
        "within",
        "across",
        "and",
        "or",
        "vs",
        "versus",
        "against",
        "nor",
        "plus",
    ]  # noqa: E501
)

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "nor",
        "neither",
        "none",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "shouldnt",
        "wouldnt",
        "couldnt",
        "ignore",
        "ignoring",
        "ignored",
        "skip",
        "skipping",
        "skipped",
        "instead",
    ]  # noqa: E501
)
# Softer cues that also deny what follows; they count only where the point
# itself is a negative ("not shipping blindly" ~ "avoid shipping blindly").
SOFT_NEGATIONS = frozenset(
    ["avoid", "avoids", "avoiding", "prevent", "prevents", "preventing", "stop", "stops"]
)  # noqa: E501
# "X doesn't matter", "X is not important": the clause dismisses X.
DISMISSALS = frozenset(
    [
        "matter",
        "important",
        "need",
        "necessary",
        "concern",
        "priority",
        "relevant",
        "count",
        "worry",
    ]  # noqa: E501
)
# "many segments" contradicts "one segment".
PLURAL_QUANTIFIERS = frozenset(["many", "multiple", "several", "all", "every", "various", "lots"])
SINGULAR = frozenset(["one", "single"])
# "not only X", "not just X": X is still asserted.
NEGATION_RELEASE = frozenset(["only", "just", "merely", "simply", "solely"])
# "without sacrificing X", "without hurting X": X is still the subject.
NEGATION_FLIP = tuple(
    ["sacrific", "hurt", "los", "lose", "compromis", "harm", "break", "trad", "giv"]
)  # noqa: E501

# Words that say little on their own in this domain; they count for less, and
# a point of several words is never credited on them alone.
GENERIC = frozenset(
    [
        "user",
        "product",
        "model",
        "system",
        "make",
        "us",
        "good",
        "thing",
        "way",
        "need",
        "time",
        "data",
        "feature",
        "team",
        "ai",
        "set",
        "get",
        "go",
        "give",
        "take",
        "work",
        "better",
        "best",
        "new",
        "high",
        "low",
        "big",
        "small",
        "right",
        "first",
        "one",
        "two",
        "question",
        "answer",
        "problem",
        "case",
        "part",
        "kind",
        "lot",
    ]  # noqa: E501
)

# Plain-English equivalents, mapped to one canonical stem. Kept small and
# general: a deck's own vocabulary belongs in the point's `accept` phrases.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("evaluation", "eval", "evals"),
    ("metric", "kpi", "measure"),
    ("cost", "spend", "expense", "affordable", "cheap"),
    ("one", "single"),
    ("speed", "fast", "quick"),
    ("clarify", "define", "identify"),
    ("user", "customer", "people", "person"),
    ("risk", "danger", "hazard"),
    ("launch", "ship", "release", "rollout"),
    ("goal", "objective", "aim"),
    ("accuracy", "accurate", "correct", "correctness"),
    ("failure", "fail", "error"),
)


@dataclass(frozen=True)
class Token:
    """One word of a text.

    Attributes:
        raw: the word as typed.
        norm: its stem, used for matching.
        start: offset of its first character in the text.
        end: offset one past its last character.
        stop: a stop word (not needed for a match).
        neg: a negation cue ("not", "without", "don't"...).
        clause: index of the clause it is in.
        sentence: index of the sentence it is in.
    """

    raw: str
    norm: str
    start: int
    end: int
    stop: bool
    neg: bool
    clause: int
    sentence: int


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


def _synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        for word in group:
            table[stem(word)] = stem(group[0])
    return table


SYNONYMS = _synonym_table()


def is_negation(word: str) -> bool:
    """Whether a word (as typed) denies what follows it."""
    w = fold(word).replace("\u2019", "'")
    if w.endswith("n't"):
        return True
    return w.replace("'", "") in NEGATIONS


def tokenize(text: str) -> list[Token]:
    """Split text into tokens that keep offsets, clause and sentence numbers."""
    tokens: list[Token] = []
    clause = sentence = 0
    last = 0
    for m in _WORD.finditer(text):
        gap = text[last : m.start()]
        if tokens and fold(tokens[-1].raw) in _ABBREVIATIONS and gap.startswith("."):
            gap = gap[1:]  # "vs." and "e.g." do not end a sentence
        if tokens and any(c in _SENTENCE_END for c in gap):
            sentence += 1
            clause += 1
        elif tokens and (any(c in _CLAUSE_END for c in gap) or " - " in gap):
            clause += 1
        raw = m.group(0)
        low = fold(raw)
        neg = is_negation(raw)
        if low == "but" and tokens:
            clause += 1
        stop = neg or low in STOP_WORDS or low.replace("\u2019", "'") in STOP_WORDS
        tokens.append(Token(raw, stem(raw), m.start(), m.end(), stop, neg, clause, sentence))
        last = m.end()
    return tokens


def _allowed_edits(n: int) -> int:
    if n <= 4:
        return 0
    if n <= 7:
        return 1
    return 2


@lru_cache(maxsize=65536)
def similarity(a: str, b: str, strict: bool = False) -> float:
    """How alike two stems are, 0..1: exact, synonym, typo or prefix.

    ``strict``: only the same word, perhaps with a typo (no synonym, no prefix).
    """
    if a == b:
        return 1.0
    if strict:
        dist = OSA.distance(a, b)
        return (
            1.0 - 0.1 * dist
            if min(len(a), len(b)) > 4 and dist <= _allowed_edits(max(len(a), len(b)))
            else 0.0
        )
    sa, sb = SYNONYMS.get(a), SYNONYMS.get(b)
    if sa is not None and sa == sb:
        return 0.9
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) <= 2:
        return 0.0
    dist = OSA.distance(a, b)
    if len(short) <= 4:
        # Short words: only a swap of two letters or one extra/missing letter,
        # so "cost" is not read as "most".
        if dist == 1 and (sorted(a) == sorted(b) or len(a) != len(b)) and len(short) >= 4:
            return 0.85
        return 0.0
    if dist <= _allowed_edits(len(long_)):
        return 1.0 - 0.1 * dist
    if long_.startswith(short) and len(short) >= 5:
        return 0.85
    return 0.0
