"""Recognising multiple-choice questions in every common layout."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.quiz import asks_for, parse_quiz

QUIZZES = [json.loads(line) for line in (Path(__file__).parent / "data" / "quizzes_dev.jsonl").open()]


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
