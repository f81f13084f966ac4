"""From a user's message to checkable claims: clean the text, split it, and turn questions
into the statements they ask about. Pure functions on strings, no models.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width and bidirectional control characters: invisible, but they break matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"))
_PREFIXES = re.compile(
    r"^(?:(?:so|ok|okay|hey|hi|hello|well|please|quick question|honestly|tbh|actually|in fact|"
    r"believe it or not|surprisingly|in reality|in practice)[,:!]?\s+)+"
    r"|(?:(?:is it|is this|it is|it's|isn't it)\s+(?:really\s+)?(?:true|correct|right|a fact)\s+(?:that\s+)?"
    r"|(?:true or false|t/f|fact[- ]?check|fact|claim|statement|check)\s*[:\-]\s*"
    r"|(?:contrary to (?:popular belief|common belief|what (?:many|most) (?:people )?(?:think|believe))|"
    r"despite what (?:many|most) (?:people )?(?:think|believe)|the (?:truth|reality|fact) is)\s*,?\s+(?:that\s+)?"
    r"|(?:do you think|would you say|can you (?:check|verify|confirm)(?: whether| if| that)?|i (?:heard|read)|"
    r"i think|i believe|people say|someone told me|my (?:friend|teacher|boss) says)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
# Frames that deny what follows them: "It's a myth that X" asserts not-X, so X is judged
# and its verdict inverted. A question ("Is it a myth that X?") asks about the denial.
_MYTH_WORD = (r"(?:(?:a|an)\s+)?(?:(?:common|popular|widespread|persistent|big|old|total|complete)\s+)?"
              r"(?:myth|misconception|misunderstanding|fallacy|falsehood|lie|mistake)")
_DENIAL_PREFIX = re.compile(
    r"^(?:(?:is it|is this|it is|it's|isn't it|that's|that is)\s+(?:really\s+|simply\s+|just\s+)?"
    r"(?:false|untrue|not true|wrong|incorrect|nonsense|" + _MYTH_WORD + r")\s+(?:to (?:think|believe|say) )?(?:that\s+)?"
    r"|(?:" + _MYTH_WORD.replace("(?:(?:a|an)\\s+)?", "") + r")\s*[:\-]\s*"
    r"|(?:many |some |most |a lot of )?(?:people|folks|beginners|newcomers|many|some)\s+(?:often\s+)?"
    r"(?:wrongly|mistakenly|falsely|incorrectly)\s+(?:think|believe|assume|claim|say)\s+(?:that\s+)?"
    r"|(?:don't|do not|never)\s+(?:believe|buy|fall for)\s+(?:the\s+(?:myth|idea|claim)\s+)?(?:that\s+)?)",
    re.IGNORECASE,
)
_DENIAL_SUFFIX = re.compile(
    r"^(?:the (?:idea|notion|belief|claim|assumption|myth) that\s+)?(?P<claim>.+?),?\s+(?:is|was|are|remains)\s+"
    r"(?:(?:just|simply|really|actually|still)\s+)?(?:" + _MYTH_WORD + r"|false|untrue|not true|wrong|outdated)$",
    re.IGNORECASE,
)
_AUX = re.compile(r"^(do|does|did|is|are|was|were|can|could|will|would|should|must|has|have|may|might)\s+(.+)$",
                  re.IGNORECASE)
# Words that usually start the predicate of "Is X <predicate>?": where the subject ends.
_PREDICATE_START = set(
    """only always never really actually necessary needed required essential possible impossible able unable true
    false just still more less better worse too very so good bad useful inherently hard difficult easy simple
    suitable limited for in on at with without by from to used trained expensive cheap accessible enough
    sufficient a an the not no any all every some black capable guaranteed fundamentally completely totally
    entirely strictly mostly often usually generally sometimes one be have get make help learn work run solve
    handle replace understand need require explain use train do reduce improve speed benefit achieve beat
    outperform give provide show produce process interpret detect recognise recognize generalise generalize""".split()
)
_SUBJECT_HEADS = {"deep", "neural", "machine", "data", "transfer", "few-shot", "meta", "feature", "saliency",
                  "attention", "layer-wise", "cloud", "specialized", "specialised", "high-level", "user-friendly"}
# A pronoun is the whole subject: "Must you own a GPU" -> "you must own a GPU".
_PRONOUNS = {"you", "i", "we", "they", "it", "he", "she", "one", "someone", "anyone", "everyone", "people"}
# Adjective and participle endings that start a predicate the list above does not name
# ("Is a GPU optional", "Is the black box problem solved").
_ADJECTIVE_ENDING = re.compile(r"(?:al|ive|ble|ous|ful|less|ent|ant|ary|ic|ed)$")
# Absolute words that turn a hedged fact ("can", "often", "generally") into an
# overgeneralisation, with the softer wording checked in their place. "only", "nothing"
# and "nobody" are left out on purpose: on the dev set such statements were myths
# ("only experts can ...") far more often than overgeneralisations.
_SOFTER = {"always": "", "every": "some", "all": "many", "any": "some", "everything": "many things",
           "anything": "many things", "guaranteed": "likely", "completely": "", "entirely": "", "totally": "",
           "universally": "", "in every case": "", "in all cases": "", "never": "rarely", "impossible": "hard"}
_ABSOLUTE = re.compile(r"\b(" + "|".join(sorted(_SOFTER, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# An absolute word under a negation ("not always", "isn't a fix for every") is a hedge, not a
# claim; the negation is at most four words back, within the same clause.
_NEGATED = re.compile(r"\b(not|no|cannot|can't|cant|isn't|aren't|doesn't|don't|won't|\w+n't)\s+([\w'-]+\s+){0,4}$",
                      re.IGNORECASE)
# "all" that quantifies nothing open-ended: "X, Y and Z are all ways to ...", "a CPU may be
# all you need".
_IDIOMATIC_ALL = re.compile(r"\b(?:are|were)\s+all\b|\ball\s+(?:you|it|we|they|i|that)\b", re.IGNORECASE)
# How far before an absolute word to look for that negation (it is at most five words back):
# searching the whole text before each word would take quadratic time on long texts.
_NEGATION_REACH = 80
_COMPOUND = re.compile(
    r"\s*(?:,\s*(?:so|but|yet|and|hence|thus|therefore|which means(?: that)?|meaning(?: that)?)\s+"
    r"|;\s*|\s+(?:so|but|yet|and therefore|and so|and thus|and hence|which means(?: that)?)\s+)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Claim:
    """One checkable statement cut out of a message, with its place in the message."""

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Unicode-normalise, drop invisible characters, collapse whitespace, trim quotes."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = " ".join(text.split())
    return text.strip(" \"'`“”‘’")


def _move_auxiliary(aux: str, rest: str) -> str:
    """'Is deep learning only for experts' -> 'deep learning is only for experts'."""
    words = rest.split()
    if aux == "does":
        return _third_person(words)
    if aux in {"do", "did"}:
        return rest
    if words[0].lower() in _PRONOUNS:
        return " ".join([words[0], aux] + words[1:])
    cut = 1
    if words[0] in {"a", "an", "the", "deep", "neural", "machine"} or words[0] in _SUBJECT_HEADS:
        cut = 2
    for i, word in enumerate(words[cut:], start=cut):
        word = word.lower().strip(",")
        if (word in _PREDICATE_START or word.endswith("ly")
                or (_ADJECTIVE_ENDING.search(word) and word not in _SUBJECT_HEADS)):
            cut = i
            break
    return " ".join(words[:cut] + [aux] + words[cut:])


# Verbs a "Does X <verb> ...?" question about deep learning asks with: the verb that takes the -s.
_BASE_VERBS = {"need", "require", "work", "have", "make", "help", "mean", "give", "learn", "use", "take",
               "solve", "replace", "run", "outperform", "beat", "understand", "depend", "benefit", "apply",
               "get", "cost", "scale", "generalise", "generalize", "train", "rely", "demand", "involve",
               "perform", "explain", "reduce", "improve", "guarantee", "succeed", "fail", "do", "go",
               "allow", "let", "lead", "produce", "reason", "overfit", "handle", "matter"}


def _third_person(words: list[str]) -> str:
    """'deep learning need big data' -> 'deep learning needs big data': the question's
    "does" moves onto the verb. Left as it is when no verb is recognised."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _BASE_VERBS:
            verb = word.lower()
            if verb in {"have", "do", "go"}:
                verb = {"have": "has", "do": "does", "go": "goes"}[verb]
            elif re.search(r"(?:s|sh|ch|x|z)$", verb):
                verb += "es"
            elif re.search(r"[^aeiou]y$", verb):
                verb = verb[:-1] + "ies"
            else:
                verb += "s"
            return " ".join(words[:i] + [verb] + words[i + 1:])
    return " ".join(words)


