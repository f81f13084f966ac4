"""Negation-augmented NLI pairs: `python -m bot.training.augment IN.jsonl ... --output OUT.jsonl`.

Small NLI models learn "a 'not' in the hypothesis means contradiction". Pairing each
hypothesis with its negation, labelled by logic rather than by that shortcut, teaches
them to read the negation instead:

* entailment -> contradiction: the premise makes H true, so "not H" false;
* contradiction -> entailment: under SNLI's convention (both sentences describe the same
  scene) the premise makes H false, so "not H" true;
* neutral -> neutral: the premise settles neither.

Only hypotheses with a copula or modal ("is", "are", "can", ...) that is not
already negated are rewritten; the rest are skipped. The output is derived from the
input data and keeps its licence: write it outside the project (e.g. `runs/data/`).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import asdict
from pathlib import Path

from bot.errors import ClaimCheckError
from bot.evaluation.nli_pairs import NLIPair, read_pairs
from bot.fileio import atomic_write_jsonl

FLIPPED = {"entailment": "contradiction", "contradiction": "entailment", "neutral": "neutral"}
_AUXILIARY = re.compile(r"\b(is|are|was|were|can|could|will|would|should)\b", re.IGNORECASE)
_ALREADY_NEGATED = re.compile(r"\b(not|no|never|nobody|nothing|none|cannot)\b|n't\b", re.IGNORECASE)


def negate(sentence: str) -> str | None:
    """The sentence with "not" after its first auxiliary ("A man is not ..."); None if it has none,
    starts with it (a question) or is already negated."""
    if _ALREADY_NEGATED.search(sentence):
        return None
    match = _AUXILIARY.search(sentence)
    if match is None or not sentence[: match.start()].strip():
        return None
    word = match.group(1)
    negated = "cannot" if word.lower() == "can" else f"{word} not"
    return sentence[: match.start()] + negated + sentence[match.end() :]


def negated_pairs(pairs: list[NLIPair]) -> list[NLIPair]:
    """One pair with the hypothesis negated and the label flipped, for every pair that allows it."""
    out = []
    for pair in pairs:
        hypothesis = negate(pair.hypothesis)
        if hypothesis is not None:
            out.append(NLIPair(pair.premise, hypothesis, FLIPPED[pair.label]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write negation-augmented NLI pairs.")
    parser.add_argument("inputs", nargs="+", type=Path, help="NLI JSONL files")
    parser.add_argument("--output", type=Path, required=True, help="JSONL file to write")
    args = parser.parse_args(argv)
    try:
        pairs = [pair for path in args.inputs for pair in negated_pairs(read_pairs(path))]
        args.output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_jsonl(args.output, (asdict(pair) for pair in pairs))
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"claimcheck: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{args.output}: {len(pairs)} negated pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
