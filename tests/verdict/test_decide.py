"""The decision rules on hand-made evidence: which signal decides, and against which threshold.

The NLI probabilities are made up on purpose: these tests are about `bot.verdict.decide`, not the model
(tests/test_checker.py runs the real pipeline)."""

from __future__ import annotations

from bot.knowledge.records import Record, Source
from bot.verdict.decide import Thresholds, combine_parts, judge
from bot.verdict.report import Evidence

SOURCE = Source(title="Deep learning myths", author="Holbox", date="2025-05-10")
PASSAGE = Record(id="myth-4-truth", section="myth-4", heading="h", kind="passage", text="GPUs help but are optional.",
                 rating="true", source=SOURCE)
MYTH = Record(id="myth-4-claim", section="myth-4", heading="h", kind="claim", text="You need a GPU.",
              rating="false", source=SOURCE)
NUANCED = Record(id="myth-2-hard", section="myth-2", heading="h", kind="claim", text="Models are hard to read.",
                 rating="nuanced", source=SOURCE)
THRESHOLDS = Thresholds(coverage=0.3, support=0.5, refute=0.8, myth=0.6, nuance=0.7, deny=0.75)


def evidence(record, score=0.8, entailment=0.0, contradiction=0.0):
    return Evidence(record, score, entailment, 1.0 - entailment - contradiction, contradiction)


def test_weak_retrieval_is_unverifiable_whatever_the_nli_says():
    result = judge((evidence(PASSAGE, score=0.2, entailment=0.99),), THRESHOLDS)
    assert result.verdict == "unverifiable" and result.deciding is None


def test_support_above_its_threshold_is_true_and_cites_the_passage():
    result = judge((evidence(PASSAGE, entailment=0.9),), THRESHOLDS)
    assert (result.verdict, result.deciding.record.id) == ("true", "myth-4-truth")


def test_myth_agreement_and_passage_contradiction_have_their_own_thresholds():
    # 0.7 agreement with the myth clears the myth threshold (0.6) ...
    assert judge((evidence(MYTH, entailment=0.7),), THRESHOLDS).verdict == "false"
    # ... while 0.7 contradiction by a passage does not clear the refute threshold (0.8).
    assert judge((evidence(PASSAGE, contradiction=0.7),), THRESHOLDS).verdict == "unverifiable"
    assert judge((evidence(PASSAGE, contradiction=0.9),), THRESHOLDS).verdict == "false"


def test_asserting_a_myth_is_flagged():
    asserted = judge((evidence(MYTH, entailment=0.9),), THRESHOLDS)
    assert asserted.asserts_myth and asserted.deciding.record.id == "myth-4-claim"


def test_denying_a_closely_matched_myth_is_true_and_a_loose_denial_is_not():
    # 0.9 retrieval * 0.95 contradiction = 0.855 clears the deny threshold (0.75) ...
    denied = judge((evidence(MYTH, score=0.9, contradiction=0.95),), THRESHOLDS)
    assert (denied.verdict, denied.deciding.record.id) == ("true", "myth-4-claim") and not denied.asserts_myth
    # ... a statement that only shares words with the myth (0.5 * 0.95) does not, whatever its weight.
    assert judge((evidence(MYTH, score=0.5, contradiction=0.95),), THRESHOLDS).verdict == "unverifiable"


def test_weaker_matches_count_less():
    strong, weak = evidence(PASSAGE, score=0.8), evidence(MYTH, score=0.4, entailment=0.9)
    # The myth matches half as well as the best record: 0.45 weighted, under the myth threshold.
    assert judge((strong, weak), THRESHOLDS).verdict == "unverifiable"


def test_repeating_a_nuanced_claim_is_nuanced():
    result = judge((evidence(NUANCED, entailment=0.9), evidence(PASSAGE, contradiction=0.9)), THRESHOLDS)
    assert (result.verdict, result.deciding.record.id) == ("nuanced", "myth-2-hard")


def test_parts_that_disagree_make_the_whole_nuanced_and_cite_the_refuted_part():
    holds = judge((evidence(PASSAGE, entailment=0.9),), THRESHOLDS)
    refuted = judge((evidence(MYTH, entailment=0.9),), THRESHOLDS)
    combined = combine_parts([holds, refuted], refuted)
    assert (combined.verdict, combined.deciding.record.id) == ("nuanced", "myth-4-claim")
    assert combine_parts([holds, holds], holds) is None


RESTATED_MYTH = Record(id="myth-4-claim.f1", section="myth-4", heading="h", kind="restatement",
                       text="A GPU is a must for training.", rating="false", source=SOURCE, about="myth-4-claim")
RESTATED_TRUTH = Record(id="myth-4-truth.t1", section="myth-4", heading="h", kind="restatement",
                        text="A laptop CPU can train small nets.", rating="true", source=SOURCE, about="myth-4-truth")
NOT_COVERED = Record(id="not-covered.1", section="none", heading="h", kind="restatement",
                     text="ReLU is an activation function.", rating="unverifiable", source=SOURCE)
BANK = Thresholds(coverage=0.3, support=0.5, refute=0.8, myth=0.6, nuance=0.7, deny=0.75, bank=0.6)


def test_a_closely_repeated_restatement_gives_its_rating():
    # 0.9 retrieval * 0.8 entailment = 0.72 clears the bank threshold (0.6).
    result = judge((evidence(RESTATED_MYTH, score=0.9, entailment=0.8), evidence(PASSAGE, entailment=0.9)), BANK)
    assert (result.verdict, result.deciding.record.id, result.asserts_myth) == ("false", "myth-4-claim.f1", True)
    result = judge((evidence(RESTATED_TRUTH, score=0.9, entailment=0.8),), BANK)
    assert result.verdict == "true"


def test_the_most_clearly_repeated_restatement_wins():
    result = judge((evidence(RESTATED_MYTH, score=0.9, entailment=0.7),
                    evidence(RESTATED_TRUTH, score=0.8, entailment=0.95)), BANK)
    assert result.deciding.record.id == "myth-4-truth.t1"


def test_a_loose_restatement_leaves_the_decision_to_the_article_records():
    # 0.5 * 0.9 = 0.45 stays under the bank threshold: the passage's support decides.
    result = judge((evidence(RESTATED_MYTH, score=0.5, entailment=0.9), evidence(PASSAGE, entailment=0.9)), BANK)
    assert (result.verdict, result.deciding.record.id) == ("true", "myth-4-truth")


def test_repeating_a_statement_the_article_does_not_decide_is_unverifiable():
    result = judge((evidence(NOT_COVERED, score=0.9, entailment=0.9), evidence(PASSAGE, entailment=0.6)), BANK)
    assert result.verdict == "unverifiable"
