"""Verdict quality on every labelled set side by side: the project's dev and held-out
statements, and the three files of real-world statements and quizzes, split by source host.

    python bench/verdict_sets.py [--profile fast|accurate] [--held-out] [--json] [--errors] [--confidence] [--record]

By default only the sets that may be tuned on are scored: dev, the hand-written held-out
set and the tuning part of each real-world file. `--held-out` adds the real-world held-out
parts, in aggregate only, so that they stay a check rather than a second dev set: each run
with it is one look, to be counted and reported. `--errors` lists the wrong verdicts of the
tunable sets; `--confidence` prints accuracy by confidence on them (how `LOW_CONFIDENCE`
was read). `--passages-only` scores the design before the claim bank (article passages
alone, decided by the thresholds), for comparison.
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
from bot.config import PROFILES, PROJECT_ROOT, load_settings  # noqa: E402
from bot.evaluation import realworld  # noqa: E402
from bot.evaluation.statements import evaluate, read_labelled  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
_COLLECTIONS = ("first collection (statements.jsonl)", "second collection (statements-2.jsonl)",
                "third collection (statements-3.jsonl)")
_PARTS = {"tune": "tuning hosts (a training figure)", "held-out": "held-out hosts"}


def statement_sets(parts: tuple[str, ...]) -> dict[str, tuple[str, list]]:
    """Every labelled statement set by id, with what it is in words: the hand-written sets and each
    real-world file's `parts`."""
    sets = {"dev": ("Hand-written dev set (tests/data/verdicts_dev.jsonl; tuned on, a training figure)",
                    read_labelled(DATA / "verdicts_dev.jsonl")),
            "held-out": ("Hand-written held-out set (tests/data/verdicts_holdout.jsonl; never fitted on)",
                         read_labelled(DATA / "verdicts_holdout.jsonl"))}
    for number, (path, collection) in enumerate(zip(realworld.STATEMENT_FILES, _COLLECTIONS), start=1):
        for part in parts:
            sets[f"real-world-{number}-{part}"] = (f"Real-world statements, {collection}, {_PARTS[part]}",
                                                   realworld.load_part(part, path))
    return sets


def quiz_accuracy(checker: Checker, path: Path, part: str) -> tuple[int, int]:
    """(right, total) over the real-world quizzes of one file's part: the answer set must match."""
    quizzes = [row for _, row in read_jsonl(path) if realworld.part_of(row["source"]) == part]
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


def confidence_table(results: list[tuple[list, dict]]) -> list[tuple[float, float, int]]:
    """(lowest confidence, accuracy, count) for each fifth of the verdicts, least sure first."""
    wrong = [{error["statement"] for error in result["errors"]} for _, result in results]
    pairs = sorted((confidence, row.statement not in errors)
                   for (rows, result), errors in zip(results, wrong)
                   for row, confidence in zip(rows, result["confidences"]))
    fifths = [pairs[len(pairs) * i // 5 : len(pairs) * (i + 1) // 5] for i in range(5)]
    return [(chunk[0][0], sum(right for _, right in chunk) / len(chunk), len(chunk)) for chunk in fifths if chunk]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=PROFILES, help="the reader profile (default: the settings')")
    parser.add_argument("--held-out", action="store_true", help="also score the real-world held-out parts (a look)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list the errors on the tunable sets")
    parser.add_argument("--confidence", action="store_true", help="accuracy by confidence on the tunable sets")
    parser.add_argument("--passages-only", action="store_true",
                        help="no claim bank and no calibration: the article's passages and the thresholds")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/verdicts.json")
    args = parser.parse_args()
    settings = load_settings(profile=args.profile)
    if args.passages_only:
        checker = Checker(replace(settings, bank_top_k=0), calibrated=False)
    else:
        checker = Checker(settings)
    parts = realworld.PARTS if args.held_out else ("tune",)
    sets = statement_sets(parts)
    for part in parts:  # the three files' parts pooled, beside each file's
        pooled = [row for number in range(1, len(_COLLECTIONS) + 1) for row in sets[f"real-world-{number}-{part}"][1]]
        sets[f"real-world-{part}-all"] = (f"Real-world statements, all three collections, {_PARTS[part]}", pooled)
    results = {name: evaluate(checker, rows) for name, (_, rows) in sets.items()}
    figures = {name: summarise(result) for name, result in results.items()}
    quizzes = {f"real-world-{number}-{part}": quiz_accuracy(checker, path, part)
               for number, path in enumerate(realworld.QUIZ_FILES, start=1) for part in parts}
    if args.json:
        print(json.dumps({"profile": settings.profile, "statements": figures,
                          "quizzes": {name: {"right": r, "total": t} for name, (r, t) in quizzes.items()}}, indent=2))
    else:
        print(f"profile: {settings.profile}")
        print(f"{'set':<26}{'n':>5}{'acc':>8}{'mF1':>8}{'flips':>7}{'cite':>8}{'unver.':>8}")
        for name, row in figures.items():
            cite = row["citation_section_accuracy"]
            print(f"{name:<26}{row['count']:>5}{row['accuracy']:>8.3f}{row['macro_f1']:>8.3f}{row['flips']:>7}"
                  f"{cite if cite is None else format(cite, '.3f'):>8}{row['covered_called_unverifiable']:>8.3f}")
        for name, (right, total) in quizzes.items():
            print(f"quizzes {name}: {right}/{total}")
    profile = settings.profile
    if args.record and not args.passages_only:  # the old design's figures are a comparison, not the project's
        rows = [measured(f"{name}-{profile}", f"{sets[name][0]}; {profile} profile",
                         {"count": row["count"], "accuracy": row["accuracy"], "flips": row["flips"],
                          "macro-F1": row["macro_f1"], "citation section right": row["citation_section_accuracy"],
                          "covered but unverifiable": row["covered_called_unverifiable"]})
                for name, row in figures.items()]
        rows += [measured(f"{name}-quizzes-{profile}",
                          f"Real-world quizzes, {sets[name][0].split(', ', 1)[1]}; {profile} profile: "
                          "answer exactly right", {"count": total, "right": right})
                 for name, (right, total) in quizzes.items() if total]
        record("verdicts", rows)
    tunable = ["dev", *(name for name in sets if name.endswith("-tune"))]
    if args.confidence:
        print("\n# accuracy by confidence, tunable sets (each row a fifth of the verdicts)")
        for low, right, count in confidence_table([(sets[name][1], results[name]) for name in tunable]):
            print(f"  confidence >= {low:.2f}: accuracy {right:.3f} ({count})")
    if args.errors:
        for name in tunable:
            print(f"\n# errors: {name}")
            for error in results[name]["errors"]:
                print(f"  gold {error['gold']:<12} got {error['predicted']:<12} cited {error['cited']}: "
                      f"{error['statement']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
