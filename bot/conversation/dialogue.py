"""A conversation about claims: follow-ups understood against what was said before.

One engine for the chat app and `claimcheck chat`. Pure functions read a message against
the previous claim (is it "why?", "source?", "are you sure?", "is that always true?", an
elliptical "what about TPUs?", or a new statement whose "it" means the previous subject);
`Conversation` keeps the context of one session and answers each turn with a `Turn`.
The context is a small frozen value, so the app can keep one per browser session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.conversation.follow_ups import REPLIES
from bot.text.quiz import looks_plural, resolve_pronoun, subject_of
from bot.verdict.report import Report, Verdict

_HELP = re.compile(
    r"(help|hi|hello|hey|what can you do|what do you do|what do you know( about)?|what do you check"
    r"|what are you|who are you|how does (this|it) work|how do i use (this|you|it))( please)?"
)
_KINDS = {
    "why": re.compile(r"(and |but |so )?(why( so| is that( so)?| not| is it)?|how come|explain( that| this| it| more"
                      r"| why)?( please)?|what do you mean|tell me more|elaborate|more detail(s)?|because of what"
                      r"|on what grounds|reason)"),
    "source": re.compile(r"(source(s)?|where does it say (that|so|this)|where (is|did) (that|this|it) (say|come from)"
                         r"|where is that from|cite( it)?|citation|what('s| is) (the|your) source|says who|according to"
                         r" (who|whom|what)|where did you (get|read|find) (that|this|it)|show me( the (passage|source))?"
                         r"|proof|evidence|what passage)( please)?"),
    "sure": re.compile(r"(are you (sure|certain|confident)|you sure|really|sure|how (sure|confident|certain) are you"
                       r"|is (that|this|it) (really )?(true|right|correct|certain|a myth|a fact|so)|how do you know"
                       r"|could you be wrong|(are you|is that) (really )?(sure|certain) about (that|this|it))"),
    "always": re.compile(r"(is (that|this|it) (always|universally) (true|the case|so)|(always|in every case|in all cases)"
                         r"|(does|would) (that|this|it) always (hold|apply|work))"),
}
# "what about TPUs?", "and for small datasets?", "how about beginners?"
_ELLIPSIS = re.compile(r"^(?:(?:and|but|so)\s+)?(?:what|how)\s+about\s+(?P<a>.+)$|^(?:and|but|same|what)\s+"
                       r"(?P<b>(?:for|with|on|in|without)\s+.+)$|^and\s+(?P<c>.+)$", re.IGNORECASE)
# Longest fragment read as elliptical; longer turns are statements of their own.
_MAX_FRAGMENT_WORDS = 6
_PREPOSITION = re.compile(r"^(for|with|without|on|in|to|by|from|at)\s+", re.IGNORECASE)
# Words that start a predicate: where the subject of a claim ends, and where "always" goes.
_AUXILIARIES = {"is", "are", "was", "were", "can", "cannot", "can't", "could", "will", "would", "should", "must",
                "may", "might", "do", "does", "did", "has", "have", "isn't", "aren't", "doesn't", "don't"}
_VERBS = set("""need needs require requires learn learns work works use uses run runs make makes help helps solve
solves replace replaces depend depends benefit benefits handle handles explain explains train trains reduce reduces
improve improves speed speeds give gives take takes create creates show shows produce produces remain remains
excel excels struggle struggles perform performs outperform outperforms beat beats succeed succeeds lower lowers
cut cuts highlight highlights teach teaches""".split())
_ADVERBS = {"always", "never", "only", "often", "usually", "generally", "really", "still", "also", "sometimes",
            "rarely", "not", "just"}
# Terms that stand in for one another in an elliptical turn ("what about TPUs?" after GPUs).
_ALTERNATIVES = [
    {"gpu", "gpus", "tpu", "tpus", "cpu", "cpus", "specialized hardware", "specialised hardware", "cloud computing",
     "a gpu", "a tpu", "a cpu", "an ordinary cpu", "ordinary cpus", "special hardware"},
    {"transfer learning", "data augmentation", "few-shot learning", "meta-learning", "dropout", "fine-tuning"},
    {"saliency maps", "shap", "lrp", "layer-wise relevance propagation", "attention", "attention mechanisms",
     "feature visualization", "feature visualisation"},
    {"experts", "beginners", "non-experts", "students", "researchers", "people with a phd", "a phd", "phds",
     "programmers", "everyone"},
    {"keras", "tensorflow", "pytorch"},
    {"deep learning", "machine learning", "neural networks", "ai", "artificial intelligence", "deep learning models",
     "neural nets"},
    {"massive datasets", "huge datasets", "large datasets", "big datasets", "small datasets", "little data",
     "lots of data", "a lot of data", "massive amounts of data", "enormous datasets", "big data"},
    {"data bias", "bias", "interpretability", "generalization", "generalisation", "compute cost",
     "computational cost", "symbolic reasoning", "explainability"},
]
# Hedges that "is that always true?" replaces with "always".
_HEDGES = {"generally", "often", "usually", "sometimes", "typically", "mostly", "frequently"}
NO_CONTEXT = "I have not judged a claim yet in this conversation. Type a statement about deep learning first."


def _words(message: str) -> str:
    return " ".join(re.sub(r"[^\w\s'/-]", " ", message.lower()).split())


def wants_help(message: str) -> bool:
    """Whether the message asks what the bot can do (rather than stating a claim)."""
    words = re.sub(r"[^\w\s]", " ", message.lower()).split()
    return not words or _HELP.fullmatch(" ".join(words)) is not None


def follow_up(message: str) -> str | None:
    """Which follow-up a message is ("why", "source", "sure", "always"), or None."""
    words = _words(message)
    for kind in ("always", "source", "why", "sure"):
        if _KINDS[kind].fullmatch(words):
            return kind
    return None


def elliptical(message: str) -> str | None:
    """The fragment of an elliptical turn ("what about TPUs?" -> "TPUs"), or None."""
    match = _ELLIPSIS.match(" ".join(message.split()).rstrip(" ?.!"))
    if not match:
        return None
    fragment = next(group for group in match.groups() if group)
    words = fragment.split()
    if len(words) > _MAX_FRAGMENT_WORDS or _verb_at(["x", *words]) is not None:
        return None
    return fragment


def _verb_at(words: list[str]) -> int | None:
    """Where the predicate starts: the first auxiliary or known verb after the subject (or an adverb before it)."""
    for at, word in enumerate(words[1:], start=1):
        lower = word.lower()
        if lower in _AUXILIARIES or lower in _VERBS:
            return at - 1 if words[at - 1].lower() in _ADVERBS else at
    return None


def claim_subject(claim: str) -> str | None:
    """The subject of a claim ("Deep learning requires GPUs" -> "Deep learning"); None when unclear or a pronoun."""
    words = claim.split()
    at = _verb_at(words)
    if at is None or at == 0:
        return None
    subject = " ".join(words[:at])
    if subject.lower() in {"you", "i", "we", "it", "they", "one", "this", "that", "people", "someone"}:
        return None
    return subject


def absolute(claim: str) -> str:
    """The claim said of every case: "always" before the verb, or after an auxiliary."""
    words = claim.rstrip(".").split()
    if any(word.lower() in ("always", "every", "all", "any", "never") for word in words):
        return claim.rstrip(".")
    hedge = next((at for at, word in enumerate(words) if word.lower() in _HEDGES), None)
    if hedge is not None:
        return " ".join([*words[:hedge], "always", *words[hedge + 1:]])
    at = _verb_at(words)
    if at is None:
        return f"{claim.rstrip('.')} in every case"
    while words[at].lower() in _ADVERBS:  # "only" stays with the verb it modifies
        at += 1
    if words[at].lower() in _AUXILIARIES:
        at += 1
    return " ".join([*words[:at], "always", *words[at:]])


def _find_alternative(claim: str, fragment: str) -> tuple[int, int] | None:
    """The span of the term in the claim that the fragment stands in for (same group of alternatives)."""
    wanted = fragment.lower().strip()
    group = next((group for group in _ALTERNATIVES if wanted in group), None)
    if group is None:
        return None
    lower = claim.lower()
    spans = [match.span() for term in group if term != wanted
             for match in re.finditer(rf"\b{re.escape(term)}\b", lower)]
    # The rightmost, then longest, term: "the same thing as AI" + "machine learning" varies
    # the object, not the subject "deep learning" of the same kind; "a GPU" rather than "GPU".
    return max(spans, key=lambda span: (span[1], span[1] - span[0]), default=None)


def _agree(predicate: str, subject: str) -> str:
    """The predicate's first verb in agreement with a new subject ("lowers" after "GPUs" -> "lower")."""
    match = re.match(r"^(\s+)(\S+)", predicate)
    if not match:
        return predicate
    verb, plural = match.group(2), looks_plural(subject)
    swaps = {"is": "are", "has": "have", "was": "were"}
    if plural and verb.lower() in swaps:
        new = swaps[verb.lower()]
    elif not plural and verb.lower() in swaps.values():
        new = {v: k for k, v in swaps.items()}[verb.lower()]
    elif plural and verb.lower() in _VERBS and verb.endswith("s") and verb[:-1].lower() in _VERBS:
        new = verb[:-1]
    elif not plural and verb.lower() in _VERBS and not verb.endswith("s") and f"{verb}s".lower() in _VERBS:
        new = f"{verb}s"
    else:
        return predicate
    return match.group(1) + new + predicate[match.end():]


