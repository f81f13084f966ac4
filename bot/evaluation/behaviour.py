"""Behavioural tests in the manner of CheckList (Ribeiro et al. 2020, "Beyond Accuracy").

Cases are generated from hand-written propositions (`tests/data/behaviour.yaml`: one per
knowledge record the article decides, with the short forms the templates need) and the
templates below, and grouped by capability. Each case is one of CheckList's test kinds:
MFT (a minimum functionality test: a plain input and its expected verdict), INV (a
perturbation that must not change the verdict) or DIR (one that changes it in a known
direction). INV and DIR cases name the case they were derived from. A case passes when the
checker's verdict is the expected one, and for minimum functionality also cites one of the
expected sections. Pure code, no models; generation is deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

import yaml

from bot.config import PROJECT_ROOT
from bot.text.claims import same_case
from bot.verdict.report import Verdict, least_favourable, opposite

MFT, INV, DIR = "MFT", "INV", "DIR"
MINIMUM = "minimum functionality"
NEGATION = "negation"
FRAMING = "framing"
QUESTIONS = "questions"
HEDGES = "hedges and absolutes"
ANTONYMS = "antonyms and comparatives"
NOISE = "register and noise"
OUT_OF_SCOPE = "out of scope"
CAPABILITIES = (MINIMUM, NEGATION, FRAMING, QUESTIONS, HEDGES, ANTONYMS, NOISE, OUT_OF_SCOPE)
RATED = ("true", "false", "nuanced")


@dataclass(frozen=True)
class Case:
    """One behavioural test case: the text to check and what the checker must answer."""

    id: str
    capability: str
    kind: str  # MFT | INV | DIR
    text: str
    verdict: str
    sections: tuple[str, ...] = ()  # minimum functionality: any of these may be cited; else unchecked
    base: str | None = None  # INV / DIR: the id of the case this one was derived from
    record: str | None = None  # the knowledge record the proposition restates; None out of scope


@dataclass(frozen=True)
class Split:
    """A statement cut where a question moves the auxiliary: "Does | deep learning | need X"."""

    aux: str
    subject: str
    predicate: str


@dataclass(frozen=True)
class Need:
    """"You need {thing} to {action}" (verdict) and "You can {action} without {thing}" (without)."""

    thing: str
    action: str
    verdict: str
    without: str


@dataclass(frozen=True)
class Contrast:
    """A frame with one slot, and the words that fill it with their verdicts; the first is the base."""

    frame: str
    fills: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Proposition:
    record: str
    sections: tuple[str, ...]  # the record's section first, then others stating the same fact
    statement: str
    verdict: str
    negated: tuple[str, ...] = ()
    split: Split | None = None
    needs: tuple[Need, ...] = ()
    hedged: tuple[str, ...] = ()
    absolute: tuple[str, ...] = ()
    contrasts: tuple[Contrast, ...] = ()
    casual: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Suite:
    propositions: tuple[Proposition, ...]
    out_of_scope: tuple[str, ...]


@dataclass(frozen=True)
class CapabilityScore:
    """Passes of one capability; `derived` and `kept` count the INV / DIR cases whose base case
    passed and how many of those passed too, which tells a failure of the capability itself from
    one inherited from a fact the checker already gets wrong when it is stated plainly."""

    capability: str
    cases: int
    passed: int
    derived: int = 0
    kept: int = 0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @property
    def pass_rate_given_base(self) -> float | None:
        return self.kept / self.derived if self.derived else None


# -- loading ------------------------------------------------------------------------------

DEFAULT_SUITE = PROJECT_ROOT / "tests" / "data" / "behaviour.yaml"


def load_suite(path: str | Path = DEFAULT_SUITE) -> Suite:
    """Read and check the propositions file; a bad entry raises ValueError naming its record."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    propositions = tuple(_proposition(raw) for raw in data["propositions"])
    return Suite(propositions, tuple(str(text) for text in data.get("out_of_scope", ())))


