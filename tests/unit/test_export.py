"""``cuecards export``: CSV rows, JSON keys, HTML charts, atomic writes.

History (time zone Europe/Berlin, UTC+1 in March; a study day starts 04:00
local, i.e. 03:00 UTC):

    Mar 10 12:00 UTC  capital-fr  Easy   12 s          study day 2025-03-10
    Mar 10 12:01 UTC  trade-offs  Good   40 s, 1 of 2  study day 2025-03-10
    Mar 11 02:30 UTC  capital-de  Again   3 s          03:30 local: still 2025-03-10
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cuecards.cli import cli, main
from cuecards.errors import CuecardsError
from cuecards.export import CHART_IDS, CSV_HEADER, bar_chart, line_chart, write_atomic

NOW = datetime(2025, 3, 11, 12, 0, tzinfo=UTC)


def rate(
    svc: Any,
    clock: Any,
    when: datetime,
    uid: str,
    rating: int,
    ms: int,
    grade: dict[str, int] | None = None,
) -> None:
    clock.set(when)
    session = svc.start_session(uids=[uid])
    session.next_card()
    session.rate(uid, rating, ms, grade=grade)


@pytest.fixture
def history(service: Any, clock: Any) -> Any:
    service.set_setting("timezone", "Europe/Berlin")
    rate(
        service,
        clock,
        datetime(2025, 3, 10, 12, 0, tzinfo=UTC),
        "basics/capital-fr",
        4,
        12000,
    )
    rate(
        service,
        clock,
        datetime(2025, 3, 10, 12, 1, tzinfo=UTC),
        "basics/trade-offs",
        3,
        40000,
        {"hits": 1, "total": 2},
    )
    rate(
        service,
        clock,
        datetime(2025, 3, 11, 2, 30, tzinfo=UTC),
        "basics/capital-de",
        1,
        3000,
    )
    clock.set(NOW)
    return service


@pytest.fixture(autouse=True)
def _decks_of_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line syncs before it counts: let it find the history's decks
    (the ``deck_dir`` fixture's folder) and keep the shipped decks out."""
    monkeypatch.setenv("CUECARDS_DECKS", str(tmp_path / "decks"))
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "no-shipped")


def export(monkeypatch: pytest.MonkeyPatch, home: Path, *args: str) -> Any:
    monkeypatch.setattr("cuecards.clock.utc_now", lambda: NOW)
    return CliRunner().invoke(cli, ["--home", str(home), "export", *args])


