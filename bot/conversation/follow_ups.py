"""The answers to follow-up questions about a verdict: "why?", "source?", "are you sure?".

Plain text built from the verdict alone (its explanation, citation, myth and evidence), for
the chat and `claimcheck chat` alike; `bot.conversation.dialogue` decides when to give them.
A rated claim among the evidence is always named as what it is ("the myth"), so that no
quote of a myth passes for the article's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.knowledge.records import KINDS
from bot.verdict.citations import rated_as
from bot.verdict.report import Evidence, Verdict

WEIGHED = "What I weighed, closest first:"


def _percent(value: float) -> str:
    return f"{value:.0%}"


def weighed(evidence: Iterable[Evidence], *, limit: int = 3) -> list[Evidence]:
    """The knowledge files' own records weighed for a claim (not restatements of them), closest first."""
    article = [item for item in evidence if item.record.kind in KINDS]
    return sorted(article, key=lambda item: item.retrieval_score, reverse=True)[:limit]


def figures(item: Evidence) -> str:
    """ "entailment 6%, neutral 19%, contradiction 75%"."""
    return (f"entailment {_percent(item.entailment)}, neutral {_percent(item.neutral)}, "
            f"contradiction {_percent(item.contradiction)}")


def _passage_line(item: Evidence) -> str:
    record = item.record
    named = rated_as(record)
    return f"{f'{named.capitalize()}: ' if named else ''}“{record.text}” ({record.heading}; {figures(item)})"


def why(verdict: Verdict, *, passages: int = 3) -> str:
    """The explanation, then what was weighed, closest first (the myth named, when not among them)."""
    lines = [verdict.explanation]
    items = weighed(verdict.evidence, limit=passages)
    if verdict.myth is not None and verdict.myth not in [item.record for item in items]:
        lines.append(f"{rated_as(verdict.myth).capitalize()}: “{verdict.myth.text}”")
    if items:
        lines.append(WEIGHED)
        lines.extend(f"- {_passage_line(item)}" for item in items)
    return "\n".join(lines)


def source(verdict: Verdict) -> str:
    """The cited passage with its section and source."""
    record = verdict.citation
    if record is None:
        return "No passage decides this, so there is nothing to cite: the knowledge base does not cover it."
    lines = [f"“{record.text}”", f"{record.source.describe()}, section “{record.heading}” [{record.id}]"]
    if verdict.myth is not None:
        debunked = "The myth it debunks" if verdict.myth.is_myth else "The claim it qualifies"
        lines.append(f"{debunked}: “{verdict.myth.text}” [{verdict.myth.id}]")
    return "\n".join(lines)


def sure(verdict: Verdict) -> str:
    """How sure, and the strongest passage for and against the claim."""
    if verdict.verdict == "unverifiable":
        head = f"I am {_percent(verdict.confidence)} confident that the knowledge base does not decide this."
    else:
        head = f"I am {_percent(verdict.confidence)} confident that it is {verdict.verdict}."
    passages = [item for item in verdict.evidence if item.record.kind == "passage"]
    lines = [head]
    if passages:
        best_for = max(passages, key=lambda item: item.entailment * item.retrieval_score)
        best_against = max(passages, key=lambda item: item.contradiction * item.retrieval_score)
        lines.append(f"For the claim: {_passage_line(best_for)}" if best_for.entailment >= 0.5
                     else "No passage clearly supports the claim.")
        lines.append(f"Against the claim: {_passage_line(best_against)}" if best_against.contradiction >= 0.5
                     else "No passage clearly contradicts the claim.")
    if verdict.myth is not None:
        lines.append(f"It was decided by {rated_as(verdict.myth) or 'the rated claim'}: “{verdict.myth.text}”")
    return "\n".join(lines)


REPLIES: dict[str, Callable[[Verdict], str]] = {"why": why, "source": source, "sure": sure}
