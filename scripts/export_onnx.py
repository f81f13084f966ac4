"""Export the shipped models to weight-free ONNX graphs for the lean inference path.

    .venv/bin/python scripts/export_onnx.py [--nli-model DIR] [--embedder NAME] [--nli-only]
    .venv/bin/python scripts/export_onnx.py --nli-model models/nli-mpnet-base --nli-only

Writes, and checks against PyTorch:

* `<nli model>/onnx/model.onnx`: the NLI cross-encoder, logits for (input_ids, attention_mask,
  token_type_ids), batch and sequence axes dynamic;
* `models/embedder-onnx/model.onnx`: the query embedder's transformer, its last hidden state
  (mean pooling and normalisation run in numpy, `bot.models.onnx_embedder`).

Both are exported with eager attention and fused by ONNX Runtime's transformer optimizer
(Attention, SkipLayerNormalization, BiasGelu: about 1.8x faster than the plain export on CPU).
Each graph is then stored without its weights: every initializer that equals a tensor of the
model's safetensors (as stored or transposed, or a fused attention's query, key and value
side by side) becomes an external-data stub, and `model.onnx.weights.json` records which
tensors it is made of (`bot.models.onnx_session`). Rerun this when a
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

from bot.config import (  # noqa: E402
    DEFAULT_EMBEDDER_ONNX,
    DEFAULT_NLI_MODEL,
    PACKAGED_ENCODER,
    quiet_libraries,  # noqa: E402
    resolve_model_path,
)
from bot.models.onnx_embedder import mean_pool  # noqa: E402
from bot.models.onnx_nli import GRAPH  # noqa: E402
from bot.models.onnx_session import STUB_LOCATION, GraphSpec, WeightSource, open_session  # noqa: E402

OPSET = 17
TOLERANCE = 1e-4  # largest difference from PyTorch accepted: NLI logits, unit-length sentence vectors
# Pairs that exercise padding, both segments and truncation-free lengths.
SAMPLE_PAIRS = [
    ("Dropout randomly zeroes activations during training.", "Dropout reduces overfitting."),
    ("GPUs speed up training.", "Deep learning needs no hardware at all, and it never did, in any setting."),
    ("A", "B"),
]


def _export(module, inputs: dict, output: str, path: Path, hidden_size: int, heads: int) -> None:
    """TorchScript export (torch.onnx, dynamo=False: stable for BERT with dynamic batch and
    sequence axes), then ONNX Runtime's BERT fusions, written to `path` with the weights inside."""
    import torch
    from onnxruntime.transformers.optimizer import optimize_model

    names = list(inputs)
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes[output] = {0: "batch", 1: "sequence"} if output == "last_hidden_state" else {0: "batch"}
    plain = path.with_suffix(".plain.onnx")
    with torch.inference_mode():
        torch.onnx.export(module, tuple(inputs.values()), str(plain), dynamo=False, input_names=names,
                          output_names=[output], dynamic_axes=axes, opset_version=OPSET)
    optimize_model(str(plain), model_type="bert", num_heads=heads, hidden_size=hidden_size).save_model_to_file(str(path))


def _source(array: np.ndarray, state: dict[str, np.ndarray], by_shape: dict, *, split: bool = True) -> WeightSource | None:
    """The state tensors an initializer equals: one, stored or transposed, or three side by side."""
    for transpose in (False, True) if array.ndim == 2 else (False,):
        for name in by_shape.get(array.shape[::-1] if transpose else array.shape, []):
            if np.array_equal(state[name].T if transpose else state[name], array):
                return WeightSource((name,), transpose)
    if split and array.ndim and array.shape[-1] and array.shape[-1] % 3 == 0:  # a fused attention's query, key and value
        parts = [_source(part, state, by_shape, split=False) for part in np.split(array, 3, axis=-1)]
        if all(parts) and len({part.transpose for part in parts}) == 1:
            return WeightSource(tuple(part.tensors[0] for part in parts), parts[0].transpose)
    return None


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
        found = _source(array, state, by_shape)
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


def _check(spec: GraphSpec, state: dict, inputs: dict, expected: np.ndarray, pool: bool = False) -> float:
    """The largest difference between ONNX Runtime and PyTorch on the sample inputs; exits when too large.

    With `pool`, both outputs are compared as the sentence vectors the embedder makes of them.
    """
    feeds = {name: value.numpy() for name, value in inputs.items()}
    got = open_session(spec, state, threads=1).run(None, feeds)[0]
    if pool:
        got, expected = (mean_pool(hidden, feeds["attention_mask"]) for hidden in (got, expected))
    worst = float(np.abs(got - expected).max())
    if worst > TOLERANCE:
        raise SystemExit(f"{spec.graph}: ONNX Runtime differs from PyTorch by {worst:.2e} (> {TOLERANCE})")
    return worst


def _export_checked(model, inputs: dict, output: str, target: Path, state: dict, settings: dict, *,
                    pool: bool = False) -> None:
    """Export `model`'s `output` for `inputs`, strip it against `state`, and check it against PyTorch."""
    import torch

    class Output(torch.nn.Module):
        """The model with named inputs and one output, as the graph has them."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            # MPNet has no token types: its graph takes the first two inputs only.
            extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            return getattr(self.inner(input_ids=input_ids, attention_mask=attention_mask, **extra), output)

    module = Output(model.eval())
    with torch.inference_mode():
        expected = module(**inputs).numpy()
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "full.onnx"
        _export(module, inputs, output, raw, model.config.hidden_size, model.config.num_attention_heads)
        spec = _strip(raw, target, state, settings)
    print(f"{spec.graph}: {len(spec.weights)} weights from safetensors, "
          f"max |ONNX - torch| {_check(spec, state, inputs, expected, pool=pool):.1e}")


def _inputs(encoded) -> dict:
    """The model's inputs in the graph's order; token types only where the tokenizer makes them."""
    return {name: encoded[name] for name in ("input_ids", "attention_mask", "token_type_ids") if name in encoded}


def export_nli(folder: Path) -> None:
    from bot.models.nli import load_classifier
    from bot.models.weights import read_shipped_state

    model, tokenizer = load_classifier(str(folder))
    model.set_attn_implementation("eager")  # the pattern ONNX Runtime fuses into its Attention operator
    encoded = tokenizer([p for p, _ in SAMPLE_PAIRS], [h for _, h in SAMPLE_PAIRS], padding=True, return_tensors="pt")
    _export_checked(model, _inputs(encoded), "logits", folder / GRAPH, read_shipped_state(folder), {})


def export_embedder(name: str) -> None:
    import json

    from transformers import AutoModel, AutoTokenizer

    from bot.models.weights import read_base_state

    folder = Path(resolve_model_path(name))
    model = AutoModel.from_pretrained(folder, attn_implementation="eager")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    max_length = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]
    encoded = tokenizer([text for pair in SAMPLE_PAIRS for text in pair], padding=True, return_tensors="pt")
    _export_checked(model, _inputs(encoded), "last_hidden_state", DEFAULT_EMBEDDER_ONNX, read_base_state(name),
                    {"model": name, "max_length": max_length}, pool=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nli-model", default=DEFAULT_NLI_MODEL, help="a shipped-format NLI model folder")
    parser.add_argument("--embedder", default=PACKAGED_ENCODER,
                        help="the packaged sentence-transformers model (the graph serves any delta of it)")
    parser.add_argument("--nli-only", action="store_true", help="export the NLI model's graph only")
    args = parser.parse_args()
    quiet_libraries()
    export_nli(Path(args.nli_model))
    if not args.nli_only:
        export_embedder(args.embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
