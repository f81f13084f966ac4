"""Shared fixtures: the real pipeline with the shipped models, loaded once per session."""

from __future__ import annotations

import pytest

from bot.config import quiet_libraries

# As the command line does, before any model library is imported: offline, no progress bars.
quiet_libraries()


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    """A fresh index cache for the whole run, for the tests and the commands they start alike."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    os.environ["CLAIMCHECK_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def settings(cache_dir):
    """Default settings: the shipped index (read-only), the session's cache."""
    from bot.config import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def retriever(settings):
    from bot.knowledge.retrieve import Retriever

    return Retriever.from_settings(settings)


@pytest.fixture(scope="session")
def checker(settings, retriever):
    from bot.verdict.checker import Checker

    checker = Checker(settings, retriever=retriever)
    checker.warm_up()
    return checker
