"""``cuecards import FILE.csv|.tsv`` and the deck text it writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuecards.interop.csv_read import TableError, read_table
from cuecards.interop.deck_yaml import deck_text
from cuecards.loader import load_bytes, load_deck


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_csv_with_a_header_in_any_order(tmp_path: Path) -> None:
    table = tmp_path / "French words.csv"
    table.write_text("Tags,Back,Front\nlang::fr food,pain,bread\n,eau,water\n", "utf-8")
    conv = read_table(table)
    (deck,) = conv.decks
    assert deck.deck_id == "french-words"
    assert [(c["front"], c["back"]) for c in deck.cards] == [("bread", "pain"), ("water", "eau")]
    assert deck.cards[0]["tags"] == ["lang/fr", "food"] and "tags" not in deck.cards[1]


def test_tsv_without_a_header_is_front_back_tags(tmp_path: Path) -> None:
    table = tmp_path / "t.tsv"
    table.write_text("front, with comma\tback\tx\nq2\t\t\n", "utf-8")
    conv = read_table(table)
    assert [c["front"] for c in conv.decks[0].cards] == ["front, with comma"]
    assert conv.skipped["row with an empty front or back"] == 1


def test_same_front_twice_gets_two_ids_and_ids_are_stable(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,1\na,2\nb,3\n", "utf-8")
    ids = [c["id"] for c in read_table(table).decks[0].cards]
    assert len(set(ids)) == 3 and ids[1] == f"{ids[0]}-2"
    assert ids == [c["id"] for c in read_table(table).decks[0].cards]


def test_csv_import_writes_a_deck_that_lints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text('front,back\n"yes",no\n"key: value # x","- item\n- two"\n', "utf-8")
    decks = tmp_path / "decks"
    code, out, err = run_cli(
        capsys, "--home", str(tmp_path / "h"), "--decks", str(decks), "import", str(table)
    )
    assert code == 0, err
    assert "Imported 2 notes as 2 cards in 1 deck into" in out
    loaded = load_deck(decks / "words.yaml", decks)
    assert loaded.deck.description == "Imported from words.csv"
    cards = loaded.deck.cards
    assert [(c.front, c.back) for c in cards] == [  # type: ignore[union-attr]
        ("yes", "no"),
        ("key: value # x", "- item\n- two"),
    ]
    code, out, _ = run_cli(capsys, "lint", str(decks))
    assert code == 0 and "no problems" in out


def test_a_table_that_is_not_utf8_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes("caf\xe9,x\n".encode("latin-1"))
    with pytest.raises(TableError, match="not UTF-8"):
        read_table(table)
    code, _out, err = run_cli(capsys, "--home", str(tmp_path), "import", str(table))
    assert code == 1 and "not UTF-8" in err


def test_unknown_suffix_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "deck.txt"
    f.write_text("x", "utf-8")
    code, _out, err = run_cli(capsys, "--home", str(tmp_path), "import", str(f))
    assert code == 2 and ".apkg, .colpkg, .csv or .tsv" in err


_text = st.text(st.characters(codec="utf-8", exclude_characters="\r"), min_size=1).filter(
    lambda s: s.strip() == s and s.strip() != ""
)


@settings(max_examples=300, deadline=None)
@given(front=_text, back=_text, tag=_text.filter(lambda s: "\n" not in s))
def test_any_text_reads_back_exactly(front: str, back: str, tag: str) -> None:
    """The deck text reads back, through the deck loader, to the very strings written."""
    deck = {
        "title": front,
        "description": back,
        "cards": [{"id": "c1", "front": front, "back": back, "tags": [tag], "reverse": True}],
    }
    loaded = load_bytes(deck_text(deck, "a header\n\nline").encode("utf-8"), Path("x.yaml"), "x")
    card = loaded.deck.cards[0]
    assert loaded.deck.title == front and loaded.deck.description == back
    assert (card.front, card.back, card.tags, card.reverse) == (front, back, [tag], True)  # type: ignore[union-attr]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "overwritten"), [("y\n", True), ("n\n", False)])
def test_at_a_terminal_the_import_asks_before_overwriting(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    overwritten: bool,
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("front,back\nbread,pain\n", "utf-8")
    decks = tmp_path / "decks"
    argv = ("--home", str(tmp_path / "h"), "--decks", str(decks), "import", str(table))
    assert run_cli(capsys, *argv)[0] == 0
    (decks / "words.yaml").write_text("title: Mine\ncards: []\n", "utf-8")
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    code, out, err = run_cli(capsys, *argv)
    assert "Overwrite them?" in out
    assert code == (0 if overwritten else 1)
    mine = (decks / "words.yaml").read_text("utf-8") == "title: Mine\ncards: []\n"
    assert mine is not overwritten


def test_import_and_export_counts_are_singular_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "none").mkdir()
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "none")
    table = tmp_path / "one.csv"
    table.write_text("front,back\nhello,bonjour\n", "utf-8")
    decks, home = tmp_path / "decks", tmp_path / "h"
    code, out, err = run_cli(
        capsys, "--home", str(home), "--decks", str(decks), "import", str(table)
    )
    assert code == 0, err
    assert "Imported 1 note as 1 card in 1 deck into" in out
    pkg = tmp_path / "one.apkg"
    argv = ["--home", str(home), "--decks", str(decks), "export", "-f", "apkg", "-o", str(pkg)]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0 and err.strip() == f"Wrote {pkg}: 1 deck, 1 note, 1 card"
