"""The conversation engine: follow-ups, elliptical turns and pronouns, with a fake checker (no models)."""

from __future__ import annotations

import pytest

from bot.conversation.dialogue import (
    NO_CONTEXT,
    Context,
    Conversation,
    absolute,
    claim_subject,
    elliptical,
    follow_up,
    resolve_pronouns,
    rewrite_elliptical,
)
from bot.knowledge.records import Record, Source
from bot.verdict.report import Evidence, QuizOption, QuizResult, Report, Verdict

SOURCE = Source(title="Deep learning myths", author="Holbox")
TRUTH = Record(id="myth-4-truth", section="myth-4", heading="Myth 4", kind="passage",
               text="Models can be trained on ordinary CPUs.", rating="true", source=SOURCE)
MYTH = Record(id="myth-4-claim", section="myth-4", heading="Myth 4", kind="claim", text="You need a GPU.",
              rating="false", source=SOURCE)


def fake_check(message: str) -> Report:
    """Judges every claim false, citing the CPU passage; remembers nothing."""
    claim = message.rstrip("?.")
    evidence = (Evidence(TRUTH, 0.8, 0.05, 0.1, 0.85), Evidence(MYTH, 0.7, 0.9, 0.05, 0.05))
    return Report(message, claims=(Verdict(statement=message, claim=claim, verdict="false", confidence=0.9,
                                           explanation="A myth.", citation=TRUTH, evidence=evidence, myth=MYTH),))


@pytest.mark.parametrize(("message", "kind"), [
    ("why?", "why"), ("Why is that?", "why"), ("explain", "why"), ("tell me more", "why"),
    ("source?", "source"), ("Where does it say that?", "source"), ("says who?", "source"),
    ("are you sure?", "sure"), ("Really?", "sure"), ("is that true?", "sure"), ("Is that a myth?", "sure"),
    ("is that always true?", "always"), ("Always?", "always"),
    ("Deep learning needs GPUs.", None), ("Why do neural networks need data?", None)])
def test_follow_ups_are_recognised(message, kind):
    assert follow_up(message) == kind


@pytest.mark.parametrize(("message", "fragment"), [
    ("what about TPUs?", "TPUs"), ("and for small datasets?", "for small datasets"), ("And for beginners?",
                                                                                        "for beginners"),
    ("How about data augmentation?", "data augmentation"), ("And GPUs are needed too.", None),
    ("Deep learning needs GPUs", None)])
def test_elliptical_turns_give_their_fragment(message, fragment):
    assert elliptical(message) == fragment


@pytest.mark.parametrize(("claim", "fragment", "rewritten"), [
    ("Deep learning requires GPUs", "TPUs", "Deep learning requires TPUs"),
    ("I need a GPU to train a model", "TPUs", "I need TPUs to train a model"),
    ("Deep learning is only for experts", "for beginners", "Deep learning is for beginners"),
    ("Only experts can use deep learning", "beginners", "Beginners can use deep learning"),
    ("You need a GPU to train a model", "for small datasets", "You need a GPU to train a model for small datasets"),
    ("Deep learning can solve any problem", "medical diagnosis", "Deep learning can solve medical diagnosis"),
    ("Cloud computing lowers the hardware barrier", "GPUs", "GPUs lower the hardware barrier"),
    ("TensorFlow is a deep learning framework", "Keras", "Keras is a deep learning framework"),
    ("Deep learning is the same thing as AI", "machine learning", "Deep learning is the same thing as machine learning"),
    ("Data bias is an open challenge", "interpretability", "Interpretability is an open challenge"),
])
def test_elliptical_turns_are_rewritten_against_the_previous_claim(claim, fragment, rewritten):
    assert rewrite_elliptical(claim, fragment) == rewritten


@pytest.mark.parametrize(("claim", "subject", "always"), [
    ("Deep learning requires GPUs", "Deep learning", "Deep learning always requires GPUs"),
    ("Transfer learning can reduce data needs", "Transfer learning", "Transfer learning can always reduce data needs"),
    ("Deep learning always needs data", "Deep learning", "Deep learning always needs data"),
    ("More training data generally improves a model", "More training data", "More training data always improves a model"),
    ("I need a GPU", None, "I always need a GPU"),
])
def test_subjects_and_absolute_versions(claim, subject, always):
    assert claim_subject(claim) == subject and absolute(claim) == always


@pytest.mark.parametrize(("message", "resolved"), [
    ("It always needs a PhD.", "Deep learning always needs a PhD."),
    ("Does it need a GPU?", "Does deep learning need a GPU?"),
    ("They are black boxes.", "Deep learning models are black boxes."),
    ("Is it true that GPUs help?", None), ("GPUs help.", None)])
