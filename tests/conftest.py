"""Shared fixtures: the real pipeline with the shipped models, loaded once per session."""

from __future__ import annotations

import pytest

from bot.cli import quiet_libraries

# As the command line does, before any model library is imported: offline, no progress bars.
quiet_libraries()


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
