"""The drill's grading view: key points hit or missed, the typed answer with
the hit words highlighted, and the model answer.

Once the answer is submitted, a letter beside each point lets the candidate
correct the grader: the point flips made/missed (marked as theirs), and the
suggested rating follows. The letters skip the screen's own keys (b bury,
e edit, q end, u undo).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from cuecards.grading.rules import Grade, points_needed
from cuecards.views import RATING_NAMES

__all__ = ["TOGGLE_KEYS", "GradeView", "highlight", "pack", "points_needed", "render_grade"]

HIT_STYLE = "bold $text-success"
MISS_STYLE = "$text-error"
SPAN_STYLE = "bold $text-success on $success-muted"
KEY_STYLE = "bold $accent"
#: the key that toggles each point, in the card's order
TOGGLE_KEYS = "acdfghijklmnoprstvwxyz"


def highlight(answer: str, spans: list[tuple[int, int]]) -> Content:
    """The typed answer with each matched span marked."""
    content = Content(answer)
    for start, end in spans:
        start, end = max(0, start), min(len(answer), end)
        if end > start:
            content = content.stylize(SPAN_STYLE, start, end)
    return content


def pack(marks: list[Content], width: int, gap: str = "   ") -> list[Content]:
    """``marks`` side by side on as few lines of ``width`` cells as fit, each
    mark whole on one line (a mark wider than a line gets a line of its own)."""
    lines: list[Content] = []
    line: list[Content] = []
    used = 0
    for mark in marks:
        size = mark.cell_length
        if line and used + len(gap) + size > width:
            lines.append(Content(gap).join(line))
            line, used = [], 0
        used += size + (len(gap) if line else 0)
        line.append(mark)
    if line:
        lines.append(Content(gap).join(line))
    return lines


def render_grade(
    grade: Grade, typed: str, model_answer: str, needed: int, width: int = 76
) -> Content:
    """The whole view as one :class:`Content`, its key points packed into lines
    of ``width`` cells, each behind the letter that toggles it."""
    need = points_needed(needed, grade.total)
    corrected = any(getattr(p, "claimed", False) for p in grade.points)
    lines: list[Content] = [
        Content.assemble(
            (f"{grade.hits} of {grade.total}", HIT_STYLE if grade.hits >= need else MISS_STYLE),
            (" key points", "bold"),
            f" ({need} needed) · suggested: ",
            (RATING_NAMES.get(int(grade.suggested), "?").title(), "bold"),
            " (enter)",
        )
    ]
    spans: list[tuple[int, int]] = []
    marks: list[Content] = []
    for i, p in enumerate(grade.points):
        key = TOGGLE_KEYS[i] if i < len(TOGGLE_KEYS) else " "
        claimed = bool(getattr(p, "claimed", False))
        mine = "*" if claimed else ""
        if p.hit:
            marks.append(Content.assemble((key, KEY_STYLE), (f" ✓{mine} ", HIT_STYLE), p.text))
            if p.span and not claimed:
                spans.append((int(p.span[0]), int(p.span[1])))
        else:
            marks.append(
                Content.assemble((key, KEY_STYLE), (f" ✗{mine} ", MISS_STYLE), (p.text, MISS_STYLE))
            )
    # The points share lines, so the answers stay near the top of an 80x24
    # screen even for a nine-point case.
    lines.extend(pack(marks, width))
    hint = "* marked by you · " if corrected else ""
    lines.append(Content.styled(f"{hint}press a point's letter to mark it made or missed", "dim"))
    lines.append(Content(""))
    lines.append(Content.styled("Your answer", "bold"))
    lines.append(highlight(typed, spans) if typed.strip() else Content.styled("(empty)", "dim"))
    lines.append(Content(""))
    lines.append(Content.styled("Model answer", "bold"))
    lines.append(Content(model_answer.strip()))
    return Content("\n").join(lines)


class GradeView(Static):
    """Shows one graded drill answer."""

    def show(self, grade: Grade, typed: str, model_answer: str, needed: int) -> None:
        """Render ``grade`` for the answer ``typed``, as wide as the card body."""
        body = self.parent
        width = body.content_size.width if isinstance(body, Widget) else 0
        self.update(render_grade(grade, typed, model_answer, needed, width=width or 76))
