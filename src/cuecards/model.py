"""The deck format (v1) as pydantic models, and the schedulable items a card
expands into.

A deck file holds one :class:`Deck`. Each card entry is a :class:`RecallCard`,
:class:`DrillCard` or :class:`ClozeCard`; ``kind`` picks which, and defaults to
``recall``. Unknown keys are errors (``extra="forbid"``).

One card entry can give several schedulable :class:`Item` s: a recall card
with ``reverse: true`` gives two, a cloze card gives one per gap. Items of one
entry are siblings: they share a ``note_uid`` and are not shown on the same day.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

CLOZE_GAP = re.compile(r"\{\{(.+?)\}\}", re.S)  # the syntax; scanning uses gap_spans()
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
GAP_MARK = "[...]"
#: a cloze text longer than this shows each gap with this many characters of
#: context on either side, so that loading stays linear in the number of gaps
CLOZE_CONTEXT = 1500

NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Point(_Strict):
    """A key point a drill answer must cover."""

    text: NonEmpty = Field(description="The point, in a few words.")
    accept: list[NonEmpty] = Field(
        default_factory=list,
        description="Other phrases that count as making this point.",
    )


class _CardBase(_Strict):
    id: str | None = Field(
        default=None,
        description="Stable id, unique in the deck. Keep it when you edit the card: "
        "the history follows the id.",
    )
    tags: list[NonEmpty] = Field(default_factory=list, description="Tags, added to the deck's.")
    notes: str | None = Field(default=None, description="Extra notes shown after the answer.")
    was: NonEmpty | list[NonEmpty] | None = Field(
        default=None,
        description="The id (or ids) this card had before, `old-id` or `deck-id/old-id`: "
        "its history follows it.",
    )

    @field_validator("was")
    @classmethod
    def _check_was(cls, v: str | list[str] | None) -> str | list[str] | None:
        for ref in [v] if isinstance(v, str) else v or []:
            deck, _, card = ref.rpartition("/")
            if not CARD_ID.match(card) or deck.startswith("/") or deck.endswith("/"):
                raise ValueError(f"was: '{ref}' is not a card id (old-id or deck-id/old-id)")
        return v

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str | None) -> str | None:
        if v is not None and not CARD_ID.match(v):
            raise ValueError(
                "an id uses letters, digits, '-', '_' and '.', and starts with a letter or digit"
            )
        return v


class RecallCard(_CardBase):
    """See the front, think, reveal the back, rate yourself."""

    kind: Literal["recall"] = "recall"
    front: NonEmpty = Field(description="The question or cue.")
    back: NonEmpty = Field(description="The answer.")
    reverse: bool = Field(default=False, description="Also schedule back -> front as its own card.")


class DrillCard(_CardBase):
    """Type a short answer; it is checked against the key points."""

    kind: Literal["drill"]
    prompt: NonEmpty = Field(description="The question to answer in writing.")
    points: list[NonEmpty | Point] = Field(
        min_length=1, description="Key points the answer must cover."
    )
    answer: NonEmpty = Field(description="A model answer, shown after grading.")
    time_limit: int | None = Field(
        default=None, gt=0, le=3600, description="Seconds allowed; a timer is shown."
    )
    pass_: int | None = Field(
        default=None,
        alias="pass",
        gt=0,
        description="Points needed for a pass, suggested as Hard (default: 60% of them, "
        "rounded up); all points suggest Good.",
    )

    @field_validator("points")
    @classmethod
    def _points_to_objects(cls, v: list[Any]) -> list[Any]:
        return [Point(text=p) if isinstance(p, str) else p for p in v]

    @model_validator(mode="after")
    def _pass_in_range(self) -> DrillCard:
        if self.pass_ is not None and self.pass_ > len(self.points):
            raise ValueError(f"pass is {self.pass_} but the card has {len(self.points)} points")
        return self

    @property
    def key_points(self) -> list[Point]:
        """The points, each as a :class:`Point`."""
        return [p if isinstance(p, Point) else Point(text=p) for p in self.points]


class ClozeCard(_CardBase):
    """A sentence with ``{{...}}`` gaps; each gap is its own card."""

    kind: Literal["cloze"]
    text: NonEmpty = Field(description="Text with one or more {{gaps}}.")

    @field_validator("text")
    @classmethod
    def _has_gap(cls, v: str) -> str:
        if not gap_spans(v):
            raise ValueError("a cloze text needs at least one {{gap}}")
        return v

    @property
    def gaps(self) -> list[str]:
        return [self.text[a:b].strip() for _s, _e, a, b in gap_spans(self.text)]


def _card_kind(v: Any) -> str:
    if isinstance(v, dict):
        kind = v.get("kind", "recall")
        return kind if kind in ("recall", "drill", "cloze") else "unknown"
    return getattr(v, "kind", "recall")


Card = Annotated[
    Annotated[RecallCard, Tag("recall")]
    | Annotated[DrillCard, Tag("drill")]
    | Annotated[ClozeCard, Tag("cloze")],  # noqa: E501
    Discriminator(
        _card_kind,
        custom_error_type="card_kind",
        custom_error_message="kind must be one of: recall, drill, cloze",
    ),
]

KIND_TAGS = ("recall", "drill", "cloze")


class Deck(_Strict):
    """One deck file."""

    title: NonEmpty = Field(description="The deck's title.")
    description: str | None = Field(default=None, description="What the deck holds.")
    tags: list[NonEmpty] = Field(default_factory=list, description="Tags every card inherits.")
    synonyms: list[list[NonEmpty]] = Field(
        default_factory=list,
        description="Groups of words that drill grading reads as one word, "
        "e.g. [[ship, launch, release]].",
    )
    cards: list[Card] = Field(default_factory=list, description="The cards.")
    was: NonEmpty | list[NonEmpty] | None = Field(
        default=None,
        description="The deck id (or ids) this deck had before, e.g. `pm/basics`: cards "
        "that left it keep their history here.",
    )


def aliases_of(value: str | list[str] | None) -> tuple[str, ...]:
    """A ``was:`` value as a tuple of the ids it names."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


