"""Identity across every edit authors make: renamed, moved and split files,
changed ids, aliases and cloze gaps keep their cards' rows and reviews."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from cuecards.session import Service
from tests.conftest import SAMPLE_CARDS


def rows(svc: Service) -> dict[str, sqlite3.Row]:
    """Live cards by uid."""
    found = svc.store._conn.execute("SELECT * FROM cards WHERE retired = 0").fetchall()
    return {r["uid"]: r for r in found}


def reviews(svc: Service) -> dict[int, int]:
    """Review rows per card id."""
    found = svc.store._conn.execute("SELECT card_id, count(*) FROM reviews GROUP BY card_id")
    return {int(r[0]): int(r[1]) for r in found}


def rate(svc: Service, uid: str, rating: int = 3) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, rating, 1000)


def rate_three(svc: Service) -> dict[str, int]:
    """Rate three cards of ``basics``; their row ids by card id."""
    for uid in ("basics/capital-fr", "basics/hello#reverse", "basics/trade-offs"):
        rate(svc, uid)
    live = rows(svc)
    return {
        "capital-fr": live["basics/capital-fr"]["id"],
        "hello#reverse": live["basics/hello#reverse"]["id"],
        "trade-offs": live["basics/trade-offs"]["id"],
    }


def test_renamed_file_keeps_every_card(service: Service, deck_dir: Path) -> None:
    ids = rate_three(service)
    before = {uid.split("/", 1)[1]: r["id"] for uid, r in rows(service).items()}
    (deck_dir / "basics.yaml").rename(deck_dir / "renamed.yaml")
    report = service.sync()
    assert (report.added, report.retired, report.reattached) == (0, 0, 7)
    assert report.notes == ("basics -> renamed: 7 cards kept their history",)
    after = {uid.split("/", 1)[1]: r["id"] for uid, r in rows(service).items()}
    assert after == before
    assert all(uid.startswith("renamed/") for uid in rows(service))
    assert {reviews(service)[i] for i in ids.values()} == {1}
    assert rows(service)["renamed/capital-fr"]["reps"] == 1
    assert rows(service)["renamed/capital-fr"]["deck_id"] == "renamed"


def test_file_moved_into_a_subfolder_keeps_history(
    service: Service, make_deck: Any, deck_dir: Path, sample_cards: list[dict[str, Any]]
) -> None:
    ids = rate_three(service)
    (deck_dir / "basics.yaml").unlink()
    # rewritten past any similarity: only its id says which card it is
    sample_cards[0] = {"id": "capital-fr", "front": "Seat of the French state", "back": "Paris"}
    make_deck("pm/basics", sample_cards, title="Basics")
    report = service.sync()
    assert report.notes == ("basics -> pm/basics: 7 cards kept their history",)
    live = rows(service)
    assert live["pm/basics/capital-fr"]["id"] == ids["capital-fr"]
    assert live["pm/basics/trade-offs"]["id"] == ids["trade-offs"]
    assert report.retired == 0 and report.added == 0


def test_split_file_keeps_both_halves(service: Service, make_deck: Any, deck_dir: Path) -> None:
    ids = rate_three(service)
    make_deck("basics", SAMPLE_CARDS[:2], title="Basics")
    make_deck("more", SAMPLE_CARDS[2:], title="More")
    report = service.sync()
    live = rows(service)
    assert live["basics/capital-fr"]["id"] == ids["capital-fr"]
    assert live["more/hello#reverse"]["id"] == ids["hello#reverse"]
    assert live["more/trade-offs"]["id"] == ids["trade-offs"]
    assert (report.added, report.retired, report.reattached) == (0, 0, 5)
    assert report.notes == ("basics -> more: 5 cards kept their history",)


def test_changed_id_keeps_history_by_its_text(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
    ids = rate_three(service)
    sample_cards[0]["id"] = "france"
    make_deck("basics", sample_cards, title="Basics")
    report = service.sync()
    assert rows(service)["basics/france"]["id"] == ids["capital-fr"]
    assert report.notes == ("basics: 1 card kept its history under a new id",)
    assert (report.added, report.retired, report.reattached) == (0, 0, 1)


def test_alias_carries_history_no_heuristic_can_see(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
    ids = rate_three(service)
    sample_cards[0] = {"id": "fr", "was": "capital-fr", "front": "France's seat?", "back": "Paris"}
    make_deck("basics", sample_cards, title="Basics")
    service.sync()
    assert rows(service)["basics/fr"]["id"] == ids["capital-fr"]
    assert reviews(service)[ids["capital-fr"]] == 1


def test_without_alias_a_rewritten_card_with_a_new_id_is_new(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
    ids = rate_three(service)
    sample_cards[0] = {"id": "fr", "front": "France's seat?", "back": "Paris"}
    make_deck("basics", sample_cards, title="Basics")
    report = service.sync()
    assert rows(service)["basics/fr"]["id"] != ids["capital-fr"]
    assert (report.added, report.retired) == (1, 1)


def test_deck_alias_and_card_alias_together(
    service: Service, make_deck: Any, deck_dir: Path, sample_cards: list[dict[str, Any]]
) -> None:
    ids = rate_three(service)
    (deck_dir / "basics.yaml").unlink()
    sample_cards[0] = {"id": "fr", "was": "capital-fr", "front": "France's seat?", "back": "Paris"}
    make_deck("other", sample_cards, title="Other", was="basics")
    service.sync()
    assert rows(service)["other/fr"]["id"] == ids["capital-fr"]
    assert rows(service)["other/trade-offs"]["id"] == ids["trade-offs"]


def test_alias_never_takes_a_card_that_is_still_live(service: Service, make_deck: Any) -> None:
    ids = rate_three(service)
    make_deck("other", [{"id": "x", "was": "basics/capital-fr", "front": "Q", "back": "A"}])
    service.sync()
    live = rows(service)
    assert live["basics/capital-fr"]["id"] == ids["capital-fr"]
    assert live["other/x"]["id"] != ids["capital-fr"]


def test_gap_inserted_before_the_others_keeps_each_gaps_history(
    service: Service, make_deck: Any, clock: Any, sample_cards: list[dict[str, Any]]
) -> None:
    rate(service, "basics/rule#c1")
    first = rows(service)["basics/rule#c1"]
    text = "At scale, design is {{product strategy}} with {{technical consequences}}."
    sample_cards[3]["text"] = "{{Mostly}}: " + text
    make_deck("basics", sample_cards, title="Basics")
    report = service.sync()
    live = rows(service)
    assert live["basics/rule#c2"]["id"] == first["id"]
    assert (
        live["basics/rule#c2"]["reps"] == 1
        and "[product strategy]" in (live["basics/rule#c2"]["content"])
    )
    assert live["basics/rule#c1"]["reps"] == 0 and "[Mostly]" in live["basics/rule#c1"]["content"]
    assert (report.added, report.retired) == (1, 0)


def test_gaps_that_trade_places_trade_rows(
    service: Service, make_deck: Any, sample_cards: list[dict[str, Any]]
) -> None:
    before = rows(service)
    sample_cards[3]["text"] = "{{technical consequences}} follow {{product strategy}}."
    make_deck("basics", sample_cards, title="Basics")
    service.sync()
    after = rows(service)
    assert after["basics/rule#c1"]["id"] == before["basics/rule#c2"]["id"]
    assert after["basics/rule#c2"]["id"] == before["basics/rule#c1"]["id"]


def test_a_deleted_file_still_retires_its_cards(service: Service, deck_dir: Path) -> None:
    (deck_dir / "basics.yaml").unlink()
    report = service.sync()
    assert report.retired == 7 and rows(service) == {}
    assert report.reattached == 0 and report.notes == ()


def test_a_split_made_in_the_editor_keeps_history(
    service: Service, make_deck: Any, deck_dir: Path
) -> None:
    ids = rate_three(service)
    make_deck("basics", SAMPLE_CARDS[:2], title="Basics")
    make_deck("more", SAMPLE_CARDS[2:], title="More")
    report = service.resync_file(deck_dir / "basics.yaml")  # after `e`, one file was named
    assert rows(service)["more/trade-offs"]["id"] == ids["trade-offs"]
    assert report.retired == 0 and report.reattached == 5


def test_a_gap_moving_to_another_file_frees_its_uid_first(
    service: Service, make_deck: Any, clock: Any
) -> None:
    make_deck("a", [{"id": "n", "kind": "cloze", "text": "{{x}} then {{y}}"}])
    service.sync()
    rate(service, "a/n#c1")
    clock.advance(days=1)  # siblings are not shown on the same day
    rate(service, "a/n#c2")
    before = rows(service)
    make_deck("a", [{"id": "n", "kind": "cloze", "text": "then {{y}}"}])
    make_deck("b", [{"id": "n", "kind": "cloze", "text": "{{x}} alone"}])
    report = service.sync()
    after = rows(service)
    assert after["a/n#c1"]["id"] == before["a/n#c2"]["id"]
    assert after["b/n#c1"]["id"] == before["a/n#c1"]["id"]
    assert after["b/n#c1"]["reps"] == after["a/n#c1"]["reps"] == 1
    assert report.notes == ("a -> b: 1 card kept its history",)
