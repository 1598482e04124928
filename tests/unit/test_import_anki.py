"""``cuecards import`` of Anki packages built by Anki's own library.

Skipped where Anki's library is not installed (it is in the test extra).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.anki_fixtures import DAY_MS, Built, build_packages, kept

pytest.importorskip("anki")

from cuecards.interop.anki_convert import card_id_for, cloze_text, convert  # noqa: E402
from cuecards.interop.anki_package import PackageError, read_package  # noqa: E402
from cuecards.loader import load_deck  # noqa: E402
from cuecards.paths import Paths  # noqa: E402
from cuecards.session import Service  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_packages(tmp_path_factory.mktemp("anki"))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def imported(
    capsys: pytest.CaptureFixture[str], home: Path, decks: Path, pkg: Path, *extra: str
) -> str:
    code, out, err = run_cli(
        capsys, "--home", str(home), "--decks", str(decks), "import", str(pkg), *extra
    )
    assert code == 0, err
    return out


def open_service(home: Path, decks: Path) -> Service:
    return Service.open(Paths.resolve(home=home, decks=[decks]))


@pytest.mark.parametrize("which", ["apkg", "legacy_apkg", "colpkg"])
def test_every_layout_reads_the_same_notes(built: Built, which: str) -> None:
    col = read_package(getattr(built, which))
    assert len(col.notes) == 11 and len(col.cards) == 13
    assert sum(1 for r in col.reviews if r.ease) == sum(built.answered.values())
    assert {n.guid for n in col.notes} == set(built.guids.values())
    conv = convert(col)
    assert conv.notes == 11
    # 8 basic + reversed (2) + cloze (2 gaps) + typed = 13 cards
    assert conv.cards == 13
    assert sorted(d.deck_id for d in conv.decks) == ["default", "lang/french"]


def test_decks_cards_tags_and_ids(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decks = tmp_path / "decks"
    out = imported(capsys, tmp_path / "home", decks, built.apkg)
    assert "Imported 11 notes as 13 cards in 2 decks" in out
    code, lint_out, _ = run_cli(capsys, "lint", str(decks))
    assert code == 0 and "2 files checked: no problems" in lint_out
    french = load_deck(decks / "lang" / "french.yaml", decks)
    default = load_deck(decks / "default.yaml", decks)
    assert french.deck.title == "Lang / French"
    cards = {c.id: c for c in french.deck.cards}
    word = cards[card_id_for(built.guids["<b>word 0</b>"])]
    assert word.front == "word 0" and word.back == "mot 0\nsecond line"  # type: ignore[union-attr]
    assert word.tags == ["lang/fr"]
    cat = cards[card_id_for(built.guids["cat"])]
    assert cat.reverse and sorted(cat.tags) == ["animals", "lang/fr"]  # type: ignore[union-attr]
    by_id = {c.id: c for c in default.deck.cards}
    cz = by_id[card_id_for(built.guids["The {{c1::sky::colour?}} is {{c2::blue}}."])]
    assert cz.kind == "cloze" and cz.text == "The {{sky}} is {{blue}}."
    assert cz.notes is not None and "colour?" in cz.notes and "extra" in cz.notes
    typed = by_id[card_id_for(built.guids["2 + 2?"])]
    assert typed.front == "2 + 2?" and typed.back == "4"  # type: ignore[union-attr]


def test_history_is_replayed_and_flags_kept(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, decks = tmp_path / "home", tmp_path / "decks"
    out = imported(capsys, home, decks, built.apkg)
    assert f"History: {sum(kept(built).values())} reviews of 10 cards" in out
    assert "skipped 2: manual change or reschedule" in out
    assert f"skipped {built.answered[built.reset]}: review before the card was reset" in out
    col = read_package(built.apkg)
    conv = convert(col)
    with open_service(home, decks) as svc:
        for anki_id, n in built.answered.items():
            card_id = svc.store.card_id_of(conv.uids[anki_id])
            assert card_id is not None
            row = svc.store.card_state(conv.uids[anki_id])
            assert row is not None
            if anki_id == built.reset:
                assert row.reps == 0 and row.stability is None
                continue
            assert row.reps == n
            assert row.last_review is not None
            assert int(row.last_review.timestamp()) == built.last_review_ms[anki_id] // 1000
            assert row.stability and row.stability > 0
        # due now in cuecards exactly when due now in Anki: the first session is right
        end = int(svc.sched.days.end(svc.today()).timestamp())
        queued = {r.uid for r in svc.store.queue(svc.today(), end, 0, 10_000)}
        for anki_id in kept(built):
            anki_due_ms = (
                col.created * 1000 + next(c.due for c in col.cards if c.id == anki_id) * DAY_MS
            )
            assert (conv.uids[anki_id] in queued) is (anki_due_ms <= time.time() * 1000), anki_id
        assert conv.uids[built.recent] not in queued
        recent = svc.store.card_state(conv.uids[built.recent])
        assert recent is not None and recent.reps == 6
        assert recent.due.timestamp() > time.time() + 30 * 86400  # all Easy: weeks ahead
        suspended = {c.uid for c in svc.suspended_cards()}
        assert suspended == {conv.uids[built.suspended]}
        buried = svc.store.card_id_of(conv.uids[built.buried])
        flags = svc.store._one("SELECT buried_until FROM cards WHERE id = ?", (buried,))
        assert flags == svc.today() + 1


def memory_pairs(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> list[tuple[int, tuple[float, float] | None, tuple[float | None, float | None]]]:
    """(Anki card id, Anki's FSRS (stability, difficulty) or None, cuecards')."""
    from anki.collection import Collection  # isort: skip
    from anki.cards import CardId

    home, decks = tmp_path / "home", tmp_path / "decks"
    imported(capsys, home, decks, built.apkg)
    conv = convert(read_package(built.apkg))
    col = Collection(str(built.source))
    try:
        anki = {cid: col.compute_memory_state(CardId(cid)) for cid in built.answered}
    finally:
        col.close()
    out = []
    with open_service(home, decks) as svc:
        for cid, st in anki.items():
            row = svc.store.card_state(conv.uids[cid])
            assert row is not None
            theirs = None if st.stability is None else (st.stability, st.difficulty or 0.0)
            out.append((cid, theirs, (row.stability, row.difficulty)))
    return out


def test_difficulty_matches_ankis_own_fsrs(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each imported card's difficulty is Anki's own FSRS memory state for the
    same history (default parameters) within 1 %; a card reset to new in
    Anki has none, in both."""
    pairs = memory_pairs(built, tmp_path, capsys)
    assert len(pairs) == len(built.answered)
    for cid, theirs, ours in pairs:
        if theirs is None:
            assert cid == built.reset and ours == (None, None)
            continue
        assert ours[1] == pytest.approx(theirs[1], rel=0.01)


