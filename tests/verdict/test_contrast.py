"""The contrast reading of note sentences (bot/verdict/contrast.py): numbers and opposite words."""

from __future__ import annotations

import pytest

from bot.knowledge.records import Record, Source
from bot.verdict.contrast import contrasts, read_contrasts
from bot.verdict.report import Evidence


def test_an_opposite_word_in_the_sentence_contrasts():
    assert contrasts("Dropout increases overfitting.", "Dropout reduces overfitting in large layers.")
    assert contrasts("Weight decay pushes the weights away from zero.", "Weight decay pushes the weights towards zero.")


def test_a_different_number_contrasts_and_the_same_one_does_not():
    assert contrasts("Adam's default learning rate is 0.1.", "Adam's usual default learning rate is 0.001.")
    assert not contrasts("The dropout rate is between 0.1 and 0.5.", "The fraction is commonly between 0.1 and 0.5.")


def test_a_sentence_that_also_says_the_claims_side_does_not_contrast():
    # "same" stands on the side of "equivalent": the sentence says both, so no contrast.
    assert not contrasts("With plain SGD, weight decay is equivalent to L2 regularisation.",
                         "For plain SGD it is the same as L2 regularisation, but with Adam the two differ.")
    assert not contrasts("A very low learning rate makes training slow.",
                         "A rate that is too high diverges, while one that is too low makes training slow.")
    assert not contrasts("Dropout reduces overfitting.", "Dropout reduces overfitting in large layers.")


def _evidence(plain: bool) -> Evidence:
    record = Record(id="n-1", section="Notes", heading="Notes", kind="passage", text="Dropout reduces overfitting.",
                    rating="true", source=Source(title="Notes"), plain=plain)
    return Evidence(record, 0.9, 0.9, 0.05, 0.05)


def test_a_contrasting_note_sentence_counts_against_the_claim_and_an_article_passage_is_left_alone():
    note, article = read_contrasts("Dropout increases overfitting.", (_evidence(True), _evidence(False)))
    assert note.entailment == 0.0 and note.contradiction == pytest.approx(0.95)
    assert article == _evidence(False)
