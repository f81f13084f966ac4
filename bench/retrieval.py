"""Retrieval quality on the hand-written queries, dense alone and fused with BM25.

    python bench/retrieval.py [--queries tests/data/retrieval_queries.jsonl] [--record]

Prints, for each lexical weight, the share of queries whose expected record ranks first
and the share with one in the top 3 (the figures quoted in the README).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import measured, record  # noqa: E402
from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.knowledge.retrieve import LEXICAL_WEIGHT, Retriever  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", default=str(PROJECT_ROOT / "tests" / "data" / "retrieval_queries.jsonl"))
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/retrieval.json")
    args = parser.parse_args()
    queries = [row for _, row in read_jsonl(args.queries)]
    base = Retriever.from_settings(load_settings())
    rows = []
    for weight in sorted({0.0, 0.1, LEXICAL_WEIGHT, 0.3, 0.5}):
        retriever = Retriever(base.records, base.index, base.embedder, lexical_weight=weight)
        results = retriever.search_many([q["query"] for q in queries], k=3)
        # A restatement found stands for the record it restates.
        first = sum(hits[0].record.root_id in q["expected"] for hits, q in zip(results, queries)) / len(queries)
        top3 = sum(any(h.record.root_id in q["expected"] for h in hits) for hits, q in zip(results, queries)) / len(queries)
        mark = "  (default)" if weight == LEXICAL_WEIGHT else ""
        print(f"lexical weight {weight:.1f}: first {first:.3f}, top-3 {top3:.3f} over {len(queries)} queries{mark}")
        if weight in (0.0, LEXICAL_WEIGHT):  # the shipped fusion, and dense retrieval alone beside it
            name = f"dense and BM25 fused (weight {weight:.1f}, the default)" if weight else "dense alone"
            rows.append(measured(f"lexical-{weight:.1f}", f"Hand-written queries, {name}",
                                 {"queries": len(queries), "first": round(first, 3), "top 3": round(top3, 3)}))
    if args.record:
        record("retrieval", rows[::-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
