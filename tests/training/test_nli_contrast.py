"""Contrast pairs built from the claim bank: polarity pairs and antonym swaps."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.config import DEFAULT_KNOWLEDGE
from bot.fileio import read_jsonl
from bot.knowledge.load import load_knowledge
from bot.training.antonyms import antonym_pairs, swapped
from bot.training.bank import bank_pairs, main


@pytest.fixture(scope="module")
def records():
    return load_knowledge([DEFAULT_KNOWLEDGE])


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Training big networks is cheap.", "Training big networks is expensive."),
        ("Easy tools exist for beginners.", "Hard tools exist for beginners."),
        ("Frameworks made deep learning more accessible.", "Frameworks made deep learning less accessible."),
        ("Deep learning is worse at logic than symbolic AI.", "Deep learning is better at logic than symbolic AI."),
    ],
)
def test_swapped_turns_the_one_evaluative_word_into_its_antonym(sentence, expected):
    assert swapped(sentence) == expected


@pytest.mark.parametrize("sentence", ["Deep learning uses layered networks.",  # nothing to swap
                                      "Cheap GPUs make training fast.",  # two: which one carries the claim?
                                      "It works with small datasets."])  # size words are not swapped
def test_swapped_leaves_sentences_without_exactly_one_evaluative_word(sentence):
    assert swapped(sentence) is None


def test_antonym_pairs_contradict_in_both_directions_and_skip_nuanced_restatements(records):
    rows = antonym_pairs(records)
    assert rows and {row["label"] for row in rows} == {"contradiction"}
    pairs = {(row["premise"], row["hypothesis"]) for row in rows}
    assert all((hypothesis, premise) in pairs for premise, hypothesis in pairs)
    nuanced = {record.text for record in records if record.is_restatement and record.rating == "nuanced"}
    assert not any(row["premise"] in nuanced or row["hypothesis"] in nuanced for row in rows)


def test_bank_pairs_label_polarity_within_a_record(records):
    rows = bank_pairs(records)
    labels = Counter(row["label"] for row in rows)
    assert labels["entailment"] and labels["contradiction"] and labels["neutral"]
    by_text = {record.text: record for record in records if record.is_restatement}
    for row in rows:
        premise, hypothesis = by_text[row["premise"]], by_text[row["hypothesis"]]
        if row["label"] != "neutral":
            assert premise.about == hypothesis.about
            assert (premise.rating == hypothesis.rating) == (row["label"] == "entailment")


def test_the_bank_command_writes_the_antonym_pairs_on_request(tmp_path, records):
    output = tmp_path / "antonyms.jsonl"
    assert main(["--antonyms", "--output", str(output)]) == 0
    assert [row for _, row in read_jsonl(output)] == antonym_pairs(records)
