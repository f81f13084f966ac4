"""The chat and the `/check` API: messages in, replies (HTML) or report objects out.

The chat is a conversation (`bot.conversation.dialogue`): each browser session keeps its own
`Context` in a `gr.State`, so follow-ups ("why?", "what about TPUs?") are read against that
session's last answer and never another's.
"""

from __future__ import annotations

from bot.conversation.dialogue import Context, Conversation, Turn
from bot.interfaces.app import format
from bot.interfaces.app.engine import SharedChecker

EMPTY_STATEMENT = "nothing to check: the statement is empty"


class Chat:
    """Event handlers for the chat tab and the `/check` endpoint."""

    def __init__(self, engine: SharedChecker) -> None:
        self.engine = engine
        self._help = format.help_message(*engine.split_records())

    def reply(self, message: str) -> str:
        """The HTML reply to one message on its own (no earlier context)."""
        return self.answer(Conversation(self.engine.check).say(message))

    def answer(self, turn: Turn) -> str:
        """The HTML of one turn: the help text, a follow-up's reply, or the verdicts."""
        if turn.kind == "help":
            return self._help
        return format.turn(turn)

    def respond(self, message: str, history: list[dict], context: Context | None
                ) -> tuple[list[dict], str, Context | None]:
        """Answer the message in this session's context; add both to the history; empty the input box."""
        if not message.strip():
            return history, "", context
        conversation = Conversation(self.engine.check, context)
        reply = self.answer(conversation.say(message))
        turn = [{"role": "user", "content": format.user_message(message)}, {"role": "assistant", "content": reply}]
        return [*history, *turn], "", conversation.context

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
