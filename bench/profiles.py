"""The reader profiles' speed side by side, in one run on the same statements.

    python bench/profiles.py [--input ../shared/data/real_world/statements-2.jsonl] [--singles 20] [--json]

Each profile (`accurate`, `fast`) runs in a fresh process, one after the other, with the
configured runtime: the models are loaded and warmed up, then the first `--singles`
statements are checked one at a time (a warm single check, as in a chat: median and 90th
percentile), then the rest in chunks of 64 through `Checker.check_many`, as `claimcheck
batch` does (statements per second, loading excluded). Peak RSS is each process's maximum
resident set. Only the statements' text is read, never their labels, so any labelled file
may serve. Prints one JSON line per profile and the ratio of their rates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bot.config import PROFILES, PROJECT_ROOT, load_settings, quiet_libraries
from bot.fileio import read_jsonl

DEFAULT_INPUT = PROJECT_ROOT.parent / "shared" / "data" / "real_world" / "statements-2.jsonl"
CHUNK = 64


def measure(profile: str, path: Path, singles: int) -> dict:
    """One profile's figures, in this process."""
    from bot.verdict.checker import Checker

    quiet_libraries()
    statements = [row["statement"] for _, row in read_jsonl(path)]
    checker = Checker(load_settings(profile=profile))
    checker.warm_up()
    latencies = []
    for statement in statements[:singles]:
        started = time.perf_counter()
        checker.check(statement)
        latencies.append((time.perf_counter() - started) * 1000)
    rest = statements[singles:]
    started = time.perf_counter()
    for start in range(0, len(rest), CHUNK):
        checker.check_many(rest[start : start + CHUNK])
    seconds = time.perf_counter() - started
    return {
        "profile": profile,
        "input": str(path),
        "statements": len(rest),
        "statements_per_second": round(len(rest) / seconds, 2),
        "single_check_ms_median": round(statistics.median(latencies), 1),
        "single_check_ms_p90": round(sorted(latencies)[int(0.9 * (len(latencies) - 1))], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "threads": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="JSONL with a `statement` field")
    parser.add_argument("--singles", type=int, default=20, help="statements checked one at a time first")
    parser.add_argument("--profiles", nargs="+", choices=PROFILES, default=list(PROFILES))
    parser.add_argument("--one", choices=PROFILES, help=argparse.SUPPRESS)  # the child process's job
    parser.add_argument("--json", action="store_true", help="only the JSON lines")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.input, args.singles)))
        return 0
    results = {}
    for profile in args.profiles:
        child = subprocess.run([sys.executable, __file__, "--one", profile, "--input", str(args.input),
                                "--singles", str(args.singles)], capture_output=True, text=True, check=True)
        results[profile] = json.loads(child.stdout.strip().splitlines()[-1])
        print(json.dumps(results[profile]), flush=True)
    if not args.json and {"accurate", "fast"} <= set(results):
        ratio = results["accurate"]["statements_per_second"] / results["fast"]["statements_per_second"]
        print(f"accurate / fast statements per second: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
