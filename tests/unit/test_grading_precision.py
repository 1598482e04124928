"""The grader's precision rules, one test per defect it once had, and the
candidate's corrections of a grade."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuecards.grading import grade_answer, points_needed, suggest_rating
from cuecards.grading.lint import drill_warnings
from cuecards.grading.textnorm import is_known, norm, similarity, tokenize
from cuecards.model import Item, Point


def hit(text: str, answer: str, accept: tuple[str, ...] = ()) -> bool:
    """Whether the answer makes the single point ``text``."""
    return grade_answer([Point(text=text, accept=list(accept))], answer).points[0].hit


def hits(points: list[Point], answer: str, moves: bool = False) -> list[int]:
    """Indexes of the points credited."""
    grade = grade_answer(points, answer, moves=moves)
    return [i for i, p in enumerate(grade.points) if p.hit]


class TestGenericWords:
    """Defect 1: generic words are compared in the same normal form as the answer."""

    @pytest.mark.parametrize("word", ["gives", "giving", "gave", "cases", "times", "took", "made"])
    def test_inflected_generic_words_stay_generic(self, word: str) -> None:
        from cuecards.grading.textnorm import generic

        assert norm(word) in generic()

    def test_launch_one_thing_is_not_one_launch_surface(self) -> None:
        assert not hit("one launch surface", "Launch one thing at a time.")

    def test_any_give_is_not_what_we_give_up(self) -> None:
        assert not hit("what we give up", "Give users a good time.", accept=("give up",))
        assert hit("what we give up", "and say what we give up for it", accept=("give up",))


class TestRealWordsAreNotTypos:
    """Defect 2: a real word is never read as a typo of another word."""

    @pytest.mark.parametrize(
        "point,typed",
        [
            ("helpful", "unhelpful"),
            ("predictable", "unpredictable"),
            ("consistent", "inconsistent"),
            ("drafts", "drift"),
            ("cache", "catch"),
            ("reuse", "refuse"),
            ("experiment", "experience"),
            ("fallback", "rollback"),
            ("iteration", "integration"),
            ("compliance", "complaints"),
            ("variance", "variant"),
            ("context", "content"),
        ],
    )
    def test_no_credit_across_real_words(self, point: str, typed: str) -> None:
        assert not hit(point, f"We talk about {typed} here.")

    def test_a_typo_that_is_not_a_word_still_counts(self) -> None:
        assert not is_known("latecny")
        assert hit("latency budget", "a latecny budget")

    def test_negating_prefix_never_matches_its_base(self) -> None:
        assert similarity(norm("unhelpful"), norm("helpful")) == 0.0
        assert similarity(norm("inconsistent"), norm("consistent")) == 0.0


class TestNegationScope:
    """Defect 3: negation is read over the clause, on both sides of the match."""

    def test_negation_inside_the_match(self) -> None:
        assert not hit("risk too high", "The risk is never too high.")

    def test_rejection_after_the_match(self) -> None:
        assert not hit(
            "personalization vs consistency",
            "Personalization vs consistency, but I don't buy that.",
        )
        assert not hit("reduces risk", "It reduces risk. I disagree.")

    @pytest.mark.parametrize(
        "answer",
        [
            "Evaluation is a waste of time.",
            "Evaluation later.",
            "Evaluation: none.",
            "Evaluation after launch.",
            "Evaluation is overrated.",
        ],
    )
    def test_dismissals(self, answer: str) -> None:
        assert not hit("offline evaluation", answer.replace("Evaluation", "Offline evaluation"))

    def test_later_is_fine_for_a_point_about_order(self) -> None:
        assert hit("then architecture", "User first, architecture later.")

    def test_double_negation_on_a_negative_point(self) -> None:
        point = "say you don't know"
        accept = ("admit it", "admit you don't know")
        assert hit(point, "Admit you don't know.", accept)
        assert not hit(point, "Never admit you don't know.", accept)

    def test_two_negated_statements_in_one_clause(self) -> None:
        points = [Point(text="risk too high"), Point(text="labels too noisy")]
        assert hits(points, "The risk is never too high and the labels are not noisy.") == []

    def test_a_later_clause_is_not_negated(self) -> None:
        assert hit("human review", "Don't bother with offline tests; do human review.")

    def test_a_limit_is_not_a_denial(self) -> None:
        assert hit("latency budget", "a latency budget of no more than two seconds")
        assert hit("latency budget", "no more than two seconds: that is the latency budget")

    def test_two_negations_cancel(self) -> None:
        assert hit("offline evaluation", "I wouldn't ship without offline evaluation.")

    def test_not_only_keeps_the_assertion(self) -> None:
        assert hit("cost", "not only cost but latency")


class TestPairsAndMappings:
    """Defect 4: both sides in relation, one clause, one stretch per point."""

    def test_a_list_does_not_make_a_pair(self) -> None:
        assert not hit("latency vs quality", "The constraints are latency, cost, and quality.")
        assert not hit("latency vs quality", "latency matters. quality matters.")

    @pytest.mark.parametrize(
        "answer",
        [
            "latency vs quality",
            "quality versus latency",
            "latency/quality",
            "latency - quality",
            "trading latency for quality",
        ],
    )
    def test_pairs_in_relation(self, answer: str) -> None:
        assert hit("latency vs quality", answer)

    def test_swapped_mapping_scores_nothing(self) -> None:
        points = [
            Point(text="scale -> cost and latency"),
            Point(text="safety -> policy and escalation"),
        ]
        assert (
            hits(points, "Scale goes to policy and escalation; safety to cost and latency.") == []
        )
        assert hits(points, "Scale goes back to cost and latency.") == [0]

    def test_a_keyword_salad_makes_no_pair_or_mapping(self) -> None:
        points = [Point(text="scale -> cost and latency"), Point(text="latency vs quality")]
        salad = "scale cost latency quality safety escalation policy iteration"
        assert hits(points, salad) == []
        shuffled = "of scale cost per latency quality safety the escalation policy iteration rigor"
        assert hits(points, shuffled) == []

    def test_mapping_target_alone_scores_nothing(self) -> None:
        assert not hit("scale -> cost and latency", "cost and latency")

    def test_a_point_moves_aside_for_one_with_no_other_stretch(self) -> None:
        points = [
            Point(text="cheaper model", accept=["routing"]),
            Point(text="smaller model", accept=["cheaper model"]),
        ]
        grade = grade_answer(points, "a cheaper model, through routing")
        assert [p.match for p in grade.points] == ["routing", "cheaper model"]

    def test_one_stretch_credits_one_point(self) -> None:
        points = [Point(text="cost vs coverage"), Point(text="inference cost")]
        assert hits(points, "cost vs coverage") == [0]


class TestAbbreviations:
    """Defect 5: digits and what candidates type."""

    @pytest.mark.parametrize(
        "point,typed",
        [
            ("one user segment", "1 user segment"),
            ("personalization vs consistency", "p13n vs consistency"),
            ("data privacy", "PII privacy"),
            ("human in the loop", "HITL"),
            ("offline evaluation", "offline evals"),
            ("experiment design", "A/B experiment design"),
            ("model quality variance", "LLM quality variance"),
            ("partner with engineering", "partner with eng"),
            ("developers", "devs"),
            ("production traffic", "prod traffic"),
            ("minimal architecture", "minimal arch"),
            ("inference cost", "inference COGS"),
            ("user satisfaction", "user NPS"),
            ("clear permissions", "clear perms"),
        ],
    )
    def test_read_as_the_word(self, point: str, typed: str) -> None:
        assert hit(point, typed)

    def test_abbreviation_offsets_point_at_what_was_typed(self) -> None:
        text = "use HITL"
        tok = [t for t in tokenize(text) if t.raw == "human"][0]
        assert text[tok.start : tok.end] == "HITL"


class TestLint:
    """Defect 6: lint names one-generic-word accept phrases and model answers
    that miss their own points."""

    def _drill(self, points: list[Point], answer: str) -> Item:
        return Item(
            uid="d/x",
            deck_id="d",
            card_id="x",
            note_uid="d/x",
            kind="drill",
            variant="",
            prompt="?",
            answer=answer,
            points=tuple(points),
        )

    def test_generic_accept_phrase_warns(self) -> None:
        item = self._drill([Point(text="name the user", accept=["the user"])], "Name the user.")
        assert any("one generic word" in w.message for w in drill_warnings(item))

    def test_model_answer_missing_a_point_warns(self) -> None:
        item = self._drill([Point(text="latency"), Point(text="cost")], "Latency.")
        messages = [w.message for w in drill_warnings(item)]
        assert messages == ["point 2 ('cost'): the model answer does not earn it"]

    def test_clean_drill_has_no_warnings(self) -> None:
        item = self._drill([Point(text="latency"), Point(text="cost")], "Latency and cost.")
        assert drill_warnings(item) == []


class TestCases:
    """Case drills: moves with content, never headings, bare keywords or salads."""

    POINTS = [
        Point(text="specific user", accept=["knowledge workers who draft emails"]),
        Point(text="success metric", accept=["share of drafts sent", "acceptance rate"]),
    ]

    def test_statements_earn_the_moves(self) -> None:
        answer = (
            "User: knowledge workers who draft emails. Success: share of drafts sent, few edits."
        )
        assert hits(self.POINTS, answer, moves=True) == [0, 1]

    def test_headings_earn_nothing(self) -> None:
        assert hits(self.POINTS, "Specific user / success metric", moves=True) == []
        assert hits(self.POINTS, "User.\nAcceptance rate.", moves=True) == []
        assert hits(self.POINTS, "User: TBD. Metric: acceptance rate.", moves=True) == [1]

    def test_a_salad_earns_nothing(self) -> None:
        salad = "metric user knowledge workers draft emails share drafts sent acceptance rate scope"
        assert hits(self.POINTS, salad, moves=True) == []


class TestCorrections:
    """The candidate toggles a point; the suggestion and the stored grade follow."""

    def test_toggle_flips_the_point_and_the_rating(self) -> None:
        points = [Point(text="latency"), Point(text="cost")]
        grade = grade_answer(points, "latency", needed=0)
        assert grade.suggested == 1  # 1 of 2 < 60 % of 2 rounded up
        fixed = grade.toggled(1)
        assert [p.hit for p in fixed.points] == [True, True]
        assert fixed.suggested == 3 and fixed.hits == 2
        stored = fixed.to_dict("d/x")
        assert stored["hits"] == 2 and stored["points"][1]["claimed"] is True
        assert "claimed" not in stored["points"][0]
        back = fixed.toggled(1)
        assert back.suggested == 1 and not back.points[1].claimed

    def test_toggling_a_made_point_off(self) -> None:
        grade = grade_answer([Point(text="latency")], "latency")
        assert grade.toggled(0).suggested == 1


class TestPassRule:
    """One copy of the pass rule."""

    def test_pass_rule(self) -> None:
        assert points_needed(0, 5) == 3
        assert points_needed(4, 5) == 4
        assert points_needed(0, 1) == 1
        assert suggest_rating(3, 5, 0, None, None) == 2
        assert suggest_rating(2, 5, 0, None, None) == 1

    def test_the_view_uses_the_grading_rule(self) -> None:
        from cuecards.grading import rules
        from cuecards.ui.widgets import grade_view

        assert grade_view.points_needed is rules.points_needed


class TestDeckSynonyms:
    """A deck's ``synonyms:`` groups are read as one word by its drills."""

    def test_deck_synonyms_reach_the_grader(self, tmp_path: Path) -> None:
        from cuecards.grading import grade_item
        from cuecards.loader import load_deck

        deck = tmp_path / "d.yaml"
        deck.write_text(
            "title: T\n"
            "synonyms: [[rubric, scorecard]]\n"
            "cards:\n"
            "  - id: x\n"
            "    kind: drill\n"
            "    prompt: How?\n"
            "    points: [quality rubric]\n"
            "    answer: A quality rubric.\n",
            encoding="utf-8",
        )
        item = load_deck(deck, root=tmp_path).items[0]
        assert item.synonyms == (("rubric", "scorecard"),)
        assert grade_item(item, "a quality scorecard").points[0].hit
        plain = grade_answer(item.points, "a quality scorecard")
        assert not plain.points[0].hit


