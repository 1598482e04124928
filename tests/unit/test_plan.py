"""``cuecards plan``: recall on the interview day and the minutes it costs."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cuecards.cli import cli
from cuecards.scheduling import Curve
from cuecards.scheduling.plan import PlanCard, alternatives, make_plan

pytest.importorskip("fsrs_rs_python")

TODAY = date(2025, 3, 10).toordinal()
#: the command line runs on the real clock: a date safely ahead of it
AHEAD = (date.today() + timedelta(days=60)).isoformat()


def test_plan_works_on_a_fresh_home(tmp_home: Path) -> None:
    run = CliRunner().invoke(cli, ["--home", str(tmp_home), "plan", "--until", AHEAD])
    assert run.exit_code == 0, run.output
    assert "Minutes per day until then" in run.output
    assert "at 90% retention (now)" in run.output
    assert "Recall on the day, by deck" in run.output


def test_plan_without_an_interview_date_is_one_clear_error(tmp_home: Path) -> None:
    run = CliRunner().invoke(cli, ["--home", str(tmp_home), "plan"])
    assert run.exit_code != 0
    assert "no interview date" in str(run.exception)


def studied(
    n: int, deck: str = "a", stability: float = 5.0, last: int = TODAY - 3
) -> list[PlanCard]:
    return [PlanCard(deck, ("t",), stability, 5.0, last, last + round(stability)) for _ in range(n)]


def test_stop_now_is_the_one_recall_formula() -> None:
    cards = studied(3, stability=5.0) + studied(2, deck="b", stability=40.0, last=TODAY - 10)
    plan = make_plan(cards, TODAY, TODAY + 14, None, 0.9, 20, 10.0)
    curve = Curve.of(None)
    assert plan.stop_now["a"] == pytest.approx(curve.recall(5.0, 17))
    assert plan.stop_now["b"] == pytest.approx(curve.recall(40.0, 24))
    assert plan.stop_now_tags["t"] == pytest.approx(
        (3 * curve.recall(5.0, 17) + 2 * curve.recall(40.0, 24)) / 5
    )


def test_keeping_up_costs_more_at_higher_retention_and_recalls_more() -> None:
    rng = random.Random(1)
    cards = [
        PlanCard(
            "a",
            (),
            rng.uniform(1, 60),
            rng.uniform(2, 8),
            TODAY - d,
            TODAY - d + rng.randrange(1, 30),
        )
        for d in (rng.randrange(1, 40) for _ in range(400))
    ] + [PlanCard("a", ()) for _ in range(100)]
    plan = make_plan(cards, TODAY, TODAY + 30, None, 0.9, 10, 12.0)
    by_r = {s.retention: s for s in plan.scenarios}
    assert set(by_r) == {0.9, 0.8, 0.85, 0.95}
    assert by_r[0.8].minutes_per_day < by_r[0.9].minutes_per_day < by_r[0.95].minutes_per_day
    assert by_r[0.8].recall < by_r[0.95].recall
    assert plan.scenarios[0].recall > plan.stop_now["a"] * 0.8  # reviewing helps
    again = make_plan(cards, TODAY, TODAY + 30, None, 0.9, 10, 12.0)
    assert again == plan  # a fixed seed: the same plan twice


def test_decks_at_risk_name_unreached_new_cards_and_low_recall() -> None:
    cards = studied(5, deck="ok", stability=200.0, last=TODAY - 1)
    cards += [PlanCard("big", ()) for _ in range(50)]
    plan = make_plan(cards, TODAY, TODAY + 5, None, 0.9, 4, 10.0)
    assert "ok" not in plan.at_risk
    assert plan.at_risk["big"].endswith("30 new cards not reached by the date")
    assert alternatives(0.9) == [0.9, 0.8, 0.85, 0.95]


def test_plan_json_on_a_history(service: Any, clock: Any, deck_dir: Path) -> None:
    for uid in ("basics/capital-fr", "basics/capital-de"):
        s = service.start_session(uids=[uid])
        assert s.next_card() is not None
        s.rate(uid, 4, 3000)
    clock.set(clock() + timedelta(days=2))
    home = service.paths.home
    run = CliRunner().invoke(
        cli,
        ["--home", str(home), "--decks", str(deck_dir), "plan", "--until", AHEAD, "--json"],
        catch_exceptions=False,
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert data["studied"] == 2 and len(data["scenarios"]) == 4, data
    assert 0 < data["stop_now"]["decks"]["basics"] < 1
