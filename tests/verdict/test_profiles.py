"""The reader profiles: `accurate` (the MPNet reader reads the article's records) and `fast` (MiniLM reads all)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import DEFAULT_DEEP_NLI_MODEL, DEFAULT_NLI_MODEL, load_settings
from bot.errors import UsageError
from bot.interfaces import cli
from bot.verdict.checker import Checker


def test_the_profile_comes_from_the_environment_or_a_flag_and_picks_the_verdict_layer():
    assert load_settings({"CLAIMCHECK_PROFILE": "fast"}).reader_model == DEFAULT_NLI_MODEL
    assert load_settings({"CLAIMCHECK_PROFILE": "Accurate"}).reader_model == DEFAULT_DEEP_NLI_MODEL
    assert load_settings({"CLAIMCHECK_PROFILE": "accurate"}, profile="fast").profile == "fast"
    with pytest.raises(UsageError, match="unknown profile 'slow'.*CLAIMCHECK_PROFILE or --profile"):
        load_settings({"CLAIMCHECK_PROFILE": "slow"})


def test_a_bad_profile_flag_is_a_usage_error(capsys):
    assert cli.main(["check", "GPUs speed up training.", "--profile", "slow"]) == 2
    assert "invalid choice: 'slow'" in capsys.readouterr().err


def test_the_fast_profile_reads_every_pair_with_minilm(settings, retriever, checker):
    fast = Checker(replace(settings, profile="fast"), retriever=retriever, nli=checker.nli,
                   notes_nli=checker.notes_nli)
    assert fast.deep_nli is None
    assert {fast._reader_of(record) for record in retriever.records} == {fast.nli}


def test_the_accurate_profile_reads_article_records_deeply_and_restatements_with_minilm(settings, retriever, checker):
    accurate = Checker(replace(settings, profile="accurate"), retriever=retriever, nli=checker.nli,
                       notes_nli=checker.notes_nli)
    readers = {record.is_restatement: accurate._reader_of(record) for record in retriever.records}
    assert readers == {True: accurate.nli, False: accurate.deep_nli}
    assert accurate.deep_nli.name_or_path == DEFAULT_DEEP_NLI_MODEL
