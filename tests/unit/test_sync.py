"""Sync from deck files: identity, history, bad files, unchanged folders."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cuecards.session import Service


def card(svc: Service, uid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = svc.store._conn.execute(
        "SELECT * FROM cards WHERE uid = ?", (uid,)
    ).fetchone()
    assert row is not None, uid
    return row


def reviews_of(svc: Service, card_id: int) -> int:
    return int(
        svc.store._conn.execute(
            "SELECT count(*) FROM reviews WHERE card_id = ?", (card_id,)
        ).fetchone()[0]
    )


def rate(svc: Service, uid: str, rating: int = 3) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, rating, 1000)


def test_first_sync_adds_every_item(service: Service) -> None:
    n = service.store._conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert n == 7  # 2 recall + recall and reverse + 2 cloze gaps + drill
    assert card(service, "basics/hello#reverse")["note_uid"] == "basics/hello"
    assert card(service, "basics/rule#c2")["kind"] == "cloze"
    tags = service.store._conn.execute("SELECT count(*) FROM card_tags").fetchone()[0]
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


def test_edit_keeps_schedule_and_history(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
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
        before["reps"],
        before["due"],
        before["stability"],
    )
    assert reviews_of(service, after["id"]) == 1
    assert "on the Seine" in after["content"]
    tags = service.store._conn.execute(
        "SELECT tag FROM card_tags WHERE card_id = ?", (after["id"],)
    ).fetchall()
    assert [t[0] for t in tags] == ["geo"]


def test_slightly_edited_id_less_card_keeps_history(service: Service, make_deck: Any) -> None:
    text = "Which constraint do interviewers probe first when scale comes up?"
    make_deck("loose", [{"front": text, "back": "Cost and latency."}])
    service.sync()
    old = service.store._conn.execute("SELECT * FROM cards WHERE deck_id = 'loose'").fetchone()
    assert old["auto_id"] == 1
    rate(service, old["uid"], 3)
    make_deck(
        "loose",
        [{"front": text.replace("probe first", "probe first of all"), "back": "Cost and latency."}],
    )
    report = service.sync()
    rows = service.store._conn.execute("SELECT * FROM cards WHERE deck_id = 'loose'").fetchall()
    assert len(rows) == 1
    assert rows[0]["id"] == old["id"] and rows[0]["uid"] != old["uid"]
    assert rows[0]["retired"] == 0 and rows[0]["reps"] == 1
    assert reviews_of(service, old["id"]) == 1
    assert report.added == 0 and report.retired == 0


def test_rewritten_id_less_card_is_a_new_card(service: Service, make_deck: Any) -> None:
    make_deck("loose", [{"front": "What is the north-star metric?", "back": "Task success"}])
    service.sync()
    make_deck(
        "loose", [{"front": "Name a guardrail for a chat assistant.", "back": "Refusal rate"}]
    )
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
    snapshot = [
        tuple(r)
        for r in service.store._conn.execute(
            "SELECT * FROM cards WHERE deck_id = 'basics' ORDER BY id"
        )
    ]
    make_deck("basics", "title: Basics\ncards:\n  - id: capital-fr\n    front: [unclosed\n")
    make_deck("more", [{"id": "m1", "front": "one", "back": "1"}])
    report = service.sync()
    assert [e.deck_id for e in report.errors] == ["basics"]
    assert report.errors[0].problems[0].line >= 1
    assert report.added == 1  # the good deck still loaded
    after = [
        tuple(r)
        for r in service.store._conn.execute(
            "SELECT * FROM cards WHERE deck_id = 'basics' ORDER BY id"
        )
    ]
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


# -- id-less cards: edits keep history (issue 2) ---------------------------


def loose_rows(svc: Service) -> list[sqlite3.Row]:
    return svc.store._conn.execute(
        "SELECT * FROM cards WHERE deck_id = 'loose' ORDER BY id"
    ).fetchall()


def live_loose(svc: Service) -> list[sqlite3.Row]:
    return [r for r in loose_rows(svc) if not r["retired"]]


FR = "What is the capital of France?"


def test_back_edits_of_id_less_recall_keep_history(service: Service, make_deck: Any) -> None:
    make_deck("loose", [{"front": FR, "back": "Paris."}])
    service.sync()
    (old,) = loose_rows(service)
    rate(service, old["uid"], 3)
    before = card(service, old["uid"])
    make_deck("loose", [{"front": FR, "back": "Paris (on the Seine)."}])
    report = service.sync()
    assert report.added == 0 and report.retired == 0 and report.updated == 1
    (now,) = loose_rows(service)
    assert now["id"] == old["id"] and now["retired"] == 0 and "Seine" in now["content"]
    assert (now["reps"], now["due"], now["stability"]) == (
        before["reps"],
        before["due"],
        before["stability"],
    )
    assert reviews_of(service, old["id"]) == 1
    # a second small edit still finds the same card
    make_deck("loose", [{"front": FR, "back": "Paris, on the Seine."}])
    report = service.sync()
    assert report.added == 0 and report.retired == 0
    (again,) = loose_rows(service)
    assert again["id"] == old["id"] and again["reps"] == 1 and again["retired"] == 0


def test_front_edit_of_id_less_recall_keeps_history(service: Service, make_deck: Any) -> None:
    make_deck("loose", [{"front": FR, "back": "Paris."}])
    service.sync()
    (old,) = loose_rows(service)
    rate(service, old["uid"], 3)
    make_deck("loose", [{"front": "What's the capital city of France?", "back": "Paris."}])
    report = service.sync()
    assert report.added == 0 and report.retired == 0
    (now,) = loose_rows(service)
    assert now["id"] == old["id"] and now["reps"] == 1 and now["uid"] != old["uid"]


def test_unrelated_new_card_does_not_steal_history(service: Service, make_deck: Any) -> None:
    make_deck("loose", [{"front": FR, "back": "Paris."}])
    service.sync()
    (old,) = loose_rows(service)
    rate(service, old["uid"], 3)
    # the old card goes and an unrelated one (same shape) comes in
    make_deck("loose", [{"front": "What is the capital of Spain?", "back": "Madrid."}])
    report = service.sync()
    assert report.added == 1 and report.retired == 1
    (new,) = live_loose(service)
    assert new["id"] != old["id"] and new["reps"] == 0
    assert card(service, old["uid"])["retired"] == 1 and reviews_of(service, old["id"]) == 1
    # an edit next to a new card: the edit keeps the history, the new card is new
    make_deck(
        "loose",
        [
            {"front": "What is the capital of Spain?", "back": "Madrid."},
            {"front": FR, "back": "Paris (on the Seine)."},
            {"front": "Which river runs through Paris?", "back": "The Seine."},
        ],
    )
    report = service.sync()
    assert report.added == 1 and report.restored == 1
    live = {r["id"]: r for r in live_loose(service)}
    assert len(live) == 3 and live[old["id"]]["reps"] == 1
    assert "Seine" in live[old["id"]]["content"]


def test_reviewed_card_wins_over_a_never_reviewed_copy(service: Service, make_deck: Any) -> None:
    # the state an older sync could leave: the reviewed card retired and a
    # never-reviewed copy of its edit live
    make_deck("loose", [{"front": FR, "back": "Paris."}])
    service.sync()
    (reviewed,) = loose_rows(service)
    rate(service, reviewed["uid"], 3)
    make_deck(
        "loose", [{"front": "Which city is the capital of France?", "back": "Paris, France."}]
    )
    service.sync()
    copy = next(r for r in loose_rows(service) if r["id"] != reviewed["id"])
    assert copy["reps"] == 0 and card(service, reviewed["uid"])["retired"] == 1
    # an edit close to both (closer to the copy as a whole) goes to the reviewed card
    make_deck("loose", [{"front": FR + "!", "back": "Paris, France."}])
    report = service.sync()
    assert report.restored == 1 and report.added == 0
    (live,) = live_loose(service)
    assert live["id"] == reviewed["id"] and live["reps"] == 1


def test_small_drill_prompt_edit_keeps_history(service: Service, make_deck: Any) -> None:
    drill = {
        "kind": "drill",
        "prompt": "Name two trade-offs.",
        "points": ["latency vs quality", "cost vs coverage"],
        "answer": "Latency vs quality; cost vs coverage.",
    }
    make_deck("loose", [drill])
    service.sync()
    (old,) = loose_rows(service)
    rate(service, old["uid"], 3)
    make_deck("loose", [{**drill, "prompt": "Name two trade-offs you made."}])
    report = service.sync()
    assert report.added == 0 and report.retired == 0
    (now,) = loose_rows(service)
    assert now["id"] == old["id"] and now["reps"] == 1 and "you made" in now["content"]


def test_small_cloze_edit_keeps_each_gap_history(
    service: Service, make_deck: Any, clock: Any
) -> None:
    text = "At scale, design is {{product strategy}} with {{technical consequences}}."
    make_deck("loose", [{"kind": "cloze", "text": text}])
    service.sync()
    old = {r["variant"]: r for r in loose_rows(service)}
    rate(service, old["c1"]["uid"], 3)
    clock.advance(days=1)  # siblings are not shown on the same day
    rate(service, old["c2"]["uid"], 4)
    make_deck("loose", [{"kind": "cloze", "text": text.replace("is {{", "is mostly {{")}])
    report = service.sync()
    assert report.added == 0 and report.retired == 0
    now = {r["variant"]: r for r in loose_rows(service)}
    assert {v: r["id"] for v, r in now.items()} == {v: r["id"] for v, r in old.items()}
    assert all(r["reps"] == 1 and "mostly" in r["content"] for r in now.values())
    assert [reviews_of(service, old[v]["id"]) for v in ("c1", "c2")] == [1, 1]


def test_plan_prefers_history_over_a_closer_copy() -> None:
    from cuecards.identity import NewDeck, OldCard, plan_sync
    from cuecards.model import RecallCard, expand
    from cuecards.storage import item_content

    def row(card_id: int, front: str, back: str, retired: bool, reps: int) -> OldCard:
        (item,) = expand("d", RecallCard(front=front, back=back), [])
        return OldCard(
            card_id,
            f"{item.uid}-{card_id}",
            "d",
            f"{item.card_id}-{card_id}",
            f"{item.note_uid}-{card_id}",
            "recall",
            "",
            item_content(item),
            True,
            retired,
            reps,
        )

    (new,) = expand("d", RecallCard(front=FR, back="Paris (a city)!"), [])
    rows = [
        row(1, FR, "Paris (a city).", retired=False, reps=0),  # the copy: never reviewed
        row(2, FR, "Paris.", retired=True, reps=3),  # retired, reviewed
    ]
    plan = plan_sync([NewDeck("d", [new])], rows, []).plans["d"]
    assert [(cid, item.uid) for cid, _pos, item in plan.updates] == [(2, new.uid)]
    assert plan.inserts == [] and plan.retire == [1]
    # without history, the closest one wins
    rows[1] = row(2, FR, "Paris.", retired=True, reps=0)
    plan = plan_sync([NewDeck("d", [new])], rows, []).plans["d"]
    assert [cid for cid, _pos, _item in plan.updates] == [1] and plan.retire == []