def _without_only(before: str) -> str:
    """ "only for experts" asked again "for beginners" asks whether it is for them, not only for them."""
    return re.sub(r"\bonly\s+((?:for|by|with|to)\s+)?$", r"\1", before, flags=re.IGNORECASE)


def rewrite_elliptical(claim: str, fragment: str) -> str:
    """The previous claim with the fragment in place: "Deep learning requires GPUs" + "TPUs" -> "... requires TPUs"."""
    rewritten = _put_in(claim, fragment)
    return rewritten[:1].upper() + rewritten[1:]


def _put_in(claim: str, fragment: str) -> str:
    """The claim with the fragment in place of what it stands in for.

    A term of the same kind (hardware, technique, people, ...) is replaced; a prepositional
    fragment ("for beginners") replaces the claim's phrase with the same preposition, or is
    appended; otherwise the fragment replaces what follows the verb.
    """
    claim = claim.rstrip(" .")
    fragment = fragment.strip(" ?.!")
    span = _find_alternative(claim, fragment)
    if span:
        after = claim[span[1]:]
        if span[0] == 0:  # the subject changes: the verb agrees with the new one
            after = _agree(after, fragment)
        return _without_only(claim[: span[0]]) + fragment + after
    preposition = _PREPOSITION.match(fragment)
    if preposition:
        same = re.search(rf"\b{preposition.group(1)}\b", claim, re.IGNORECASE)
        return f"{_without_only(claim[: same.start()]).rstrip()} {fragment}" if same else f"{claim} {fragment}"
    words = claim.split()
    at = _verb_at(words)
    if at is None:
        return f"{claim} {fragment}"
    while at < len(words) - 1 and (words[at].lower() in _AUXILIARIES | _ADVERBS):
        at += 1
    return " ".join([*words[: at + 1], fragment])


