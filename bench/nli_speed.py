"""NLI speed and accuracy: ONNX Runtime float32 against PyTorch float32 and dynamic int8, on 2 CPU threads.

    python bench/nli_speed.py [--model DIR] [--threads 2] [--variant onnx ...] [--speed-only]

Reports, per variant: pairs per second batched (512 domain pairs, batch 64), the median
latency of a single pair (100 calls), and accuracy on held-out samples (SNLI test, MNLI
mismatched, the domain dev split). One JSON line per variant, then a table.

Then the ceiling: the encoder's dense work per pair (its linear layers over the pair's
tokens, padding and attention scores left out, so an underestimate), the rate each variant
does it at, and the rate of one float32 matrix product of a batch's feed-forward shape on the
same threads (numpy's BLAS): how far any float32 runtime could still go.
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

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from bot.config import DEFAULT_NLI_MODEL, PROJECT_ROOT, SHARED_NLI_DATA, load_settings  # noqa: E402
from bot.evaluation.nli import evaluate_pairs  # noqa: E402
from bot.evaluation.nli_pairs import read_pairs  # noqa: E402
from bot.models.runtime import NLIRunner, make_nli  # noqa: E402
from bot.models.token_batches import load_tokenizer  # noqa: E402

SAMPLES = {
    "snli_test": (SHARED_NLI_DATA / "snli" / "test.jsonl", 1000),
    "mnli_mismatched": (SHARED_NLI_DATA / "mnli_taxinli" / "dev_mismatched_subset.jsonl", 1000),
    "domain_dev": (PROJECT_ROOT / "data" / "nli-domain" / "dev.jsonl", 0),
}
# variant: (runtime, int8)
VARIANTS = {"onnx": ("onnx", False), "torch": ("torch", False), "torch-int8": ("torch", True)}


def speed_batch() -> list[tuple[str, str]]:
    domain = read_pairs(SAMPLES["domain_dev"][0])
    return [(p.premise, p.hypothesis) for p in (domain * 2)[:512]]


def dense_gflop_per_pair(folder: str, config: dict, batch: list[tuple[str, str]]) -> tuple[float, float]:
    """(mean tokens per pair, GFLOP of the encoder's linear layers per pair) for a BERT-style model."""
    hidden, inner = config["hidden_size"], config["intermediate_size"]
    # Per token and layer: query, key, value and output projections, then the two feed-forward layers.
    macs_per_token = config["num_hidden_layers"] * (4 * hidden * hidden + 2 * hidden * inner)
    tokenizer = load_tokenizer(Path(folder) / "tokenizer.json", max_length=256)  # as the models read them
    tokens = statistics.mean(len(encoding.ids) for encoding in tokenizer.encode_batch(batch))
    return tokens, 2 * macs_per_token * tokens / 1e9


def matmul_gflops(threads: int, rows: int, hidden: int, inner: int) -> float:
    """float32 GFLOP/s of one (rows x hidden) @ (hidden x inner) product on `threads` BLAS threads (best of 5)."""
    generator = np.random.default_rng(0)
    left = generator.random((rows, hidden), dtype=np.float32)
    right = generator.random((hidden, inner), dtype=np.float32)
    best = float("inf")
    with threadpool_limits(threads):
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(20):
                left @ right
            best = min(best, (time.perf_counter() - started) / 20)
    return 2 * rows * hidden * inner / best / 1e9


def measure(model: NLIRunner, speed_only: bool) -> dict:
    batch = speed_batch()
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

    config = json.loads((Path(args.model) / "config.json").read_text())
    tokens, gflop = dense_gflop_per_pair(args.model, config, speed_batch())
    peak = matmul_gflops(args.threads, 64 * round(tokens), config["hidden_size"], config["intermediate_size"])
    ceiling = {"tokens_per_pair": round(tokens, 1), "dense_gflop_per_pair": round(gflop, 3),
               "float32_matmul_gflops": round(peak, 1), "pairs_per_second_at_matmul_rate": round(peak / gflop, 1),
               **{f"{variant}_gflops": round(row["pairs_per_second"] * gflop, 1) for variant, row in rows.items()}}
    print(json.dumps({"ceiling": ceiling, "threads": args.threads}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
