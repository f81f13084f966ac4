"""Shared fixtures: the real pipeline with the shipped models, loaded once per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    """Default settings, with the index built in a temporary folder (the repo's stays untouched)."""
    from bot.config import load_settings

    return load_settings(index_dir=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def retriever(settings):
    from bot.retrieve import Retriever

    return Retriever.from_settings(settings)


@pytest.fixture(scope="session")
def checker(settings, retriever):
    from bot.checker import Checker

    checker = Checker(settings, retriever=retriever)
    checker.warm_up()
    return checker
