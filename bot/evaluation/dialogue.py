"""Scoring quizzes and conversations against labelled dev data (`bench/conversations.py`, the tests).

Quizzes: `{"text", "answer"}`; a quiz is right when its answer is exactly the labelled one.
Conversations: `{"turns": [{"say", "kind"?, "claim"?, "verdict"?}]}`; a turn's `kind` is "check"
unless given. A follow-up turn (every turn after the first) is understood when its kind is right
and, for a check, the claim as read matches (case and final full stop aside). Verdicts are
scored apart, on the turns that label one: they measure the checker, not the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.conversation.dialogue import Conversation, Turn
from bot.verdict.report import Report


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    misses: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def _same(a: str, b: str) -> bool:
    return a.lower().rstrip(" .") == b.lower().rstrip(" .")


def score_quizzes(check_many: Callable[[list[str]], list[Report]], rows: list[dict]) -> Score:
    """How many quizzes get exactly their labelled answer."""
    reports = check_many([row["text"] for row in rows])
    misses = [f"{row['text'][:70]}: got {list(report.quiz.answer) if report.quiz else 'no quiz'}, "
              f"expected {row['answer']}" for row, report in zip(rows, reports)
              if report.quiz is None or list(report.quiz.answer) != row["answer"]]
    return Score(len(rows) - len(misses), len(rows), tuple(misses))


def _claim(turn: Turn) -> str:
    """The claim as the checker read it (after any rewriting)."""
    return turn.report.claims[0].claim if turn.report and turn.report.claims else (turn.rewritten or "")


def score_conversations(check: Callable[[str], Report], rows: list[dict]) -> tuple[Score, Score]:
    """(follow-ups understood, verdicts right) over the dev conversations."""
    understood = verdicts = followups = labelled = 0
    misses: list[str] = []
    verdict_misses: list[str] = []
    for row in rows:
        conversation = Conversation(check)
        for number, expected in enumerate(row["turns"]):
            turn = conversation.say(expected["say"])
            kind = expected.get("kind", "check")
            if number > 0:
                followups += 1
                right = turn.kind == kind and ("claim" not in expected or _same(_claim(turn), expected["claim"]))
                understood += right
                if not right:
                    misses.append(f"{expected['say']!r}: read as {turn.kind} {_claim(turn)!r}, expected {kind} "
                                  f"{expected.get('claim', '')!r}")
            if "verdict" in expected and turn.report is not None and turn.report.headline is not None:
                labelled += 1
                got = turn.report.headline.verdict
                verdicts += got == expected["verdict"]
                if got != expected["verdict"]:
                    verdict_misses.append(f"{_claim(turn)!r}: {got}, expected {expected['verdict']}")
    return Score(understood, followups, tuple(misses)), Score(verdicts, labelled, tuple(verdict_misses))
