"""Cold start: wall clock of fresh `claimcheck` processes, as a user in a shell waits for them.

    .venv/bin/python bench/start.py [--runs 5] [--runtime auto --runtime torch]
    .venv/bin/python bench/start.py --knowledge DIR --statement "..."   # a check against your notes
    .venv/bin/python bench/start.py --runs 3 --runtime auto --record   # and write bench/results/speed.json

Times `claimcheck --help` and `claimcheck check STATEMENT` (imports, knowledge, index, both
models, one verdict; with `--knowledge`, the folder's index from the cache and the notes' model
too) in new processes, and prints the median and the range per command and
runtime, with each process's peak RSS. Target on 2 CPU cores: check <= 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import Row, measured, record  # noqa: E402

STATEMENT = "Deep learning always needs a GPU."
TARGET_CHECK_S = 1.5
CLAIMCHECK = str(Path(sys.executable).with_name("claimcheck"))


def timed(command: list[str], environ: dict) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of `command`, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own resource use, not all children's
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def _row(row: dict, args: argparse.Namespace) -> Row:
    """The speed table's row for one command and runtime (`auto` is the default runtime, ONNX Runtime)."""
    if row["command"] == "help":
        return measured("help", "`claimcheck --help`", {"seconds": row["median_s"]})
    runtime = "ONNX Runtime" if row["runtime"] == "auto" else "PyTorch"
    notes = " with your own notes (the notes' NLI model loads too)" if args.knowledge else ""
    id = "cold-check" + ("-notes" if args.knowledge else "") + ("-torch" if row["runtime"] == "torch" else "")
    return measured(id, f"Cold `claimcheck check`{notes}, start-up included (median of {args.runs}), {runtime}",
                    {"seconds": row["median_s"], "peak RSS MB": round(row["peak_rss_mb"])})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runtime", action="append", choices=("auto", "onnx", "torch"), help="repeatable")
    parser.add_argument("--knowledge", metavar="DIR", help="check against this folder of notes as well")
    parser.add_argument("--statement", default=STATEMENT, help="the statement to check (default %(default)r)")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/speed.json")
    args = parser.parse_args()
    check = [CLAIMCHECK, "check", args.statement, *(["--knowledge", args.knowledge] if args.knowledge else [])]
    rows = []
    for runtime in args.runtime or ["auto", "torch"]:
        environ = {**os.environ, "CLAIMCHECK_RUNTIME": runtime, "HF_HUB_OFFLINE": "1"}
        for name, command in (("help", [CLAIMCHECK, "--help"]), ("check", check)):
            timed(command, environ)  # a first run warms the page cache: later runs measure the process, not the disk
            runs = [timed(command, environ) for _ in range(args.runs)]
            seconds = [wall for wall, _ in runs]
            row = {"command": name, "runtime": runtime, "median_s": round(statistics.median(seconds), 2),
                   "min_s": round(min(seconds), 2), "max_s": round(max(seconds), 2),
                   "peak_rss_mb": round(max(rss for _, rss in runs), 1), "cpus": len(os.sched_getaffinity(0))}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.record:
        # `auto` is the default (ONNX Runtime); --help is the same in every runtime, so it is recorded once.
        record("speed", [_row(row, args) for row in rows if row["runtime"] == "auto"
                         or (row["runtime"] == "torch" and row["command"] == "check")])
    for row in rows:
        target = f" (target {TARGET_CHECK_S} s: {'met' if row['median_s'] <= TARGET_CHECK_S else 'NOT met'})" \
            if row["command"] == "check" and row["runtime"] != "torch" else ""
        print(f"{row['command']:>6} {row['runtime']:>6}: median {row['median_s']} s "
              f"[{row['min_s']}-{row['max_s']}]{target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
