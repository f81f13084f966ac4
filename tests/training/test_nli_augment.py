"""The negation augmentation: which hypotheses it rewrites, and how labels flip."""

from __future__ import annotations

import json

import pytest

from bot.evaluation.nli_pairs import NLIPair
from bot.training.augment import main, negate, negated_pairs


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("A man is playing a guitar.", "A man is not playing a guitar."),
        ("Two dogs are running", "Two dogs are not running"),
        ("The model can learn from small data", "The model cannot learn from small data"),
    ],
)
def test_negate_puts_not_after_the_first_auxiliary(sentence, negated):
    assert negate(sentence) == negated


@pytest.mark.parametrize("sentence", ["A man plays a guitar.", "A man is not sleeping.", "Nobody is here.",
                                      "The dog isn't wet.", "Deep learning never works", "",
                                      "Is it raining", "Can he swim"])
def test_negate_skips_questions_and_sentences_without_an_auxiliary_or_already_negated(sentence):
    assert negate(sentence) is None


def test_labels_flip_by_logic():
    pairs = [NLIPair("p", "A cat is asleep.", "entailment"), NLIPair("p", "A cat is awake.", "contradiction"),
             NLIPair("p", "A cat is old.", "neutral"), NLIPair("p", "A cat sleeps.", "entailment")]
    assert [(pair.hypothesis, pair.label) for pair in negated_pairs(pairs)] == [
        ("A cat is not asleep.", "contradiction"), ("A cat is not awake.", "entailment"),
        ("A cat is not old.", "neutral")]


def test_command_writes_jsonl_and_reports_bad_input(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"premise": "p", "hypothesis": "A man is here.", "label": "entailment"}) + "\n")
    output = tmp_path / "out" / "negated.jsonl"
    assert main([str(source), "--output", str(output)]) == 0
    assert json.loads(output.read_text()) == {"premise": "p", "hypothesis": "A man is not here.",
                                               "label": "contradiction"}
    assert main([str(tmp_path / "missing.jsonl"), "--output", str(output)]) == 2
    assert "error:" in capsys.readouterr().err
