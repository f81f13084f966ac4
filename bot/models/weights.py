"""Shipped models' weights as numpy arrays, with no torch import.

A shipped model folder (the NLI classifier, the tuned embedder) stores the tensors that
differ from the packaged all-MiniLM-L6-v2 base in float16 (`delta.safetensors`);
`claimcheck.json` names the base, the tensors read from it and the delta's digest. Both
runtimes start here: the PyTorch path turns the arrays into tensors, the ONNX path hands
them to ONNX Runtime. `save_delta` writes the format.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from bot.config import DEFAULT_DEEP_NLI_MODEL, DEFAULT_EMBEDDER, DEFAULT_NLI_MODEL, DEFAULT_NOTES_NLI_MODEL
from bot.errors import ModelError
from bot.models.assemble import base_folder

MANIFEST = "claimcheck.json"
DELTA_WEIGHTS = "delta.safetensors"
SHIPPED_FILES = (MANIFEST, "config.json", DELTA_WEIGHTS, "tokenizer.json")
_ENCODER_PREFIXES = ("bert", "mpnet")  # where a sequence classifier keeps its encoder's tensors
_SCALE = ".scale"  # the per-row scale stored beside each int8 difference
# Each kind of shipped model: the setting that points elsewhere, its folder under models/,
# and the command that rebuilds it (for the hint in an error).
_KINDS = {
    "NLI model": ("CLAIMCHECK_NLI_MODEL or --nli-model", "nli-minilm-l6", "scripts/train_nli.sh"),
    "notes NLI model": ("CLAIMCHECK_NOTES_NLI_MODEL", "nli-notes-minilm-l6", "scripts/train_nli.sh"),
    "deep NLI model": ("CLAIMCHECK_DEEP_NLI_MODEL", "nli-mpnet-base", "scripts/train_nli_mpnet.sh"),
    "embedder": ("CLAIMCHECK_EMBEDDER or --embedder", "embedder-minilm-l6", "bench/embedder_finetune.py --save"),
}


def is_shipped_format(folder: str | Path) -> bool:
    """Whether a folder holds a model in the project's own (delta) format."""
    return (Path(folder) / MANIFEST).is_file()


def setting_of(kind: str) -> str:
    """The environment variable (and flag) that points a model of `kind` elsewhere."""
    return _KINDS[kind][0]


def fix_hint(folder: Path, kind: str = "NLI model") -> str:
    """What to do about a missing or damaged model folder of `kind` (a key of `_KINDS`)."""
    setting, folder_name, rebuild = _KINDS[kind]
    # Read now, not at import: tests move them.
    shipped = {"NLI model": DEFAULT_NLI_MODEL, "notes NLI model": DEFAULT_NOTES_NLI_MODEL,
               "deep NLI model": DEFAULT_DEEP_NLI_MODEL, "embedder": DEFAULT_EMBEDDER}[kind]
    if folder.resolve() == Path(shipped).resolve():
        return f"restore the shipped model (git checkout -- models/{folder_name}, or rerun {rebuild})"
    return f"point {setting} at a complete model folder, or unset it for the shipped model"


