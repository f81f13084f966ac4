"""Held-out NLI accuracy of a model on every report-only set: the model card's table.

    python bench/nli_heldout.py [--model DIR] [--data ../shared/data/nli] [--threads 2] [--sets F ...] [--limit N]

One JSON line per file (accuracy, per-label F1, pairs), then a Markdown table. Files
missing from the data folder are skipped with a note. Nothing here is used for training
or tuning: these are the sets `../shared/data/nli/README.md` marks "held-out test".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402

from bench.results import measured, record  # noqa: E402
from bot.config import DEFAULT_DEEP_NLI_MODEL, DEFAULT_NLI_MODEL, SHARED_NLI_DATA  # noqa: E402
from bot.evaluation.nli import evaluate_pairs  # noqa: E402
from bot.evaluation.nli_pairs import read_pairs  # noqa: E402
from bot.models.nli import NLIModel  # noqa: E402

HELD_OUT = (
    "snli/test.jsonl",
    "mnli_taxinli/dev_mismatched_subset.jsonl",
    "negation_nli/test_snli.jsonl",
    "negation_nli/test_mnli.jsonl",
    "cad_snli/test.jsonl",
    "fever_symmetric/test.jsonl",
    "fm2/test.jsonl",
    "scitail/test.jsonl",
    "breaking_nli/test.jsonl",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_NLI_MODEL)
    parser.add_argument("--data", type=Path, default=SHARED_NLI_DATA)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sets", nargs="+", default=HELD_OUT, choices=HELD_OUT, metavar="FILE",
                        help="some of the held-out files, e.g. fm2/test.jsonl (default: all)")
    parser.add_argument("--limit", type=int, default=0,
                        help="score a seeded sample of this many pairs per file (the same for every model)")
    parser.add_argument("--record", action="store_true",
                        help="also write the figures to bench/results/nli.json (the shipped model only)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = NLIModel(args.model)
    rows = []
    for name in args.sets:
        path = args.data / name
        if not path.is_file():
            print(f"skipped {name}: not found under {args.data}", file=sys.stderr)
            continue
        pairs = read_pairs(path)
        if args.limit and len(pairs) > args.limit:
            pairs = random.Random(0).sample(pairs, args.limit)
        result = evaluate_pairs(model, pairs)
        print(json.dumps({"file": name, **{k: result[k] for k in ("pairs", "classes", "accuracy", "f1")}}),
              flush=True)
        rows.append((name, result))
    shipped = {Path(DEFAULT_NLI_MODEL).resolve(), Path(DEFAULT_DEEP_NLI_MODEL).resolve()}
    if args.record and Path(args.model).resolve() in shipped:  # another model's figures are a trial
        reader, sample = Path(args.model).name, f", a seeded sample of {args.limit}" if args.limit else ""
        suffix = f"-{reader}" + (f"-sample{args.limit}" if args.limit else "")
        record("nli", [measured(name.removesuffix(".jsonl").replace("/", "-").replace("_", "-") + suffix,
                                f"{name.removesuffix('.jsonl')} ({reader}{sample})",
                                {"pairs": result["pairs"], "accuracy": round(result["accuracy"], 3)})
                       for name, result in rows])
    print("\n| set | pairs | classes | accuracy |\n|---|---|---|---|")
    for name, result in rows:
        print(f"| `{name.removesuffix('.jsonl')}` | {result['pairs']:,} | {result['classes']} | "
              f"{result['accuracy']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
