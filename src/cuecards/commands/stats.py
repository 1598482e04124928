"""``cuecards stats``: a progress summary as terminal tables, or JSON for tools.

The deck folders are synced first (a few milliseconds when nothing changed),
so a card deleted from its file counts as retired; a database that cannot be
written is read as it is, with a note. An empty history prints zeros.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cuecards.service import Service
    from cuecards.stats import Stats, StatsContext

JSON_HELP = """\b
JSON keys (stable; "version" changes if they ever do):
  version, generated_at (UTC ISO), today (study day, YYYY-MM-DD)
  scope: deck, tag, since
  totals: reviews, seconds, days_studied, first_day, last_day
  streak: current, longest (consecutive study days)
  retention: desired, windows[{days, reviews, recalled, retention}]
    (reviews of cards in review state; recalled = not rated Again)
  daily[{date, reviews, seconds, review_state_reviews, recalled}]
    (days with reviews, last 365 days)
  forecast[{date, due}] (next 30 study days; overdue cards count today)
  mastery: decks[...], tags[...] weakest first, each {id, title, cards,
    studied, recall (mean current recall of studied cards), mature,
    mature_share, lapses, recall_7d (mean recall of studied cards 7 days
    from now, if not reviewed; the order of "weakest first")}
  drills[{deck, reviews, points_hit, points_total, hit_rate}]
  hardest[...], leeches[...]: {uid, deck, kind, lapses, reps, recall}
    (hardest: cards with lapses or recall below the desired retention)
  states: new, learning, review, relearning, suspended, retired
