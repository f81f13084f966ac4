"""The command line: output formats, one-line errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.interfaces.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=300)


def test_search_json_lists_passages_with_scores(capsys, settings):
    assert main(["search", "is deep learning only for experts", "-k", "3", "--json",
                 "--index", str(settings.index_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    assert set(rows[0]) == {"id", "section", "kind", "rating", "score", "text", "context", "folder"}
    assert rows[0]["section"] == "myth-5" and rows[0]["folder"] == str(settings.knowledge_dirs[0])


def test_search_text_output_is_readable(capsys, settings):
    assert main(["search", "SHAP", "-k", "1", "--index", str(settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [myth-2] myth-2-shap")


def test_search_names_a_myth_as_the_myth(capsys, settings):
    assert main(["search", "do I need a GPU", "-k", "5", "--index", str(settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "   The myth: Deep learning requires specialized hardware such as GPUs or TPUs.\n" in out
    assert "   Specialized hardware such as GPUs and TPUs significantly speeds up" in out  # the article's own passage


def test_a_reader_that_stops_early_is_a_normal_end(settings):
    """`claimcheck check ... --json | head -c 1500`: the pipe closes before the answer is written."""
    child = subprocess.Popen([sys.executable, "-m", "bot", "check", "More data always makes a model better", "--json",
                              "--index", str(settings.index_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # the reader is gone before the first byte
    err = child.stderr.read().decode()
    assert child.wait(timeout=300) == 0 and err == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "   "], "query is empty"),
        (["search", "x", "-k", "0"], "-k must be a positive number"),
        (["frobnicate"], "invalid choice"),
        (["search"], "the following arguments are required"),
        (["check", ""], "statement is empty"),
        (["check", " \t\n "], "statement is empty"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_malformed_user_knowledge_is_reported_not_raised(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("source: {title: T}\nsections:\n  s:\n    records:\n      - {id: x1, kind: claim, text: t}\n")
    assert main(["search", "gpu", "--knowledge", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml: record x1: `rating` must be one of" in err


def test_index_command_reports_what_changed_in_your_folders(tmp_path, capsys, settings):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "notes.md").write_text("# Notes\n\nDropout randomly zeroes activations to reduce overfitting.\n")
    assert main(["index", "--knowledge", str(notes)]) == 0
    out = capsys.readouterr().out
    assert f"added    {notes / 'notes.md'} (1 passages)" in out
    assert f"from 2 folder(s) into {settings.cache_dir}" in out
    assert main(["index", "--knowledge", str(notes)]) == 0
    assert "no file added, changed or removed" in capsys.readouterr().out
    (notes / "notes.md").write_text("# Notes\n\nDropout zeroes activations. It reduces overfitting.\n")
    (notes / "more.txt").write_text("Weight decay shrinks the weights.\n")
    assert main(["index", "--knowledge", str(notes)]) == 0
    out = capsys.readouterr().out
    assert f"changed  {notes / 'notes.md'} (2 passages)" in out and f"added    {notes / 'more.txt'}" in out
    (notes / "more.txt").unlink()
    assert main(["index", "--knowledge", str(notes)]) == 0
    assert f"removed  {notes / 'more.txt'}\n" in capsys.readouterr().out
    assert main(["search", "dropout overfitting", "-k", "1", "--knowledge", str(notes)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [Notes] user-notes-2  score") and f"from {notes}\n" in out
    assert "   (Dropout zeroes activations.)\n   It reduces overfitting.\n" in out


def test_index_command_without_folders_rebuilds_the_shipped_index(tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["index", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("indexed ") and "added, 0 removed) into" in out
    assert main(["search", "TPU", "-k", "1", "--index", str(index)]) == 0


def test_module_entry_point_runs(settings):
    result = run_cli("search", "TPU", "-k", "1", "--index", str(settings.index_dir))
    assert result.returncode == 0 and "myth-4" in result.stdout
