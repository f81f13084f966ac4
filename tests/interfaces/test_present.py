"""Plain-text answers for the terminal (no models needed)."""

from __future__ import annotations

from bot.interfaces.present import format_report, plural, read_as
from bot.knowledge.records import Record, Source
from bot.verdict.report import QuizOption, QuizResult, Report, Verdict

SOURCE = Source(title="Myths", author="Holbox")
TRUTH = Record(id="myth-4-truth", section="myth-4", heading="Myth 4", kind="passage",
               text="Models can be trained on CPUs.", rating="true", source=SOURCE)
MYTH = Record(id="myth-4-claim", section="myth-4", heading="Myth 4", kind="claim", text="You need a GPU.",
              rating="false", source=SOURCE)


def verdict(claim: str, label: str = "false", **fields) -> Verdict:
    return Verdict(statement=claim, claim=claim, verdict=label, confidence=0.84, explanation="Why.",
                   citation=None if label == "unverifiable" else TRUTH, **fields)


def test_a_myth_shows_apart_from_the_cited_passage():
    text = format_report(Report("q", claims=(verdict("I need a GPU", myth=MYTH),)))
    assert "✘ FALSE  (84% confident)  I need a GPU" in text
    assert text.index("Source:") < text.index("“Models can be trained on CPUs.”") < text.index(
        "The myth: “You need a GPU.” [myth-4-claim]")


def test_every_verdict_has_a_confidence_unverifiable_included():
    text = format_report(Report("q", claims=(verdict("Cats purr", "unverifiable"),)))
    assert text.startswith("? UNVERIFIABLE  (84% confident)  Cats purr")


def test_a_claim_the_article_qualifies_is_named_as_such():
    nuanced = Record(id="intro-ai", section="intro", heading="Intro", kind="claim", text="DL is AI.", rating="nuanced",
                     source=SOURCE)
    text = format_report(Report("q", claims=(verdict("DL is AI", "nuanced", myth=nuanced),)))
    assert "The claim the article qualifies: “DL is AI.” [intro-ai]" in text


def test_several_sentences_start_with_the_overall_verdict():
    text = format_report(Report("a. b.", claims=(verdict("a", "true"), verdict("b"))))
    assert text.startswith("Overall: ≈ NUANCED")


def test_quiz_headings_answers_and_read_as():
    options = (QuizOption("1", "deep learning needs a GPU.", verdict("Deep learning needs a GPU")),)
    tf = QuizResult("True or false: ...", "true", options, ("False",), "False: why.", kind="true_or_false")
    text = format_report(Report("q", quiz=tf))
    assert text.startswith("Quiz: true or false?  Answer: False") and "read as" not in text
    assert "1) ✘ FALSE (84%)  Deep learning needs a GPU." in text  # typed in lower case, shown as a sentence
    composed = (QuizOption("A", "Transfer learning", verdict("Transfer learning reuses models", "true")),
                QuizOption("B", "SHAP", verdict("SHAP reuses models", "unverifiable")))
    guess = QuizResult("Which method reuses models?", "true", composed, ("A",), "Best guess: A.", kind="all",
                       certain=False)
    text = format_report(Report("q", quiz=guess))
    assert text.startswith("Quiz: which options are true?  Answer: A (best guess)")
    assert "Transfer learning  (read as: Transfer learning reuses models)" in text


def test_words():
    assert (plural(1, "row"), plural(2, "row"), plural(0, "error")) == ("1 row", "2 rows", "0 errors")
    assert read_as("It needs data", "Deep learning needs data") == "Deep learning needs data"
    assert read_as("needs data.", "Needs data") is None


def test_a_low_confidence_says_it_is_a_tentative_reading():
    unsure = Verdict(statement="q", claim="I need a GPU", verdict="false", confidence=0.55, explanation="Why.",
                     citation=TRUTH)
    assert "✘ FALSE  (55% confident, low: a tentative reading)  I need a GPU" in format_report(
        Report("q", claims=(unsure,)))
    assert "low" not in format_report(Report("q", claims=(verdict("I need a GPU"),))).split("\n")[0]
