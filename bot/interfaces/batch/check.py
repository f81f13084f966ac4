"""Checking batch rows a chunk at a time: one batched `check_many` call per chunk, in input order."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from bot.interfaces.batch.rows import InputRow
from bot.verdict.report import Report, Verdict

if TYPE_CHECKING:
    from bot.verdict.checker import Checker

CHUNK_SIZE = 64


@dataclass(frozen=True)
class Outcome:
    """A row and what checking it gave: a report, or None when the row could not be checked."""

    row: InputRow
    report: Report | None

    @property
    def headline(self) -> Verdict | None:
        """The verdict that stands for the row: its one claim, or the overall verdict of several."""
        return None if self.report is None else self.report.headline

    @property
    def _kind(self) -> str | None:
        """"error" or "quiz" for a row without a verdict of its own; None for one with."""
        if self.report is None:
            return "error"
        return "quiz" if self.report.quiz is not None else None

    @property
    def section(self) -> str:
        """The article section the row's verdict rests on: its citation's, or "none", "quiz", "error"."""
        if self._kind:
            return self._kind
        cited = self.headline.citation
        return cited.section if cited is not None else "none"

    @property
    def label(self) -> str:
        """The row's verdict for counting: the headline verdict, `quiz` or `error`."""
        return self._kind or self.headline.verdict


def check_rows(checker: Checker, rows: Iterable[InputRow], *, chunk_size: int = CHUNK_SIZE) -> Iterator[Outcome]:
    """Check rows chunk by chunk, each distinct statement of a chunk once; outcomes in input order."""
    rows = iter(rows)
    while chunk := list(islice(rows, chunk_size)):
        distinct = list(dict.fromkeys(row.statement for row in chunk if row.error is None))
        reports = dict(zip(distinct, checker.check_many(distinct))) if distinct else {}
        for row in chunk:
            yield Outcome(row, None if row.error else reports[row.statement])
