"""NLI speed and accuracy, float32 against dynamic int8, on 2 CPU threads.

    python bench/nli_speed.py [--model DIR] [--threads 2]

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

import torch  # noqa: E402

from bot.config import DEFAULT_NLI_MODEL, PROJECT_ROOT, SHARED_NLI_DATA  # noqa: E402
from bot.nli.data import read_pairs  # noqa: E402
from bot.nli.evaluate import evaluate_pairs  # noqa: E402
from bot.nli.model import NLIModel  # noqa: E402

SAMPLES = {
    "snli_test": (SHARED_NLI_DATA / "snli" / "test.jsonl", 1000),
    "mnli_mismatched": (SHARED_NLI_DATA / "mnli_taxinli" / "dev_mismatched_subset.jsonl", 1000),
    "domain_dev": (PROJECT_ROOT / "data" / "nli-domain" / "dev.jsonl", 0),
}


def measure(model: NLIModel) -> dict:
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
    for name, (path, limit) in SAMPLES.items():
        pairs = read_pairs(path)
        result[f"{name}_accuracy"] = evaluate_pairs(model, pairs[:limit] if limit else pairs)["accuracy"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_NLI_MODEL)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = {}
    for variant, int8 in (("float32", False), ("int8", True)):
        rows[variant] = measure(NLIModel(args.model, int8=int8))
        print(json.dumps({"variant": variant, "threads": args.threads, **rows[variant]}), flush=True)
    keys = list(rows["float32"])
    print(f"\n{'':>24}" + "".join(f"{v:>12}" for v in rows))
    for key in keys:
        print(f"{key:>24}" + "".join(f"{rows[v][key]:>12}" for v in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