AnyCard = Union[RecallCard, DrillCard, ClozeCard]  # noqa: UP007


def card_text(card: AnyCard) -> str:
    """The card's main text, used to derive an id and to match edits."""
    if isinstance(card, RecallCard):
        return f"{card.front}\n{card.back}"
    if isinstance(card, DrillCard):
        return card.prompt
    return card.text


def derived_id(card: AnyCard) -> str:
    """An id for a card that has none: ``auto-`` and a hash of its text."""
    digest = hashlib.sha1(card_text(card).encode("utf-8")).hexdigest()[:10]
    return f"auto-{digest}"


def gap_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Every ``{{...}}`` gap: (start, end, inner start, inner end), in one pass.

    The same gaps as :data:`CLOZE_GAP`, found without its quadratic backtracking
    over an unclosed ``{{``.
    """
    out: list[tuple[int, int, int, int]] = []
    i = text.find("{{")
    while i >= 0:
        j = text.find("}}", i + 3)
        if j < 0:
            break  # no gap can close after this point
        out.append((i, j + 2, i + 2, j))
        i = text.find("{{", j + 2)
    return out


def cloze_renders(text: str) -> list[tuple[str, str]]:
    """The prompt (this gap hidden, others shown) and answer of every gap.

    Linear in the text: the text with every gap word shown is built once, and
    a long text shows each gap within :data:`CLOZE_CONTEXT` characters.
    """
    spans = gap_spans(text)
    parts: list[str] = []
    places: list[tuple[int, int, str]] = []  # where each gap word sits in `shown`
    last = size = 0
    for start, end, a, b in spans:
        parts.append(text[last:start])
        size += start - last
        word = text[a:b].strip()
        places.append((size, size + len(word), word))
        parts.append(word)
        size += len(word)
        last = end
    parts.append(text[last:])
    shown = "".join(parts)
    windowed = len(shown) > 2 * CLOZE_CONTEXT
    out: list[tuple[str, str]] = []
    for at, until, word in places:
        lo, hi = (max(0, at - CLOZE_CONTEXT), until + CLOZE_CONTEXT) if windowed else (0, None)
        before = ("..." if lo > 0 else "") + shown[lo:at]
        after = shown[until:hi] + ("..." if hi is not None and hi < len(shown) else "")
        out.append((f"{before}{GAP_MARK}{after}", f"{before}[{word}]{after}"))
    return out


def cloze_render(text: str, gap_index: int) -> tuple[str, str]:
    """The prompt (this gap hidden, others shown) and answer of one cloze gap."""
    return cloze_renders(text)[gap_index]


def gap_key(prompt: str, answer: str) -> str:
    """The text of a cloze item's gap, from its prompt and answer alone.

    The two differ only where the gap is (hidden in one, ``[word]`` in the
    other), so what lies between their common start and common end names the
    gap: it identifies a gap within its note whatever its position.
    """
    n = min(len(prompt), len(answer))
    lo, hi = 0, n  # the common start's length, by bisection: slice compares run in C
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if prompt[:mid] == answer[:mid] else (lo, mid - 1)
    p = lo
    lo, hi = 0, n - p
    while lo < hi:
        mid = (lo + hi + 1) // 2
        same = prompt[len(prompt) - mid :] == answer[len(answer) - mid :]
        lo, hi = (mid, hi) if same else (lo, mid - 1)
    s = lo
    return answer[p : len(answer) - s]


@dataclass(frozen=True)
class Item:
    """One schedulable card: what the queue holds and the app shows.

    ``uid`` is ``deck-id/card-id`` and, for a reverse card or a cloze gap,
    ``#reverse`` or ``#c1``, ``#c2``... after it.
    """

    uid: str
    deck_id: str
    card_id: str
    note_uid: str
    kind: Literal["recall", "drill", "cloze"]
    variant: str
    prompt: str
    answer: str
    points: tuple[Point, ...] = ()
    #: the drill's ``pass`` (points needed for a pass); 0 when the card sets none
    needed: int = 0
    time_limit: int | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    line: int = 0
    auto_id: bool = False
    #: the deck's synonym groups, for drill grading
    synonyms: tuple[tuple[str, ...], ...] = ()


def expand(
    deck_id: str,
    card: AnyCard,
    deck_tags: list[str],
    line: int = 0,
    synonyms: tuple[tuple[str, ...], ...] = (),
) -> list[Item]:
    """The items one card entry gives, in a stable order."""
    auto = card.id is None
    card_id = card.id or derived_id(card)
    note = f"{deck_id}/{card_id}"
    tags = tuple(dict.fromkeys([*deck_tags, *card.tags]))
    common: dict[str, Any] = dict(
        deck_id=deck_id,
        card_id=card_id,
        note_uid=note,
        tags=tags,
        notes=card.notes,
        line=line,
        auto_id=auto,
    )
    if isinstance(card, RecallCard):
        items = [
            Item(uid=note, kind="recall", variant="", prompt=card.front, answer=card.back, **common)
        ]
        if card.reverse:
            items.append(
                Item(
                    uid=f"{note}#reverse",
                    kind="recall",
                    variant="reverse",
                    prompt=card.back,
                    answer=card.front,
                    **common,
                )
            )
        return items
    if isinstance(card, DrillCard):
        return [
            Item(
                uid=note,
                kind="drill",
                variant="",
                prompt=card.prompt,
                answer=card.answer,
                points=tuple(card.key_points),
                needed=card.pass_ or 0,
                time_limit=card.time_limit,
                synonyms=synonyms,
                **common,
            )
        ]
    out = []
    for i, (prompt, answer) in enumerate(cloze_renders(card.text)):
        out.append(
            Item(
                uid=f"{note}#c{i + 1}",
                kind="cloze",
                variant=f"c{i + 1}",
                prompt=prompt,
                answer=answer,
                **common,
            )
        )
    return out
