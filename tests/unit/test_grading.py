"""Unit tests for drill grading on inline points, and for ``cuecards grade``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuecards.cli import cli
from cuecards.grading import Grade, grade_answer, grade_item
from cuecards.grading.textnorm import similarity, stem, tokenize
from cuecards.model import Item, Point

TRADE_OFFS = [
    Point(text="latency vs quality"),
    Point(text="cost vs coverage", accept=["routing"]),
    Point(text="personalization vs consistency"),
    Point(text="autonomy vs control"),
    Point(text="speed vs evaluation rigor"),
]


def hits(points: list[Point], answer: str) -> list[int]:
    """Indexes of the points the answer was credited with."""
    return [i for i, p in enumerate(grade_answer(points, answer).points) if p.hit]


def one(text: str, answer: str, accept: tuple[str, ...] = ()) -> bool:
    """Whether the answer makes the single point ``text``."""
    return grade_answer([Point(text=text, accept=list(accept))], answer).points[0].hit


class TestNormalisation:
    """Stems, folding and tokens."""

    @pytest.mark.parametrize(
        "a,b",
        [
            ("routes", "routing"),
            ("routed", "route"),
            ("policies", "policy"),
            ("personalisation", "personalized"),
            ("evaluation", "evaluating"),
            ("caches", "caching"),
            ("users", "user's"),
            ("used", "use"),
        ],
    )
    def test_word_forms_share_a_stem(self, a: str, b: str) -> None:
        assert stem(a) == stem(b)

    def test_case_accents_and_punctuation_are_ignored(self) -> None:
        assert one("cafe latency", "CAFÉ -- Latency!!")

    def test_tokens_keep_offsets_into_the_original(self) -> None:
        text = "  Latency,  vs. QUALITY"
        for tok in tokenize(text):
            assert text[tok.start : tok.end] == tok.raw

    def test_short_words_need_an_exact_match(self) -> None:
        assert similarity("cost", "most") == 0.0
        assert similarity("cost", "cots") > 0


class TestMatching:
    """What the matcher credits and what it does not."""

    def test_exact_answer_gets_every_point(self) -> None:
        answer = (
            "Latency vs quality, cost vs coverage, personalization vs consistency, "
            "autonomy vs control, speed vs evaluation rigor"
        )
        assert hits(TRADE_OFFS, answer) == [0, 1, 2, 3, 4]

    def test_typos_are_tolerated(self) -> None:
        answer = "latecny vs qualty, personalizaton vs consistancy"
        assert hits(TRADE_OFFS, answer) == [0, 2]

    def test_word_order_and_separators(self) -> None:
        for answer in (
            "quality versus latency",
            "latency/quality",
            "latency - quality",
            "quality against latency",
            "latency and quality",
        ):
            assert hits(TRADE_OFFS, answer) == [0], answer

    def test_both_parts_of_a_vs_point_are_needed(self) -> None:
        assert hits(TRADE_OFFS, "latency, cost, autonomy") == []

    def test_accept_phrase_counts_as_the_point(self) -> None:
        assert hits(TRADE_OFFS, "we lower spend with routing") == [1]

    def test_negation_is_not_credited(self) -> None:
        assert not one("human escalation", "No need for human escalation here.")
        assert not one("fallbacks", "Caching, but no fallbacks.")
        assert not one("latency budget", "The latency budget doesn't matter at first.")

    def test_not_only_is_not_a_negation(self) -> None:
        assert one("latency budget", "not only the latency budget but cost too")

    def test_negative_point_needs_a_negative_answer(self) -> None:
        assert one("not shipping blindly", "we avoid shipping blindly")
        assert not one("not shipping blindly", "we ship blindly and fast")

    def test_many_does_not_make_one(self) -> None:
        assert one("one user segment", "pick one user segment", accept=("user segment",))
        assert not one("one user segment", "serve many user segments", accept=("user segment",))

    def test_generic_word_alone_does_not_credit_a_longer_point(self) -> None:
        assert not one("define the user problem", "the user")
        assert one("define the user problem", "first define the problem for the user")

    def test_unrelated_answer_gets_nothing(self) -> None:
        assert hits(TRADE_OFFS, "Buy more GPUs and hire engineers.") == []

    def test_one_region_is_not_credited_twice(self) -> None:
        points = [Point(text="cost"), Point(text="cost vs coverage")]
        assert hits(points, "cost vs coverage") == [1]
        assert hits(points, "cost vs coverage, and cost again") == [0, 1]

    def test_span_points_into_the_original_answer(self) -> None:
        answer = "Well...  QUALITY  versus latncy, I think"
        result = grade_answer(TRADE_OFFS, answer).points[0]
        assert result.hit and result.span is not None
        start, end = result.span
        assert answer[start:end] == result.match == "QUALITY  versus latncy"

    def test_missed_point_has_no_span(self) -> None:
        result = grade_answer(TRADE_OFFS, "latency").points[0]
        assert (result.hit, result.match, result.span) == (False, None, None)
        assert 0 <= result.score < 1


class TestSuggestedRating:
    """All points -> good (easy when quick); enough -> hard; fewer -> again."""

    ALL = (
        "latency vs quality, cost vs coverage, personalization vs consistency, "
        "autonomy vs control, speed vs evaluation rigor"
    )

    def test_all_points_without_time_is_good(self) -> None:
        assert grade_answer(TRADE_OFFS, self.ALL).suggested_name == "good"

    def test_all_points_quickly_is_easy(self) -> None:
        assert grade_answer(TRADE_OFFS, self.ALL, elapsed_s=30).suggested_name == "easy"
        assert grade_answer(TRADE_OFFS, self.ALL, elapsed_s=30, time_limit=90).suggested == 4
        assert grade_answer(TRADE_OFFS, self.ALL, elapsed_s=50, time_limit=90).suggested == 3
        assert grade_answer(TRADE_OFFS, self.ALL, elapsed_s=500).suggested == 3

    def test_pass_makes_hard_and_fewer_again(self) -> None:
        three = "latency vs quality, cost vs coverage, autonomy vs control"
        assert grade_answer(TRADE_OFFS, three).suggested_name == "hard"  # 60 % of 5 is 3
        assert grade_answer(TRADE_OFFS, three, needed=4).suggested_name == "again"
        assert grade_answer(TRADE_OFFS, "latency vs quality", needed=1).suggested_name == "hard"

    def test_empty_answer_is_again_with_all_missed(self) -> None:
        grade = grade_answer(TRADE_OFFS, "   \n")
        assert grade.suggested_name == "again" and grade.hits == 0 and grade.total == 5
        assert not any(p.hit for p in grade.points)

    def test_grade_item_uses_pass_and_time_limit(self) -> None:
        item = Item(
            uid="d/c",
            deck_id="d",
            card_id="c",
            note_uid="d/c",
            kind="drill",
            variant="",
            prompt="?",
            answer="!",
            points=tuple(TRADE_OFFS),
            needed=2,
            time_limit=100,
        )
        assert grade_item(item, "latency vs quality, cost vs coverage").suggested_name == "hard"
        assert grade_item(item, self.ALL, elapsed_s=40).suggested_name == "easy"
        assert grade_item(item, self.ALL, elapsed_s=60).suggested_name == "good"


def test_to_dict_shape() -> None:
    grade: Grade = grade_answer(TRADE_OFFS[:2], "routing")
    data = grade.to_dict("five-trade-offs")
    assert list(data) == ["card", "points", "hits", "total", "suggested_rating"]
    assert data["card"] == "five-trade-offs" and data["hits"] == 1 and data["total"] == 2
    assert [list(p) for p in data["points"]] == [["text", "hit", "match", "score"]] * 2
    assert data["points"][1] == {
        "text": "cost vs coverage",
        "hit": True,
        "match": "routing",
        "score": 1.0,
    }
    assert data["suggested_rating"] == "again"
    json.dumps(data)


DECK = """\
title: Test deck
cards:
  - id: trade
    kind: drill
    prompt: Name two trade-offs.
    points: [latency vs quality, cost vs coverage]
    answer: Latency vs quality; cost vs coverage.
  - id: plain
    front: A question
    back: An answer
