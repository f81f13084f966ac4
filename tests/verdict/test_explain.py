"""The explanations' wording: one sentence that reads right, whatever record decided the verdict (no models)."""

from __future__ import annotations

from bot.knowledge.records import Record, Source
from bot.verdict import explain
from bot.verdict.decide import Judgement
from bot.verdict.report import Evidence, QuizOption, Verdict

SOURCE = Source(title="Myths", author="Holbox")
PASSAGE = Record(id="myth-4-cpus", section="myth-4", heading="Myth 4", kind="passage", text="CPUs can train models.",
                 rating="true", source=SOURCE)
NOTE = Record(id="user-notes-1", section="Notes", heading="Notes > Dropout", kind="passage",
              text="Dropout reduces overfitting.", rating="true", source=SOURCE, plain=True)


def judged(verdict: str, record: Record) -> Judgement:
    return Judgement(verdict, 0.9, Evidence(record, 0.8, 0.1, 0.1, 0.8), ())


def test_the_article_is_named_once_and_your_notes_as_yours():
    assert explain.for_judgement(judged("false", PASSAGE)) == (
        "The article says otherwise, in its section “Myth 4”: “CPUs can train models.”")
    assert explain.for_judgement(judged("true", PASSAGE)).startswith("The article supports this, in its section “Myth 4”")
    assert explain.for_judgement(judged("false", NOTE)) == (
        "Your notes say otherwise, in “Notes > Dropout”: “Dropout reduces overfitting.”")


def test_quiz_answers_join_the_option_and_its_reason_as_two_sentences():
    option = QuizOption("B", "It needs a GPU.", Verdict("x", "x", "false", 0.9, "This repeats a myth.", None))
    assert explain.quiz("false", [option]) == "Option B is not true. This repeats a myth."
    assert explain.true_or_false(False, True, option.verdict) == "False. This repeats a myth."
