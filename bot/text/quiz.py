"""Recognise a quiz as people paste it, and say which statement each option makes.

Shapes: a question with options labelled in sequence ("Which of the following is NOT true
...? A) ... B) ..."), "select all that apply", and "True or false: ...". Each option becomes
one statement to judge: a pronoun option ("It needs a PhD.") is read about the question's
subject ("Deep learning needs a PhD."), and a noun-phrase option of a wh-question is put into
the question ("Which method adapts a pre-trained model? B. Transfer learning" -> "Transfer
learning adapts a pre-trained model"). Pure text; the checker judges the statements and
`bot.verdict.quiz_answer` picks the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.claims import TOPIC

# A) A. (a) a) a. 1. 1) (1): at the start or after whitespace, followed by whitespace.
_LABEL = re.compile(r"(?:(?<=\s)|^)(?:\((?P<paren>[A-Za-z]|\d{1,2})\)|(?P<bare>[A-Za-z]|\d{1,2})[.)])(?=\s)")
_ASKS_FALSE = re.compile(
    r"\b(not|false|incorrect|untrue|wrong|myths?|misconceptions?|except|inaccurate|isn't|is not|aren't|are not)\b",
    re.IGNORECASE,
)
_NOT_A_MYTH = re.compile(r"\b(not|isn't|is not)\s+(a\s+)?(myth|misconception|false)", re.IGNORECASE)
_QUESTION_CUE = re.compile(r"\?|\b(which|what|select|choose|pick|identify|except)\b|_{3,}", re.IGNORECASE)
_SELECT_ALL = re.compile(r"\b(?:select|choose|pick|tick|check|mark)\s+all\b|\ball\s+that\s+apply\b"
                         r"|\bmore\s+than\s+one\s+(?:answer|option)\b", re.IGNORECASE)
_SELECT_ALL_NOTE = re.compile(r"\s*[(\[]?\s*(?:select|choose|pick|tick|check|mark)\s+all(?:\s+that\s+apply)?"
                              r"\s*[.)\]]?\s*|\s*[(\[]?\s*all\s+that\s+apply\s*[)\]]?\s*", re.IGNORECASE)
_TRUE_OR_FALSE = r"(?:true\s*(?:or|/)\s*false|t\s*/\s*f)"
_TF_BEFORE = re.compile(rf"^\s*{_TRUE_OR_FALSE}\s*[:?.\-–—]+\s*(?P<statement>\S.*)$", re.IGNORECASE | re.DOTALL)
_TF_AFTER = re.compile(rf"^(?P<statement>.*\S)[\s,;:.\-–—]*[(\[]?\s*{_TRUE_OR_FALSE}\s*\??\s*[)\]]?\s*$",
                       re.IGNORECASE | re.DOTALL)
_TF_ONLY = re.compile(rf"^\W*{_TRUE_OR_FALSE}\W*$", re.IGNORECASE)
# Questions whose options are statements to judge as they stand ("Which statement is true?").
_ABOUT_STATEMENTS = re.compile(
    r"\b(true|false|correct|incorrect|right|wrong|statements?|myths?|misconceptions?|accurate|inaccurate|"
    r"untrue|facts?|claims?)\b", re.IGNORECASE)
# "... about deep learning", "... regarding neural networks": the subject of pronoun options.
_SUBJECT = re.compile(
    r"\b(?:about|regarding|concerning|of)\s+(?!the following\b|these\b|those\b|them\b)"
    r"(?P<subject>(?:the\s+)?[a-z][\w-]*(?:\s+(?!is\b|are\b|was\b|were\b)[a-z][\w-]*){0,3})\s*(?:\?|:|$|\bis\b|\bare\b)",
    re.IGNORECASE)
_PRONOUN = re.compile(r"^(?P<pronoun>it's|it is|they're|they are|its|their|it|they)\b\s*", re.IGNORECASE)
# Options that stand for no statement of their own ("None of the above", "Both A and B").
_NOT_A_PHRASE = re.compile(r"^(?:none|all|both|neither)\b|[;!?]", re.IGNORECASE)
# Longest option composed into a question; longer ones are statements of their own.
_MAX_PHRASE_WORDS = 8

_WH = re.compile(r"^(?:which|what|who)\s+(?:one\s+)?(?:of\s+(?:the\s+following|these|those)\s+)?", re.IGNORECASE)
_AUXILIARIES = {"is", "are", "was", "were", "can", "could", "will", "would", "should", "may", "might", "must",
                "has", "have", "does", "do", "did"}
# Head nouns that end the noun phrase of "Which technique ...": the verb comes next.
_HEAD_NOUNS = re.compile(
    r"^(?:techniques?|methods?|approach(?:es)?|tools?|frameworks?|models?|algorithms?|strategy|strategies|"
    r"concepts?|terms?|process(?:es)?|options?|hardware|devices?|components?|practices?|ideas?|fields?|ways?|"
    r"people|groups?|libraries|library|problems?|tasks?|benefits?|advantages?|limitations?|challenges?|"
    r"factors?|types?|kinds?|statements?|resources?)$", re.IGNORECASE)
_ALL_EXCEPT = re.compile(r"^all\s+(?:of\s+)?(?:the\s+following|these)\s+(?P<verb>are|can|could|will|help)\s+"
                         r"(?P<rest>.+?)[,\s]*\bexcept\b", re.IGNORECASE)
_BLANK = re.compile(r"_{3,}|…|\.\.\.")
_PREPOSITIONS = {"with", "for", "to", "on", "in", "about", "from", "by", "at", "of", "into"}


@dataclass(frozen=True)
class ParsedQuiz:
    question: str
    asks_for: str  # "false": the option that is not true; "true": the one that is
    options: tuple[tuple[str, str], ...]  # (label as shown to the user, option text)
    statements: tuple[str, ...] = ()  # the statement each option makes, in option order
    kind: str = "single"  # "single", "all" (select all that apply) or "true_or_false"

    def __post_init__(self) -> None:
        if not self.statements:
            object.__setattr__(self, "statements", tuple(text for _, text in self.options))


def _sequence_value(label: str) -> int:
    return int(label) if label.isdigit() else ord(label.lower()) - ord("a") + 1


def asks_for(question: str) -> str:
    """Whether the question wants the option that is not true ("false") or the true one."""
    if _NOT_A_MYTH.search(question) or _TF_ONLY.match(question):
        return "true"
    return "false" if _ASKS_FALSE.search(question) else "true"


def subject_of(question: str) -> str:
    """What the question is about ("... NOT true about deep learning?" -> "deep learning")."""
    match = _SUBJECT.search(question)
    return match.group("subject") if match else TOPIC


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural(subject: str) -> str:
    """A plural subject for "They ...": the subject itself when plural, else its models."""
    last = subject.split()[-1]
    return subject if last.endswith("s") and not last.endswith("ss") else f"{subject} models"


def resolve_pronoun(option: str, subject: str) -> str:
    """An option that starts with "It", "Its", "They" or "Their", read about the subject."""
    match = _PRONOUN.match(option)
    if not match:
        return option
    pronoun, rest = match.group("pronoun").lower(), option[match.end():]
    replacement = {"it": subject, "it's": f"{subject} is", "it is": f"{subject} is", "its": f"{subject}'s",
                   "they": _plural(subject), "they're": f"{_plural(subject)} are",
                   "they are": f"{_plural(subject)} are", "their": f"{_plural(subject)}'"}[pronoun]
    return _capitalise(f"{replacement} {rest}".strip())


def looks_plural(phrase: str) -> bool:
    """Whether a noun phrase is plural: "GPUs", "saliency maps", "SHAP and LRP"; not "Keras" or "analysis"."""
    last = phrase.split()[-1] if phrase.split() else ""
    if re.fullmatch(r"[A-Z]+s", last):  # GPUs, TPUs
        return True
    if re.fullmatch(r"[A-Z][a-z]+", phrase.strip()):  # a name: Keras
        return False
    return " and " in f" {phrase.lower()} " or (last.endswith("s") and not last.endswith(("ss", "is", "us")))


def _agree(verb: str, phrase: str) -> str:
    """The verb in agreement with the option put before it ("Saliency maps are ...", "Frameworks let ...").

    A wh-question's verb is singular ("Which of these lets ..."); a plural option takes the
    plural form. A plural verb is left as it is: its singular cannot be told from a noun.
    """
    plural = looks_plural(phrase)
    lower = verb.lower()
    pairs = {"is": "are", "was": "were", "has": "have", "does": "do"}
    if plural and lower in pairs:
        return pairs[lower]
    if not plural and lower in pairs.values():
        return {v: k for k, v in pairs.items()}[lower]
    if plural and len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")) \
            and lower not in _AUXILIARIES:
        if lower.endswith("ies"):
            return verb[:-3] + "y"
        return verb[:-2] if lower.endswith(("ches", "shes", "sses", "xes", "zes")) else verb[:-1]
    return verb


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _drop_not(words: list[str]) -> list[str]:
    """The question's negation belongs to what it asks for, not to the option's statement."""
    return [word for word in words if word.lower() not in ("not", "never")]


def composer(question: str):
    """A function that puts an option into a wh-question or a blank; None when the question has no such shape.

    "Which technique creates new images?" -> "{} creates new images"; "What is the main benefit
    of transfer learning?" -> "The main benefit of transfer learning is {}"; "What does data
    augmentation create?" -> "Data augmentation creates {}"; "Transfer learning ___ the data
    a task needs." -> "Transfer learning {} the data a task needs".
    """
    stem = " ".join(_SELECT_ALL_NOTE.sub(" ", question).split()).rstrip(" ?:.")
    if _BLANK.search(stem) and not _WH.match(stem):
        before, after = _BLANK.split(stem, maxsplit=1)
        return lambda option: _capitalise(" ".join(f"{before} {option} {after}".split()))
    match = _ALL_EXCEPT.match(stem)
    if match:
        verb = "is" if match.group("verb") == "are" else match.group("verb")
        rest = match.group("rest")
        noun, _, tail = rest.partition(" ")
        if verb == "is" and re.fullmatch(r"[a-z]{3,}s", noun):  # "are ways to ..." -> "is a way to ..."
            rest = f"{'an' if noun[0] in 'aeiou' else 'a'} {noun[:-1]} {tail}".strip()
        return lambda option: f"{option} {_agree(verb, option)} {rest}"
    match = _WH.match(stem)
    if not match:
        return None
    wh = stem.split()[0].lower()
    words = _drop_not(stem[match.end():].split())
    if not words:
        return None
    first = words[0].lower()
    if first in ("does", "do", "did") and len(words) >= 3:
        # "What does data augmentation create (with)?" -> "Data augmentation creates {} (with)"
        verb_at = len(words) - 2 if words[-1].lower() in _PREPOSITIONS and len(words) >= 4 else len(words) - 1
        subject, verb, tail = words[1:verb_at], words[verb_at], words[verb_at + 1:]
        verb = _third_person(verb) if first == "does" else verb
        return lambda option: _capitalise(" ".join([*subject, verb, option, *tail]))
    if first in _AUXILIARIES:
        rest = " ".join(words[1:])
        if wh == "what" and first in ("is", "are", "was", "were") and rest:
            # "What is the main benefit of X" -> "The main benefit of X is {}"
            return lambda option: _capitalise(f"{rest} {first} {option}")
        return lambda option: f"{option} {_agree(first, option)} {rest}".strip()
    # "Which of these lets ...": after "of these", a word that names no kind of thing is the verb.
    if " of " in f" {match.group(0).lower()}" and not _HEAD_NOUNS.match(words[0]) and len(words) > 1:
        verb, tail = words[0], " ".join(words[1:])
        return lambda option: f"{option} {_agree(verb, option)} {tail}"
    # "Which (deep learning) technique creates ..." -> the noun phrase goes, the verb stays.
    for at, word in enumerate(words[:4]):
        if _HEAD_NOUNS.match(word):
            rest = words[at + 1:]
            if rest and rest[0].lower() == "of" and len(rest) > 1 and word.lower().startswith(("type", "kind")):
                rest = rest[2:]
            if not rest:
                return None
            verb = rest[0]
            tail = " ".join(rest[1:])
            return lambda option: f"{option} {_agree(verb, option)} {tail}".strip()
    return None


def _inline(option: str) -> str:
    """An option as it reads inside a sentence: "Less data" -> "less data", "SHAP" stays."""
    option = option.rstrip(" .")
    first = option.split()[0] if option.split() else ""
    return option[:1].lower() + option[1:] if first[1:].islower() else option


def _statements(question: str, options: list[str]) -> tuple[str, ...]:
    """The statement each option makes: composed into the question, or read about its subject."""
    phrases = all(len(option.split()) <= _MAX_PHRASE_WORDS and not _PRONOUN.match(option) for option in options)
    compose = composer(question) if phrases and not _ABOUT_STATEMENTS.search(question) else None
    if compose is not None:
        return tuple(option if _NOT_A_PHRASE.search(option) else _capitalise(compose(_inline(option))) + "."
                     for option in options)
    subject = subject_of(question)
    return tuple(resolve_pronoun(option, subject) for option in options)


def _true_or_false(message: str) -> ParsedQuiz | None:
    """ "True or false: X" / "T/F: X" / "X. True or false?": one statement to call true or false."""
    text = " ".join(message.split())
    match = _TF_BEFORE.match(text) or _TF_AFTER.match(text)
    if not match:
        return None
    statement = match.group("statement").strip(" ,;:-–—")
    if len(statement.split()) < 3:  # "Is this true or false?" names nothing to judge
        return None
    return ParsedQuiz(question=text, asks_for="true", options=(("1", statement),), kind="true_or_false")


def parse_quiz(message: str) -> ParsedQuiz | None:
    """A quiz: a question with two or more options labelled in sequence, or a true-or-false question."""
    found = [(m.start(), m.end(), m.group("paren") or m.group("bare")) for m in _LABEL.finditer(message)]
    # Keep the labels that run A, B, C ... (or 1, 2, 3 ...) in order; stray ones ("a. k. a.") drop out.
    chosen: list[tuple[int, int, str]] = []
    for start, end, label in found:
        expected = 1 if not chosen else _sequence_value(chosen[-1][2]) + 1
        same_kind = not chosen or label.isdigit() == chosen[-1][2].isdigit()
        if _sequence_value(label) == expected and same_kind:
            chosen.append((start, end, label))
        elif _sequence_value(label) == 1 and len(chosen) < 2:
            chosen = [(start, end, label)]
    if len(chosen) < 2:
        return _true_or_false(message)
    question = " ".join(message[: chosen[0][0]].split())
    if not _QUESTION_CUE.search(question) and not _TF_ONLY.match(question):
        return None
    options = []
    for index, (start, end, label) in enumerate(chosen):
        stop = chosen[index + 1][0] if index + 1 < len(chosen) else len(message)
        text = " ".join(message[end:stop].split()).strip(" ;,")
        if not text:
            return None
        options.append((label.upper() if label.isalpha() else label, text))
    # "True or false? A) ... B) ...": each option is true or not; the answer lists the true ones.
    kind = "all" if _SELECT_ALL.search(question) or _TF_ONLY.match(question) else "single"
    return ParsedQuiz(question=question, asks_for=asks_for(question), options=tuple(options),
                      statements=_statements(question, [text for _, text in options]), kind=kind)
