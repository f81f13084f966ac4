"""Readable text for the terminal: a verdict badge, confidence, explanation and citation."""

from __future__ import annotations

import textwrap

from bot.verdicts import QuizResult, Report, Verdict

BADGES = {
    "true": "✔ TRUE",
    "false": "✘ FALSE",
    "nuanced": "≈ NUANCED",
    "unverifiable": "? UNVERIFIABLE",
}


def _wrap(text: str, indent: str = "   ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def format_verdict(verdict: Verdict) -> str:
    lines = [f"{BADGES[verdict.verdict]}  ({verdict.confidence:.0%} confident)  {verdict.claim}",
             _wrap(verdict.explanation)]
    if verdict.citation:
        record = verdict.citation
        lines.append(_wrap(f"Source: {record.source.describe()}, section “{record.heading}” [{record.id}]"))
        lines.append(_wrap(f"“{record.text}”", indent="     "))
    lines.extend(_wrap(f"Note: {note}") for note in verdict.notes)
    return "\n".join(lines)


def format_quiz(quiz: QuizResult) -> str:
    kind = "NOT true" if quiz.asks_for == "false" else "true"
    answer = ", ".join(quiz.answer) if quiz.answer else "no clear answer"
    lines = [f"Quiz: which option is {kind}?  Answer: {answer}", _wrap(quiz.explanation)]
    for option in quiz.options:
        verdict = option.verdict
        lines.append(f"  {option.label}) {BADGES[verdict.verdict]} ({verdict.confidence:.0%})  {option.text}")
    return "\n".join(lines)


def format_report(report: Report) -> str:
    """The whole answer to one message, as plain text."""
    parts = [format_quiz(report.quiz)] if report.quiz else [format_verdict(v) for v in report.claims]
    parts.extend(f"Note: {note}" for note in report.notes)
    return "\n\n".join(parts)