def test_leading_pronouns_resolve_to_the_previous_subject(message, resolved):
    assert resolve_pronouns(message, "Deep learning") == (resolved or message, resolved is not None)
    assert resolve_pronouns(message, None) == (message, False)


def test_a_three_turn_conversation():
    talk = Conversation(fake_check)
    first = talk.say("Deep learning requires GPUs.")
    assert first.kind == "check" and first.rewritten is None
    why = talk.say("why?")
    assert why.kind == "why" and why.report is first.report
    assert "A myth." in why.reply and "ordinary CPUs" in why.reply and "contradiction 85%" in why.reply
    # The myth is among what was weighed: named as the myth there, and quoted nowhere else.
    assert why.reply.count("“You need a GPU.”") == 1 and "- The myth: “You need a GPU.” (Myth 4;" in why.reply
    tpus = talk.say("what about TPUs?")
    assert tpus.kind == "check" and tpus.rewritten == "Deep learning requires TPUs"
    assert tpus.report.claims[0].claim == "Deep learning requires TPUs" and tpus.report.statement == "what about TPUs?"
    data = tpus.to_dict()
    assert data["claim"] == "Deep learning requires TPUs" and "reply" not in data


def test_follow_up_replies():
    talk = Conversation(fake_check)
    talk.say("You need a GPU.")
    source = talk.say("source?")
    assert "Models can be trained on ordinary CPUs." in source.reply and "Myth 4" in source.reply
    assert "The myth it debunks: “You need a GPU.”" in source.reply
    sure = talk.say("are you sure?")
    assert sure.reply.startswith("I am 90% confident that it is false.")
    assert "No passage clearly supports the claim." in sure.reply and "Against the claim: “Models can" in sure.reply
    assert sure.reply.endswith("It was decided by the myth: “You need a GPU.”")
    assert sure.to_dict()["reply"] == sure.reply and sure.to_dict()["verdict"] == "false"
    always = talk.say("is that always true?")
    assert always.rewritten == "You always need a GPU"


def test_are_you_sure_gives_the_confidence_of_an_unverifiable_verdict_too():
    def unknown(message: str) -> Report:
        return Report(message, claims=(Verdict(message, message, "unverifiable", 0.62, "Not covered.", None),))

    talk = Conversation(unknown)
    talk.say("Cats purr.")
    assert talk.say("are you sure?").reply == "I am 62% confident that the knowledge base does not decide this."


def test_pronouns_in_a_new_statement_use_the_previous_subject():
    talk = Conversation(fake_check)
    talk.say("Deep learning requires GPUs.")
    turn = talk.say("It is only for experts.")
    assert turn.rewritten == "Deep learning is only for experts."


def test_an_unresolvable_pronoun_is_checked_as_written_with_a_note():
    talk = Conversation(fake_check)
    talk.say("You need a GPU.")  # "you" is no subject "it" can mean
    turn = talk.say("It is only for experts.")
    assert turn.rewritten is None and turn.report.claims[0].claim == "It is only for experts"
    assert any("could not tell what “It” refers to" in note for note in turn.report.notes)
    assert "notes" in turn.to_dict()


def test_after_several_sentences_follow_ups_answer_for_each_and_build_on_the_last():
    def two(message: str) -> Report:
        first, second = fake_check("Deep learning needs GPUs").claims[0], fake_check("It needs data").claims[0]
        return Report(message, claims=(first, second)) if "." in message.rstrip(".") else fake_check(message)

    talk = Conversation(two)
    talk.say("Deep learning needs GPUs. It needs data.")
    why = talk.say("why?")
    assert why.reply.count("A myth.") == 2 and "“Deep learning needs GPUs”: " in why.reply
    assert talk.say("is that always true?").rewritten == "It always needs data"


def test_a_follow_up_with_nothing_before_says_so():
    turn = Conversation(fake_check).say("why?")
    assert turn.kind == "none" and turn.reply == NO_CONTEXT and turn.to_dict() == {"reply": NO_CONTEXT}


def test_after_a_quiz_follow_ups_are_about_the_answer():
    options = tuple(QuizOption(label, text, fake_check(text).claims[0]) for label, text in (("A", "x"), ("B", "y")))
    quiz = QuizResult(question="Which is NOT true about neural networks?", asks_for="false", options=options,
                      answer=("B",), explanation="B.")
    context = Context(Report("quiz", quiz=quiz))
    assert context.claim == "y" and context.subject == "neural networks"
    assert Conversation(fake_check, context).say("source?").kind == "source"
