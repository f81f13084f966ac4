"""What the MPNet reader (the `accurate` profile) reads that MiniLM misread: capabilities, each
with several wordings. The statements are written for these tests, apart from the real-world sets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.verdict.checker import Checker


@pytest.fixture(scope="module")
def accurate(settings, retriever, checker):
    deep = Checker(replace(settings, profile="accurate"), retriever=retriever, nli=checker.nli,
                   notes_nli=checker.notes_nli)
    deep.warm_up()
    return deep


def verdicts(checker: Checker, statements: list[str]) -> list[str]:
    return [report.headline.verdict for report in checker.check_many(statements)]


def test_negated_and_hedged_absolutes_hold(accurate):
    statements = ["Deep learning doesn't always need a GPU.", "Not every problem is best solved by deep learning.",
                  "You don't always need millions of examples to train a useful deep learning model."]
    assert verdicts(accurate, statements) == ["true"] * len(statements)


def test_paraphrased_support_holds(accurate):
    statements = ["Transfer learning reduces the amount of data you need.",
                  "Larger datasets generally lead to better deep learning performance."]
    assert verdicts(accurate, statements) == ["true"] * len(statements)


def test_the_myths_in_new_words_are_false(accurate):
    statements = ["Deep learning always needs a GPU.", "You can only do deep learning with a PhD.",
                  "Deep learning models are complete black boxes that can never be interpreted."]
    assert verdicts(accurate, statements) == ["false"] * len(statements)


def test_specifics_beyond_the_article_are_unverifiable(accurate):
    statements = ["A 2019 study found deep learning models need 10,000 labelled images per class.",
                  "TPUs train transformers three times faster than GPUs."]
    assert verdicts(accurate, statements) == ["unverifiable"] * len(statements)


def test_unsure_readings_are_flagged_low_confidence(accurate):
    reports = accurate.check_many(["Is a GPU optional for deep learning?", "Deep learning always needs a GPU."])
    # The first is still misread (the article says a GPU is not strictly necessary), but not shown as firm.
    assert [report.to_dict()["low_confidence"] for report in reports] == [True, False]
