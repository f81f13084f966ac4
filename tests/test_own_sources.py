"""The own-sources benchmark (bench/own_sources.py): statements checked against the notes in
tests/data/own_sources/notes/, and the article's statements unchanged when the notes are added.

The floors are the figures measured with the shipped model and the notes' thresholds
(README, "Your own sources"). The notes' thresholds are fitted on statements.jsonl, so its
floors guard training figures; the held-out note file's floors guard figures never fitted on.
The issue's targets (0.85 accuracy, no flips) are not reached.
"""

from __future__ import annotations

import pytest

from bench.own_sources import NOTES, run
from bot.checker import Checker
from bot.config import load_settings


@pytest.fixture(scope="module")
def result(checker):
    return run(checker)


def test_the_notes_statements_meet_the_measured_floors(result):
    notes = result["notes"]
    assert notes["count"] >= 80
    assert notes["accuracy"] >= 0.73
    assert notes["flips"] == []
    assert notes["citation_section_accuracy"] >= 0.71


def test_the_held_out_notes_statements_meet_the_measured_floors(result):
    heldout = result["heldout"]
    assert heldout["count"] >= 20
    # 11 of 22 with the packaged embedder; 10 of 22 since the embedder tuned on the article's
    # claim bank (README, "Your own sources"), whose gains on the article's sets outweighed it.
    assert heldout["accuracy"] >= 0.45
    assert len(heldout["flips"]) <= 2


def test_the_articles_statements_keep_their_verdicts_with_the_notes(result):
    article = result["article"]
    assert article["count"] == 20 and article["changed"] == []


def test_the_issues_note_is_checked_for_real_and_cites_the_users_own_words(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Dropout reduces overfitting.").headline
    assert verdict.verdict == "true" and verdict.confidence >= 0.9
    assert verdict.citation.text == "It reduces overfitting, mostly in large fully connected layers."
    assert verdict.citation.path == str(NOTES / "regularisation.md")
    assert verdict.explanation.startswith("Your notes support this, in “Regularisation > Dropout”")


def test_a_claim_whose_absolute_word_the_note_uses_itself_is_not_an_overgeneralisation(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Transformers process all positions of a sequence in parallel.").headline
    assert verdict.verdict == "true"
    assert verdict.citation.text == "Transformers process all positions of a sequence in parallel using self-attention."


def test_an_opposite_word_in_the_users_note_makes_the_claim_false(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Dropout increases overfitting.").headline
    assert verdict.verdict == "false"
    assert verdict.explanation.startswith("Your notes say otherwise") and "article" not in verdict.explanation
    assert verdict.citation.text == "It reduces overfitting, mostly in large fully connected layers."
