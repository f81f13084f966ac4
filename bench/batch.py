"""Benchmark batch checking: statements per second and peak memory, through the real batch path.

    .venv/bin/python bench/batch.py [--input FILE] [--column NAME] [--format jsonl|csv]
    CLAIMCHECK_RUNTIME=torch .venv/bin/python bench/batch.py   # the PyTorch path, to compare

Without --input it writes a deterministic file of over 1,300 distinct statements: every statement of
tests/data/verdicts_dev.jsonl in four wordings (as written, as a question, reported, lower case
without a full stop) and the quizzes of tests/data/quizzes_dev.jsonl. It then runs
`bot.interfaces.batch.job.run_batch`, the path `claimcheck batch` takes (streamed reading, `check_many` on
chunks of 64, rows flushed as they finish), and prints one JSON line and a readable summary.
`statements_per_second` excludes loading the models; `with_startup_per_second` counts
everything from the interpreter's start (imports, models, checking), as a user of
`claimcheck batch` waits for it. `embedding_pass_ratio` divides the batch time by the time of
one embedding pass over the same statements with the same embedder: the floor of a
retrieve-then-verify pipeline. Peak RSS is the process's maximum resident set
(`resource.getrusage`), models included.

The models and runtime are the configured ones (`CLAIMCHECK_NLI_MODEL`, `CLAIMCHECK_RUNTIME`).
Targets on 2 CPU cores: >= 150 statements/s with start-up, batch / embedding pass
<= 4, peak RSS <= 500 MB.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before the imports: start-up counts for a user of `claimcheck batch`

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import measured, record  # noqa: E402
from bot.config import (  # noqa: E402
    PROJECT_ROOT,
    load_settings,
    quiet_libraries,  # noqa: E402
)
from bot.interfaces.batch.job import BatchOptions, run_batch  # noqa: E402
from bot.interfaces.batch.rows import input_format, open_input, read_table  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data"
TARGET_RATE = 150.0  # statements/s, start-up included
TARGET_RATIO = 4.0
TARGET_RSS_MB = 500.0


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


def input_statements(source: str, column: str | None) -> list[str]:
    """The checkable statements of an input file, as `claimcheck batch` reads them."""
    with open_input(source) as stream:
        table = read_table(stream, input_format(source, None), column=column, max_chars=load_settings().max_batch_chars,
                           name=source)
        return [row.statement for row in table.rows if row.error is None]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="a .txt, .csv, .tsv or .jsonl file to check instead of the generated statements")
    parser.add_argument("--column", metavar="NAME", help="the statement column or field (default `statement`)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/speed.json")
    args = parser.parse_args()
    quiet_libraries()
    checkers = []

    def make_checker() -> Checker:
        checkers.append(Checker(load_settings()))
        return checkers[-1]

    with tempfile.TemporaryDirectory() as folder:
        source = args.input
        if source is None:
            source = str(Path(folder) / "statements.jsonl")
            Path(source).write_text("".join(json.dumps({"statement": text}) + "\n" for text in statements()),
                                    encoding="utf-8")
        output = str(Path(folder) / f"out.{args.format}")
        result = run_batch(BatchOptions(source, output, column=args.column), make_checker)
        total = time.perf_counter() - _STARTED
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, before the pass below
        texts = input_statements(source, args.column)
    embedder = checkers[0].retriever.embedder
    started = time.perf_counter()
    embedder.encode(texts)
    embedding_pass = time.perf_counter() - started
    rate, with_startup = result.rows / result.seconds, result.rows / total
    figures = {
        "statements": result.rows,
        "seconds": round(result.seconds, 2),
        "statements_per_second": round(rate, 1),
        "load_seconds": round(result.load_seconds, 2),
        "total_seconds": round(total, 2),
        "with_startup_per_second": round(with_startup, 1),
        "embedding_pass_seconds": round(embedding_pass, 2),
        "embedding_pass_ratio": round(result.seconds / embedding_pass, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "runtime": checkers[0].settings.runtime,
        "nli": type(checkers[0].nli).__name__,
        "cpus": len(os.sched_getaffinity(0)),
        "verdicts": dict(result.counts),
    }
    print(json.dumps(figures))
    if args.record and args.input is None:  # the generated statements are the recorded benchmark; a file of yours is not
        record("speed", [measured("batch", f"`claimcheck batch`, {result.rows:,} distinct statements, start-up included", {
            "statements/s": figures["with_startup_per_second"], "statements/s once loaded": figures["statements_per_second"],
            "peak RSS MB": round(peak_mb), "batch / one embedding pass": figures["embedding_pass_ratio"]})])
    verdict = {True: "met", False: "NOT met"}
    ratio = figures["embedding_pass_ratio"]
    print(f"{result.rows} statements in {total:.1f} s from start-up: {with_startup:.1f} statements/s "
          f"(target {TARGET_RATE:.0f}: {verdict[with_startup >= TARGET_RATE]}), {rate:.1f} once loaded; "
          f"batch / embedding pass {ratio:.1f}x (target {TARGET_RATIO:.0f}: {verdict[ratio <= TARGET_RATIO]}); "
          f"peak RSS {peak_mb:.0f} MB (target {TARGET_RSS_MB:.0f}: {verdict[peak_mb <= TARGET_RSS_MB]}); "
          f"models loaded in {result.load_seconds:.1f} s on {figures['cpus']} CPUs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
