"""`claimcheck eval`: score the checker on a labelled JSONL file of statements."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.errors import UsageError
from bot.evaluation.metrics import accuracy, confusion, f1_scores
from bot.fileio import read_jsonl
from bot.verdict.checker import Checker
from bot.verdict.report import VERDICTS


@dataclass(frozen=True)
class LabelledStatement:
    statement: str
    verdict: str
    sections: tuple[str, ...] = ()  # the article sections that decide it; empty when none does
    source: str = ""  # where the statement was quoted from, when it was


def _sections(value) -> tuple[str, ...]:
    """A row's `section`: one key, a list of keys, or absent / null / "none"."""
    values = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in values if v not in (None, "", "none"))


def read_labelled(path: str | Path) -> list[LabelledStatement]:
    """Rows with `statement`, `verdict` and optional `section` and `source`; a bad row names its line."""
    rows = []
    for number, data in read_jsonl(path):
        try:
            row = LabelledStatement(str(data["statement"]), str(data["verdict"]), _sections(data.get("section")),
                                    str(data.get("source") or ""))
        except KeyError as exc:
            raise UsageError(f"{path}:{number}: expected an object with `statement` and `verdict` (missing {exc})") from None
        if row.verdict not in VERDICTS:
            raise UsageError(f"{path}:{number}: verdict {row.verdict!r} is not one of {', '.join(VERDICTS)}")
        rows.append(row)
    if not rows:
        raise UsageError(f"{path}: no labelled statements")
    return rows


def evaluate(checker: Checker, rows: list[LabelledStatement]) -> dict:
    """Accuracy, macro-F1, confusion, citation-section accuracy, flips, each verdict's confidence and the errors."""
    reports = checker.check_many([row.statement for row in rows])
    verdicts = [_single(report) for report in reports]
    gold = [row.verdict for row in rows]
    predicted = [verdict.verdict for verdict in verdicts]
    table = confusion(gold, predicted, VERDICTS)
    f1 = f1_scores(table, VERDICTS)
    present = [label for label in VERDICTS if any(g == label for g in gold)]
    cited = [(row, verdict) for row, verdict in zip(rows, verdicts) if row.sections and verdict.citation]
    covered = [row for row in rows if row.sections]
    flips = [
        {"statement": row.statement, "gold": row.verdict, "predicted": verdict.verdict}
        for row, verdict in zip(rows, verdicts)
        if {row.verdict, verdict.verdict} == {"true", "false"}
    ]
    return {
        "count": len(rows),
        "accuracy": round(accuracy(gold, predicted), 4),
        "macro_f1": round(sum(f1[label] for label in present) / len(present), 4),
        "f1": {label: round(score, 4) for label, score in f1.items()},
        "confusion": table,
        "citation_section_accuracy": round(
            sum(verdict.citation.section in row.sections for row, verdict in cited) / len(covered), 4
        ) if covered else None,
        "flips": flips,
        "confidences": [round(verdict.confidence, 4) for verdict in verdicts],
        "errors": [
            {"statement": row.statement, "gold": row.verdict, "predicted": verdict.verdict,
             "claim": verdict.claim, "cited": verdict.citation.id if verdict.citation else None}
            for row, verdict in zip(rows, verdicts) if row.verdict != verdict.verdict
        ],
    }


def _single(report):
    """The verdict of a labelled statement as the user sees it: several sentences count as their overall verdict."""
    if report.headline is not None:
        return report.headline
    raise UsageError(f"`{report.statement[:60]}` is a quiz, not a statement; put quizzes in their own file")
