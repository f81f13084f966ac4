"""The dev conversations and pasted quizzes end to end, with the shipped models.

Floors a little under what was measured (docs/measurements.md, "Conversations and quizzes"): 14 of 16 pasted
quizzes, 44 of 45 follow-up turns understood. Verdicts on the conversations' turns measure the
checker and are reported by `bench/conversations.py`, not asserted here.
"""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.evaluation.dialogue import score_conversations, score_quizzes
from bot.fileio import read_jsonl

DATA = PROJECT_ROOT / "tests" / "data"


def test_pasted_quizzes(checker):
    score = score_quizzes(checker.check_many, [row for _, row in read_jsonl(DATA / "quizzes_pasted_dev.jsonl")])
    assert score.total == 16 and score.accuracy >= 0.75, score.misses


def test_follow_ups_are_understood(checker):
    understood, verdicts = score_conversations(checker.check,
                                               [row for _, row in read_jsonl(DATA / "conversations_dev.jsonl")])
    assert understood.total >= 40 and understood.accuracy >= 0.9, understood.misses
    assert verdicts.total >= 50
