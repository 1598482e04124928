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

CLOZE_GAP = re.compile(r"\{\{(.+?)\}\}", re.S)
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
GAP_MARK = "[...]"

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
        if not CLOZE_GAP.search(v):
            raise ValueError("a cloze text needs at least one {{gap}}")
        return v

    @property
    def gaps(self) -> list[str]:
        return [m.group(1).strip() for m in CLOZE_GAP.finditer(self.text)]


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


def cloze_render(text: str, gap_index: int) -> tuple[str, str]:
    """The prompt (this gap hidden, others shown) and answer of one cloze gap."""
    prompt_parts: list[str] = []
    answer_parts: list[str] = []
    last = 0
    for i, m in enumerate(CLOZE_GAP.finditer(text)):
        prompt_parts.append(text[last : m.start()])
        answer_parts.append(text[last : m.start()])
        word = m.group(1).strip()
        prompt_parts.append(GAP_MARK if i == gap_index else word)
        answer_parts.append(f"[{word}]" if i == gap_index else word)
        last = m.end()
    prompt_parts.append(text[last:])
    answer_parts.append(text[last:])
    return "".join(prompt_parts), "".join(answer_parts)


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
    for i, _gap in enumerate(card.gaps):
        prompt, answer = cloze_render(card.text, i)
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
