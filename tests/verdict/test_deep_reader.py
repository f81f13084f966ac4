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


# Each capability: wordings written for it, and the verdict every one of them must get.
CAPABILITIES = {
    "negated and hedged absolutes hold": (
        ["Deep learning doesn't always need a GPU.", "Not every problem is best solved by deep learning.",
         "You don't always need millions of examples to train a useful deep learning model."], "true"),
    "paraphrased support holds": (
        ["Transfer learning reduces the amount of data you need.",
         "Larger datasets generally lead to better deep learning performance."], "true"),
    "the myths in new words are false": (
        ["Deep learning always needs a GPU.", "You can only do deep learning with a PhD.",
         "Deep learning models are complete black boxes that can never be interpreted."], "false"),
    "specifics beyond the article are unverifiable": (
        ["A 2019 study found deep learning models need 10,000 labelled images per class.",
         "TPUs train transformers three times faster than GPUs."], "unverifiable"),
}


@pytest.mark.parametrize(("statements", "expected"), CAPABILITIES.values(), ids=CAPABILITIES.keys())
def test_capability(accurate, statements, expected):
    got = [report.headline.verdict for report in accurate.check_many(statements)]
    assert got == [expected] * len(statements)


def test_unsure_readings_are_flagged_low_confidence(accurate):
    reports = accurate.check_many(["Is a GPU optional for deep learning?", "Deep learning always needs a GPU."])
    # The first is still misread (the article says a GPU is not strictly necessary), but not shown as firm.
    assert [report.to_dict()["low_confidence"] for report in reports] == [True, False]
