"""A learned verdict: multinomial logistic regression over evidence features.

Six hand-set thresholds each look at one signal; people's wording spreads the evidence
over several (a forum post half-repeats a myth and half-agrees with a passage). The
calibration weighs them all at once. It is fitted by `bench/fit_calibration.py` on the
tuning sets, cross-validated by source, and stored as plain numbers beside the NLI model
(`calibration.json`), so applying it needs only numpy.

Features of one claim (s = retrieval score, e / c = P(entailment) / P(contradiction)):

* for each rating of restatements (true, false, nuanced, unverifiable): the best s * e
  (the claim repeats one), the best s * c (it denies one) and the best s;
* the article records' signals of `bot.verdict.decide.signals` (support, refute, myth, nuance, deny);
* the best retrieval score; absolute, hedging and negation words in the claim.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.errors import ModelError
from bot.text.claims import absolute_words
from bot.verdict.decide import Judgement, signals
from bot.verdict.report import VERDICTS, Evidence, opposite

CALIBRATION_FILE = "calibration.json"
_RATINGS = ("true", "false", "nuanced", "unverifiable")
_RECORD_SIGNALS = ("support", "refute", "myth", "nuance", "deny")
FEATURES = (
    *(f"{kind}_{rating}" for rating in _RATINGS for kind in ("repeats", "denies", "near")),
    *_RECORD_SIGNALS,
    "relevance", "absolute", "hedged", "negated",
)
_HEDGES = re.compile(r"\b(often|usually|generally|typically|sometimes|can|could|may|might|some|many|most|"
                     r"tend|tends|likely|mostly|partly|largely)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|no|never|none|nothing|without|cannot|\w+n't)\b", re.IGNORECASE)


def features(claim: str, evidence: tuple[Evidence, ...]) -> list[float]:
    """The feature vector of one claim, in the order of FEATURES."""
    values: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    for item in evidence:
        if item.record.is_restatement:
            rating = item.record.rating
            values[f"repeats_{rating}"] = max(values[f"repeats_{rating}"], item.retrieval_score * item.entailment)
            values[f"denies_{rating}"] = max(values[f"denies_{rating}"], item.retrieval_score * item.contradiction)
            values[f"near_{rating}"] = max(values[f"near_{rating}"], item.retrieval_score)
    records = [item for item in evidence if not item.record.is_restatement]
    best = max((item.retrieval_score for item in records), default=0.0)
    for item in records:
        for name, value in zip(_RECORD_SIGNALS, signals(item, item.retrieval_score / best if best > 0 else 0.0)):
            values[name] = max(values[name], value)
    values["relevance"] = max((item.retrieval_score for item in evidence), default=0.0)
    values["absolute"] = float(bool(absolute_words(claim)))
    values["hedged"] = float(bool(_HEDGES.search(claim)))
    values["negated"] = float(bool(_NEGATION.search(claim)))
    return [values[name] for name in FEATURES]


@dataclass(frozen=True)
class Calibration:
    """A fitted multinomial logistic regression over standardised FEATURES."""

    features: tuple[str, ...]
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    flip_cost: float = 1.0  # the cost of calling true false (or false true), against 1 for other errors
    coverage: float = 0.0  # best retrieval score under it: unverifiable before weighing (as when fitted)

    def probabilities(self, vector: list[float]) -> dict[str, float]:
        """P(verdict) for one feature vector."""
        x = (np.asarray(vector) - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = np.asarray(self.coef) @ x + np.asarray(self.intercept)
        exp = np.exp(logits - logits.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist()))

    def verdict(self, probabilities: dict[str, float]) -> str:
        """The verdict of least expected cost: a true/false flip costs `flip_cost`, other errors 1.

        With a flip cost above 1, a claim the evidence pulls both ways gets a hedged
        verdict (nuanced, unverifiable) rather than a coin toss between true and false.
        """
        def cost(guess: str) -> float:
            return sum(p * (0.0 if gold == guess else self.flip_cost if {gold, guess} == {"true", "false"} else 1.0)
                       for gold, p in probabilities.items())

        return min(self.classes, key=cost)

    def to_json(self, **details) -> str:
        return json.dumps({**asdict(self), **details}, indent=1) + "\n"

    @classmethod
    def for_model(cls, model_path: str) -> "Calibration | None":
        """The calibration fitted for a model folder, or None when it has none."""
        path = Path(model_path) / CALIBRATION_FILE
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text())
            calibration = cls(**{name: _tuples(data[name]) for name in
                                 ("features", "classes", "mean", "scale", "coef", "intercept")},
                              flip_cost=float(data.get("flip_cost", 1.0)), coverage=float(data.get("coverage", 0.0)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path} is not a valid calibration file ({exc}): rerun bench/fit_calibration.py, "
                             "or delete it to use the thresholds") from None
        if calibration.features != FEATURES or not set(calibration.classes) <= set(VERDICTS):
            raise ModelError(f"{path} was fitted for other features: rerun bench/fit_calibration.py")
        if not all(math.isfinite(v) and v > 0 for v in calibration.scale):
            raise ModelError(f"{path} has a non-positive feature scale: rerun bench/fit_calibration.py")
        return calibration


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _lends(item: Evidence, verdict: str, weight: float) -> float:
    """How strongly one piece of evidence speaks for a verdict (to choose what to cite)."""
    record, s = item.record, item.retrieval_score
    if record.is_restatement:
        if record.rating == verdict:
            return s * item.entailment
        # Denying a restatement speaks for its opposite (for true and false only).
        return s * item.contradiction if opposite(record.rating) == verdict != record.rating else 0.0
    support, refute, myth, nuance, deny = signals(item, weight)
    return {"true": max(support, deny), "false": max(refute, myth), "nuanced": nuance}.get(verdict, 0.0)


def judge_calibrated(claim: str, evidence: tuple[Evidence, ...], calibration: Calibration) -> Judgement:
    """The calibration's verdict of least expected cost, citing the evidence that speaks for it most.

    Its coverage gate comes first: with nothing close, there is nothing to weigh.
    """
    best = max((item.retrieval_score for item in evidence), default=0.0)
    if best < calibration.coverage or best <= 0:
        return Judgement("unverifiable", 1.0 - best, None, evidence)
    probabilities = calibration.probabilities(features(claim, evidence))
    verdict = calibration.verdict(probabilities)
    if verdict == "unverifiable":
        return Judgement(verdict, probabilities[verdict], None, evidence)
    deciding = max(evidence, key=lambda item: _lends(item, verdict, item.retrieval_score / best))
    if verdict == "nuanced" and _lends(deciding, verdict, deciding.retrieval_score / best) == 0.0:
        # Nothing is rated nuanced nearby: the claim mixes what holds and what does not; cite the closest.
        deciding = max(evidence, key=lambda item: item.retrieval_score)
    asserts_myth = verdict == "false" and (deciding.record.is_myth or deciding.record.is_restatement)
    return Judgement(verdict, probabilities[verdict], deciding, evidence, asserts_myth)
