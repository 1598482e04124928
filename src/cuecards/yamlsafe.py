"""Safe YAML reading for deck files: plain values plus where each one was.

A deck file is parsed event by event (the C parser when present) and turned
into plain Python values (``dict``, ``list``, ``str``, ``int``, ``float``,
``bool``, ``None``) by this module, never by a YAML constructor. Building the
values here is what lets every key and value keep its line and column, and
what keeps hostile files cheap: aliases are refused outright (no alias bombs),
nesting is capped, and tags that would build objects are errors.

Positions are 1-based, as editors show them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import yaml

# The C parser is ~10x faster; the pure-Python one behaves the same for us.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

_STD = "tag:yaml.org,2002:"
_ScalarEvent = yaml.ScalarEvent
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
# Implicitly resolved tags that mean nothing in a deck are read as text.
_TEXT_TAGS = {f"{_STD}{t}" for t in ("str", "timestamp", "merge", "value", "yaml")}


class Node:
    """Where one value sits in the file, and where its children sit.

    Attributes:
        line: 1-based line of the value's first character.
        col: 1-based column of the value's first character.
        kind: ``map``, ``seq`` or ``scalar``.
        plain: True for an unquoted scalar; lets messages suggest quoting.
        key_pos: for a map, key -> position of the key itself.
        children: for a map, key -> value node; for a seq, index -> item node.
    """

    # A plain class with slots: a 1 MiB file can hold a few hundred thousand of these.
    __slots__ = ("line", "col", "kind", "plain", "key_pos", "children")

    def __init__(
        self, line: int, col: int, kind: Literal["map", "seq", "scalar"], plain: bool = False
    ) -> None:
        self.line = line
        self.col = col
        self.kind = kind
        self.plain = plain
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.children: dict[Any, Node] = _EMPTY if kind == "scalar" else {}

    def __repr__(self) -> str:
        return f"Node({self.line}, {self.col}, {self.kind!r})"


_EMPTY: dict[Any, Node] = {}


@dataclass(frozen=True)
class YamlProblem:
    """One problem found while reading the YAML itself."""

    line: int
    col: int
    message: str


class YamlFailure(Exception):
    """The YAML could not be turned into plain values; ``problems`` says why."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].message if problems else "bad YAML")
        self.problems = problems


