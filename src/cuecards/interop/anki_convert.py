"""An Anki collection as cuecards decks: notes to cards, Anki cards to uids.

* Basic-like note types (any that is not a cloze type) become recall cards
  from their first two fields; a note that has a second card (template 2:
  "Basic (and reversed card)", or the optional reverse) gets ``reverse: true``.
  Further fields go into the card's notes; third and later templates are
  skipped and counted.
* Cloze notes become cloze cards: ``{{c1::text::hint}}`` becomes the gap
  ``{{text}}`` (the deck format has no hints, so hints go into the notes).
  Anki's cloze number N maps to the first gap that had it.
* Card ids come from the note's GUID, so a second import of the same notes
  writes the same ids and updates instead of duplicating.
* Each note goes to the deck of its first card (a card in a filtered deck
  counts in its home deck). Anki deck ``Lang::French`` becomes the deck file
  ``lang/french.yaml``; tags ``a::b`` become ``a/b``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cuecards.interop.anki_sqlite import AnkiCard, AnkiCollection, AnkiNote
from cuecards.interop.html_text import html_to_text

_ANKI_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


@dataclass
class DeckOut:
    """One deck file to write: its id (path without ``.yaml``) and content."""

    deck_id: str
    anki_name: str
    cards: list[dict[str, object]] = field(default_factory=list)
    #: the file the deck came from when it is not an Anki deck (a table's name)
    source_file: str = ""

    def content(self) -> dict[str, Any]:
        """The deck as the mapping its YAML file holds."""
        origin = self.source_file or f"the Anki deck {self.anki_name}"
        return {
            "title": self.anki_name.replace("::", " / "),
            "description": f"Imported from {origin}",
            "cards": self.cards,
        }


@dataclass
class Conversion:
    """What the import will write, and what it left out and why."""

    decks: list[DeckOut] = field(default_factory=list)
    #: Anki card id -> the cuecards card uid it became
    uids: dict[int, str] = field(default_factory=dict)
    notes: int = 0
    cards: int = 0
    #: media files in the package, and media references dropped from the text
    media_files: int = 0
    media_refs: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def card_id_for(guid: str) -> str:
    """The cuecards card id of a note: stable for its GUID."""
    return "anki-" + hashlib.sha1(guid.encode("utf-8")).hexdigest()[:12]


def flat_tag(tag: str) -> str:
    """``a::b`` as ``a/b``."""
    return "/".join(p for p in tag.split("::") if p) or tag


def slug(name: str) -> str:
    """A file-name part for an Anki deck name part."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s or "deck"


def cloze_text(text: str) -> tuple[str, list[int], list[str]]:
    """Anki cloze text as cuecards gaps: (text, Anki cloze number of each gap in
    order, hint lines)."""
    numbers: list[int] = []
    hints: list[str] = []

    def gap(m: re.Match[str]) -> str:
        word = " ".join(m.group(2).replace("}", ")").replace("{", "(").split()) or "..."
        numbers.append(int(m.group(1)))
        if m.group(3) and m.group(3).strip():
            hints.append(f"Hint for {word}: {m.group(3).strip()}")
        return "{{" + word + "}}"

    stripped = text.replace("{{", "{ {").replace("}}", "} }")
    # the gaps themselves keep their braces: undo the escape inside them only
    restored = re.sub(r"\{ \{(c\d+::.*?)\} \}", r"{{\1}}", stripped, flags=re.S)
    return _ANKI_CLOZE.sub(gap, restored), numbers, hints


