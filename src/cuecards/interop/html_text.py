"""Anki's field HTML as plain text.

Line breaks and block elements become new lines, list items become ``- ``
lines, entities are decoded, and everything else (bold, colours, spans) keeps
only its text: deck files are plain text. Images, sounds and other media are
dropped and counted, so the import report can say how many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SOUND = re.compile(r"\[sound:[^\]]*\]")
_BLOCKS = {"div", "p", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
_MEDIA = {"img", "audio", "video", "object", "embed", "source"}
_SKIP = {"script", "style"}


@dataclass(frozen=True)
class PlainText:
    """A field as text, and how many media references it lost."""

    text: str
    media: int = 0


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media = 0
        self._skip = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in _SKIP:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self._newline()
            self.parts.append("- ")
        elif tag in _BLOCKS or tag in ("ul", "ol"):
            self._newline()
        elif tag in _MEDIA:
            self.media += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS or tag in ("li", "ul", "ol"):
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> PlainText:
    """``html`` as plain text (see the module docstring)."""
    sounds = len(_SOUND.findall(html))
    parser = _Text()
    parser.feed(_SOUND.sub("", html))
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return PlainText(out, parser.media + sounds)
