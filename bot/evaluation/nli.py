"""`claimcheck nli-eval`: accuracy, per-label F1, confusion and speed of an NLI model on a JSONL file.

Files whose gold labels use only two classes (entailment and one other, as in FEVER or
SciTail) are scored as entailment vs. not entailment.
"""

from __future__ import annotations

import time

from bot.evaluation.metrics import accuracy, confusion, f1_scores
from bot.evaluation.nli_pairs import NLIPair
from bot.models.nli import LABELS
from bot.models.runtime import NLIRunner

NOT_ENTAILMENT = "not_entailment"


def evaluate_pairs(model: NLIRunner, pairs: list[NLIPair]) -> dict:
    """Score `model` on `pairs`; the first batch warms the model up and is not timed."""
    model.warm_up()
    model.predict([(pairs[0].premise, pairs[0].hypothesis)])
    started = time.perf_counter()
    predicted = [scores.label for scores in model.predict([(p.premise, p.hypothesis) for p in pairs])]
    seconds = time.perf_counter() - started
    gold = [p.label for p in pairs]
    labels = list(LABELS)
    if len(set(gold)) <= 2 and "entailment" in gold:
        gold = [g if g == "entailment" else NOT_ENTAILMENT for g in gold]
        predicted = [p if p == "entailment" else NOT_ENTAILMENT for p in predicted]
        labels = ["entailment", NOT_ENTAILMENT]
    table = confusion(gold, predicted, labels)
    return {
        "pairs": len(pairs),
        "classes": len(labels),
        "accuracy": round(accuracy(gold, predicted), 4),
        "f1": {label: round(score, 4) for label, score in f1_scores(table, labels).items()},
        "confusion": table,
        "pairs_per_second": round(len(pairs) / seconds, 1) if seconds > 0 else None,
    }
