"""The deck loader: safe YAML, every rule of deck format v1, and plain
messages pointing at the line and column at fault."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cuecards.decklint import lint_paths
from cuecards.errors import DeckError
from cuecards.loader import (
    LoadedDeck,
    deck_id_for,
    find_deck_files,
    load_bytes,
    load_deck,
)
from cuecards.model import RecallCard
from cuecards.views import Problem

GOOD = """\
title: Trade-offs
tags: [t]
cards:
  - id: a
    front: Q?
    back: A.
    reverse: true
  - id: b
    kind: drill
    prompt: Name two
    points: [x, {text: y, accept: [z]}]
    answer: x and y
    pass: 1
  - id: c
    kind: cloze
    text: At {{scale}}, design is {{strategy}}.
"""


def load(text: str | bytes) -> LoadedDeck:
    data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
    return load_bytes(data, Path("deck.yaml"), "deck")


def problems_of(text: str | bytes) -> list[Problem]:
    with pytest.raises(DeckError) as info:
        load(text)
    assert info.value.problems, "a DeckError must list its problems"
    return info.value.problems


def only_error(text: str | bytes) -> Problem:
    errors = [p for p in problems_of(text) if p.severity == "error"]
    assert len(errors) == 1, errors
    return errors[0]


class TestGoodDecks:
    def test_items_ids_and_lines(self) -> None:
        deck = load(GOOD)
        assert [(i.uid, i.line) for i in deck.items] == [
            ("deck/a", 4),
            ("deck/a#reverse", 4),
            ("deck/b", 8),
            ("deck/c#c1", 14),
            ("deck/c#c2", 14),
        ]
        assert deck.warnings == []
        assert deck.deck.title == "Trade-offs"
        assert deck.items[2].needed == 1

    def test_bom_and_crlf_are_fine(self) -> None:
        data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8")
        deck = load(data)
        assert [i.line for i in deck.items][:3] == [4, 4, 8]
        first = deck.deck.cards[0]
        assert isinstance(first, RecallCard) and first.back == "A."

    def test_digest_is_sha256_of_bytes(self) -> None:
        import hashlib

        assert load(GOOD).digest == hashlib.sha256(GOOD.encode()).hexdigest()

    def test_standard_tags_are_allowed(self) -> None:
        deck = load("title: !!str 2024\ncards:\n  - {id: a, front: !!str 12, back: b}\n")
        assert deck.deck.title == "2024"
        first = deck.deck.cards[0]
        assert isinstance(first, RecallCard) and first.front == "12"

    def test_load_deck_uses_path_relative_to_root(self, tmp_path: Path) -> None:
        (tmp_path / "pm").mkdir()
        f = tmp_path / "pm" / "trade-offs.yaml"
        f.write_text(GOOD, encoding="utf-8")
        assert load_deck(f, tmp_path).deck_id == "pm/trade-offs"
        assert load_deck(f).deck_id == "trade-offs"
        assert deck_id_for(f, tmp_path) == "pm/trade-offs"


class TestYamlRules:
    def test_duplicate_key_points_at_second(self) -> None:
        p = only_error("title: T\ncards:\n  - front: a\n    back: b\n    front: c\n")
        assert (p.line, p.col) == (5, 5)
        assert "duplicate key 'front'" in p.message and "line 3" in p.message

    def test_several_documents(self) -> None:
        p = only_error("title: T\ncards: []\n---\ntitle: U\n")
        assert p.line == 3 and "second YAML document" in p.message

    @pytest.mark.parametrize("text", ["", "# only a comment\n\n# another\n", "\n\n"])
    def test_empty_file(self, text: str) -> None:
        assert "empty" in only_error(text).message

    def test_non_utf8_gives_position_of_first_bad_byte(self) -> None:
        data = b"title: T\ncards:\n  - front: caf\xe9\n"
        p = only_error(data)
        assert (p.line, p.col) == (3, 15)
        assert "UTF-8" in p.message and "0xe9" in p.message

    def test_utf16_is_refused(self) -> None:
        assert "UTF-16" in only_error("title: T\n".encode("utf-16")).message

    @pytest.mark.parametrize(
        "tag",
        ["!!python/object:os.system", "!!python/name:os.system", "!custom", "!!binary", "!!set"],
    )
    def test_object_tags_are_refused(self, tag: str) -> None:
        p = only_error(f"title: T\ncards:\n  - front: {tag} x\n    back: b\n")
        assert (p.line, p.col) == (3, 12)
        assert "not allowed" in p.message

    def test_tag_on_a_mapping_is_refused(self) -> None:
        p = only_error("title: T\ncards:\n  - !!python/object:x {front: a, back: b}\n")
        assert p.line == 3 and "not allowed" in p.message

    def test_alias_bomb_is_refused(self) -> None:
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, 30):
            prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
            lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
        p = only_error("\n".join(lines) + "\n")
        assert p.line == 2 and "aliases" in p.message

    def test_deep_nesting_is_refused(self) -> None:
        p = only_error("title: T\ncards: " + "[" * 10000 + "]" * 10000 + "\n")
        assert p.line == 2 and "nested" in p.message

    def test_deep_block_nesting_is_refused(self) -> None:
        text = "".join(" " * i + f"k{i}:\n" for i in range(100))
        assert "nested" in only_error(text).message

    def test_huge_file_is_refused(self, tmp_path: Path) -> None:
        f = tmp_path / "big.yaml"
        f.write_bytes(b"title: T\ncards: []\n" + b"# padding\n" * 200_000)
        with pytest.raises(DeckError) as info:
            load_deck(f)
        assert "1 MiB" in info.value.problems[0].message

    @pytest.mark.parametrize(
        "text, word",
        [
            ("- a\n- b\n", "a list"),
            ("just text\n", "text"),
            ("---\n", "nothing"),
            ("42\n", "number"),
        ],
    )
    def test_top_level_must_be_a_mapping(self, text: str, word: str) -> None:
        p = only_error(text)
        assert "a deck is a mapping" in p.message and word in p.message

    def test_syntax_error_has_position(self) -> None:
        p = only_error("title: T\ncards:\n  - front: [a, b\n    back: c\n")
        assert (p.line, p.col) == (4, 9)
        assert p.message.startswith("expected ',' or ']' in the [list] from line 3")

    def test_control_character_has_position(self) -> None:
        p = only_error("title: T\ncards:\n  - front: é\x07\n")
        assert (p.line, p.col) == (3, 13)

    def test_complex_key_is_refused(self) -> None:
        assert "key must be plain text" in only_error("? [a, b]\n: c\n").message

    def test_huge_integer_literal_is_a_message(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - {kind: drill, prompt: p, points: [a], answer: a, "
            "time_limit: " + "9" * 5000 + "}\n"
        )
        assert p.line == 3


# Broken decks, where the error is put, and words of its plain message.
SYNTAX_CASES = [
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: Why: because\n    back: A\n",
        (4, 15),
        "a ':' here starts a mapping inside a value",
        id="colon-in-value",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: Q\n      back: A\n",
        (5, 11),
        "a ':' here starts a mapping inside a value",
        id="key-over-indented",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: Q\n - id: b\n",
        (5, 2),
        "expected a key at this indentation",
        id="item-misaligned",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: Q\n   back: A\n",
        (5, 4),
        "expected a '- ' item at this indentation",
        id="key-under-indented",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n\tfront: Q\n",
        (4, 1),
        "a tab is used for indentation: use spaces",
        id="tab-indent",
    ),
    pytest.param(
        "title: T\ncards:\n  -\tid: a\n    front: Q\n",
        (3, 4),
        "a tab is used for indentation: use spaces",
        id="tab-after-dash",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: |\n\tQ\n",
        (5, 1),
        "a tab is used for indentation: use spaces",
        id="tab-in-block",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front Q\n    back: A\n",
        (4, 5),
        "this line has no ':' after its key",
        id="missing-colon",
    ),
    pytest.param(
        'title: T\ncards:\n  - id: a\n    front: "Q\n    back: A\n',
        (4, 12),
        "this quoted text is never closed",
        id="unclosed-quote",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: 'it's'\n    back: A\n",
        (4, 16),
        "text goes on after the closing quote",
        id="apostrophe",
    ),
    pytest.param(
        "title: T\ncards:\n  - {id: a, front: Q: x, back: A}\n",
        (3, 21),
        "expected ',' or '}' in the {...} from line 3",
        id="flow-map-colon",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: @home\n",
        (4, 12),
        "'@' cannot start a value: put the text in quotes",
        id="at-sign",
    ),
    pytest.param(
        'title: T\ncards:\n  - {id: a, front: "C:\\dir", back: A}\n',
        (3, 23),
        "unknown escape '\\d'",
        id="bad-escape",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: *bold* text\n",
        (4, 12),
        "'&' and '*' start anchors and aliases",
        id="star",
    ),
    pytest.param(
        "title: T\ncards:\n  - id: a\n    front: |x\n      Q\n",
        (4, 13),
        "after '|' or '>' the text starts on the next line",
        id="block-header",
    ),
    pytest.param(
        "  title: T\ncards: []\n",
        (2, 1),
        "outside the deck's top-level mapping",
        id="first-line-indented",
    ),
]


class TestSyntaxMessages:
    """PyYAML's wording is turned into plain messages, the same with either parser."""

    @pytest.fixture(params=["c", "python"])
    def parser(self, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
        import yaml

        from cuecards import yamlsafe

        if request.param == "python":
            monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
        elif not hasattr(yaml, "CSafeLoader"):
            pytest.skip("no C parser")
        return str(request.param)

    @pytest.mark.parametrize("text, where, words", SYNTAX_CASES)
    def test_plain_message_at_the_place(
        self, parser: str, text: str, where: tuple[int, int], words: str
    ) -> None:
        p = only_error(text)
        assert (p.line, p.col) == where, p.message
        assert words in p.message
        assert "while " not in p.message and "<" not in p.message and "YAML:" not in p.message

    def test_unknown_wording_is_kept_without_the_aside(self, parser: str) -> None:
        p = only_error("%YAML 1.1\n%YAML 1.1\n---\ntitle: T\n")
        assert p.message.startswith("YAML: found duplicate") and "while " not in p.message


class TestValidation:
    def test_unknown_key_with_did_you_mean(self) -> None:
        p = only_error("title: T\ncards:\n  - id: a\n    frnt: Q\n    back: A\n")
        assert (p.line, p.col) == (4, 5)
        assert p.message == "card 'a' has unknown key 'frnt': did you mean 'front'?"

    def test_card_without_id_is_named_by_its_number(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - {id: a, front: Q, back: A}\n  - front: R\n    bakc: B\n"
        )
        assert (p.line, p.col) == (5, 5)
        assert p.message == "card 2 has unknown key 'bakc': did you mean 'back'?"

    def test_unknown_key_lists_what_the_kind_allows(self) -> None:
        p = only_error("title: T\ncards:\n  - {id: a, front: Q, back: A, zzz: 1}\n")
        assert p.message.startswith("card 'a' has unknown key 'zzz' (recall cards allow: ")

    def test_unknown_deck_key(self) -> None:
        p = only_error("title: T\ntagz: [a]\ncards: []\n")
        assert (p.line, p.col) == (2, 1) and "did you mean 'tags'?" in p.message

    def test_unknown_point_key(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - id: a\n    kind: drill\n    prompt: p\n"
            "    points:\n      - text: x\n        acept: [y]\n    answer: a\n"
        )
        assert (p.line, p.col) == (8, 9) and "did you mean 'accept'?" in p.message

    def test_key_of_another_kind_suggests_kind(self) -> None:
        errors = problems_of("title: T\ncards:\n  - id: a\n    prompt: p\n    back: b\n")
        assert (
            "card 'a' has unknown key 'prompt': it belongs to drill cards, add `kind: drill`"
            in [p.message for p in errors]
        )

    def test_missing_field_points_at_the_card(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - id: a\n    front: Q\n    back: A\n"
            "  - id: b\n    front: Q\n    back: B\n  - id: c\n    back: A\n"
        )
        assert p.message == "card 'c' (kind recall) is missing 'front'"
        assert (p.line, p.col) == (9, 5)

    def test_missing_title(self) -> None:
        p = only_error("cards: []\n")
        assert p.message == "the deck is missing 'title'" and p.line == 1

    def test_bad_kind_points_at_kind(self) -> None:
        p = only_error("title: T\ncards:\n  - id: a\n    kind: flash\n    front: Q\n")
        assert (p.line, p.col) == (4, 11)
        assert "unknown kind 'flash'" in p.message

    def test_bad_value_points_at_value(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - id: a\n    front: Q\n    back: A\n    reverse: maybe\n"
        )
        assert (p.line, p.col) == (6, 14) and "true or false" in p.message

    def test_number_where_text_is_expected_suggests_quotes(self) -> None:
        p = only_error("title: T\ncards:\n  - {id: a, front: 42, back: A}\n")
        assert "should be text" in p.message and "quotes" in p.message

    def test_empty_value(self) -> None:
        p = only_error("title: T\ncards:\n  - id: a\n    front: Q\n    back:\n")
        assert p.message == "'back' is empty" and p.line == 5

    def test_cloze_without_gap(self) -> None:
        p = only_error("title: T\ncards:\n  - id: a\n    kind: cloze\n    text: no gap here\n")
        assert (p.line, p.col) == (5, 11) and "{{gap}}" in p.message

    def test_pass_more_than_points_points_at_pass(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - id: a\n    kind: drill\n    prompt: p\n"
            "    points: [x, y]\n    answer: a\n    pass: 3\n"
        )
        assert (p.line, p.col) == (8, 11)
        assert p.message == "pass is 3 but the card has 2 points"

    def test_bad_point_item(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - id: a\n    kind: drill\n    prompt: p\n"
            "    points: [x, 3]\n    answer: a\n"
        )
        assert (p.line, p.col) == (6, 17) and "point 2 of card 'a' should be text" in p.message

    def test_every_problem_is_listed(self) -> None:
        errors = problems_of(
            "title: ''\ncards:\n  - {id: a, frnt: Q, back: A}\n"
            "  - {id: b, kind: cloze, text: none}\n"
        )
        assert [p.line for p in errors] == [1, 3, 4]
        assert all("pydantic" not in p.message and "http" not in p.message for p in errors)


class TestIds:
    def test_duplicate_ids_error_at_second(self) -> None:
        p = only_error(
            "title: T\ncards:\n  - {id: a, front: Q, back: A}\n"
            "  - id: a\n    front: R\n    back: B\n"
        )
        assert (p.line, p.col) == (4, 9)
        assert p.message == "duplicate card id 'a' (first at line 3)"

    def test_card_without_id_is_a_warning(self) -> None:
        deck = load("title: T\ncards:\n  - front: Q\n    back: A\n")
        assert [(w.severity, w.line, w.col) for w in deck.warnings] == [("warning", 3, 5)]
        assert "Add `id:`" in deck.warnings[0].message
        assert deck.items[0].auto_id and deck.items[0].card_id.startswith("auto-")

    def test_two_idless_cards_with_same_text(self) -> None:
        p = only_error("title: T\ncards:\n  - {front: Q, back: A}\n  - {front: Q, back: A}\n")
        assert p.line == 4 and "same text" in p.message

    def test_deck_without_cards_is_a_warning(self) -> None:
        deck = load("title: T\n")
        assert [w.message for w in deck.warnings] == ["the deck has no cards"]
        assert deck.items == []


class TestFiles:
    def test_find_deck_files_sorted_and_skips_hidden(self, tmp_path: Path) -> None:
        for rel in ["b.yaml", "a/c.yml", "a/b.yaml", ".hidden/x.yaml", "a/.y.yaml", "n.txt"]:
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text("title: T\n")
        found = [p.relative_to(tmp_path).as_posix() for p in find_deck_files(tmp_path)]
        assert found == ["a/b.yaml", "a/c.yml", "b.yaml"]

    def test_lint_paths_collects_errors_and_warnings(self, tmp_path: Path) -> None:
        (tmp_path / "good.yaml").write_text(GOOD)
        (tmp_path / "warn.yaml").write_text("title: T\n")
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "bad.yaml").write_text("title: T\ncards: [1]\n")
        problems, checked = lint_paths([tmp_path])
        assert checked == 3
        assert {(Path(p.path).name, p.severity) for p in problems} == {
            ("warn.yaml", "warning"),
            ("bad.yaml", "error"),
        }
        assert all(p.path.startswith(str(tmp_path)) for p in problems)

    def test_missing_file_is_a_deck_error(self, tmp_path: Path) -> None:
        with pytest.raises(DeckError):
            load_deck(tmp_path / "nope.yaml")


class TestPurePythonParser:
    """Without the C parser the same files give the same results."""

    @pytest.fixture(autouse=True)
    def _python_parser(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import yaml

        from cuecards import yamlsafe

        monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)

    def test_good_deck(self) -> None:
        assert [i.line for i in load(GOOD).items] == [4, 4, 8, 14, 14]

    @pytest.mark.parametrize(
        "text, where, words",
        [
            (
                "title: T\ncards:\n  - front: a\n    back: b\n    front: c\n",
                (5, 5),
                "duplicate key",
            ),
            ("title: T\ncards:\n  - front: é\x07\n", (3, 13), "control characters"),
            ("a: &x [1]\nb: *x\n", (2, 4), "aliases"),
            ("title: T\ncards: " + "[" * 100 + "]" * 100 + "\n", (2, 0), "nested"),
            ("title: T\ncards:\n  - {id: a, frnt: Q, back: A}\n", (3, 13), "did you mean 'front'?"),
        ],
    )
    def test_problems(self, text: str, where: tuple[int, int], words: str) -> None:
        p = only_error(text)
        assert p.line == where[0] and (where[1] == 0 or p.col == where[1])
        assert words in p.message
