"""Retrieval quality over hand-written queries, and the hybrid ranking's behaviour."""

from __future__ import annotations

import json

import pytest

from bot.config import PROJECT_ROOT

QUERIES = [json.loads(line) for line in (PROJECT_ROOT / "tests" / "data" / "retrieval_queries.jsonl").open()]


def test_queries_cover_every_record(retriever):
    expected = {record_id for query in QUERIES for record_id in query["expected"]}
    assert len(QUERIES) >= 60
    assert {r.id for r in retriever.records if not r.is_restatement} <= expected


def test_retrieval_quality_targets(retriever):
    results = retriever.search_many([q["query"] for q in QUERIES], k=3)
    # A restatement found stands for the record it restates.
    first = sum(hits[0].record.root_id in q["expected"] for hits, q in zip(results, QUERIES)) / len(QUERIES)
    top3 = sum(any(h.record.root_id in q["expected"] for h in hits) for hits, q in zip(results, QUERIES)) / len(QUERIES)
    assert top3 >= 0.95, f"top-3 {top3:.3f}"
    assert first >= 0.85, f"first {first:.3f}"


def test_gpu_question_ranks_hardware_passages_first(retriever):
    hits = retriever.search("do I need a GPU", k=3)
    assert all(h.record.section == "myth-4" for h in hits)


@pytest.mark.parametrize(("query", "record_id"), [("SHAP", "myth-2-shap"), ("LRP", "myth-2-lrp"),
                                                  ("back-translation", "myth-1-augmentation-text")])
def test_rare_technical_terms_are_found(retriever, query, record_id):
    assert retriever.search(query, k=1)[0].record.root_id == record_id


def test_scores_are_sorted_and_bounded(retriever):
    hits = retriever.search("deep learning is only for experts", k=5)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]


def test_bad_k_is_refused(retriever):
    with pytest.raises(ValueError):
        retriever.search("x", k=0)


def test_restatements_get_their_own_quota_beside_the_article_records(retriever):
    hits = retriever.search_many(["Do I need a GPU to train a neural network?"], k=3, restatements=4)[0]
    kinds = [hit.record.is_restatement for hit in hits]
    assert kinds.count(False) == 3 and kinds.count(True) == 4
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
