"""Reading NLI pairs from JSONL files (`premise`, `hypothesis`, `label`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.errors import UsageError
from bot.fileio import read_jsonl
from bot.models.nli import LABELS


@dataclass(frozen=True)
class NLIPair:
    premise: str
    hypothesis: str
    label: str


def read_pairs(path: str | Path) -> list[NLIPair]:
    """Read a JSONL file of NLI pairs; a bad line is a UsageError naming file and line."""
    pairs = []
    for number, row in read_jsonl(path):
        try:
            pair = NLIPair(str(row["premise"]), str(row["hypothesis"]), str(row["label"]).lower())
        except KeyError as exc:
            raise UsageError(f"{path}:{number}: not an NLI pair (missing {exc})") from None
        if pair.label not in LABELS:
            raise UsageError(f"{path}:{number}: label {pair.label!r} is not one of {', '.join(LABELS)}")
        pairs.append(pair)
    return pairs
