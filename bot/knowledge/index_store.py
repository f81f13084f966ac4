"""The FAISS indexes of the knowledge base: the shipped one, and cached ones with the user's folders.

The shipped index (`index/`) covers the project's own `knowledge/` folder. Only `claimcheck
index` writes it (`build_shipped`); at run time it is read-only, and a missing, broken or stale
one is an error telling the developer to rebuild it (`load_shipped`).

An index that includes the user's folders lives in the per-user cache (`IndexCache`), under the
hash of the knowledge it holds. The embeddings of each file are cached under the hash of the
texts it yields, so an edit embeds only the files it touched. Writes are atomic and builds hold
a file lock, so two processes building at once neither tear a file nor embed a file twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import faiss
import numpy as np
from filelock import FileLock, Timeout

from bot.errors import IndexStoreError
from bot.fileio import atomic_write_bytes, atomic_write_text
from bot.knowledge.records import Record
from bot.models.runtime import EmbedderRunner

INDEX_FILE = "records.faiss"
MANIFEST_FILE = "manifest.json"
REBUILD_COMMAND = "claimcheck index"
_KEEP_INDEXES = 8  # cached indexes kept, most recently used first; older ones and their embeddings go
_LOCK_TIMEOUT_S = 900


@dataclass(frozen=True)
class Manifest:
    embedder: str
    dimension: int
    knowledge_hash: str
    record_count: int
    record_ids: list[str]
    built_at: str
    faiss_version: str
    files: list[str] = field(default_factory=list)  # cached indexes: the embedding keys of their files


@dataclass(frozen=True)
class FileChange:
    """How a knowledge file changed since the last index of the same folders."""

    path: str
    status: str  # "added", "changed" or "removed"
    passages: int  # records it yields now (0 when removed)


@dataclass(frozen=True)
class CachedIndex:
    index: faiss.Index
    folder: Path
    changes: list[FileChange]
    embedded_files: int  # files whose embeddings were computed now, not found in the cache


def _notice(message: str) -> None:
    print(f"claimcheck: {message}", file=sys.stderr)


def passage_text(record: Record) -> str:
    """What gets embedded for a record: the text models read (headings blurred the ranking)."""
    return record.model_text


def flat_index(vectors: np.ndarray) -> faiss.Index:
    """An exact inner-product index over unit vectors (cosine similarity)."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def _manifest(index: faiss.Index, embedder: str, knowledge_hash: str, records: Sequence[Record],
              files: list[str] | None = None) -> Manifest:
    return Manifest(embedder=embedder, dimension=index.d, knowledge_hash=knowledge_hash, record_count=index.ntotal,
                    record_ids=[r.id for r in records], built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    faiss_version=faiss.__version__, files=files or [])


def save_index(folder: Path, index: faiss.Index, manifest: Manifest) -> None:
    """Write the index, then its manifest (each atomically), so a crash leaves no torn file."""
    atomic_write_bytes(folder / INDEX_FILE, faiss.serialize_index(index).tobytes())
    atomic_write_text(folder / MANIFEST_FILE, json.dumps(asdict(manifest), indent=2) + "\n")


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _problem(folder: Path, expected: dict) -> tuple[str | None, faiss.Index | None]:
    """Why the saved index cannot be used (None if it can), and the index when it can."""
    if not (folder / MANIFEST_FILE).exists():
        return "is missing", None
    manifest = read_manifest(folder)
    if manifest is None:
        return "has a corrupt manifest", None
    for key, value in expected.items():
        if manifest.get(key) != value:
            return f"is stale ({key.replace('_', ' ')} changed)", None
    try:
        index = faiss.deserialize_index(np.fromfile(folder / INDEX_FILE, dtype=np.uint8))
    except (OSError, RuntimeError, ValueError):
        return "has a missing or corrupt index file", None
    if index.ntotal != manifest.get("record_count") or index.d != manifest.get("dimension"):
        return "does not match its manifest", None
    return None, index