class _Converter:
    def __init__(self, col: AnkiCollection) -> None:
        self.col = col
        self.out = Conversion(media_files=col.media_files)
        self.by_anki_deck: dict[int, DeckOut] = {}
        self.used_ids: set[str] = set()

    def deck_for(self, anki_deck: int) -> DeckOut:
        deck = self.by_anki_deck.get(anki_deck)
        if deck is None:
            name = self.col.decks.get(anki_deck, "Default")
            base = "/".join(slug(p) for p in name.split("::"))
            deck_id, n = base, 2
            while deck_id in self.used_ids:
                deck_id, n = f"{base}-{n}", n + 1
            self.used_ids.add(deck_id)
            deck = self.by_anki_deck[anki_deck] = DeckOut(deck_id, name)
            self.out.decks.append(deck)
        return deck

    def text(self, html: str) -> str:
        plain = html_to_text(html)
        self.out.media_refs += plain.media
        return plain.text

    def note(self, note: AnkiNote, cards: list[AnkiCard]) -> None:
        nt = self.col.notetypes.get(note.notetype_id)
        if nt is None:
            self.out.skipped["note of an unknown note type"] += 1
            return
        if not cards:
            self.out.skipped["note without cards"] += 1
            return
        if nt.cloze and "image-occlusion:" in (note.fields[0] if note.fields else ""):
            self.out.skipped["image occlusion note (an image is needed)"] += 1
            return
        deck = self.deck_for(cards[0].deck_id)
        card_id = card_id_for(note.guid)
        entry: dict[str, object] = {"id": card_id}
        uid = f"{deck.deck_id}/{card_id}"
        fields = [self.text(f) for f in note.fields]
        extra: list[str] = []
        if nt.name == "cuecards Drill" and nt.fields[:3] == ("Prompt", "Points", "Answer"):
            used = self.drill(entry, fields, cards, uid)
        elif nt.cloze:
            used = self.cloze(entry, fields, cards, uid, extra)
        else:
            used = self.recall(entry, fields, cards, uid)
        if used is None:
            return
        names = list(nt.fields) + [f"Field {i + 1}" for i in range(len(nt.fields), len(fields))]
        for name, text in list(zip(names, fields, strict=False))[used:]:
            if not text:
                continue
            if name in ("Notes", "Back Extra"):
                extra.append(text)
            else:
                extra.append(f"{name}:\n{text}" if "\n" in text else f"{name}: {text}")
        tags = list(dict.fromkeys(flat_tag(t) for t in note.tags))
        if tags:
            entry["tags"] = tags
        if extra:
            entry["notes"] = "\n".join(extra)
        deck.cards.append(entry)
        self.out.notes += 1

    def cloze(
        self,
        entry: dict[str, object],
        fields: list[str],
        cards: list[AnkiCard],
        uid: str,
        extra: list[str],
    ) -> int | None:
        """A cloze note; returns the fields used (None: skipped)."""
        text, numbers, hints = cloze_text(fields[0] if fields else "")
        if not numbers:
            self.out.skipped["cloze note without gaps"] += 1
            return None
        entry.update(kind="cloze", text=text)
        extra += hints
        for c in cards:
            if c.ord + 1 in numbers:
                self.out.uids[c.id] = f"{uid}#c{numbers.index(c.ord + 1) + 1}"
            else:
                self.out.skipped["cloze card whose gap is gone"] += 1
        self.out.cards += len(numbers)
        return 1

    def recall(
        self, entry: dict[str, object], fields: list[str], cards: list[AnkiCard], uid: str
    ) -> int | None:
        """Any other note: a recall card from its first two fields."""
        if len(fields) < 2 or not fields[0] or not fields[1]:
            self.out.skipped["note with an empty front or back"] += 1
            return None
        entry.update(front=fields[0], back=fields[1])
        ords = {c.ord for c in cards}
        if 1 in ords:
            entry["reverse"] = True
        for c in cards:
            if c.ord in (0, 1):
                self.out.uids[c.id] = uid if c.ord == 0 else f"{uid}#reverse"
            else:
                self.out.skipped["card of a third or later template"] += 1
        self.out.cards += 1 + (1 in ords)
        return 2

    def drill(
        self, entry: dict[str, object], fields: list[str], cards: list[AnkiCard], uid: str
    ) -> int | None:
        """A drill exported by cuecards comes back as a drill."""
        points = [p.removeprefix("- ").strip() for p in fields[1].split("\n")]
        points = [p for p in points if p]
        if not fields[0] or not fields[2] or not points:
            self.out.skipped["drill note with an empty prompt, points or answer"] += 1
            return None
        entry.update(kind="drill", prompt=fields[0], points=points, answer=fields[2])
        for c in cards:
            if c.ord == 0:
                self.out.uids[c.id] = uid
            else:
                self.out.skipped["card of a second or later template"] += 1
        self.out.cards += 1
        return 3


def convert(col: AnkiCollection) -> Conversion:
    """The decks, cards and uid map for ``col`` (see the module docstring)."""
    conv = _Converter(col)
    by_note: dict[int, list[AnkiCard]] = {}
    for card in col.cards:
        by_note.setdefault(card.note_id, []).append(card)
    for note in col.notes:
        conv.note(note, sorted(by_note.get(note.id, []), key=lambda c: c.ord))
    conv.out.decks = [d for d in conv.out.decks if d.cards]
    return conv.out
