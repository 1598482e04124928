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

from typing import Any, Literal

import yaml

from cuecards.yamlerrors import MAX_DEPTH, YamlProblem, line_col, show, syntax_message

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Node",
    "YamlFailure",
    "YamlProblem",
    "decode",
    "parse",
    "show",
]

# The C parser is ~10x faster; the pure-Python one behaves the same for us.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024

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


class YamlFailure(Exception):
    """The YAML could not be turned into plain values; ``problems`` says why."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__(problems[0].message if problems else "bad YAML")
        self.problems = problems


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


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
        line, col = line_col(good, len(good))
        bad = data[e.start : e.start + 1].hex()
        raise YamlFailure(
            [
                YamlProblem(
                    line, col, f"the file is not UTF-8 text (byte 0x{bad} here); save it as UTF-8"
                )
            ]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _yaml_error(e: yaml.YAMLError, text: str) -> YamlProblem:
    """A syntax error from the parser as one problem with a position."""
    if isinstance(e, yaml.reader.ReaderError):
        index = e.position
        if _Loader is not yaml.SafeLoader:
            # The C parser counts this position in UTF-8 bytes, the Python one in characters.
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        line, col = line_col(text, index)
        reason = str(e.reason)
        control = "control" in reason or "special" in reason
        what = "control characters are not allowed" if control else reason
        return YamlProblem(line, col, f"YAML: {what} (character {e.character:#x})")
    if isinstance(e, yaml.MarkedYAMLError):
        return syntax_message(
            e.problem or "", e.context or "", e.problem_mark, e.context_mark, text
        )
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
