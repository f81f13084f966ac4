"""Fine-tune the NLI cross-encoder: `python -m bot.training.train_nli --help`.

Training files are given as `PATH` or `PATH:WEIGHT` (WEIGHT 2 repeats the file twice,
0.5 takes a seeded random half). The word-embedding matrix stays frozen at the base
model's values, so the shipped folder only stores the layers that change.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch

from bot.config import PACKAGED_ENCODER, resolve_model_path
from bot.evaluation.nli_pairs import NLIPair, read_pairs
from bot.models.nli import LABELS, load_classifier, save_model
from bot.models.weights import base_of, is_shipped_format

FROZEN = ("bert.embeddings.word_embeddings.weight",)


def weighted_file(spec: str) -> tuple[Path, float]:
    path, _, weight = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    return Path(path), float(weight)


def load_training_pairs(specs: list[str], rng: random.Random) -> list[NLIPair]:
    """Read each `PATH[:WEIGHT]` file and repeat or subsample it by its weight."""
    pairs: list[NLIPair] = []
    for spec in specs:
        path, weight = weighted_file(spec)
        rows = read_pairs(path)
        whole, fraction = int(weight), weight - int(weight)
        pairs.extend(rows * whole)
        if fraction:
            pairs.extend(rng.sample(rows, round(len(rows) * fraction)))
    return pairs


def length_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: little padding, still random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lengths.__getitem__)
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def linear_schedule(optimizer, total: int, warmup: int):
    """The learning rate rises linearly for `warmup` steps, then falls linearly to zero at step `total`."""
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup + 1))))


def encode(tokenizer, pairs: list[NLIPair], max_length: int) -> list[dict]:
    encoded = tokenizer(
        [p.premise for p in pairs], [p.hypothesis for p in pairs], truncation="longest_first", max_length=max_length
    )
    return [
        {"input_ids": ids, "token_type_ids": types, "label": LABELS.index(p.label)}
        for ids, types, p in zip(encoded["input_ids"], encoded["token_type_ids"], pairs)
    ]


def collate(items: list[dict], label_ids: list[int]) -> dict[str, torch.Tensor]:
    width = max(len(item["input_ids"]) for item in items)
    ids = torch.zeros(len(items), width, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, item in enumerate(items):
        n = len(item["input_ids"])
        ids[row, :n] = torch.tensor(item["input_ids"])
        types[row, :n] = torch.tensor(item["token_type_ids"])
        mask[row, :n] = 1
    labels = torch.tensor([label_ids[item["label"]] for item in items])
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask, "labels": labels}


@torch.inference_mode()
def accuracy(model, items: list[dict], label_ids: list[int], batch_size: int = 128) -> float:
    model.eval()
    order = sorted(range(len(items)), key=lambda i: len(items[i]["input_ids"]))
    correct = 0
    for start in range(0, len(order), batch_size):
        batch = collate([items[i] for i in order[start : start + batch_size]], label_ids)
        labels = batch.pop("labels")
        correct += int((model(**batch).logits.argmax(-1) == labels).sum())
    model.train()
    return correct / max(len(items), 1)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.training.train_nli", description=__doc__.splitlines()[0])
    parser.add_argument("--train", nargs="+", required=True, metavar="PATH[:WEIGHT]", help="training JSONL files")
    parser.add_argument("--dev", nargs="*", default=[], metavar="PATH", help="dev JSONL files for model selection")
    parser.add_argument("--dev-limit", type=int, default=2000, help="pairs taken from each dev file")
    parser.add_argument("--output", required=True, type=Path, help="folder for the best model")
    parser.add_argument("--init", default=PACKAGED_ENCODER, help="base model id/path, or a claimcheck model folder")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--max-steps", type=int, default=0, help="train for this many steps (0: no limit)")
    parser.add_argument("--stop-at", type=int, default=0,
                        help="stop after this step but keep the learning-rate schedule of the full run")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--warmup", type=float, default=0.06, help="fraction of steps with rising learning rate")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--eval-every", type=int, default=0, help="also evaluate every N steps (0: once per epoch)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    return parser.parse_args(argv)


def build_model(init: str):
    """A 3-label classifier from a base encoder, or a previously trained claimcheck model."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if is_shipped_format(init):
        model, tokenizer = load_classifier(init)
        return model, tokenizer, base_of(init)
    path = resolve_model_path(init)
    model = AutoModelForSequenceClassification.from_pretrained(
        path,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
    )
    return model, AutoTokenizer.from_pretrained(path), init


def train(args: argparse.Namespace) -> dict:
    """Run training; returns the best dev scores. Logs one JSON line per evaluation."""
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    model, tokenizer, base = build_model(args.init)
    positions = {str(name).lower(): int(i) for i, name in model.config.id2label.items()}
    label_ids = [positions[name] for name in LABELS]
    for name, param in model.named_parameters():
        param.requires_grad = name not in FROZEN

    train_items = encode(tokenizer, load_training_pairs(args.train, rng), args.max_length)
    dev_sets = {}
    for path in args.dev:
        rows = read_pairs(path)
        rows = random.Random(args.seed).sample(rows, min(len(rows), args.dev_limit))
        dev_sets[str(path)] = encode(tokenizer, rows, args.max_length)

    steps_per_epoch = math.ceil(len(train_items) / args.batch_size)
    total_steps = math.ceil(steps_per_epoch * args.epochs)
    if args.max_steps:
        total_steps = min(total_steps, args.max_steps)
    warmup = max(1, int(total_steps * args.warmup))
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=args.weight_decay
    )
    schedule = linear_schedule(optimizer, total_steps, warmup)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    log_path = args.output.with_name(args.output.name + ".log.jsonl")
    best = {"score": -math.inf}
    started = time.time()
    step = 0
    stopping = False

    def evaluate(epoch: float, loss: float) -> None:
        nonlocal best
        scores = {path: round(accuracy(model, items, label_ids), 4) for path, items in dev_sets.items()}
        mean = sum(scores.values()) / len(scores) if scores else -loss
        record = {"step": step, "epoch": round(epoch, 3), "loss": round(loss, 4), "dev": scores,
                  "dev_mean": round(mean, 4), "minutes": round((time.time() - started) / 60, 1)}
        with log_path.open("a") as log:
            log.write(json.dumps(record) + "\n")
        print(json.dumps(record), file=sys.stderr, flush=True)
        if mean > best["score"]:
            best = {"score": mean, **record}
            save_model(model, tokenizer, args.output, base=base, shared=FROZEN)

    model.train()
    running, seen = 0.0, 0
    while not stopping:
        for batch_ids in length_batches([len(item["input_ids"]) for item in train_items], args.batch_size, rng):
            batch = collate([train_items[i] for i in batch_ids], label_ids)
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running, seen = running + loss.item(), seen + 1
            if step % 50 == 0:
                print(f"step {step}/{total_steps} loss {running / seen:.4f} "
                      f"{(time.time() - started) / 60:.1f} min", file=sys.stderr, flush=True)
            at_epoch_end = step % steps_per_epoch == 0
            stopping = step >= total_steps or step == args.stop_at
            if stopping or at_epoch_end or (args.eval_every and step % args.eval_every == 0):
                evaluate(step / steps_per_epoch, running / max(seen, 1))
                running, seen = 0.0, 0
            if stopping:
                break
    return best


def main(argv: list[str] | None = None) -> int:
    best = train(parse_args(argv))
    print(json.dumps({"best": best}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
