"""Readable text for the terminal: a verdict badge, confidence, explanation and citation."""

from __future__ import annotations

import textwrap

from bot.verdict.citations import rated_as
from bot.verdict.report import QuizResult, Report, Verdict

BADGES = {
    "true": "✔ TRUE",
    "false": "✘ FALSE",
    "nuanced": "≈ NUANCED",
    "unverifiable": "? UNVERIFIABLE",
}


def _wrap(text: str, indent: str = "   ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def plural(count: int, noun: str) -> str:
    """ "1 row", "2 rows"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sureness(verdict: Verdict) -> str:
    """ "84% confident": every verdict has a confidence, `unverifiable` included (how sure nothing decides it).

    A low one says so, so that a tentative reading is not taken for a firm answer.
    """
    low = ", low: a tentative reading" if verdict.low_confidence else ""
    return f"{verdict.confidence:.0%} confident{low}"


def option_text(text: str) -> str:
    """A quiz option as shown: a sentence starts with a capital even when typed in lower case."""
    return text[:1].upper() + text[1:]


def quiz_heading(quiz: QuizResult) -> str:
    """What the quiz asks, in words: "which option is NOT true?", "true or false?"."""
    if quiz.kind == "true_or_false":
        return "true or false?"
    kind = "NOT true" if quiz.asks_for == "false" else "true"
    return f"which options are {kind}?" if quiz.kind == "all" else f"which option is {kind}?"


def read_as(option: str, claim: str) -> str | None:
    """The statement an option was judged as, when it is more than the option's own words recased."""
    return None if claim.lower().rstrip(". ") == option.lower().rstrip(". ") else claim


def quiz_answer(quiz: QuizResult) -> str:
    """The answer, marked as a best guess when no option fits cleanly."""
    return ", ".join(quiz.answer) + ("" if quiz.certain else " (best guess)")


def format_verdict(verdict: Verdict, *, badges: dict[str, str] = BADGES) -> str:
    lines = [f"{badges[verdict.verdict]}  ({sureness(verdict)})  {verdict.claim}", _wrap(verdict.explanation)]
    if verdict.citation:
        record = verdict.citation
        lines.append(_wrap(f"Source: {record.source.describe()}, section “{record.heading}” [{record.id}]"))
        lines.append(_wrap(f"“{record.text}”", indent="     "))
    if verdict.myth:
        lines.append(_wrap(f"{rated_as(verdict.myth).capitalize()}: “{verdict.myth.text}” [{verdict.myth.id}]"))
    lines.extend(_wrap(f"Note: {note}") for note in verdict.notes)
    return "\n".join(lines)


def format_quiz(quiz: QuizResult, *, badges: dict[str, str] = BADGES) -> str:
    lines = [f"Quiz: {quiz_heading(quiz)}  Answer: {quiz_answer(quiz)}", _wrap(quiz.explanation)]
    for option in quiz.options:
        verdict = option.verdict
        judged = read_as(option.text, verdict.claim)
        shown = f"  (read as: {judged})" if judged else ""
        low = ", low" if verdict.low_confidence else ""
        lines.append(f"  {option.label}) {badges[verdict.verdict]} ({verdict.confidence:.0%}{low})  "
                     f"{option_text(option.text)}{shown}")
    return "\n".join(lines)


def format_report(report: Report, *, badges: dict[str, str] = BADGES) -> str:
    """The whole answer to one message, as plain text; `badges` may be coloured (the chat on a terminal)."""
    if report.quiz:
        parts = [format_quiz(report.quiz, badges=badges)]
    else:
        parts = [format_verdict(v, badges=badges) for v in report.claims]
        if len(report.claims) > 1:
            whole = report.headline
            parts.insert(0, f"Overall: {badges[whole.verdict]}  ({sureness(whole)})\n{_wrap(whole.explanation)}")
    parts.extend(f"Note: {note}" for note in report.notes)
    return "\n\n".join(parts)
