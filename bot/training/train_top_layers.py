"""Fine-tune only the top layers of a large encoder into an NLI classifier, on cached lower layers.

MPNet-base runs 7.5x slower than MiniLM-L6 on these CPUs; trained whole, one pass over the
NLI data takes hours. Here its lower `--frozen` layers run once per pair (`LayerCache`), and
each step runs only the layers above them and the classifier head. Training checkpoints
every `--checkpoint-every` steps and `--resume` continues from the last checkpoint, batch
for batch, so a long run survives a closed session. The result is saved in the shipped
format: the trained matrices as int8 differences from the base, per row
(`bot.models.weights.save_delta`).

    python -m bot.training.train_top_layers --base <all-mpnet-base-v2 folder> \
        --train data.jsonl:2 other.jsonl:0.5 --dev dev.jsonl --output runs/nli-mpnet
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from bot.evaluation.nli_pairs import read_pairs
from bot.models.nli import LABELS, save_model
from bot.training.layer_cache import LayerCache
from bot.training.train_nli import length_batches, linear_schedule, load_training_pairs

CHECKPOINT = "checkpoint.pt"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.training.train_top_layers", description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the encoder's folder (e.g. the assembled all-mpnet-base-v2)")
    parser.add_argument("--base-name", default="sentence-transformers/all-mpnet-base-v2",
                        help="the name the shipped manifest gives the base")
    parser.add_argument("--train", nargs="+", required=True, metavar="PATH[:WEIGHT]", help="training JSONL files")
    parser.add_argument("--dev", nargs="*", default=[], metavar="PATH", help="dev JSONL files, scored at checkpoints")
    parser.add_argument("--dev-limit", type=int, default=500, help="pairs taken from each dev file")
    parser.add_argument("--cache", required=True, type=Path, help="folder of the lower layers' outputs")
    parser.add_argument("--frozen", type=int, default=8, help="lower encoder layers left frozen (and cached)")
    parser.add_argument("--output", required=True, type=Path, help="folder for the trained model")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=5e-4, help="learning rate of the new classifier head")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--warmup", type=float, default=0.06)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--checkpoint-every", type=int, default=200)
    parser.add_argument("--max-steps", type=int, default=0,
                        help="end the run (and its learning-rate decay) after this many steps; 0: the epochs' steps. "
                             "A resumed run may shorten it")
    parser.add_argument("--resume", action="store_true", help="continue from the output's checkpoint")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=0)
    return parser.parse_args(argv)


def build_classifier(base: str):
    """A 3-label sequence classifier on the base encoder's weights, its head seeded fresh."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)})
    return model, AutoTokenizer.from_pretrained(base)


class TopLayers(torch.nn.Module):
    """The encoder's layers above `frozen` and the classifier head, fed cached hidden states."""

    def __init__(self, model, frozen: int) -> None:
        super().__init__()
        encoder = model.base_model.encoder
        # A bound method, not a submodule: checkpoints hold only the trained layers and head.
        self.position_bias = encoder.compute_position_bias
        self.layers = encoder.layer[frozen:]
        self.head = model.classifier

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(hidden.dtype).min
        bias = self.position_bias(hidden)
        for layer in self.layers:
            hidden = layer(hidden, attention_mask=additive, position_bias=bias)[0]
        return self.head(hidden)