def show(text: str, limit: int = 40) -> str:
    """``text`` fit for a one-line message: escaped, and cut when long."""
    shown = json.dumps(text, ensure_ascii=False)[1:-1]
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in ``text``."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def decode(data: bytes) -> str:
    """UTF-8 text of a deck file (a leading BOM dropped), or :class:`YamlFailure`."""
    if len(data) > MAX_BYTES:
        raise YamlFailure(
            [
                YamlProblem(
                    1,
                    1,
                    f"the file is {len(data):,} bytes; a deck file "
                    f"may be at most {MAX_BYTES:,} bytes (1 MiB)",
                )
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlFailure([YamlProblem(1, 1, "the file is UTF-16; save it as UTF-8")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        good = data[: e.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        bad = data[e.start : e.start + 1].hex()
        raise YamlFailure(
            [
                YamlProblem(
                    line, col, f"the file is not UTF-8 text (byte 0x{bad} here); save it as UTF-8"
                )
            ]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


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


def _syntax_message(e: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A parser or scanner error as a plain message at the right place."""
    pmark, cmark = e.problem_mark, e.context_mark
    problem, context = e.problem or "", e.context or ""
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


def _yaml_error(e: yaml.YAMLError, text: str) -> YamlProblem:
    """A syntax error from the parser as one problem with a position."""
    if isinstance(e, yaml.reader.ReaderError):
        index = e.position
        if _Loader is not yaml.SafeLoader:
            # The C parser counts this position in UTF-8 bytes, the Python one in characters.
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        line, col = _line_col(text, index)
        reason = str(e.reason)
        control = "control" in reason or "special" in reason
        what = "control characters are not allowed" if control else reason
        return YamlProblem(line, col, f"YAML: {what} (character {e.character:#x})")
    if isinstance(e, yaml.MarkedYAMLError):
        return _syntax_message(e, text)
    return YamlProblem(1, 1, f"YAML: {e}")


class _Builder:
    """Turns parser events into plain values and a :class:`Node` tree."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.problems: list[YamlProblem] = []
        # Each frame: [container, node, pending key or None, pending key position]
        self.stack: list[list[Any]] = []

    @staticmethod
    def _pos(ev: yaml.Event) -> tuple[int, int]:
        """1-based line and column where an event starts (1, 1 when unknown)."""
        mark = ev.start_mark
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def fatal(self, mark: Any, message: str) -> YamlFailure:
        self.problems.append(YamlProblem(mark.line + 1, mark.column + 1, message))
        return YamlFailure(self.problems)

    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        tag = ev.tag
        if tag == "!":
            return ev.value
        if tag is None:
            tag = self.loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        elif tag not in _SCALAR_TAGS:
            message = f"the tag {show(_short_tag(tag))} is not allowed in decks; remove it"
            self.problems.append(YamlProblem(*self._pos(ev), message))
            return ev.value
        if tag in _TEXT_TAGS or not tag.startswith(_STD):
            return ev.value
        if tag == f"{_STD}null":
            return None
        node = yaml.ScalarNode(tag, ev.value)
        try:
            if tag == f"{_STD}bool":
                return bool(self.loader.construct_yaml_bool(node))
            if tag == f"{_STD}int":
                return self.loader.construct_yaml_int(node)
            if tag == f"{_STD}float":
                return self.loader.construct_yaml_float(node)
        except Exception:  # noqa: BLE001 - any bad literal is one plain message
            message = f"cannot read {ev.value[:40]!r} as {_short_tag(tag)}"
            self.problems.append(YamlProblem(*self._pos(ev), message))
        return ev.value

    def check_container_tag(self, ev: Any, expected: str) -> None:
        if ev.tag not in (None, "!", f"{_STD}{expected}"):
            self.problems.append(
                YamlProblem(
                    ev.start_mark.line + 1,
                    ev.start_mark.column + 1,
                    f"the tag {show(_short_tag(ev.tag))} is not allowed in decks; remove it",
                )
            )

    def attach(self, value: Any, node: Node, ev: Any) -> bool:
        """Put a finished value into the open container; True if it was the root."""
        if not self.stack:
            return True
        frame = self.stack[-1]
        container, parent = frame[0], frame[1]
        if isinstance(container, list):
            parent.children[len(container)] = node
            container.append(value)
            return False
        if frame[2] is None:  # this value is a key
            if node.kind != "scalar":
                raise self.fatal(ev.start_mark, "a key must be plain text, not a list or mapping")
            frame[2] = str(ev.value)
            frame[3] = (node.line, node.col)
            return False
        key, key_pos = frame[2], frame[3]
        frame[2] = None
        if key in container:
            first = parent.key_pos[key]
            self.problems.append(
                YamlProblem(
                    key_pos[0],
                    key_pos[1],
                    f"duplicate key '{show(key)}' (first at line {first[0]}); keep one of them",
                )
            )
            return False
        container[key] = value
        parent.key_pos[key] = key_pos
        parent.children[key] = node
        return False

    def document(self) -> tuple[Any, Node]:
        """Read events of one document's root value."""
        loader = self.loader
        while True:
            ev = loader.get_event()
            mark = ev.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if type(ev) is _ScalarEvent:
                node = Node(*pos, "scalar", plain=not ev.style)
                stack = self.stack
                if stack and stack[-1][2] is None and type(stack[-1][0]) is dict:
                    value = ev.value  # a key: its text, whatever it would resolve to
                    if ev.tag not in (None, "!"):
                        self.scalar(ev)  # reports a bad tag
                elif ev.tag is None and ev.style:
                    value = ev.value  # a quoted or block scalar is text
                else:
                    value = self.scalar(ev)
                if self.attach(value, node, ev):
                    return value, node
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(self.stack) >= MAX_DEPTH:
                    raise self.fatal(
                        ev.start_mark, f"values are nested more than {MAX_DEPTH} levels deep"
                    )
                is_map = isinstance(ev, yaml.MappingStartEvent)
                self.check_container_tag(ev, "map" if is_map else "seq")
                node = Node(*pos, "map" if is_map else "seq")
                self.stack.append([{} if is_map else [], node, None, None])
                # A key that is a container is refused in attach, at its start.
                frame = self.stack[-2] if len(self.stack) > 1 else None
                if frame is not None and isinstance(frame[0], dict) and frame[2] is None:
                    raise self.fatal(
                        ev.start_mark, "a key must be plain text, not a list or mapping"
                    )
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                container, node, _, _ = self.stack.pop()
                if self.attach(container, node, ev):
                    return container, node
            elif isinstance(ev, yaml.AliasEvent):
                raise self.fatal(
                    ev.start_mark,
                    f"anchors and aliases (*{show(ev.anchor or '')}) are not "
                    "supported in decks; write the value out",
                )
            else:  # pragma: no cover - the parser gives no other event here
                raise self.fatal(ev.start_mark, "unexpected YAML structure")


def parse(text: str) -> tuple[Any, Node]:
    """The single document in ``text`` as plain values and its :class:`Node` tree.

    Raises:
        YamlFailure: listing every problem found (syntax errors stop at the first).
    """
    try:
        loader = _Loader(text)
    except yaml.YAMLError as e:  # the Python reader checks every character up front
        raise YamlFailure([_yaml_error(e, text)]) from None
    builder = _Builder(loader)
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise YamlFailure(
                [YamlProblem(1, 1, "the file is empty; a deck needs at least a title and cards")]
            )
        loader.get_event()  # document start
        value, node = builder.document()
        loader.get_event()  # document end
        if loader.check_event(yaml.DocumentStartEvent):
            raise builder.fatal(
                loader.peek_event().start_mark,
                "a second YAML document starts here; a deck file holds one",
            )
    except yaml.YAMLError as e:
        raise YamlFailure([*builder.problems, _yaml_error(e, text)]) from None
    except RecursionError:  # pragma: no cover - depth is capped well before this
        raise YamlFailure([YamlProblem(1, 1, "values are nested too deeply")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise YamlFailure(builder.problems)
    return value, node
