"""One or two plain sentences saying why a verdict was reached."""

from __future__ import annotations

from bot.decide import Judgement


def _quote(text: str, limit: int = 160) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def for_judgement(judgement: Judgement, kind: str = "") -> str:
    """Explain a verdict from the evidence that decided it."""
    deciding = judgement.deciding
    record = deciding.record if deciding else None
    if judgement.verdict == "unverifiable" or record is None:
        return ("The knowledge base does not cover this, so I cannot confirm or refute it. "
                "Its closest passages neither support nor contradict the statement.")
    where = f"the article's section “{record.heading}”"
    if kind == "compound":
        return (f"Part of this holds and part does not: the weaker part conflicts with {where}: "
                f"{_quote(record.text)}")
    if judgement.verdict == "nuanced":
        return record.note or f"The article qualifies this: {_quote(record.text)}"
    if record.is_myth:
        if judgement.verdict == "false":
            return f"This repeats a myth the article debunks. {record.note or ''}".strip()
        return f"Right: this rejects a myth the article debunks. {record.note or ''}".strip()
    if judgement.verdict == "false":
        return f"The article says otherwise, in {where}: {_quote(record.text)}"
    return f"The article supports this, in {where}: {_quote(record.text)}"


def overgeneralisation(words: list[str], softened: Judgement) -> str:
    """Explain why an absolute version of a supported fact is only partly right."""
    absolute = ", ".join(f"“{word}”" for word in dict.fromkeys(words))
    record = softened.deciding.record if softened.deciding else None
    basis = f" The article says: {_quote(record.text)}" if record else ""
    return f"Too absolute: the article supports a softer version, but not {absolute}.{basis}"


def nothing_to_check() -> str:
    return ("There is no statement here to check, only punctuation or invisible characters. "
            "Type a statement about deep learning.")


def foreign() -> str:
    return ("This does not look like English, and the knowledge base is written in English, "
            "so I cannot judge it. Try asking in English.")


def quiz(asks_for: str, fitting: list) -> str:
    """Explain a quiz answer, including when no option or several fit."""
    kind = "not true" if asks_for == "false" else "true"
    if not fitting:
        return f"None of the options is clearly {kind} according to the knowledge base."
    if len(fitting) > 1:
        labels = ", ".join(option.label for option in fitting)
        return f"Several options look {kind} according to the knowledge base: {labels}."
    option = fitting[0]
    return f"Option {option.label} is {kind}: {option.verdict.explanation}"
