"""The HTML report opened by a real browser engine (headless Chromium): the
page parses offline and its DOM holds every chart. Skipped where no Chromium
is installed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cuecards.export import CHART_IDS, export
from cuecards.stats import StatsContext

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")


class ChartCounter(HTMLParser):
    """Counts the elements inside each ``<svg id=...>`` of a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, dict[str, int]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.current = dict(attrs).get("id") or ""
            self.charts[self.current] = {}
        elif self.current is not None:
            counts = self.charts[self.current]
            counts[tag] = counts.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.current = None


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM after the browser loaded ``page``, serialised."""
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_report_charts_in_the_browser(service: Any, clock: Any, tmp_path: Path) -> None:
    session = service.start_session()
    for rating in (4, 3, 1, 4):
        card = session.next_card()
        assert card is not None
        session.rate(card.item.uid, rating, 5000)
        clock.advance(minutes=1)
    clock.set(datetime(2025, 3, 12, 12, 0, tzinfo=UTC))
    page = tmp_path / "report.html"
    export(StatsContext.from_service(service), "html", str(page))
    parser = ChartCounter()
    parser.feed(dump_dom(page, tmp_path / "profile"))
    assert set(CHART_IDS) <= set(parser.charts)
    assert parser.charts["chart-reviews"]["rect"] == 90  # one bar per day
    assert parser.charts["chart-forecast"]["rect"] == 30
    assert parser.charts["chart-heatmap"]["rect"] == 7 * 26
    assert parser.charts["chart-retention"]["line"] >= 2  # axis and the desired line
