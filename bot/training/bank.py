"""Contrast pairs from the claim bank: `python -m bot.training.bank --output runs/data/bank.jsonl`.

The checker asks "does the user's claim repeat this restatement?" (premise = claim,
hypothesis = restatement), and the answer must turn on polarity, not on shared words:
"You don't need a GPU" and "You need a GPU" share almost every word. The bank holds both
sides of each record's proposition, so it yields pairs that teach exactly that:

* two restatements of one record with the same rating: entailment (same side);
* a true and a false restatement of one record: contradiction (opposite sides);
* a nuanced restatement against a true or false one of its record: neutral (neither
  follows from the other: "GPUs are essential" vs "GPUs speed training up");
* a restatement against one of a record in another section, or against a statement the
  article does not decide: neutral.

Written outside the project (it is derived data), like the negation-augmented pairs.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bot.config import DEFAULT_KNOWLEDGE
from bot.errors import ClaimCheckError
from bot.fileio import atomic_write_jsonl
from bot.knowledge.load import load_knowledge
from bot.knowledge.records import Record
from bot.training.antonyms import antonym_pairs
from bot.verdict.report import opposite

SEED = 17
UNRELATED_PER_STATEMENT = 2


def _label(premise: Record, hypothesis: Record) -> str:
    if premise.about == hypothesis.about and premise.about is not None:
        if premise.rating == hypothesis.rating:
            return "entailment"
        return "contradiction" if opposite(premise.rating) == hypothesis.rating else "neutral"
    return "neutral"


def bank_pairs(records: list[Record], seed: int = SEED) -> list[dict]:
    """Every ordered pair of restatements within a record, plus sampled unrelated pairs."""
    rng = random.Random(seed)
    restated = [record for record in records if record.is_restatement]
    by_record: dict[str, list[Record]] = defaultdict(list)
    for record in restated:
        if record.about is not None:
            by_record[record.about].append(record)
    pairs = [(premise, hypothesis) for group in by_record.values()
             for premise in group for hypothesis in group if premise is not hypothesis]
    for record in restated:
        others = [other for other in restated if other.section != record.section]
        pairs += [(record, other) for other in rng.sample(others, UNRELATED_PER_STATEMENT)]
    return [{"premise": premise.text, "hypothesis": hypothesis.text, "label": _label(premise, hypothesis),
             "record": premise.root_id} for premise, hypothesis in pairs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, type=Path, help="JSONL file to write (outside the project)")
    parser.add_argument("--antonyms", action="store_true",
                        help="write the antonym contrast pairs (bot.training.antonyms) instead of the bank's")
    args = parser.parse_args(argv)
    build = antonym_pairs if args.antonyms else bank_pairs
    try:
        rows = build(load_knowledge([DEFAULT_KNOWLEDGE]))
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    atomic_write_jsonl(args.output, rows)
    print(f"{args.output}: {len(rows)} pairs: {dict(Counter(row['label'] for row in rows))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
