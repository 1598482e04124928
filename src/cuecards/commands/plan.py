"""``cuecards plan``: what to expect on the interview day, and what it costs."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cuecards.cli import CliContext
    from cuecards.scheduling.plan import Plan


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def render(plan: Plan, interview: date, limit: int = 40) -> list[str]:
    """The plan as lines of text."""
    current = plan.scenarios[0]
    lines = [
        f"Interview on {interview.isoformat()}: {plan.days_left} study days from today; "
        f"{plan.studied} of {plan.cards} cards studied.",
        "",
        f"{'Minutes per day until then':<30}{'minutes':>8}{'ratings':>9}{'recall on the day':>19}",
    ]
    for i, s in enumerate(plan.scenarios):
        name = f"at {s.retention:.0%} retention" + (" (now)" if i == 0 else "")
        lines.append(f"  {name:<28}{s.minutes_per_day:>8.1f}{s.ratings:>9}{_pct(s.recall):>19}")
    head = f"at {current.retention:.0%}"
    for title, stop, keep in (
        ("deck", plan.stop_now, current.by_deck),
        ("tag", plan.stop_now_tags, current.by_tag),
    ):
        keys = sorted(set(stop) | set(keep))
        if not keys:
            continue
        width = max(len(title), *(len(k) for k in keys[:limit])) + 2
        lines += ["", f"{'Recall on the day, by ' + title:<{width + 10}}{'stop now':>10}{head:>10}"]
        lines += [
            f"  {k:<{width + 8}}{_pct(stop.get(k)):>10}{_pct(keep.get(k)):>10}"
            for k in keys[:limit]
        ]
        if len(keys) > limit:
            lines.append(f"  ... and {len(keys) - limit} more")
    lines.append("")
    if plan.at_risk:
        lines.append("At risk:")
        lines += [f"  {deck}: {why}" for deck, why in plan.at_risk.items()]
    else:
        lines.append("No deck at risk at the current desired retention.")
    return lines


@click.command()
@click.option(
    "--until",
    "until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The interview date (default: the interview_date setting).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.pass_obj
def plan(cli_ctx: CliContext, until: datetime | None, as_json: bool) -> None:
    """What recall to expect on the interview day, per deck and tag, and the
    minutes per day it costs at the current desired retention and at others.

    The figures come from FSRS: recall on the day if you stop now, and a
    simulation of your cards up to the date (see README).
    """
    from cuecards.commands.stats import open_synced
    from cuecards.errors import UsageError
    from cuecards.scheduling.plan import PlanCard, make_plan
    from cuecards.stats import StatsContext

    svc, _read_only = open_synced(cli_ctx.paths())
    with svc:
        settings = svc.settings()
        interview = until.date() if until else settings.interview_date
        if interview is None:
            raise UsageError(
                "no interview date: pass --until YYYY-MM-DD or set one with "
                "`cuecards config set interview_date YYYY-MM-DD`"
            )
        days = svc.sched.days
        today = svc.today()
        if interview.toordinal() <= today:
            raise UsageError(f"the interview date {interview.isoformat()} is not ahead of today")
        ctx = StatsContext.from_service(svc)
        per_rating = svc.seconds_per_rating()
        with ctx.open() as reader:
            cards = []
            for r in reader.card_rows(ctx.query()):
                if r[10] or r[11]:  # suspended or retired
                    continue
                studied = r[4] > 0 and r[6] is not None and r[7] is not None and r[9] is not None
                cards.append(
                    PlanCard(
                        deck=r[1],
                        tags=tuple(json.loads(r[12] or "[]")),
                        stability=r[6] if studied else None,
                        difficulty=r[7] if studied else None,
                        last_day=days.day_of_epoch(r[9]) if studied else None,
                        due_day=days.day_of_epoch(r[8]) if studied else None,
                    )
                )
    result = make_plan(
        cards,
        today,
        interview.toordinal(),
        settings.fsrs_parameters,
        settings.desired_retention,
        settings.new_per_day,
        per_rating,
    )
    if as_json:
        click.echo(json.dumps(to_dict(result, interview), indent=2))
        return
    for line in render(result, interview):
        click.echo(line)


def to_dict(plan: Plan, interview: date) -> dict[str, object]:
    """The plan as JSON-ready data."""
    return {
        "interview_date": interview.isoformat(),
        "days_left": plan.days_left,
        "cards": plan.cards,
        "studied": plan.studied,
        "stop_now": {"decks": plan.stop_now, "tags": plan.stop_now_tags},
        "scenarios": [
            {
                "retention": s.retention,
                "minutes_per_day": round(s.minutes_per_day, 2),
                "ratings": s.ratings,
                "recall": round(s.recall, 4),
                "new_introduced": s.new_introduced,
                "decks": {k: round(v, 4) for k, v in s.by_deck.items()},
                "tags": {k: round(v, 4) for k, v in s.by_tag.items()},
            }
            for s in plan.scenarios
        ],
        "at_risk": plan.at_risk,
    }