"""


class TestGradeCommand:
    """``cuecards grade FILE CARD_ID``."""

    @pytest.fixture()
    def deck(self, tmp_path: Path) -> Path:
        path = tmp_path / "deck.yaml"
        path.write_text(DECK, encoding="utf-8")
        return path

    def test_prints_json(self, deck: Path) -> None:
        result = CliRunner().invoke(
            cli, ["grade", str(deck), "trade"], input="quality versus latency\n"
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["card"] == "trade" and data["hits"] == 1 and data["total"] == 2
        assert data["points"][0]["match"] == "quality versus latency"

    def test_full_uid_and_elapsed(self, deck: Path) -> None:
        for uid in ("deck/trade", "pm/deck/trade"):
            result = CliRunner().invoke(
                cli,
                ["grade", str(deck), uid, "--elapsed", "5"],
                input="latency vs quality; cost vs coverage",
            )
            assert result.exit_code == 0, result.output
            assert json.loads(result.output)["suggested_rating"] == "easy"

    @pytest.mark.parametrize(
        "card,words",
        [
            ("nope", "no card 'nope'"),
            ("plain", "not a drill"),
        ],
    )
    def test_unknown_or_not_a_drill_is_an_error(self, deck: Path, card: str, words: str) -> None:
        result = CliRunner().invoke(cli, ["grade", str(deck), card], input="x")
        assert result.exit_code != 0
        assert words in str(result.exception)

    def test_bad_file_exits_1_with_one_message(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from cuecards.cli import main

        bad = tmp_path / "bad.yaml"
        bad.write_text("title: [unclosed\n", encoding="utf-8")
        for path in (bad, tmp_path / "missing.yaml"):
            with pytest.raises(SystemExit) as exit_info:
                main(["grade", str(path), "trade"])
            assert exit_info.value.code == 1
            err = capsys.readouterr().err
            assert err.startswith("cuecards: ") and "Traceback" not in err
