"""How a card's prompt, answer and status line read on screen."""

from __future__ import annotations

from textual.content import Content

from cuecards.model import GAP_MARK
from cuecards.views import CardView, QueueCounts

KIND_LABEL = {"recall": "recall", "cloze": "cloze", "drill": "drill"}
STATE_STYLE = {
    "new": "$text-primary",
    "learning": "$text-warning",
    "relearning": "$text-warning",
    "review": "$text-success",
}


def _mark(text: str, marker: str, style: str) -> Content:
    """``text`` with every occurrence of ``marker`` styled."""
    content = Content(text)
    start = text.find(marker)
    while start >= 0:
        content = content.stylize(style, start, start + len(marker))
        start = text.find(marker, start + len(marker))
    return content


def prompt_content(card: CardView, hint: bool = True) -> Content:
    """The question side: the front, the cloze with its gap, or the drill prompt
    (with how many points it wants, unless ``hint`` is off)."""
    item = card.item
    if item.kind == "cloze":
        return _mark(item.prompt, GAP_MARK, "bold $text-accent")
    text = Content.styled(item.prompt, "bold")
    if item.kind == "drill" and hint:
        # the grader's rule, so the hint and the grading view agree
        from cuecards.ui.widgets.grade_view import points_needed

        n = len(item.points)
        need = points_needed(item.needed, n)
        line = f"\n\nAnswer in a few lines: {n} key point{'s' if n != 1 else ''}"
        line += f", {need} to pass." if need != n else "."
        text = text + Content.styled(line, "dim")
    return text


def answer_content(card: CardView) -> Content:
    """The answer side of a recall or cloze card, with its notes."""
    item = card.item
    if item.kind == "cloze":
        content = Content(item.answer)
        # The hidden gap is shown as ``[word]`` in the answer: find it by the
        # prompt's gap mark position so other brackets in the text stay plain.
        start = item.prompt.find(GAP_MARK)
        if start >= 0:
            end = item.answer.find("]", start)
            if end > start:
                content = content.stylize("bold $text-success", start, end + 1)
    else:
        content = Content(item.answer)
    if item.notes:
        content = content + Content.assemble(
            ("\n\nNotes: ", "bold $text-muted"), (item.notes.strip(), "italic $text-muted")
        )
    return content


def kind_content(card: CardView) -> Content:
    """``recall · review`` and a leech flag: short, so it is never cut off."""
    item = card.item
    kind = KIND_LABEL.get(item.kind, item.kind)
    if item.variant == "reverse":
        kind += " (reverse)"
    parts: list[str | tuple[str, str]] = [
        (kind, "bold"),
        " · ",
        (card.state, STATE_STYLE.get(card.state, "")),
    ]
    if card.is_leech:
        parts.append(("  ⚠ leech", "bold $text-error"))
    return Content.assemble(*parts)


def deck_content(card: CardView) -> Content:
    """The deck's title (its id when it has none), dim: the screen cuts it short
    with an ellipsis when the line is full."""
    return Content.styled(card.deck_title or card.item.deck_id, "$text-muted")


def counts_content(counts: QueueCounts) -> Content:
    """Cards left, coloured as review apps do: new, learning, due."""
    return Content.assemble(
        (str(counts.new), "bold $text-primary"),
        " new  ",
        (str(counts.learning), "bold $text-warning"),
        " learn  ",
        (str(counts.review), "bold $text-success"),
        " due",
    )


def timer_text(elapsed_s: float, limit: int) -> Content:
    """``⏱ 1:23 left``, or ``over by 0:05`` once past the limit."""
    left = limit - int(elapsed_s)
    if left >= 0:
        return Content(f"⏱ {left // 60}:{left % 60:02d} left")
    over = -left
    return Content.styled(f"⏱ over by {over // 60}:{over % 60:02d}", "bold $text-error")
