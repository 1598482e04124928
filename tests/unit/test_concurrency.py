"""Two copies of cuecards rating and undoing the same cards at once, while a
third reads the figures: no rating is lost or overwritten, and every card's
schedule stays the replay of its review rows."""

from __future__ import annotations

import random
import threading
from typing import Any

from cuecards.scheduling.replay import replay, same_schedule
from cuecards.service import Service
from cuecards.stats import gather

UIDS = ["basics/hello", "basics/capital-fr", "basics/rule#c1", "basics/rule#c2"]


def _writer(
    svc: Service, seed: int, ops: int, done: list[int], errors: list[BaseException]
) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(ops):
            uid = rng.choice(UIDS)
            s = svc.start_session(uids=[uid])
            if s.next_card() is None:
                continue
            s.rate(uid, rng.randint(1, 4), 800)
            done[0] += 1
            if rng.random() < 0.4:
                s.undo()
                done[1] += 1
    except BaseException as e:  # reported by the main thread
        errors.append(e)


def test_two_writers_with_undo_and_a_reader(service: Service, clock: Any) -> None:
    others = [Service.open(service.paths, clock=clock) for _ in range(2)]
    counts = [[0, 0], [0, 0]]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_writer, args=(svc, seed, 40, counts[seed], errors))
        for seed, svc in enumerate(others)
    ]
    for t in threads:
        t.start()
    ctx = service.stats_context()
    while any(t.is_alive() for t in threads):
        gather(ctx)  # the figures read a consistent snapshot meanwhile
    for t in threads:
        t.join()
    for svc in others:
        svc.close()
    assert not errors, errors
    rated = sum(c[0] for c in counts)
    undone = sum(c[1] for c in counts)
    assert rated > 20 and undone > 0  # (a sibling rated today is not shown again)
    assert service.store.review_count() == rated - undone  # nothing lost, nothing extra
    for uid in UIDS:
        state = service.store.card_state(uid)
        assert state is not None
        with service.store.transaction() as tx:
            rows = tx.reviews(state.card_id)
        assert state.reps == len(rows)  # no stale overwrite
        assert same_schedule(state, replay(service.sched, state.card_id, rows))
    assert service.check().ok
