"""Verdict quality on every labelled set side by side: the project's dev and held-out
statements and the real-world statements (tuning and held-out pages) and quizzes.

    python bench/verdict_sets.py [--json] [--errors] [--passages-only] [--record]

`--errors` lists the wrong verdicts of the sets that may be tuned on (dev and the
real-world tuning part). The held-out sets are reported in aggregate only, so that they
stay a check rather than a second dev set. `--passages-only` scores the design before the
claim bank (article passages alone, decided by the thresholds), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bench.results import measured, record  # noqa: E402
from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.evaluation import realworld  # noqa: E402
from bot.evaluation.statements import evaluate, read_labelled  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
TUNABLE = ("dev", "real-world tune")
# Each set's row in bench/results/verdicts.json: (id, what it is).
RECORDED = {
    "dev": ("dev", "Hand-written dev set (tests/data/verdicts_dev.jsonl; tuned on, a training figure)"),
    "held-out": ("held-out", "Hand-written held-out set (tests/data/verdicts_holdout.jsonl; never fitted on)"),
    "real-world tune": ("real-world-tune", "Real-world statements, first collection, tuning pages (a training figure)"),
    "real-world held-out": ("real-world-held-out",
                            "Real-world statements, first collection (statements.jsonl), held-out pages"),
}


def statement_sets() -> dict[str, list]:
    """Every labelled statement set, by name."""
    return {
        "dev": read_labelled(DATA / "verdicts_dev.jsonl"),
        "held-out": read_labelled(DATA / "verdicts_holdout.jsonl"),
        "real-world tune": realworld.load_part("tune"),
        "real-world held-out": realworld.load_part("held-out"),
    }


def quiz_accuracy(checker: Checker, part: str) -> tuple[int, int]:
    """(right, total) over the real-world quizzes of one part: the answer set must match."""
    quizzes = [row for _, row in read_jsonl(realworld.QUIZZES) if realworld.part_of(row["source"]) == part]
    reports = checker.check_many([row["message"] for row in quizzes])
    right = sum(bool(report.quiz) and set(report.quiz.answer) == set(row["answer"])
                for report, row in zip(reports, quizzes))
    return right, len(quizzes)


def summarise(result: dict) -> dict:
    """The figures of one set: accuracy, macro-F1, flips, citations, covered-but-unverifiable share."""
    table = result["confusion"]
    covered = sum(sum(row.values()) for gold, row in table.items() if gold != "unverifiable")
    missed = sum(row["unverifiable"] for gold, row in table.items() if gold != "unverifiable")
    return {
        "count": result["count"],
        "accuracy": result["accuracy"],
        "macro_f1": result["macro_f1"],
        "flips": len(result["flips"]),
        "citation_section_accuracy": result["citation_section_accuracy"],
        "covered_called_unverifiable": round(missed / covered, 4) if covered else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list the errors on the tunable sets")
    parser.add_argument("--passages-only", action="store_true",
                        help="no claim bank and no calibration: the article's passages and the thresholds")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/verdicts.json")
    args = parser.parse_args()
    settings = load_settings()
    if args.passages_only:
        checker = Checker(replace(settings, bank_top_k=0), calibrated=False)
    else:
        checker = Checker(settings)
    results = {name: evaluate(checker, rows) for name, rows in statement_sets().items()}
    figures = {name: summarise(result) for name, result in results.items()}
    quizzes = {part: quiz_accuracy(checker, part) for part in realworld.PARTS}
    if args.json:
        print(json.dumps({"statements": figures, "quizzes": {part: {"right": r, "total": t}
                                                             for part, (r, t) in quizzes.items()}}, indent=2))
    else:
        print(f"{'set':<22}{'n':>5}{'acc':>8}{'mF1':>8}{'flips':>7}{'cite':>8}{'unver.':>8}")
        for name, row in figures.items():
            cite = row["citation_section_accuracy"]
            print(f"{name:<22}{row['count']:>5}{row['accuracy']:>8.3f}{row['macro_f1']:>8.3f}{row['flips']:>7}"
                  f"{cite if cite is None else format(cite, '.3f'):>8}{row['covered_called_unverifiable']:>8.3f}")
        for part, (right, total) in quizzes.items():
            print(f"real-world quizzes, {part}: {right}/{total}")
    if args.record and not args.passages_only:  # the old design's figures are a comparison, not the project's
        rows = [measured(*RECORDED[name], {"count": row["count"], "accuracy": row["accuracy"],
                                           "flips": row["flips"], "macro-F1": row["macro_f1"],
                                           "citation section right": row["citation_section_accuracy"],
                                           "covered but unverifiable": row["covered_called_unverifiable"]})
                for name, row in figures.items()]
        rows += [measured(f"real-world-quizzes-{part}", f"Real-world quizzes, {'tuning' if part == 'tune' else part} "
                          "pages: answer exactly right", {"count": total, "accuracy": round(right / total, 3)})
                 for part, (right, total) in quizzes.items()]
        record("verdicts", rows)
    if args.errors:
        for name in TUNABLE:
            print(f"\n# errors: {name}")
            for error in results[name]["errors"]:
                print(f"  gold {error['gold']:<12} got {error['predicted']:<12} cited {error['cited']}: "
                      f"{error['statement']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
