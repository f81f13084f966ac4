"""Classification metrics shared by `eval` and `nli-eval`: pure functions, no numpy."""

from __future__ import annotations

from typing import Sequence


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """confusion[gold][predicted] = count, for every pair of labels."""
    table = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, predicted):
        table.setdefault(g, {q: 0 for q in labels}).setdefault(p, 0)
        table[g][p] += 1
    return table


def f1_scores(table: dict[str, dict[str, int]], labels: Sequence[str]) -> dict[str, float]:
    """Per-label F1 from a confusion table (0 where a label is never gold nor predicted)."""
    scores = {}
    for label in labels:
        tp = table.get(label, {}).get(label, 0)
        predicted = sum(row.get(label, 0) for row in table.values())
        actual = sum(table.get(label, {}).values())
        scores[label] = 2 * tp / (predicted + actual) if predicted + actual else 0.0
    return scores


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0
