"""The chat and the `/check` API: messages in, replies (HTML) or report objects out."""

from __future__ import annotations

import re

from bot.app import format
from bot.app.engine import SharedChecker

_HELP = re.compile(
    r"(help|hi|hello|hey|what can you do|what do you do|what do you know( about)?|what do you check"
    r"|what are you|who are you|how does (this|it) work|how do i use (this|you|it))( please)?"
)

EMPTY_STATEMENT = "nothing to check: the statement is empty"


def wants_help(message: str) -> bool:
    """Whether the message asks what the bot can do (rather than stating a claim)."""
    words = re.sub(r"[^\w\s]", " ", message.lower()).split()
    return not words or _HELP.fullmatch(" ".join(words)) is not None


class Chat:
    """Event handlers for the chat tab and the `/check` endpoint."""

    def __init__(self, engine: SharedChecker) -> None:
        self.engine = engine
        self._help = format.help_message(*engine.split_records())

    def reply(self, message: str) -> str:
        """The HTML reply to one message: the help text, or the verdicts."""
        if wants_help(message):
            return self._help
        return format.report(self.engine.check(message))

    def respond(self, message: str, history: list[dict]) -> tuple[list[dict], str]:
        """Add the user's message and the reply to the conversation; empty the input box."""
        if not message.strip():
            return history, ""
        turn = [{"role": "user", "content": format.user_message(message)},
                {"role": "assistant", "content": self.reply(message)}]
        return [*history, *turn], ""

    def check_api(self, statement: list[str]) -> tuple[list[dict]]:
        """`/check`, batched: concurrent requests arrive together and share one `check_many` pass.

        A client sends one statement; Gradio hands over the statements of all waiting requests
        (hence the list). Each result is `Report.to_dict()` (the `claimcheck check --json`
        object); an empty statement gets `{"statement": ..., "error": ...}` instead, without
        failing the others.
        """
        texts = [text or "" for text in statement]
        reports = iter(self.engine.check_many([text for text in texts if text.strip()]))
        return ([next(reports).to_dict() if text.strip() else {"statement": text, "error": EMPTY_STATEMENT}
                 for text in texts],)
