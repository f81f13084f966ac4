"""Fit the verdict thresholds on the dev set and save them beside the NLI model.

    python bench/tune_thresholds.py [--dev tests/data/verdicts_dev.jsonl] [--model DIR]

Retrieval and NLI run once per statement (the checker caches evidence); then a coarse
grid over the five NLI thresholds, followed by coordinate descent over all six
thresholds of `bot.decide.Thresholds`, maximises
accuracy + 0.5 * macro-F1 + 0.5 * citation-section accuracy - PENALTY * flips
(a true/false flip is the worst error; `--flip-penalty`, default 0.1).
Writes `thresholds.json` into the model folder with the dev figures it reached.
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

from bot.checker import Checker  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.decide import THRESHOLDS_FILE, Thresholds  # noqa: E402
from bot.evaluate import evaluate, read_labelled  # noqa: E402
from bot.fileio import atomic_write_text  # noqa: E402

GRID = {
    "coverage": [round(0.15 + 0.025 * i, 3) for i in range(13)],
    "support": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "refute": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "myth": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "nuance": [round(0.2 + 0.05 * i, 2) for i in range(15)],
    "deny": [round(0.2 + 0.05 * i, 2) for i in range(17)],  # 1.0: never
}


COARSE = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
COARSE_DENY = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]  # a close match only; 1.0 turns denial off


def objective(result: dict, flip_penalty: float) -> float:
    return (result["accuracy"] + 0.5 * result["macro_f1"] + 0.5 * (result["citation_section_accuracy"] or 0.0)
            - flip_penalty * len(result["flips"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default="tests/data/verdicts_dev.jsonl")
    parser.add_argument("--model", help="NLI model folder (default: the configured one)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flip-penalty", type=float, default=0.1, help="objective cost of one true/false flip")
    args = parser.parse_args()

    settings = load_settings(nli_model=args.model)
    rows = read_labelled(args.dev)
    checker = Checker(settings, thresholds=Thresholds(coverage=0.0))
    checker.check_many([row.statement for row in rows])  # fills the evidence cache

    def score(thresholds: Thresholds) -> tuple[float, dict]:
        checker.thresholds = thresholds
        result = evaluate(checker, rows)
        return objective(result, args.flip_penalty), result

    best = Thresholds()
    best_score, best_result = score(best)
    for support, refute, myth, nuance, deny in itertools.product(COARSE, COARSE, COARSE, COARSE, COARSE_DENY):
        candidate = replace(best, support=support, refute=refute, myth=myth, nuance=nuance, deny=deny)
        candidate_score, result = score(candidate)
        if candidate_score > best_score + 1e-9:
            best, best_score, best_result = candidate, candidate_score, result
    for _ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                candidate = replace(best, **{name: value})
                candidate_score, result = score(candidate)
                if candidate_score > best_score + 1e-9:
                    best, best_score, best_result = candidate, candidate_score, result
    summary = {
        **asdict(best),
        "fitted_on": args.dev,
        "flip_penalty": args.flip_penalty,
        "dev_accuracy": best_result["accuracy"],
        "dev_macro_f1": best_result["macro_f1"],
        "dev_flips": len(best_result["flips"]),
        "dev_citation_section_accuracy": best_result["citation_section_accuracy"],
    }
    atomic_write_text(Path(settings.nli_model) / THRESHOLDS_FILE, json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
