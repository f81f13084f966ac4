"""The documentation stays true: its figures are the results files', its commands still parse.

Every command quoted in README.md and docs/*.md (a console line, a code block line or an inline
code span that starts with one) is checked: `claimcheck ...` and `python app.py ...` must parse
with their real parsers; `python bench/...`, `python scripts/...` and `python -m ...` must answer
`--help` and name every flag the command uses.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from bench.results import RESULTS, Area
from bot.config import PROJECT_ROOT
from bot.interfaces.app.options import parse as parse_app_options
from bot.interfaces.cli import build_parser
from scripts import render_docs

DOCUMENTS = render_docs.DOCUMENTS
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")
_SHELL_BREAK = re.compile(r"\s(?:\|\||&&|[|;&<>]|2>)\s")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*=\S*$")


def snippets(text: str) -> list[tuple[str, bool]]:
    """(code, whether it is a whole command line): code-block lines (continuations joined, console
    prompts dropped), then inline code spans, which may name a command without its arguments."""
    found = []
    for block in _FENCE.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            found.append((line.strip().removeprefix("$ "), True))
    found += [(span, False) for span in _INLINE.findall(_FENCE.sub("", text))]
    return found


def commands(snippet: str) -> list[list[str]]:
    """The commands a snippet runs, as argument lists: each piece between shell operators that starts with one."""
    runs = []
    for piece in _SHELL_BREAK.split(f" {snippet} "):
        try:
            words = shlex.split(piece, comments=True)
        except ValueError:  # not shell (an unbalanced quote in prose)
            continue
        words = [word.strip("[]") for word in words]  # "[--json]": an optional flag in a usage line
        while words and _ENV.match(words[0]):
            words.pop(0)
        if len(words) > 1 and (Path(words[0]).name == "claimcheck" or (
                Path(words[0]).name.startswith("python")
                and (words[1] in ("app.py", "-m") or words[1].startswith(("bench/", "scripts/"))))):
            runs.append(words)
    return runs


def quoted_commands() -> list[tuple[list[str], bool]]:
    """Every command the documents quote, and whether it is quoted whole (a code-block line)."""
    return [(words, whole) for path in DOCUMENTS for snippet, whole in snippets(path.read_text(encoding="utf-8"))
            for words in commands(snippet)]


QUOTED = quoted_commands()
CLAIMCHECK = [(words, whole) for words, whole in QUOTED if Path(words[0]).name == "claimcheck"]


def _flags(words: list[str]) -> set[str]:
    return {word.split("=")[0] for word in words if re.match(r"--?[A-Za-z]", word)}


def _names(flag: str, shown: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", shown) is not None


def test_the_documents_quote_the_commands_users_need():
    names = {words[1] for words, _ in CLAIMCHECK}
    assert names >= {"check", "chat", "search", "batch", "eval", "nli-eval", "index", "app"}
    assert any(words[1:3] == ["bench/verdict_sets.py", "--record"] for words, _ in QUOTED)


@pytest.mark.parametrize("words, whole", CLAIMCHECK, ids=lambda value: " ".join(value)[:60] if isinstance(value, list)
                         else ("whole" if value else "named"))
def test_every_claimcheck_command_quoted_parses(words, whole, capsys):
    """Its subcommand's `--help` names every flag it uses; a whole command line parses as it stands."""
    parser = build_parser()
    with pytest.raises(SystemExit) as done:
        parser.parse_args([words[1], "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert all(_names(flag, shown) for flag in _flags(words[2:])), (_flags(words[2:]), shown)
    if whole:
        parser.parse_args(words[1:])  # a UsageError names what no longer parses


@pytest.mark.parametrize("words", [words for words, _ in QUOTED if words[1:2] == ["app.py"]],
                         ids=lambda words: " ".join(words)[:60])
def test_every_app_command_quoted_parses(words):
    parse_app_options(words[2:], environ={})


@cache
def _help(target: tuple[str, ...]) -> str:
    done = subprocess.run([sys.executable, *target, "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=False, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, f"{' '.join(target)} --help: {done.stderr[-500:]}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("words", [words for words, _ in QUOTED if Path(words[0]).name.startswith("python")
                                   and words[1] != "app.py"], ids=lambda words: " ".join(words)[:60])
def test_every_script_quoted_has_the_flags_it_is_given(words):
    target = tuple(words[1:3]) if words[1] == "-m" else (words[1],)
    if words[1] != "-m" and not words[1].endswith(".py"):
        pytest.skip(f"{words[1]} is not a Python script")
    shown = _help(target)
    flags = _flags(words[len(target) + 1:])
    assert all(_names(flag, shown) for flag in flags), (flags, shown)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_the_figures_in_the_documents_are_the_results_files(path):
    text = path.read_text(encoding="utf-8")
    assert render_docs.render(text, render_docs.read_areas()) == text, (
        f"{path.name} differs from bench/results/: run python scripts/render_docs.py")


def test_the_readme_opens_its_figures_with_real_world_accuracy_and_stays_short():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    block = readme.split("<!-- figures:headline -->")[1].split("<!-- /figures:headline -->")[0]
    first = block.strip().splitlines()[2]  # after the header and the rule
    assert first.startswith("| Real-world statements") and "accuracy" in first
    assert "Hand-written held-out set" in block


def test_every_results_row_says_how_where_and_when_it_was_measured():
    for path in sorted(RESULTS.glob("*.json")):
        area = Area.read(path)
        assert area.rows, f"{path.name} has no rows"
        for row in area.rows:
            assert row.command and row.machine and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date), (path.name, row.id)
        assert len({row.id for row in area.rows}) == len(area.rows), f"{path.name}: an id twice"


def test_a_row_measured_again_replaces_the_old_one_and_keeps_its_headline(tmp_path):
    from bench.results import Row, record

    old = Row("a", "A", {"accuracy": 0.5}, "python bench/x.py", "m", "2026-01-01", headline="A in short")
    (tmp_path / "x.json").write_text(Area("X", "about", (old, Row("b", "B", {}, "c", "m", "2026-01-01"))).to_json())
    record("x", [Row("a", "A", {"accuracy": 0.6}, "python bench/x.py", "m", "2026-02-02"),
                 Row("c", "C", {}, "c", "m", "2026-02-02")], folder=tmp_path)
    rows = Area.read(tmp_path / "x.json").rows
    assert [row.id for row in rows] == ["a", "b", "c"]
    assert rows[0].values == {"accuracy": 0.6} and rows[0].headline == "A in short" and rows[0].date == "2026-02-02"


def test_a_block_naming_no_results_file_is_refused():
    with pytest.raises(SystemExit, match="nothing.json"):
        render_docs.render("<!-- figures:nothing -->\n<!-- /figures:nothing -->", render_docs.read_areas())


def test_no_tracker_words_in_the_documents():
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bissues?\b|issue target|\btracker\b", text, re.IGNORECASE), path.name
