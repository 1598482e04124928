"""The drill's grading view: key points hit or missed, the typed answer with
the hit words highlighted, and the model answer."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from cuecards.views import RATING_NAMES

HIT_STYLE = "bold $text-success"
MISS_STYLE = "$text-error"
SPAN_STYLE = "bold $text-success on $success-muted"


def highlight(answer: str, spans: list[tuple[int, int]]) -> Content:
    """The typed answer with each matched span marked."""
    content = Content(answer)
    for start, end in spans:
        start, end = max(0, start), min(len(answer), end)
        if end > start:
            content = content.stylize(SPAN_STYLE, start, end)
    return content


def render_grade(grade: Any, typed: str, model_answer: str, needed: int) -> Content:
    """The whole view as one :class:`Content` (``grade`` is a ``cuecards.grading.Grade``)."""
    points = list(grade.points)
    need = needed or len(points)
    verdict = "pass" if grade.hits >= need else "below pass"
    lines: list[Content] = [
        Content.assemble(
            ("Key points ", "bold"),
            (f"{grade.hits}/{grade.total}", HIT_STYLE if grade.hits >= need else MISS_STYLE),
            f"  (pass {need}: {verdict})  suggested ",
            (RATING_NAMES.get(int(grade.suggested), "?").title(), "bold"),
            " (enter)",
        )
    ]
    spans: list[tuple[int, int]] = []
    for p in points:
        if p.hit:
            lines.append(Content.assemble(("  ✓ ", HIT_STYLE), p.text))
            if p.span:
                spans.append((int(p.span[0]), int(p.span[1])))
        else:
            lines.append(Content.assemble(("  ✗ ", MISS_STYLE), (p.text, MISS_STYLE)))
    lines.append(Content(""))
    lines.append(Content.styled("Your answer", "bold"))
    lines.append(highlight(typed, spans) if typed.strip() else Content.styled("(empty)", "dim"))
    lines.append(Content(""))
    lines.append(Content.styled("Model answer", "bold"))
    lines.append(Content(model_answer.strip()))
    return Content("\n").join(lines)


class GradeView(Static):
    """Shows one graded drill answer."""

    def show(self, grade: Any, typed: str, model_answer: str, needed: int) -> None:
        """Render ``grade`` for the answer ``typed``."""
        self.update(render_grade(grade, typed, model_answer, needed))
