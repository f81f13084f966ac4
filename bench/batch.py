"""Benchmark batch checking: statements per second and peak memory, through the real batch path.

    .venv/bin/python bench/batch.py [--input FILE] [--format jsonl|csv]

Without --input it writes a deterministic file of over 1,300 distinct statements: every statement of
tests/data/verdicts_dev.jsonl in four wordings (as written, as a question, reported, lower case
without a full stop) and the quizzes of tests/data/quizzes_dev.jsonl. It then runs
`bot.batch.job.run_batch`, the path `claimcheck batch` takes (streamed reading, `check_many` on
chunks of 64, rows flushed as they finish), and prints one JSON line and a readable summary.
Statements per second exclude loading the models (reported apart); peak RSS is the process's
maximum resident set (`resource.getrusage`), models included.

The model is the configured one (`CLAIMCHECK_NLI_MODEL` picks another).
Targets on 2 CPU cores: >= 100 statements/s, peak RSS <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

from bot.batch.job import BatchOptions, run_batch
from bot.checker import Checker
from bot.cli import quiet_libraries
from bot.config import PROJECT_ROOT, load_settings

DATA = PROJECT_ROOT / "tests" / "data"
TARGET_RATE = 100.0
TARGET_RSS_MB = 1024.0


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]  # keep acronyms: "GPUs", "CNNs"


def wordings(statement: str) -> list[str]:
    bare = statement.rstrip(".")
    return [statement, f"Is it true that {_lower_first(bare)}?", f"I read that {_lower_first(statement)}",
            bare.lower()]


def statements() -> list[str]:
    """The benchmark's statements, always the same, in a stable order, without repeats."""
    def texts(name: str, field: str) -> list[str]:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line)[field] for line in lines if line.strip()]

    variants = [wording for text in texts("verdicts_dev.jsonl", "statement") for wording in wordings(text)]
    return list(dict.fromkeys(variants + texts("quizzes_dev.jsonl", "text")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="a file to check instead of the generated statements")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format")
    args = parser.parse_args()
    quiet_libraries()
    with tempfile.TemporaryDirectory() as folder:
        source = args.input
        if source is None:
            source = str(Path(folder) / "statements.jsonl")
            Path(source).write_text("".join(json.dumps({"statement": text}) + "\n" for text in statements()),
                                    encoding="utf-8")
        output = str(Path(folder) / f"out.{args.format}")
        result = run_batch(BatchOptions(source, output), lambda: Checker(load_settings()))
    rate = result.rows / result.seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {
        "statements": result.rows,
        "seconds": round(result.seconds, 2),
        "statements_per_second": round(rate, 1),
        "load_seconds": round(result.load_seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "cpus": len(os.sched_getaffinity(0)),
        "verdicts": dict(result.counts),
    }
    print(json.dumps(figures))
    verdict = {True: "met", False: "NOT met"}
    print(f"{result.rows} statements in {result.seconds:.1f} s: {rate:.1f} statements/s "
          f"(target {TARGET_RATE:.0f}: {verdict[rate >= TARGET_RATE]}); peak RSS {peak_mb:.0f} MB "
          f"(target {TARGET_RSS_MB:.0f}: {verdict[peak_mb <= TARGET_RSS_MB]}); "
          f"models loaded in {result.load_seconds:.1f} s on {figures['cpus']} CPUs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