"""


def scope_options(fn: Any) -> Any:
    """``--deck``, ``--tag`` and ``--since`` (shared with ``cuecards export``)."""
    fn = click.option(
        "--since",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="DATE",
        help="Only reviews from this study day on (YYYY-MM-DD).",
    )(fn)
    fn = click.option("--tag", "-t", metavar="TAG", help="Only cards with this tag.")(fn)
    return click.option(
        "--deck", "-d", metavar="DECK", help="Only this deck, or the decks in this folder."
    )(fn)


def say_notes(notes: tuple[str, ...]) -> None:
    """A sync's notes on standard error, a few lines at most (a deck that moved
    and kept its history, a deck of yours over a shipped one, a missing folder)."""
    from cuecards.service.today import brief_notes

    for line in brief_notes(notes):
        click.echo(f"cuecards: note: {line}", err=True)


def open_synced(paths: Any) -> tuple[Service, bool]:
    """The service, with the deck folders synced first so that figures are
    current (a card deleted from its file shows as retired); cheap when nothing
    changed; the sync's notes go to standard error. A database that cannot be
    written is opened read-only and not synced, with a one-line note. Returns
    (service, read_only)."""
    from cuecards.service import Service
    from cuecards.storage import ReadOnlyStoreError

    try:
        svc = Service.open(paths)
    except ReadOnlyStoreError:
        if not paths.db_path.is_file():
            raise  # nothing to read either: say why it cannot be created
        svc = Service.open(paths, read_only=True)
    else:
        try:
            if svc.writable():
                say_notes(svc.sync().notes)
                return svc, False
        except BaseException:
            svc.close()
            raise
    click.echo(
        f"cuecards: note: the database {paths.db_path} is read-only (file or folder); "
        "deck folders not synced, showing it as last saved",
        err=True,
    )
    return svc, True


def open_context(cli_ctx: Any, deck: str | None, tag: str | None) -> StatsContext:
    """Sync, then take the statistics context from the service; check the scope."""
    svc, _read_only = open_synced(cli_ctx.paths())
    with svc:
        if deck or tag:
            svc.check_scope(deck, tag)
        return svc.stats_context()


def since_date(since: datetime | None) -> date | None:
    """The ``--since`` value as a date."""
    return since.date() if since is not None else None


@click.command(epilog=JSON_HELP)
@scope_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON (keys below) instead of tables.")
@click.pass_obj
def stats(
    cli_ctx: Any, deck: str | None, tag: str | None, since: datetime | None, as_json: bool
) -> None:
    """Show progress: reviews, streak, retention, forecast, mastery, hardest cards."""
    from cuecards.stats import gather

    ctx = open_context(cli_ctx, deck, tag)
    figures = gather(ctx, deck, tag, since_date(since))
    if as_json:
        click.echo(json.dumps(figures.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_tables(figures)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _dur(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _day_head(day: int) -> str:
    """A column head naming its study day on two lines (``Sat`` over ``11-28``),
    narrow enough for eight columns in 80."""
    return date.fromordinal(day).strftime("%a\n%m-%d")


#: decks or tags listed in the tables (``--json`` has every one)
MASTERY_ROWS = 15


def print_tables(s: Stats) -> None:  # noqa: C901
    """The summary as rich tables on standard output."""
    from rich.console import Console
    from rich.table import Table

    from cuecards.stats import HORIZON_DAYS, RECALL_AHEAD_LABEL

    con = Console(highlight=False)

    def iso(d: int) -> str:
        return date.fromordinal(d).isoformat()

    scope = s.scope_label
    con.print(f"[b]Progress[/b] on {iso(s.today)}" + (f" ({scope})" if scope else ""))

    t = Table(title="Summary", title_justify="left", show_header=False)
    t.add_column()
    t.add_column(justify="right")
    t.add_row("Reviews", str(s.reviews))
    t.add_row("Time spent", _dur(s.seconds))
    t.add_row("Days studied", str(s.days_studied))
    t.add_row("Streak (current / longest)", f"{s.streak_current} / {s.streak_longest} days")
    for k, v in s.states.items():
        t.add_row(f"Cards {k}", str(v))
    con.print(t)

    t = Table(title=f"True retention (desired {_pct(s.desired_retention)})", title_justify="left")
    for col in ("Window", "Reviews", "Recalled", "Retention"):
        t.add_column(col, justify="right" if col != "Window" else "left")
    for w in s.windows:
        t.add_row(f"last {w.days} days", str(w.reviews), str(w.recalled), _pct(w.retention))
    con.print(t)

    # Past and forecast get a table each, headed by their own dates: one shared
    # row of weekdays put each due count under the wrong day.
    week = s.last_days(7)
    t = Table(title="Last 7 days", title_justify="left")
    t.add_column("")
    for d in week:
        t.add_column(_day_head(d.day), justify="right")
    t.add_row("reviews", *(str(d.reviews) for d in week))
    t.add_row("minutes", *(str(round(d.seconds / 60)) for d in week))
    con.print(t)
    fc = s.forecast
    if fc:
        t = Table(title="Next 7 days (today counts overdue cards)", title_justify="left")
        t.add_column("")
        for day, _n in fc[:7]:
            t.add_column(_day_head(day), justify="right")
        t.add_row("due", *(str(n) for _d, n in fc[:7]))
        con.print(t)
    con.print(f"Due in the next {len(fc)} days: {sum(n for _d, n in fc)}")

    for label, rows in (("Decks", s.decks), ("Tags", s.tags)):
        if not rows:
            continue
        t = Table(
            title=f"{label} by mastery, weakest first (lowest recall in {HORIZON_DAYS} days)",
            title_justify="left",
        )
        t.add_column(label[:-1])
        for col in ("Cards", "Studied", "Recall now", RECALL_AHEAD_LABEL, "Lapses", "Mature"):
            t.add_column(col, justify="right")
        for m in rows[:MASTERY_ROWS]:
            t.add_row(
                m.title
                if label == "Tags"
                else f"{m.title} ({m.key})"
                if m.title != m.key
                else m.key,
                str(m.cards),
                str(m.studied),
                _pct(m.recall),
                _pct(m.recall_ahead),
                str(m.lapses),
                _pct(m.mature_share),
            )
        con.print(t)
        if len(rows) > MASTERY_ROWS:
            con.print(f"… and {len(rows) - MASTERY_ROWS} more {label.lower()} (--json has all)")

    if s.hit_rates:
        t = Table(title="Drill key points hit", title_justify="left")
        for col in ("Deck", "Drills", "Points", "Hit rate"):
            t.add_column(col, justify="left" if col == "Deck" else "right")
        for h in s.hit_rates:
            t.add_row(h.deck, str(h.reviews), f"{h.hit}/{h.total}", _pct(h.rate))
        con.print(t)

    if not s.hardest and s.reviews:
        con.print(
            f"Hardest cards: none (no lapses, every recall at or above the desired "
            f"{_pct(s.desired_retention)})"
        )
    for label, cards in (("Hardest cards", s.hardest), ("Leeches", s.leeches)):
        if not cards:
            continue
        t = Table(title=label, title_justify="left")
        t.add_column("Card")
        for col in ("Lapses", "Reps", "Recall"):
            t.add_column(col, justify="right")
        for c in cards[:10]:
            t.add_row(c.uid, str(c.lapses), str(c.reps), _pct(c.recall))
        con.print(t)
