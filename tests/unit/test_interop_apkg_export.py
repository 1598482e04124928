"""``cuecards export --format apkg``: the shipped decks as an Anki package that
Anki's own library opens (skipped where it is not installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuecards.interop.anki_write import (
    anki_tag,
    cloze_html,
    collect_decks,
    deck_name,
    field_html,
)
from cuecards.model import DrillCard, expand
from cuecards.paths import shipped_decks_dir

pytest.importorskip("anki")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def import_into_anki(pkg: Path, folder: Path) -> object:
    from anki.collection import Collection, ImportAnkiPackageRequest

    col = Collection(str(folder / "fresh.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(pkg)))
    return col


@pytest.fixture
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    pkg = tmp_path / "decks.apkg"
    code, _out, err = run_cli(
        capsys, "--home", str(tmp_path), "export", "-f", "apkg", "-o", str(pkg)
    )
    assert code == 0, err
    assert "Wrote" in err
    return pkg


def test_shipped_decks_open_in_anki(exported: Path, tmp_path: Path) -> None:
    from anki.collection import Collection

    decks, failed = collect_decks([shipped_decks_dir()])
    assert failed == 0 and decks
    n_notes = sum(len(d.cards) for d in decks)
    n_cards = sum(len(expand(d.deck_id, c, list(d.tags))) for d in decks for c in d.cards)
    col = import_into_anki(exported, tmp_path)
    assert isinstance(col, Collection)
    try:
        assert col.note_count() == n_notes
        assert col.card_count() == n_cards
        used = {col.models.get(col.get_note(nid).mid)["name"] for nid in col.find_notes("")}  # type: ignore[index]
        kinds = {type(c).__name__ for d in decks for c in d.cards}
        assert "cuecards Drill" in used and "cuecards Basic" in used
        if "ClozeCard" in kinds:
            assert "cuecards Cloze" in used
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {deck_name(d.deck_id) for d in decks} <= names
        drill = next(c for d in decks for c in d.cards if isinstance(c, DrillCard))
        (nid,) = col.find_notes(f'"Prompt:{drill.prompt[:30]}*"')
        back = col.get_note(nid).cards()[0].answer()
        for point in drill.key_points:
            assert field_html(point.text) in back
        assert field_html(drill.answer) in back
    finally:
        col.close()


def test_re_exporting_updates_notes_in_anki_instead_of_duplicating(
    exported: Path, tmp_path: Path
) -> None:
    from anki.collection import Collection, ImportAnkiPackageRequest

    col = import_into_anki(exported, tmp_path)
    assert isinstance(col, Collection)
    try:
        before = col.note_count()
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(exported)))
        assert col.note_count() == before
    finally:
        col.close()


def test_the_export_reads_back_through_the_import(exported: Path) -> None:
    from cuecards.interop.anki_convert import convert
    from cuecards.interop.anki_package import read_package

    conv = convert(read_package(exported))
    decks, _ = collect_decks([shipped_decks_dir()])
    assert conv.notes == sum(len(d.cards) for d in decks) and not conv.skipped
    assert {d.deck_id for d in conv.decks} == {d.deck_id for d in decks}
    ours = {d.deck_id: d for d in decks}
    for back in conv.decks:
        original = ours[back.deck_id].cards
        assert [c.get("kind", "recall") for c in back.cards] == [c.kind for c in original]
        for again, card in zip(back.cards, original, strict=True):
            if isinstance(card, DrillCard):
                assert again["points"] == [p.text for p in card.key_points]
                assert again["answer"] == card.answer and again["prompt"] == card.prompt
            elif card.kind == "recall":
                assert (again["front"], again["back"]) == (card.front, card.back)
            assert again.get("notes") == card.notes


def test_tags_gaps_and_deck_names() -> None:
    assert anki_tag("a/b c") == "a::b_c"
    assert cloze_html("x {{a < b}} y {{c}}") == ("x {{c1::a &lt; b}} y {{c2::c}}", 2)
    assert deck_name("pm/trade-offs") == "pm::trade-offs"


def test_apkg_to_standard_output_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(capsys, "--home", str(tmp_path), "export", "-f", "apkg", "-o", "-")
    assert code == 2 and "give -o FILE.apkg" in err


def test_notes_and_every_kind_survive_a_round_trip(tmp_path: Path) -> None:
    from cuecards.interop.anki_convert import convert
    from cuecards.interop.anki_package import read_package
    from cuecards.interop.anki_write import write_apkg

    root = tmp_path / "decks"
    (root / "t").mkdir(parents=True)
    (root / "t" / "mix.yaml").write_text(
        "title: Mix\ntags: [a/b]\ncards:\n"
        "  - id: r\n    front: F & <f>\n    back: |-\n      B1\n      B2\n"
        "    reverse: true\n    notes: a note\n"
        "  - id: d\n    kind: drill\n    prompt: P?\n    points: [one, two]\n"
        "    answer: One and two.\n    notes: drill note\n"
        "  - id: c\n    kind: cloze\n    text: X {{y}} z {{w}}\n    notes: cloze note\n",
        "utf-8",
    )
    decks, failed = collect_decks([root])
    assert failed == 0
    pkg = tmp_path / "mix.apkg"
    report = write_apkg(decks, pkg)
    assert (report.decks, report.notes, report.cards) == (1, 3, 5)
    conv = convert(read_package(pkg))
    (deck,) = conv.decks
    assert deck.deck_id == "t/mix" and deck.anki_name == "t::mix"
    r, d, c = deck.cards
    assert (r["front"], r["back"], r["reverse"], r["notes"]) == (
        "F & <f>",
        "B1\nB2",
        True,
        "a note",
    )
    assert r["tags"] == ["a/b"]
    assert (d["kind"], d["points"], d["answer"], d["notes"]) == (
        "drill",
        ["one", "two"],
        "One and two.",
        "drill note",
    )
    assert (c["kind"], c["text"], c["notes"]) == ("cloze", "X {{y}} z {{w}}", "cloze note")
    assert conv.cards == 5 and not conv.skipped
