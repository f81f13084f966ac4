"""`claimcheck chat`: turns from a pipe, text and JSON output, colours (a fake checker), and one real run."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from bot.interfaces.terminal import COLOURED_BADGES, help_text, run_chat
from bot.knowledge.records import Record, Source
from bot.verdict.report import Report, Verdict

RECORD = Record(id="myth-4-truth", section="myth-4", heading="Myth 4: hardware", kind="passage",
                text="CPUs can train models.", rating="true", source=Source("Myths"))


def fake_check(message: str) -> Report:
    claim = message.rstrip("?.")
    return Report(message, claims=(Verdict(message, claim, "false", 0.8, "A myth.", RECORD),))


def chat(text: str, **options) -> str:
    out = io.StringIO()
    settings = {"interactive": False, "as_json": False, "colour": False, **options}
    assert run_chat(fake_check, lambda: [RECORD], stdin=io.StringIO(text), stdout=out, **settings) == 0
    return out.getvalue()


def test_a_pipe_is_read_one_turn_a_line_blank_lines_skipped():
    out = chat("Deep learning requires GPUs.\n\nwhy?\nwhat about TPUs?\n")
    turns = out.strip().split("\n\n")
    assert turns[0].startswith("✘ FALSE  (80% confident)  Deep learning requires GPUs")
    assert turns[1] == "A myth."
    assert turns[2].startswith("Checking: Deep learning requires TPUs\n✘ FALSE")


def test_json_prints_one_object_per_turn():
    rows = [json.loads(line) for line in chat("Deep learning requires GPUs.\nsource?\nhelp\n", as_json=True).splitlines()]
    assert [row.get("claim") for row in rows[:2]] == ["Deep learning requires GPUs", "Deep learning requires GPUs"]
    assert "reply" not in rows[0] and "CPUs can train models." in rows[1]["reply"]
    assert rows[2] == {"reply": help_text([RECORD])} and "Myth 4: hardware" in rows[2]["reply"]


def test_quit_ends_the_conversation_and_colours_are_optional():
    out = chat("Deep learning requires GPUs.\nquit\nwhy?\n", colour=True)
    assert COLOURED_BADGES["false"] in out and out.count("A myth.") == 1


def test_the_command_holds_a_conversation_from_a_pipe():
    lines = "Do you need a GPU to train a neural network?\nwhy?\nwhat about TPUs?\n"
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--json"], input=lines, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["verdict"] in ("false", "nuanced") and rows[0]["citation"]["section"] == "myth-4"
    assert rows[1]["reply"] and rows[1]["claim"] == rows[0]["claim"]
    assert rows[2]["claim"] == "You need TPUs to train a neural network" and "reply" not in rows[2]
