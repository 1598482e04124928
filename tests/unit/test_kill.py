"""A rating shown as saved survives ``kill -9`` of the process at any moment."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

# The child rates card after card as fast as it can and prints each review id
# only after rate() has returned: what a screen would then show as saved.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cuecards.paths import Paths
    from cuecards.session import Service

    home, decks = Path(sys.argv[1]), Path(sys.argv[2])
    svc = Service.open(Paths.resolve(home=home, decks=[decks], include_shipped=False))
    svc.sync()
    print("ready", flush=True)
    while True:
        session = svc.start_session(uids=[f"many/c{i}" for i in range(50)])
        while (card := session.next_card()) is not None:
            result = session.rate(card.item.uid, 3, 1000)
            print(result.review_id, flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("after", [1, 7, 40])
def test_every_rating_reported_saved_is_there_after_kill_9(
    tmp_home: Path, deck_dir: Path, make_deck: Any, after: int
) -> None:
    make_deck("many", [{"id": f"c{i}", "front": f"q{i}", "back": f"a{i}"} for i in range(50)])
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_home), str(deck_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    saved = [int(child.stdout.readline()) for _ in range(after)]
    os.kill(child.pid, signal.SIGKILL)  # mid-rating, most likely
    child.wait()
    child.stdout.close()

    db = sqlite3.connect(tmp_home / "cuecards.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {r[0] for r in db.execute("SELECT id FROM reviews")}
    assert set(saved) <= stored
    # Every stored review left its card in the state the review says it did.
    mismatched = db.execute(
        "SELECT count(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE r.id = (SELECT max(id) FROM reviews WHERE card_id = r.card_id) "
        "AND c.due != r.due_after"
    ).fetchone()[0]
    db.close()
    assert mismatched == 0


def _kill_harness() -> Any:
    """bench/kill.py as a module (the bench folder is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "kill.py"
    spec = importlib.util.spec_from_file_location("cuecards_bench_kill", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and SIGKILL are POSIX")
def test_the_real_app_killed_in_a_terminal_loses_no_rating_shown_as_saved() -> None:
    # The short version of `python bench/kill.py` (200 trials): two kills late
    # enough that ratings were shown as saved even on a slow machine.
    kill = _kill_harness()
    trials = kill.run_trials(2, (3.0, 4.5), seed=1)
    assert sum(len(t.saved) for t in trials) > 0, "no rating was made before the kill"
    for t in trials:
        assert t.missing == [] and t.integrity == "ok" and t.reopen == "ok", t