def _strip_prefixes(text: str) -> str:
    previous = None
    while previous != text:  # prefixes can stack: "So, is it true that ..."
        previous = text
        text = _PREFIXES.sub("", text, count=1).strip()
    return text


def read_claim(text: str) -> tuple[str, bool]:
    """The statement a message is about, and whether the message denies it.

    "It's a myth that you need a GPU." -> ("You need a GPU", True); "Contrary to popular
    belief, you don't need a GPU" -> ("You don't need a GPU", False).
    """
    text = _strip_prefixes(normalise(text))
    denied = False
    match = _DENIAL_PREFIX.match(text)
    if match and len(text) - match.end() > 10:
        text, denied = text[match.end():], True
    else:
        match = _DENIAL_SUFFIX.match(text.rstrip("?!. "))
        if match and len(match.group("claim").split()) >= 4:
            text, denied = match.group("claim"), True
    return to_statement(text), denied


def denied(claim: str) -> str:
    """The claim a framed denial asserts: "It is not true that <claim>"."""
    keep_case = len(claim) > 1 and (claim[1].isupper() or claim.split()[0] in {"I"})
    return f"It is not true that {claim if keep_case else claim[:1].lower() + claim[1:]}"


def to_statement(text: str) -> str:
    """The statement a message asserts or asks about ("Do you need a GPU?" -> "you need a GPU")."""
    text = _strip_prefixes(normalise(text))
    is_question = text.endswith("?")
    text = text.rstrip("?!. ").strip()
    if is_question:
        text = re.sub(r",?\s+(?:right|correct|true|or not|isn't it|aren't they|don't they|doesn't it)$", "",
                      text, flags=re.IGNORECASE)
        match = _AUX.match(text)
        if match and len(match.group(2).split()) >= 2:
            text = _move_auxiliary(match.group(1).lower(), match.group(2))
    if text:
        text = text[0].upper() + text[1:]
    return text