def test_csv_rows(
    history: Any, tmp_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reviews.csv"
    result = export(monkeypatch, tmp_home, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["local_time"] == "2025-03-10T13:00:00+01:00"
    assert first["utc_time"] == "2025-03-10T12:00:00+00:00"
    assert (first["deck"], first["card"], first["kind"], first["rating"]) == (
        "basics",
        "basics/capital-fr",
        "recall",
        "easy",
    )
    assert first["duration_ms"] == "12000" and first["points_total"] == ""
    assert float(first["interval_days"]) > 1
    drill = dict(zip(rows[0], rows[2], strict=True))
    assert (drill["kind"], drill["rating"], drill["points_hit"], drill["points_total"]) == (
        "drill",
        "good",
        "1",
        "2",
    )
    late = dict(zip(rows[0], rows[3], strict=True))
    # 03:30 in Berlin is before the 04:00 rollover: it belongs to March 10
    assert (late["study_date"], late["local_time"]) == ("2025-03-10", "2025-03-11T03:30:00+01:00")


def test_csv_to_stdout_and_filters(
    history: Any, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = export(monkeypatch, tmp_home, "-f", "csv", "-o", "-")
    assert result.exit_code == 0
    assert len(list(csv.reader(io.StringIO(result.stdout)))) == 4
    result = export(monkeypatch, tmp_home, "-f", "csv", "-o", "-", "--since", "2025-03-11")
    assert len(list(csv.reader(io.StringIO(result.stdout)))) == 1  # header only


def test_json_summary_and_cards(
    history: Any, tmp_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = export(monkeypatch, tmp_home, "-f", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert list(d) == ["summary", "cards"]
    assert d["summary"]["totals"]["reviews"] == 3
    assert d["summary"]["today"] == "2025-03-11"
    assert d["summary"]["drills"][0]["hit_rate"] == 0.5
    cards = {c["uid"]: c for c in d["cards"]}
    assert len(cards) == 7
    assert set(cards["basics/capital-fr"]) == {
        "uid",
        "deck",
        "kind",
        "state",
        "suspended",
        "retired",
        "reps",
        "lapses",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "recall",
        "tags",
    }
    assert cards["basics/capital-fr"]["state"] == "review"
    assert cards["basics/capital-de"]["state"] == "learning"
    assert cards["basics/rule#c1"]["state"] == "new" and cards["basics/rule#c1"]["due"] is None
    assert cards["basics/capital-fr"]["last_review"] == "2025-03-10T12:00:00+00:00"


def test_html_has_every_chart(
    history: Any, tmp_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    assert export(monkeypatch, tmp_home, "-f", "html", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for chart in CHART_IDS:
        assert f'<svg id="{chart}"' in text
    assert "<script" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "basics" in text and "1/2" in text
    # 3 reviews on March 10, shown as a bar with its tooltip
    assert "Mar 10: 3</title>" in text
    # the mastery tables say what orders them and show both recalls
    assert "<th>Recall now</th><th>Recall in 7d</th><th>Lapses</th>" in text
    assert "weakest first (lowest recall in 7 days)" in text


def _labels(svg: str) -> list[tuple[float, str, str]]:
    """(x, text-anchor, text) of each x-axis label of a chart."""
    found = re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="(\w+)" class="lbl">([^<]*)<', svg)
    return [(float(x), anchor, label) for x, anchor, label in found]


@pytest.mark.parametrize("n", [7, 30, 90, 91])
def test_last_x_label_is_not_clipped(n: int) -> None:
    """A label centred on the last bar ran past the right edge ("Nov 2…"):
    it is right-aligned inside the chart instead, the others stay centred."""
    labels = [f"Nov {i % 28 + 1:02d}" for i in range(n)]
    svg = bar_chart("c", "t", labels, [1.0] * n, w=720)
    xs = [(x, anchor, label) for x, anchor, label in _labels(svg) if label.startswith("Nov")]
    assert xs, svg
    for x, anchor, label in xs:
        # a 10px label is at most 6.5px a character wide
        right = x if anchor == "end" else x + len(label) * 6.5 / 2
        assert right <= 720, (x, anchor, label)
    assert all(anchor == "middle" for _x, anchor, _l in xs[:-1])


def test_last_label_of_90_days_is_right_aligned() -> None:
    labels = [f"Nov {i:02d}" for i in range(90)]
    svg = bar_chart("c", "t", labels, [2.0] * 90, w=720)
    assert _labels(svg)[-1] == (718.0, "end", "Nov 88")
    svg = line_chart("c", "t", ["Nov 01", "Nov 08"], [0.5, 0.9], w=720)
    assert [a for _x, a, lab in _labels(svg) if lab.startswith("Nov")] == ["middle", "end"]


def test_export_syncs_first_so_a_deleted_card_shows_retired(
    history: Any,
    tmp_home: Path,
    make_deck: Any,
    sample_cards: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_deck("basics", [c for c in sample_cards if c["id"] != "capital-fr"], title="Basics")
    r = export(monkeypatch, tmp_home, "-f", "json", "-o", "-")
    assert r.exit_code == 0, r.output
    cards = {c["uid"]: c for c in json.loads(r.stdout)["cards"]}
    assert cards["basics/capital-fr"]["retired"] is True
    assert cards["basics/capital-de"]["retired"] is False


def test_empty_history_exports_are_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "fresh"
    r = export(monkeypatch, home, "-f", "csv", "-o", "-")
    assert r.exit_code == 0 and r.stdout.strip() == ",".join(CSV_HEADER)
    r = export(monkeypatch, home, "-f", "json", "-o", "-")
    assert json.loads(r.stdout)["cards"] == []
    out = tmp_path / "empty.html"
    assert export(monkeypatch, home, "-f", "html", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert all(f'id="{c}"' in text for c in CHART_IDS) and "None yet." in text


def test_bad_format_and_unwritable_path(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(tmp_home), "export", "-f", "xml", "-o", "x"])
    assert exc.value.code == 2
    assert "'xml' is not one of 'csv', 'json', 'html'" in capsys.readouterr().err
    target = tmp_path / "no-such-folder" / "out.csv"
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(tmp_home), "export", "-f", "csv", "-o", str(target)])
    err = capsys.readouterr().err
    assert exc.value.code == 1
    last = err.strip().splitlines()[-1]  # after the sync's notes (missing deck folders)
    assert last == f"cuecards: error: cannot write {target}: No such file or directory"


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n")

    def half(out: Any) -> None:
        out.write("half a file")
        raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        write_atomic(target, half)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # no temp file left
    write_atomic(target, lambda out: out.write("new\n"))
    assert target.read_text() == "new\n"


def test_atomic_write_into_a_file_path_fails_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CuecardsError, match="cannot write"):
        write_atomic(blocker / "out.csv", lambda out: out.write("x"))


def test_a_killed_exports_temp_file_is_removed_by_the_next(tmp_path: Path) -> None:
    import os
    import time

    target = tmp_path / "out.csv"
    left = tmp_path / ".out.csv.abc123.tmp"  # what a killed export leaves
    busy = tmp_path / ".out.csv.def456.tmp"  # an export still writing
    other = tmp_path / ".other.csv.abc123.tmp"
    for f in (left, busy, other):
        f.write_text("partial")
    old = time.time() - 3600
    os.utime(left, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, lambda out: out.write("new\n"))
    assert target.read_text() == "new\n"
    assert not left.exists() and busy.exists() and other.exists()
