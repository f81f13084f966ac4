"""The NLI cross-encoder: (premise, hypothesis) -> entailment / neutral / contradiction.

Two kinds of model folder load here:

* the project's shipped model: a BERT classifier stored as the weights that differ from
  the packaged all-MiniLM-L6-v2 base (`claimcheck.json` says which base and which tensors
  are shared), in float16, to stay small in git;
* any Hugging Face sequence-classification NLI model, by id or path.

Label order always comes from the model's own `id2label`; logits become probabilities
by softmax in `NLIModel.predict`, nowhere else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from bot.errors import ModelError
from bot.models.weights import MANIFEST, fix_hint, read_shipped_state, save_delta, setting_of

LABELS = ("entailment", "neutral", "contradiction")  # the order training writes

# torch and transformers are imported where they are used: the ONNX path (`bot.models.onnx_nli`)
# shares this module's label handling and must start without them.


@dataclass(frozen=True)
class NLIScores:
    """Probabilities of the three NLI labels for one pair (they sum to 1)."""

    entailment: float
    neutral: float
    contradiction: float

    @property
    def label(self) -> str:
        return max(LABELS, key=lambda name: getattr(self, name))


def label_index(id2label: dict) -> dict[str, int]:
    """Map our three label names to the model's output positions, from its `id2label`."""
    found = {}
    for index, name in id2label.items():
        key = str(name).strip().lower()
        if key in LABELS:
            found[key] = int(index)
    missing = [name for name in LABELS if name not in found]
    if missing:
        raise ModelError(f"the model's id2label {dict(id2label)} has no label for: {', '.join(missing)}")
    return found


def save_model(model, tokenizer, folder: str | Path, *, base: str, shared: Sequence[str],
               base_path: str | None = None) -> None:
    """Save a fine-tuned classifier as the weights that differ from `base` (`bot.models.weights.save_delta`).

    `shared` names the tensors left frozen at their base values; they are not written. With
    `base_path`, trained matrices are stored as int8 differences from the base's.
    """
    state = {name: tensor.detach().float().cpu().numpy() for name, tensor in model.state_dict().items()}

    def write_extras(staging: Path) -> None:
        model.config.save_pretrained(staging)
        tokenizer.save_pretrained(staging)

    save_delta(state, folder, base=base, shared=shared, write_extras=write_extras, base_path=base_path)


def _load_shipped(folder: Path, kind: str):
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    state = {name: torch.from_numpy(array) for name, array in read_shipped_state(folder, kind).items()}
    model = AutoModelForSequenceClassification.from_config(AutoConfig.from_pretrained(folder))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise ModelError(f"{folder}: weights do not match the config (missing {missing[:3]}, unexpected {unexpected[:3]})")
    return model, AutoTokenizer.from_pretrained(folder)


def load_classifier(name_or_path: str, kind: str = "NLI model"):
    """Load (model, tokenizer) for a shipped folder, a local HF folder or a hub id (`kind` names it in errors)."""
    from safetensors import SafetensorError
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(name_or_path)
    if (folder / MANIFEST).is_file():
        return _load_shipped(folder, kind)
    if folder.is_dir() and not (folder / "config.json").is_file():
        raise ModelError(f"there is no {kind} in {folder} (no {MANIFEST} or config.json): {fix_hint(folder, kind)}")
    if folder.is_absolute() and not folder.exists():
        raise ModelError(f"the {kind} folder {folder} does not exist: {fix_hint(folder, kind)}")
    try:
        model = AutoModelForSequenceClassification.from_pretrained(name_or_path)
        tokenizer = AutoTokenizer.from_pretrained(name_or_path)
    except (OSError, ValueError, SafetensorError) as exc:
        setting = setting_of(kind)
        hint = (
            "it is not on disk and HF_HUB_OFFLINE=1 forbids downloading it; download it once with "
            f"network access, or point {setting} at a local folder"
            if os.environ.get("HF_HUB_OFFLINE") == "1"
            else f"check the id or path, or unset {setting} to use the shipped model"
        )
        raise ModelError(f"cannot load {kind} {name_or_path!r}: {hint}") from exc
    return model, tokenizer


def quantize_int8(model):
    """Dynamic int8 quantisation of the linear layers (weights int8, activations on the fly)."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch flags its quantised tensor API as deprecated
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class NLIModel:
    """Batched NLI inference. Construction is cheap; weights load on first use."""

    def __init__(self, name_or_path: str, *, batch_size: int = 64, max_length: int = 256,
                 int8: bool = False, kind: str = "NLI model") -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        self.name_or_path = name_or_path
        self.kind = kind  # which setting an error about the folder names
        self.batch_size = batch_size
        self.max_length = max_length
        self.int8 = int8
        self._model = None
        self._tokenizer = None
        self._positions: dict[str, int] = {}

    def warm_up(self) -> None:
        """Load the weights (once)."""
        if self._model is not None:
            return
        model, tokenizer = load_classifier(self.name_or_path, self.kind)
        model.eval()
        if self.int8:
            model = quantize_int8(model)
        self._positions = label_index(model.config.id2label)
        self._model, self._tokenizer = model, tokenizer

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[NLIScores]:
        """Probabilities for each (premise, hypothesis) pair, in input order."""
        import torch

        self.warm_up()
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        scores: dict[int, NLIScores] = {}
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            encoded = self._tokenizer(
                [pairs[i][0] for i in chunk],
                [pairs[i][1] for i in chunk],
                padding=True,
                truncation="longest_first",
                max_length=self.max_length,
                return_tensors="pt",
            )
            with torch.inference_mode():
                probs = torch.softmax(self._model(**encoded).logits.float(), dim=-1)
            for row, i in zip(probs.tolist(), chunk):
                scores[i] = NLIScores(**{name: row[pos] for name, pos in self._positions.items()})
        return [scores[i] for i in range(len(pairs))]