def gather(cache: LayerCache, pairs: list[tuple[str, str]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded float32 hidden states and the attention mask of a batch of cached pairs."""
    states = [cache.states(pair) for pair in pairs]
    width = max(len(s) for s in states)
    hidden = np.zeros((len(states), width, states[0].shape[1]), dtype=np.float32)
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for row, s in enumerate(states):
        hidden[row, : len(s)] = s
        mask[row, : len(s)] = 1
    return torch.from_numpy(hidden), mask


@torch.inference_mode()
def accuracy(top: TopLayers, cache: LayerCache, rows: list, batch_size: int = 64) -> float:
    top.eval()
    correct = 0
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        hidden, mask = gather(cache, [(r.premise, r.hypothesis) for r in chunk])
        predicted = top(hidden, mask).argmax(-1)
        correct += sum(int(p) == LABELS.index(r.label) for p, r in zip(predicted, chunk))
    top.train()
    return correct / max(len(rows), 1)


def train(args: argparse.Namespace) -> dict:
    """Cache the lower layers, train the top ones, save the shipped model; returns the last dev scores."""
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    model, tokenizer = build_classifier(args.base)
    rows = load_training_pairs(args.train, random.Random(args.seed))
    dev = {path: random.Random(args.seed).sample(r := read_pairs(path), min(len(r), args.dev_limit))
           for path in args.dev}
    cache = LayerCache(args.cache, args.frozen)
    model.eval()
    cache.add([(r.premise, r.hypothesis) for r in rows + [r for d in dev.values() for r in d]],
              model.base_model, tokenizer, args.max_length)

    for param in model.parameters():
        param.requires_grad = False
    top = TopLayers(model, args.frozen)
    body = [p for layer in top.layers for p in layer.parameters()]
    for param in [*body, *top.head.parameters()]:
        param.requires_grad = True
    optimizer = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": list(top.head.parameters()),
                                   "lr": args.head_lr}], weight_decay=args.weight_decay)
    lengths = [cache.token_count((r.premise, r.hypothesis)) for r in rows]
    per_epoch = math.ceil(len(rows) / args.batch_size)
    total = min(per_epoch * args.epochs, args.max_steps or per_epoch * args.epochs)
    warmup = max(1, int(total * args.warmup))
    schedule = linear_schedule(optimizer, total, warmup)

    args.output.mkdir(parents=True, exist_ok=True)
    checkpoint = args.output / CHECKPOINT
    step = 0
    if args.resume and checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        top.load_state_dict(saved["top"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        step = saved["step"]
        torch.set_rng_state(saved["torch_rng"])
        print(f"resumed at step {step}/{total}", file=sys.stderr, flush=True)
    log_path = args.output / "train.log.jsonl"
    started, running, seen = time.time(), 0.0, 0
    scores: dict = {}

    def save_checkpoint() -> None:
        nonlocal scores, running, seen
        scores = {str(path): round(accuracy(top, cache, d), 4) for path, d in dev.items()}
        record = {"step": step, "of": total, "loss": round(running / max(seen, 1), 4), "dev": scores,
                  "minutes": round((time.time() - started) / 60, 1)}
        print(json.dumps(record), file=sys.stderr, flush=True)
        with log_path.open("a") as log:
            log.write(json.dumps(record) + "\n")
        running, seen = 0.0, 0
        partial = checkpoint.with_suffix(".partial")
        torch.save({"top": top.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                    "step": step, "torch_rng": torch.get_rng_state()}, partial)
        partial.replace(checkpoint)

    top.train()
    loss_of = torch.nn.CrossEntropyLoss()
    for epoch in range(step // per_epoch, args.epochs):
        # Seeded by epoch, so a resumed run sees the same batches in the same order.
        batches = length_batches(lengths, args.batch_size, random.Random(args.seed + epoch))
        for batch in batches[step - epoch * per_epoch :]:
            if step >= total:
                break
            hidden, mask = gather(cache, [(rows[i].premise, rows[i].hypothesis) for i in batch])
            labels = torch.tensor([LABELS.index(rows[i].label) for i in batch])
            loss = loss_of(top(hidden, mask), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running, seen = running + loss.item(), seen + 1
            if step % 50 == 0:
                print(f"step {step}/{total} loss {running / seen:.4f} {(time.time() - started) / 60:.1f} min",
                      file=sys.stderr, flush=True)
            if step % args.checkpoint_every == 0:
                save_checkpoint()
    if step % args.checkpoint_every:
        save_checkpoint()
    trained = {name for name, param in model.named_parameters() if param.requires_grad}
    shared = [name for name in model.state_dict() if name not in trained]
    save_model(model, tokenizer, args.output / "model", base=args.base_name, shared=shared, base_path=args.base)
    return scores


def main(argv: list[str] | None = None) -> int:
    print(json.dumps({"dev": train(parse_args(argv))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
