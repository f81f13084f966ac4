"""Tokenisation with the `tokenizers` library, and length-bucketed batches for ONNX Runtime.

Texts are tokenised once without padding, sorted by length, and padded only to the longest
row of their own batch: twenty-token pairs are not padded to the length of a long passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from bot.errors import ModelError


@dataclass(frozen=True)
class TokenBatch:
    """One padded batch: the input positions of its rows, and the arrays the graph reads."""

    rows: list[int]
    feeds: dict[str, np.ndarray]  # input_ids, attention_mask, token_type_ids: int64, (rows, longest)


def load_tokenizer(path: str | Path, max_length: int):
    """A `tokenizers.Tokenizer` from a tokenizer.json, truncating the longest side first, not padding.

    The settings are those the transformers tokenizer is called with on the PyTorch path
    (`truncation="longest_first"`, `max_length`), so both paths see the same token ids.
    """
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises a bare Exception for missing and malformed files alike
        raise ModelError(f"cannot read the tokenizer {path} ({(str(exc).splitlines() or [''])[0]})") from exc
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def token_batches(encodings: Sequence, batch_size: int) -> Iterator[TokenBatch]:
    """Batches of at most `batch_size` encodings of similar length, shortest first."""
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        longest = max(len(encodings[i].ids) for i in rows)
        feeds = {name: np.zeros((len(rows), longest), dtype=np.int64)
                 for name in ("input_ids", "attention_mask", "token_type_ids")}
        for row, i in enumerate(rows):
            encoding = encodings[i]
            size = len(encoding.ids)
            feeds["input_ids"][row, :size] = encoding.ids
            feeds["attention_mask"][row, :size] = encoding.attention_mask
            feeds["token_type_ids"][row, :size] = encoding.type_ids
        yield TokenBatch(rows, feeds)
