"""The learned verdict on hand-made evidence and hand-made weights: features, the cost-aware
decision, citing, and refusing a broken calibration file. The real fitted calibration runs
in tests/test_checker.py."""

from __future__ import annotations

import json

import pytest

from bot.errors import ModelError
from bot.knowledge.records import Record, Source
from bot.verdict.calibration import CALIBRATION_FILE, FEATURES, Calibration, features, judge_calibrated
from bot.verdict.report import Evidence

SOURCE = Source(title="Deep learning myths")
PASSAGE = Record(id="myth-4-cpus", section="myth-4", heading="h", kind="passage", text="CPUs can train models.",
                 rating="true", source=SOURCE)
SAYS_FALSE = Record(id="myth-4-cpus.f1", section="myth-4", heading="h", kind="restatement",
                    text="CPUs cannot train models.", rating="false", source=SOURCE, about="myth-4-cpus")
SAYS_TRUE = Record(id="myth-4-cpus.t1", section="myth-4", heading="h", kind="restatement",
                   text="A laptop CPU can train a small net.", rating="true", source=SOURCE, about="myth-4-cpus")


def evidence(record, score=0.8, entailment=0.0, contradiction=0.0):
    return Evidence(record, score, entailment, 1.0 - entailment - contradiction, contradiction)


def follows(feature: str, **weights) -> Calibration:
    """A calibration whose verdict follows one feature: `weights` maps verdicts to its weight."""
    classes = ("true", "false", "nuanced", "unverifiable")
    column = FEATURES.index(feature)
    coef = tuple(tuple(weights.get(verdict, 0.0) if i == column else 0.0 for i in range(len(FEATURES)))
                 for verdict in classes)
    return Calibration(FEATURES, classes, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), coef, (0.0, 0.0, 0.5, 0.0),
                       coverage=0.3)


def test_features_separate_repeating_from_denying_a_restatement():
    vector = dict(zip(FEATURES, features("CPUs cannot train models",
                                         (evidence(SAYS_FALSE, 0.9, entailment=0.8), evidence(SAYS_TRUE, 0.5, contradiction=0.6),
                                          evidence(PASSAGE, 0.7, contradiction=0.9)))))
    assert vector["repeats_false"] == pytest.approx(0.72) and vector["denies_true"] == pytest.approx(0.3)
    assert vector["near_false"] == 0.9 and vector["repeats_nuanced"] == 0.0
    assert vector["refute"] == pytest.approx(0.9) and vector["support"] == 0.0
    assert (vector["relevance"], vector["negated"], vector["absolute"]) == (0.9, 1.0, 0.0)


def test_the_verdict_follows_the_weights_and_cites_what_speaks_for_it():
    calibration = follows("repeats_false", false=10.0)
    result = judge_calibrated("CPUs cannot train models", (evidence(SAYS_FALSE, 0.9, entailment=0.9),
                                                            evidence(SAYS_TRUE, 0.8, entailment=0.1)),
                              calibration)
    assert (result.verdict, result.deciding.record.id, result.asserts_myth) == ("false", "myth-4-cpus.f1", True)


def test_nothing_close_is_unverifiable_before_any_weighing():
    result = judge_calibrated("x", (evidence(SAYS_FALSE, 0.1, entailment=0.9),), follows("repeats_false", false=10.0))
    assert (result.verdict, result.deciding) == ("unverifiable", None)


def test_a_high_flip_cost_hedges_when_the_evidence_pulls_both_ways():
    torn = {"true": 0.45, "false": 0.4, "nuanced": 0.1, "unverifiable": 0.05}
    calibration = follows("relevance")
    assert calibration.verdict(torn) == "true"
    assert Calibration(**{**calibration.__dict__, "flip_cost": 5.0}).verdict(torn) == "nuanced"


def test_a_saved_calibration_round_trips_and_a_broken_one_is_refused(tmp_path):
    assert Calibration.for_model(str(tmp_path)) is None
    calibration = follows("support", true=3.0)
    (tmp_path / CALIBRATION_FILE).write_text(calibration.to_json(C=0.1))
    assert Calibration.for_model(str(tmp_path)) == calibration
    stale = json.loads(calibration.to_json())
    stale["features"] = stale["features"][:-1]
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(stale))
    with pytest.raises(ModelError, match="other features"):
        Calibration.for_model(str(tmp_path))
    (tmp_path / CALIBRATION_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="not a valid calibration file"):
        Calibration.for_model(str(tmp_path))
