"""Progress figures pinned on a small history built with a fixed clock.

The history (all times UTC; the ``timezone`` setting is UTC and a study day
rolls over at 04:00, so d0 = Mon 10 March 2025 ... d5 = Sat 15 March):

    R1  Mar 10 12:00  d0  capital-fr  Easy   new -> review         10 s
    R2  Mar 10 12:01  d0  capital-de  Easy   new -> review         10 s
    R3  Mar 10 12:02  d0  trade-offs  Easy   new -> review, 1/2    20 s
    R4  Mar 11 12:00  d1  capital-fr  Good   review (recalled)      5 s
    R5  Mar 11 12:01  d1  capital-de  Again  review (lapse)         5 s
    R6  Mar 11 12:02  d1  trade-offs  Good   review, 2/2           20 s
    R7  Mar 13 03:30  d2  hello       Easy   new (before 04:00: still d2)  10 s
    R8  Mar 14 12:00  d4  capital-fr  Hard   review (recalled)      5 s
    R9  Mar 15 09:00  d5  trade-offs  Again  review (lapse), 0/2   30 s
    R10 Mar 15 09:01  d5  capital-de  Good   relearning -> review   5 s
    X1  Mar 10 12:03  d0  pm/extra x1 Easy   new -> review (tags pm, latency) 10 s

Now is Mar 15 12:00 (d5). Then the cloze ``rule`` is deleted from the deck
(its two gaps are retired) and ``hello#reverse`` is suspended.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Scheduler

from cuecards.stats import StatsContext, gather, weakest_uids
from cuecards.storage import connection

D0 = date(2025, 3, 10).toordinal()
NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


def rate(
    svc: Any,
    clock: Any,
    when: datetime,
    uid: str,
    rating: int,
    seconds: float,
    points: tuple[int, int] | None = None,
) -> None:
    clock.set(when)
    session = svc.start_session(uids=[uid])
    assert session.next_card() is not None
    grade = {"hits": points[0], "total": points[1]} if points else None
    session.rate(uid, rating, int(seconds * 1000), grade=grade)


@pytest.fixture
def history(service: Any, clock: Any, make_deck: Any, sample_cards: list[dict[str, Any]]) -> Any:
    """The service after the history above, with the clock at NOW."""
    make_deck(
        "pm/extra",
        [
            {"id": "x1", "front": "a", "back": "b", "tags": ["latency"]},
            {"id": "x2", "front": "c", "back": "d"},
        ],
        tags=["pm"],
    )
    service.sync()
    b = "basics/"
    rate(service, clock, at(10, 12, 0), b + "capital-fr", 4, 10)
    rate(service, clock, at(10, 12, 1), b + "capital-de", 4, 10)
    rate(service, clock, at(10, 12, 2), b + "trade-offs", 4, 20, (1, 2))
    rate(service, clock, at(10, 12, 3), "pm/extra/x1", 4, 10)
    rate(service, clock, at(11, 12, 0), b + "capital-fr", 3, 5)
    rate(service, clock, at(11, 12, 1), b + "capital-de", 1, 5)
    rate(service, clock, at(11, 12, 2), b + "trade-offs", 3, 20, (2, 2))
    rate(service, clock, at(13, 3, 30), b + "hello", 4, 10)
    rate(service, clock, at(14, 12, 0), b + "capital-fr", 2, 5)
    rate(service, clock, at(15, 9, 0), b + "trade-offs", 1, 30, (0, 2))
    rate(service, clock, at(15, 9, 1), b + "capital-de", 3, 5)
    make_deck("basics", [c for c in sample_cards if c["id"] != "rule"], title="Basics")
    service.sync()
    service.start_session(uids=[b + "hello#reverse"]).suspend(b + "hello#reverse")
    clock.set(NOW)
    return service


def figures(svc: Any, **scope: Any) -> Any:
    return gather(StatsContext.from_service(svc), **scope)


def test_totals_daily_and_rollover(history: Any) -> None:
    s = figures(history)
    assert s.today == D0 + 5
    # 11 reviews; 10+10+20+10 + 5+5+20 + 10 + 5 + 30+5 = 130 s
    assert (s.reviews, s.seconds) == (11, 130.0)
    # d0, d1, d2 (R7 at 03:30 belongs to the day before), d4, d5
    assert s.days_studied == 5
    by_day = {
        d.day - D0: (d.reviews, d.seconds, d.review_state, d.recalled) for d in s.daily if d.reviews
    }
    assert by_day == {
        0: (4, 50.0, 0, 0),
        1: (3, 30.0, 3, 2),
        2: (1, 10.0, 0, 0),
        4: (1, 5.0, 1, 1),
        5: (2, 35.0, 1, 0),
    }
    assert len(s.last_days(7)) == 7 and s.last_days(7)[-1].day == D0 + 5


def test_streaks_across_rollover(history: Any) -> None:
    s = figures(history)
    # runs: d0-d2 (3 days, thanks to R7 counting for d2) and d4-d5 (2, ends today)
    assert (s.streak_current, s.streak_longest) == (2, 3)


def test_streak_survives_until_today_is_studied(history: Any, clock: Any) -> None:
    clock.set(datetime(2025, 3, 16, 12, 0, tzinfo=UTC))  # d6, nothing yet
    assert figures(history).streak_current == 2
    clock.set(datetime(2025, 3, 17, 12, 0, tzinfo=UTC))  # d7: d6 was missed
    assert figures(history).streak_current == 0


def test_true_retention(history: Any) -> None:
    s = figures(history)
    # review-state reviews: R4 R5 R6 R8 R9 (R10 was relearning); not Again: R4 R6 R8
    assert [(w.days, w.reviews, w.recalled) for w in s.windows] == [
        (7, 5, 3),
        (30, 5, 3),
        (365, 5, 3),
    ]
    assert s.windows[0].retention == pytest.approx(0.6)
    assert s.desired_retention == 0.9


def test_since_narrows_reviews_only(history: Any) -> None:
    s = figures(history, since=date(2025, 3, 13))
    # from d3: R8, R9, R10 (R7 is d2 although reviewed on Mar 13)
    assert (s.reviews, s.seconds, s.days_studied) == (3, 40.0, 2)
    assert (s.windows[0].reviews, s.windows[0].recalled) == (2, 1)
    assert (s.streak_current, s.streak_longest) == (2, 2)
    assert sum(s.states.values()) == 9  # card states are not dated


def test_hit_rate(history: Any) -> None:
    s = figures(history)
    # R3 1/2 + R6 2/2 + R9 0/2 = 3/6
    assert [(h.deck, h.reviews, h.hit, h.total, h.rate) for h in s.hit_rates] == [
        ("basics", 3, 3, 6, 0.5)
    ]


def test_state_counts(history: Any) -> None:
    s = figures(history)
    # review: fr, de (relearned), hello, x1; relearning: trade-offs; new: x2;
    # suspended: hello#reverse; retired: rule#c1, rule#c2
    assert s.states == {
        "new": 1,
        "learning": 0,
        "review": 4,
        "relearning": 1,
        "suspended": 1,
        "retired": 2,
    }


def test_leeches_and_hardest(history: Any) -> None:
    assert figures(history).leeches == ()  # default threshold 8
    history.set_setting("leech_threshold", 1)
    s = figures(history)
    assert [(c.uid, c.lapses) for c in s.leeches] == [
        ("basics/capital-de", 1),
        ("basics/trade-offs", 1),
    ]
    assert {c.uid for c in s.hardest[:2]} == {"basics/capital-de", "basics/trade-offs"}
    # same lapses: lower current recall first
    assert s.hardest[0].recall <= s.hardest[1].recall
    # only cards that lapsed or whose recall is below the desired retention
    assert all(c.lapses > 0 or c.recall < s.desired_retention for c in s.hardest)
    assert fsrs_recall(history, "basics/capital-fr") >= s.desired_retention
    assert "basics/capital-fr" not in {c.uid for c in s.hardest}


def fsrs_recall(svc: Any, uid: str, at: datetime = NOW) -> float:
    """The card's recall on the study day of ``at`` by fsrs's own computation,
    given the study days elapsed since its last review (fsrs counts whole 24 h)."""
    state = svc.store.card_state(uid)
    assert state.last_review is not None
    elapsed = svc.sched.days.elapsed(state.last_review, at)
    card = replace(state, last_review=at - timedelta(days=elapsed)).to_fsrs()
    return Scheduler().get_card_retrievability(card, at)


def test_mastery_recall_matches_fsrs(history: Any) -> None:
    s = figures(history)
    basics = next(m for m in s.decks if m.key == "basics")
    studied = ["capital-fr", "capital-de", "trade-offs", "hello"]
    expected = sum(fsrs_recall(history, "basics/" + u) for u in studied) / 4
    # live unsuspended: fr, de, trade-offs, hello (hello#reverse suspended, rule retired)
    assert (basics.cards, basics.studied) == (4, 4)
    assert basics.recall == pytest.approx(expected, abs=1e-9)
    assert 0.5 < basics.recall < 1.0
    assert basics.lapses == 2
    hard = {c.uid: c.recall for c in s.hardest}
    assert hard["basics/trade-offs"] == pytest.approx(fsrs_recall(history, "basics/trade-offs"))


def test_mature_and_tags(history: Any) -> None:
    s = figures(history)
    # capital-fr (Easy, Good, Hard) reached stability 21.7 and a 22-day interval:
    # the only mature card; x1 (one Easy) has stability 8.3 and 8 days
    fr = history.store.card_state("basics/capital-fr")
    assert fr.stability >= 21
    assert {m.key: (m.mature, m.mature_share) for m in s.decks} == {
        "basics": (1, 0.25),
        "pm/extra": (0, 0.0),
    }
    tags = {m.key: (m.cards, m.studied) for m in s.tags}
    assert tags == {"pm": (2, 1), "latency": (1, 1)}
    # both tags' mean recall is x1's alone (the mean is over studied cards)
    assert s.tags[0].recall == pytest.approx(s.tags[1].recall)
    assert fsrs_recall(history, "pm/extra/x1") == pytest.approx(s.tags[0].recall)


def test_deck_folder_and_tag_filters(history: Any) -> None:
    s = figures(history, deck="pm")
    assert (s.reviews, [m.key for m in s.decks]) == (1, ["pm/extra"])
    assert s.states["new"] == 1 and s.hit_rates == ()
    s = figures(history, tag="latency")
    assert s.reviews == 1 and [m.key for m in s.decks] == ["pm/extra"]
    assert figures(history, deck="basics").reviews == 10


def test_forecast_buckets_by_study_day(history: Any) -> None:
    s = figures(history)
    assert [d for d, _n in s.forecast] == list(range(D0 + 5, D0 + 35))
    days = history.sched.days
    expected: dict[int, int] = {}
    for uid in (
        "basics/capital-fr",
        "basics/capital-de",
        "basics/trade-offs",
        "basics/hello",
        "pm/extra/x1",
    ):
        due = history.store.card_state(uid).due
        day = max(days.day(due), D0 + 5)  # overdue cards count today
        expected[day] = expected.get(day, 0) + 1
    assert {d: n for d, n in s.forecast if n} == expected
    # trade-offs lapsed at 09:00 with a 10-minute relearning step: due today
    assert s.forecast[0][1] >= 1


def test_weakest_uids(history: Any) -> None:
    ctx = StatsContext.from_service(history)
    uids = weakest_uids(ctx, deck="basics")
    recalls = [fsrs_recall(history, u) for u in uids]
    assert recalls == sorted(recalls) and len(uids) == 4


def test_empty_history_is_zeros(service: Any) -> None:
    s = figures(service)
    assert (s.reviews, s.streak_current, s.streak_longest, s.days_studied) == (0, 0, 0, 0)
    assert all(w.retention is None for w in s.windows)
    assert sum(n for _d, n in s.forecast) == 0
    d = s.to_dict()
    json.dumps(d)
    assert d["mastery"]["decks"][0]["recall"] is None and d["daily"] == []


def test_pow_fallback_function() -> None:
    assert connection._pow(2.0, 3.0) == 8.0
    assert connection._pow(None, 2.0) is None
    assert connection._pow(-1.0, 0.5) is None  # a math domain error is NULL, not a crash
    conn = sqlite3.connect(":memory:")
    connection.ensure_pow(conn)
    assert conn.execute("SELECT pow(2, 10)").fetchone()[0] == 1024
    conn.close()


def test_json_keys_are_stable(history: Any) -> None:
    d = figures(history).to_dict()
    assert list(d) == [
        "version",
        "generated_at",
        "today",
        "scope",
        "totals",
        "streak",
        "retention",
        "daily",
        "forecast",
        "mastery",
        "drills",
        "hardest",
        "leeches",
        "states",
    ]
    assert d["today"] == "2025-03-15" and d["streak"] == {"current": 2, "longest": 3}
    assert d["daily"][0] == {
        "date": "2025-03-10",
        "reviews": 4,
        "seconds": 50.0,
        "review_state_reviews": 0,
        "recalled": 0,
    }


@pytest.fixture(autouse=True)
def _decks_of_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line syncs before it counts: let it find the history's decks
    (the ``deck_dir`` fixture's folder) and keep the shipped decks out."""
    monkeypatch.setenv("CUECARDS_DECKS", str(tmp_path / "decks"))
    (tmp_path / "no-shipped").mkdir(exist_ok=True)  # an empty shipped folder
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "no-shipped")


