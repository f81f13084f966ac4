"""Cite what the article says, not the myth it debunks.

A verdict decided by a rated claim (a myth, or a claim rated nuanced) would otherwise quote
that claim, and a reader takes a quote as the article's position. Such a verdict cites the
passage that debunks the claim instead and keeps the claim apart, as `myth`. The debunking
passage of a myth is its section's `<section>-truth` passage (each myth section of the
article states its truth in one); without one, the verdict's closest passage from the
claim's section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.knowledge.records import Record
from bot.verdict.report import Verdict

# What each rating makes a rated claim, named wherever one is shown: a bare quote reads as the
# article's own position. A claim rated true states the article's position, so it needs no name.
_RATED_AS = {"false": "the myth", "nuanced": "the claim the article qualifies"}


def rated_as(record: Record) -> str | None:
    """ "the myth" or "the claim the article qualifies" for a rated claim that is not the article's view, else None."""
    return _RATED_AS.get(record.rating or "") if record.kind == "claim" else None


def debunkers(records: Iterable[Record]) -> dict[str, Record]:
    """Myth id -> the passage that debunks it: the `<section>-truth` passage of its section."""
    records = list(records)
    truths = {record.section: record for record in records
              if record.kind == "passage" and record.id == f"{record.section}-truth"}
    return {record.id: truths[record.section] for record in records
            if record.is_myth and record.section in truths}


def _closest_passage(verdict: Verdict, claim: Record) -> Record | None:
    passages = [item for item in verdict.evidence
                if item.record.kind == "passage" and item.record.section == claim.section]
    return max(passages, key=lambda item: item.retrieval_score).record if passages else None


def attribute(verdict: Verdict, debunking: dict[str, Record]) -> Verdict:
    """The verdict citing the passage that debunks the rated claim that decided it (kept as `myth`)."""
    claim = verdict.citation
    if claim is None or claim.kind != "claim" or claim.rating == "true":
        return verdict
    passage = debunking.get(claim.id) or _closest_passage(verdict, claim)
    return replace(verdict, citation=passage or claim, myth=claim)
