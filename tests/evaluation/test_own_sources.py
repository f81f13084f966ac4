"""The own-sources benchmark (bench/own_sources.py): statements checked against the notes in
tests/data/own_sources/notes/, and the article's statements unchanged when the notes are added.

The floors are the figures measured with the shipped models (the notes' own NLI model reads
their sentences) and the notes' thresholds (docs/measurements.md, "Your own sources"). The notes' thresholds
are fitted on statements.jsonl, so its floors guard training figures; the held-out note file's
floors guard figures never fitted on. The accuracy target (0.85) is reached on the
notes' statements, out of fold too, but not on the held-out note, and neither has no flips.
"""

from __future__ import annotations

import pytest

from bench.own_sources import NOTES, run
from bot.config import load_settings
from bot.verdict.checker import Checker
from bot.verdict.decide import claim_is_premise


@pytest.fixture(scope="module")
def result(checker):
    return run(checker)


def test_the_notes_statements_meet_the_measured_floors(result):
    notes = result["notes"]
    assert notes["count"] >= 80
    # 0.737 with no flips when the article's NLI model read the notes too: most statements
    # were left unverifiable. The notes' model reads them (0.884), at the cost of 3 flips that
    # no threshold removes (their NLI scores are above 0.87).
    assert notes["accuracy"] >= 0.88
    assert len(notes["flips"]) <= 3
    assert notes["citation_section_accuracy"] >= 0.93


def test_the_held_out_notes_statements_meet_the_measured_floors(result):
    heldout = result["heldout"]
    assert heldout["count"] >= 20
    # 10 of 22 when the article's NLI model read the notes; 15 of 22 with the notes' own model.
    assert heldout["accuracy"] >= 0.68
    assert len(heldout["flips"]) <= 2


def test_the_articles_statements_keep_their_verdicts_with_the_notes(result):
    article = result["article"]
    assert article["count"] == 20 and article["changed"] == []


def test_the_example_note_is_checked_for_real_and_cites_the_users_own_words(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, notes_nli=checker.notes_nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Dropout reduces overfitting.").headline
    assert verdict.verdict == "true" and verdict.confidence >= 0.9
    assert verdict.citation.text == "It reduces overfitting, mostly in large fully connected layers."
    assert verdict.citation.path == str(NOTES / "regularisation.md")
    assert verdict.explanation.startswith("Your notes support this, in “Regularisation > Dropout”")


def test_a_claim_whose_absolute_word_the_note_uses_itself_is_not_an_overgeneralisation(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, notes_nli=checker.notes_nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Transformers process all positions of a sequence in parallel.").headline
    assert verdict.verdict == "true"
    assert verdict.citation.text == "Transformers process all positions of a sequence in parallel using self-attention."


def test_an_opposite_word_in_the_users_note_makes_the_claim_false(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, notes_nli=checker.notes_nli, thresholds=checker.thresholds)
    verdict = with_notes.check("Dropout increases overfitting.").headline
    assert verdict.verdict == "false"
    assert verdict.explanation.startswith("Your notes say otherwise") and "article" not in verdict.explanation
    assert verdict.citation.text == "It reduces overfitting, mostly in large fully connected layers."


def test_the_notes_sentences_are_read_by_the_notes_model_and_the_article_by_its_own(checker):
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=checker.nli, notes_nli=checker.notes_nli,
                         thresholds=checker.thresholds)
    claim = "Dropout reduces overfitting."
    evidence = with_notes.evidence_for([claim])[0]
    assert {item.record.plain for item in evidence} == {True, False}  # note sentences and the article's records
    for item in evidence:
        pairs = [(claim, text) if claim_is_premise(item.record) else (text, claim)
                 for text in (item.record.model_text, *item.record.clauses)]
        own, other = (checker.notes_nli, checker.nli) if item.record.plain else (checker.nli, checker.notes_nli)
        # The evidence is the most decisive reading of the record by its own model, not by the other.
        entailments = {round(score.entailment, 5) for score in own.predict(pairs)}
        assert round(item.entailment, 5) in entailments
        if item.record.plain:
            assert round(item.entailment, 5) not in {round(score.entailment, 5) for score in other.predict(pairs)}
