"""Decks as an Anki package (``cuecards export --format apkg``), with genanki.

* recall cards: a Basic note, or Basic-and-reversed when ``reverse`` is set;
* cloze cards: a Cloze note, the gaps numbered ``c1``, ``c2``... in order;
* drills: a note type that shows the prompt and takes a typed answer
  (``{{type:Answer}}``, which Anki compares with the model answer), then shows
  the key points and the model answer on the back.

The card's notes go on the back. Tags keep their words (``a/b`` becomes
Anki's ``a::b``; spaces become ``_``); deck ``pm/trade-offs`` becomes the Anki
deck ``pm::trade-offs``. Note GUIDs, note-type ids and deck ids come from
cuecards ids, so re-importing an updated export into Anki updates its notes
instead of duplicating them. Plain text is escaped into HTML.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cuecards.model import CLOZE_GAP, AnyCard, DrillCard, RecallCard

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }"
_BACK = "{{FrontSide}}<hr id=answer>{{Back}}{{#Notes}}<br><br><i>{{Notes}}</i>{{/Notes}}"


@dataclass(frozen=True)
class ExportDeck:
    """One deck to export: its cuecards id, title, tags and cards."""

    deck_id: str
    title: str
    tags: tuple[str, ...]
    cards: tuple[AnyCard, ...]


@dataclass(frozen=True)
class ExportReport:
    """What was written."""

    decks: int
    notes: int
    cards: int


def _stable_id(*parts: str) -> int:
    """A 31-bit id for Anki (note types and decks) from cuecards names."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return (int.from_bytes(digest[:4], "big") & 0x3FFFFFFF) | 0x40000000


def field_html(text: str) -> str:
    """Plain text as an Anki field: escaped, lines as ``<br>``."""
    return html.escape(text).replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    """A cuecards tag as an Anki tag."""
    return "::".join("_".join(part.split()) for part in tag.split("/") if part.strip()) or "_"


def cloze_html(text: str) -> tuple[str, int]:
    """cuecards cloze text as Anki's, and how many gaps it has."""
    count = 0
    out: list[str] = []
    last = 0
    for m in CLOZE_GAP.finditer(text):
        count += 1
        out.append(field_html(text[last : m.start()]))
        out.append(f"{{{{c{count}::{field_html(m.group(1).strip())}}}}}")
        last = m.end()
    out.append(field_html(text[last:]))
    return "".join(out), count


def _models() -> dict[str, object]:
    import genanki

    basic_fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Notes"}]
    forward = {"name": "Card 1", "qfmt": "{{Front}}", "afmt": _BACK}
    backward = {
        "name": "Card 2",
        "qfmt": "{{Back}}",
        "afmt": "{{FrontSide}}<hr id=answer>{{Front}}{{#Notes}}<br><br><i>{{Notes}}</i>{{/Notes}}",
    }
    return {
        "basic": genanki.Model(
            _stable_id("cuecards", "basic"),
            "cuecards Basic",
            fields=basic_fields,
            templates=[forward],
            css=_CSS,
        ),
        "reversed": genanki.Model(
            _stable_id("cuecards", "reversed"),
            "cuecards Basic (and reversed card)",
            fields=basic_fields,
            templates=[forward, backward],
            css=_CSS,
        ),
        "cloze": genanki.Model(
            _stable_id("cuecards", "cloze"),
            "cuecards Cloze",
            fields=[{"name": "Text"}, {"name": "Back Extra"}],
            templates=[
                {
                    "name": "Cloze",
                    "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}{{#Back Extra}}<br><br>{{Back Extra}}{{/Back Extra}}",
                }
            ],
            css=_CSS + " .cloze { font-weight: bold; color: blue; }",
            model_type=genanki.Model.CLOZE,
        ),
        "drill": genanki.Model(
            _stable_id("cuecards", "drill"),
            "cuecards Drill",
            fields=[{"name": "Prompt"}, {"name": "Points"}, {"name": "Answer"}, {"name": "Notes"}],
            templates=[
                {
                    "name": "Drill",
                    "qfmt": "{{Prompt}}<br><br>{{type:Answer}}",
                    "afmt": "{{Prompt}}<hr id=answer>{{type:Answer}}"
                    "<h4>Key points</h4>{{Points}}<h4>Model answer</h4>{{Answer}}"
                    "{{#Notes}}<br><br><i>{{Notes}}</i>{{/Notes}}",
                }
            ],
            css=_CSS,
        ),
    }


