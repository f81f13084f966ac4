"""From evidence to a verdict by thresholds: pure functions.

The learned verdict of `bot.verdict.calibration` decides claims close to records that the claim bank
restates; these thresholds decide the rest and serve NLI models that have no calibration.
Claims closest to a sentence of the user's notes get thresholds of their own
(`thresholds_notes.json`), after `bot.verdict.contrast.read_contrasts`.

How each record counts (w = the record's retrieval score / the best one's, so the most
relevant record weighs fully and weaker matches less):

* a passage (or a claim rated true) supports with w * P(entailment), refutes with
  w * P(contradiction); the pair is (premise = record, hypothesis = claim);
* a claim rated false (a debunked myth) is asked the other way round, "does the user's
  claim assert the myth?": (premise = claim, hypothesis = myth). Entailment refutes the
  claim, against a threshold of its own (`myth`): it is a different question from
  contradiction. Contradiction supports the claim (it denies the myth, `deny`), weighted by
  the absolute retrieval score rather than w: unrelated statements often "deny" a myth
  they share a word with, and only a close match makes the denial mean something;
* a claim rated nuanced is asked the same way; entailment means the user repeats it;
* a restatement is asked the same way too; retrieval score * entailment at or above `bank`
  gives the claim the restatement's rating.

The thresholds live beside the NLI model (`thresholds.json`), written by
`bench/tune_thresholds.py`; `Thresholds()` holds neutral defaults for other models.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bot.errors import ModelError
from bot.knowledge.records import Record
from bot.verdict.report import Evidence

THRESHOLDS_FILE = "thresholds.json"
# Thresholds for claims whose closest record is a sentence of the user's notes, fitted by
# bench/tune_note_thresholds.py: a short sentence out of a note entails less surely than an
# article passage written to be cited, so the article's thresholds leave most of them unverifiable.
NOTE_THRESHOLDS_FILE = "thresholds_notes.json"


@dataclass(frozen=True)
class Thresholds:
    coverage: float = 0.35  # best retrieval score below this: the knowledge base does not cover it
    support: float = 0.5  # weighted support needed for `true`
    refute: float = 0.5  # weighted contradiction by a passage needed for `false`
    myth: float = 0.5  # weighted agreement with a debunked myth needed for `false`
    nuance: float = 0.5  # weighted agreement with a nuanced-rated claim needed for `nuanced`
    deny: float = 0.6  # retrieval score * contradiction of a debunked myth needed for `true`
    bank: float = 0.5  # retrieval score * agreement with a restatement needed to take its rating

    @classmethod
    def for_model(cls, model_path: str, name: str = THRESHOLDS_FILE,
                  default: "Thresholds | None" = None) -> "Thresholds":
        """The thresholds fitted for a model folder (file `name`), or `default` (the neutral defaults)."""
        path = Path(model_path) / name
        if not path.is_file():
            return default or cls()
        try:
            values = json.loads(path.read_text())
            return replace(default or cls(), **{key: float(values[key]) for key in asdict(cls()) if key in values})
        except (OSError, ValueError, TypeError) as exc:
            script = "tune_note_thresholds" if name == NOTE_THRESHOLDS_FILE else "tune_thresholds"
            raise ModelError(f"{path} is not a valid thresholds file ({exc}): rerun bench/{script}.py, "
                             "or delete it to use the default thresholds") from None


def claim_is_premise(record: Record) -> bool:
    """Whether the NLI pair puts the user's claim first: for restatements, rated myths and nuanced claims."""
    return record.is_restatement or (record.kind == "claim" and record.rating in ("false", "nuanced"))


@dataclass(frozen=True)
class Judgement:
    """The verdict on one claim text, before compound and overgeneralisation rules."""

    verdict: str
    confidence: float
    deciding: Evidence | None
    evidence: tuple[Evidence, ...]
    asserts_myth: bool = False  # the claim repeats a debunked myth (so absolutes in it are the myth's)


def signals(item: Evidence, weight: float) -> tuple[float, float, float, float, float]:
    """(support, refute, myth, nuance, deny) that one piece of evidence lends the claim."""
    if item.record.is_myth:
        return 0.0, 0.0, weight * item.entailment, 0.0, item.retrieval_score * item.contradiction
    if claim_is_premise(item.record):
        return 0.0, 0.0, 0.0, weight * item.entailment, 0.0
    return weight * item.entailment, weight * item.contradiction, 0.0, 0.0, 0.0