_EXPLETIVE = re.compile(r"^(?:is|was)\s+it\s+(?:really\s+)?(?:true|false|correct|right|a myth|a fact|possible|"
                        r"necessary|hard|easy|worth|better|ok|okay)\b|^it(?:'s| is)\s+(?:really\s+)?(?:true|false|"
                        r"correct|right|a myth|a fact|possible|necessary|hard|easy|worth|better)\b", re.IGNORECASE)
_LEADING_PRONOUN = re.compile(r"^(?P<aux>(?:does|do|did|can|could|will|would|should|must|is|are|was|were|has|have)"
                              r"\s+)?(?P<pronoun>it|they|its|their)\b", re.IGNORECASE)


def leading_pronoun(message: str) -> re.Match | None:
    """A leading "it"/"they"/"its"/"their" that refers to something ("Does it need ...?"), not an expletive "it"."""
    text = message.strip()
    return None if _EXPLETIVE.match(text) else _LEADING_PRONOUN.match(text)


def resolve_pronouns(message: str, subject: str | None) -> tuple[str, bool]:
    """A leading "it"/"they" ("It needs a GPU.", "Does it need a GPU?") as the previous subject.

    Returns the message and whether a pronoun was resolved; expletive "it" ("is it true that
    ...") is left alone.
    """
    text = message.strip()
    match = leading_pronoun(text)
    if subject is None or not match:
        return message, False
    aux = match.group("aux") or ""
    resolved = resolve_pronoun(text[len(aux):], subject)
    if aux and subject[1:2].islower():  # "Does deep learning ...", but "Do GPUs ..."
        resolved = resolved[:1].lower() + resolved[1:]
    return aux + resolved, True


