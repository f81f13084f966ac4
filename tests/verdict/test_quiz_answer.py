"""Answering quizzes from constructed verdicts: the answer the evidence favours, and how sure it is."""

from __future__ import annotations

from bot.knowledge.records import Record, Source
from bot.text.quiz import ParsedQuiz
from bot.verdict.quiz_answer import answer_quiz, lean, truth_score
from bot.verdict.report import Evidence, QuizOption, Verdict

SOURCE = Source(title="Deep learning myths")


def passage(text="Deep learning learns from data.") -> Record:
    return Record(id="myth-1-truth", section="myth-1", heading="Myth 1", kind="passage", text=text, rating="true",
                  source=SOURCE)


def option(label: str, verdict: str, confidence: float = 0.8, evidence: tuple[Evidence, ...] = ()) -> QuizOption:
    return QuizOption(label, f"option {label}", Verdict(statement=f"option {label}", claim=f"option {label}",
                                                       verdict=verdict, confidence=confidence, explanation="why",
                                                       citation=None, evidence=evidence))


def quiz(asks_for: str, *options: QuizOption, kind: str = "single"):
    parsed = ParsedQuiz(question="Which?", asks_for=asks_for, options=tuple((o.label, o.text) for o in options),
                        kind=kind)
    return answer_quiz(parsed, options)


def leaning(entailment: float, contradiction: float) -> tuple[Evidence, ...]:
    return (Evidence(passage(), 0.6, entailment, 1 - entailment - contradiction, contradiction),)


def test_the_one_option_of_the_kind_asked_for_is_a_certain_answer():
    result = quiz("false", option("A", "true"), option("B", "false"), option("C", "unverifiable"))
    assert result.answer == ("B",) and result.certain


def test_a_nuanced_option_answers_not_true_when_no_option_is_false():
    result = quiz("false", option("A", "true"), option("B", "nuanced"), option("C", "true"))
    assert result.answer == ("B",) and result.certain


def test_a_nuanced_option_beside_an_unverifiable_one_is_only_a_best_guess():
    result = quiz("false", option("A", "unverifiable"), option("B", "nuanced"), option("C", "true"))
    assert result.answer == ("B",) and not result.certain


def test_no_clean_fit_still_gets_the_option_the_evidence_favours_marked_uncertain():
    result = quiz("true", option("A", "unverifiable", evidence=leaning(0.1, 0.6)),
                  option("B", "unverifiable", evidence=leaning(0.4, 0.1)), option("C", "false"))
    assert result.answer == ("B",) and not result.certain
    assert result.explanation.startswith("Best guess: B")


def test_several_fits_answer_the_most_confident_one_uncertain():
    result = quiz("true", option("A", "true", 0.6), option("B", "true", 0.95), option("C", "false"))
    assert result.answer == ("B",) and not result.certain
    assert "A, B" in result.explanation


def test_not_true_prefers_false_over_nuanced_over_unverifiable():
    options = (option("A", "unverifiable", evidence=leaning(0.0, 0.9)), option("B", "nuanced", 0.9),
               option("C", "true"))
    assert quiz("false", *options).answer == ("B",)
    assert quiz("false", *options, option("D", "false", 0.5)).answer == ("D",)


def test_select_all_answers_every_fitting_option():
    result = quiz("true", option("A", "true"), option("B", "false"), option("C", "true"), kind="all")
    assert result.answer == ("A", "C") and result.certain
    unsure = quiz("true", option("A", "true"), option("B", "unverifiable"), kind="all")
    assert unsure.answer == ("A",) and not unsure.certain
    none = quiz("true", option("A", "false"), option("B", "unverifiable", evidence=leaning(0.3, 0.0)), kind="all")
    assert none.answer == ("B",) and not none.certain


def test_true_or_false():
    for verdict, answer, certain in [("true", "True", True), ("false", "False", True), ("nuanced", "False", False)]:
        result = quiz("true", option("1", verdict), kind="true_or_false")
        assert (result.answer, result.certain) == ((answer,), certain)
    guess = quiz("true", option("1", "unverifiable", evidence=leaning(0.4, 0.0)), kind="true_or_false")
    assert guess.answer == ("True",) and not guess.certain and guess.explanation.startswith("Best guess: True")


def test_scores_order_verdicts_on_one_scale():
    scores = [truth_score(option("x", verdict, 0.9).verdict) for verdict in ("false", "nuanced", "unverifiable", "true")]
    assert scores == sorted(scores)
    assert lean(option("x", "unverifiable", evidence=leaning(0.7, 0.1)).verdict) > 0
    assert lean(option("x", "unverifiable", evidence=leaning(0.1, 0.7)).verdict) < 0
    assert lean(option("x", "unverifiable").verdict) == 0.0


def test_the_quiz_json_keeps_its_fields_and_adds_kind_certain_and_claims():
    data = quiz("false", option("A", "true"), option("B", "false")).to_dict()
    assert {"question", "asks_for", "answer", "explanation", "options", "kind", "certain"} <= set(data)
    assert {"label", "text", "verdict", "confidence", "citation", "claim", "myth"} <= set(data["options"][0])
