"""The records a check produces, and their JSON form (the `check --json` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bot.records import Record

VERDICTS = ("true", "false", "nuanced", "unverifiable")


@dataclass(frozen=True)
class Evidence:
    """One knowledge record weighed for a claim: retrieval relevance and NLI probabilities."""

    record: Record
    retrieval_score: float
    entailment: float
    neutral: float
    contradiction: float

    def to_dict(self) -> dict:
        return {
            "id": self.record.id,
            "section": self.record.section,
            "text": self.record.text,
            "retrieval_score": round(self.retrieval_score, 4),
            "entailment": round(self.entailment, 4),
            "neutral": round(self.neutral, 4),
            "contradiction": round(self.contradiction, 4),
        }


def citation_dict(record: Record | None) -> dict | None:
    if record is None:
        return None
    return {
        "id": record.id,
        "section": record.section,
        "source": f"{record.source.describe()}, section \"{record.heading}\"",
        "text": record.text,
    }


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim: what was checked, the answer, why, and on what evidence."""

    statement: str
    claim: str
    verdict: str
    confidence: float
    explanation: str
    citation: Record | None
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        data = {
            "statement": self.statement,
            "claim": self.claim,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "explanation": self.explanation,
            "citation": citation_dict(self.citation),
            "evidence": [item.to_dict() for item in self.evidence],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data


# When several claims must be summed up as one, the least favourable verdict stands for them.
_LEAST_FAVOURABLE_FIRST = ("false", "nuanced", "true", "unverifiable")


def least_favourable(claims: Sequence[Verdict]) -> Verdict:
    """The claim whose verdict is least favourable: false, then nuanced, true, unverifiable."""
    return min(claims, key=lambda claim: _LEAST_FAVOURABLE_FIRST.index(claim.verdict))


@dataclass(frozen=True)
class QuizOption:
    label: str
    text: str
    verdict: Verdict


@dataclass(frozen=True)
class QuizResult:
    """A multiple-choice question: what it asks for, each option's verdict, and the answer."""

    question: str
    asks_for: str
    options: tuple[QuizOption, ...]
    answer: tuple[str, ...]
    explanation: str

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "asks_for": self.asks_for,
            "answer": list(self.answer),
            "explanation": self.explanation,
            "options": [
                {
                    "label": option.label,
                    "text": option.text,
                    "verdict": option.verdict.verdict,
                    "confidence": round(option.verdict.confidence, 4),
                    "explanation": option.verdict.explanation,
                    "citation": citation_dict(option.verdict.citation),
                }
                for option in self.options
            ],
        }


@dataclass(frozen=True)
class Report:
    """Everything said about one message: one claim, several claims, or a quiz."""

    statement: str
    claims: tuple[Verdict, ...] = ()
    quiz: QuizResult | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """The JSON contract: one claim -> the claim's object; several -> `claims`; quiz -> `quiz`."""
        if self.quiz is not None:
            data = {"statement": self.statement, "quiz": self.quiz.to_dict()}
        elif len(self.claims) == 1:
            data = self.claims[0].to_dict()
            data["statement"] = self.statement
        else:
            data = {"statement": self.statement, "claims": [claim.to_dict() for claim in self.claims]}
        if self.notes:
            data["notes"] = sorted(set(data.get("notes", [])) | set(self.notes))
        return data
