"""Sentence-level passages from a user's text, each readable on its own by a small NLI model.

A two-sentence passage whose second sentence starts with "It" defeats the model ("Dropout
randomly zeroes activations. It reduces overfitting." entails "Dropout reduces overfitting"
at 0.02). So each sentence is a passage of its own, its neighbour kept as context, and a
leading "It" / "They" / "Its" / "Their" is replaced by the previous sentence's subject for the
models to read, when that subject is found and agrees in number; otherwise the sentence is
left as it is. The cited text stays the user's own sentence.

A note sentence often says two things ("Batch normalisation allows higher learning rates and
makes training less sensitive to initialisation"; "Because attention ignores order,
transformers add positional encodings"), and the model, asked about one of them, is misled by
the other (the second entails "Transformers add positional encodings" at 0.08, contradicts it
at 0.90). So each sentence also keeps the clauses that stand on their own (`clauses`), a
predicate after "and" given the sentence's subject; the NLI reads each, and the most decisive
reading (the one that entails or contradicts the claim most) is the sentence's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "vs.", "cf.", "al.", "approx.", "fig.", "eq.", "dr.", "mr.", "ms.", "no."}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_PRONOUNS = {"it": ("singular", False), "its": ("singular", True), "they": ("plural", False),
             "their": ("plural", True)}
# Auxiliaries, modals, and adverbs that stand between a subject and its verb: each ends the subject.
_AUXILIARIES = {"is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "may", "might",
                "must", "shall", "should", "will", "would", "does", "do", "did", "cannot", "can't", "won't",
                "doesn't", "don't", "isn't", "aren't", "often", "also", "usually", "typically", "generally",
                "still", "only", "then", "thus", "therefore", "always", "never", "rarely", "sometimes"}
# Verbs that notes on machine learning use after a plural subject, where no -s marks the verb.
_VERBS = {"add", "allow", "apply", "avoid", "become", "cause", "combine", "compute", "converge", "cut", "depend",
          "help", "improve", "increase", "decrease", "keep", "learn", "let", "limit", "lower", "make", "need",
          "perform", "prevent", "process", "produce", "provide", "raise", "reduce", "remain", "replace",
          "require", "scale", "share", "slow", "speed", "store", "take", "tend", "train", "use", "work", "give",
          "map", "mix", "model", "capture", "handle", "suffer", "stack", "skip", "solve", "update", "adapt",
          "change", "control", "stabilise", "stabilize", "normalise", "normalize", "regularise", "regularize",
          "generalise", "generalize", "overfit", "underfit", "read", "run", "see", "treat", "turn", "weigh"}
_SUBJECT_WORD = re.compile(r"^[A-Za-z0-9][\w'’-]*$")
# Words that make an opening more than a plain noun phrase ("The loss of deep networks", "If ...").
_NOT_IN_SUBJECT = {"of", "in", "on", "for", "with", "to", "by", "at", "from", "and", "or", "that", "which", "as",
                   "this", "these", "those", "there", "here", "when", "if", "while", "because", "what"}
_NOT_VERBS = _NOT_IN_SUBJECT | {"the", "a", "an", "its", "their", "whose", "who", "whom", "where", "than", "not", "no",
                                "such", "some", "all", "each", "every", "other", "more", "most", "less", "very"}
# "It is important to ..." : an "it" that stands for nothing.
_EXPLETIVE = re.compile(
    r"^(?:is|was|seems|appears)\s+(?:often\s+|usually\s+|generally\s+|not\s+)?(?:important|necessary|possible|"
    r"impossible|common|useful|best|better|easy|easier|hard|harder|difficult|worth|wise|helpful|advisable|likely|"
    r"unlikely|true|clear|known|standard|usual|essential|crucial|good|safe|reasonable|tempting)\s+(?:to|that)\b",
    re.IGNORECASE)
_MAX_SUBJECT_WORDS = 5
# Where one sentence holds two statements: after a comma and a conjunction, or after a leading
# causal or concessive clause ("Because ..., transformers add ...").
_CLAUSE_BREAK = re.compile(r",\s+(?:but|while|so|whereas|which is why|and)\s+")
_LEADING_CLAUSE = re.compile(r"^(?:Because|Since|Although|Though|While)\b[^,]+,\s+")
_AND = re.compile(r"\s+and\s+")
_MIN_CLAUSE_WORDS = 3
_MAX_SENTENCE_WORDS = 90  # a run-on "sentence" (a pasted list, no full stops) is cut into pieces this long


@dataclass(frozen=True)
class Sentence:
    """One sentence of a block: as written, as the models should read it, and its neighbour."""

    text: str
    reading: str | None  # None when the sentence reads well on its own
    context: str | None  # the sentence before it in the same block
    clauses: tuple[str, ...] = ()  # the statements within it that stand on their own, when it holds several


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, at ., ! or ? before a capital or digit, not after an abbreviation.

    A sentence longer than `_MAX_SENTENCE_WORDS` words is cut into pieces of at most that many.
    """
    pieces = _BOUNDARY.split(" ".join(text.split()))
    sentences: list[str] = []
    for piece in pieces:
        last = sentences[-1].split()[-1].lower() if sentences else ""
        if sentences and (last in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last)):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    pieces = []
    for sentence in sentences:
        words = sentence.split()
        pieces += [" ".join(words[i:i + _MAX_SENTENCE_WORDS]) for i in range(0, len(words), _MAX_SENTENCE_WORDS)]
    return pieces


