"""The home screen's counts are what the session then shows: siblings held back
until tomorrow are counted apart, never promised and then withheld."""

from __future__ import annotations

from typing import Any

from cuecards.service import ReviewSession, Service
from cuecards.service.today import brief_notes


def drain(s: ReviewSession) -> list[str]:
    """Rate every card the session offers Easy; the uids in order."""
    shown = []
    while (view := s.next_card()) is not None:
        shown.append(view.item.uid)
        s.rate(view.item.uid, 4, 1000)
        assert len(shown) < 50
    return shown


def test_new_siblings_are_held_back_not_promised(service: Service) -> None:
    home = service.home()
    # 7 new cards; "hello"'s reverse and the cloze's second gap share a note
    assert (home.totals.new, home.totals.review, home.held_back) == (5, 0, 2)
    s = service.start_session()
    assert s.remaining().total == home.totals.total
    assert len(drain(s)) == home.totals.total


def test_a_due_review_holds_back_its_new_sibling(service: Service, clock: Any) -> None:
    drain(service.start_session())
    clock.advance(days=90)  # every card rated Easy is due again
    home = service.home()
    # the reverse card and the second gap are still new, beside a due sibling
    assert (home.totals.review, home.totals.new, home.held_back) == (5, 0, 2)
    s = service.start_session()
    assert s.remaining() == home.totals
    shown = drain(s)
    assert len(shown) == home.totals.total
    assert "basics/hello" in shown and "basics/hello#reverse" not in shown
    clock.advance(days=1)
    after = service.home()
    assert after.totals.new == 2 and after.held_back == 0  # their day has come


def test_the_caps_come_before_siblings(service: Service) -> None:
    service.set_setting("new_per_day", 3)
    home = service.home()
    assert (home.totals.new, home.held_back) == (3, 0)  # 5 could be shown; 3 are allowed
    assert len(drain(service.start_session())) == 3


def test_notes_are_cut_to_a_few_lines() -> None:
    assert brief_notes(["a", "b", "c"]) == ["a", "b", "c"]
    assert brief_notes(["a", "b", "c", "d", "e"]) == ["a", "b", "and 3 more"]
