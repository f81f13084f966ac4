"""The saved FAISS index: reused when current, rebuilt when missing, stale or corrupt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import DEFAULT_INDEX, DEFAULT_KNOWLEDGE, load_settings
from bot.embedder import Embedder
from bot.index_store import INDEX_FILE, MANIFEST_FILE, load_or_build
from bot.knowledge import fingerprint, knowledge_files, load_knowledge


@pytest.fixture(scope="module")
def embedder():
    return Embedder(load_settings().embedder)


@pytest.fixture(scope="module")
def records():
    return load_knowledge([DEFAULT_KNOWLEDGE])


def _load(folder: Path, records, embedder, digest="h1"):
    notices: list[str] = []
    index = load_or_build(folder, records, digest, embedder, notify=notices.append)
    return index, notices


def test_build_then_reuse(tmp_path, records, embedder):
    index, notices = _load(tmp_path, records, embedder)
    assert index.ntotal == len(records) and notices and "no index yet" in notices[0]
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    assert manifest["embedder"] == embedder.name and manifest["dimension"] == 384
    assert manifest["record_count"] == len(records) and manifest["knowledge_hash"] == "h1"
    assert manifest["built_at"]
    again, notices = _load(tmp_path, records, embedder)
    assert notices == [] and again.ntotal == index.ntotal


def test_stale_knowledge_triggers_a_rebuild(tmp_path, records, embedder):
    _load(tmp_path, records, embedder)
    _, notices = _load(tmp_path, records, embedder, digest="h2")
    assert len(notices) == 1 and "stale (knowledge hash changed)" in notices[0]


def test_other_embedder_triggers_a_rebuild(tmp_path, records, embedder):
    _load(tmp_path, records, embedder)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    manifest["embedder"] = "some/other-model"
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    _, notices = _load(tmp_path, records, embedder)
    assert "stale (embedder changed)" in notices[0]


@pytest.mark.parametrize("damage", ["truncate", "garbage-manifest", "delete-index"])
def test_corrupt_or_missing_files_are_rebuilt(tmp_path, records, embedder, damage):
    _load(tmp_path, records, embedder)
    if damage == "truncate":
        data = (tmp_path / INDEX_FILE).read_bytes()
        (tmp_path / INDEX_FILE).write_bytes(data[: len(data) // 3])
    elif damage == "garbage-manifest":
        (tmp_path / MANIFEST_FILE).write_text("{not json")
    else:
        (tmp_path / INDEX_FILE).unlink()
    index, notices = _load(tmp_path, records, embedder)
    assert len(notices) == 1 and index.ntotal == len(records)
    _, notices = _load(tmp_path, records, embedder)
    assert notices == []


def test_the_committed_index_matches_the_knowledge(records):
    manifest = json.loads((DEFAULT_INDEX / MANIFEST_FILE).read_text())
    assert manifest["knowledge_hash"] == fingerprint(knowledge_files([DEFAULT_KNOWLEDGE]))
    assert manifest["record_ids"] == [r.id for r in records]
