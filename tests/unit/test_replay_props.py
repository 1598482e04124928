"""Property: whatever two copies of cuecards do (ratings, undos, time passing,
in any order), no review row is lost or left over, and every card's stored
schedule is the replay of its review rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuecards.paths import Paths
from cuecards.scheduling.replay import replay, same_schedule
from cuecards.service import ReviewSession, Service
from tests.conftest import FixedClock

CARDS = [{"id": f"c{i}", "front": f"q{i}", "back": f"a{i}"} for i in range(3)]

#: (copy 0 or 1, what: rate/undo/wait, card index, rating, minutes to wait)
Step = tuple[int, str, int, int, int]
steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["rate", "rate", "undo", "wait"]),
        st.integers(0, 2),
        st.integers(1, 4),
        st.sampled_from([1, 15, 600, 1500, 4000]),
    ),
    min_size=1,
    max_size=25,
)


def _check(svc: Service) -> None:
    for i in range(len(CARDS)):
        state = svc.store.card_state(f"d/c{i}")
        assert state is not None
        with svc.store.transaction() as tx:
            rows = tx.reviews(state.card_id)
        assert state.reps == len(rows)
        assert same_schedule(state, replay(svc.sched, state.card_id, rows))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_ratings_and_undos_leave_every_card_its_replay(plan: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        decks = Path(tmp) / "decks"
        decks.mkdir()
        (decks / "d.yaml").write_text(yaml.safe_dump({"title": "D", "cards": CARDS}))
        clock = FixedClock()
        paths = Paths.resolve(home=Path(tmp) / "home", decks=[decks], include_shipped=False)
        first = Service.open(paths, clock=clock)
        first.set_setting("timezone", "UTC")
        first.sync()
        copies = [first, Service.open(paths, clock=clock)]
        sessions: list[list[ReviewSession]] = [[], []]
        expected = 0
        try:
            for who, what, card, rating, minutes in plan:
                svc = copies[who]
                if what == "wait":
                    clock.advance(minutes=minutes)
                elif what == "rate":
                    s = svc.start_session(uids=[f"d/c{card}"])
                    if s.next_card() is not None:
                        s.rate(f"d/c{card}", rating, 1000)
                        sessions[who].append(s)
                        expected += 1
                elif sessions[who] and sessions[who].pop().undo() is not None:
                    expected -= 1
            assert first.store.review_count() == expected
            _check(first)
            assert first.check().ok
        finally:
            for c in copies:
                c.close()
