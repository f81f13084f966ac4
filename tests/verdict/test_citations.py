"""A verdict decided by a rated claim cites the passage that debunks it (no models needed)."""

from __future__ import annotations

from bot.knowledge.records import Record, Source
from bot.verdict.citations import attribute, debunkers
from bot.verdict.report import Evidence, Verdict

SOURCE = Source(title="Deep learning myths")


def record(id: str, section: str, kind: str = "passage", rating: str = "true") -> Record:
    return Record(id=id, section=section, heading=section, kind=kind, text=f"text of {id}", rating=rating,
                  source=SOURCE)


MYTH = record("myth-4-gpu-claim", "myth-4", "claim", "false")
TRUTH = record("myth-4-truth", "myth-4")
CPUS = record("myth-4-cpus", "myth-4")
ORPHAN = record("conclusion-solved-claim", "conclusion", "claim", "false")
RECORDS = [MYTH, TRUTH, CPUS, ORPHAN, record("conclusion-challenges", "conclusion"),
           record("myth-1-more-claim", "myth-1", "claim", "nuanced")]


def verdict(citation: Record | None, evidence=()) -> Verdict:
    return Verdict(statement="s", claim="s", verdict="false", confidence=0.9, explanation="e", citation=citation,
                   evidence=evidence)


def test_each_myth_is_debunked_by_its_section_truth_passage():
    assert debunkers(RECORDS) == {"myth-4-gpu-claim": TRUTH}


def test_a_verdict_decided_by_a_myth_cites_the_debunking_passage_and_keeps_the_myth():
    attributed = attribute(verdict(MYTH), debunkers(RECORDS))
    assert attributed.citation == TRUTH and attributed.myth == MYTH
    assert attributed.to_dict()["citation"]["id"] == "myth-4-truth"


def test_without_a_truth_passage_the_closest_passage_of_the_section_is_cited():
    evidence = (Evidence(record("conclusion-challenges", "conclusion"), 0.5, 0.1, 0.2, 0.7),
                Evidence(record("conclusion-far", "conclusion"), 0.3, 0.1, 0.2, 0.7),
                Evidence(CPUS, 0.9, 0.1, 0.2, 0.7))
    attributed = attribute(verdict(ORPHAN, evidence), debunkers(RECORDS))
    assert attributed.citation.id == "conclusion-challenges" and attributed.myth == ORPHAN


def test_passages_and_claims_rated_true_are_cited_as_they_are():
    for citation in (CPUS, record("x-claim", "x", "claim", "true"), None):
        assert attribute(verdict(citation), debunkers(RECORDS)) == verdict(citation)