def _proposition(raw: dict) -> Proposition:
    record = raw.get("record", "?")

    def verdict(value, where: str, allowed=RATED) -> str:
        if value not in allowed:
            raise ValueError(f"proposition {record}: {where} verdict {value!r} is not one of {', '.join(allowed)}")
        return value

    base = verdict(raw.get("verdict"), "statement")
    negated = tuple(raw.get("negated", ()))
    if negated and base == "nuanced":
        raise ValueError(f"proposition {record}: a nuanced statement has no negation that flips it")
    needs = tuple(
        Need(n["thing"], n["action"], verdict(n["verdict"], "need"),
             verdict(n.get("without", opposite(n["verdict"])), "without"))
        for n in raw.get("need", ())
    )
    contrasts = []
    for c in raw.get("contrasts", ()):
        if c["frame"].count("{}") != 1 or len(c["fills"]) < 2:
            raise ValueError(f"proposition {record}: a contrast needs one {{}} slot and two fills: {c['frame']!r}")
        contrasts.append(Contrast(c["frame"], tuple((str(w), verdict(v, "contrast")) for w, v in c["fills"].items())))
    split = raw.get("split")
    return Proposition(
        record=record,
        sections=(raw["section"], *raw.get("also", ())),
        statement=raw["statement"],
        verdict=base,
        negated=negated,
        split=Split(split["aux"], split["subject"], split["predicate"]) if split else None,
        needs=needs,
        hedged=tuple(raw.get("hedged", ())),
        absolute=tuple(raw.get("absolute", ())),
        contrasts=tuple(contrasts),
        casual=tuple((str(text), verdict(v, "casual")) for text, v in raw.get("casual", {}).items()),
    )


# -- text helpers -------------------------------------------------------------------------

def bare(text: str) -> str:
    """The sentence without its final punctuation."""
    return text.rstrip(" .!?")


def embed(statement: str) -> str:
    """The sentence as a clause inside another: no final stop, first letter lower-cased unless
    the first word is an acronym or a name with inner capitals ("SHAP", "TensorFlow", "GPUs")."""
    text = bare(statement)
    first = text.split()[0]
    if first == "I" or any(ch.isupper() for ch in first[1:]):
        return text
    return text[0].lower() + text[1:]


def sentence(clause: str, end: str = ".") -> str:
    """A clause as a sentence: capitalised, with its end mark."""
    return clause[0].upper() + clause[1:] + end


# (long form, contraction), matched case-insensitively on word boundaries; the first letter's case is kept.
_CONTRACTIONS = (("does not", "doesn't"), ("do not", "don't"), ("is not", "isn't"), ("are not", "aren't"),
                 ("cannot", "can't"), ("can not", "can't"), ("have not", "haven't"), ("has not", "hasn't"),
                 ("will not", "won't"), ("it is", "it's"), ("you would", "you'd"), ("you will", "you'll"),
                 ("that is", "that's"), ("there is", "there's"))
_NEGATIVE_AUX = {"can": "cannot", "will": "won't"}


