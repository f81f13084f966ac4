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
sentence. Only the tuning parts are read (`bot.evaluation.realworld.part_of`); the held-out
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
from bot.text.claims import read_claim, split_sentences, with_topic

_PASSAGE_LABEL = {"true": "entailment", "false": "contradiction", "nuanced": "neutral"}
_MYTH_LABEL = {"true": "contradiction", "false": "entailment", "nuanced": "neutral"}


def pair_for(claim: str, record: Record, verdict: str) -> dict | None:
    """The labelled pair of one claim and one record of the section that decides it; None when no label follows."""
    if record.is_myth:
        label = _MYTH_LABEL.get(verdict)
        return None if label is None else {"premise": claim, "hypothesis": record.model_text, "label": label}
    if record.kind == "claim" and record.rating == "nuanced":
        return None  # a nuanced-rated claim neither grants nor denies the statements of its section
    label = _PASSAGE_LABEL.get(verdict)
    return None if label is None else {"premise": record.model_text, "hypothesis": claim, "label": label}


def neutral_pair(claim: str, record: Record) -> dict:
    """A claim the article does not decide, against a record, in the direction the checker asks."""
    if record.is_myth or record.kind == "claim" and record.rating == "nuanced":
        return {"premise": claim, "hypothesis": record.model_text, "label": "neutral"}
    return {"premise": record.model_text, "hypothesis": claim, "label": "neutral"}


def build_pairs(statements: list[LabelledStatement], retriever: Retriever, k: int = 3) -> list[dict]:
    """Pairs for the single-sentence statements, as the checker would read them."""
    singles = [row for row in statements if len(split_sentences(row.statement)) == 1]
    claims = []
    for row in singles:
        claim, _ = read_claim(row.statement)
        claims.append(with_topic(claim) or claim)
    hits = retriever.search_many(claims, k=k, restatements=0)
    pairs = []
    for row, claim, found in zip(singles, claims, hits):
        records = [hit.record for hit in found if not hit.record.is_restatement]
        if not row.sections or row.verdict == "unverifiable":
            pairs.extend(neutral_pair(claim, record) for record in records[:2])
            continue
        own = next((record for record in records if record.section in row.sections), None)
        made = pair_for(claim, own, row.verdict) if own else None
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
