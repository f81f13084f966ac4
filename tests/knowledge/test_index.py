"""The indexes: the shipped one read-only at run time, cached ones with the user's folders built
incrementally, atomically and safely when two processes build at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.config import DEFAULT_EMBEDDER, DEFAULT_INDEX, DEFAULT_KNOWLEDGE, PROJECT_ROOT, load_settings
from bot.errors import IndexStoreError
from bot.interfaces import cli
from bot.knowledge.index_store import (
    INDEX_FILE,
    MANIFEST_FILE,
    FileChange,
    IndexCache,
    build_shipped,
    load_shipped,
    passage_text,
)
from bot.knowledge.load import fingerprint, knowledge_files, load_knowledge
from bot.knowledge.retrieve import Retriever
from bot.models.embedder import Embedder
from bot.models.weights import base_of, model_key

NOTES = {
    "regularisation.md": "# Regularisation\n## Dropout\nDropout randomly sets a fraction of activations to zero "
                         "during training. It reduces overfitting in large networks.\n",
    "optimisers.md": "# Optimisers\nAdam keeps running averages of the gradients and of their squares.\n",
}


@pytest.fixture(scope="module")
def embedder():
    return Embedder(load_settings().embedder)


def _folder(root: Path, files: dict[str, str] = NOTES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _load(cache: IndexCache, folder: Path):
    return cache.load(load_knowledge([folder]), [folder])


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


# -- the cache ------------------------------------------------------------------------------


def test_the_cache_embeds_only_new_or_changed_files_and_reports_them(tmp_path, embedder):
    notes = _folder(tmp_path / "notes")
    notices: list[str] = []
    cache = IndexCache(tmp_path / "cache", embedder, notify=notices.append)
    first = _load(cache, notes)
    assert first.embedded_files == 2 and {c.status for c in first.changes} == {"added"}
    assert "embedding 2 new or changed file(s), 3 passages" in notices[0]
    records = load_knowledge([notes])
    expected = embedder.encode([passage_text(r) for r in records])
    assert np.allclose(first.index.reconstruct_n(0, first.index.ntotal), expected, atol=1e-5)

    again = _load(cache, notes)
    assert (again.embedded_files, again.changes, again.folder) == (0, [], first.folder)

    (notes / "optimisers.md").write_text("# Optimisers\nSGD with momentum accumulates a velocity. It damps "
                                         "oscillations.\n", encoding="utf-8")
    changed = _load(cache, notes)
    assert changed.embedded_files == 1 and changed.folder != first.folder
    assert changed.changes == [FileChange(str(notes / "optimisers.md"), "changed", 2)]

    (notes / "regularisation.md").unlink()
    (notes / "architectures.md").write_text("Residual connections add a layer's input to its output.\n")
    moved = _load(cache, notes)
    assert moved.embedded_files == 1
    assert sorted((c.status, Path(c.path).name) for c in moved.changes) == [
        ("added", "architectures.md"), ("removed", "regularisation.md")]
    assert moved.index.ntotal == 3


def test_each_set_of_knowledge_has_its_own_cached_index(tmp_path, embedder):
    cache = IndexCache(tmp_path / "cache", embedder, notify=lambda message: None)
    one = _load(cache, _folder(tmp_path / "one"))
    two = _load(cache, _folder(tmp_path / "two", {"a.txt": "Weight decay shrinks weights towards zero."}))
    assert one.folder != two.folder
    assert _load(cache, tmp_path / "one").embedded_files == 0  # building two did not overwrite one
    assert not list((tmp_path / "cache").rglob("*.tmp"))  # atomic writes leave no temporary files


def test_only_the_most_recently_used_indexes_and_their_embeddings_are_kept(tmp_path, embedder, monkeypatch):
    monkeypatch.setattr("bot.knowledge.index_store._KEEP_INDEXES", 2)
    cache = IndexCache(tmp_path / "cache", embedder, notify=lambda message: None)
    for name in ("one", "two", "three"):
        _load(cache, _folder(tmp_path / name, {f"{name}.txt": f"Note {name}: weight decay shrinks weights."}))
    assert len(list((tmp_path / "cache" / "indexes").iterdir())) == 2
    assert len(list((tmp_path / "cache" / "vectors").iterdir())) == 2  # "one"'s embeddings went with its index
    assert _load(cache, tmp_path / "one").embedded_files == 1 and _load(cache, tmp_path / "three").embedded_files == 0


def test_an_unwritable_cache_builds_in_memory_with_a_notice(tmp_path, embedder):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    notices: list[str] = []
    built = _load(IndexCache(blocked / "cache", embedder, notify=notices.append), _folder(tmp_path / "notes"))
    assert built.index.ntotal == 3 and any("building the index in memory" in n for n in notices)


_BUILD = """
import sys
from pathlib import Path
from bot.config import quiet_libraries
quiet_libraries()
from bot.config import load_settings
from bot.models.embedder import Embedder
from bot.knowledge.index_store import IndexCache
from bot.knowledge.load import load_knowledge
folder = Path(sys.argv[1])
built = IndexCache(Path(sys.argv[2]), Embedder(load_settings().embedder), notify=lambda m: None).load(
    load_knowledge([folder]), [folder])
