"""Build the domain NLI data: `python -m bot.training.domain`.

`data/nli-domain/statements.yaml` holds hand-written hypotheses, grouped by knowledge
record id under `entailment`, `contradiction` and `neutral`; each is paired with its
record's text as the premise. The output is `train.jsonl` and `dev.jsonl` beside it, one
`{"premise", "hypothesis", "label", "record"}` object per line.

* Split by record: in every section a seeded ~15% of record ids (at least one, never all)
  go to dev with all their pairs, so dev premises are never seen in training.
* Claims rated false or nuanced are also paired the other way round (premise = the
  statement, hypothesis = the claim), the direction in which the checker asks them.
* Cross-record pairs: each record also gets `CROSS_PER_RECORD` entailed statements of
  records in a *different* section, labelled neutral (an unrelated statement is not
  supported). They come from the same split only, and only from the donor sections in
  `DONORS`, which leaves out sections whose topics overlap, so no borrowed statement is
  accidentally entailed or contradicted by its new premise.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

import yaml

from bot.config import DEFAULT_KNOWLEDGE, PROJECT_ROOT
from bot.errors import ClaimCheckError, UsageError
from bot.fileio import atomic_write_jsonl
from bot.knowledge.load import load_structured
from bot.knowledge.records import Record
from bot.models.nli import LABELS
from bot.verdict.decide import claim_is_premise

KNOWLEDGE = DEFAULT_KNOWLEDGE / "holbox-2025-deep-learning-myths.yaml"
FOLDER = PROJECT_ROOT / "data" / "nli-domain"
STATEMENTS = FOLDER / "statements.yaml"
SEED = 13
DEV_FRACTION = 0.15
CROSS_PER_RECORD = 3

# Section -> sections whose entailed statements are neutral for its records. Left out:
# myth-2/myth-3 (interpretability), myth-3/conclusion (bias, cost, limits), myth-1, 4 and
# 5 with each other (limited resources, accessibility, small data), and intro/conclusion
# statements as donors (they are general claims about deep learning).
DONORS = {
    "intro": ("myth-1", "myth-2", "myth-4", "myth-5"),
    "myth-1": ("myth-2",),
    "myth-2": ("myth-1", "myth-4", "myth-5"),
    "myth-3": ("myth-5",),
    "myth-4": ("myth-2",),
    "myth-5": ("myth-2", "myth-3"),
    "conclusion": ("myth-1", "myth-4", "myth-5"),
}

Statements = dict[str, dict[str, list[str]]]


def read_statements(path: Path, records: dict[str, Record]) -> Statements:
    """Load and check the statements file: known ids and labels, non-empty text, every record covered."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a mapping from record id to labelled statements")
    statements: Statements = {}
    for record_id, by_label in data.items():
        where = f"{path}: record {record_id}"
        if record_id not in records:
            raise UsageError(f"{where}: no such record in {KNOWLEDGE.name}")
        if not isinstance(by_label, dict):
            raise UsageError(f"{where}: expected lists under {', '.join(LABELS)}")
        seen: dict[str, str] = {}
        for label, hypotheses in by_label.items():
            if label not in LABELS:
                raise UsageError(f"{where}: unknown label {label!r}; use {', '.join(LABELS)}")
            if not isinstance(hypotheses, list) or not all(isinstance(h, str) and h.strip() for h in hypotheses):
                raise UsageError(f"{where}: {label} must be a list of non-empty strings")
            for hypothesis in hypotheses:
                if seen.setdefault(hypothesis, label) != label:
                    raise UsageError(f"{where}: {hypothesis!r} is under both {seen[hypothesis]} and {label}")
        statements[record_id] = {label: list(by_label.get(label) or []) for label in LABELS}
    missing = [record_id for record_id in records if record_id not in statements]
    if missing:
        raise UsageError(f"{path}: no statements for record(s) {', '.join(missing)}")
    return statements


def dev_records(records: dict[str, Record]) -> set[str]:
    """A seeded ~DEV_FRACTION of each section's records (at least one, never the whole section)."""
    sections: dict[str, list[str]] = {}
    for record in records.values():
        sections.setdefault(record.section, []).append(record.id)
    chosen: set[str] = set()
    for ids in sections.values():
        ranked = sorted(ids, key=lambda rid: hashlib.sha256(f"{SEED}:{rid}".encode()).hexdigest())
        chosen.update(ranked[: min(len(ids) - 1, max(1, round(DEV_FRACTION * len(ids))))])
    return chosen


def build_pairs(records: dict[str, Record], statements: Statements, dev: set[str]) -> dict[str, list[dict]]:
    """All pairs, split into train and dev by record; cross-record neutrals stay within a split."""
    unknown = sorted({r.section for r in records.values()} - DONORS.keys())
    if unknown:
        raise UsageError(f"no cross-record donors defined for section(s) {', '.join(unknown)}")
    splits: dict[str, list[dict]] = {"train": [], "dev": []}
    for record_id, by_label in statements.items():
        record = records[record_id]
        split = "dev" if record_id in dev else "train"
        own = {h for hypotheses in by_label.values() for h in hypotheses}
        pool = sorted({
            h
            for other, other_labels in statements.items()
            if (other in dev) == (split == "dev") and records[other].section in DONORS[record.section]
            for h in other_labels["entailment"]
        } - own)
        borrowed = random.Random(f"{SEED}:{record_id}").sample(pool, CROSS_PER_RECORD)
        labelled = [(h, label) for label in LABELS for h in by_label[label]] + [(h, "neutral") for h in borrowed]
        splits[split].extend(
            {"premise": record.text, "hypothesis": " ".join(h.split()), "label": label, "record": record_id}
            for h, label in labelled
        )
        if claim_is_premise(record):
            # The checker asks these claims the other way round ("does the user assert the
            # myth?"), so train that direction too; paraphrase, denial and unrelatedness
            # hold both ways.
            splits[split].extend(
                {"premise": " ".join(h.split()), "hypothesis": record.text, "label": label, "record": record_id}
                for h, label in labelled
            )
    return splits


def main() -> int:
    try:
        records = {record.id: record for record in load_structured(KNOWLEDGE) if not record.is_restatement}
        statements = read_statements(STATEMENTS, records)
        dev = dev_records(records)
        splits = build_pairs(records, statements, dev)
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for split, rows in splits.items():
        atomic_write_jsonl(FOLDER / f"{split}.jsonl", rows)
        counts = Counter(row["label"] for row in rows)
        shares = ", ".join(f"{label} {counts[label]} ({counts[label] / len(rows):.0%})" for label in LABELS)
        print(f"{split}: {len(rows)} pairs: {shares}")
    print(f"dev records: {', '.join(sorted(dev))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
