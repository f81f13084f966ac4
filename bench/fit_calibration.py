"""Fit the learned verdict (`bot.verdict.calibration`) on the tuning sets and save it beside the NLI model.

    python bench/fit_calibration.py [--dev FILE ...] [--model DIR] [--dry-run]

The tuning sets are the dev statements and the real-world statements of the tuning pages
(`real-world-tune`); the held-out sets are never read. Each one-sentence statement gives
one example: the features of its claim, labelled with its verdict (inverted where the
message denies the claim, "it's a myth that ..."). The regularisation strength is chosen
by cross-validation grouped by source: a real-world host, or a dev statement's section, is
never on both sides of a fold. Claims under the coverage gate are unverifiable before the
calibration is asked, so they are left out of fitting; the gate itself is chosen from
COVERAGES (or fixed with `--coverage`) by the same cross-validated errors, a gated claim
counting as an `unverifiable` answer. The decision's flip cost is then chosen on the same
out-of-fold predictions (see FLIP_LOSS). Needs scikit-learn (it comes with
sentence-transformers); the checker itself does not. Writes `calibration.json` into the
model folder with the cross-validated figures.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from bot.config import PROFILES, load_settings  # noqa: E402
from bot.evaluation import realworld  # noqa: E402
from bot.fileio import atomic_write_text  # noqa: E402
from bot.text.claims import split_sentences  # noqa: E402
from bot.verdict.calibration import CALIBRATION_FILE, FEATURES, Calibration, features  # noqa: E402
from bot.verdict.checker import Checker, plan_claim  # noqa: E402
from bot.verdict.decide import Thresholds  # noqa: E402
from bot.verdict.report import opposite  # noqa: E402

STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FLIP_COSTS = (1.0, 2.0, 3.0, 5.0)
# Candidate coverage gates (best retrieval score under which a claim is unverifiable unweighed).
COVERAGES = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
# Telling a user that a true statement is false (or the reverse) is the worst error: the
# flip cost is chosen to minimise cross-validated errors, each flip counting FLIP_LOSS times.
FLIP_LOSS = 3


@dataclass
class Examples:
    """Every one-sentence statement of the tuning sets: features, gold verdict, CV group."""

    matrix: np.ndarray
    labels: list[str]
    groups: list[str]

    @property
    def best(self) -> np.ndarray:
        """Each claim's best retrieval score: the feature the coverage gate reads."""
        return self.matrix[:, FEATURES.index("relevance")]

    def above(self, coverage: float) -> "Examples":
        kept = np.flatnonzero(self.best >= coverage)
        return Examples(self.matrix[kept], [self.labels[i] for i in kept], [self.groups[i] for i in kept])

    def gated_errors(self, coverage: float) -> int:
        """Statements the gate calls unverifiable whose gold verdict is something else."""
        return sum(b < coverage and gold != "unverifiable" for b, gold in zip(self.best, self.labels))


def examples(checker: Checker, sets: dict[str, list]) -> Examples:
    """Features, labels and CV groups of every one-sentence statement of the sets."""
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
    return Examples(np.array([features(plan.claim, found) for plan, found in zip(plans, evidence)]), labels, groups)


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


@dataclass
class Fit:
    calibration: Calibration
    strength: float
    errors: int  # cross-validated, gated statements included
    flips: int
    flip_loss: float = FLIP_LOSS

    @property
    def cost(self) -> float:
        return self.errors + (self.flip_loss - 1) * self.flips


def cross_validate(every: Examples, coverage: float, flip_loss: float = FLIP_LOSS) -> Fit:
    """The calibration behind one coverage gate: C by out-of-fold accuracy, then the flip cost by FLIP_LOSS."""
    kept = every.above(coverage)
    folds = {strength: out_of_fold(kept.matrix, kept.labels, kept.groups, strength) for strength in STRENGTHS}
    correct = {strength: sum(max(p, key=p.get) == gold for p, gold in zip(folds[strength], kept.labels))
               for strength in STRENGTHS}
    strength = max(correct, key=correct.get)
    calibration = replace(fit(kept.matrix, kept.labels, strength), coverage=coverage)
    gated = every.gated_errors(coverage)
    fits = []
    for flip_cost in FLIP_COSTS:
        candidate = replace(calibration, flip_cost=flip_cost)
        errors, flips = loss(candidate, folds[strength], kept.labels)
        fits.append(Fit(candidate, strength, errors + gated, flips, flip_loss))
    best = min(fits, key=lambda f: f.cost)
    print(f"coverage {coverage:<5} ({len(every.labels) - len(kept.labels)} gated, {gated} wrongly): C={strength}, "
          f"flip cost {best.calibration.flip_cost}: {best.errors} errors, {best.flips} flips", flush=True)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", nargs="+", default=["tests/data/verdicts_dev.jsonl", realworld.TUNING_SET],
                        help="labelled JSONL files, or real-world-tune for the real-world tuning pages")
    parser.add_argument("--model", help="NLI model folder (default: the configured one)")
    parser.add_argument("--profile", choices=PROFILES,
                        help="fit the verdict layer of this profile's reader (accurate: the MPNet reader's folder)")
    parser.add_argument("--coverage", type=float,
                        help="fix the coverage gate (best retrieval score under which a claim is unverifiable "
                             "unweighed) instead of choosing it from COVERAGES")
    parser.add_argument("--flip-loss", type=float, default=FLIP_LOSS,
                        help=f"how many errors a true/false flip counts as when the flip cost is chosen ({FLIP_LOSS})")
    parser.add_argument("--dry-run", action="store_true", help="print the cross-validation, write nothing")
    args = parser.parse_args()

    reader = "deep_nli_model" if args.profile == "accurate" else "nli_model"
    settings = load_settings(profile=args.profile, **{reader: args.model})
    checker = Checker(settings, thresholds=Thresholds(coverage=0.0), calibrated=False)
    every = examples(checker, {name: realworld.read_set(name) for name in args.dev})
    coverages = COVERAGES if args.coverage is None else [args.coverage]
    chosen = min((cross_validate(every, coverage, args.flip_loss) for coverage in coverages), key=lambda f: f.cost)
    calibration, count = chosen.calibration, len(every.labels)
    print(f"chose coverage {calibration.coverage}, C={chosen.strength}, flip cost {calibration.flip_cost}: "
          f"{chosen.errors} cross-validated errors ({chosen.flips} flips) over {count} statements")
    if not args.dry_run:
        path = Path(settings.reader_model) / CALIBRATION_FILE
        atomic_write_text(path, calibration.to_json(
            fitted_on=args.dev, C=chosen.strength, examples=count,
            cross_validated_accuracy=round(1 - chosen.errors / count, 4), cross_validated_flips=chosen.flips))
        print(f"wrote {path} (C={chosen.strength}, flip cost {calibration.flip_cost})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
