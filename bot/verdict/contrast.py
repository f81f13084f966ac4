"""Contrasts a small NLI model misses between a claim and a sentence of the user's notes.

The shipped cross-encoder reads "Dropout increases overfitting" as entailed by "Dropout
reduces overfitting" (0.96), and "Adam's default learning rate is 0.1" by "... is 0.001"
(0.98): the sentences share every word but one, and in topics it was not trained on the
model weighs the shared words. Two contrasts are plain to see in the words themselves:

* the claim states a number the sentence does not, while the sentence states numbers of its own;
* the claim uses a word whose opposite the sentence uses, and the sentence has no word of the
  claim's side: "increases" against "reduces", "away from" against "towards".

Where one holds, the sentence cannot support the claim: what the model did not call neutral
(entailment + contradiction: the two sentences speak of the same thing) is read as
contradiction (`read_contrasts`). The verdict still cites the user's sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.verdict.report import Evidence

# Opposite pairs in notes about training networks, each side with its inflected forms.
# Size words (large / small) are left out: "works on small data" does not deny "works on large data".
_OPPOSITES = (
    ("increase increases increased increasing raise raises raised raising grow grows grew",
     "decrease decreases decreased decreasing reduce reduces reduced reducing lower lowers lowered lowering "
     "shrink shrinks shrank cut cuts"),
    ("more", "less fewer"),
    ("higher", "lower"),
    ("high", "low"),
    ("faster quicker", "slower"),
    ("better", "worse"),
    ("best", "worst"),
    ("first", "last final"),
    ("towards toward", "away"),
    ("prevent prevents prevented avoid avoids avoided", "cause causes caused causing"),
    ("active enabled", "off inactive disabled"),
    ("help helps helped", "hurt hurts harm harms"),
    ("same identical equivalent", "different differ differs"),
    ("keep keeps kept retain retains remember remembers", "forget forgets forgot lose loses lost"),
    ("parallel", "sequential sequentially"),
)
_OPPOSITE: dict[str, set[str]] = {}  # a word -> the words of the other side
_SIDE: dict[str, set[str]] = {}  # a word -> the words of its own side ("equivalent" -> "same", ...)
for _pair in _OPPOSITES:
    for _own, _other in (_pair, _pair[::-1]):
        for _word in _own.split():
            _OPPOSITE.setdefault(_word, set()).update(_other.split())
            _SIDE.setdefault(_word, set()).update(_own.split())
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")


def contrasts(claim: str, sentence: str) -> bool:
    """Whether the sentence states a different number, or the opposite of one of the claim's words."""
    claim_numbers, sentence_numbers = set(_NUMBER.findall(claim)), set(_NUMBER.findall(sentence))
    if sentence_numbers and claim_numbers - sentence_numbers:
        return True
    claim_words, sentence_words = set(_WORD.findall(claim.lower())), set(_WORD.findall(sentence.lower()))
    return any(not _SIDE[word] & sentence_words and _OPPOSITE[word] & sentence_words - claim_words
               for word in claim_words & _OPPOSITE.keys())


def read_contrasts(claim: str, evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """The evidence with each note sentence that contrasts with the claim read as against it."""
    return tuple(replace(item, entailment=0.0, contradiction=item.entailment + item.contradiction)
                 if item.record.plain and contrasts(claim, item.record.model_text) else item
                 for item in evidence)
