"""Which runtime runs each model: ONNX Runtime where an exported graph ships, PyTorch otherwise.

`Settings.runtime` decides (`CLAIMCHECK_RUNTIME`, `--runtime`):

* `auto`: the shipped NLI model and embedder (or the packaged one) run on ONNX Runtime from their
  weight-free graphs (no torch import, about a second to start); any other model (a Hugging
  Face id, a folder without `onnx/`) and the int8 switch run on PyTorch;
* `onnx`: ONNX Runtime or a clear error;
* `torch`: PyTorch for both, as before the ONNX path existed (the parity tests compare the two).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot.config import DEFAULT_EMBEDDER_ONNX, Settings, resolve_model_path
from bot.errors import ModelError
from bot.models.embedder import Embedder
from bot.models.nli import NLIModel
from bot.models.onnx_embedder import OnnxEmbedder, exported_model
from bot.models.onnx_nli import OnnxNLIModel, has_graph
from bot.models.weights import base_of, is_shipped_format

NLIRunner = NLIModel | OnnxNLIModel
EmbedderRunner = Embedder | OnnxEmbedder


def _require_torch(what: str) -> None:
    """Fail with one line, not an ImportError deep in a model load, when PyTorch is missing."""
    if importlib.util.find_spec("torch") is None:
        raise ModelError(f"{what} runs on PyTorch, which is not installed: reinstall claimcheck "
                         "(pip install -e .), or use the shipped models (ONNX Runtime)")


def make_nli(settings: Settings, *, batch_size: int = 64, notes: bool = False, deep: bool = False) -> NLIRunner:
    """The NLI model of `settings` on the runtime it asks for: the article's, or with `notes` the one for
    the user's notes, or with `deep` the stronger reader of the `accurate` profile.

    Nothing loads yet.
    """
    name, kind = ((settings.notes_nli_model, "notes NLI model") if notes else
                  (settings.deep_nli_model, "deep NLI model") if deep else (settings.nli_model, "NLI model"))
    exported = is_shipped_format(name) and has_graph(name)
    if settings.runtime == "onnx" or (settings.runtime == "auto" and exported and not settings.nli_int8):
        if not exported:
            raise ModelError(f"the {kind} {name} has no ONNX graph: run `python scripts/export_onnx.py "
                             f"--nli-model {name}`, or set CLAIMCHECK_RUNTIME=torch")
        if settings.nli_int8:
            raise ModelError("int8 NLI runs on PyTorch only: unset CLAIMCHECK_NLI_INT8, or set CLAIMCHECK_RUNTIME=torch")
        return OnnxNLIModel(name, batch_size=batch_size, threads=settings.threads, kind=kind)
    _require_torch(f"the {kind} {name}")
    return NLIModel(name, batch_size=batch_size, int8=settings.nli_int8, kind=kind)


def make_embedder(settings: Settings, graph: Path = DEFAULT_EMBEDDER_ONNX) -> EmbedderRunner:
    """The embedder of `settings` on the runtime it asks for (nothing loads yet)."""
    name = settings.embedder
    exported = exported_model(graph)
    # The graph holds no weights: it serves its own model and any shipped delta of it.
    base = (base_of(name) or exported) if is_shipped_format(name) else name
    matches = exported is not None and resolve_model_path(exported) == resolve_model_path(base)
    if settings.runtime == "onnx" or (settings.runtime == "auto" and matches):
        if not matches:
            raise ModelError(f"the embedder {name} has no ONNX graph (only {exported or 'none'} has): "
                             "set CLAIMCHECK_RUNTIME=torch")
        return OnnxEmbedder(name, graph=graph, threads=settings.threads)
    _require_torch(f"the embedder {name}")
    return Embedder(name)