def test_stability_matches_ankis_own_fsrs(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each imported card's stability is Anki's within 1 %."""
    for _cid, theirs, ours in memory_pairs(built, tmp_path, capsys):
        if theirs is not None:
            assert ours[0] == pytest.approx(theirs[0], rel=0.01)


def test_a_second_import_updates_instead_of_duplicating(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, decks = tmp_path / "home", tmp_path / "decks"
    imported(capsys, home, decks, built.apkg)
    before = (decks / "default.yaml").read_bytes()
    out = imported(capsys, home, decks, built.legacy_apkg)  # same notes: same files
    assert (decks / "default.yaml").read_bytes() == before
    assert "History: 0 reviews of 0 cards" in out
    assert (
        f"skipped {sum(kept(built).values())}: review not newer than the card's last review here"
        in out
    )
    with open_service(home, decks) as svc:
        assert svc.store._one("SELECT count(*) FROM reviews") == sum(kept(built).values())
        assert svc.store._one("SELECT count(*) FROM cards WHERE deck_id NOT LIKE 'pm/%'") == 13


def test_changed_files_are_not_overwritten_without_yes(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, decks = tmp_path / "home", tmp_path / "decks"
    imported(capsys, home, decks, built.apkg, "--no-history")
    target = decks / "default.yaml"
    target.write_text("title: Mine\ncards: []\n", "utf-8")
    code, _out, err = run_cli(
        capsys, "--home", str(home), "--decks", str(decks), "import", str(built.apkg)
    )
    assert code == 1 and "pass --yes to overwrite" in err and "Traceback" not in err
    assert target.read_text("utf-8") == "title: Mine\ncards: []\n"
    imported(capsys, home, decks, built.apkg, "--yes", "--no-history")
    assert "Imported from the Anki deck Default" in target.read_text("utf-8")


def test_not_a_package_is_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.apkg"
    bad.write_bytes(b"not a zip")
    code, _out, err = run_cli(capsys, "--home", str(tmp_path), "import", str(bad))
    assert code == 1 and "cannot read it as an Anki package" in err
    with pytest.raises(PackageError):
        read_package(bad)


def test_cloze_hints_leave_the_gap_plain() -> None:
    text, numbers, hints = cloze_text("A {{c2::b::hint}} and {{c1::c}} {{not a gap}}")
    assert text == "A {{b}} and {{c}} { {not a gap} }"
    assert numbers == [2, 1] and hints == ["Hint for b: hint"]
