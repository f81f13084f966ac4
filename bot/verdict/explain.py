"""One or two plain sentences saying why a verdict was reached."""

from __future__ import annotations

from bot.knowledge.records import Record
from bot.verdict.decide import Judgement


def _quote(text: str, limit: int = 160) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


_ARTICLE_VERB = {"say": "says", "support": "supports", "qualify": "qualifies"}


def _says(record: Record | None, verb: str) -> str:
    """"the article says" (`verb` = "say"), or "your notes say" when the record is a sentence of the user's notes."""
    return f"your notes {verb}" if record is not None and record.plain else f"the article {_ARTICLE_VERB[verb]}"


def _where(record: Record) -> str:
    return f"“{record.heading}”" if record.plain else f"the article's section “{record.heading}”"


def _in(record: Record) -> str:
    """Where the record is, after "the article says ...": "in its section “…”" (not "the article's" twice)."""
    return f"in “{record.heading}”" if record.plain else f"in its section “{record.heading}”"


def for_judgement(judgement: Judgement, kind: str = "") -> str:
    """Explain a verdict from the evidence that decided it."""
    deciding = judgement.deciding
    record = deciding.record if deciding else None
    if judgement.verdict == "unverifiable" or record is None:
        return ("The knowledge base does not cover this, so I cannot confirm or refute it. "
                "Its closest passages neither support nor contradict the statement.")
    if kind == "compound":
        return (f"Part of this holds and part does not: the weaker part conflicts with {_where(record)}: "
                f"{_quote(record.text)}")
    if judgement.verdict == "nuanced":
        return record.note or f"{_says(record, 'qualify').capitalize()} this: {_quote(record.text)}"
    if record.is_myth:
        if judgement.verdict == "false":
            return f"This repeats a myth the article debunks. {record.note or ''}".strip()
        return f"Right: this rejects a myth the article debunks. {record.note or ''}".strip()
    if judgement.verdict == "false":
        return f"{_says(record, 'say').capitalize()} otherwise, {_in(record)}: {_quote(record.text)}"
    return f"{_says(record, 'support').capitalize()} this, {_in(record)}: {_quote(record.text)}"


def overgeneralisation(words: list[str], softened: Judgement) -> str:
    """Explain why an absolute version of a supported fact is only partly right."""
    absolute = ", ".join(f"“{word}”" for word in dict.fromkeys(words))
    record = softened.deciding.record if softened.deciding else None
    basis = f" {_says(record, 'say').capitalize()}: {_quote(record.text)}" if record else ""
    return f"Too absolute: {_says(record, 'support')} a softer version, but not {absolute}.{basis}"


def denial(claim: str, verdict: str) -> str:
    """Say what the verdict on a claim the user denies ("it's a myth that ...") means for the denial."""
    what = {"false": "rightly: the article says it is false.", "true": "but the article supports it.",
            "nuanced": "but the article says it holds in part.", "unverifiable": "but the article does not decide it."}
    return f"You deny {_quote(claim)}, {what.get(verdict, '')}".strip()


def nothing_to_check() -> str:
    return ("There is no statement here to check, only punctuation or invisible characters. "
            "Type a statement about deep learning.")


def foreign() -> str:
    return ("This does not look like English, and the knowledge base is written in English, "
            "so I cannot judge it. Try asking in English.")


def quiz(asks_for: str, fitting: list, *, certain: bool = True) -> str:
    """Explain a quiz answer: the one option that fits, or every option that does (select all)."""
    kind = "not true" if asks_for == "false" else "true"
    if len(fitting) > 1:
        labels = ", ".join(option.label for option in fitting)
        hedge = "" if certain else " Some options are not covered by the knowledge base, so this may be incomplete."
        return f"Options {labels} are {kind} according to the knowledge base.{hedge}"
    option = fitting[0]
    return f"Option {option.label} is {kind}. {option.verdict.explanation}"


def best_guess(asks_for: str, best, fitting_labels: list[str]) -> str:
    """Explain the answer to a quiz no option fits cleanly: a best guess, and why."""
    kind = "not true" if asks_for == "false" else "true"
    if len(fitting_labels) > 1:
        return (f"Best guess: {best.label}. Several options look {kind} ({', '.join(fitting_labels)}); "
                f"the evidence favours {best.label} most. {best.verdict.explanation}")
    return (f"Best guess: {best.label}. No option is clearly {kind} according to the knowledge base; "
            f"the evidence leans that way for {best.label} more than for the others.")


def true_or_false(says_true: bool, certain: bool, verdict) -> str:
    """Explain the answer to a true-or-false question."""
    answer = "True" if says_true else "False"
    if certain:
        return f"{answer}. {verdict.explanation}"
    if verdict.verdict == "nuanced":
        return f"False as stated, though part of it holds. {verdict.explanation}"
    return (f"Best guess: {answer}. The knowledge base does not decide this; its closest passages lean "
            f"{'towards' if says_true else 'against'} it.")
