"""Loading stays linear in gaps: one pass over a cloze, bounded text per gap."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cuecards.loader import load_bytes
from cuecards.model import CLOZE_CONTEXT, CLOZE_GAP, GAP_MARK, cloze_renders, gap_key, gap_spans


def _old_render(text: str, gap_index: int) -> tuple[str, str]:
    """The rendering as it was (quadratic over all gaps), for comparison."""
    prompt: list[str] = []
    answer: list[str] = []
    last = 0
    for i, m in enumerate(CLOZE_GAP.finditer(text)):
        prompt.append(text[last : m.start()])
        answer.append(text[last : m.start()])
        word = m.group(1).strip()
        prompt.append(GAP_MARK if i == gap_index else word)
        answer.append(f"[{word}]" if i == gap_index else word)
        last = m.end()
    prompt.append(text[last:])
    answer.append(text[last:])
    return "".join(prompt), "".join(answer)


clozeish = st.text(alphabet="ab {}\n", max_size=60)


@settings(max_examples=200, deadline=None)
@given(clozeish)
def test_gap_spans_find_what_the_pattern_finds(text: str) -> None:
    assert [(s, e) for s, e, _a, _b in gap_spans(text)] == [
        m.span() for m in CLOZE_GAP.finditer(text)
    ]


@settings(max_examples=200, deadline=None)
@given(clozeish)
def test_short_cloze_renders_as_before(text: str) -> None:
    renders = cloze_renders(text)
    assert renders == [_old_render(text, i) for i in range(len(renders))]


def test_gap_key_names_the_gap_wherever_it_sits() -> None:
    first = cloze_renders("{{alpha}} then {{beta}}")
    moved = cloze_renders("{{new}} and {{alpha}} then {{beta}}")
    assert gap_key(*first[0]) == gap_key(*moved[1]) != gap_key(*moved[0])
    assert gap_key(*first[1]) == gap_key(*moved[2])


def test_a_huge_cloze_shows_each_gap_in_bounded_context() -> None:
    n = 3000
    text = " ".join(f"w{i} {{{{g{i}}}}}" for i in range(n))
    data = f'title: t\ncards:\n  - id: c\n    kind: cloze\n    text: "{text}"\n'.encode()
    loaded = load_bytes(data, Path("big.yaml"), "big")
    assert len(loaded.items) == n
    limit = 2 * CLOZE_CONTEXT + len("[g2999]") + 6
    assert max(len(i.answer) for i in loaded.items) <= limit
    middle = loaded.items[n // 2]
    assert middle.prompt.startswith("...") and middle.prompt.endswith("...")
    assert f"[g{n // 2}]" in middle.answer and GAP_MARK in middle.prompt
