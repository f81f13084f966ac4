"""Fixtures shared by the interface tests."""

from __future__ import annotations

import pytest

from bot.interfaces import cli


@pytest.fixture
def no_checker(monkeypatch):
    """Usage errors must stop the run before any model loads."""

    def refuse(args):
        raise AssertionError("the checker was built despite a usage error")

    monkeypatch.setattr(cli, "_checker", refuse)
