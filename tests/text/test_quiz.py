"""Recognising multiple-choice questions in every common layout."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import PROJECT_ROOT
from bot.text.quiz import asks_for, parse_quiz

QUIZZES = [json.loads(line) for line in (PROJECT_ROOT / "tests" / "data" / "quizzes_dev.jsonl").open()]


@pytest.mark.parametrize("quiz", QUIZZES, ids=lambda q: q["text"][:40])
def test_dev_quizzes_parse_with_the_right_question_kind(quiz):
    parsed = parse_quiz(quiz["text"])
    assert parsed is not None
    assert parsed.asks_for == quiz["asks_for"]
    assert set(quiz["answer"]) <= {label for label, _ in parsed.options}


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Which is NOT true? A) one B) another thing C) third", ["A", "B", "C"]),
        ("Which is true?\nA. one\nB. two", ["A", "B"]),
        ("Which is true? (a) one (b) two (c) three", ["A", "B", "C"]),
        ("Which is true?\na. one\nb. two", ["A", "B"]),
        ("Which is false? 1. one 2. two 3. three", ["1", "2", "3"]),
        ("Which is false? (1) one (2) two", ["1", "2"]),
        ("Which is false? a) one b) two", ["A", "B"]),
    ],
)
def test_label_styles(text, labels):
    parsed = parse_quiz(text)
    assert parsed is not None and [label for label, _ in parsed.options] == labels
    assert parsed.options[0][1] == "one"


@pytest.mark.parametrize(
    ("question", "kind"),
    [("Which of the following is NOT true about deep learning?", "false"),
     ("Which statement is incorrect?", "false"), ("Which one is a myth?", "false"),
     ("Which of these is NOT a myth?", "true"), ("Which statement is correct?", "true"),
     ("Which of the following is true?", "true"), ("All of the following are true EXCEPT:", "false")],
)
def test_what_the_question_asks_for(question, kind):
    assert asks_for(question) == kind


@pytest.mark.parametrize("text", ["Deep learning needs GPUs. It is only for experts.", "1. GPUs help. 2. CPUs work.",
                                  "Which one? A) only one option", "Plan A. Do this."])
def test_plain_text_is_not_a_quiz(text):
    assert parse_quiz(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_parser_never_raises(text):
    parse_quiz(text)
    parse_quiz("Which is true? A) " + text + " B) x")


LABELS = ["A)", "B)", "C)", "D)", "a.", "b.", "(a)", "(b)", "(c)", "1.", "2.", "3.", "(1)", "(2)"]
WORDS = ["Which", "of", "the", "following", "is", "NOT", "true", "?", "GPUs", "a.k.a.", "A", "b", "\n", " ", ""]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LABELS + WORDS) | st.text(max_size=6), max_size=40).map(" ".join))
def test_quiz_shaped_text_parses_to_a_consistent_quiz_or_none(text):
    parsed = parse_quiz(text)
    if parsed is None:
        return
    labels = [label for label, _ in parsed.options]
    assert len(labels) >= 2 and all(option.strip() for _, option in parsed.options)
    assert all(label.isdigit() for label in labels) or all(label.isalpha() and label.isupper() for label in labels)
    expected = [str(n) for n in range(1, len(labels) + 1)] if labels[0].isdigit() else [
        chr(ord("A") + n) for n in range(len(labels))]
    assert labels == expected
    assert parsed.asks_for in ("true", "false") and parsed.question


def test_a_long_quiz_parses_in_linear_time():
    text = "Which is true? " + " ".join(f"{chr(65 + n % 26)}) option {n}" for n in range(20_000))
    started = time.monotonic()
    assert parse_quiz(text) is not None
    assert parse_quiz("Which? " + "A) " * 50_000) is None
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        ("Which statement about deep learning is false? A) It always needs a PhD. B) It's a branch of machine "
         "learning. C) Its decisions can be explained.",
         ["Deep learning always needs a PhD.", "Deep learning is a branch of machine learning.",
          "Deep learning's decisions can be explained."]),
        ("Which of the following is NOT true about neural networks? A) They need GPUs B) Their layers learn features",
         ["Neural networks need GPUs", "Neural networks' layers learn features"]),
        ("Which of these is true? A) They need massive datasets B) It runs on CPUs",
         ["Deep learning models need massive datasets", "Deep learning runs on CPUs"]),
    ],
)
def test_pronoun_options_are_read_about_the_question_subject(text, statements):
    assert list(parse_quiz(text).statements) == statements


@pytest.mark.parametrize(
    ("text", "asks", "first"),
    [
        ("Which method adapts a model pre-trained on a large dataset to a new task with little data? "
         "A. Data augmentation B. Transfer learning C. Dropout D. Saliency maps", "true",
         "Data augmentation adapts a model pre-trained on a large dataset to a new task with little data."),
        ("What is the main benefit of transfer learning? A. Less training data B. Faster GPUs", "true",
         "The main benefit of transfer learning is less training data."),
        ("Which of the following is NOT a way to reduce the data a model needs? A) Transfer learning "
         "B) Buying GPUs", "false", "Transfer learning is a way to reduce the data a model needs."),
        ("What does data augmentation create? A) modified copies of examples B) new GPUs", "true",
         "Data augmentation creates modified copies of examples."),
        ("All of the following are ways to explain a prediction EXCEPT: A. SHAP B. Dropout", "false",
         "SHAP is a way to explain a prediction."),
        ("Transfer learning ___ the data a new task needs. A) increases B) reduces", "true",
         "Transfer learning increases the data a new task needs."),
        ("Which hardware is required to train deep learning models? A) GPUs B) None of the above", "true",
         "GPUs are required to train deep learning models."),
        ("Which of these lets beginners build models? A) High-level frameworks B) SHAP", "true",
         "High-level frameworks let beginners build models."),
        ("Which technique teaches models how to learn? A) Saliency maps B) Meta-learning", "true",
         "Saliency maps teach models how to learn."),
    ],
)
def test_wh_questions_compose_one_statement_per_option(text, asks, first):
    parsed = parse_quiz(text)
    assert parsed.asks_for == asks and parsed.kind == "single"
    assert parsed.statements[0] == first
    assert len(parsed.statements) == len(parsed.options)


def test_options_that_name_no_phrase_stay_as_they_are():
    parsed = parse_quiz("Which hardware is required to train models? A) GPUs B) None of the above")
    assert parsed.statements[1] == "None of the above"


def test_statement_options_are_not_composed():
    parsed = parse_quiz("Which statement is true? A) Deep learning needs GPUs B) CPUs can train models")
    assert list(parsed.statements) == ["Deep learning needs GPUs", "CPUs can train models"]


@pytest.mark.parametrize("text", ["True or false: Deep learning needs a GPU.", "T/F: deep learning needs a GPU",
                                  "Deep learning needs a GPU. True or false?", "true/false - Deep learning needs a GPU"])
def test_true_or_false_questions(text):
    parsed = parse_quiz(text)
    assert parsed.kind == "true_or_false" and parsed.asks_for == "true"
    assert parsed.statements[0].lower().rstrip(".") == "deep learning needs a gpu"


def test_true_or_false_without_a_statement_is_not_a_quiz():
    assert parse_quiz("Is this true or false?") is None


@pytest.mark.parametrize("text", [
    "Which of the following are true about deep learning? (Select all that apply) A) It needs data B) It runs on CPUs",
    "Choose all that are correct: A) Deep learning needs data B) Deep learning runs on CPUs",
    "True or false? A) Deep learning needs data B) Deep learning runs on CPUs",
])
def test_select_all_that_apply(text):
    parsed = parse_quiz(text)
    assert parsed.kind == "all" and parsed.asks_for == "true"
    assert parsed.statements[1] in ("Deep learning runs on CPUs",)
