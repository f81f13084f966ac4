"""NLI speed and accuracy: ONNX Runtime float32 against PyTorch float32 and dynamic int8, on 2 CPU threads.

    python bench/nli_speed.py [--model DIR] [--threads 2] [--variant onnx ...] [--speed-only]

Reports, per variant: pairs per second batched (512 domain pairs, batch 64), the median
latency of a single pair (100 calls), and accuracy on held-out samples (SNLI test, MNLI
mismatched, the domain dev split). One JSON line per variant, then a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bot.config import DEFAULT_NLI_MODEL, PROJECT_ROOT, SHARED_NLI_DATA, load_settings  # noqa: E402
from bot.nli.data import read_pairs  # noqa: E402
from bot.nli.evaluate import evaluate_pairs  # noqa: E402
from bot.runtime import NLIRunner, make_nli  # noqa: E402

SAMPLES = {
    "snli_test": (SHARED_NLI_DATA / "snli" / "test.jsonl", 1000),
    "mnli_mismatched": (SHARED_NLI_DATA / "mnli_taxinli" / "dev_mismatched_subset.jsonl", 1000),
    "domain_dev": (PROJECT_ROOT / "data" / "nli-domain" / "dev.jsonl", 0),
}
# variant: (runtime, int8)
VARIANTS = {"onnx": ("onnx", False), "torch": ("torch", False), "torch-int8": ("torch", True)}


def measure(model: NLIRunner, speed_only: bool) -> dict:
    domain = read_pairs(SAMPLES["domain_dev"][0])
    batch = [(p.premise, p.hypothesis) for p in (domain * 2)[:512]]
    model.predict(batch[:64])
    started = time.perf_counter()
    model.predict(batch)
    throughput = len(batch) / (time.perf_counter() - started)
    latencies = []
    for premise, hypothesis in batch[:100]:
        started = time.perf_counter()
        model.predict([(premise, hypothesis)])
        latencies.append((time.perf_counter() - started) * 1000)
    result = {"pairs_per_second": round(throughput, 1), "single_pair_ms": round(statistics.median(latencies), 2)}
    if speed_only:
        return result
    for name, (path, limit) in SAMPLES.items():
        pairs = read_pairs(path)
        result[f"{name}_accuracy"] = evaluate_pairs(model, pairs[:limit] if limit else pairs)["accuracy"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_NLI_MODEL)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), help="only these (repeatable)")
    parser.add_argument("--speed-only", action="store_true", help="skip the accuracy samples")
    args = parser.parse_args()
    rows = {}
    for variant in args.variant or list(VARIANTS):
        runtime, int8 = VARIANTS[variant]
        if runtime == "torch":
            import torch

            torch.set_num_threads(args.threads)
        settings = load_settings(nli_model=args.model, runtime=runtime, nli_int8=int8, threads=args.threads)
        rows[variant] = measure(make_nli(settings), args.speed_only)
        print(json.dumps({"variant": variant, "threads": args.threads, **rows[variant]}), flush=True)
    keys = list(next(iter(rows.values())))
    print(f"\n{'':>24}" + "".join(f"{v:>12}" for v in rows))
    for key in keys:
        print(f"{key:>24}" + "".join(f"{rows[v][key]:>12}" for v in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
