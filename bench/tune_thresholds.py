"""Fit the verdict thresholds on the tuning sets and save them beside the NLI model.

    python bench/tune_thresholds.py [--dev FILE ...] [--model DIR] [--coarse]

The tuning sets are the dev statements and the real-world statements of the tuning pages
(`real-world-tune`, read in place from ../shared); the held-out sets are never read.
Retrieval and NLI run once per statement (the checker caches evidence); then coordinate
descent over the thresholds of `bot.verdict.decide.Thresholds`, from the ones fitted last
(`--coarse` first searches a coarse grid from neutral defaults), maximises the mean over
the sets of accuracy + 0.5 * macro-F1 + 0.5 * citation-section accuracy, less PENALTY per
true/false flip (the worst error; `--flip-penalty`, default 0.1).
Writes `thresholds.json` into the model folder with the figures it reached.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bot.config import PROFILES, load_settings  # noqa: E402
from bot.evaluation import realworld  # noqa: E402
from bot.evaluation.statements import evaluate  # noqa: E402
from bot.fileio import atomic_write_text  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402
from bot.verdict.decide import THRESHOLDS_FILE, Thresholds  # noqa: E402

GRID = {
    "coverage": [round(0.15 + 0.025 * i, 3) for i in range(13)],
    "support": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "refute": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "myth": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "nuance": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "deny": [round(0.2 + 0.05 * i, 2) for i in range(17)],  # 1.0: never
    "bank": [round(0.2 + 0.05 * i, 2) for i in range(17)],  # 1.0: restatements never decide
}


COARSE = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
COARSE_DENY = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]  # a close match only; 1.0 turns denial off


def objective(result: dict, flip_penalty: float) -> float:
    return (result["accuracy"] + 0.5 * result["macro_f1"] + 0.5 * (result["citation_section_accuracy"] or 0.0)
            - flip_penalty * len(result["flips"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", nargs="+", default=["tests/data/verdicts_dev.jsonl", realworld.TUNING_SET],
                        help="labelled JSONL files, or real-world-tune for the real-world tuning pages")
    parser.add_argument("--model", help="NLI model folder (default: the configured one)")
    parser.add_argument("--profile", choices=PROFILES,
                        help="fit the verdict layer of this profile's reader (accurate: the MPNet reader's folder)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--coarse", action="store_true", help="start with a coarse grid from neutral defaults")
    parser.add_argument("--flip-penalty", type=float, default=0.1, help="objective cost of one true/false flip")
    args = parser.parse_args()

    reader = "deep_nli_model" if args.profile == "accurate" else "nli_model"
    settings = load_settings(profile=args.profile, **{reader: args.model})
    sets = {name: realworld.read_set(name) for name in args.dev}
    # The thresholds decide claims whose closest record has no restatements (the user's own
    # notes), so they are fitted on evidence without restatements.
    checker = Checker(replace(settings, bank_top_k=0), thresholds=Thresholds(coverage=0.0), calibrated=False)
    checker.check_many([row.statement for rows in sets.values() for row in rows])  # fills the evidence cache

    def score(thresholds: Thresholds) -> tuple[float, dict]:
        checker.thresholds = thresholds
        results = {name: evaluate(checker, rows) for name, rows in sets.items()}
        return sum(objective(result, args.flip_penalty) for result in results.values()) / len(results), results

    best = Thresholds() if args.coarse else Thresholds.for_model(settings.reader_model)
    best_score, best_results = score(best)
    if args.coarse:
        for support, refute, myth, nuance, deny in itertools.product(COARSE, COARSE, COARSE, COARSE, COARSE_DENY):
            candidate = replace(best, support=support, refute=refute, myth=myth, nuance=nuance, deny=deny)
            candidate_score, results = score(candidate)
            if candidate_score > best_score + 1e-9:
                best, best_score, best_results = candidate, candidate_score, results
    for _ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                candidate = replace(best, **{name: value})
                candidate_score, results = score(candidate)
                if candidate_score > best_score + 1e-9:
                    best, best_score, best_results = candidate, candidate_score, results
    summary = {
        **asdict(best),
        "fitted_on": args.dev,
        "flip_penalty": args.flip_penalty,
        "figures": {name: {"accuracy": result["accuracy"], "macro_f1": result["macro_f1"],
                           "flips": len(result["flips"]),
                           "citation_section_accuracy": result["citation_section_accuracy"]}
                    for name, result in best_results.items()},
    }
    atomic_write_text(Path(settings.reader_model) / THRESHOLDS_FILE, json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
