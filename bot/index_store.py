"""The FAISS index of the knowledge base, saved in `index/` with a manifest.

`load_or_build` returns an index aligned with the records. It rebuilds, with a one-line
notice, when the index is missing, corrupt, or stale (the knowledge files or the
embedding model changed since it was built).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import faiss
import numpy as np

from bot.embedder import Embedder
from bot.fileio import atomic_write_bytes, atomic_write_text
from bot.records import Record

INDEX_FILE = "records.faiss"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    embedder: str
    dimension: int
    knowledge_hash: str
    record_count: int
    record_ids: list[str]
    built_at: str
    faiss_version: str


def _notice(message: str) -> None:
    print(f"claimcheck: {message}", file=sys.stderr)


def passage_text(record: Record) -> str:
    """What gets embedded for a record: its text alone (headings blurred the ranking)."""
    return record.text


def build_index(records: list[Record], embedder: Embedder) -> faiss.Index:
    """An exact inner-product index over unit vectors (cosine similarity)."""
    vectors = embedder.encode([passage_text(r) for r in records])
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def save_index(folder: Path, index: faiss.Index, manifest: Manifest) -> None:
    """Write the index, then its manifest (each atomically), so a crash leaves no torn file."""
    atomic_write_bytes(folder / INDEX_FILE, faiss.serialize_index(index).tobytes())
    atomic_write_text(folder / MANIFEST_FILE, json.dumps(asdict(manifest), indent=2) + "\n")


def _problem(folder: Path, expected: dict) -> tuple[str | None, faiss.Index | None]:
    """Why the saved index cannot be used (None if it can), and the index when it can."""
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except FileNotFoundError:
        return "no index yet", None
    except (OSError, ValueError):
        return "index manifest is corrupt", None
    for key, value in expected.items():
        if manifest.get(key) != value:
            return f"index is stale ({key.replace('_', ' ')} changed)", None
    try:
        index = faiss.deserialize_index(np.fromfile(folder / INDEX_FILE, dtype=np.uint8))
    except (OSError, RuntimeError, ValueError):
        return "index file is missing or corrupt", None
    if index.ntotal != manifest["record_count"] or index.d != manifest["dimension"]:
        return "index file does not match its manifest", None
    return None, index


def load_or_build(
    folder: Path,
    records: list[Record],
    knowledge_hash: str,
    embedder: Embedder,
    *,
    force: bool = False,
    notify: Callable[[str], None] = _notice,
) -> faiss.Index:
    """The saved index when it is current, otherwise a fresh one (saved when possible)."""
    expected = {
        "embedder": embedder.name,
        "knowledge_hash": knowledge_hash,
        "record_ids": [r.id for r in records],
    }
    problem, index = ("rebuild requested", None) if force else _problem(folder, expected)
    if problem is None:
        return index
    embedder.warm_up()  # a model that cannot load stops here, with its one-line error and no notice
    notify(f"{problem}; building the index of {len(records)} records with {embedder.name}")
    index = build_index(records, embedder)
    manifest = Manifest(
        embedder=embedder.name,
        dimension=index.d,
        knowledge_hash=knowledge_hash,
        record_count=index.ntotal,
        record_ids=[r.id for r in records],
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        faiss_version=faiss.__version__,
    )
    try:
        save_index(folder, index, manifest)
    except OSError as exc:
        notify(f"could not save the index in {folder} ({exc.strerror}); using it from memory")
    return index
