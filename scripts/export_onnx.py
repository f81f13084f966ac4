"""Export the shipped models to weight-free ONNX graphs for the lean inference path.

    .venv/bin/python scripts/export_onnx.py [--nli-model DIR] [--embedder NAME]

Writes, and checks against PyTorch:

* `<nli model>/onnx/model.onnx`: the NLI cross-encoder, logits for (input_ids, attention_mask,
  token_type_ids), batch and sequence axes dynamic;
* `models/embedder-onnx/model.onnx`: the query embedder's transformer, its last hidden state
  (mean pooling and normalisation run in numpy, `bot.onnx_embedder`).

Each graph is stored without its weights: every initializer that equals a tensor of the
model's safetensors (as stored, or transposed) becomes an external-data stub, and
`model.onnx.weights.json` records which tensor it is (`bot.onnx_session`). Rerun this when a
model's architecture or the exporter changes (retrained weights need no new graph: they are
read at load time); it needs torch, transformers and onnx (`pip install -e '.[export]'`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.cli import quiet_libraries  # noqa: E402
from bot.config import DEFAULT_EMBEDDER, DEFAULT_EMBEDDER_ONNX, DEFAULT_NLI_MODEL, resolve_model_path  # noqa: E402
from bot.nli.onnx_model import GRAPH  # noqa: E402
from bot.onnx_session import STUB_LOCATION, GraphSpec, WeightSource, open_session  # noqa: E402

OPSET = 17
TOLERANCE = 1e-4  # largest output difference from PyTorch accepted (float32)
# Pairs that exercise padding, both segments and truncation-free lengths.
SAMPLE_PAIRS = [
    ("Dropout randomly zeroes activations during training.", "Dropout reduces overfitting."),
    ("GPUs speed up training.", "Deep learning needs no hardware at all, and it never did, in any setting."),
    ("A", "B"),
]


def _export(module, inputs: dict, output: str, path: Path) -> None:
    """TorchScript export (torch.onnx, dynamo=False): stable for BERT with dynamic batch and sequence."""
    import torch

    names = list(inputs)
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes[output] = {0: "batch", 1: "sequence"} if output == "last_hidden_state" else {0: "batch"}
    with torch.inference_mode():
        torch.onnx.export(module, tuple(inputs.values()), str(path), dynamo=False, input_names=names,
                          output_names=[output], dynamic_axes=axes, opset_version=OPSET)


def _strip(source: Path, target: Path, state: dict[str, np.ndarray], settings: dict) -> GraphSpec:
    """Replace each initializer that equals a state tensor by a stub; keep the rest (small constants)."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    by_shape: dict[tuple, list[str]] = {}
    for name, array in state.items():
        by_shape.setdefault(array.shape, []).append(name)
    weights, kept = {}, []
    for init in model.graph.initializer:
        array = numpy_helper.to_array(init)
        found = next((WeightSource(name) for name in by_shape.get(array.shape, [])
                      if np.array_equal(state[name], array)), None)
        if found is None and array.ndim == 2:  # the exporter stores some MatMul weights transposed
            found = next((WeightSource(name, transpose=True) for name in by_shape.get(array.shape[::-1], [])
                          if np.array_equal(state[name].T, array)), None)
        if found is None:
            kept.append((init.name, array.nbytes))
            continue
        weights[init.name] = found
        init.ClearField("raw_data")
        init.ClearField("float_data")
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for key, value in (("location", STUB_LOCATION), ("offset", "0"), ("length", str(array.nbytes))):
            entry = init.external_data.add()
            entry.key, entry.value = key, value
    if sum(size for _, size in kept) > 64 * 1024:
        raise SystemExit(f"{source}: initializers that match no safetensors tensor would stay in the graph: {kept[:5]}")
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    spec = GraphSpec(target, weights, settings)
    spec.write()
    return spec


def _check(spec: GraphSpec, state: dict, inputs: dict, expected: np.ndarray) -> float:
    """The largest difference between ONNX Runtime and PyTorch on the sample inputs; exits when too large."""
    session = open_session(spec, state, threads=1)
    got = session.run(None, {name: value.numpy() for name, value in inputs.items()})[0]
    worst = float(np.abs(got - expected).max())
    if worst > TOLERANCE:
        raise SystemExit(f"{spec.graph}: ONNX Runtime differs from PyTorch by {worst:.2e} (> {TOLERANCE})")
    return worst


def export_nli(folder: Path) -> None:
    import torch

    from bot.nli.model import load_classifier
    from bot.nli.weights import read_shipped_state

    model, tokenizer = load_classifier(str(folder))
    model.eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    encoded = tokenizer([p for p, _ in SAMPLE_PAIRS], [h for _, h in SAMPLE_PAIRS], padding=True, return_tensors="pt")
    inputs = {name: encoded[name] for name in ("input_ids", "attention_mask", "token_type_ids")}
    module = Logits(model)
    with torch.inference_mode():
        expected = module(**inputs).numpy()
    state = read_shipped_state(folder)
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "full.onnx"
        _export(module, inputs, "logits", raw)
        spec = _strip(raw, folder / GRAPH, state, {})
    print(f"{spec.graph}: {len(spec.weights)} weights from safetensors, "
          f"max |ONNX - torch| {_check(spec, state, inputs, expected):.1e}")


def export_embedder(name: str) -> None:
    import json

    import torch
    from transformers import AutoModel, AutoTokenizer

    from bot.nli.weights import read_base_state

    folder = Path(resolve_model_path(name))
    model = AutoModel.from_pretrained(folder).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    max_length = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    encoded = tokenizer([text for pair in SAMPLE_PAIRS for text in pair], padding=True, return_tensors="pt")
    inputs = {key: encoded[key] for key in ("input_ids", "attention_mask", "token_type_ids")}
    module = Hidden(model)
    with torch.inference_mode():
        expected = module(**inputs).numpy()
    state = read_base_state(name)
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "full.onnx"
        _export(module, inputs, "last_hidden_state", raw)
        spec = _strip(raw, DEFAULT_EMBEDDER_ONNX, state, {"model": name, "max_length": max_length})
    print(f"{spec.graph}: {len(spec.weights)} weights from {folder.name}, "
          f"max |ONNX - torch| {_check(spec, state, inputs, expected):.1e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nli-model", default=DEFAULT_NLI_MODEL, help="a shipped-format NLI model folder")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER, help="the packaged sentence-transformers model")
    args = parser.parse_args()
    quiet_libraries()
    export_nli(Path(args.nli_model))
    export_embedder(args.embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
