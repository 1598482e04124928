"""Exports: every review as CSV, the figures and each card as JSON, and one
self-contained HTML report whose charts are inline SVG drawn here (no script,
nothing fetched: it opens offline and can be mailed to a coach).

Files are written atomically: into a temporary file beside the target, which
replaces the target only once complete, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO

from cuecards.errors import CuecardsError
from cuecards.stats import HORIZON_DAYS, RECALL_AHEAD_LABEL, Mastery, Stats, StatsContext, assemble
from cuecards.views import RATING_NAMES

FORMATS = ("csv", "json", "html")
CSV_HEADER = (
    "study_date",
    "local_time",
    "utc_time",
    "deck",
    "card",
    "kind",
    "rating",
    "duration_ms",
    "interval_days",
    "points_hit",
    "points_total",
)
#: the ids of the HTML report's charts
CHART_IDS = ("chart-reviews", "chart-forecast", "chart-retention", "chart-heatmap")
_STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}


def _iso(ts: int | None, tz: tzinfo | None = UTC) -> str | None:
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).astimezone(tz).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):  # a time no calendar can show
        return None


def write_csv(out: TextIO, rows: Iterable[tuple[Any, ...]], tz: tzinfo | None) -> int:
    """One line per review (rows of :meth:`~cuecards.storage.StatsReader.review_rows`);
    returns the count.

    ``tz`` is the user's zone for ``local_time`` (None: this machine's).
    """
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    n = 0
    for at, day, deck, uid, kind, rating, ms, interval, hit, total in rows:
        w.writerow(
            (
                date.fromordinal(day).isoformat(),
                _iso(at, tz),
                _iso(at),
                deck,
                uid,
                kind,
                RATING_NAMES.get(rating, str(rating)),
                "" if ms is None else ms,
                f"{interval:.4f}",
                "" if hit is None else hit,
                "" if total is None else total,
            )
        )
        n += 1
    return n


def card_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """One card of :meth:`~cuecards.storage.StatsReader.card_rows` as JSON-ready data."""
    uid, deck, kind, state, reps, lapses, stab, diff, due, last, susp, retired, tags, r = row
    return {
        "uid": uid,
        "deck": deck,
        "kind": kind,
        "state": "new" if reps == 0 else _STATE_NAMES.get(state, str(state)),
        "suspended": bool(susp),
        "retired": bool(retired),
        "reps": reps,
        "lapses": lapses,
        "stability": stab,
        "difficulty": diff,
        "due": _iso(due) if reps else None,
        "last_review": _iso(last),
        "recall": round(r, 4) if r is not None else None,
        "tags": json.loads(tags or "[]"),
    }


def write_json(out: TextIO, stats: Stats, cards: Iterable[tuple[Any, ...]]) -> None:
    """``{"summary": <cuecards stats --json>, "cards": [...]}``, cards streamed."""
    out.write('{\n"summary": ')
    out.write(json.dumps(stats.to_dict(), indent=1, ensure_ascii=False))
    out.write(',\n"cards": [')
    for i, row in enumerate(cards):
        out.write(("," if i else "") + "\n" + json.dumps(card_dict(row), ensure_ascii=False))
    out.write("\n]\n}\n")


# -- SVG ----------------------------------------------------------------------------
def _svg(chart_id: str, title: str, w: int, h: int, body: list[str]) -> str:
    return (
        f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title>{html.escape(title)}'
        f"</title>{''.join(body)}</svg>"
    )


#: a generous width of one label character in pixels (labels are 10px text)
_CHAR_PX = 6.5


def x_label(cx: float, y: float, label: str, w: int) -> str:
    """An x-axis label centred on ``cx``, or right-aligned at the edge when
    centring would run past the right side of a ``w`` wide chart (which clips it)."""
    anchor, x = "middle", cx
    if cx + len(label) * _CHAR_PX / 2 > w - 2:
        anchor, x = "end", w - 2
    return (
        f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" class="lbl">{html.escape(label)}</text>'
    )


def bar_chart(
    chart_id: str, title: str, labels: list[str], values: list[float], w: int = 720, h: int = 180
) -> str:
    """Vertical bars with the maximum marked; labels every few bars."""
    left, bottom, top = 36, 22, 10
    n = max(1, len(values))
    peak = max(values, default=0) or 1
    bw = (w - left - 4) / n
    body = [
        f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" class="axis"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="lbl">{peak:g}</text>',
        f'<text x="{left - 4}" y="{h - bottom}" text-anchor="end" class="lbl">0</text>',
    ]
    every = max(1, n // 8)
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        bh = (h - bottom - top) * v / peak
        x = left + i * bw
        body.append(
            f'<rect x="{x + 1:.1f}" y="{h - bottom - bh:.1f}" width="{max(bw - 2, 1):.1f}"'
            f' height="{bh:.1f}" class="bar"><title>{html.escape(lab)}: {v:g}</title>'
            "</rect>"
        )
        if i % every == 0:
            body.append(x_label(x + bw / 2, h - 6, lab, w))
    return _svg(chart_id, title, w, h, body)


def line_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    values: list[float | None],
    target: float | None = None,
    w: int = 720,
    h: int = 180,
) -> str:
    """A 0-100 % line (gaps where a value is None) and a dashed target line."""
    left, bottom, top = 36, 22, 10
    n = max(1, len(values) - 1)

    def y(v: float) -> float:
        return top + (h - bottom - top) * (1 - v)

    def x(i: int) -> float:
        return left + (w - left - 8) * i / n

    body = [
        f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" class="axis"/>',
        f'<text x="{left - 4}" y="{y(1) + 4:.1f}" text-anchor="end" class="lbl">100%</text>',
        f'<text x="{left - 4}" y="{y(0):.1f}" text-anchor="end" class="lbl">0%</text>',
    ]
    if target is not None:
        body.append(
            f'<line x1="{left}" y1="{y(target):.1f}" x2="{w}" y2="{y(target):.1f}" '
            f'class="target"><title>desired {target:.0%}</title></line>'
        )
    run: list[str] = []
    for i, v in enumerate([*values, None]):
        if v is None:
            if run:
                body.append(f'<polyline points="{" ".join(run)}" class="line"/>')
            run = []
            continue
        run.append(f"{x(i):.1f},{y(v):.1f}")
        body.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" class="dot"><title>'
            f"{html.escape(labels[i])}: {v:.1%}</title></circle>"
        )
    for i in range(0, len(labels), max(1, len(labels) // 6)):
        body.append(x_label(x(i), h - 6, labels[i], w))  # noqa: PERF401
    return _svg(chart_id, title, w, h, body)


def heatmap(chart_id: str, title: str, days: list[tuple[date, int]], cell: int = 13) -> str:
    """A calendar: one column per week (Monday on top), shaded by reviews that day."""
    if not days:
        return _svg(chart_id, title, 100, 20, [])
    first = days[0][0]
    offset = first.weekday()
    weeks = (offset + len(days) + 6) // 7
    peak = max((n for _d, n in days), default=0) or 1
    body = []
    for i, (d, n) in enumerate(days):
        col, row = divmod(offset + i, 7)
        level = 0 if n == 0 else 1 + min(3, int(4 * n / (peak + 1)))
        body.append(
            f'<rect x="{col * (cell + 2)}" y="{row * (cell + 2)}" width="{cell}" '
            f'height="{cell}" class="h{level}"><title>{d.isoformat()}: {n}</title></rect>'
        )
    return _svg(chart_id, title, weeks * (cell + 2), 7 * (cell + 2), body)


# -- HTML ---------------------------------------------------------------------------
_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}
h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.8em}table{border-collapse:collapse}
td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}svg{max-width:100%;height:auto}
.axis{stroke:#999}.lbl{font-size:10px;fill:#555}.bar{fill:#4a7fb5}.line{fill:none;
stroke:#2a8a4a;stroke-width:2}.dot{fill:#2a8a4a}.target{stroke:#c44;stroke-dasharray:5 4}
.h0{fill:#eee}.h1{fill:#c6e0c0}.h2{fill:#8cc47e}.h3{fill:#4f9a45}.h4{fill:#236b1f}"""