def _replace_pairs(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = re.sub(rf"\b{re.escape(old)}\b", lambda m, new=new: same_case(m.group(0), new), text,
                      flags=re.IGNORECASE)
    return text


def contract(text: str) -> str:
    """"does not" -> "doesn't", "it is" -> "it's", ..."""
    return _replace_pairs(text, _CONTRACTIONS)


def expand(text: str) -> str:
    """"doesn't" -> "does not", "can't" -> "cannot", ... (the inverse of `contract`)."""
    pairs = [(short, long) for long, short in _CONTRACTIONS if long != "can not"]
    return _replace_pairs(text, pairs)


# Words a typo must never touch: they carry the polarity, quantity or comparison a case tests.
_PROTECTED = set("""not never cannot without always every longer only nobody nothing impossible usually
often generally better worse more less faster slower larger smaller easier harder cheap expensive raises lowers
raised lowered increased reduced""".split())


def typo(text: str, rng: random.Random, count: int = 1) -> str:
    """`count` keyboard slips (swap, drop or double a letter) inside long plain words.

    Short words, acronyms and the protected words above are left alone, so the slip is noise
    and never changes what the sentence says.
    """
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words)
                  if len(w.strip(".,!?")) >= 5 and w.strip(".,!?").isalpha() and w.islower()
                  and w.strip(".,!?").lower() not in _PROTECTED]
    for i in rng.sample(candidates, min(count, len(candidates))):
        word = words[i]
        core = word.rstrip(".,!?")
        tail = word[len(core):]
        j = rng.randrange(1, len(core) - 2)  # never the first or last letter: words stay recognisable
        operation = rng.choice(("swap", "drop", "double"))
        if operation == "swap" and core[j] != core[j + 1]:  # swapping "cc" in "succeed" would change nothing
            core = core[:j] + core[j + 1] + core[j] + core[j + 2:]
        elif operation in ("swap", "drop"):
            core = core[:j] + core[j + 1:]
        else:
            core = core[:j] + core[j] + core[j:]
        words[i] = core + tail
    return " ".join(words)


def _rng(seed: int, text: str) -> random.Random:
    # Seeded per text (crc32, not hash(): str hashes change between runs), so adding a
    # proposition never changes the typos of the others.
    return random.Random(seed * 1_000_003 + zlib.crc32(text.encode("utf-8")))


# -- templates ----------------------------------------------------------------------------

# Frames around a statement X: all but "contrary to popular belief" deny X (true <-> false,
# nuanced stays nuanced); "contrary to popular belief, X" asserts X against expectation.
FRAMES: tuple[tuple[str, str, bool], ...] = (
    ("myth", "It's a myth that {x}.", True),
    ("false", "It is false that {x}.", True),
    ("untrue", "It is untrue that {x}.", True),
    ("misconception", "The idea that {x} is a misconception.", True),
    ("wrongly", "People wrongly think that {x}.", True),
    ("contrary", "Contrary to popular belief, {x}.", False),
)

# Register and noise around a statement X: none may change its verdict.
NOISE_TEMPLATES: tuple[tuple[str, Callable[[str, random.Random], str]], ...] = (
    ("contraction", lambda s, rng: contract(s)),
    ("expansion", lambda s, rng: expand(s)),
    ("lower-case", lambda s, rng: bare(s).lower()),
    ("upper-case", lambda s, rng: s.upper()),
    ("typo", lambda s, rng: typo(s, rng, 1)),
    ("typos", lambda s, rng: typo(s, rng, 2)),
    ("honestly", lambda s, rng: f"Honestly, {embed(s)}."),
    ("heard", lambda s, rng: f"I heard that {embed(s)}."),
    ("read", lambda s, rng: f"From what I've read, {embed(s)}."),
    ("pretty-sure", lambda s, rng: f"Pretty sure {embed(s)}."),
    ("basically", lambda s, rng: f"So basically, {embed(s)}."),
    ("to-be-honest", lambda s, rng: f"{bare(s)}, to be honest."),
)

# A hedge that any generally-true fact keeps.
HEDGE_PREFIX = "Generally speaking, {x}."


@dataclass(frozen=True)
class _Form:
    """A statement the templates work on: the plain statement or one of its negations."""

    case_id: str
    text: str
    verdict: str


def _id(proposition: Proposition, *parts: object) -> str:
    return "/".join([proposition.record, *map(str, parts)])


def _negations_from_split(split: Split) -> tuple[str, str]:
    """"X does not P" and "X doesn't P" from a split statement."""
    aux = split.aux.lower()
    full = _NEGATIVE_AUX.get(aux, f"{aux} not")
    return (sentence(f"{split.subject} {full} {split.predicate}"), contract(sentence(f"{split.subject} {aux} not {split.predicate}")))


