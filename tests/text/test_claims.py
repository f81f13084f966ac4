"""Normalising, splitting and question handling: pure text functions."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.claims import (
    absolute_words,
    denied,
    language_note,
    normalise,
    read_claim,
    soften,
    split_compound,
    split_sentences,
    to_statement,
    with_topic,
)


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("Do you need a GPU to train a network?", "You need a GPU to train a network"),
        ("Is it true that transfer learning reduces data needs?", "Transfer learning reduces data needs"),
        ("Can deep learning models be explained?", "Deep learning models can be explained"),
        ("Is deep learning only for experts?", "Deep learning is only for experts"),
        ("Are neural networks black boxes?", "Neural networks are black boxes"),
        ("Is a GPU optional for deep learning?", "A GPU is optional for deep learning"),
        ("Must you own a high-end GPU to start?", "You must own a high-end GPU to start"),
        ("Is the black box problem solved?", "The black box problem is solved"),
        ("Is a neural network interpretable?", "A neural network is interpretable"),
        ("So, is it true that GPUs are required?", "GPUs are required"),
        ("true or false: SHAP explains predictions", "SHAP explains predictions"),
        ("Deep learning needs huge datasets, right?", "Deep learning needs huge datasets"),
        ("Deep learning is a subfield of machine learning.", "Deep learning is a subfield of machine learning"),
        # "does" moves onto the verb, which takes the third person
        ("Does deep learning need big data?", "Deep learning needs big data"),
        ("Does it work with small datasets?", "It works with small datasets"),
        ("Does deep learning have to be a black box?", "Deep learning has to be a black box"),
        ("Does transfer learning reduce data needs?", "Transfer learning reduces data needs"),
        ("Does a neural network rely on huge datasets?", "A neural network relies on huge datasets"),
        ("Do neural networks need GPUs?", "Neural networks need GPUs"),
    ],
)
def test_questions_become_the_statements_they_ask_about(question, statement):
    assert to_statement(question) == statement


def test_normalise_removes_invisible_characters_and_extra_space():
    assert normalise("  Deep\u200b learning\u00a0 needs\n GPUs  ") == "Deep learning needs GPUs"
    assert normalise("\u202eGPUs\u202c") == "GPUs"
    assert normalise("“quoted claim”") == "quoted claim"


def test_sentences_keep_their_spans():
    message = "Deep learning needs GPUs. It is only for experts! What about SHAP?"
    claims = split_sentences(message)
    assert [c.text for c in claims] == ["Deep learning needs GPUs.", "It is only for experts!", "What about SHAP?"]
    assert all(message[c.start:c.end].strip() == c.text for c in claims)


@pytest.mark.parametrize(
    ("statement", "parts"),
    [
        ("GPUs speed up training, so you cannot train without one",
         ["GPUs speed up training", "You cannot train without one"]),
        ("Keras helps beginners, but you still need a PhD", ["Keras helps beginners", "You still need a PhD"]),
        ("Transfer learning reuses models; it needs no data at all", ["Transfer learning reuses models",
                                                                     "It needs no data at all"]),
        ("Deep learning is great but hard", ["Deep learning is great but hard"]),
        ("Deep learning needs GPUs", ["Deep learning needs GPUs"]),
    ],
)
def test_compound_statements_split_into_parts(statement, parts):
    assert split_compound(statement) == parts


def test_absolute_words_and_softening():
    assert absolute_words("All models are always black boxes") == ["all", "always"]
    assert absolute_words("GPUs speed up training") == []
    assert absolute_words("Deep learning isn't a universal fix for every problem") == []
    assert absolute_words("Rotating and cropping are all ways to augment images") == []
    assert absolute_words("For small models a CPU may be all you need") == []
    assert absolute_words("GPUs are not needed, but every model needs data") == ["every"]
    assert soften("More data always improves a model") == "More data improves a model"
    # "never" is "always not": softened, it is "usually not", so a claim that contradicts a
    # "generally" fact stays contradicted ("More data rarely helps") instead of turning nuanced.
    assert soften("Deep learning never needs big data") == "Deep learning rarely needs big data"


@pytest.mark.parametrize(
    ("text", "english"),
    [("Deep learning needs GPUs", True), ("u dont need a gpu lol", True), ("SHAP", True),
     ("L'apprentissage profond nécessite des GPU et des données", False), ("Глубокое обучение требует GPU", False),
     ("深度学习需要GPU", False), ("El aprendizaje profundo es solo para expertos", False),
     ("Deep Learning braucht immer GPUs", False), ("O deep learning precisa de GPUs", False),
     ("Deep learning heeft altijd GPUs nodig", False), ("LeCun et al. showed that CNNs work", True),
     ("O(n) attention is possible", True), ("Solo developers can train models", True),
     ("Die-hard fans say GPUs are required", True)],
)
def test_language_note_flags_non_english(text, english):
    assert (language_note(text) is None) == english


@settings(max_examples=300, deadline=None)
@given(st.text() | st.builds(lambda piece, times: piece * times, st.text(max_size=12), st.integers(100, 5000)))
def test_text_functions_never_raise(text):
    statement = to_statement(text)
    read_claim(text)
    assert isinstance(statement, str)
    for claim in split_sentences(text):
        assert claim.text and text[claim.start : claim.end].strip() == claim.text
    for whole in (text, statement):
        parts = split_compound(whole)
        assert parts == [" ".join(whole.split())] or (len(parts) > 1 and all(len(p.split()) >= 3 for p in parts))
    soften(text)
    absolute_words(text)
    language_note(text)
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize("text", [
    " " * 100_000, "so " * 30_000 + "x", "is it true that " * 6_000, "is " * 30_000 + "?", ", so " * 20_000,
    "; " * 50_000, ". A" * 30_000, "always never " * 8_000, "\u200b" * 100_000, "x, right" * 10_000 + "?",
    "not " + "a" * 100_000 + " always",
], ids=lambda text: repr(text[:16]))
def test_long_adversarial_text_takes_linear_time(text):
    started = time.monotonic()
    statement = to_statement(text)
    read_claim(text)
    split_sentences(text)
    split_compound(text)
    soften(text)
    absolute_words(text)
    language_note(text)
    split_compound(statement)
    assert time.monotonic() - started < 5  # about 0.1 s; a quadratic pattern takes minutes


@pytest.mark.parametrize(
    ("message", "claim", "denied"),
    [
        ("It's a myth that you need a GPU to train a network.", "You need a GPU to train a network", True),
        ("It is false that transfer learning reduces data needs", "Transfer learning reduces data needs", True),
        ("it's a common misconception that deep learning is only for experts",
         "Deep learning is only for experts", True),
        ("The idea that neural networks are black boxes is a myth.", "Neural networks are black boxes", True),
        ("Deep learning needing massive datasets is a misconception", "Deep learning needing massive datasets",
         True),
        ("People wrongly think that you need a PhD to do deep learning", "You need a PhD to do deep learning", True),
        ("Myth: deep learning solves any problem", "Deep learning solves any problem", True),
        ("Is it a myth that deep learning needs huge datasets?", "Deep learning needs huge datasets", True),
        ("Contrary to popular belief, you don't need millions of examples.", "You don't need millions of examples",
         False),
        ("Honestly, a laptop CPU is fine for small nets", "A laptop CPU is fine for small nets", False),
        ("Is it true that GPUs are required?", "GPUs are required", False),
        # A bare noun phrase called a myth is no claim to invert; nor is a sentence that mentions myths.
        ("Deep learning myths are common", "Deep learning myths are common", False),
    ],
)
def test_framing_says_whether_the_message_denies_its_claim(message, claim, denied):
    assert read_claim(message) == (claim, denied)


def test_a_denied_claim_reads_as_its_denial_keeping_acronyms():
    assert denied("You need a GPU to train") == "It is not true that you need a GPU to train"
    assert denied("GPUs are required") == "It is not true that GPUs are required"


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("I need a GPU", "I need a GPU for deep learning"),
        ("You need a PhD.", "You need a PhD for deep learning"),
        ("Beginners can get started without a doctorate", "Beginners can get started without a doctorate for deep learning"),
        ("You need a GPU to train a network", None),  # the topic is named
        ("I need a GPU for deep learning", None),
        ("Data augmentation helps", None),  # not about the asker: its own subject
        ("It will be sunny tomorrow", None),  # adding a topic would invent a link
    ],
)
def test_with_topic_adds_the_knowledge_base_topic_to_claims_about_the_asker(claim, expected):
    assert with_topic(claim) == expected