# -- the shipped index ---------------------------------------------------------------------


def load_shipped(folder: Path, records: Sequence[Record], knowledge_hash: str, embedder: str) -> faiss.Index:
    """The shipped index of the built-in knowledge; never written here.

    Raises IndexStoreError, telling the developer to run `claimcheck index`, when it is
    missing, broken or built from other knowledge.
    """
    expected = {"embedder": embedder, "knowledge_hash": knowledge_hash, "record_ids": [r.id for r in records]}
    problem, index = _problem(folder, expected)
    if problem is not None:
        raise IndexStoreError(f"the shipped index in {folder} {problem}; rebuild it with `{REBUILD_COMMAND}`")
    return index


def build_shipped(folder: Path, records: Sequence[Record], knowledge_hash: str, embedder: EmbedderRunner) -> faiss.Index:
    """Embed the built-in knowledge and write the shipped index (the repo's `claimcheck index`)."""
    index = flat_index(embedder.encode([passage_text(r) for r in records]))
    try:
        save_index(folder, index, _manifest(index, embedder.key, knowledge_hash, records))
    except OSError as exc:
        raise IndexStoreError(f"cannot write the index in {folder}: {exc.strerror or exc}") from None
    return index


def shipped_vectors(folder: Path, embedder: str, knowledge_hash: str) -> dict[str, np.ndarray]:
    """The shipped index's vectors by record id when it is current, else nothing.

    A cache build takes the built-in records' vectors from here instead of embedding them again.
    """
    manifest = read_manifest(folder) or {}
    problem, index = _problem(folder, {"embedder": embedder, "knowledge_hash": knowledge_hash})
    if problem is not None or len(manifest.get("record_ids", [])) != index.ntotal:
        return {}
    return dict(zip(manifest["record_ids"], index.reconstruct_n(0, index.ntotal)))


# -- indexes that include the user's folders ---------------------------------------------


def _sha(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _by_file(records: Sequence[Record]) -> list[tuple[str, list[Record]]]:
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.path, []).append(record)
    return list(groups.items())


