"""Typed records that cross module boundaries: knowledge records and retrieval hits."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("passage", "claim")  # what a knowledge file declares; restatements come from `restatements:`
RATINGS = ("true", "false", "nuanced")
# Statements the article does not decide are kept as restatements rated "unverifiable" in
# this section: a close match to one of them is evidence that the knowledge base is silent.
NOT_COVERED = "none"


@dataclass(frozen=True)
class Source:
    """Where a record comes from: the article (or a user's file) and its metadata."""

    title: str
    author: str | None = None
    date: str | None = None
    url: str | None = None

    def describe(self) -> str:
        """One line for citations: title, then author and date when known."""
        details = ", ".join(part for part in (self.author, self.date) if part)
        return f"{self.title} ({details})" if details else self.title


@dataclass(frozen=True)
class Record:
    """One knowledge record: a passage (true per its source) or a rated claim."""

    id: str
    section: str
    heading: str
    kind: str
    text: str
    rating: str
    source: Source
    note: str | None = None
    path: str = ""
    about: str | None = None  # for a restatement: the id of the record that decides it
    # A user's sentence as the models read it (a leading pronoun resolved), when it differs from `text`.
    reading: str | None = None
    context: str | None = None  # the sentence before it in the user's file, shown with it
    # A sentence of a Markdown, text, HTML or PDF file (the user's notes), not a curated YAML record.
    plain: bool = False
    # The statements within a user's sentence that stand on their own, read by NLI beside `model_text`.
    clauses: tuple[str, ...] = ()

    @property
    def model_text(self) -> str:
        """What the embedding and NLI models read; `text` stays the cited words."""
        return self.reading or self.text

    @property
    def is_myth(self) -> bool:
        return self.kind == "claim" and self.rating == "false"

    @property
    def is_restatement(self) -> bool:
        return self.kind == "restatement"

    @property
    def root_id(self) -> str:
        """The id of the record this one stands for: the restated record, or itself."""
        return self.about or self.id


@dataclass(frozen=True)
class Hit:
    """A record retrieved for a query, with its fused retrieval score in [0, 1]."""

    record: Record
    score: float
    rank: int = 0
