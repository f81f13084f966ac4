"""NLI pairs drawn from the tuning parts of the real-world statements.

The real statements carry a verdict and the article section that decides it, not an NLI
label for each passage, so a pair is made only where the label follows from them:

* the statement against the closest record of its own section: a passage (premise) entails
  a true statement, contradicts a false one and leaves a nuanced one neutral (the passage
  does not grant its absolute wording); a debunked myth (hypothesis, the claim as premise)
  is entailed by a false statement, contradicted by a true one, neither by a nuanced one;
* a statement the article does not decide against its closest records: neutral, whatever
  section they come from, so on-topic specifics the article never states stay undecided.

Multi-sentence statements are left out: their verdict belongs to the message, not to each
sentence. Each statement is read as the checker reads it (`plan_claim`: a question as a
statement, a framed denial as the claim it denies, with the verdict turned round). Only the tuning parts are read (`bot.evaluation.realworld.part_of`); the held-out
parts never reach training. The pairs are written outside the project (`runs/data/`), as
they quote third-party text.

    python -m bot.training.realworld_pairs --output runs/data/realworld.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bot.config import load_settings, quiet_libraries
from bot.evaluation.realworld import STATEMENT_FILES, load_part
from bot.evaluation.statements import LabelledStatement
from bot.knowledge.records import Record
from bot.knowledge.retrieve import Retriever
from bot.text.claims import split_sentences
from bot.verdict.checker import plan_claim
from bot.verdict.decide import claim_is_premise
from bot.verdict.report import opposite

# The label of (record, claim) for a passage, or of (claim, record) for a myth, by the claim's verdict.
_PASSAGE_LABEL = {"true": "entailment", "false": "contradiction", "nuanced": "neutral"}
_MYTH_LABEL = {"true": "contradiction", "false": "entailment", "nuanced": "neutral"}


def _pair(claim: str, record: Record, label: str) -> dict:
    """The pair in the direction the checker asks it (`bot.verdict.decide.claim_is_premise`)."""
    premise, hypothesis = (claim, record.model_text) if claim_is_premise(record) else (record.model_text, claim)
    return {"premise": premise, "hypothesis": hypothesis, "label": label}


def pair_for(claim: str, record: Record, verdict: str) -> dict | None:
    """The labelled pair of one claim and one record of the section that decides it; None when no label follows."""
    if record.kind == "claim" and record.rating == "nuanced":
        return None  # a nuanced-rated claim neither grants nor denies the statements of its section
    label = (_MYTH_LABEL if record.is_myth else _PASSAGE_LABEL).get(verdict)
    return None if label is None else _pair(claim, record, label)


def build_pairs(statements: list[LabelledStatement], retriever: Retriever, k: int = 3) -> list[dict]:
    """Pairs for the single-sentence statements, each read as the checker reads it."""
    singles = [row for row in statements if len(split_sentences(row.statement)) == 1]
    plans = [plan_claim(row.statement) for row in singles]
    hits = retriever.search_many([plan.claim for plan in plans], k=k, restatements=0)
    pairs = []
    for row, plan, found in zip(singles, plans, hits):
        records = [hit.record for hit in found]
        if not row.sections or row.verdict == "unverifiable":
            pairs.extend(_pair(plan.claim, record, "neutral") for record in records[:2])
            continue
        # A framed denial ("it's a myth that X") is judged as X, so X carries the opposite verdict.
        verdict = opposite(row.verdict) if plan.denied else row.verdict
        own = next((record for record in records if record.section in row.sections), None)
        made = pair_for(plan.claim, own, verdict) if own else None
        if made:
            pairs.append(made)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.training.realworld_pairs", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help="JSONL file for the pairs (outside the project)")
    args = parser.parse_args(argv)
    quiet_libraries()
    retriever = Retriever.from_settings(load_settings())
    pairs = []
    for path in STATEMENT_FILES:
        pairs.extend(build_pairs(load_part("tune", path), retriever))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(json.dumps(pair) + "\n" for pair in pairs))
    print(f"{len(pairs)} pairs ({dict(Counter(pair['label'] for pair in pairs))}) -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
