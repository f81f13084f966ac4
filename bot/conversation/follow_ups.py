"""The answers to follow-up questions about a verdict: "why?", "source?", "are you sure?".

Plain text built from the verdict alone (its explanation, citation, myth and evidence), for
the chat and `claimcheck chat` alike; `bot.conversation.dialogue` decides when to give them.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.knowledge.records import KINDS
from bot.verdict.report import Evidence, Verdict


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _passage_line(item: Evidence) -> str:
    record = item.record
    return (f"“{record.text}” ({record.heading}; entailment {_percent(item.entailment)}, neutral "
            f"{_percent(item.neutral)}, contradiction {_percent(item.contradiction)})")


def _article(evidence: tuple[Evidence, ...]) -> list[Evidence]:
    """The evidence from the knowledge files' own records (not restatements of them)."""
    return [item for item in evidence if item.record.kind in KINDS]


def why(verdict: Verdict, *, passages: int = 3) -> str:
    """The explanation, then the passages weighed, best match first."""
    lines = [verdict.explanation]
    if verdict.myth is not None:
        lines.append(f"The myth: “{verdict.myth.text}”")
    weighed = sorted(_article(verdict.evidence), key=lambda item: item.retrieval_score, reverse=True)[:passages]
    if weighed:
        lines.append("The passages I weighed:")
        lines.extend(f"- {_passage_line(item)}" for item in weighed)
    return "\n".join(lines)


def source(verdict: Verdict) -> str:
    """The cited passage with its section and source."""
    record = verdict.citation
    if record is None:
        return "No passage decides this, so there is nothing to cite: the knowledge base does not cover it."
    lines = [f"“{record.text}”", f"{record.source.describe()}, section “{record.heading}” [{record.id}]"]
    if verdict.myth is not None:
        lines.append(f"The myth it debunks: “{verdict.myth.text}” [{verdict.myth.id}]")
    return "\n".join(lines)


def sure(verdict: Verdict) -> str:
    """How sure, and the strongest passage for and against the claim."""
    if verdict.verdict == "unverifiable":
        head = "I cannot be sure either way: no passage decides this."
    else:
        head = f"I am {_percent(verdict.confidence)} confident that it is {verdict.verdict}."
    passages = [item for item in _article(verdict.evidence) if item.record.kind == "passage"]
    lines = [head]
    if passages:
        best_for = max(passages, key=lambda item: item.entailment * item.retrieval_score)
        best_against = max(passages, key=lambda item: item.contradiction * item.retrieval_score)
        lines.append(f"For the claim: {_passage_line(best_for)}" if best_for.entailment >= 0.5
                     else "No passage clearly supports the claim.")
        lines.append(f"Against the claim: {_passage_line(best_against)}" if best_against.contradiction >= 0.5
                     else "No passage clearly contradicts the claim.")
    if verdict.myth is not None:
        lines.append(f"It was decided by the {'myth' if verdict.myth.is_myth else 'rated claim'} "
                     f"“{verdict.myth.text}”.")
    return "\n".join(lines)


REPLIES: dict[str, Callable[[Verdict], str]] = {"why": why, "source": source, "sure": sure}
