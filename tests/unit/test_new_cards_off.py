"""``new_per_day 0`` with unseen cards: the empty session's summary names the
setting, by the same rule that names a used-up new-card limit."""

from __future__ import annotations

from cuecards.session import Service
from cuecards.ui.screens.summary import summary_content


def test_new_cards_off_is_named_on_the_empty_summary(service: Service) -> None:
    service.set_setting("new_per_day", 0)
    s = service.start_session()
    assert s.next_card() is None  # unseen cards wait, none may be introduced
    summary = s.summary()
    assert summary.new_limit_hit and summary.new_limit_reached == 0
    text = summary_content(summary, empty=True).plain
    assert text.startswith("Nothing left for today.")
    assert "New cards are off: new_per_day is 0" in text
    assert "cuecards config set new_per_day N" in text


def test_an_open_limit_is_not_named(service: Service) -> None:
    service.set_setting("new_per_day", 3)
    s = service.start_session()
    assert s.next_card() is not None
    summary = s.summary()
    assert not summary.new_limit_hit
    assert "new_per_day" not in summary_content(summary, empty=True).plain
