"""The Knowledge tab names the folder each source came from."""

from __future__ import annotations

from bot.config import DEFAULT_KNOWLEDGE
from bot.interfaces.app import format
from bot.knowledge.load import load_knowledge


def test_each_source_names_its_folder(tmp_path):
    for name in ("team", "mine"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.md").write_text(f"# Notes of {name}\nDropout reduces overfitting.\n")
    folders = (DEFAULT_KNOWLEDGE, tmp_path / "team", tmp_path / "mine")
    records = load_knowledge(folders)
    builtin = [r for r in records if r.path.startswith(str(DEFAULT_KNOWLEDGE))]
    added = [r for r in records if r not in builtin]
    html = format.knowledge(builtin, added, folders)
    yours = html[html.index("Your sources"):]
    assert f'Notes of team <span class="cc-meta cc-folder">from {tmp_path / "team"}</span>' in yours
    assert f'Notes of mine <span class="cc-meta cc-folder">from {tmp_path / "mine"}</span>' in yours
    assert f"from {DEFAULT_KNOWLEDGE}</span>" in html[:html.index("Your sources")]