# The knowledge base's topic: implicit in a question put to this bot ("Do I need a GPU?"), and
# the subject of a quiz that names none.
TOPIC = "deep learning"
_PERSONAL_SUBJECT = re.compile(r"^(?:i|you|we|one|beginners|people)\b", re.IGNORECASE)
_TOPIC_WORDS = re.compile(r"\b(?:deep|neural|networks?|nets?|nns?|models?|ai|artificial|machine|ml|dl|"
                          r"algorithms?|learning|llms?|cnns?|rnns?|transformers?)\b", re.IGNORECASE)


def with_topic(claim: str) -> str | None:
    """"I need a GPU" -> "I need a GPU for deep learning": a claim about the asker that names no
    topic is read as being about the knowledge base's; None when the claim names one (or is
    not about the asker, where adding a topic could invent a link: "It will be sunny")."""
    if not _PERSONAL_SUBJECT.match(claim) or _TOPIC_WORDS.search(claim):
        return None
    return f"{claim.rstrip(' .!?')} for {TOPIC}"


def same_case(old: str, new: str) -> str:
    """`new` with the first letter's case of `old`, the word it replaces."""
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def split_sentences(message: str) -> list[Claim]:
    """Sentences of a message, each with its character span; blank pieces are dropped."""
    claims = []
    position = 0
    for piece in _SENTENCE_END.split(message):
        start = message.find(piece, position)
        position = start + len(piece)
        if piece.strip():
            claims.append(Claim(text=piece.strip(), start=start, end=position))
    return claims


