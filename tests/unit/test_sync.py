"""Sync from deck files: identity, history, bad files, unchanged folders."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cuecards.session import Service


def card(svc: Service, uid: str) -> sqlite3.Row:
    row = svc.store.conn.execute("SELECT * FROM cards WHERE uid = ?", (uid,)).fetchone()
    assert row is not None, uid
    return row


def reviews_of(svc: Service, card_id: int) -> int:
    return svc.store.conn.execute("SELECT count(*) FROM reviews WHERE card_id = ?",
                                  (card_id,)).fetchone()[0]


def rate(svc: Service, uid: str, rating: int = 3) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, rating, 1000)


def test_first_sync_adds_every_item(service: Service) -> None:
    n = service.store.conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert n == 7  # 2 recall + recall and reverse + 2 cloze gaps + drill
    assert card(service, "basics/hello#reverse")["note_uid"] == "basics/hello"
    assert card(service, "basics/rule#c2")["kind"] == "cloze"
    tags = service.store.conn.execute("SELECT count(*) FROM card_tags").fetchone()[0]
    assert tags == 0


def test_unchanged_folder_is_skipped_without_parsing(
    service: Service, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cuecards.loader

    def refuse(*a: Any, **k: Any) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(cuecards.loader, "load_deck", refuse)
    report = service.sync()
    assert (report.decks, report.skipped_unchanged, report.errors) == (1, 1, ())
    # same bytes, new mtime: recognised by its digest, still not parsed
    path = deck_dir / "basics.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = service.sync()
    assert report.skipped_unchanged == 1 and not report.errors


def test_edit_keeps_schedule_and_history(service: Service, make_deck: Any,
                                         sample_cards: list[dict[str, Any]]) -> None:
    rate(service, "basics/capital-fr", 4)
    before = card(service, "basics/capital-fr")
    cards = sample_cards
    cards[0]["back"] = "Paris, on the Seine"
    cards[0]["tags"] = ["geo"]
    make_deck("basics", cards, title="Basics")
    report = service.sync()
    assert report.updated == 1 and report.added == 0 and report.retired == 0
    after = card(service, "basics/capital-fr")
    assert after["id"] == before["id"]
    assert (after["reps"], after["due"], after["stability"]) == (
        before["reps"], before["due"], before["stability"])
    assert reviews_of(service, after["id"]) == 1
    assert "on the Seine" in after["content"]
    tags = service.store.conn.execute("SELECT tag FROM card_tags WHERE card_id = ?",
                                      (after["id"],)).fetchall()
    assert [t[0] for t in tags] == ["geo"]


def test_slightly_edited_id_less_card_keeps_history(service: Service,
                                                   make_deck: Any) -> None:
    text = "Which constraint do interviewers probe first when scale comes up?"
    make_deck("loose", [{"front": text, "back": "Cost and latency."}])
    service.sync()
    old = service.store.conn.execute(
        "SELECT * FROM cards WHERE deck_id = 'loose'").fetchone()
    assert old["auto_id"] == 1
    rate(service, old["uid"], 3)
    make_deck("loose", [{"front": text.replace("probe first", "probe first of all"),
                         "back": "Cost and latency."}])
    report = service.sync()
    rows = service.store.conn.execute("SELECT * FROM cards WHERE deck_id = 'loose'").fetchall()
    assert len(rows) == 1
    assert rows[0]["id"] == old["id"] and rows[0]["uid"] != old["uid"]
    assert rows[0]["retired"] == 0 and rows[0]["reps"] == 1
    assert reviews_of(service, old["id"]) == 1
    assert report.added == 0 and report.retired == 0


def test_rewritten_id_less_card_is_a_new_card(service: Service, make_deck: Any) -> None:
    make_deck("loose", [{"front": "What is the north-star metric?", "back": "Task success"}])
    service.sync()
    make_deck("loose", [{"front": "Name a guardrail for a chat assistant.",
                         "back": "Refusal rate"}])
    report = service.sync()
    assert report.added == 1 and report.retired == 1


def test_deleted_card_is_retired_and_returns_with_history(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
    rate(service, "basics/capital-de", 4)
    make_deck("basics", [c for c in sample_cards if c["id"] != "capital-de"], title="Basics")
    report = service.sync()
    assert report.retired == 1
    gone = card(service, "basics/capital-de")
    assert gone["retired"] == 1 and reviews_of(service, gone["id"]) == 1
    s = service.start_session(deck="basics")
    shown = []
    while (view := s.next_card()) is not None:
        shown.append(view.item.uid)
        s.bury(view.item.uid)
    assert "basics/capital-de" not in shown
    make_deck("basics", sample_cards, title="Basics")
    report = service.sync()
    assert report.restored == 1
    back = card(service, "basics/capital-de")
    assert back["id"] == gone["id"] and back["retired"] == 0 and back["reps"] == 1


def test_bad_file_changes_nothing_and_others_load(service: Service, make_deck: Any) -> None:
    rate(service, "basics/capital-fr", 4)
    snapshot = [tuple(r) for r in service.store.conn.execute(
        "SELECT * FROM cards WHERE deck_id = 'basics' ORDER BY id")]
    make_deck("basics", "title: Basics\ncards:\n  - id: capital-fr\n    front: [unclosed\n")
    make_deck("more", [{"id": "m1", "front": "one", "back": "1"}])
    report = service.sync()
    assert [e.deck_id for e in report.errors] == ["basics"]
    assert report.errors[0].problems[0].line >= 1
    assert report.added == 1  # the good deck still loaded
    after = [tuple(r) for r in service.store.conn.execute(
        "SELECT * FROM cards WHERE deck_id = 'basics' ORDER BY id")]
    assert after == snapshot
    home = service.home()
    assert [e.deck_id for e in home.load_errors] == ["basics"]
    assert next(d for d in home.decks if d.deck_id == "basics").error
    # unchanged bad file: still reported on the next sync
    assert [e.deck_id for e in service.sync().errors] == ["basics"]


def test_removed_deck_file_retires_its_cards(service: Service, deck_dir: Path) -> None:
    (deck_dir / "basics.yaml").unlink()
    report = service.sync()
    assert report.retired == 7
    assert service.start_session().next_card() is None
    assert service.home().decks == ()


def test_resync_one_file(service: Service, make_deck: Any, deck_dir: Path) -> None:
    path = make_deck("extra/one", [{"id": "x", "front": "x?", "back": "x"}])
    report = service.resync_file(path)
    assert report.added == 1 and not report.errors
    assert service.deck_file("extra/one") == path.resolve()
    outside = deck_dir.parent / "elsewhere.yaml"
    outside.write_text("title: x\n")
    assert service.resync_file(outside).errors
