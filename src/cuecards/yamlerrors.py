"""Plain messages for YAML the parser refused, at the right line and column.

PyYAML words each syntax error its own way (and its C and Python parsers
differently); :func:`syntax_message` turns the common ones into one plain
sentence with a hint. Nothing here imports YAML: :mod:`cuecards.yamlsafe`
hands over the parser's words and marks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Protocol

MAX_DEPTH = 64


class Mark(Protocol):
    """Where the parser was: 0-based line and column."""

    line: int
    column: int


@dataclass(frozen=True)
class YamlProblem:
    """One problem found while reading the YAML itself."""

    line: int
    col: int
    message: str


def show(text: str, limit: int = 40) -> str:
    """``text`` fit for a one-line message: escaped, and cut when long."""
    shown = json.dumps(text, ensure_ascii=False)[1:-1]
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in ``text``."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


# PyYAML's wording of common syntax errors -> a plain message with a hint.
# Each row: problem pattern, context pattern (or None), message, and whether
# the position is the context mark (where the broken thing started) rather
# than where the parser gave up. Patterns cover the C and the Python parser,
# which word the same problem differently. ``{char}`` is the character at the
# position, ``{start}`` the line of the context mark; other braces are text.
_QUOTES_HINT = "put the text in quotes"
_SYNTAX: list[tuple[re.Pattern[str], re.Pattern[str] | None, str, bool]] = [
    (re.compile(p), re.compile(c) if c else None, msg, at_context)
    for p, c, msg, at_context in [
        (
            r"tab character|character '\\t'",
            None,
            "a tab is used for indentation: use spaces",
            False,
        ),
        (
            r"^mapping values are not allowed",
            None,
            f"a ':' here starts a mapping inside a value: check the indentation, or {_QUOTES_HINT}",
            False,
        ),
        (
            r"^(block )?sequence entries are not allowed",
            None,
            f"a '-' here starts a list inside a value: check the indentation, or {_QUOTES_HINT}",
            False,
        ),
        (
            r"^(did not find expected key|expected <block end>)",
            r"block mapping",
            "expected a key at this indentation: check that this line lines up with the keys "
            "above it",
            False,
        ),
        (
            r"^(did not find expected '-' indicator|expected <block end>)",
            r"block collection",
            "expected a '- ' item at this indentation: check that this line lines up with the "
            "lines above it",
            False,
        ),
        (
            r"^could not find expected ':'",
            r"simple key",
            "this line has no ':' after its key: write `key: value`",
            True,
        ),
        (
            r"end of stream|document (indicator|separator)",
            r"quoted scalar",
            "this quoted text is never closed: add the closing quote",
            True,
        ),
        (
            r"^(did not find expected|expected) ',' or '\]'",
            None,
            "expected ',' or ']' in the [list] from line {start}: close it, or put text that "
            "holds ':' in quotes",
            False,
        ),
        (
            r"^(did not find expected|expected) ',' or '\}'",
            None,
            "expected ',' or '}' in the {...} from line {start}: close it, or put text that "
            "holds ':' in quotes",
            False,
        ),
        (
            r"node content",
            None,
            f"expected a value here: remove the stray '{{char}}', or {_QUOTES_HINT}",
            False,
        ),
        (
            r"cannot start any token",
            None,
            f"'{{char}}' cannot start a value: {_QUOTES_HINT}",
            False,
        ),
        (r"^found unexpected ':'", None, f"a ':' is not allowed here: {_QUOTES_HINT}", False),
        (
            r"unknown escape character",
            None,
            "unknown escape '\\{char}' in double quotes: write '\\\\' for a backslash, "
            "or use single quotes",
            False,
        ),
        (
            r"alphabetic or numeric character",
            r"anchor|alias",
            f"'&' and '*' start anchors and aliases, which decks do not use: {_QUOTES_HINT}",
            True,
        ),
        (
            r"comment or (a )?line break|chomping or indentation|indentation indicator",
            r"block scalar",
            "after '|' or '>' the text starts on the next line: move it there",
            False,
        ),
        (r"document start", None, "{document}", False),
    ]
]


def _line_text(text: str, line: int) -> str:
    """The text of a 1-based line, without its line end; '' past the end."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _char_at(text: str, line: int, col: int) -> str:
    """The character at a 1-based position, or '' outside the line."""
    row = _line_text(text, line)
    return row[col - 1] if 0 < col <= len(row) else ""


def syntax_message(
    problem: str, context: str, pmark: Mark | None, cmark: Mark | None, text: str
) -> YamlProblem:
    """A parser or scanner error (its problem and context words and marks)
    as a plain message at the right place."""
    mark = pmark or cmark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if "nesting depth" in problem:  # the parser's own cap, met before ours in flow style
        return YamlProblem(line, col, f"values are nested more than {MAX_DEPTH} levels deep")
    if "cannot start any token" in problem and _char_at(text, line, col) == "\t":
        problem = "tab character"  # the C parser does not name the character
    for pattern, ctx_pattern, message, at_context in _SYNTAX:
        if not pattern.search(problem) or (ctx_pattern and not ctx_pattern.search(context)):
            continue
        if at_context and cmark is not None:
            line, col = cmark.line + 1, cmark.column + 1
        char = _char_at(text, line, col)
        if "escape" in problem and char != "\\" and _char_at(text, line, col - 1) == "\\":
            col -= 1  # the Python parser points past the backslash, the C parser at it
        elif "escape" in problem:
            char = _char_at(text, line, col + 1)
        start = cmark.line + 1 if cmark is not None else line
        if message == "{document}":
            message = _after_document_message(text)
        if "key at this indentation" in message:
            message = _mid_line_key_message(text, line, col) or message
        message = message.replace("{char}", show(char)).replace("{start}", str(start))
        return YamlProblem(line, col, message)
    # Unknown wording: the parser's own words, without its "while scanning ..." aside.
    return YamlProblem(line, col, f"YAML: {problem or context or 'syntax error'}")


def _after_document_message(text: str) -> str:
    """For content after the document ended: most often a first line indented
    more than the keys after it, which ends the top-level mapping early."""
    first = next(
        (ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), ""
    )
    if first[:1].isspace():
        return (
            "this line is outside the deck's top-level mapping: line its key up with the "
            "first key of the file"
        )
    return "more content after the end of the document: a deck file holds one document"


def _mid_line_key_message(text: str, line: int, col: int) -> str | None:
    """For "expected a key" in the middle of a line: text after a value, most
    often after a closing quote (``'it's'``); None when at the line's start."""
    before = _line_text(text, line)[: col - 1].rstrip()
    if not before or before.endswith("-"):
        return None
    if before.endswith(("'", '"')):
        return (
            "text goes on after the closing quote: quote the whole value, and inside "
            "'...' write a ' as ''"
        )
    return f"unexpected text after the value: check the indentation, or {_QUOTES_HINT}"
