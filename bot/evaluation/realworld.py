"""The real-world statements in `../shared/data/real_world/`, split by source host.

The statements are third-party quotations, so the project never copies them: it reads
them in place and stores only the rule that splits them. A host lands wholly on one side
(no page's text, nor a site's house style, is on both), by a seeded hash of its name:
about 60% of the statements go to the tuning part, the rest are held out. Thresholds and
training may look at the tuning part only; the held-out part is scored in aggregate.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlparse

from bot.config import PROJECT_ROOT
from bot.evaluation.statements import LabelledStatement, read_labelled

REAL_WORLD_DATA = PROJECT_ROOT.parent / "shared" / "data" / "real_world"
STATEMENTS = REAL_WORLD_DATA / "statements.jsonl"
QUIZZES = REAL_WORLD_DATA / "quizzes.jsonl"
# Every file of real statements, in the order they were collected; the later two were
# collected after all tuning on the first. One split rule serves them all.
STATEMENT_FILES = (STATEMENTS, REAL_WORLD_DATA / "statements-2.jsonl", REAL_WORLD_DATA / "statements-3.jsonl")
QUIZ_FILES = (QUIZZES, REAL_WORLD_DATA / "quizzes-2.jsonl", REAL_WORLD_DATA / "quizzes-3.jsonl")
PARTS = ("tune", "held-out")
# The seed was picked, without looking at any statement, as the first of 1..10 whose
# split came closest to 60/40 by statement count (144 / 95).
_SEED = "claimcheck-real-world-5"
_TUNE_SHARE = 60  # percent of hosts' hash space


def host(url: str) -> str:
    """The page's host without a leading "www."."""
    name = (urlparse(url).hostname or url).lower()
    return name.removeprefix("www.")


def part_of(url: str) -> str:
    """"tune" or "held-out" for a source page, decided by its host alone."""
    digest = hashlib.sha256(f"{_SEED}:{host(url)}".encode()).digest()
    return "tune" if int.from_bytes(digest[:8], "big") % 100 < _TUNE_SHARE else "held-out"


def load_part(part: str, path: Path = STATEMENTS) -> list[LabelledStatement]:
    """The labelled statements of one part ("tune" or "held-out"), in file order."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    return [row for row in read_labelled(path) if part_of(row.source) == part]


TUNING_SET = "real-world-tune"  # how the tuning scripts name the tuning parts among their files


def read_set(name: str) -> list[LabelledStatement]:
    """A labelled JSONL file, or the tuning parts of every real-world file when `name` is TUNING_SET."""
    if name == TUNING_SET:
        return [row for path in STATEMENT_FILES for row in load_part("tune", path)]
    return read_labelled(name)
