"""ONNX Runtime sessions over weight-free graphs.

The repository ships ONNX graphs without their weights (about 150 KB each instead of 90 MB):
`scripts/export_onnx.py` replaces every weight of an exported graph by an external-data stub
and writes `<graph>.weights.json`, which names the safetensors tensor (transposed or not)
each stub stands for. Here the stubs are filled from arrays the caller read from the model's
own safetensors files, with `SessionOptions.add_external_initializers`, before the session
builds: the weights exist once in git, in the format training writes.

onnxruntime is imported here and nowhere else on the inference path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from bot.errors import ModelError

WEIGHT_MAP_SUFFIX = ".weights.json"
# The location stubs point to. No such file exists: add_external_initializers replaces every stub.
STUB_LOCATION = "weights-from-safetensors.bin"


@dataclass(frozen=True)
class WeightSource:
    """Which tensors of the model's safetensors an initializer of the graph is made of.

    One tensor, or several concatenated along the last axis (a fused attention's query, key
    and value), each transposed first when `transpose`.
    """

    tensors: tuple[str, ...]
    transpose: bool = False

    def build(self, state: Mapping[str, np.ndarray]) -> np.ndarray:
        """The initializer's value from the state's arrays."""
        parts = [state[name].T if self.transpose else state[name] for name in self.tensors]
        return np.ascontiguousarray(parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1))


@dataclass(frozen=True)
class GraphSpec:
    """A weight-free graph and what it needs: its initializers' sources and its own settings."""

    graph: Path
    weights: dict[str, WeightSource]
    settings: dict  # what the exporter recorded for the runtime (e.g. the embedder's max_length)

    @classmethod
    def read(cls, graph: str | Path) -> "GraphSpec":
        """Read `<graph>.weights.json` beside a graph; a missing or broken one is a `ModelError`."""
        graph = Path(graph)
        spec_file = graph.with_name(graph.name + WEIGHT_MAP_SUFFIX)
        try:
            spec = json.loads(spec_file.read_text())
            weights = {name: WeightSource(tuple(source["tensors"]), bool(source["transpose"]))
                       for name, source in spec["initializers"].items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read the ONNX weight map {spec_file} ({type(exc).__name__}): "
                             "rerun `python scripts/export_onnx.py`") from exc
        return cls(graph, weights, spec.get("settings", {}))

    def write(self) -> Path:
        """Write `<graph>.weights.json`; returns its path."""
        spec_file = self.graph.with_name(self.graph.name + WEIGHT_MAP_SUFFIX)
        initializers = {name: {"tensors": list(source.tensors), "transpose": source.transpose}
                        for name, source in sorted(self.weights.items())}
        spec_file.write_text(json.dumps({"settings": self.settings, "initializers": initializers}, indent=1) + "\n")
        return spec_file


def session_options(threads: int):
    """CPU session options: `threads` intra-op threads (0: one per core, ONNX Runtime's default)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1  # one request at a time; parallelism lives inside each operator
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # The arena keeps the largest batch's activations for good: without it a batch of the dev
    # statements peaked 50 MB lower (467 against 517 MB) at the same speed.
    options.enable_cpu_mem_arena = False
    return options


def open_session(spec: GraphSpec, state: Mapping[str, np.ndarray], *, threads: int = 0):
    """An `onnxruntime.InferenceSession` for `spec.graph`, its weights taken from `state`."""
    import onnxruntime as ort

    missing = sorted({name for source in spec.weights.values() for name in source.tensors} - set(state))
    if missing:
        raise ModelError(f"the weights do not fit the ONNX graph {spec.graph} (no tensor {', '.join(missing[:3])}): "
                         "rerun `python scripts/export_onnx.py` for this model")
    options = session_options(threads)
    names, values = [], []
    for name, source in spec.weights.items():
        names.append(name)
        values.append(ort.OrtValue.ortvalue_from_numpy(source.build(state)))
    # ONNX Runtime copies these into the graph before optimising it; the arrays can go afterwards.
    options.add_external_initializers(names, values)
    try:
        return ort.InferenceSession(str(spec.graph), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types, with no common public base
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"cannot open the ONNX graph {spec.graph} ({reason}): "
                         "rerun `python scripts/export_onnx.py` for this model") from exc
