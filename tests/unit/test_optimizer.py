"""Fitting FSRS parameters to a user's own history (``cuecards optimize``)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cuecards.cli import cli
from cuecards.errors import CuecardsError
from cuecards.scheduling.optimizer import training_items

pytest.importorskip("fsrs_rs_python")


def test_training_items_are_prefixes_ending_on_a_later_day() -> None:
    rows = [(1, 10, 3), (1, 10, 3), (1, 12, 3), (1, 20, 1), (2, 5, 3), (2, 6, 4)]
    items, reviews, cards = training_items(rows)
    # card 1: its second review is on the same day, so it teaches nothing on
    # its own; the third (2 days later) and fourth (8 days later) each end an item.
    assert items == [
        [(3, 0), (3, 0), (3, 2)],
        [(3, 0), (3, 0), (3, 2), (1, 8)],
        [(3, 0), (4, 1)],
    ]
    assert (reviews, cards) == (6, 2)


@pytest.fixture
def history_home(tmp_home: Path, deck_dir: Path, make_deck: Any, clock: Any) -> Path:
    """A home with 6 rounds of ratings of 80 cards, three days apart (480 reviews)."""
    from cuecards.paths import Paths
    from cuecards.session import Service

    make_deck("many", [{"id": f"c{i}", "front": f"q{i}", "back": f"a{i}"} for i in range(80)])
    svc = Service.open(
        Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False), clock=clock
    )
    svc.set_setting("timezone", "UTC")
    svc.sync()
    rng = random.Random(7)
    uids = [f"many/c{i}" for i in range(80)]
    for _round in range(6):
        session = svc.start_session(uids=uids)
        for uid in uids:
            session.rate(uid, 1 if rng.random() < 0.25 else 3, 5000)
        clock.advance(days=3)
    svc.close()
    return tmp_home


def _stored_parameters(home: Path) -> Any:
    from cuecards.paths import Paths
    from cuecards.session import Service

    svc = Service.open(Paths.resolve(home=home, include_shipped=False))
    try:
        return svc.settings().fsrs_parameters
    finally:
        svc.close()


def test_optimize_reports_log_loss_and_saves_only_a_better_fit(history_home: Path) -> None:
    dry = CliRunner().invoke(cli, ["--home", str(history_home), "optimize", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Fitted on 480 reviews of 80 cards" in dry.output
    assert "log-loss" in dry.output
    assert _stored_parameters(history_home) is None

    run = CliRunner().invoke(cli, ["--home", str(history_home), "optimize"])
    assert run.exit_code == 0, run.output
    saved = _stored_parameters(history_home)
    if "Saved" in run.output:
        assert saved is not None and len(saved) == 21
    else:
        assert "Not better on" in run.output and saved is None


def test_optimize_with_too_little_history_is_one_clear_error(tmp_home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_home), "optimize"])
    assert isinstance(result.exception, CuecardsError)
    assert "not enough history" in result.exception.msg


def test_optimize_shows_held_out_figures_and_reschedule_moves(history_home: Path) -> None:
    run = CliRunner().invoke(
        cli, ["--home", str(history_home), "optimize", "--dry-run", "--reschedule"]
    )
    assert run.exit_code == 0, run.output
    for label in ("log-loss, all", "RMSE, all", "log-loss, held-out", "RMSE, held-out"):
        assert label in run.output
    assert "Rescheduling 80 cards would move" in run.output
    assert "Due dates are unchanged" in run.output
    assert _stored_parameters(history_home) is None


def test_a_fit_worse_on_one_figure_is_not_applied() -> None:
    from cuecards.scheduling.optimizer import FitResult, Score

    good, bad = Score(0.30, 0.02), Score(0.31, 0.03)
    kw: dict[str, Any] = dict(reviews=900, items=500, cards=80, held_out_items=100)
    kw.update(before=[0.0] * 21, after=[0.0] * 21)
    better = FitResult(all_before=bad, all_after=good, held_before=bad, held_after=good, **kw)
    assert better.improved and better.worse() == []
    rmse_worse = Score(0.29, 0.04)
    mixed = FitResult(all_before=bad, all_after=rmse_worse, held_before=bad, held_after=good, **kw)
    assert not mixed.improved and mixed.worse() == ["RMSE on all"]
    held = FitResult(all_before=bad, all_after=good, held_before=good, held_after=bad, **kw)
    assert held.worse() == ["log-loss on held-out", "RMSE on held-out"]
    unchecked = FitResult(all_before=bad, all_after=good, held_before=None, held_after=None, **kw)
    assert not unchecked.improved


def test_replay_with_the_same_parameters_moves_no_due_date(history_home: Path) -> None:
    from cuecards.paths import Paths
    from cuecards.scheduling.reschedule import by_card, due_moves
    from cuecards.session import Service
    from cuecards.stats import StatsContext

    with Service.open(Paths.resolve(home=history_home, include_shipped=False)) as svc:
        ctx = StatsContext.from_service(svc)
        q = ctx.query()
        with ctx.open() as reader:
            history = by_card((r[3], r[0], r[5]) for r in reader.review_rows(q))
            due = {r[0]: int(r[8]) for r in reader.card_rows(q) if r[4] > 0}
        ids = {uid: svc.store.card_id_of(uid) or 0 for uid in due}
        same = due_moves(history, ids, due, svc.sched)
        assert (same.cards, same.moved) == (80, 0)
        other = svc.settings().model_copy(update={"desired_retention": 0.8})
        from cuecards.scheduling import Scheduling

        moved = due_moves(history, ids, due, Scheduling(other))
        assert moved.moved > 0 and moved.later == moved.moved


def test_reschedule_after_a_saved_fit_makes_every_card_its_replay(history_home: Path) -> None:
    from cuecards.paths import Paths
    from cuecards.session import Service

    run = CliRunner().invoke(cli, ["--home", str(history_home), "optimize", "--reschedule"])
    assert run.exit_code == 0, run.output
    with Service.open(Paths.resolve(home=history_home, include_shipped=False)) as svc:
        report = svc.check()
    if "Saved" in run.output:
        # the stored schedules were computed with the defaults: now with the fit
        assert "Rescheduled" in run.output and "a copy first" in run.output
        assert report.ok and report.differ == []
    else:
        assert "Due dates are unchanged" in run.output