def base_of(folder: str | Path) -> str | None:
    """The base model a shipped folder's delta applies to; None when its manifest can't be read (loading says why)."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text())["base"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def model_key(name: str) -> str:
    """A name that identifies a model's weights wherever the project lies (indexes are keyed by it).

    A shipped folder is its base plus its delta's digest; any other model, or a damaged
    folder (which fails when it loads), is its name.
    """
    try:
        manifest = json.loads((Path(name) / MANIFEST).read_text())
        digest = manifest.get("digest") or _digest(Path(name) / DELTA_WEIGHTS)
        return f"{manifest['base']}+delta-{digest[:16]}"
    except (OSError, ValueError, KeyError, TypeError):
        return name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_shipped_state(folder: str | Path, kind: str = "NLI model") -> dict[str, np.ndarray]:
    """Every tensor of a shipped model in float32, by its transformers name.

    A missing or unreadable file is a `ModelError` that says how to restore the model.
    """
    from safetensors import SafetensorError

    folder = Path(folder)
    missing = [name for name in SHIPPED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"the {kind} in {folder} is incomplete (no {', '.join(missing)}): {fix_hint(folder, kind)}")
    try:
        return _read_state(folder)
    except (OSError, ValueError, KeyError, TypeError, SafetensorError) as exc:
        reason = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
        raise ModelError(f"the {kind} in {folder} is damaged ({reason}): {fix_hint(folder, kind)}") from exc


def _read_state(folder: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    manifest = json.loads((folder / MANIFEST).read_text())
    stored = load_file(str(folder / DELTA_WEIGHTS))
    differences = manifest.get("int8_diff", [])
    scales = {f"{name}{_SCALE}" for name in differences}
    state = {name: array.astype(np.float32) for name, array in stored.items()
             if name not in scales and name not in differences}
    keys = {name: _base_key(name) for name in (*manifest["shared"], *differences)}
    if keys:
        base = read_base_state(manifest["base"], set(keys.values()))
        missing = [key for key in keys.values() if key not in base]
        if missing:
            raise ModelError(f"the base model {manifest['base']} has no tensor {missing[0]}; reinstall it")
        for name in manifest["shared"]:
            state[name] = base[keys[name]]
        for name in differences:
            state[name] = base[keys[name]] + stored[name].astype(np.float32) * stored[f"{name}{_SCALE}"][:, None]
    return state


def _base_key(name: str) -> str:
    """A classifier's tensor name as the bare base encoder names it (a classifier nests it under `bert.`)."""
    prefix, _, rest = name.partition(".")
    return rest if prefix in _ENCODER_PREFIXES else name


def read_base_state(name: str, only: set[str] | None = None) -> dict[str, np.ndarray]:
    """The float32 tensors of a base model folder (or packaged model id), by name; with `only`, just those."""
    from safetensors import safe_open

    weights = base_folder(name) / "model.safetensors"
    with safe_open(str(weights), framework="numpy") as stored:  # reads only the tensors asked for
        keys = [key for key in stored.keys() if only is None or key in only]
        return {key: stored.get_tensor(key).astype(np.float32, copy=False) for key in keys}


def save_delta(state: Mapping[str, np.ndarray], folder: str | Path, *, base: str, shared: Sequence[str],
               write_extras: Callable[[Path], None], base_path: str | None = None) -> None:
    """Save a fine-tuned model as the tensors of `state` not named in `shared`.

    By default each is stored in float16. With `base_path` (the base's folder), every matrix
    the base also holds is stored as its difference from the base in int8 with one float32
    scale per row: a quarter of float16's size for a large encoder's trained layers, and
    the difference is small, so rounding it costs little. `write_extras(staging)` adds the
    config and tokenizer. Files are written to a staging folder beside `folder` and swapped
    in whole, so a failed save leaves the previous model as it was (and no staging folder).
    """
    from safetensors.numpy import save_file

    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)  # left by a save that was killed
    staging.mkdir(parents=True)
    try:
        kept = {name: array for name, array in state.items() if name not in shared}
        based = read_base_state(base_path, {_base_key(name) for name in kept}) if base_path else {}
        differences = sorted(name for name, array in kept.items() if array.ndim == 2 and _base_key(name) in based)
        delta = {name: np.ascontiguousarray(array, dtype=np.float16) for name, array in kept.items()
                 if name not in differences}
        for name in differences:
            delta[name], delta[f"{name}{_SCALE}"] = _int8_rows(kept[name] - based[_base_key(name)])
        save_file(delta, str(staging / DELTA_WEIGHTS))
        write_extras(staging)
        manifest = {"base": base, "shared": list(shared), "digest": _digest(staging / DELTA_WEIGHTS)}
        if differences:
            manifest["int8_diff"] = differences
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        _swap_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _int8_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 quantisation with one scale per row: (values, scales)."""
    scale = np.abs(matrix).max(axis=1).astype(np.float32) / 127.0
    scale[scale == 0] = 1.0
    return np.round(matrix / scale[:, None]).astype(np.int8), scale


def _swap_folder(staging: Path, folder: Path) -> None:
    """Move `staging` to `folder`; the old `folder` is deleted only once the new one is in place."""
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    try:
        staging.rename(folder)
    except BaseException:
        if old.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
