"""`claimcheck chat`: the conversation of the app, in a terminal.

Interactive on a terminal (a prompt, readline history and line editing, coloured badges);
from a pipe, one turn a line and no prompt. `--json` prints one JSON object a turn
(`Turn.to_dict()`). The engine is `bot.conversation.dialogue`, the same as the app's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from bot.conversation.dialogue import Conversation, Turn
from bot.interfaces.present import BADGES, format_report
from bot.knowledge.records import KINDS, Record
from bot.verdict.report import Report

PROMPT = "you> "
QUIT = {"quit", "exit", "bye", ":q"}
# ANSI colours for the badges (bold green, red, yellow, grey); the symbol and word carry the meaning.
_COLOURS = {"true": "1;32", "false": "1;31", "nuanced": "1;33", "unverifiable": "1;90"}
COLOURED_BADGES = {verdict: f"\033[{_COLOURS[verdict]}m{badge}\033[0m" for verdict, badge in BADGES.items()}


def help_text(records: Sequence[Record]) -> str:
    """What the chat does and which topics it knows, from the knowledge base itself."""
    topics = list(dict.fromkeys(record.heading for record in records if record.kind in KINDS))
    listed = "\n".join(f"  - {topic}" for topic in topics[:12])
    more = f"\n  ... and {len(topics) - 12} more" if len(topics) > 12 else ""
    return ("I check statements about deep learning against a small, cited knowledge base. Type a statement, a "
            "question or a whole quiz; then ask “why?”, “source?”, “are you sure?”, “is that always true?” or "
            f"“what about TPUs?”. Type “quit” to leave. Topics I know:\n{listed}{more}")


def lines_from(stream: TextIO, *, interactive: bool) -> Iterator[str]:
    """The user's turns: prompted lines on a terminal, else one per line; blank lines skipped."""
    while True:
        if interactive:
            try:
                line = input(PROMPT)
            except EOFError:
                return
        else:
            line = stream.readline()
            if not line:
                return
        line = line.strip()
        if line.lower() in QUIT:
            return
        if line:
            yield line


def format_turn(turn: Turn, *, badges: dict[str, str] = BADGES) -> str:
    """A turn as text: the claim as read and its verdicts, or a follow-up's reply."""
    if turn.kind != "check":
        return turn.reply
    checking = f"Checking: {turn.rewritten}\n" if turn.rewritten else ""
    return checking + format_report(turn.report, badges=badges)


def run_chat(check: Callable[[str], Report], records: Callable[[], Sequence[Record]], *, stdin: TextIO,
             stdout: TextIO, interactive: bool, as_json: bool, colour: bool) -> int:
    """Hold the conversation until end of input or "quit"; returns the exit code."""
    if interactive:
        import readline  # noqa: F401  (importing it gives input() line editing and history)
    conversation = Conversation(check)
    badges = COLOURED_BADGES if colour else BADGES
    for line in lines_from(stdin, interactive=interactive):
        turn = conversation.say(line)
        helped = help_text(records()) if turn.kind == "help" else ""
        if as_json:
            stdout.write(json.dumps({"reply": helped} if helped else turn.to_dict(), ensure_ascii=False) + "\n")
        else:
            stdout.write((helped or format_turn(turn, badges=badges)) + "\n\n")
        stdout.flush()
    return 0
