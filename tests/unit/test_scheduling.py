"""Study days, deterministic fuzz, previews and the interview date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cuecards.config import Settings, parse_value, validated
from cuecards.errors import ConfigError
from cuecards.scheduling import LEARNING, REVIEW, CardState, Scheduling, StudyDay

UTC = UTC
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def test_day_rolls_over_at_the_rollover_hour_utc() -> None:
    days = StudyDay(rollover_hour=4, tz_name="UTC")
    assert days.day(datetime(2025, 3, 11, 3, 59, tzinfo=UTC)) == date(2025, 3, 10).toordinal()
    assert days.day(datetime(2025, 3, 11, 4, 0, tzinfo=UTC)) == date(2025, 3, 11).toordinal()
    assert days.start(date(2025, 3, 11).toordinal()) == datetime(2025, 3, 11, 4, tzinfo=UTC)
    assert days.end(date(2025, 3, 10).toordinal()) == datetime(2025, 3, 11, 4, tzinfo=UTC)


def test_day_uses_the_named_time_zone() -> None:
    days = StudyDay(rollover_hour=4, tz_name="America/New_York")
    # 07:30 UTC is 03:30 in New York (EDT, after 9 March 2025): still the 10th's day
    assert days.day(datetime(2025, 3, 11, 7, 30, tzinfo=UTC)) == date(2025, 3, 10).toordinal()
    assert days.day(datetime(2025, 3, 11, 8, 0, tzinfo=UTC)) == date(2025, 3, 11).toordinal()
    assert days.start(date(2025, 3, 11).toordinal()) == datetime(2025, 3, 11, 8, tzinfo=UTC)


def review_card(card_id: int = 7, days_ago: int = 30, stability: float = 30.0) -> CardState:
    return CardState(
        card_id=card_id,
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=days_ago),
        reps=5,
        lapses=0,
    )


def test_preview_matches_rating_with_fuzz_on() -> None:
    sched = Scheduling(Settings(fuzz=True))
    card = review_card()
    preview = sched.preview(card, NOW)
    for rating in (1, 2, 3, 4):
        assert sched.review(card, rating, NOW).due - NOW == preview[rating]
    assert sched.preview(card, NOW) == preview


def test_fuzz_is_deterministic_per_card_and_spreads_cards() -> None:
    fuzzed = Scheduling(Settings(fuzz=True))
    plain = Scheduling(Settings(fuzz=False))
    base = plain.review(review_card(), 3, NOW).due - NOW
    intervals = {
        (fuzzed.review(review_card(card_id=i), 3, NOW).due - NOW).days for i in range(1, 40)
    }
    assert len(intervals) > 1  # cards learned together part ways
    assert all(abs(d - base.days) <= max(3, base.days * 0.2) for d in intervals)


def test_new_card_goes_through_learning_steps() -> None:
    sched = Scheduling(Settings(fuzz=False))
    card = CardState(card_id=1, due=NOW)
    again = sched.review(card, 1, NOW)
    assert again.state == LEARNING and again.due - NOW == timedelta(minutes=1)
    good = sched.review(card, 3, NOW)
    assert good.state == LEARNING and good.due - NOW == timedelta(minutes=10)
    assert good.reps == 1 and good.lapses == 0 and good.last_review == NOW
    easy = sched.review(card, 4, NOW)
    assert easy.state == REVIEW and easy.due - NOW >= timedelta(days=1)


def test_lapse_counted_on_again_of_a_review_card() -> None:
    sched = Scheduling(Settings(fuzz=False))
    after = sched.review(review_card(), 1, NOW)
    assert after.lapses == 1
    assert after.state == 3  # relearning
    assert after.due - NOW == timedelta(minutes=10)


def test_interview_date_caps_every_interval() -> None:
    interview = date(2025, 3, 14)
    sched = Scheduling(Settings(fuzz=False, interview_date=interview, timezone="UTC"))
    after = sched.review(review_card(stability=100.0), 4, NOW)
    assert after.due == datetime(2025, 3, 14, 4, tzinfo=UTC)
    # short steps are untouched
    assert sched.review(review_card(), 1, NOW).due - NOW == timedelta(minutes=10)
    # a past interview date no longer caps anything
    late = Scheduling(Settings(fuzz=False, interview_date=date(2025, 3, 1), timezone="UTC"))
    assert late.review(review_card(stability=100.0), 4, NOW).due > after.due


def test_retrievability_falls_with_time() -> None:
    sched = Scheduling(Settings())
    last = NOW - timedelta(days=10)
    assert sched.retrievability(10.0, last, last) == pytest.approx(1.0)
    assert sched.retrievability(10.0, last, NOW) == pytest.approx(0.9, abs=0.01)
    assert sched.retrievability(10.0, last, NOW + timedelta(days=30)) < 0.9


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        Scheduling(Settings()).review(review_card(), 3, datetime(2025, 3, 10))


def test_settings_validation_messages() -> None:
    with pytest.raises(ConfigError, match="desired_retention"):
        validated({"desired_retention": 0.5})
    with pytest.raises(ConfigError, match="not a step"):
        validated({"learning_steps": ["ten minutes"]})
    with pytest.raises(ConfigError, match="rollover_hour"):
        validated({"rollover_hour": 24})
    with pytest.raises(ConfigError, match="time zone"):
        validated({"timezone": "Nowhere/Land"})
    with pytest.raises(ConfigError, match="Expected 21 parameters"):
        validated({"fsrs_parameters": [1.0, 2.0]})
    with pytest.raises(ConfigError, match="unknown setting"):
        parse_value("colour", "red")


def test_parse_value_from_command_line_text() -> None:
    assert parse_value("learning_steps", "1m, 10m") == ["1m", "10m"]
    assert parse_value("learning_steps", '["2m"]') == ["2m"]
    assert parse_value("fuzz", "off") is False
    assert parse_value("new_per_day", "15") == 15
    assert validated(
        {"interview_date": parse_value("interview_date", "2025-06-01")}
    ).interview_date == date(2025, 6, 1)
    assert Settings().steps("relearning") == [timedelta(minutes=10)]