# -- cuecards stats -----------------------------------------------------------------
def run_cli(monkeypatch: pytest.MonkeyPatch, home: Any, *args: str) -> Any:
    """``cuecards --home HOME ARGS`` with the service clock fixed at NOW."""
    from click.testing import CliRunner

    from cuecards.cli import cli

    monkeypatch.setattr("cuecards.clock.utc_now", lambda: NOW)
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def test_cli_json(history: Any, tmp_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(monkeypatch, tmp_home, "stats", "--json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["totals"]["reviews"] == 11 and d["streak"] == {"current": 2, "longest": 3}
    assert d["retention"]["windows"][0] == {
        "days": 7,
        "reviews": 5,
        "recalled": 3,
        "retention": 0.6,
    }
    assert d["drills"] == [
        {"deck": "basics", "reviews": 3, "points_hit": 3, "points_total": 6, "hit_rate": 0.5}
    ]


def test_cli_json_filters(history: Any, tmp_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    d = json.loads(run_cli(monkeypatch, tmp_home, "stats", "--json", "--deck", "pm").stdout)
    assert d["scope"] == {"deck": "pm", "tag": None, "since": None}
    assert d["totals"]["reviews"] == 1
    d = json.loads(
        run_cli(
            monkeypatch, tmp_home, "stats", "--json", "--tag", "latency", "--since", "2025-03-11"
        ).stdout
    )
    assert d["totals"]["reviews"] == 0 and d["scope"]["since"] == "2025-03-11"
    # the cards with tag latency (x1 alone) and every tag they carry
    assert {m["id"]: m["cards"] for m in d["mastery"]["tags"]} == {"latency": 1, "pm": 1}


def test_cli_tables(history: Any, tmp_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(monkeypatch, tmp_home, "stats")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Progress on 2025-03-15" in out
    assert "2 / 3 days" in out  # streak current / longest
    assert "60.0%" in out  # retention of the last 7 days
    assert "basics" in out and "3/6" in out  # drill points


def test_cli_empty_history_prints_zeros(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(monkeypatch, tmp_path / "fresh", "stats")
    assert result.exit_code == 0, result.output
    assert "0 / 0 days" in result.stdout
    d = json.loads(run_cli(monkeypatch, tmp_path / "fresh", "stats", "--json").stdout)
    assert d["totals"]["reviews"] == 0 and d["streak"]["current"] == 0


def test_cli_bad_input_is_one_message(
    history: Any, tmp_home: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cuecards.cli import main

    monkeypatch.setattr("cuecards.clock.utc_now", lambda: NOW)
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(tmp_home), "stats", "--deck", "nope"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # the sync's notes come first (here: the stand-in shipped folder is missing)
    err = "".join(x for x in err.splitlines(True) if not x.startswith("cuecards: note: "))
    assert err.startswith("cuecards: usage error: no deck or folder of decks 'nope'; decks are: ")
    assert err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(tmp_home), "stats", "--since", "March"])
    assert exc.value.code == 2 and "Traceback" not in capsys.readouterr().err


def test_cli_syncs_first_so_a_deleted_card_shows_retired(
    history: Any,
    tmp_home: Any,
    make_deck: Any,
    sample_cards: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # capital-fr leaves the deck file; nothing has synced since.
    make_deck(
        "basics", [c for c in sample_cards if c["id"] not in ("rule", "capital-fr")], title="Basics"
    )
    d = json.loads(run_cli(monkeypatch, tmp_home, "stats", "--json").stdout)
    assert d["states"]["retired"] == 3 and d["states"]["review"] == 3


def test_help_documents_json_keys(tmp_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = run_cli(monkeypatch, tmp_home, "stats", "--help").stdout
    for key in ("streak: current, longest", "forecast[{date, due}]", "states: new"):
        assert key in out


def _table_rows(out: str, title: str) -> list[list[str]]:
    """The cells of each text line of the rich table titled ``title`` in ``out``."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() or line[0] not in "┏┃┡│└":
            break
        if line[0] in "┃│":
            rows.append([c.strip() for c in line.strip("┃│").replace("┃", "│").split("│")])
    return rows


def test_cli_every_number_under_its_own_date(
    history: Any, tmp_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past days and forecast each have their dates: today (Sat 15 March) is the
    last column of the past and the first of the forecast."""
    d = json.loads(run_cli(monkeypatch, tmp_home, "stats", "--json").stdout)
    out = run_cli(monkeypatch, tmp_home, "stats").stdout
    past = _table_rows(out, "Last 7 days")
    assert past[0][1:] == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    assert past[1][1:] == ["03-09", "03-10", "03-11", "03-12", "03-13", "03-14", "03-15"]
    # R1-R3 and X1 on Mar 10, R4-R6 on Mar 11, R7 (Mar 13 before the rollover)
    # on Mar 12, R8 on Mar 14, R9-R10 today
    assert past[2] == ["reviews", "0", "4", "3", "1", "0", "1", "2"]
    nxt = _table_rows(out, "Next 7 days")
    assert nxt[0][1:] == ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"]
    assert nxt[1][1:] == ["03-15", "03-16", "03-17", "03-18", "03-19", "03-20", "03-21"]
    by_date = {f["date"][5:]: str(f["due"]) for f in d["forecast"]}
    assert nxt[2][0] == "due"
    assert nxt[2][1:] == [by_date[day] for day in nxt[1][1:]]


def test_weakest_first_right_after_study(service: Any, clock: Any, make_deck: Any) -> None:
    """Just after a session every card's current recall is 1, so the order comes
    from recall a week ahead: deck zz, whose card was just rated Again, is first
    though "aa" comes first by name."""
    make_deck("aa", [{"id": "a", "front": "a", "back": "b"}])
    make_deck("zz", [{"id": "z", "front": "c", "back": "d"}])
    service.sync()
    start = at(10, 12)
    rate(service, clock, start, "aa/a", 4, 5)  # Easy: straight into review
    rate(service, clock, start, "zz/z", 4, 5)
    later = at(20, 12)
    rate(service, clock, later, "aa/a", 3, 5)
    rate(service, clock, later, "zz/z", 1, 5)  # a lapse
    s = figures(service)
    decks = {m.key: m for m in s.decks}
    assert decks["aa"].recall == pytest.approx(1.0) and decks["zz"].recall == pytest.approx(1.0)
    assert [m.key for m in s.decks] == ["zz", "aa", "basics"]  # never studied last
    assert decks["zz"].lapses == 1 and decks["aa"].lapses == 0
    week = later + timedelta(days=7)
    for key, uid in (("aa", "aa/a"), ("zz", "zz/z")):
        expected = fsrs_recall(service, uid, week)
        assert decks[key].recall_ahead == pytest.approx(expected, abs=1e-9)
    assert decks["zz"].recall_ahead < decks["aa"].recall_ahead < 1.0
    d = s.to_dict()["mastery"]["decks"]
    assert [m["id"] for m in d] == ["zz", "aa", "basics"]
    assert d[0]["recall"] == 1.0 and d[0]["recall_7d"] == round(decks["zz"].recall_ahead, 4)
    assert d[2]["recall_7d"] is None


def test_weakest_first_ties_go_to_more_lapses() -> None:
    from cuecards.stats import Mastery, weakest_first

    rows = [
        Mastery("a", "a", 2, 2, 1.0, 0, 0, 0.8),
        Mastery("b", "b", 2, 2, 1.0, 0, 3, 0.8),
        Mastery("c", "c", 2, 0, None, 0, 0, None),
        Mastery("d", "d", 2, 2, 0.9, 2, 0, 0.9),
    ]
    assert [m.key for m in weakest_first(rows)] == ["b", "a", "d", "c"]


def test_cli_says_how_many_tags_are_not_listed(
    service: Any, tmp_home: Any, make_deck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_deck(
        "many", [{"id": "a", "front": "a", "back": "b", "tags": [f"t{i:02d}" for i in range(17)]}]
    )
    out = run_cli(monkeypatch, tmp_home, "stats").stdout
    assert "… and 2 more tags (--json has all)" in out
    assert "more decks" not in out  # two decks: all listed
    assert "Recall in 7d" in out
    d = json.loads(run_cli(monkeypatch, tmp_home, "stats", "--json").stdout)
    assert len(d["mastery"]["tags"]) == 17


def test_stats_says_no_card_is_hard_when_none_lapsed_or_fell_below(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cuecards.cli import main
    from cuecards.paths import Paths
    from cuecards.service import Service

    (tmp_path / "none").mkdir()
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "none")
    decks, home = tmp_path / "decks", tmp_path / "home"
    decks.mkdir()
    (decks / "a.yaml").write_text(
        "title: A\ncards:\n  - id: x\n    front: Q\n    back: A\n"
        "  - id: y\n    front: Q2\n    back: A2\n"
    )
    with Service.open(Paths.resolve(home=home, decks=[decks], include_shipped=False)) as svc:
        svc.sync()
        session = svc.start_session(uids=["a/x", "a/y"])
        while (card := session.next_card()) is not None:
            session.rate(card.item.uid, 4, 1000)  # Easy: just reviewed, recall near 1
    with pytest.raises(SystemExit) as e:
        main(["--home", str(home), "--decks", str(decks), "stats"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "Hardest cards: none (no lapses, every recall at or above the desired 90.0%)" in out
    assert "a/x" not in out and "a/y" not in out
