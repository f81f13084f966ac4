"""Reports of several sentences: the overall verdict, and the JSON contract around it (no models needed)."""

from __future__ import annotations

import pytest

from bot.knowledge.records import Record, Source
from bot.verdict.report import LOW_CONFIDENCE, Report, Verdict, overall

SOURCE = Source(title="Deep learning myths")


def record(id: str, kind: str = "passage", rating: str = "true") -> Record:
    return Record(id=id, section=id.rsplit("-", 1)[0], heading="Myth 1", kind=kind, text=f"text of {id}",
                  rating=rating, source=SOURCE)


def claim(verdict: str, confidence: float = 0.8, cited: str | None = None, myth: Record | None = None) -> Verdict:
    citation = None if verdict == "unverifiable" else record(cited or f"myth-1-{verdict}")
    return Verdict(statement=verdict, claim=verdict, verdict=verdict, confidence=confidence, explanation="why",
                   citation=citation, myth=myth)


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [(["true", "true"], "true"), (["false", "false"], "false"), (["true", "false"], "nuanced"),
     (["true", "nuanced"], "nuanced"), (["true", "unverifiable"], "true"), (["false", "unverifiable"], "false"),
     (["unverifiable", "unverifiable"], "unverifiable"), (["nuanced", "unverifiable"], "nuanced")],
)
def test_overall_verdict_follows_the_compound_rules(verdicts, expected):
    assert overall("msg", [claim(v) for v in verdicts]).verdict == expected


def test_overall_cites_the_sentence_against_and_averages_decided_confidence():
    whole = overall("msg", [claim("true", 0.9), claim("false", 0.5, cited="myth-1-against"),
                            claim("false", 0.7, cited="myth-1-surer"), claim("unverifiable", 0.1)])
    assert whole.citation.id == "myth-1-surer"
    assert whole.confidence == pytest.approx((0.9 + 0.5 + 0.7) / 3)
    assert "2 false" in whole.explanation and "1 unverifiable" in whole.explanation
    assert overall("m", [claim("unverifiable"), claim("unverifiable")]).citation is None


def test_several_sentences_json_has_the_overall_verdict_beside_claims():
    myth = record("myth-1-claim", kind="claim", rating="false")
    data = Report("a. b.", claims=(claim("true"), claim("false", myth=myth))).to_dict()
    assert data["verdict"] == "nuanced" and 0 <= data["confidence"] <= 1
    assert data["citation"]["id"] == "myth-1-false" and data["myth"] == {"id": "myth-1-claim", "rating": "false",
                                                                        "text": "text of myth-1-claim"}
    assert [item["verdict"] for item in data["claims"]] == ["true", "false"]


def test_one_claim_json_has_a_myth_field():
    assert Report("a", claims=(claim("true"),)).to_dict()["myth"] is None


def test_low_confidence_is_flagged_in_every_json_shape():
    assert Report("a", claims=(claim("true", 0.9),)).to_dict()["low_confidence"] is False
    assert Report("a", claims=(claim("false", LOW_CONFIDENCE - 0.01),)).to_dict()["low_confidence"] is True
    several = Report("a. b.", claims=(claim("true", 0.5), claim("unverifiable", 0.3))).to_dict()
    assert several["low_confidence"] is True and [c["low_confidence"] for c in several["claims"]] == [True, True]
