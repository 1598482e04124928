"""Text cut to a number of terminal cells (an emoji or a CJK character takes
two), for the tables of every screen: one copy."""

from __future__ import annotations

from rich.cells import cell_len


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in an ellipsis when cut (an
    emoji or a CJK character takes two cells, so counting characters would
    push the columns after it out of line)."""
    if cell_len(text) <= width:
        return text
    cut = ""
    for ch in text:
        if cell_len(cut + ch) > width - 1:
            break
        cut += ch
    return cut.rstrip() + "…"


def fit_middle(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` cells: a note names a long path
    in its middle, and its start and its end are what say what happened."""
    if cell_len(text) <= width:
        return text
    head = fit(text, max(2, width * 2 // 5))[:-1]
    room = width - cell_len(head) - 1
    tail = ""
    for ch in reversed(text):
        if cell_len(ch + tail) > room:
            break
        tail = ch + tail
    return f"{head}…{tail}"