@dataclass(frozen=True)
class Context:
    """What a conversation remembers: the last report that judged something."""

    report: Report | None = None

    @property
    def about(self) -> tuple[Verdict, ...]:
        """The verdicts follow-ups are about: the one claim, each of several, or a quiz's answer."""
        if self.report is None:
            return ()
        quiz = self.report.quiz
        if quiz is not None:
            answered = [option for option in quiz.options if option.label in quiz.answer] or list(quiz.options)
            return (answered[0].verdict,)
        return tuple(claim for claim in self.report.claims if claim.claim)

    @property
    def claim(self) -> str | None:
        """The claim an elliptical turn or "is that always true?" builds on: the last one judged."""
        return self.about[-1].claim if self.about else None

    @property
    def subject(self) -> str | None:
        """What "it" means next: the previous claim's subject, or the quiz's, when there is one."""
        if self.report is None:
            return None
        if self.report.quiz is not None:
            return subject_of(self.report.quiz.question)
        subjects = {claim_subject(claim.claim) for claim in self.report.claims}
        return subjects.pop() if len(subjects) == 1 else None


@dataclass(frozen=True)
class Turn:
    """One answer: a report judged now (`check`) or the previous one with a text `reply` (a follow-up)."""

    kind: str  # "check", "why", "source", "sure", "help" or "none" (a follow-up with nothing before it)
    report: Report | None
    reply: str = ""
    rewritten: str | None = None  # the claim as checked, when the message was read against the context

    def to_dict(self) -> dict:
        """The `check --json` object of the report, with `reply` for follow-ups and `rewritten` when rewritten."""
        data = self.report.to_dict() if self.report is not None else {}
        if self.kind != "check":
            data["reply"] = self.reply
        if self.rewritten:
            data["rewritten"] = self.rewritten
        return data


def _reply(kind: str, verdicts: tuple[Verdict, ...]) -> str:
    """A follow-up's answer: about the one claim, or about each of several in turn."""
    if len(verdicts) == 1:
        return REPLIES[kind](verdicts[0])
    return "\n\n".join(f"“{verdict.claim}”: {REPLIES[kind](verdict)}" for verdict in verdicts)


class Conversation:
    """One session's conversation: each message is answered against the context of the ones before."""

    def __init__(self, check: Callable[[str], Report], context: Context | None = None) -> None:
        self._check = check
        self.context = context or Context()

    def _judge(self, message: str, claim: str, rewritten: bool, note: str | None = None) -> Turn:
        report = self._check(claim)
        if rewritten:
            report = replace(report, statement=message)
        if note:
            report = replace(report, notes=(*report.notes, note))
        self.context = Context(report)
        return Turn("check", report, rewritten=claim if rewritten else None)

    def say(self, message: str) -> Turn:
        """Answer one message: a follow-up on the last verdict, or a (possibly rewritten) claim to check."""
        if wants_help(message):
            return Turn("help", None)
        kind = follow_up(message)
        fragment = elliptical(message)
        previous = self.context.claim
        if kind or fragment:
            if previous is None:
                return Turn("none", None, reply=NO_CONTEXT)
            if kind in REPLIES:
                return Turn(kind, self.context.report, reply=_reply(kind, self.context.about))
            if kind == "always":
                return self._judge(message, absolute(previous), True)
            return self._judge(message, rewrite_elliptical(previous, fragment), True)
        resolved, changed = resolve_pronouns(message, self.context.subject)
        pronoun = leading_pronoun(message) if self.context.report is not None and not changed else None
        note = (f"I could not tell what “{pronoun.group('pronoun')}” refers to in what was said before, so I "
                "checked the sentence as written." if pronoun else None)
        return self._judge(message, resolved, changed, note)
