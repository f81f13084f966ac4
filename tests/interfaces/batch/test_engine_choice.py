"""`claimcheck batch --engine`: the flags of the Ray engine, and what happens without Ray installed.

These run without Ray and load no model: every case stops before the engine starts.
"""

from __future__ import annotations

import sys

import pytest

from bot.interfaces import cli


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Deep learning is a subfield of machine learning.\n", encoding="utf-8")
    return path


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("claimcheck: error: ") and err.count("\n") == 1, err
    return err


def test_without_ray_the_ray_engine_says_how_to_install_it(source, tmp_path, monkeypatch, no_checker, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as it does where it is not installed
    monkeypatch.delitem(sys.modules, "bot.interfaces.batch.ray_engine", raising=False)
    assert cli.main(["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--engine", "ray"]) == 2
    assert "pip install 'claimcheck[ray]'" in one_error_line(capsys)
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("flags, message", [
    (["--workers", "2"], "apply to --engine ray"),
    (["--address", "auto"], "apply to --engine ray"),
    (["--engine", "spark"], "invalid choice"),
    (["--engine", "ray", "--workers", "two"], "invalid int value"),
])
def test_flags_that_do_not_fit_are_usage_errors(flags, message, source, no_checker, capsys):
    assert cli.main(["batch", str(source), *flags]) == 2
    assert message in one_error_line(capsys)


def test_the_ray_engine_refuses_standard_input(no_checker, capsys):
    assert cli.main(["batch", "-", "--engine", "ray"]) == 2
    assert "not standard input" in one_error_line(capsys)
