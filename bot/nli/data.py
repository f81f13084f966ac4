"""Reading NLI pairs from JSONL files (`premise`, `hypothesis`, `label`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UsageError

LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True)
class NLIPair:
    premise: str
    hypothesis: str
    label: str


def read_pairs(path: str | Path) -> list[NLIPair]:
    """Read a JSONL file of NLI pairs; a bad line is a UsageError naming file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            pair = NLIPair(str(row["premise"]), str(row["hypothesis"]), str(row["label"]).lower())
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{number}: not an NLI pair ({exc})") from None
        if pair.label not in LABELS:
            raise UsageError(f"{path}:{number}: label {pair.label!r} is not one of {', '.join(LABELS)}")
        pairs.append(pair)
    return pairs
