"""Whether one card's text is an edit of another's: the similarity rule the
sync uses when ids cannot say (an id-less card reworded, an id changed)."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar


class HasContent(Protocol):
    """A stored card as :class:`Candidates` reads it: its content dict."""

    @property
    def content(self) -> dict[str, Any]: ...


Row = TypeVar("Row", bound=HasContent)

#: combined text of two versions of a card: at least this similar
SIMILARITY = 85.0
#: the part that names the card (recall front, drill prompt): near-identical
NEAR_SAME = 90.0
#: the naming part when the other part (recall back, drill answer) is
#: near-identical: a reworded question over the same answer
REWORDED = 70.0


def identity_text(content: dict[str, Any]) -> tuple[str, str]:
    """What identifies an item's text: (the naming part, the other part).

    Recall: (front, back), whichever way the variant shows them. Drill:
    (prompt, model answer). Cloze: the text with every gap word shown (the
    item's answer), and nothing else.
    """
    prompt = str(content.get("prompt", ""))
    answer = str(content.get("answer", ""))
    kind = content.get("kind")
    if kind == "cloze":
        return answer, ""
    if kind == "recall" and content.get("variant") == "reverse":
        return answer, prompt
    return prompt, answer


def ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz, utils

    return float(fuzz.ratio(a, b, processor=utils.default_process))


def similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    """How surely ``new`` is an edit of ``old`` (0 when it is not one).

    Both must be of one kind and variant. The naming part near-identical is
    a match (a recall card whose back was reworded); so is the whole text a
    little edited, or a reworded question over a near-identical answer.
    """
    if old.get("kind") != new.get("kind") or old.get("variant") != new.get("variant"):
        return 0.0
    old_key, old_rest = identity_text(old)
    new_key, new_rest = identity_text(new)
    key = ratio(old_key, new_key)
    if not old_rest and not new_rest:  # cloze: the text is all there is
        return key if key >= SIMILARITY else 0.0
    whole = ratio(f"{old_key}\n{old_rest}", f"{new_key}\n{new_rest}")
    rest = ratio(old_rest, new_rest)
    passing = [whole] if whole >= SIMILARITY else []
    if key >= NEAR_SAME:
        passing.append(key)
    if rest >= NEAR_SAME and key >= REWORDED:
        passing.append((key + rest) / 2)
    return max(passing, default=0.0)


class Candidates(Generic[Row]):
    """Old cards one new item may be an edit of, with their texts prepared
    once, so that a pass in C finds the few worth scoring (a whole deck
    replaced by an unrelated one costs milliseconds, not seconds)."""

    def __init__(self, rows: list[Row]) -> None:
        from rapidfuzz import utils

        self.rows = rows
        texts = [identity_text(r.content) for r in rows]
        self.keys = [utils.default_process(k) for k, _rest in texts]
        self.wholes = [utils.default_process(f"{k}\n{rest}") for k, rest in texts]

    def near(self, new: dict[str, Any]) -> list[Row]:
        """The rows whose naming part or whole text could pass :func:`similarity`."""
        if not self.rows:
            return []
        from rapidfuzz import fuzz, process, utils

        key, rest = identity_text(new)
        cut = REWORDED if rest else SIMILARITY
        found = {
            hit[2]
            for hit in process.extract(
                utils.default_process(key),
                self.keys,
                scorer=fuzz.ratio,
                score_cutoff=cut,
                limit=None,
            )
        }
        if rest:
            whole = utils.default_process(f"{key}\n{rest}")
            found |= {
                hit[2]
                for hit in process.extract(
                    whole, self.wholes, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
                )
            }
        return [self.rows[n] for n in sorted(found)]
