"""The real-world statements' split: by host, seeded, stable, and never crossing sides."""

from __future__ import annotations

import pytest

from bot.evaluation import realworld

pytestmark = pytest.mark.skipif(not realworld.STATEMENTS.is_file(), reason="../shared/data/real_world is absent")


def test_hosts_ignore_www_and_case():
    assert realworld.host("https://WWW.Example.org/a?b=1") == "example.org"
    assert realworld.part_of("https://www.example.org/x") == realworld.part_of("http://example.org/y")


def test_the_split_is_by_host_about_sixty_forty_and_stable():
    tune, held_out = realworld.load_part("tune"), realworld.load_part("held-out")
    assert {realworld.host(row.source) for row in tune}.isdisjoint(realworld.host(row.source) for row in held_out)
    assert (len(tune), len(held_out)) == (144, 95)
    assert all(row.verdict in {"true", "false", "nuanced", "unverifiable"} for row in tune + held_out)


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError):
        realworld.load_part("train")
