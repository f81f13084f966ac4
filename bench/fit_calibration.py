"""Fit the learned verdict (`bot.calibration`) on the tuning sets and save it beside the NLI model.

    python bench/fit_calibration.py [--dev FILE ...] [--model DIR] [--dry-run]

The tuning sets are the dev statements and the real-world statements of the tuning pages
(`real-world-tune`); the held-out sets are never read. Each one-sentence statement gives
one example: the features of its claim, labelled with its verdict (inverted where the
message denies the claim, "it's a myth that ..."). The regularisation strength is chosen
by cross-validation grouped by source: a real-world host, or a dev statement's section, is
never on both sides of a fold. Claims under the coverage gate (`--coverage`) are
unverifiable before the calibration is asked, so they are left out of fitting.
Needs scikit-learn (it comes with sentence-transformers); the checker itself does not.
The decision's flip cost is then chosen on the same out-of-fold predictions (see FLIP_LOSS).
Writes `calibration.json` into the model folder with the cross-validated figures.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from bot import realworld  # noqa: E402
from bot.calibration import CALIBRATION_FILE, FEATURES, Calibration, features  # noqa: E402
from bot.checker import Checker, plan_claim  # noqa: E402
from bot.claims import split_sentences  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.decide import Thresholds  # noqa: E402
from bot.fileio import atomic_write_text  # noqa: E402
from bot.verdicts import opposite  # noqa: E402

STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FLIP_COSTS = (1.0, 2.0, 3.0, 5.0)
# The coverage gate: the value bench/tune_thresholds.py fitted on the tuning sets on 2026-12-03
# with the claim bank in the evidence (the thresholds now serve claims without restatements).
COVERAGE = 0.375
# Telling a user that a true statement is false (or the reverse) is the worst error: the
# flip cost is chosen to minimise cross-validated errors, each flip counting FLIP_LOSS times.
FLIP_LOSS = 3


def examples(checker: Checker, sets: dict[str, list], coverage: float) -> tuple[np.ndarray, list[str], list[str]]:
    """Features, labels and CV groups of every one-sentence statement of the sets.

    Claims whose best retrieval score is under `coverage` are left out: the coverage
    threshold calls them unverifiable before the calibration is asked.
    """
    plans, labels, groups = [], [], []
    for name, rows in sets.items():
        for row in rows:
            if len(split_sentences(row.statement)) != 1:
                continue
            plan = plan_claim(row.statement)
            if not plan.claim or plan.note:
                continue
            plans.append(plan)
            labels.append(opposite(row.verdict) if plan.denied else row.verdict)
            origin = realworld.host(row.source) if row.source else (row.sections[0] if row.sections else "none")
            groups.append(f"{name}:{origin}")
    evidence = checker.evidence_for([plan.claim for plan in plans])
    kept = [i for i, found in enumerate(evidence) if max(item.retrieval_score for item in found) >= coverage]
    matrix = np.array([features(plans[i].claim, evidence[i]) for i in kept])
    return matrix, [labels[i] for i in kept], [groups[i] for i in kept]


def fit(matrix: np.ndarray, labels: list[str], strength: float) -> Calibration:
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=strength, max_iter=5000).fit((matrix - mean) / scale, labels)
    return Calibration(features=FEATURES, classes=tuple(model.classes_), mean=tuple(mean.tolist()),
                       scale=tuple(scale.tolist()), coef=tuple(tuple(row) for row in model.coef_.tolist()),
                       intercept=tuple(model.intercept_.tolist()))


def out_of_fold(matrix: np.ndarray, labels: list[str], groups: list[str], strength: float) -> list[dict]:
    """P(verdict) for every example from a model that never saw its source (5 grouped folds)."""
    probabilities: list[dict] = [{}] * len(labels)
    for train, test in GroupKFold(n_splits=5).split(matrix, labels, groups):
        calibration = fit(matrix[train], [labels[i] for i in train], strength)
        for i in test:
            probabilities[i] = calibration.probabilities(matrix[i].tolist())
    return probabilities


def loss(calibration: Calibration, probabilities: list[dict], labels: list[str]) -> tuple[int, int]:
    """(errors, true/false flips) of the calibration's verdicts on out-of-fold probabilities."""
    verdicts = [calibration.verdict(p) for p in probabilities]
    errors = sum(v != gold for v, gold in zip(verdicts, labels))
    return errors, sum({v, gold} == {"true", "false"} for v, gold in zip(verdicts, labels))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", nargs="+", default=["tests/data/verdicts_dev.jsonl", realworld.TUNING_SET],
                        help="labelled JSONL files, or real-world-tune for the real-world tuning pages")
    parser.add_argument("--model", help="NLI model folder (default: the configured one)")
    parser.add_argument("--coverage", type=float, default=COVERAGE,
                        help="best retrieval score under which a claim is unverifiable unweighed")
    parser.add_argument("--dry-run", action="store_true", help="print the cross-validation, write nothing")
    args = parser.parse_args()

    settings = load_settings(nli_model=args.model)
    coverage = args.coverage
    checker = Checker(settings, thresholds=Thresholds(coverage=0.0), calibrated=False)
    matrix, labels, groups = examples(checker, {name: realworld.read_set(name) for name in args.dev}, coverage)
    folds = {strength: out_of_fold(matrix, labels, groups, strength) for strength in STRENGTHS}
    accuracy = {strength: sum(max(p, key=p.get) == gold for p, gold in zip(folds[strength], labels)) / len(labels)
                for strength in STRENGTHS}
    for strength, value in accuracy.items():
        print(f"C={strength:<5} cross-validated accuracy {value:.3f} over {len(labels)} statements")
    strength = max(accuracy, key=accuracy.get)
    calibration = replace(fit(matrix, labels, strength), coverage=coverage)
    costs = {}
    for flip_cost in FLIP_COSTS:
        errors, flips = loss(replace(calibration, flip_cost=flip_cost), folds[strength], labels)
        costs[flip_cost] = errors + (FLIP_LOSS - 1) * flips
        print(f"flip cost {flip_cost}: {errors} cross-validated errors, {flips} of them flips")
    calibration = replace(calibration, flip_cost=min(costs, key=costs.get))
    errors, flips = loss(calibration, folds[strength], labels)
    if not args.dry_run:
        path = Path(settings.nli_model) / CALIBRATION_FILE
        atomic_write_text(path, calibration.to_json(
            fitted_on=args.dev, C=strength, examples=len(labels),
            cross_validated_accuracy=round(1 - errors / len(labels), 4), cross_validated_flips=flips))
        print(f"wrote {path} (C={strength}, flip cost {calibration.flip_cost})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
