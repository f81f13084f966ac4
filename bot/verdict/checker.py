"""The `Checker`: one object that turns messages into cited verdicts, for the CLI, the app
and batch alike.

message -> quiz or sentences -> claim (questions become statements, framed denials the claim
they deny) -> the texts to judge (the claim, its parts when compound, a softened copy when it
speaks in absolutes) -> retrieve (article records and claim-bank restatements) -> NLI (the
sentences of the user's notes read by their own model; in the `accurate` profile the article's
records read by the MPNet reader, the claim bank's restatements by MiniLM) -> `calibration.judge_calibrated` (or
`decide.judge`) -> combine -> invert a denial -> explain.

The evidence for every text is gathered in one batched pass and cached by text, so a
batch of statements costs one retrieval call and a few NLI batches, and a repeated
statement costs nothing.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

from bot.config import Settings
from bot.knowledge.records import Record
from bot.knowledge.retrieve import Retriever
from bot.models.nli import NLIScores
from bot.models.runtime import NLIRunner, make_nli
from bot.text.claims import (
    TOPIC,
    absolute_words,
    denied,
    language_note,
    read_claim,
    soften,
    split_compound,
    split_sentences,
    with_topic,
)
from bot.text.quiz import ParsedQuiz, parse_quiz
from bot.verdict import explain
from bot.verdict.calibration import Calibration, judge_calibrated
from bot.verdict.citations import attribute, debunkers
from bot.verdict.contrast import read_contrasts
from bot.verdict.decide import NOTE_THRESHOLDS_FILE, Judgement, Thresholds, claim_is_premise, combine_parts, judge
from bot.verdict.quiz_answer import answer_quiz
from bot.verdict.report import Evidence, QuizOption, Report, Verdict, opposite

_CACHE_SIZE = 4096


@dataclass(frozen=True)
class _Plan:
    """The texts one claim needs judged; all derived from its wording alone."""

    statement: str
    claim: str
    parts: tuple[str, ...]
    softened: str | None
    note: str | None
    denied: bool = False  # the message denies the claim ("it's a myth that ..."): the verdict inverts
    assumed_topic: bool = False  # the claim named no topic, so the knowledge base's was added


@dataclass(frozen=True)
class _Message:
    """A message ready to judge: its claims (or quiz options) planned, notes for the user."""

    statement: str
    notes: tuple[str, ...]
    quiz: ParsedQuiz | None
    plans: tuple[_Plan, ...]


def plan_claim(statement: str) -> _Plan:
    claim, denied = read_claim(statement)
    topical = with_topic(claim)
    claim = topical or claim
    parts = split_compound(claim)
    softened = soften(claim) if absolute_words(claim) else None
    return _Plan(statement, claim, tuple(parts) if len(parts) > 1 else (), softened or None, language_note(claim),
                 denied, topical is not None)


def _says_it(judgement: Judgement, plan: _Plan) -> bool:
    """Whether the claim holds and the passage it holds by uses its absolute words itself ("all positions")."""
    if judgement.verdict != "true" or judgement.deciding is None:
        return False
    words = set(re.findall(r"[a-z]+", judgement.deciding.record.model_text.lower()))
    return set(absolute_words(plan.claim)) <= words


class Checker:
    """Checks statements against the knowledge base. Models load on first use or `warm_up()`."""

    def __init__(self, settings: Settings, *, retriever: Retriever | None = None, nli: NLIRunner | None = None,
                 notes_nli: NLIRunner | None = None, deep_nli: NLIRunner | None = None,
                 thresholds: Thresholds | None = None, note_thresholds: Thresholds | None = None,
                 calibrated: bool = True) -> None:
        self.settings = settings
        self._retriever = retriever
        self.nli = nli or make_nli(settings)
        # The `accurate` profile: the stronger reader reads each claim against the article's records,
        # the pairs that decide a verdict; MiniLM still reads the many short restatements that screen it.
        # The verdict layer (thresholds, calibration) is the one fitted for the reader of those pairs.
        self.deep_nli = (deep_nli or make_nli(settings, deep=True)) if settings.profile == "accurate" else None
        reader = settings.reader_model
        # Sentences of the user's notes are read by their own model (`Settings.notes_nli_model`), so
        # adding notes never changes how the article's passages are read.
        self.notes_nli = notes_nli or make_nli(settings, notes=True)
        self.thresholds = thresholds or Thresholds.for_model(reader)
        # Claims closest to a sentence of the user's notes; the general thresholds where none were fitted.
        self.note_thresholds = note_thresholds or Thresholds.for_model(settings.notes_nli_model, NOTE_THRESHOLDS_FILE,
                                                                       default=self.thresholds)
        # calibrated=False keeps to the thresholds (to fit them, or to compare).
        self.calibration = Calibration.for_model(reader) if calibrated else None
        self._cache: OrderedDict[str, tuple[Evidence, ...]] = OrderedDict()

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever.from_settings(self.settings)
        return self._retriever

    def warm_up(self) -> None:
        """Load every model now, so the first real check is as fast as later ones."""
        self.retriever.search("warm up", k=1)
        models = (self.nli, self.deep_nli, self.notes_nli if self.settings.own_folders else None)
        for model in filter(None, models):
            model.warm_up()
            model.predict([("warm up", "warm up")])

    # -- judging texts -------------------------------------------------------------------

    def evidence_for(self, texts: Sequence[str]) -> list[tuple[Evidence, ...]]:
        """Retrieval and NLI evidence for claim texts, in one batched pass (cached by text).

        Texts whose best passage falls below the coverage threshold skip NLI: nothing in
        the knowledge base is close enough to support or refute them.
        """
        todo = list(dict.fromkeys(text for text in texts if text not in self._cache))
        if todo:
            hits = self.retriever.search_many(todo, k=self.settings.nli_top_k, restatements=self.settings.bank_top_k)
            pairs, owners = [], []
            for row, (text, found) in enumerate(zip(todo, hits)):
                if found[0].score < self.thresholds.coverage:
                    continue
                for hit in found:
                    # A user's sentence (its pronoun resolved) and each statement within it.
                    for passage in (hit.record.model_text, *hit.record.clauses):
                        pairs.append((text, passage) if claim_is_premise(hit.record) else (passage, text))
                        owners.append((row, hit))
            scores = self._read_pairs(pairs, [self._reader_of(hit.record) for _, hit in owners])
            readings: dict[tuple[int, int], Evidence] = {}
            for (row, hit), score in zip(owners, scores):
                # The most decisive reading (entailing or contradicting the claim most) is the sentence's evidence.
                known = readings.get((row, hit.rank))
                if known is None or max(score.entailment, score.contradiction) > max(known.entailment,
                                                                                     known.contradiction):
                    readings[(row, hit.rank)] = Evidence(hit.record, hit.score, score.entailment, score.neutral,
                                                         score.contradiction)
            evidence: list[list[Evidence]] = [[] for _ in todo]
            for (row, _), item in readings.items():
                evidence[row].append(item)
            for row, text in enumerate(todo):
                # Uncovered texts keep their best passage, scored as neutral, to show what was close.
                found = tuple(evidence[row]) or (Evidence(hits[row][0].record, hits[row][0].score, 0.0, 1.0, 0.0),)
                self._remember(text, found)
        return [self._cache[text] for text in texts]

    def _reader_of(self, record: Record) -> NLIRunner:
        """The model that reads a pair of a claim and this record."""
        if record.plain:  # a sentence of the user's notes
            return self.notes_nli
        if self.deep_nli is not None and not record.is_restatement:
            return self.deep_nli
        return self.nli

    @staticmethod
    def _read_pairs(pairs: list[tuple[str, str]], readers: list[NLIRunner]) -> list[NLIScores]:
        """NLI scores in pair order, each pair read by its model, one batch per model."""
        scores: list[NLIScores | None] = [None] * len(pairs)
        for model in dict.fromkeys(readers):
            chosen = [i for i, reader in enumerate(readers) if reader is model]
            for i, score in zip(chosen, model.predict([pairs[i] for i in chosen])):
                scores[i] = score
        return scores

    def _remember(self, text: str, evidence: tuple[Evidence, ...]) -> None:
        self._cache[text] = evidence
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    # -- from plans to verdicts ----------------------------------------------------------

    def _verdicts(self, plans: Sequence[_Plan]) -> list[Verdict]:
        # Empty and non-English claims get a fixed answer: nothing to retrieve or infer.
        texts = [t for plan in plans if plan.claim and not plan.note
                 for t in (plan.claim, *plan.parts, plan.softened) if t]
        judged = {text: self._cite(self._judge(text, found)) for text, found in zip(texts, self.evidence_for(texts))}
        return [self._finish(plan, judged) for plan in plans]

    def _finish(self, plan: _Plan, judged: dict[str, Judgement]) -> Verdict:
        if not plan.claim:  # only punctuation or invisible characters: nothing was judged
            return Verdict(statement=plan.statement, claim="", verdict="unverifiable", confidence=1.0,
                           explanation=explain.nothing_to_check(), citation=None)
        if plan.note:  # not English: the English knowledge base cannot judge it
            return Verdict(statement=plan.statement, claim=plan.claim, verdict="unverifiable", confidence=0.5,
                           explanation=explain.foreign(), citation=None, notes=(plan.note,))
        whole = judged[plan.claim]
        if plan.parts:
            combined = combine_parts([judged[part] for part in plan.parts], whole)
            if combined is not None:
                kind = "compound" if combined.verdict == "nuanced" else ""
                return self._verdict(plan, combined, combined.verdict, explain.for_judgement(combined, kind))
        if plan.softened and not whole.asserts_myth and whole.verdict != "nuanced" and not _says_it(whole, plan):
            softened = judged[plan.softened]
            if softened.verdict == "true":
                words = absolute_words(plan.claim)
                text = explain.overgeneralisation(words, softened)
                return self._verdict(plan, softened, "nuanced", text)
        return self._verdict(plan, whole, whole.verdict, explain.for_judgement(whole))

    def _judge(self, text: str, evidence: tuple[Evidence, ...]) -> Judgement:
        """The calibrated verdict where it applies, else the thresholds'.

        The calibration was fitted on records that have restatements; a claim whose closest
        record has none is left to the thresholds: the notes' own where that record is a
        sentence of the user's notes, else the article's.
        """
        records = [item for item in evidence if not item.record.is_restatement]
        closest = max(records, key=lambda item: item.retrieval_score, default=None)
        if self.calibration is None or closest is None or closest.record.id not in self._restated:
            if closest is not None and closest.record.plain:
                return judge(read_contrasts(text, evidence), self.note_thresholds)
            return judge(evidence, self.thresholds)
        return judge_calibrated(text, evidence, self.calibration)

    # Lookups over the knowledge records, built once, on first use (the retriever loads lazily).
    @cached_property
    def _restated(self) -> set[str]:
        """Ids of the records the claim bank restates."""
        return {record.about for record in self.retriever.records if record.about}

    @cached_property
    def _by_id(self) -> dict[str, Record]:
        return {record.id: record for record in self.retriever.records}

    @cached_property
    def _debunkers(self) -> dict[str, Record]:
        return debunkers(self.retriever.records)

    def _cite(self, judgement: Judgement) -> Judgement:
        """A judgement decided by a restatement cites (and explains from) the record it restates."""
        deciding = judgement.deciding
        if deciding is None or deciding.record.about is None:
            return judgement
        return replace(judgement, deciding=replace(deciding, record=self._by_id[deciding.record.about]))

    def _verdict(self, plan: _Plan, judgement: Judgement, verdict: str, text: str) -> Verdict:
        claim = plan.claim
        if plan.denied:
            text = f"{explain.denial(plan.claim, verdict)} {text}"
            verdict, claim = opposite(verdict), denied(plan.claim)
        citation = None if verdict == "unverifiable" else (
            judgement.deciding.record if judgement.deciding else None)
        notes = (f"no topic named, so this was read as being about {TOPIC}: checking “{plan.claim}”",) \
            if plan.assumed_topic else ()
        return Verdict(statement=plan.statement, claim=claim, verdict=verdict,
                       confidence=float(min(max(judgement.confidence, 0.0), 1.0)), explanation=text,
                       citation=citation, evidence=judgement.evidence, notes=notes)

    # -- public API ----------------------------------------------------------------------

    def check(self, message: str) -> Report:
        """Check one message: a statement, several sentences, a question or a quiz."""
        return self.check_many([message])[0]

    def check_many(self, messages: Sequence[str]) -> list[Report]:
        """Check many messages with shared batches; reports in input order."""
        prepared = [self._prepare(message) for message in messages]
        verdicts = iter(self._verdicts([plan for item in prepared for plan in item.plans]))
        verdicts = (attribute(verdict, self._debunkers) for verdict in verdicts)
        reports = []
        for item in prepared:
            judged = tuple(next(verdicts) for _ in item.plans)
            if item.quiz:
                options = tuple(QuizOption(label, text, verdict)
                                for (label, text), verdict in zip(item.quiz.options, judged))
                reports.append(Report(item.statement, quiz=answer_quiz(item.quiz, options), notes=item.notes))
            else:
                reports.append(Report(item.statement, claims=judged, notes=item.notes))
        return reports

    def _prepare(self, message: str) -> _Message:
        limit = self.settings.max_statement_chars
        notes: tuple[str, ...] = ()
        text = message
        if len(text) > limit:
            text = text[:limit]
            notes = (f"the message was longer than {limit} characters; only the first {limit} were checked",)
        quiz = parse_quiz(text)
        if quiz:
            return _Message(message, notes, quiz, tuple(plan_claim(statement) for statement in quiz.statements))
        sentences = [claim.text for claim in split_sentences(text)] or [text]
        return _Message(message, notes, None, tuple(plan_claim(sentence) for sentence in sentences))