print(built.embedded_files, built.folder, built.index.ntotal)
"""


def test_two_processes_building_at_once_embed_each_file_once(tmp_path):
    notes = _folder(tmp_path / "notes")
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", _BUILD, str(notes), str(cache)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert sorted(int(out[0]) for out in outputs) == [0, 2]  # one embedded both files, the other reused them
    assert outputs[0][1:] == outputs[1][1:] and outputs[0][2] == "3"


# -- the shipped index ------------------------------------------------------------------------


def test_the_shipped_index_is_read_only_and_a_stale_one_names_the_rebuild_command(tmp_path, embedder):
    notes = _folder(tmp_path / "notes")
    records = load_knowledge([notes])
    folder = tmp_path / "index"
    build_shipped(folder, records, "h1", embedder)
    assert load_shipped(folder, records, "h1", embedder.key).ntotal == 3
    before = _files(folder)
    with pytest.raises(IndexStoreError, match=r"is stale \(knowledge hash changed\); rebuild it with `claimcheck "
                                              r"index`"):
        load_shipped(folder, records, "h2", embedder.key)
    (folder / INDEX_FILE).write_bytes(before[INDEX_FILE][:100])
    with pytest.raises(IndexStoreError, match="missing or corrupt index file"):
        load_shipped(folder, records, "h1", embedder.key)
    with pytest.raises(IndexStoreError, match="is missing"):
        load_shipped(tmp_path / "nowhere", records, "h1", embedder.key)


def test_a_stale_shipped_index_stops_the_cli_and_is_left_alone(tmp_path, capsys):
    index = tmp_path / "index"
    index.mkdir()
    for name in (INDEX_FILE, MANIFEST_FILE):
        (index / name).write_bytes((DEFAULT_INDEX / name).read_bytes())
    manifest = json.loads((index / MANIFEST_FILE).read_text())
    manifest["knowledge_hash"] = "0" * 64
    (index / MANIFEST_FILE).write_text(json.dumps(manifest))
    before = _files(index)
    assert cli.main(["search", "GPU", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rebuild it with `claimcheck index`" in err
    assert _files(index) == before


def test_own_folders_never_touch_the_shipped_index(tmp_path, settings):
    before = _files(DEFAULT_INDEX)
    notes = _folder(tmp_path / "notes")
    retriever = Retriever.from_settings(load_settings(extra_knowledge=[notes]))
    assert retriever.search("Dropout reduces overfitting", k=1)[0].record.path == str(notes / "regularisation.md")
    assert _files(DEFAULT_INDEX) == before
    assert Path(os.environ["CLAIMCHECK_CACHE"]) == settings.cache_dir  # the test session's cache, not the user's


def test_the_committed_index_matches_the_knowledge():
    manifest = json.loads((DEFAULT_INDEX / MANIFEST_FILE).read_text())
    assert manifest["knowledge_hash"] == fingerprint(knowledge_files([DEFAULT_KNOWLEDGE])), \
        "index/ is stale: run `claimcheck index` and commit index/"
    assert manifest["record_ids"] == [r.id for r in load_knowledge([DEFAULT_KNOWLEDGE])]
    # Built with other weights, the shipped index would be passed over for a cache rebuild on every machine.
    assert manifest["embedder"] == model_key(DEFAULT_EMBEDDER), "index/ was built with another embedder"


def test_a_shipped_models_key_names_its_weights_not_its_folder(tmp_path):
    copy = tmp_path / "elsewhere"
    shutil.copytree(DEFAULT_EMBEDDER, copy)
    assert model_key(str(copy)) == model_key(DEFAULT_EMBEDDER) != DEFAULT_EMBEDDER
    assert model_key(str(copy)).startswith(base_of(copy) + "+delta-")
    assert model_key("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"