def _cases_for(p: Proposition, seed: int) -> Iterator[Case]:
    """Every case one proposition yields, capability by capability."""
    plain = Case(_id(p, "plain"), MINIMUM, MFT, p.statement, p.verdict, p.sections, record=p.record)
    yield plain
    forms = [_Form(plain.id, p.statement, p.verdict)]

    # Negation: hand-written not / never / no longer forms, and "does not" / "doesn't" from the split.
    negations = list(p.negated)
    if p.split and p.verdict != "nuanced":
        negations += _negations_from_split(p.split)
    for i, text in enumerate(negations):
        case = Case(_id(p, f"negated-{i}"), NEGATION, DIR, text, opposite(p.verdict), base=plain.id, record=p.record)
        yield case
        forms.append(_Form(case.id, text, case.verdict))

    # "You need X to Y" / "You can Y without X": plain forms, their negations, their questions.
    for i, need in enumerate(p.needs):
        needs = Case(_id(p, "need", i), MINIMUM, MFT, f"You need {need.thing} to {need.action}.", need.verdict,
                     p.sections, record=p.record)
        without = Case(_id(p, "without", i), MINIMUM, MFT, f"You can {need.action} without {need.thing}.",
                       need.without, p.sections, record=p.record)
        yield needs
        yield without
        if need.verdict != "nuanced":
            yield Case(_id(p, "need-negated", i), NEGATION, DIR, f"You don't need {need.thing} to {need.action}.",
                       opposite(need.verdict), base=needs.id, record=p.record)
        if need.without != "nuanced":
            yield Case(_id(p, "without-negated", i), NEGATION, DIR,
                       f"You can't {need.action} without {need.thing}.", opposite(need.without), base=without.id,
                       record=p.record)
        yield Case(_id(p, "need-question", i), QUESTIONS, INV, f"Do you need {need.thing} to {need.action}?",
                   need.verdict, base=needs.id, record=p.record)
        yield Case(_id(p, "without-question", i), QUESTIONS, INV, f"Can I {need.action} without {need.thing}?",
                   need.without, base=without.id, record=p.record)

    if p.split:
        yield Case(_id(p, "split-question"), QUESTIONS, INV,
                   sentence(f"{p.split.aux} {p.split.subject} {p.split.predicate}", "?"), p.verdict, base=plain.id,
                   record=p.record)

    for n, form in enumerate(forms):
        tag = "plain" if n == 0 else f"negated-{n - 1}"
        for name, template, denies in FRAMES:
            yield Case(_id(p, tag, "frame", name), FRAMING, DIR if denies else INV,
                       template.format(x=embed(form.text)), opposite(form.verdict) if denies else form.verdict,
                       base=form.case_id, record=p.record)
        yield Case(_id(p, tag, "is-it-true"), QUESTIONS, INV, f"Is it true that {embed(form.text)}?", form.verdict,
                   base=form.case_id, record=p.record)
        yield Case(_id(p, tag, "question-mark"), QUESTIONS, INV, bare(form.text) + "?", form.verdict,
                   base=form.case_id, record=p.record)
        rng = _rng(seed, form.text)
        for name, perturb in NOISE_TEMPLATES:
            text = perturb(form.text, rng)
            if text != form.text:  # a contraction template on a sentence with nothing to contract adds nothing
                yield Case(_id(p, tag, "noise", name), NOISE, INV, text, form.verdict, base=form.case_id,
                           record=p.record)

    for i, (text, verdict) in enumerate(p.casual):
        yield Case(_id(p, "casual", i), NOISE, INV, text, verdict, base=plain.id, record=p.record)

    # Hedges keep a true fact true; absolutes on a "generally" fact make it nuanced.
    if p.hedged and p.verdict == "true":
        yield Case(_id(p, "hedge", "generally"), HEDGES, INV, HEDGE_PREFIX.format(x=embed(p.statement)), "true",
                   base=plain.id, record=p.record)
    for i, text in enumerate(p.hedged):
        yield Case(_id(p, "hedge", i), HEDGES, INV, text, "true", base=plain.id, record=p.record)
    for i, text in enumerate(p.absolute):
        yield Case(_id(p, "absolute", i), HEDGES, DIR, text, "nuanced", base=plain.id, record=p.record)

    # Antonyms and comparatives: the first fill is the base, the others change its verdict.
    for i, contrast in enumerate(p.contrasts):
        first = _id(p, "contrast", i, 0)
        for j, (word, verdict) in enumerate(contrast.fills):
            yield Case(_id(p, "contrast", i, j), ANTONYMS, MFT if j == 0 else DIR, contrast.frame.format(word),
                       verdict, base=None if j == 0 else first, record=p.record)