def split_compound(statement: str) -> list[str]:
    """The parts of 'X, so Y' / 'X but Y' / 'X; Y' statements; [statement] when not compound.

    Parts shorter than three words are not claims of their own, so the statement stays whole.
    Whitespace is collapsed first (the pattern backtracks badly on long runs of it).
    """
    statement = " ".join(statement.split())
    parts = [part.strip(" ,;.") for part in _COMPOUND.split(statement)]
    parts = [part for part in parts if part]
    if len(parts) < 2 or any(len(part.split()) < 3 for part in parts):
        return [statement]
    return [part[0].upper() + part[1:] for part in parts]


def _absolute_matches(statement: str) -> list[re.Match]:
    idiomatic = [(m.start(), m.end()) for m in _IDIOMATIC_ALL.finditer(statement)]
    return [match for match in _ABSOLUTE.finditer(statement)
            if not _NEGATED.search(statement[max(0, match.start() - _NEGATION_REACH) : match.start()])
            and not any(start <= match.start() < end for start, end in idiomatic)]


def absolute_words(statement: str) -> list[str]:
    """Absolute words ("always", "every", "any", "never", ...) that are not under a negation."""
    return [match.group(0).lower() for match in _absolute_matches(statement)]


def soften(statement: str) -> str:
    """The statement with its absolute words taken out or weakened ("always" -> "", "never" -> "rarely").

    Used to tell an overgeneralisation (the softened claim holds) from a plain error.
    """
    pieces, position = [], 0
    for match in _absolute_matches(statement):
        pieces += [statement[position : match.start()], _SOFTER[match.group(0).lower()]]
        position = match.end()
    pieces.append(statement[position:])
    return " ".join("".join(pieces).split())


_ENGLISH = set("""the a an is are was were be been of to in on for with and or not no it this that these those
can could will would do does did you your we they i he she my our their has have had at by from as but if so
than then there what which who how why when all any only more most some such very""".split())
# Function words of French, German, Spanish, Italian, Portuguese and Dutch, and their words for
# what deep-learning claims say ("needs", "always", "data", "models", ...). Words that are also
# English or English usage ("die", "also", "will", "son", "solo", "per", "con", "et al.") are left out.
_FOREIGN = set("""le la les des est une un du dans pour que qui pas avec sur der das und ist nicht ein eine
mit für den dem von zu el los las es una por para del se lo como il di che è sono um uma os em não com mais
sind kann können muss braucht brauchen benötigt erfordert immer nie niemals nur alle viele große riesige sehr
ohne oder wird werden daten datenmengen modelle lernen tiefes necesita necesitan requiere siempre nunca todos
muy sin más también puede pueden grandes datos modelos aprendizaje profundo nécessite besoin toujours jamais
seulement tous très sans aussi peut peuvent sont données modèles apprentissage profond richiede serve sempre mai
tutti molto senza anche può possono dati modelli apprendimento precisa requer só apenas muito sem pode podem
são dados aprendizado aprendizagem profunda het een niet zijn altijd nooit alleen nodig heeft hebben voor
gegevens modellen diep""".split())
_NOT_ENGLISH = "the statement does not look like English; the knowledge base is in English"


def language_note(text: str) -> str | None:
    """A note when the text looks like it is not English; None when it does."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    if sum(ch.isascii() for ch in letters) / len(letters) < 0.7:
        return _NOT_ENGLISH
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(word in _ENGLISH for word in words)
    foreign = sum(word in _FOREIGN for word in words)
    accented = any(not ch.isascii() for ch in letters)
    # English terms mix into other languages ("Deep Learning braucht immer GPUs"): one foreign
    # word is enough when no English function word outweighs it.
    if foreign > english and (foreign >= 2 or english == 0):
        return _NOT_ENGLISH
    if accented and english == 0 and len(words) >= 4:
        return _NOT_ENGLISH
    return None
