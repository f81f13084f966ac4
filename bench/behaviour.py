"""The behavioural suite (CheckList-style, `bot/evaluation/behaviour.py`) run through the real pipeline.

    python bench/behaviour.py [--suite tests/data/behaviour.yaml] [--seed 0] [--sample N] [--json] [--record]
    python bench/behaviour.py --failures framing [--limit 50]      # or --failures all

Prints, for each capability, how many cases it has and the share the checker passes.
`--sample N` runs the same seeded sample of at most N cases per capability that
tests/test_behaviour.py runs (its floors are `--sample 50` figures): the whole suite takes
minutes on two cores. `--failures` lists a capability's failing cases with what the checker
answered instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import measured, record  # noqa: E402
from bot.evaluation.behaviour import (  # noqa: E402
    CAPABILITIES,
    DEFAULT_SUITE,
    Case,
    generate,
    load_suite,
    passed,
    sample,
    score,
    verdict_of,
)
from bot.verdict.report import Verdict  # noqa: E402


def run_suite(checker, cases: list[Case]) -> list[tuple[Case, Verdict | None]]:
    """Every case checked in one batch (check_many shares the model passes)."""
    reports = checker.check_many([case.text for case in cases])
    return [(case, verdict_of(report)) for case, report in zip(cases, reports)]


def failure_rows(results: list[tuple[Case, Verdict | None]], capability: str) -> list[dict]:
    """The failing cases of one capability ("all": of every capability), with what the checker said."""
    return [
        {"id": case.id, "kind": case.kind, "text": case.text, "expected": case.verdict,
         "expected_sections": list(case.sections) or None, "base": case.base,
         "got": verdict.verdict if verdict else None,
         "cited": verdict.citation.id if verdict and verdict.citation else None}
        for case, verdict in results
        if capability in ("all", case.capability) and not passed(case, verdict)
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(DEFAULT_SUITE))
    parser.add_argument("--seed", type=int, default=0, help="chooses the typos (default 0)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="at most N seeded cases per capability (the unit test's run); 0: the whole suite")
    parser.add_argument("--failures", metavar="CAPABILITY", choices=(*CAPABILITIES, "all"),
                        help="list this capability's failing cases (all: every capability's)")
    parser.add_argument("--limit", type=int, default=0, help="with --failures: list at most this many (0: all)")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/behaviour.json")
    parser.add_argument("--flip-cost", type=float, help="override the calibration's flip cost (to compare flip costs)")
    args = parser.parse_args()

    from bot.config import load_settings, quiet_libraries
    from bot.verdict.checker import Checker

    quiet_libraries()
    cases = generate(load_suite(args.suite), seed=args.seed)
    if args.sample:
        cases = sample(cases, args.sample, seed=args.seed)
    checker = Checker(load_settings())
    if args.flip_cost is not None and checker.calibration is not None:
        checker.calibration = replace(checker.calibration, flip_cost=args.flip_cost)
    checker.warm_up()
    started = time.perf_counter()
    results = run_suite(checker, cases)
    seconds = time.perf_counter() - started
    scores = score(results)
    failures = failure_rows(results, args.failures) if args.failures else []
    if args.limit:
        failures = failures[: args.limit]

    if args.record:
        sampled = f", a sample of at most {args.sample} per capability" if args.sample else ""
        rows = [measured(s.capability, s.capability, {"cases": s.cases, "pass rate": round(s.pass_rate, 3)})
                for s in scores]
        rows.append(measured("all", f"All capabilities{sampled}", {"cases": len(cases), "pass rate": round(
            sum(s.passed for s in scores) / len(cases), 3)}))
        record("behaviour", rows)
    if args.json:
        data = {"cases": len(cases), "seconds": round(seconds, 1),
                "capabilities": [{"capability": s.capability, "cases": s.cases, "passed": s.passed,
                                  "pass_rate": round(s.pass_rate, 4), "derived_with_base_passing": s.derived,
                                  "pass_rate_given_base": _round(s.pass_rate_given_base)} for s in scores]}
        if args.failures:
            data["failures"] = failures
        print(json.dumps(data, indent=2))
        return 0

    width = max(len(s.capability) for s in scores)
    # "given base": INV / DIR cases whose base case passes; a failure there is the capability's own.
    print(f"{'capability':<{width}}  {'cases':>5}  pass rate  given base")
    for s in scores:
        given = f"{s.pass_rate_given_base:.3f} of {s.derived}" if s.derived else "-"
        print(f"{s.capability:<{width}}  {s.cases:>5}  {s.pass_rate:9.3f}  {given}")
    total = sum(s.passed for s in scores)
    print(f"{'all':<{width}}  {len(cases):>5}  {total / len(cases):.3f}   ({seconds:.1f} s)")
    for row in failures:
        print(f"\n[{row['kind']}] {row['text']}\n    expected {row['expected']}"
              f"{' in ' + '/'.join(row['expected_sections']) if row['expected_sections'] else ''},"
              f" got {row['got']} ({row['cited'] or 'no citation'})   {row['id']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