def _out_of_scope_cases(facts: Sequence[str]) -> Iterator[Case]:
    for i, fact in enumerate(facts):
        plain = Case(f"out-of-scope/{i}/plain", OUT_OF_SCOPE, MFT, fact, "unverifiable")
        yield plain
        yield Case(f"out-of-scope/{i}/is-it-true", OUT_OF_SCOPE, INV, f"Is it true that {embed(fact)}?",
                   "unverifiable", base=plain.id)
        yield Case(f"out-of-scope/{i}/heard", OUT_OF_SCOPE, INV, f"I heard that {embed(fact)}.", "unverifiable",
                   base=plain.id)


def generate(suite: Suite, seed: int = 0) -> list[Case]:
    """All cases of the suite, in a stable order; the seed only chooses the typos.

    A text that an earlier case of the same capability already has is dropped (a split's
    "does not" form can repeat a hand-written negation), so no case is counted twice.
    """
    cases: list[Case] = []
    seen: dict[tuple[str, str], str] = {}  # (capability, text) -> the id of the case kept
    alias: dict[str, str] = {}  # a dropped case's id -> the kept case's, for the cases derived from it
    for proposition in suite.propositions:
        for case in _cases_for(proposition, seed):
            if case.base in alias:
                case = replace(case, base=alias[case.base])
            key = (case.capability, case.text)
            if key in seen:
                alias[case.id] = seen[key]
            else:
                seen[key] = case.id
                cases.append(case)
    cases += _out_of_scope_cases(suite.out_of_scope)
    return cases


def sample(cases: Sequence[Case], per_capability: int, seed: int = 0) -> list[Case]:
    """At most `per_capability` cases of each capability, chosen with the seed, in suite order.

    The whole suite takes minutes through the real pipeline on two cores; a fixed sample
    keeps the unit test's run near a minute and its floors comparable from run to run.
    """
    chosen: set[str] = set()
    for capability in CAPABILITIES:
        ids = [case.id for case in cases if case.capability == capability]
        chosen.update(random.Random(seed).sample(ids, min(per_capability, len(ids))))
    return [case for case in cases if case.id in chosen]


# -- scoring ------------------------------------------------------------------------------

def verdict_of(report) -> Verdict | None:
    """The verdict a report gives a case: its least favourable claim (as `claimcheck eval` counts
    a statement of several sentences); None when it has no claims (it was read as a quiz)."""
    return least_favourable(report.claims) if report.claims else None


def passed(case: Case, verdict: Verdict | None) -> bool:
    """Whether the checker's verdict (None: it gave none) passes the case."""
    if verdict is None or verdict.verdict != case.verdict:
        return False
    if case.sections:
        return verdict.citation is not None and verdict.citation.section in case.sections
    return True


def score(results: Sequence[tuple[Case, Verdict | None]]) -> list[CapabilityScore]:
    """Cases and passes per capability, in CAPABILITIES order (capabilities with no case left out).

    A derived case whose base is not among the results (a sample left it out) is not counted
    in `derived`.
    """
    outcome = {case.id: passed(case, verdict) for case, verdict in results}
    counts = {capability: [0, 0, 0, 0] for capability in CAPABILITIES}
    for case, verdict in results:
        row = counts[case.capability]
        ok = passed(case, verdict)
        row[0] += 1
        row[1] += ok
        if case.base is not None and outcome.get(case.base):
            row[2] += 1
            row[3] += ok
    return [CapabilityScore(capability, *row) for capability, row in counts.items() if row[0]]
