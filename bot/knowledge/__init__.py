"""Knowledge and retrieval: what the checker knows, and finding the part of it a claim is about.

Owns the record type (`records`), loading the article's YAML and the user's own files
(`load`), the FAISS index on disk (`index_store`) and hybrid dense + BM25 retrieval
(`retrieve`).

May import: `bot.text`, `bot.models`, and the modules at the top of `bot`.
"""
