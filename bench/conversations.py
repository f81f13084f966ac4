"""Quiz accuracy and follow-up accuracy on the dev quizzes and conversations.

    python bench/conversations.py [--verbose] [--record]

Prints the share of quizzes answered exactly right (the 16 dev quizzes and the 16 pasted ones:
pronoun options, noun-phrase options, true-or-false, select all), the share of follow-up turns
understood (kind, and the claim as rewritten), and the verdicts on the conversations' turns.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import measured, record  # noqa: E402
from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.evaluation.dialogue import score_conversations, score_quizzes  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
DESCRIBED = {
    "quizzes_dev.jsonl": "Dev quizzes (tests/data/quizzes_dev.jsonl): answer exactly right",
    "quizzes_pasted_dev.jsonl": "Quizzes as people paste them (tests/data/quizzes_pasted_dev.jsonl): answer exactly right",
    "follow-ups understood": "Follow-up turns understood (their kind, and the claim as rewritten)",
    "conversation verdicts": "Verdicts on the conversations' labelled turns",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list what was missed")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/conversations.json")
    args = parser.parse_args()
    checker = Checker(load_settings())
    scores = {name: score_quizzes(checker.check_many, [row for _, row in read_jsonl(DATA / name)])
              for name in ("quizzes_dev.jsonl", "quizzes_pasted_dev.jsonl")}
    understood, verdicts = score_conversations(checker.check, [row for _, row in read_jsonl(DATA / "conversations_dev.jsonl")])
    scores |= {"follow-ups understood": understood, "conversation verdicts": verdicts}
    for name, score in scores.items():
        print(f"{name}: {score.right}/{score.total} = {score.accuracy:.3f}")
        if args.verbose:
            print("".join(f"  - {miss}\n" for miss in score.misses), end="")
    if args.record:
        record("conversations", [measured(name.removesuffix(".jsonl"), DESCRIBED[name], {
            "right": score.right, "of": score.total, "share": round(score.accuracy, 3)}) for name, score in scores.items()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
