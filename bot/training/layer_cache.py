"""The outputs of a frozen encoder's lower layers for NLI pairs, computed once and kept on disk.

Training only the top layers of a 12-layer encoder on 2 cores is affordable when the
bottom layers run once per pair instead of once per pair per epoch. A cache folder holds
shards; each shard has the pairs (`pairs.json`: the layer, the pairs and their token ids),
token offsets (`offsets.npy`) and the hidden states of every token in float16
(`hidden.npy`, read as a memory map, so the cache may be larger than memory). Pairs missing
from the cache are computed and written as a new shard; nothing is rewritten.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

Pair = tuple[str, str]


class LayerCache:
    """Hidden states after `layer` encoder layers for (premise, hypothesis) pairs."""

    def __init__(self, folder: str | Path, layer: int) -> None:
        self.folder = Path(folder)
        self.layer = layer
        self._shards: list[tuple[np.ndarray, np.ndarray, list[list[int]]]] = []
        self._where: dict[Pair, tuple[int, int]] = {}
        for shard in sorted(self.folder.glob("shard-*")):
            if (shard / "hidden.npy").is_file():
                self._open(shard)

    def _open(self, shard: Path) -> None:
        meta = json.loads((shard / "pairs.json").read_text())
        if meta["K"] != self.layer:
            raise ValueError(f"{shard} holds layer {meta['K']}, not {self.layer}")
        number = len(self._shards)
        self._shards.append((np.load(shard / "hidden.npy", mmap_mode="r"), np.load(shard / "offsets.npy"), meta["ids"]))
        for row, (premise, hypothesis) in enumerate(meta["pairs"]):
            self._where.setdefault((premise, hypothesis), (number, row))

    def __contains__(self, pair: Pair) -> bool:
        return pair in self._where

    def __len__(self) -> int:
        return len(self._where)

    def token_count(self, pair: Pair) -> int:
        shard, row = self._where[pair]
        return len(self._shards[shard][2][row])

    def states(self, pair: Pair) -> np.ndarray:
        """The (tokens, hidden) float16 states of one pair."""
        shard, row = self._where[pair]
        hidden, offsets, _ = self._shards[shard]
        return hidden[offsets[row] : offsets[row + 1]]

    @torch.inference_mode()
    def add(self, pairs: Sequence[Pair], encoder, tokenizer, max_length: int = 128, batch_size: int = 64) -> int:
        """Compute and store the pairs not cached yet, with `encoder` (a bare transformers model); how many."""
        todo = list(dict.fromkeys(pair for pair in pairs if pair not in self._where))
        if not todo:
            return 0
        ids = tokenizer([p for p, _ in todo], [h for _, h in todo], truncation="longest_first",
                        max_length=max_length)["input_ids"]
        lengths = np.array([len(row) for row in ids])
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        shard = self.folder / f"shard-{len(self._shards):03d}"
        partial = shard.with_name(shard.name + ".partial")
        partial.mkdir(parents=True, exist_ok=True)
        hidden = np.lib.format.open_memmap(partial / "hidden.npy", mode="w+", dtype=np.float16,
                                           shape=(int(offsets[-1]), encoder.config.hidden_size))
        pad = tokenizer.pad_token_id
        started = time.time()
        order = np.argsort(lengths, kind="stable")  # similar lengths together: little padding
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = int(lengths[rows].max())
            tokens = torch.full((len(rows), width), pad, dtype=torch.long)
            mask = torch.zeros_like(tokens)
            for j, i in enumerate(rows):
                tokens[j, : lengths[i]] = torch.tensor(ids[i])
                mask[j, : lengths[i]] = 1
            out = encoder(input_ids=tokens, attention_mask=mask, output_hidden_states=True).hidden_states[self.layer]
            out = out.numpy().astype(np.float16)
            for j, i in enumerate(rows):
                hidden[offsets[i] : offsets[i + 1]] = out[j, : lengths[i]]
            print(f"cached {min(start + batch_size, len(todo))}/{len(todo)} pairs "
                  f"({time.time() - started:.0f} s)", flush=True)
        hidden.flush()
        del hidden
        np.save(partial / "offsets.npy", offsets)
        (partial / "pairs.json").write_text(json.dumps({"K": self.layer, "pairs": todo, "ids": ids}))
        partial.rename(shard)  # a killed run leaves only a .partial folder, never a half shard
        self._open(shard)
        return len(todo)
