"""The verdict pipeline end to end, with the shipped models: dev-set targets, quizzes,
the JSON contract, and the behaviours the README promises."""

from __future__ import annotations

import json

import pytest

from bot.config import PROJECT_ROOT
from bot.evaluation import realworld
from bot.evaluation.statements import evaluate, read_labelled
from bot.verdict.checker import Checker

DATA = PROJECT_ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def dev_result(checker):
    return evaluate(checker, read_labelled(DATA / "verdicts_dev.jsonl"))


# Floors a little under what the shipped models and calibration measured (docs/measurements.md, "Verdicts";
# `python bench/verdict_sets.py`, 2026-12-04, tuned embedder): on the dev set (a tuning set of
# the calibration, so a training figure) 0.955 accuracy, 0.953 macro-F1, 3 flips, 0.973
# citation-section accuracy; on the held-out set (never fitted on) 0.950, 0.945, 0 flips; on
# the real-world pages held out by host 0.590 accuracy and 2 flips.
def test_dev_set_quality_does_not_regress(dev_result):
    assert dev_result["count"] >= 300
    assert dev_result["accuracy"] >= 0.94
    assert dev_result["macro_f1"] >= 0.94
    assert dev_result["citation_section_accuracy"] >= 0.95


def test_flips_stay_rare(dev_result):
    assert len(dev_result["flips"]) <= 3, dev_result["flips"]


def test_held_out_set_quality(checker):
    result = evaluate(checker, read_labelled(DATA / "verdicts_holdout.jsonl"))
    assert result["count"] >= 150
    assert result["accuracy"] >= 0.93
    assert result["macro_f1"] >= 0.92
    assert len(result["flips"]) <= 1, result["flips"]


@pytest.mark.skipif(not realworld.STATEMENTS.is_file(), reason="../shared/data/real_world is absent")
def test_real_world_held_out_pages(checker):
    # Aggregate figures only: the held-out pages' errors are never read one by one.
    result = evaluate(checker, realworld.load_part("held-out"))
    assert result["accuracy"] >= 0.57
    assert len(result["flips"]) <= 2


def test_dev_quizzes(checker):
    quizzes = [json.loads(line) for line in (DATA / "quizzes_dev.jsonl").open()]
    results = [checker.check(quiz["text"]).to_dict()["quiz"] for quiz in quizzes]
    assert all(result["asks_for"] == quiz["asks_for"] for result, quiz in zip(results, quizzes))
    wrong = [quiz["text"] for result, quiz in zip(results, quizzes) if result["answer"] != quiz["answer"]]
    assert not wrong


@pytest.mark.parametrize(
    ("statement", "verdict", "section"),
    [
        ("Deep learning does not strictly need massive datasets", "true", "myth-1"),
        ("Do you need a GPU to train a neural network?", "false", "myth-4"),
        ("Transfer learning does not reduce how much data you need", "false", "myth-1"),
        ("GPUs speed up training, so you can't do deep learning without one", "nuanced", "myth-4"),
        ("Dropout reduces overfitting", "unverifiable", None),
        ("The Eiffel Tower is in Paris", "unverifiable", None),
        # People's wording: framed denials, casual register, words the knowledge base never uses.
        ("You'd need a doctorate to get anywhere with neural nets.", "false", "myth-5"),
        ("It's a myth that you need a GPU to train a network.", "true", "myth-4"),
        ("Honestly a laptop CPU is fine for training small nets, it just takes longer.", "true", "myth-4"),
        ("Neural networks are basically the same thing as supervised learning.", "unverifiable", None),
        # No subject words: the knowledge base's topic is implied.
        ("Do I need a GPU?", "false", "myth-4"),
        ("Is more data always better?", "nuanced", "myth-1"),
    ],
)
def test_the_example_statements(checker, statement, verdict, section):
    result = checker.check(statement).to_dict()
    assert result["verdict"] == verdict
    assert (result["citation"] or {}).get("section") == section


def test_json_contract(checker):
    result = checker.check("Is deep learning only for experts?").to_dict()
    assert set(result) >= {"statement", "claim", "verdict", "confidence", "explanation", "citation", "evidence"}
    assert result["statement"] == "Is deep learning only for experts?"
    assert result["claim"] == "Deep learning is only for experts"
    assert 0.0 <= result["confidence"] <= 1.0 and result["explanation"]
    assert set(result["citation"]) == {"id", "section", "source", "text"}
    assert "Holbox" in result["citation"]["source"]
    for item in result["evidence"]:
        assert set(item) >= {"id", "section", "text", "retrieval_score", "entailment", "neutral", "contradiction"}


def test_unverifiable_has_no_citation(checker):
    result = checker.check("Batch normalisation was introduced in 2015").to_dict()
    assert result["verdict"] == "unverifiable" and result["citation"] is None


def test_several_sentences_give_one_verdict_each(checker):
    result = checker.check("Deep learning needs GPUs. Keras simplifies building models.").to_dict()
    assert [claim["verdict"] for claim in result["claims"]] == ["false", "true"]


def test_same_input_same_verdict(settings, retriever, checker):
    fresh = Checker(settings, retriever=retriever)
    statement = "Neural networks are impossible to interpret"
    first, second = checker.check(statement).to_dict(), fresh.check(statement).to_dict()
    assert first == second


def test_long_input_is_truncated_with_a_notice(checker):
    result = checker.check("Deep learning needs GPUs " * 5000).to_dict()
    assert any("only the first" in note for note in result["notes"])


def test_other_languages_are_unverifiable_with_a_note(checker):
    result = checker.check("L'apprentissage profond nécessite toujours des GPU").to_dict()
    assert result["verdict"] == "unverifiable" and "English" in " ".join(result["notes"])


def test_an_implied_topic_is_said(checker):
    result = checker.check("Do I need a GPU?").to_dict()
    assert result["claim"] == "I need a GPU for deep learning"
    assert any("read as being about deep learning" in note for note in result["notes"])
    named = checker.check("Do I need a GPU to train a neural network?").to_dict()
    assert "notes" not in named or not any("deep learning" in note for note in named["notes"])
