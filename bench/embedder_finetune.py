"""Does an embedder fine-tuned on the claim bank retrieve better than the packaged one?

    python bench/embedder_finetune.py [--epochs 3] [--save DIR]

Fine-tunes all-MiniLM-L6-v2 with sentence-transformers' MultipleNegativesRankingLoss on
(restatement, the record it restates) pairs from the knowledge base's claim bank, then
compares it with the packaged model on retrieval that no training saw:

* the hand-written retrieval queries (record ids): expected record first / in the top 3;
* the real-world statements that the article covers, per part (sections only): the first
  article record, and the first restatement, lie in a labelled section.

The real-world statements are scored in aggregate; nothing here trains on them. `--save`
writes the tuned model in the project's delta format (`bot.models.embedder.save_tuned`); the
shipped embedder, `models/embedder-minilm-l6`, is this script's `--save` with the defaults.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np  # noqa: E402

from bot.config import PACKAGED_ENCODER, PROJECT_ROOT, load_settings, resolve_model_path  # noqa: E402
from bot.evaluation import realworld  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402
from bot.knowledge.index_store import flat_index, passage_text  # noqa: E402
from bot.knowledge.retrieve import Retriever, knowledge_records  # noqa: E402
from bot.models.embedder import Embedder, save_tuned  # noqa: E402
from bot.text.claims import read_claim  # noqa: E402

QUERIES = PROJECT_ROOT / "tests" / "data" / "retrieval_queries.jsonl"
SEED = 13


def restatement_pairs(records) -> list[tuple[str, str, str]]:
    """(restatement, restated record's text, record id) for every restatement."""
    by_id = {record.id: record for record in records}
    return [(r.model_text, by_id[r.about].model_text, r.about) for r in records if r.is_restatement and r.about]


def polarity_triplets(records, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(restatement, another of its record on the same side, one on the opposite side, record id).

    MultipleNegativesRankingLoss then pulls restatements of one side together and pushes the
    other side away, so the nearest restatement's rating says something about the claim.
    """
    sides: dict[tuple[str, str], list[str]] = {}
    for r in records:
        if r.is_restatement and r.about and r.rating in ("true", "false"):
            sides.setdefault((r.about, r.rating), []).append(r.model_text)
    triplets = []
    for (about, rating), texts in sorted(sides.items()):
        others = sides.get((about, "false" if rating == "true" else "true"), [])
        for text in texts:
            same = [t for t in texts if t != text]
            if same and others:
                triplets.append((text, rng.choice(same), rng.choice(others), about))
    return triplets


def batches(pairs, size: int, rng: random.Random):
    """Shuffled batches in which no record appears twice (a repeat would be a false negative).

    Each item ends with its record id: (texts..., record id).
    """
    pending = pairs[:]
    rng.shuffle(pending)
    while pending:
        batch, seen, rest = [], set(), []
        for pair in pending:
            if len(batch) < size and pair[-1] not in seen:
                batch.append(pair)
                seen.add(pair[-1])
            else:
                rest.append(pair)
        yield batch
        pending = rest


def fine_tune(base: str, pairs, *, epochs: int, batch_size: int, lr: float, triplets=()):
    """The packaged model after MNRL training on `pairs` (and `triplets`, in batches of their own)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    torch.manual_seed(SEED)
    model = SentenceTransformer(resolve_model_path(base), device="cpu")
    loss = MultipleNegativesRankingLoss(model)
    # The word embeddings stay at their packaged values, so the tuned model ships as the
    # tensors that differ from the base (as the NLI model does), not as a whole copy.
    model[0].auto_model.embeddings.word_embeddings.weight.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=lr, weight_decay=0.0)
    rng = random.Random(SEED)
    model.train()
    for epoch in range(epochs):
        total, steps = 0.0, 0
        plan = list(batches(pairs, batch_size, rng)) + list(batches(list(triplets), batch_size, rng))
        if triplets:  # without them the batches keep the order that made the shipped model
            rng.shuffle(plan)
        for batch in plan:
            columns = len(batch[0]) - 1  # the texts; the record id comes last
            features = [model.preprocess([p[column] for p in batch]) for column in range(columns)]
            value = loss(features, torch.tensor([]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            total, steps = total + value.item(), steps + 1
        print(f"epoch {epoch + 1}: mean loss {total / steps:.3f} over {steps} batches", flush=True)
    model.eval()
    return model


class _Loaded(Embedder):
    """An Embedder around a model already in memory."""

    def __init__(self, model) -> None:
        super().__init__("in-memory")
        self._model = model


def retriever_for(embedder: Embedder, records) -> Retriever:
    """A retriever over `records` indexed in memory by `embedder`."""
    return Retriever(records, flat_index(embedder.encode([passage_text(r) for r in records])), embedder)


def scores(retriever: Retriever) -> dict[str, float]:
    """The retrieval figures of one embedder."""
    out = {}
    queries = [row for _, row in read_jsonl(QUERIES)]
    hits = retriever.search_many([q["query"] for q in queries], k=3)
    out["queries first"] = np.mean([h[0].record.root_id in q["expected"] for h, q in zip(hits, queries)])
    out["queries top-3"] = np.mean([any(x.record.root_id in q["expected"] for x in h) for h, q in zip(hits, queries)])
    for part in realworld.PARTS:
        rows = [row for row in realworld.load_part(part) if row.verdict != "unverifiable"]
        hits = retriever.search_many([read_claim(row.statement)[0] for row in rows], k=3, restatements=4)
        records = [[x for x in h if not x.record.is_restatement] for h in hits]
        bank = [[x for x in h if x.record.is_restatement] for h in hits]
        out[f"{part} record first"] = np.mean([r[0].record.section in row.sections for r, row in zip(records, rows)])
        out[f"{part} restatement first"] = np.mean([bool(b) and b[0].record.section in row.sections
                                                    for b, row in zip(bank, rows)])
        out[f"{part} any hit"] = np.mean([any(x.record.section in row.sections for x in h) for h, row in zip(hits, rows)])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--polarity", action="store_true",
                        help="also train on (restatement, same side, opposite side) triplets of each record")
    parser.add_argument("--save", help="write the tuned model to this folder")
    args = parser.parse_args()
    settings = load_settings()
    records = knowledge_records(settings)
    base = scores(retriever_for(Embedder(PACKAGED_ENCODER), records))
    triplets = polarity_triplets(records, random.Random(SEED)) if args.polarity else []
    model = fine_tune(PACKAGED_ENCODER, restatement_pairs(records), epochs=args.epochs,
                      batch_size=args.batch_size, lr=args.lr, triplets=triplets)
    tuned = scores(retriever_for(_Loaded(model), records))
    print(f"{'figure':<28}{'packaged':>10}{'tuned':>10}")
    for name in base:
        print(f"{name:<28}{base[name]:>10.3f}{tuned[name]:>10.3f}")
    if args.save:
        save_tuned(model, args.save, base=PACKAGED_ENCODER)
        print(f"saved to {args.save}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
