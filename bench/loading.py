"""Deck loading stays linear: time one load of each hostile shape at sizes n and 2n.

Run: ``python bench/loading.py [N]`` (default 3000). Each line gives the shape,
the file size, the seconds for n and for 2n, and their ratio (about 2 when
linear, about 4 when quadratic).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cuecards.errors import DeckError
from cuecards.loader import load_bytes


def cloze(n: int) -> bytes:
    text = " ".join(f"w{i} {{{{g{i}}}}}" for i in range(n))
    return f'title: t\ncards:\n  - id: c\n    kind: cloze\n    text: "{text}"\n'.encode()


def unclosed(n: int) -> bytes:
    text = " ".join(f"w{i} {{{{g{i}" for i in range(n))
    return f'title: t\ncards:\n  - id: c\n    kind: cloze\n    text: "{text} {{{{x}}}}"\n'.encode()


def cards(n: int) -> bytes:
    body = "".join(f"  - id: c{i}\n    front: q {i}\n    back: a {i}\n" for i in range(n))
    return f"title: t\ncards:\n{body}".encode()


def keys(n: int) -> bytes:
    body = "".join(f"    k{i}: v\n" for i in range(n))
    return f"title: t\ncards:\n  - front: q\n    back: a\n{body}".encode()


def bad_cards(n: int) -> bytes:
    body = "".join(f"  - id: c{i}\n    frnt: q\n" for i in range(n))
    return f"title: t\ncards:\n{body}".encode()


def seconds(make: Callable[[int], bytes], n: int) -> tuple[int, float]:
    data = make(n)
    start = time.perf_counter()
    with contextlib.suppress(DeckError):
        load_bytes(data, Path("bench.yaml"), "bench")
    return len(data), time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    for name, make in [
        ("cloze gaps", cloze),
        ("unclosed {{", unclosed),
        ("cards", cards),
        ("unknown keys", keys),
        ("bad cards", bad_cards),
    ]:
        size, one = seconds(make, n)
        _, two = seconds(make, 2 * n)
        print(f"{name:13} n={n:<6} {size:>9,} B  {one:7.3f} s  2n {two:7.3f} s  x{two / one:4.1f}")


if __name__ == "__main__":
    main()
