"""Deck files written as YAML text that reads back to exactly what was meant.

Only the shapes of the deck format are needed (a mapping of strings, booleans,
lists of strings and a list of card mappings), so the text is built here
rather than by a YAML library's dumper: plain scalars only when they cannot be
read as anything but that text, ``|-`` blocks for multi-line text, and double
quotes with escapes otherwise. A test reads random text back through the
deck loader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;()'/?!+=&%$_-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_BREAKS = {"\x85", "\u2028", "\u2029", "\ufeff"}

Value = str | bool | int | Sequence[str] | Sequence[Mapping[str, object]]


def _printable(ch: str) -> bool:
    o = ord(ch)
    if ch in _BREAKS:
        return False
    return (
        0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        or 0x10000 <= o <= 0x10FFFF
    )


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _printable(ch):
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be stored
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def _plain_ok(text: str) -> bool:
    return (
        bool(_PLAIN.fullmatch(text))
        and not text.endswith(" ")
        and "  " not in text
        and text.lower() not in _RESERVED
    )


def _block_ok(text: str) -> bool:
    lines = text.split("\n")
    return (
        len(lines) > 1
        and bool(lines[0])
        and not lines[0][0].isspace()
        and not text.endswith("\n")
        and all(not line.endswith((" ", "\t")) for line in lines)
        and all(_printable(ch) or ch in "\n\t" for ch in text)
    )


def scalar(text: str, indent: int) -> str:
    """``text`` as it follows ``key:`` at ``indent`` spaces (a leading space included)."""
    if _plain_ok(text):
        return " " + text
    if _block_ok(text):
        pad = " " * (indent + 2)
        body = "\n".join(pad + line if line else "" for line in text.split("\n"))
        return " |-\n" + body
    return " " + quoted(text)


def _flow(items: Sequence[str]) -> str:
    return " [" + ", ".join(i if _plain_ok(i) and "," not in i else quoted(i) for i in items) + "]"


def _entry(key: str, value: object, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, bool):
        return [f"{pad}{key}: {'true' if value else 'false'}"]
    if isinstance(value, int):
        return [f"{pad}{key}: {value}"]
    if isinstance(value, str):
        return [f"{pad}{key}:{scalar(value, indent)}"]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return [f"{pad}{key}:{_flow([str(v) for v in value])}"]
    raise TypeError(f"cannot write {key!r} of type {type(value).__name__}")


def deck_text(deck: Mapping[str, object], header: str = "") -> str:
    """A whole deck file: top-level keys, then ``cards`` as a block list."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    cards: Sequence[Mapping[str, object]] = []
    for key, value in deck.items():
        if key == "cards":
            cards = value  # type: ignore[assignment]
            continue
        lines.extend(_entry(key, value, 0))
    lines.append("cards:" if cards else "cards: []")
    for card in cards:
        first = True
        for key, value in card.items():
            entry = _entry(key, value, 4)
            if first:
                entry[0] = "  - " + entry[0][4:]
                first = False
            lines.extend(entry)
    return "\n".join(lines) + "\n"
