"""Antonym contrast pairs: `python -m bot.training.bank --antonyms --output runs/data/antonyms.jsonl`.

A small model reads "Training big networks is cheap" and "Training big networks is
expensive" as near-paraphrases: they share every word but one. Swapping one evaluative
word of a true or false restatement for its antonym gives a statement that contradicts the
original, in both directions. Only evaluative predicates are swapped ("cheap", "harder",
"raises"); size words are not, since "works with small datasets" does not contradict
"works with large datasets".

Written outside the project (it is derived data), like the other training pairs. The word
list is the article's evaluative vocabulary, one antonym per word so a swap is a rewrite;
`bot.verdict.contrast` keeps its own sets of opposites for reading the user's notes, where any word of
the other side counts.
"""

from __future__ import annotations

import re

from bot.knowledge.records import Record
from bot.text.claims import same_case

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


def swapped(text: str) -> str | None:
    """`text` with its one evaluative word turned into its antonym; None unless exactly one."""
    found = _PATTERN.findall(text)
    if len(found) != 1:
        return None
    return _PATTERN.sub(lambda m: same_case(m.group(0), _SWAP[m.group(0).lower()]), text)


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