def _note(models: dict[str, object], deck_id: str, card: AnyCard, tags: list[str]) -> object:
    import genanki

    card_id = card.id or ""
    guid = genanki.guid_for("cuecards", deck_id, card_id)
    notes = field_html(card.notes or "")
    if isinstance(card, RecallCard):
        model = models["reversed" if card.reverse else "basic"]
        fields = [field_html(card.front), field_html(card.back), notes]
    elif isinstance(card, DrillCard):
        points = "".join(f"<li>{field_html(p.text)}</li>" for p in card.key_points)
        fields = [field_html(card.prompt), f"<ul>{points}</ul>", field_html(card.answer), notes]
        model = models["drill"]
    else:
        text, _count = cloze_html(card.text)
        fields, model = [text, notes], models["cloze"]
    return genanki.Note(model=model, fields=fields, tags=tags, guid=guid)


def write_apkg(decks: Iterable[ExportDeck], target: Path) -> ExportReport:
    """Write ``decks`` as one Anki package at ``target`` (atomically)."""
    import genanki

    from cuecards.model import derived_id, expand

    models = _models()
    packaged: list[object] = []
    notes = cards = 0
    for deck in decks:
        anki_deck = genanki.Deck(_stable_id("cuecards-deck", deck.deck_id), deck_name(deck.deck_id))
        anki_deck.description = field_html(deck.title)
        for card in deck.cards:
            if card.id is None:
                card = card.model_copy(update={"id": derived_id(card)})
            tags = sorted({anki_tag(t) for t in (*deck.tags, *card.tags)})
            anki_deck.add_note(_note(models, deck.deck_id, card, tags))
            notes += 1
            cards += len(expand(deck.deck_id, card, list(deck.tags)))
        packaged.append(anki_deck)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        genanki.Package(packaged).write_to_file(str(tmp))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportReport(len(packaged), notes, cards)


def deck_name(deck_id: str) -> str:
    """The Anki deck name of a cuecards deck id: ``pm/trade-offs`` -> ``pm::trade-offs``."""
    return "::".join(deck_id.split("/"))


def collect_decks(
    roots: Iterable[Path], deck: str | None = None, tag: str | None = None
) -> tuple[list[ExportDeck], int]:
    """The decks of the deck folders (a later folder's deck overrides an
    earlier one of the same id), narrowed to ``deck`` (a deck id or folder) and
    ``tag``; returns them and how many deck files failed to load."""
    from cuecards.errors import CuecardsError
    from cuecards.loader import deck_id_for, find_deck_files, load_deck

    found: dict[str, ExportDeck] = {}
    failed = 0
    for root in roots:
        if not Path(root).is_dir():
            continue
        for path in find_deck_files(Path(root)):
            deck_id = deck_id_for(path, Path(root))
            if deck and deck_id != deck and not deck_id.startswith(deck.rstrip("/") + "/"):
                continue
            try:
                loaded = load_deck(path, Path(root))
            except (CuecardsError, OSError):
                failed += 1
                continue
            d = loaded.deck
            cards = tuple(c for c in d.cards if tag is None or tag in (*d.tags, *c.tags))
            found[deck_id] = ExportDeck(deck_id, d.title, tuple(d.tags), cards)
    return [d for _id, d in sorted(found.items()) if d.cards], failed
