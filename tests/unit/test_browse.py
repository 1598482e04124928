"""Browse through the service: the query, filters, sorts, paging, fuzzy text,
one card's info and history, and the actions on several cards (suspend, bury,
forget with its history kept and the replay agreeing)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cuecards.errors import UsageError
from cuecards.paths import Paths
from cuecards.service.browse import BrowseQuery, parse_query
from cuecards.session import Service
from tests.conftest import FixedClock, MakeDeck

ONE: list[dict[str, Any]] = [
    {"id": "latency", "front": "When does a slower, better answer win?", "back": "Depth."},
    {"id": "cost", "front": "What ties cost to coverage?", "back": "Routing.", "tags": ["money"]},
    {"id": "scale", "front": "What does scale tie back to?", "back": "Cost and latency."},
    {
        "id": "five",
        "kind": "drill",
        "prompt": "Name two trade-offs.",
        "points": ["latency vs quality", "cost vs coverage"],
        "answer": "Latency vs quality; cost vs coverage.",
    },
]
TWO: list[dict[str, Any]] = [
    {"id": "rule", "kind": "cloze", "text": "System design is {{product strategy}} at scale."},
    {"id": "eval", "front": "What closes the evaluation loop?", "back": "Metrics."},
]


@pytest.fixture
def svc(
    tmp_home: Path, deck_dir: Path, make_deck: MakeDeck, clock: FixedClock
) -> Iterator[Service]:
    """Decks ``b/one`` (3 recall, 1 drill; tag ``money`` on one) and ``c/two``."""
    make_deck("b/one", ONE, title="One", tags=["pm"])
    make_deck("c/two", TWO, title="Two")
    service = Service.open(
        Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False), clock=clock
    )
    service.set_setting("timezone", "UTC")
    service.set_setting("fuzz", False)
    service.sync()
    yield service
    service.close()


def uids(svc: Service, text: str, offset: int = 0, limit: int = 100) -> list[str]:
    return [i.uid for i in svc.browse(svc.browse_query(text), offset, limit).items]


def rate(
    svc: Service, uid: str, *ratings: int, answer: str | None = None, hits: int | None = None
) -> None:
    """Rate ``uid`` with each rating in turn (a cram session: due or not)."""
    grade = {"hits": hits, "total": 2} if hits is not None else None
    for r in ratings:
        s = svc.start_session(uids=[uid])
        v = s.next_card()
        assert v is not None and v.item.uid == uid
        s.rate(uid, r, 4000, answer=answer, grade=grade)


# -- the query ----------------------------------------------------------------------
def test_query_parses_filters_and_words() -> None:
    q = parse_query("deck:b/ tag:money kind:drill is:leech sort:lapses slower answr")
    assert q == BrowseQuery(
        words=("slower", "answr"),
        deck="b",
        tag="money",
        kind="drill",
        state="leech",
        sort="lapses",
    )
    assert q.order == "lapses" and parse_query("x").order == "match"
    assert parse_query("").order == "due"


@pytest.mark.parametrize("bad", ["is:gone", "kind:essay", "sort:random"])
def test_bad_filter_is_one_clear_message(bad: str) -> None:
    with pytest.raises(UsageError, match=bad.split(":")[0]):
        parse_query(bad)


def test_unknown_deck_or_tag_names_near_misses(svc: Service) -> None:
    with pytest.raises(UsageError, match="b/one"):
        svc.browse(parse_query("deck:b/onee"))
    with pytest.raises(UsageError, match="money"):
        svc.browse(parse_query("tag:mony"))


# -- filters ------------------------------------------------------------------------
def test_filters_by_deck_tag_and_kind(svc: Service) -> None:
    assert len(uids(svc, "")) == 6
    assert sorted(uids(svc, "deck:b")) == sorted(f"b/one/{c['id']}" for c in ONE)
    assert uids(svc, "tag:money") == ["b/one/cost"]
    assert len(uids(svc, "tag:pm")) == 4  # a deck's tags are its cards' tags
    assert uids(svc, "kind:drill") == ["b/one/five"]
    assert uids(svc, "kind:cloze deck:c") == ["c/two/rule#c1"]


def test_filters_by_state(svc: Service, make_deck: MakeDeck, clock: FixedClock) -> None:
    rate(svc, "b/one/latency", 3, 3)  # good twice: review
    rate(svc, "b/one/scale", 1)  # again from new: learning
    svc.suspend_cards(["b/one/cost"])
    svc.bury_cards(["c/two/eval"])
    svc.set_setting("leech_threshold", 1)
    rate(svc, "b/one/five", 3, 3, 1)  # a lapse: relearning, and a leech at threshold 1
    assert uids(svc, "is:review") == ["b/one/latency"]
    assert sorted(uids(svc, "is:learning")) == ["b/one/five", "b/one/scale"]
    assert uids(svc, "is:suspended") == ["b/one/cost"]
    assert uids(svc, "is:buried") == ["c/two/eval"]
    assert uids(svc, "is:leech") == ["b/one/five"]
    assert sorted(uids(svc, "is:new")) == ["c/two/eval", "c/two/rule#c1"]
    # a card removed from its file is retired, listed only when asked for
    make_deck("c/two", TWO[:1], title="Two")
    svc.sync()
    assert uids(svc, "is:retired") == ["c/two/eval"]
    assert "c/two/eval" not in uids(svc, "")
    states = {i.uid: i.state for i in svc.browse(parse_query("")).items}
    assert states["b/one/cost"] == "suspended" and states["b/one/latency"] == "review"


# -- sorts and pages -----------------------------------------------------------------
def test_sorts_by_due_recall_lapses_and_last_review(svc: Service, clock: FixedClock) -> None:
    rate(svc, "b/one/latency", 3, 3, 3)  # long interval, high recall
    clock.advance(days=1)
    rate(svc, "b/one/scale", 3, 1, 1)  # again after good: short, low
    clock.advance(days=1)
    rate(svc, "b/one/cost", 4)  # reviewed last
    clock.advance(days=3)
    studied = {"b/one/latency", "b/one/scale", "b/one/cost"}

    def order(sort: str) -> list[str]:
        return [u for u in uids(svc, f"sort:{sort}") if u in studied]

    page = svc.browse(parse_query("sort:due")).items
    dues = [i.due for i in page if i.due is not None]
    assert dues == sorted(dues) and len(dues) == 3
    assert page[-1].due is None  # new cards after every studied one
    assert order("last") == ["b/one/cost", "b/one/scale", "b/one/latency"]
    recall = [i.recall_now for i in svc.browse(parse_query("sort:recall")).items]
    known = [r for r in recall if r is not None]
    assert known == sorted(known) and recall[len(known) :] == [None] * (6 - len(known))
    lapses = [i.lapses for i in svc.browse(parse_query("sort:lapses")).items]
    assert lapses == sorted(lapses, reverse=True)


def test_pages_cover_every_card_once(svc: Service) -> None:
    whole = uids(svc, "")
    pages = [uids(svc, "", offset, 4) for offset in (0, 4)]
    assert pages[0] + pages[1] == whole and len(pages[1]) == 2
    assert svc.browse(parse_query(""), 4, 4).total == 6


# -- text ---------------------------------------------------------------------------
def test_text_search_is_fuzzy_and_ranked(svc: Service) -> None:
    assert uids(svc, "slower answer")[0] == "b/one/latency"
    assert uids(svc, "slowr answr")[0] == "b/one/latency"  # typos
    assert uids(svc, "evaluaton loop") == ["c/two/eval"]
    assert uids(svc, "zzzz qqqq") == []
    # words and filters combine
    assert "b/one/scale" in uids(svc, "cost") and uids(svc, "cost tag:money") == ["b/one/cost"]
    # a search sorted otherwise keeps its matches
    assert sorted(uids(svc, "cost sort:lapses")) == sorted(uids(svc, "cost"))


# -- one card -----------------------------------------------------------------------
def test_card_info_and_whole_history(svc: Service, clock: FixedClock) -> None:
    svc.set_setting("interview_date", "2025-04-01")
    rate(svc, "b/one/five", 3, answer="latency vs quality", hits=1)
    clock.advance(days=2)
    rate(svc, "b/one/five", 1)
    info = svc.card_info("b/one/five")
    assert (info.deck_id, info.kind, info.line) == ("b/one", "drill", info.line)
    assert info.line > 0 and info.prompt == "Name two trade-offs." and "pm" in info.tags
    s = svc.store.card_state("b/one/five")
    assert s is not None and info.stability == s.stability and info.reps == 2
    today = svc.today()
    assert info.recall_now == svc.sched.recall_on(s.stability, s.last_review, today)
    day = date(2025, 4, 1).toordinal()
    assert info.recall_interview == svc.sched.recall_on(s.stability, s.last_review, day)
    assert [h.rating for h in info.history] == ["good", "again"]
    first = info.history[0]
    assert first.answer == "latency vs quality" and first.seconds == 4.0 and first.counts
    assert first.points == "1/2" and info.history[1].points == ""
    assert first.interval == "10m" and info.history[1].interval != ""
    assert first.at == clock().replace(microsecond=0) - timedelta(days=2)
    assert svc.card_info("c/two/eval").history == () and svc.card_info("c/two/eval").state == "new"


# -- actions ------------------------------------------------------------------------
def test_suspend_unsuspend_and_bury_several(svc: Service) -> None:
    two = ["b/one/cost", "c/two/eval"]
    assert svc.suspend_cards(two) == 2
    assert sorted(uids(svc, "is:suspended")) == two
    assert not set(two) & {r.uid for r in svc.store.queue(svc.today(), 10**10, 50, 50)}
    assert svc.suspend_cards(two, suspended=False) == 2 and uids(svc, "is:suspended") == []
    assert svc.bury_cards(two) == 2 and sorted(uids(svc, "is:buried")) == two
    queued = {r.uid for r in svc.store.queue(svc.today(), 10**10, 50, 50)}
    assert not set(two) & queued
    with pytest.raises(UsageError, match="nothing was changed"):
        svc.suspend_cards(["b/one/cost", "no/such"])
    assert uids(svc, "is:suspended") == []


def test_forget_keeps_history_and_the_replay_agrees(svc: Service, clock: FixedClock) -> None:
    rate(svc, "b/one/latency", 3, 3)
    rate(svc, "b/one/scale", 1, 3)
    before = svc.store.review_count()
    assert svc.forget_cards(["b/one/latency", "b/one/scale"]) == 2
    assert svc.store.review_count() == before  # history kept
    assert {"b/one/latency", "b/one/scale"} <= set(uids(svc, "is:new"))
    state = svc.store.card_state("b/one/latency")
    assert state is not None and state.reps == 0 and state.stability is None
    assert svc.check().ok  # the replay honours the forget
    info = svc.card_info("b/one/latency")
    assert [h.counts for h in info.history] == [False, False]
    # rated again, it starts from new; undo goes back to new, not to before the forget
    clock.advance(minutes=5)
    s = svc.start_session(uids=["b/one/latency"])
    assert s.next_card() is not None
    s.rate("b/one/latency", 3, 3000)
    state = svc.store.card_state("b/one/latency")
    assert state is not None and state.reps == 1
    assert svc.check().ok
    s.undo()
    state = svc.store.card_state("b/one/latency")
    assert state is not None and state.reps == 0
    assert svc.check().ok and svc.store.review_count() == before


def test_imported_reviews_from_before_a_forget_do_not_count(
    svc: Service, clock: FixedClock
) -> None:
    from cuecards.service.log import ImportedReview

    rate(svc, "b/one/latency", 3)
    clock.advance(days=1)
    svc.forget_cards(["b/one/latency"])
    old = ImportedReview(clock() - timedelta(days=3), 3, 2000, uid="elsewhere-1")
    new = ImportedReview(clock() + timedelta(hours=1), 3, 2000, uid="elsewhere-2")
    written, older, missing = svc.import_history({"b/one/latency": [old, new]})
    assert (sum(written.values()), older, missing) == (1, 1, 0)
    state = svc.store.card_state("b/one/latency")
    assert state is not None and state.reps == 1 and svc.check().ok