def _table(head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "<p>None yet.</p>"
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _mastery_table(label: str, rows: Iterable[Mastery]) -> str:
    return _table(
        [label, "Cards", "Studied", "Recall now", RECALL_AHEAD_LABEL, "Lapses", "Mature"],
        [
            [
                m.key,
                m.cards,
                m.studied,
                _pct(m.recall),
                _pct(m.recall_ahead),
                m.lapses,
                _pct(m.mature_share),
            ]
            for m in rows
        ],
    )


def write_html(out: TextIO, s: Stats) -> None:
    """The report: summary, four charts, and the tables."""

    def day(d: int) -> date:
        return date.fromordinal(d)

    last = s.last_days(90)
    weeks = s.weekly_retention(26)
    heat = [(d.date, d.reviews) for d in s.last_days(7 * 26)]
    scope = s.scope_label
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>cuecards progress {day(s.today)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Progress on {day(s.today)}</h1>",
        f"<p>{html.escape(scope)}</p>" if scope else "",
        _table(
            ["Figure", "Value"],
            [
                ["Reviews", s.reviews],
                ["Time spent (minutes)", round(s.seconds / 60)],
                ["Days studied", s.days_studied],
                ["Streak, current / longest (days)", f"{s.streak_current} / {s.streak_longest}"],
                *[[f"Cards {k}", v] for k, v in s.states.items()],
            ],
        ),
        "<h2>Reviews per day (last 90 days)</h2>",
        bar_chart(
            CHART_IDS[0],
            "Reviews per day",
            [d.date.strftime("%b %d") for d in last],
            [d.reviews for d in last],
        ),
        "<h2>Due in the next 30 days</h2>",
        bar_chart(
            CHART_IDS[1],
            "Cards due per day",
            [day(d).strftime("%b %d") for d, _n in s.forecast],
            [n for _d, n in s.forecast],
        ),
        f"<h2>True retention per week (desired {_pct(s.desired_retention)}, dashed)</h2>",
        line_chart(
            CHART_IDS[2],
            "True retention per week",
            [day(d).strftime("%b %d") for d, _r in weeks],
            [r for _d, r in weeks],
            target=s.desired_retention,
        ),
        _table(
            ["Window", "Reviews", "Recalled", "Retention"],
            [[f"last {w.days} days", w.reviews, w.recalled, _pct(w.retention)] for w in s.windows],
        ),
        "<h2>Calendar (last 26 weeks)</h2>",
        heatmap(CHART_IDS[3], "Reviews per day, calendar", heat),
        f"<h2>Decks by mastery, weakest first (lowest recall in {HORIZON_DAYS} days)</h2>",
        _mastery_table("Deck", s.decks),
        f"<h2>Tags by mastery, weakest first (lowest recall in {HORIZON_DAYS} days)</h2>",
        _mastery_table("Tag", s.tags),
        "<h2>Drill key points hit</h2>",
        _table(
            ["Deck", "Drills", "Points", "Hit rate"],
            [[h.deck, h.reviews, f"{h.hit}/{h.total}", _pct(h.rate)] for h in s.hit_rates],
        ),
        "<h2>Hardest cards</h2>",
        _table(
            ["Card", "Lapses", "Reps", "Recall"],
            [[c.uid, c.lapses, c.reps, _pct(c.recall)] for c in s.hardest],
        ),
        "<h2>Leeches</h2>",
        _table(
            ["Card", "Lapses", "Reps", "Recall"],
            [[c.uid, c.lapses, c.reps, _pct(c.recall)] for c in s.leeches],
        ),
        f"<p><small>Generated {s.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC "
        "by cuecards.</small></p></body></html>\n",
    ]
    out.write("".join(parts))


# -- writing ------------------------------------------------------------------------
#: a temp file of an export to the same target untouched this long was left
#: by an export that was killed (a running one writes to it all the time)
STALE_TEMP_SECONDS = 60


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Delete temp files that a killed export of ``name`` left in ``folder``."""
    import time

    for old in folder.glob(f".{name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > STALE_TEMP_SECONDS:
                old.unlink()


def write_atomic(target: Path, write: Callable[[TextIO], Any]) -> None:
    """Call ``write(stream)`` on a temporary file beside ``target``, then rename it
    over ``target``; on any error the target is untouched and the temp file gone
    (and one that a killed export left is removed by the next)."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale_temps(folder, target.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise CuecardsError(f"cannot write {target}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise CuecardsError(f"cannot write {target}: {e.strerror or e}") from None
        raise


def export(
    ctx: StatsContext,
    fmt: str,
    target: str,
    deck: str | None = None,
    tag: str | None = None,
    since: date | None = None,
) -> None:
    """Write an export of ``fmt`` to ``target`` (``-`` = standard output)."""
    if fmt not in FORMATS:
        raise CuecardsError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    q = ctx.query(deck, tag, since)
    with ctx.open() as reader, reader.snapshot():  # one snapshot for figures and rows

        def stats() -> Stats:
            return assemble(reader.fetch(q, ctx.leech_threshold), q, ctx.now, ctx.desired_retention)

        def write(out: TextIO) -> None:
            if fmt == "csv":
                write_csv(out, reader.review_rows(q), ctx.days.tz)
            elif fmt == "json":
                write_json(out, stats(), reader.card_rows(q))
            else:
                write_html(out, stats())

        if target == "-":
            write(sys.stdout)
            sys.stdout.flush()
        else:
            write_atomic(Path(target), write)
