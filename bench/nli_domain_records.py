"""Domain dev accuracy of an NLI model, record by record: where the unseen-record figure is lost.

    python bench/nli_domain_records.py [--model runs/measure] [--file data/nli-domain/dev.jsonl]

One line per knowledge record (accuracy, pairs, confusions), then the accuracy over the
records whose premise is a rated claim (the checker asks those with the user's claim as
premise) and over the passages. Use it on the measured stage-2 run: the shipped model has
seen every record.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from bot.config import DEFAULT_KNOWLEDGE  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.knowledge.load import load_knowledge  # noqa: E402
from bot.models.nli import NLIModel  # noqa: E402
from bot.verdict.decide import claim_is_premise  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="runs/measure", help="NLI model folder or id")
    parser.add_argument("--file", default="data/nli-domain/dev.jsonl", help="domain pairs with a `record` field")
    args = parser.parse_args()

    rows = [row for _, row in read_jsonl(args.file)]
    claims = {record.id for record in load_knowledge([DEFAULT_KNOWLEDGE]) if claim_is_premise(record)}
    predicted = [scores.label for scores in NLIModel(args.model).predict([(r["premise"], r["hypothesis"]) for r in rows])]
    right: dict[str, list[bool]] = defaultdict(list)
    mistakes: dict[str, Counter] = defaultdict(Counter)
    for row, label in zip(rows, predicted):
        right[row["record"]].append(label == row["label"])
        if label != row["label"]:
            mistakes[row["record"]][f"{row['label']}->{label}"] += 1
    for record, hits in sorted(right.items()):
        print(f"{record:28} {sum(hits) / len(hits):.3f} of {len(hits):3}  {dict(mistakes[record].most_common(3))}")
    for name, chosen in (("rated claims", [r for r in right if r in claims]),
                         ("passages", [r for r in right if r not in claims])):
        hits = [hit for record in chosen for hit in right[record]]
        if hits:
            print(f"{name}: {sum(hits) / len(hits):.3f} of {len(hits)} pairs ({len(chosen)} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
