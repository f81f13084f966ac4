"""Fit the thresholds for claims about the user's notes, cross-validated by note file.

    python bench/tune_note_thresholds.py [--model DIR] [--flip-penalty P] [--dry-run]

The only labelled statements about notes are the own-sources benchmark's
(`tests/data/own_sources/statements.jsonl`), so the fit is judged out of fold: leave one
note file out, fit on the statements about the other files, predict the held-out file's
statements; the statements no note covers (labelled unverifiable) are dealt round-robin over
the folds. The out-of-fold figures are the honest ones; the thresholds written are then fitted
on every statement (their figures on those statements are training figures, and labelled so).
The held-out note folder (`tests/data/own_sources/heldout/`) is never read here.

Only `coverage`, `support` and `refute` are fitted (notes hold passages, no rated claims);
the rest stay the article's. Coordinate descent over `bench/tune_thresholds.py`'s grid and
objective, from the best point of a coarse joint grid. Writes `thresholds_notes.json` beside the model.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bench.own_sources import DATA, NOTES  # noqa: E402
from bench.tune_thresholds import GRID, objective  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.evaluation.metrics import f1_scores  # noqa: E402
from bot.evaluation.statements import LabelledStatement, evaluate, read_labelled  # noqa: E402
from bot.fileio import atomic_write_text  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402
from bot.verdict.decide import NOTE_THRESHOLDS_FILE, Thresholds  # noqa: E402
from bot.verdict.report import VERDICTS  # noqa: E402

FITTED = ("coverage", "support", "refute")
ROUNDS = 3
# A coarse joint grid first: one threshold at a time from the article's stays in its local optimum.
COARSE = {"coverage": [0.15, 0.3, 0.45, 0.6], "support": [0.3, 0.5, 0.7, 0.9], "refute": [0.3, 0.5, 0.7, 0.9]}


def folds(checker: Checker, rows: list[LabelledStatement]) -> dict[str, list[LabelledStatement]]:
    """The statements grouped by the note file their section comes from; uncovered ones dealt round-robin."""
    file_of = {record.section: Path(record.path).name for record in checker.retriever.records if record.plain}
    groups: dict[str, list[LabelledStatement]] = defaultdict(list)
    uncovered = []
    for row in rows:
        files = {file_of[section] for section in row.sections if section in file_of}
        if len(files) > 1:
            raise SystemExit(f"{row.statement!r} names sections of several note files: {sorted(files)}")
        if files:
            groups[files.pop()].append(row)
        else:
            uncovered.append(row)
    names = sorted(groups)
    for number, row in enumerate(uncovered):
        groups[names[number % len(names)]].append(row)
    return dict(groups)


def fit(checker: Checker, rows: list[LabelledStatement], start: Thresholds, flip_penalty: float) -> Thresholds:
    """Coordinate descent over the fitted thresholds, maximising the objective on `rows`."""

    def score(thresholds: Thresholds) -> float:
        checker.note_thresholds = thresholds
        return objective(evaluate(checker, rows), flip_penalty)

    best, best_score = start, score(start)
    for values in itertools.product(*COARSE.values()):
        candidate = replace(start, **dict(zip(COARSE, values)))
        candidate_score = score(candidate)
        if candidate_score > best_score + 1e-9:
            best, best_score = candidate, candidate_score
    for _ in range(ROUNDS):
        for name in FITTED:
            for value in GRID[name]:
                candidate = replace(best, **{name: value})
                candidate_score = score(candidate)
                if candidate_score > best_score + 1e-9:
                    best, best_score = candidate, candidate_score
    return best


def pooled(results: list[dict]) -> dict:
    """Accuracy, macro-F1 and flips over several evaluations taken together."""
    table: dict[str, dict[str, int]] = {gold: dict.fromkeys(VERDICTS, 0) for gold in VERDICTS}
    for result in results:
        for gold, row in result["confusion"].items():
            for predicted, count in row.items():
                table[gold][predicted] += count
    count = sum(result["count"] for result in results)
    f1 = f1_scores(table, VERDICTS)
    present = [label for label in VERDICTS if sum(table[label].values())]
    return {
        "count": count,
        "accuracy": round(sum(table[label][label] for label in VERDICTS) / count, 4),
        "macro_f1": round(sum(f1[label] for label in present) / len(present), 4),
        "flips": sum(len(result["flips"]) for result in results),
    }


def summary(result: dict) -> dict:
    return {"accuracy": result["accuracy"], "macro_f1": result["macro_f1"], "flips": len(result["flips"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="the notes' NLI model folder (default: the configured one)")
    parser.add_argument("--flip-penalty", type=float, default=0.1, help="objective cost of one true/false flip")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()

    settings = load_settings(notes_nli_model=args.model, extra_knowledge=[NOTES])
    start = Thresholds.for_model(settings.nli_model)
    # Coverage 0 while gathering evidence, so that every coverage value can be tried.
    checker = Checker(settings, thresholds=replace(start, coverage=0.0))
    rows = read_labelled(DATA / "statements.jsonl")
    checker.check_many([row.statement for row in rows])  # fills the evidence cache

    groups = folds(checker, rows)
    held_out, per_fold = [], {}
    for name, fold in groups.items():
        training = [row for other, group in groups.items() if other != name for row in group]
        fitted = fit(checker, training, start, args.flip_penalty)
        checker.note_thresholds = fitted
        held_out.append(evaluate(checker, fold))
        per_fold[name] = {**{key: getattr(fitted, key) for key in FITTED}, **summary(held_out[-1])}
    final = fit(checker, rows, start, args.flip_penalty)
    checker.note_thresholds = final
    result = {
        **{key: getattr(final, key) for key in FITTED},
        "fitted_on": str((DATA / "statements.jsonl").relative_to(DATA.parent.parent.parent)),
        "flip_penalty": args.flip_penalty,
        "out_of_fold": pooled(held_out),
        "folds": per_fold,
        "training_figures": summary(evaluate(checker, rows)),
    }
    if not args.dry_run:
        atomic_write_text(Path(settings.notes_nli_model) / NOTE_THRESHOLDS_FILE, json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