class IndexCache:
    """Indexes of knowledge that includes the user's folders, in a per-user cache folder.

    Layout: `vectors/<key>.npy` holds one file's embeddings, keyed by the embedder and the
    texts the file yields; `indexes/<key>/` an index and manifest, keyed by all of its files'
    keys; `folders/<key>.json` what the last index of a set of folders held, for reporting
    what was added, changed and removed.
    """

    def __init__(self, root: Path, embedder: EmbedderRunner, *, known: dict[str, np.ndarray] | None = None,
                 notify: Callable[[str], None] = _notice) -> None:
        self.root = Path(root)
        self.embedder = embedder
        self.known = known or {}  # vectors by record id that need no embedding (`shipped_vectors`)
        self.notify = notify

    def _file_key(self, records: Sequence[Record]) -> str:
        return _sha([self.embedder.key, *(passage_text(r) for r in records)])

    def load(self, records: Sequence[Record], folders: Sequence[Path]) -> CachedIndex:
        """The index of these records: from the cache, or built from cached and fresh embeddings."""
        groups = _by_file(records)
        keys = [self._file_key(group) for _, group in groups]
        knowledge_hash = _sha([self.embedder.key, *keys])
        folder = self.root / "indexes" / knowledge_hash[:32]
        expected = {"embedder": self.embedder.key, "knowledge_hash": knowledge_hash,
                    "record_ids": [r.id for r in records]}
        changes = self._changes(folders, groups, keys)
        problem, index = _problem(folder, expected)
        if problem is None:
            _touch(folder / MANIFEST_FILE)
            return CachedIndex(index, folder, changes, 0)
        self.embedder.warm_up()  # a model that cannot load stops here, with its one-line error
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.root / "lock", timeout=_LOCK_TIMEOUT_S)
            with lock:
                # Another process may have built it while this one waited.
                problem, index = _problem(folder, expected)
                if problem is None:
                    return CachedIndex(index, folder, changes, 0)
                index, embedded = self._build(groups, keys, save=True)
                save_index(folder, index, _manifest(index, self.embedder.key, knowledge_hash, records, keys))
                self._prune()
        except Timeout:
            raise IndexStoreError(f"another claimcheck process has held {self.root / 'lock'} for "
                                  f"{_LOCK_TIMEOUT_S // 60} minutes; delete that file if no other one is running"
                                  ) from None
        except OSError as exc:
            self.notify(f"cannot write the index cache {self.root} ({exc.strerror or exc}); "
                        "building the index in memory")
            index, embedded = self._build(groups, keys, save=False)
        return CachedIndex(index, folder, changes, embedded)

    def _build(self, groups: list[tuple[str, list[Record]]], keys: list[str], *,
               save: bool) -> tuple[faiss.Index, int]:
        """The index from each file's cached embeddings, embedding the files not cached yet."""
        parts, todo = [], []
        for (_, group), key in zip(groups, keys):
            vectors = self._cached_vectors(key, len(group))
            if vectors is None and all(r.id in self.known for r in group):
                vectors = np.vstack([self.known[r.id] for r in group])
            parts.append(vectors)
            if vectors is None:
                todo.append(len(parts) - 1)
        if todo:
            count = sum(len(groups[i][1]) for i in todo)
            self.notify(f"embedding {len(todo)} new or changed file(s), {count} passages, with {self.embedder.name}")
        for i in todo:
            parts[i] = self.embedder.encode([passage_text(r) for r in groups[i][1]])
            if save:
                buffer = io.BytesIO()
                np.save(buffer, parts[i])
                atomic_write_bytes(self.root / "vectors" / f"{keys[i]}.npy", buffer.getvalue())
        return flat_index(np.vstack(parts)), len(todo)

    def _cached_vectors(self, key: str, rows: int) -> np.ndarray | None:
        try:
            vectors = np.load(self.root / "vectors" / f"{key}.npy")
        except (OSError, ValueError):
            return None
        return vectors if vectors.ndim == 2 and vectors.shape[0] == rows and vectors.dtype == np.float32 else None

    def _changes(self, folders: Sequence[Path], groups: list[tuple[str, list[Record]]],
                 keys: list[str]) -> list[FileChange]:
        """Files added, changed and removed since the last index of the same folders (then remembered)."""
        record = self.root / "folders" / f"{_sha([self.embedder.key, *(str(Path(f).resolve()) for f in folders)])}.json"
        try:
            before = json.loads(record.read_text())
        except (OSError, ValueError):
            before = {}
        now = {path: {"key": key, "passages": len(group)} for (path, group), key in zip(groups, keys)}
        changes = [FileChange(path, "added" if path not in before else "changed", entry["passages"])
                   for path, entry in now.items() if before.get(path, {}).get("key") != entry["key"]]
        changes += [FileChange(path, "removed", 0) for path in before if path not in now]
        if changes or not record.exists():
            try:
                atomic_write_text(record, json.dumps(now, indent=1) + "\n")
            except OSError:
                pass  # only the next report suffers; the cache may be read-only
        return changes

    def _prune(self) -> None:
        """Keep the most recently used indexes and the embeddings they use; drop the rest."""
        indexes = sorted((self.root / "indexes").iterdir(), key=lambda p: _mtime(p / MANIFEST_FILE), reverse=True)
        for old in indexes[_KEEP_INDEXES:]:
            shutil.rmtree(old, ignore_errors=True)
        used = {key for folder in indexes[:_KEEP_INDEXES] for key in (read_manifest(folder) or {}).get("files", [])}
        for vectors in (self.root / "vectors").glob("*.npy"):
            if vectors.stem not in used:
                vectors.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still serves; it is pruned by age a little early
