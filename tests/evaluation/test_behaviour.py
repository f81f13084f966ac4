"""The behavioural suite (bot/evaluation/behaviour.py): the generator and its templates, without models,
and one run of the real pipeline on a fixed sample of the suite against a floor per capability."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from bot.config import DEFAULT_KNOWLEDGE
from bot.evaluation.behaviour import (
    ANTONYMS,
    CAPABILITIES,
    DIR,
    FRAMING,
    HEDGES,
    INV,
    MFT,
    MINIMUM,
    NEGATION,
    NOISE,
    OUT_OF_SCOPE,
    QUESTIONS,
    Case,
    contract,
    embed,
    expand,
    generate,
    load_suite,
    passed,
    sample,
    score,
    typo,
    verdict_of,
)
from bot.knowledge.load import load_knowledge
from bot.knowledge.records import Record, Source
from bot.verdict.report import Report, Verdict, opposite

# Pass-rate floors of the pipeline test, one per capability: the figures of
# `python bench/behaviour.py --sample 50` (the same seeded sample this test runs) minus 0.03,
# rounded down, measured 2026-12-04 with the shipped models and calibration (tuned embedder, flip cost 3).
# The target is 0.95 each.
FLOORS = {
    "minimum functionality": 0.97,  # measured 1.000
    "negation": 0.81,  # 0.840
    "framing": 0.89,  # 0.920
    "questions": 0.89,  # 0.920
    "hedges and absolutes": 0.91,  # 0.946 (all 37 cases)
    "antonyms and comparatives": 0.65,  # 0.680
    "register and noise": 0.83,  # 0.860
    "out of scope": 0.97,  # 1.000
}
SAMPLE_PER_CAPABILITY = 50


@pytest.fixture(scope="module")
def suite():
    return load_suite()


@pytest.fixture(scope="module")
def cases(suite):
    return generate(suite)


@pytest.fixture(scope="module")
def by_id(cases):
    return {case.id: case for case in cases}


def _of(cases, capability, kind=None):
    return [case for case in cases if case.capability == capability and kind in (None, case.kind)]


# -- the propositions --------------------------------------------------------------------

def test_propositions_name_the_records_and_sections_of_the_knowledge_base(suite):
    records = {record.id: record for record in load_knowledge([DEFAULT_KNOWLEDGE]) if record.kind in ("passage", "claim")}
    for proposition in suite.propositions:
        assert proposition.record in records, proposition.record
        record = records[proposition.record]
        assert proposition.sections[0] == record.section, proposition.record
        # A rated claim is stated with its own rating; a passage is something the article holds true.
        assert proposition.verdict == (record.rating if record.kind == "claim" else "true"), proposition.record


def test_every_record_the_article_decides_has_a_proposition(suite):
    # intro-purpose says what the article sets out to do, not something about deep learning.
    covered = {proposition.record for proposition in suite.propositions} | {"intro-purpose"}
    article = [record for record in load_knowledge([DEFAULT_KNOWLEDGE]) if record.kind in ("passage", "claim")]
    assert [record.id for record in article if record.id not in covered] == []


def test_out_of_scope_facts_are_many_and_distinct(suite):
    assert len(suite.out_of_scope) >= 40
    assert len({fact.lower() for fact in suite.out_of_scope}) == len(suite.out_of_scope)


# -- generation --------------------------------------------------------------------------

def test_generation_is_deterministic_and_the_seed_only_moves_typos(suite, cases):
    assert generate(suite) == cases
    other = generate(suite, seed=1)
    assert [case.id for case in other] == [case.id for case in cases]
    changed = [a.id for a, b in zip(cases, other) if a.text != b.text]
    assert changed and all(re.search(r"/noise/typos?$", case_id) for case_id in changed)


def test_suite_size_ids_and_capabilities(cases):
    assert 1000 <= len(cases) <= 4000
    assert len({case.id for case in cases}) == len(cases)
    assert {case.capability for case in cases} == set(CAPABILITIES)
    assert all(case.kind in (MFT, INV, DIR) for case in cases)
    # Nothing counted twice within a capability.
    keys = [(case.capability, case.text) for case in cases]
    assert len(set(keys)) == len(keys)


def test_derived_cases_name_an_existing_base(cases, by_id):
    for case in cases:
        if case.kind in (INV, DIR) and case.capability != ANTONYMS:
            assert case.base in by_id, case.id
        if case.kind == MFT:
            assert case.base is None, case.id


def test_minimum_functionality_states_each_fact_with_its_section(suite, cases):
    plain = _of(cases, MINIMUM)
    assert {case.record for case in plain} == {p.record for p in suite.propositions}
    assert all(case.sections and case.verdict in ("true", "false", "nuanced") for case in plain)
    assert all(not case.sections for case in cases if case.capability != MINIMUM)


def test_negation_flips_true_and_false(cases, by_id):
    negations = _of(cases, NEGATION)
    negative = re.compile(r"\b(not|never|no|cannot|nothing)\b|n't\b", re.IGNORECASE)
    assert len(negations) >= 100
    for case in negations:
        base = by_id[case.base]
        assert base.verdict in ("true", "false") and case.verdict == opposite(base.verdict), case.id
        # A negation added, or taken away from a negative statement ("cannot" -> "can").
        assert negative.search(case.text) or negative.search(base.text), case.text


def test_split_negation_reads_as_english(by_id):
    assert by_id["myth-1-claim/negated-3"].text == "Deep learning doesn't need massive datasets to succeed."
    assert by_id["myth-4-cpus/negated-1"].text == "Deep learning models cannot be trained on a regular CPU."
    assert by_id["myth-4-cpus/negated-2"].text == "Deep learning models can't be trained on a regular CPU."
    assert by_id["myth-2-claim/negated-3"].text == "Deep learning models aren't always black boxes."
    # The "does not" form repeats a hand-written negation, so it is dropped and only counted once.
    assert "myth-1-claim/negated-2" not in by_id


def test_framing_inverts_except_contrary_to_popular_belief(cases, by_id):
    framed = _of(cases, FRAMING)
    assert {re.sub(r".*/frame/", "", case.id) for case in framed} == {
        "myth", "false", "untrue", "misconception", "wrongly", "contrary"}
    for case in framed:
        base = by_id[case.base]
        assert embed(base.text) in case.text, case.id
        if case.id.endswith("/contrary"):
            assert case.kind == INV and case.verdict == base.verdict, case.id
        else:
            assert case.kind == DIR and case.verdict == opposite(base.verdict), case.id
    nuanced = [case for case in framed if by_id[case.base].verdict == "nuanced"]
    assert nuanced and all(case.verdict == "nuanced" for case in nuanced)
    assert by_id["myth-4-gpu-claim/negated-0/frame/myth"].text == (
        "It's a myth that a deep learning model can be trained without a GPU.")


def test_questions_keep_the_statements_verdict(cases, by_id):
    questions = _of(cases, QUESTIONS)
    assert all(case.text.endswith("?") and case.verdict == by_id[case.base].verdict for case in questions)
    assert by_id["myth-4-gpu-claim/need-question/0"].text == "Do you need a GPU to train a neural network?"
    assert by_id["myth-4-gpu-claim/need-question/0"].verdict == "false"
    assert by_id["myth-4-gpu-claim/without-question/0"].text == "Can I train a neural network without a GPU?"
    assert by_id["myth-4-gpu-claim/without-question/0"].verdict == "true"
    assert by_id["myth-5-claim/split-question"].text == "Is deep learning only for experts?"
    assert by_id["myth-5-math-claim/need-question/0"].verdict == "nuanced"
    assert by_id["myth-5-math-claim/without-question/0"].verdict == "true"


def test_hedges_stay_true_and_absolutes_turn_nuanced(cases):
    hedges = _of(cases, HEDGES)
    assert all(case.verdict == "true" for case in hedges if case.kind == INV)
    absolutes = [case for case in hedges if case.kind == DIR]
    assert absolutes and all(case.verdict == "nuanced" for case in absolutes)
    assert all(re.search(r"\b(always|never|any|every|all)\b", case.text, re.IGNORECASE) for case in absolutes)


def test_antonyms_change_the_verdict_of_their_base(cases, by_id):
    contrasts = _of(cases, ANTONYMS)
    assert len(contrasts) >= 50
    for case in contrasts:
        if case.kind == DIR:
            assert by_id[case.base].kind == MFT and case.verdict != by_id[case.base].verdict, case.id
    texts = {case.text for case in contrasts}
    assert "At symbolic reasoning, deep learning is better than classical AI methods." in texts


def test_noise_keeps_the_verdict(cases, by_id):
    noisy = _of(cases, NOISE)
    templated = [case for case in noisy if "/noise/" in case.id]
    assert all(case.verdict == by_id[case.base].verdict and case.text != by_id[case.base].text for case in templated)
    kinds = {case.id.rsplit("/", 1)[1] for case in templated}
    assert {"contraction", "expansion", "lower-case", "upper-case", "typo", "honestly", "heard"} <= kinds


def test_out_of_scope_stays_unverifiable(cases):
    outside = _of(cases, OUT_OF_SCOPE)
    assert len(outside) >= 120
    assert all(case.verdict == "unverifiable" and case.record is None for case in outside)


# -- text helpers ------------------------------------------------------------------------

def test_embed_keeps_acronyms_and_names():
    assert embed("Deep learning needs data.") == "deep learning needs data"
    assert embed("SHAP uses Shapley values.") == "SHAP uses Shapley values"
    assert embed("TensorFlow, PyTorch and Keras help.") == "TensorFlow, PyTorch and Keras help"
    assert embed("GPUs speed training up!") == "GPUs speed training up"


def test_contractions_round_trip():
    assert contract("Deep learning does not need it, and it is cheap.") == "Deep learning doesn't need it, and it's cheap."
    assert contract("It is not.") == "It isn't."
    assert expand("You can't, and it doesn't.") == "You cannot, and it does not."
    assert expand(contract("Models are not always black boxes.")) == "Models are not always black boxes."


def test_typos_are_seeded_and_spare_short_and_protected_words():
    text = "Deep learning models cannot always explain predictions without techniques."
    assert typo(text, random.Random(3), 2) == typo(text, random.Random(3), 2)
    for seed in range(50):
        noisy = typo(text, random.Random(seed), 2)
        before, after = text.split(), noisy.split()
        assert len(before) == len(after)
        changed = [(a, b) for a, b in zip(before, after) if a != b]
        assert 1 <= len(changed) <= 2
        assert all(a.strip(".") not in ("cannot", "always", "without") and a[0] == b[0] for a, b in changed)


# -- sampling and scoring ----------------------------------------------------------------

def test_sample_is_stratified_and_stable(cases):
    chosen = sample(cases, 20)
    assert chosen == sample(cases, 20)
    for capability in CAPABILITIES:
        assert len(_of(chosen, capability)) == min(20, len(_of(cases, capability)))
    order = {case.id: i for i, case in enumerate(cases)}
    assert [order[case.id] for case in chosen] == sorted(order[case.id] for case in chosen)


def _verdict(verdict: str, section: str | None = None) -> Verdict:
    citation = None
    if section:
        citation = Record(id="r", section=section, heading="h", kind="passage", text="t", rating="true",
                          source=Source("s"))
    return Verdict(statement="s", claim="s", verdict=verdict, confidence=0.9, explanation="", citation=citation)


def test_passing_needs_the_verdict_and_for_minimum_functionality_the_section():
    plain = Case("a/plain", MINIMUM, MFT, "x", "false", ("myth-4", "myth-3"), record="a")
    assert passed(plain, _verdict("false", "myth-3"))
    assert not passed(plain, _verdict("false", "myth-1"))
    assert not passed(plain, _verdict("true", "myth-4"))
    assert not passed(plain, None)
    framed = replace(plain, id="a/frame", capability=FRAMING, kind=DIR, verdict="true", sections=(), base="a/plain")
    assert passed(framed, _verdict("true", "myth-1"))
    scores = score([(plain, _verdict("false", "myth-4")), (replace(plain, id="b/plain"), _verdict("true")),
                    (framed, None)])
    assert [(s.capability, s.cases, s.passed) for s in scores] == [(MINIMUM, 2, 1), (FRAMING, 1, 0)]
    assert scores[0].pass_rate == 0.5


def test_a_report_counts_as_its_least_favourable_claim():
    report = Report("s", claims=(_verdict("true", "myth-1"), _verdict("false", "myth-1")))
    assert verdict_of(report).verdict == "false"
    assert verdict_of(Report("s")) is None


# -- the real pipeline -------------------------------------------------------------------

def test_pipeline_meets_the_floor_of_every_capability(checker, cases):
    chosen = sample(cases, SAMPLE_PER_CAPABILITY)
    reports = checker.check_many([case.text for case in chosen])  # one batch: shared model passes
    scores = {s.capability: s for s in score([(case, verdict_of(report)) for case, report in zip(chosen, reports)])}
    assert set(scores) == set(FLOORS)
    below = {name: round(scores[name].pass_rate, 3) for name, floor in FLOORS.items() if scores[name].pass_rate < floor}
    assert not below, f"capabilities below their floor {FLOORS}: {below}"


def test_scores_separate_failures_inherited_from_the_base():
    plain = Case("a/plain", MINIMUM, MFT, "x", "false", ("myth-4",), record="a")
    framed = Case("a/frame", FRAMING, DIR, "y", "true", base="a/plain", record="a")
    other = Case("b/frame", FRAMING, DIR, "z", "true", base="b/plain", record="b")
    scores = score([(plain, _verdict("false", "myth-4")), (framed, _verdict("false")), (other, _verdict("true"))])
    framing = scores[1]
    assert (framing.cases, framing.passed, framing.derived, framing.kept) == (2, 1, 1, 0)
    assert framing.pass_rate_given_base == 0.0 and scores[0].pass_rate_given_base is None
