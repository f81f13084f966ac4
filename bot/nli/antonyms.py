"""Antonym contrast pairs: `python -m bot.nli.antonyms --output runs/data/antonyms.jsonl`.

A small model reads "Training big networks is cheap" and "Training big networks is
expensive" as near-paraphrases: they share every word but one. Swapping one evaluative
word of a true or false restatement for its antonym gives a statement that contradicts the
original, in both directions. Only evaluative predicates are swapped ("cheap", "harder",
"raises"); size words are not, since "works with small datasets" does not contradict
"works with large datasets".

Written outside the project (it is derived data), like the other training pairs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from bot.config import DEFAULT_KNOWLEDGE
from bot.errors import ClaimCheckError
from bot.fileio import atomic_write_jsonl
from bot.knowledge import load_knowledge
from bot.records import Record

# Each pair is swapped both ways; a word takes its first listed antonym.
ANTONYMS = (
    ("cheap", "expensive"), ("cheaper", "more expensive"), ("inexpensive", "costly"),
    ("easy", "hard"), ("easier", "harder"), ("simple", "difficult"),
    ("better", "worse"), ("best", "worst"), ("outperforms", "underperforms"),
    ("possible", "impossible"), ("feasible", "infeasible"),
    ("accessible", "inaccessible"), ("more accessible", "less accessible"),
    ("necessary", "unnecessary"), ("essential", "optional"), ("required", "optional"),
    ("interpretable", "uninterpretable"), ("explainable", "unexplainable"),
    ("transparent", "opaque"), ("understandable", "incomprehensible"),
    ("fast", "slow"), ("faster", "slower"), ("quick", "slow"), ("quickly", "slowly"),
    ("raises", "lowers"), ("raise", "lower"), ("increases", "decreases"), ("reduces", "increases"),
    ("helps", "hurts"), ("strong", "weak"), ("stronger", "weaker"),
    ("succeed", "fail"), ("succeeds", "fails"), ("solved", "unsolved"),
)
_SWAP = {}
for left, right in ANTONYMS:
    _SWAP.setdefault(left, right)
    _SWAP.setdefault(right, left)
# Longest first, so "more accessible" is swapped as a whole.
_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)) + r")\b", re.I)


def _cased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def swapped(text: str) -> str | None:
    """`text` with its one evaluative word turned into its antonym; None unless exactly one."""
    found = _PATTERN.findall(text)
    if len(found) != 1:
        return None
    return _PATTERN.sub(lambda m: _cased(_SWAP[m.group(0).lower()], m.group(0)), text)


def antonym_pairs(records: list[Record]) -> list[dict]:
    """Contradiction pairs (both directions) between each rated restatement and its swap."""
    rows = []
    for record in records:
        if not record.is_restatement or record.rating not in ("true", "false"):
            continue
        other = swapped(record.text)
        if other is None:
            continue
        for premise, hypothesis in ((record.text, other), (other, record.text)):
            rows.append({"premise": premise, "hypothesis": hypothesis, "label": "contradiction",
                         "record": record.root_id})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, type=Path, help="JSONL file to write (outside the project)")
    args = parser.parse_args(argv)
    try:
        rows = antonym_pairs(load_knowledge([DEFAULT_KNOWLEDGE]))
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    atomic_write_jsonl(args.output, rows)
    print(f"{args.output}: {len(rows)} pairs: {dict(Counter(row['label'] for row in rows))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
