"""Hybrid retrieval over the knowledge base: dense (FAISS) fused with lexical (BM25).

Dense similarity finds paraphrases; BM25 catches rare technical terms ("LRP", "SHAP")
that a small embedding model blurs. The fused score is a weighted sum of the cosine
similarity and the BM25 score scaled to [0, 1] by the query's best BM25 score.
"""

from __future__ import annotations

import re
from typing import Sequence

import bm25s
import faiss
import numpy as np
import Stemmer

from bot.config import DEFAULT_KNOWLEDGE, Settings
from bot.knowledge.index_store import IndexCache, load_shipped, read_manifest, shipped_vectors
from bot.knowledge.load import fingerprint, knowledge_files, load_knowledge
from bot.knowledge.records import NOT_COVERED, Hit, Record
from bot.models.runtime import EmbedderRunner, make_embedder

# Chosen on tests/data/retrieval_queries.jsonl (see README, "Retrieval quality").
LEXICAL_WEIGHT = 0.2
# The stemmer keeps "GPUs" apart from "GPU": fold plural acronyms before tokenising.
_PLURAL_ACRONYM = re.compile(r"\b([A-Z]{2,})s\b")


def knowledge_records(settings: Settings) -> list[Record]:
    """The records to index and search: those of every knowledge folder.

    With folders of the user's own, the article's "not covered" statements are left out: they
    say what the article leaves undecided, and the user's notes may well decide it ("Dropout
    reduces overfitting" would otherwise stay unverifiable against notes on dropout).
    """
    records = load_knowledge(settings.knowledge_dirs)
    if settings.own_folders:
        records = [record for record in records if record.section != NOT_COVERED]
    return records


def index_cache(settings: Settings, embedder: EmbedderRunner) -> IndexCache:
    """The cache of indexes with the user's folders, seeded with the shipped vectors when current."""
    known = shipped_vectors(settings.index_dir, embedder.key, fingerprint(knowledge_files([DEFAULT_KNOWLEDGE])))
    return IndexCache(settings.cache_dir, embedder, known=known)


class Retriever:
    """Top-k knowledge records for a query."""

    def __init__(self, records: list[Record], index: faiss.Index, embedder: EmbedderRunner,
                 *, lexical_weight: float = LEXICAL_WEIGHT) -> None:
        if index.ntotal != len(records):
            raise ValueError("the index and the records are not aligned")
        self.records = records
        self.index = index
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self._restated = np.array([record.is_restatement for record in records], dtype=bool)
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        self._bm25.index(self._tokens([f"{r.heading} {r.model_text}" for r in records]), show_progress=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Retriever":
        """Load the knowledge, then its index: the shipped one, or one in the cache.

        The shipped index serves the built-in knowledge with the embedder it was built with;
        with the user's own folders or another embedder, the index comes from the cache.
        """
        records = knowledge_records(settings)
        embedder = make_embedder(settings)
        shipped_embedder = (read_manifest(settings.index_dir) or {}).get("embedder", embedder.key)
        if not settings.own_folders and shipped_embedder == embedder.key:
            digest = fingerprint(knowledge_files(settings.knowledge_dirs))
            index = load_shipped(settings.index_dir, records, digest, embedder.key)
        else:
            index = index_cache(settings, embedder).load(records, settings.knowledge_dirs).index
        return cls(records, index, embedder)

    def _tokens(self, texts: Sequence[str]):
        texts = [_PLURAL_ACRONYM.sub(r"\1", text) for text in texts]
        return bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer.stemWords,
                              show_progress=False, return_ids=False)

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The k best records for one query, best first."""
        return self.search_many([query], k)[0]

    def search_many(self, queries: Sequence[str], k: int = 5, *, restatements: int | None = None) -> list[list[Hit]]:
        """`search` for many queries with one batched embedding pass.

        With `restatements`, the k best article records and, apart from them, that many
        best restatements (which are many and short, and would crowd records out of one
        ranking), all best first.
        """
        if k <= 0:
            raise ValueError("k must be positive")
        if not queries:
            return []
        dense, ids = self.index.search(self.embedder.encode(list(queries)), len(self.records))
        results = []
        for row, tokens in enumerate(self._tokens(queries)):
            cosine = np.zeros(len(self.records), dtype=np.float32)
            cosine[ids[row]] = dense[row]
            lexical = self._bm25.get_scores(tokens) if tokens else np.zeros(len(self.records))
            top = float(lexical.max()) if len(lexical) else 0.0
            lexical = lexical / top if top > 0 else lexical
            fused = (1 - self.lexical_weight) * cosine + self.lexical_weight * lexical
            order = np.argsort(-fused, kind="stable")
            if restatements is None:
                best = order[:k]
            else:
                best = np.sort(np.concatenate([order[~self._restated[order]][:k],
                                               order[self._restated[order]][:restatements]]))
                best = best[np.argsort(-fused[best], kind="stable")]
            results.append([
                Hit(record=self.records[i], score=float(np.clip(fused[i], 0.0, 1.0)), rank=rank)
                for rank, i in enumerate(best, start=1)
            ])
        return results
