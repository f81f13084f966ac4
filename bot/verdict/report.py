"""The records a check produces, and their JSON form (the `check --json` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bot.knowledge.records import Record

VERDICTS = ("true", "false", "nuanced", "unverifiable")
# Below this confidence a verdict is flagged `low_confidence` and shown as a tentative reading,
# not a firm answer. On the real-world tuning pages, by fifths of the verdicts from the least
# sure: fast profile 0.33, 0.61 (from 0.54), 0.77 (from 0.67), 0.87, 0.94 right; accurate profile
# 0.50, 0.71 (from 0.72), 0.86, 0.94, 0.96 (`bench/verdict_sets.py --confidence [--profile accurate]`).
LOW_CONFIDENCE = 0.7


def opposite(verdict: str) -> str:
    """The verdict of a claim's denial: true and false swap; nuanced and unverifiable stay."""
    return {"true": "false", "false": "true"}.get(verdict, verdict)


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


def myth_dict(record: Record | None) -> dict | None:
    """The rated claim (a myth, or a claim rated nuanced) that decided a verdict, apart from its citation."""
    return None if record is None else {"id": record.id, "rating": record.rating, "text": record.text}


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
    myth: Record | None = None  # the rated claim that decided it, when the citation is the passage debunking it

    @property
    def low_confidence(self) -> bool:
        """Whether the verdict is too unsure to be shown as a firm answer."""
        return self.confidence < LOW_CONFIDENCE

    def to_dict(self) -> dict:
        data = {
            "statement": self.statement,
            "claim": self.claim,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "low_confidence": self.low_confidence,
            "explanation": self.explanation,
            "citation": citation_dict(self.citation),
            "myth": myth_dict(self.myth),
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


def _overall_explanation(verdict: str, counts: dict[str, int]) -> str:
    tally = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    if verdict == "unverifiable":
        return f"The knowledge base decides none of these sentences ({tally})."
    if sum(count for name, count in counts.items() if name != "unverifiable") > counts[verdict]:
        return f"Part of this holds and part does not ({tally}); see each sentence below."
    return f"Every sentence the knowledge base decides is {verdict} ({tally}); see each sentence below."


def overall(statement: str, claims: Sequence[Verdict]) -> Verdict:
    """One verdict for several sentences, by the rules for compound claims.

    True with false (or with nuanced) makes nuanced; unverifiable sentences do not make the
    whole unverifiable when others are decided. The confidence is the decided sentences'
    mean; the citation (and myth) is the one of the sentence that decides the whole: the
    most confident of the least favourable verdict.
    """
    decided = [claim for claim in claims if claim.verdict != "unverifiable"]
    counts = {verdict: sum(claim.verdict == verdict for claim in claims) for verdict in VERDICTS}
    if not decided:
        confidence = sum(claim.confidence for claim in claims) / len(claims)
        return Verdict(statement, statement, "unverifiable", confidence, _overall_explanation("unverifiable", counts),
                       citation=None)
    kinds = {claim.verdict for claim in decided}
    verdict = kinds.pop() if len(kinds) == 1 else "nuanced"
    source = min(decided, key=lambda claim: (_LEAST_FAVOURABLE_FIRST.index(claim.verdict), -claim.confidence))
    confidence = sum(claim.confidence for claim in decided) / len(decided)
    return Verdict(statement, statement, verdict, confidence, _overall_explanation(verdict, counts),
                   citation=source.citation, myth=source.myth)


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
    kind: str = "single"  # "single", "all" (select all that apply) or "true_or_false"
    certain: bool = True  # False: no option fits cleanly, the answer is the best guess

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "kind": self.kind,
            "asks_for": self.asks_for,
            "answer": list(self.answer),
            "certain": self.certain,
            "explanation": self.explanation,
            "options": [
                {
                    "label": option.label,
                    "text": option.text,
                    "claim": option.verdict.claim,
                    "verdict": option.verdict.verdict,
                    "confidence": round(option.verdict.confidence, 4),
                    "low_confidence": option.verdict.low_confidence,
                    "explanation": option.verdict.explanation,
                    "citation": citation_dict(option.verdict.citation),
                    "myth": myth_dict(option.verdict.myth),
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

    @property
    def headline(self) -> Verdict | None:
        """The verdict that stands for the message: its one claim, the overall verdict of several, or None (a quiz)."""
        if not self.claims:
            return None
        return self.claims[0] if len(self.claims) == 1 else overall(self.statement, self.claims)

    def to_dict(self) -> dict:
        """The JSON contract: one claim -> the claim's object; several -> the overall verdict and
        `claims`; quiz -> `quiz`."""
        if self.quiz is not None:
            data = {"statement": self.statement, "quiz": self.quiz.to_dict()}
        elif len(self.claims) == 1:
            data = self.claims[0].to_dict()
            data["statement"] = self.statement
        else:
            whole = overall(self.statement, self.claims).to_dict()
            data = {"statement": self.statement,
                    **{key: whole[key] for key in ("verdict", "confidence", "low_confidence", "explanation", "citation",
                                                   "myth")},
                    "claims": [claim.to_dict() for claim in self.claims]}
        if self.notes:
            data["notes"] = sorted(set(data.get("notes", [])) | set(self.notes))
        return data
