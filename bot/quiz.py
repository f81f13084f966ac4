"""Recognise a multiple-choice question ("Which of the following is NOT true ...? A) ... B) ...").

Pure text parsing: the checker judges each option and picks the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A) A. (a) a) a. 1. 1) (1): at the start or after whitespace, followed by whitespace.
_LABEL = re.compile(r"(?:(?<=\s)|^)(?:\((?P<paren>[A-Za-z]|\d{1,2})\)|(?P<bare>[A-Za-z]|\d{1,2})[.)])(?=\s)")
_ASKS_FALSE = re.compile(
    r"\b(not|false|incorrect|untrue|wrong|myths?|misconceptions?|except|inaccurate|isn't|is not|aren't|are not)\b",
    re.IGNORECASE,
)
_NOT_A_MYTH = re.compile(r"\b(not|isn't|is not)\s+(a\s+)?(myth|misconception|false)", re.IGNORECASE)
_QUESTION_CUE = re.compile(r"\?|\b(which|what|select|choose|pick|identify)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedQuiz:
    question: str
    asks_for: str  # "false": the option that is not true; "true": the one that is
    options: tuple[tuple[str, str], ...]  # (label as shown to the user, option text)


def _sequence_value(label: str) -> int:
    return int(label) if label.isdigit() else ord(label.lower()) - ord("a") + 1


def asks_for(question: str) -> str:
    """Whether the question wants the option that is not true ("false") or the true one."""
    if _NOT_A_MYTH.search(question):
        return "true"
    return "false" if _ASKS_FALSE.search(question) else "true"


def parse_quiz(message: str) -> ParsedQuiz | None:
    """A quiz when the message has a question and two or more options labelled in sequence."""
    found = [(m.start(), m.end(), m.group("paren") or m.group("bare")) for m in _LABEL.finditer(message)]
    # Keep the labels that run A, B, C ... (or 1, 2, 3 ...) in order; stray ones ("a. k. a.") drop out.
    chosen: list[tuple[int, int, str]] = []
    for start, end, label in found:
        expected = 1 if not chosen else _sequence_value(chosen[-1][2]) + 1
        same_kind = not chosen or label.isdigit() == chosen[-1][2].isdigit()
        if _sequence_value(label) == expected and same_kind:
            chosen.append((start, end, label))
        elif _sequence_value(label) == 1 and len(chosen) < 2:
            chosen = [(start, end, label)]
    if len(chosen) < 2:
        return None
    question = " ".join(message[: chosen[0][0]].split())
    if not _QUESTION_CUE.search(question):
        return None
    options = []
    for index, (start, end, label) in enumerate(chosen):
        stop = chosen[index + 1][0] if index + 1 < len(chosen) else len(message)
        text = " ".join(message[end:stop].split()).strip(" ;,")
        if not text:
            return None
        options.append((label.upper() if label.isalpha() else label, text))
    return ParsedQuiz(question=question, asks_for=asks_for(question), options=tuple(options))