def restated(evidence: tuple[Evidence, ...]) -> tuple[float, Evidence | None]:
    """The restatement the claim most clearly repeats: retrieval score * P(claim entails it)."""
    return max(((item.retrieval_score * item.entailment, item) for item in evidence if item.record.is_restatement),
               key=lambda pair: pair[0], default=(0.0, None))


def judge(evidence: tuple[Evidence, ...], thresholds: Thresholds) -> Judgement:
    """Weigh the evidence for one claim and decide true / false / nuanced / unverifiable.

    A claim that closely repeats a restatement takes its rating; otherwise the article's
    records decide.
    """
    best_relevance = max((item.retrieval_score for item in evidence), default=0.0)
    if best_relevance < thresholds.coverage or best_relevance <= 0:
        return Judgement("unverifiable", 1.0 - best_relevance, None, evidence)
    bank, repeated = restated(evidence)
    if repeated is not None and bank >= thresholds.bank:
        return Judgement(repeated.record.rating, bank, repeated, evidence, repeated.record.rating == "false")
    records = tuple(item for item in evidence if not item.record.is_restatement)
    best_relevance = max((item.retrieval_score for item in records), default=0.0)
    if best_relevance <= 0:
        return Judgement("unverifiable", 1.0 - bank, None, evidence)
    scored = [(signals(item, item.retrieval_score / best_relevance), item) for item in records]

    def strongest(kind: int) -> tuple[float, Evidence]:
        return max(((s[kind], item) for s, item in scored), key=lambda pair: pair[0])

    (support, supporter), (refute, refuter) = strongest(0), strongest(1)
    (myth, myth_item), (nuance, nuancer) = strongest(2), strongest(3)
    deny, denier = strongest(4)
    # Two ways to hold, each with its own threshold: a passage entails the claim, or the
    # claim denies a debunked myth it closely matches.
    holds = [(score, item) for score, item, threshold in
             ((support, supporter, thresholds.support), (deny, denier, thresholds.deny)) if score >= threshold]
    # With neither, the sub-threshold support still weighs against a refutation below.
    hold, holder = max(holds, key=lambda pair: pair[0], default=(support, None))
    asserts_myth = myth >= thresholds.myth
    # A claim the knowledge base itself rates nuanced keeps that rating, even where a
    # passage contradicts its absolute wording.
    if nuance >= thresholds.nuance and nuance >= hold:
        return Judgement("nuanced", nuance, nuancer, evidence, asserts_myth)
    # Two ways to be refuted, each with its own threshold: a passage contradicts the claim,
    # or the claim repeats a debunked myth.
    against = [(score, item) for score, item, threshold in
               ((refute, refuter, thresholds.refute), (myth, myth_item, thresholds.myth)) if score >= threshold]
    if against:
        score, item = max(against, key=lambda pair: pair[0])
        if score >= hold:
            return Judgement("false", score, item, evidence, asserts_myth)
    if holder is not None:
        return Judgement("true", hold, holder, evidence, asserts_myth)
    return Judgement("unverifiable", 1.0 - max(support, refute, myth, nuance), None, evidence, asserts_myth)


def combine_parts(parts: list[Judgement], whole: Judgement) -> Judgement | None:
    """The verdict of 'X, so Y'-style statements from their parts; None when they agree.

    Parts that disagree (one holds or partly holds, another is refuted) make the whole
    nuanced; so does a part that holds when the whole is refuted (a part cut out of its
    sentence, "you can't train without one", may lose what it refers to). The citation is
    the evidence against the weaker part.
    """
    verdicts = {part.verdict for part in parts}
    holds = verdicts & {"true", "nuanced"}
    against = next((part for part in parts if part.verdict == "false"), None)
    if against is None and whole.verdict == "false":
        against = whole
    if against is None and verdicts == {"true", "nuanced"}:
        against = next(part for part in parts if part.verdict == "nuanced")
    if holds and against is not None:
        confidence = sum(part.confidence for part in parts) / len(parts)
        evidence = tuple(item for part in parts for item in part.evidence)
        return Judgement("nuanced", confidence, against.deciding, evidence)
    if verdicts == {"false"} or verdicts == {"false", "unverifiable"}:
        refuted = next(part for part in parts if part.verdict == "false")
        return Judgement("false", refuted.confidence, refuted.deciding, refuted.evidence)
    return None
