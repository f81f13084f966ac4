"""The shipped NLI cross-encoder on ONNX Runtime: `NLIModel`'s interface with no torch import.

The graph comes from `scripts/export_onnx.py` (`<model>/onnx/model.onnx`, weight-free); the
weights from the model's own safetensors (`bot.models.weights`). Pairs are tokenised with the
`tokenizers` library exactly as the PyTorch path tokenises them, and batched by length.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from bot.models.nli import NLIScores, label_index
from bot.models.onnx_session import GraphSpec, open_session
from bot.models.token_batches import load_tokenizer, token_batches
from bot.models.weights import read_shipped_state

GRAPH = Path("onnx") / "model.onnx"  # inside the model's folder


def has_graph(folder: str | Path) -> bool:
    """Whether a model folder carries an exported ONNX graph."""
    return (Path(folder) / GRAPH).is_file()


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, in float32 as on the PyTorch path."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


class OnnxNLIModel:
    """Batched NLI inference on ONNX Runtime. Construction is cheap; the session opens on first use."""

    def __init__(self, name_or_path: str, *, batch_size: int = 64, max_length: int = 256, threads: int = 0,
                 kind: str = "NLI model") -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        self.name_or_path = name_or_path
        self.kind = kind  # which setting an error about the folder names
        self.batch_size = batch_size
        self.max_length = max_length
        self.threads = threads
        self._session = None
        self._tokenizer = None
        self._positions: dict[str, int] = {}
        self._inputs: set[str] = set()

    def warm_up(self) -> None:
        """Open the session (once)."""
        if self._session is not None:
            return
        folder = Path(self.name_or_path)
        state = read_shipped_state(folder, self.kind)  # a missing or damaged model stops here, with its one-line error
        config = json.loads((folder / "config.json").read_text())
        self._positions = label_index(config["id2label"])
        self._tokenizer = load_tokenizer(folder / "tokenizer.json", self.max_length)
        self._session = open_session(GraphSpec.read(folder / GRAPH), state, threads=self.threads)
        # A BERT graph takes token types; an MPNet graph has none.
        self._inputs = {node.name for node in self._session.get_inputs()}

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]:
        """Probabilities for each (premise, hypothesis) pair, in input order."""
        self.warm_up()
        if not pairs:
            return []
        encodings = self._tokenizer.encode_batch([(premise, hypothesis) for premise, hypothesis in pairs])
        scores: list[NLIScores | None] = [None] * len(pairs)
        for batch in token_batches(encodings, self.batch_size):
            (logits,) = self._session.run(None, {k: v for k, v in batch.feeds.items() if k in self._inputs})
            for i, row in zip(batch.rows, softmax(logits.astype(np.float32)).tolist()):
                scores[i] = NLIScores(**{name: row[pos] for name, pos in self._positions.items()})
        return scores