def _is_verb(word: str, number: str, previous: str) -> bool:
    """Whether a word of a sentence's opening is likely its verb (or an adverb before it)."""
    word = word.lower().strip(",;:")
    if word in _AUXILIARIES or (word.endswith("ly") and len(word) > 4):
        return True
    stems = {word, word[:-1], word[:-2], word[:-1] + "e" if word.endswith("d") else word}
    if stems & _VERBS or (word.endswith("ed") and len(word) > 4):
        return True
    if number == "plural":
        # After a plural noun, a plain lower-case word is its verb: "Convolutional layers slide".
        return (_plural(previous) and word.isalpha() and word == word.lower() and word not in _NOT_VERBS
                and not word.endswith(("s", "ing")))
    # A singular subject takes a verb in -s: "Batch normalisation normalises", "Adam keeps".
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and not previous.lower().endswith("s")


def _plural(word: str) -> bool:
    word = word.lower()
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def subject(sentence: str) -> tuple[str, str] | None:
    """The opening noun phrase of a sentence and its number ("singular" or "plural"), when clear."""
    words = re.sub(r"\s*\([^)]*\)", "", sentence).split()  # "networks (LSTMs) add" reads "networks add"
    # Plural first: a plural head noun ("connections") would pass for a verb in -s.
    for number in ("plural", "singular"):
        for end in range(1, min(len(words), _MAX_SUBJECT_WORDS + 1)):
            if _is_verb(words[end], number, words[end - 1]):
                phrase = words[:end]
                break
        else:
            continue
        if (phrase[0].lower() in _PRONOUNS or not all(_SUBJECT_WORD.match(word) for word in phrase)
                or any(word.lower() in _NOT_IN_SUBJECT for word in phrase)):
            return None
        if (number == "plural") == _plural(phrase[-1]):
            return " ".join(phrase), number
    return None


def resolve(sentence: str, previous: str) -> str | None:
    """The sentence with its leading pronoun replaced by the previous sentence's subject, or None."""
    first, _, rest = sentence.partition(" ")
    pronoun = _PRONOUNS.get(first.lower())
    found = subject(previous)
    if pronoun is None or found is None or not rest or found[1] != pronoun[0]:
        return None
    if first.lower() == "it" and _EXPLETIVE.match(rest):
        return None
    phrase = found[0]
    if pronoun[1]:  # a possessive: "Its" -> "Dropout's"
        phrase += "'" if phrase.endswith("s") else "'s"
    return f"{phrase} {rest}"


def _shares_subject(sentence: str) -> list[str]:
    """"X does A and (often) does B" -> ["X does A", "X does B"], when X is found and "and" precedes a verb."""
    found = subject(sentence)
    if found is None:
        return [sentence]
    phrase, number = found
    pieces = [sentence]
    for match in _AND.finditer(sentence):
        words = sentence[match.end():].split()
        if match.start() > len(phrase) and len(words) >= 2 and (
                _is_verb(words[0], number, phrase.split()[-1])
                or (words[0].lower().endswith("ly") and _is_verb(words[1], number, phrase.split()[-1]))):
            pieces = [sentence[:match.start()], f"{phrase} {sentence[match.end():]}"]
            break
    return pieces


def clauses(sentence: str) -> tuple[str, ...]:
    """The statements of a sentence that stand on their own; empty when it holds just one."""
    text = sentence.rstrip(".!? ")
    pieces = [_LEADING_CLAUSE.sub("", piece) for piece in _CLAUSE_BREAK.split(text)]
    pieces = [part for piece in pieces for part in _shares_subject(piece)]
    # "..., so they need far fewer parameters": the first clause's subject for a later one's pronoun.
    pieces = pieces[:1] + [resolve(piece, pieces[0]) or piece for piece in pieces[1:]]
    pieces = [piece[:1].upper() + piece[1:] + "." for piece in pieces if len(piece.split()) >= _MIN_CLAUSE_WORDS]
    return tuple(pieces) if pieces != [text + "."] and pieces != [sentence] else ()


def sentences(block: str) -> list[Sentence]:
    """The sentences of one block, a leading pronoun resolved where the previous subject is clear."""
    result: list[Sentence] = []
    for text in split_sentences(block):
        previous = result[-1] if result else None
        reading = resolve(text, previous.reading or previous.text) if previous else None
        result.append(Sentence(text=text, reading=reading, context=previous.text if previous else None,
                               clauses=clauses(reading or text)))
    return result