class TestClaimedReport:
    """Points candidates claimed against the grader, with their words."""

    def test_report_lists_claimed_points_with_phrases(self) -> None:
        from cuecards.grading.report import claimed_misses

        points = [Point(text="latency budget"), Point(text="human escalation")]
        rows = []
        for answer in (
            "latency budget, and a person takes the hard cases",
            "latency budget; hard cases go to a person",
        ):
            grade = grade_answer(points, answer).toggled(1)
            rows.append((answer, grade.to_dict("d/x")))
        rows.append(("latency budget", grade_answer(points, "latency budget").to_dict("d/x")))
        report = claimed_misses(rows)
        assert [(c.card, c.point, c.times) for c in report] == [("d/x", "human escalation", 2)]
        assert len(report[0].phrases) == 2
        assert all("person" in p for p in report[0].phrases)


class TestShippedCases:
    """On every shipped case drill: an outline of the moves, a shuffled salad of
    the accept phrases' words, and another case's model answer all suggest Again."""

    @staticmethod
    def _cases() -> list[Item]:
        from cuecards.loader import load_deck

        decks = Path(__file__).resolve().parents[2] / "decks"
        items = load_deck(decks / "pm" / "cases.yaml", root=decks).items
        return [i for i in items if i.kind == "drill"]

    def test_outlines_and_salads_suggest_again(self) -> None:
        import random

        from cuecards.grading import grade_item

        for item in self._cases():
            outline = "\n".join(p.text.split(":")[0] for p in item.points)
            assert grade_item(item, outline).suggested == 1, item.card_id
            words = [w for p in item.points for a in (p.text, *p.accept) for w in a.split()]
            for seed in range(3):
                random.Random(seed).shuffle(words)
                for salad in (" ".join(words), ", ".join(words)):
                    assert grade_item(item, salad).suggested == 1, (item.card_id, seed)

    def test_one_cases_model_answer_does_not_pass_another(self) -> None:
        from cuecards.grading import grade_item

        cases = self._cases()
        for a in cases:
            for b in cases:
                grade = grade_item(b, a.answer)
                assert grade.suggested == (3 if a is b else 1), (a.card_id, b.card_id)
