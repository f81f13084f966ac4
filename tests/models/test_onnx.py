"""The lean path (ONNX Runtime) against the PyTorch path, with the real shipped models.

Verdicts must be identical, NLI probabilities within 1e-3, embeddings within 1e-5 of
sentence-transformers (the shipped index was built with it). Speed lives in bench/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.errors import ModelError
from bot.evaluation.statements import read_labelled
from bot.interfaces import cli
from bot.knowledge.index_store import passage_text
from bot.knowledge.retrieve import Retriever
from bot.models.embedder import Embedder
from bot.models.nli import NLIModel
from bot.models.onnx_embedder import OnnxEmbedder
from bot.models.onnx_nli import GRAPH, OnnxNLIModel
from bot.models.onnx_session import WEIGHT_MAP_SUFFIX
from bot.models.runtime import make_embedder, make_nli
from bot.verdict.checker import Checker

DEV = [row.statement for row in read_labelled(PROJECT_ROOT / "tests" / "data" / "verdicts_dev.jsonl")]
PROBABILITY_TOLERANCE = 1e-3
EMBEDDING_TOLERANCE = 1e-5
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn")


@pytest.fixture(scope="module")
def torch_settings(settings):
    return replace(settings, runtime="torch")


@pytest.fixture(scope="module")
def torch_checker(torch_settings):
    return Checker(torch_settings, retriever=Retriever.from_settings(torch_settings))


def test_the_default_checker_runs_on_onnx_runtime(checker):
    assert isinstance(checker.nli, OnnxNLIModel) and isinstance(checker.retriever.embedder, OnnxEmbedder)


def test_onnx_and_torch_give_the_same_verdicts_and_probabilities_on_the_dev_statements(checker, torch_checker):
    assert isinstance(torch_checker.nli, NLIModel) and isinstance(torch_checker.retriever.embedder, Embedder)
    lean, reference = checker.check_many(DEV), torch_checker.check_many(DEV)
    compared = 0
    for ours, theirs in zip(lean, reference, strict=True):
        for a, b in zip(ours.claims, theirs.claims, strict=True):
            assert (a.claim, a.verdict) == (b.claim, b.verdict), a.statement
            assert (a.citation and a.citation.id) == (b.citation and b.citation.id), a.statement
            assert a.confidence == pytest.approx(b.confidence, abs=PROBABILITY_TOLERANCE), a.statement
            for x, y in zip(a.evidence, b.evidence, strict=True):
                assert x.record.id == y.record.id
                for field in ("entailment", "neutral", "contradiction"):
                    assert getattr(x, field) == pytest.approx(getattr(y, field), abs=PROBABILITY_TOLERANCE)
                compared += 1
    assert compared > len(DEV)  # most statements are covered and carry several NLI scores


def test_nli_probabilities_match_torch_for_long_single_and_empty_inputs(settings, torch_settings):
    long = " ".join(["Deep networks learn layered representations of their inputs."] * 60)  # past 256 tokens
    pairs = [(long, "Networks learn representations."), ("GPUs speed up training.", long),
             ("A cat sat.", "A cat sat."), ("", "")]
    onnx_model, torch_model = make_nli(settings), make_nli(torch_settings)
    for ours, theirs in zip(onnx_model.predict(pairs), torch_model.predict(pairs), strict=True):
        for field in ("entailment", "neutral", "contradiction"):
            assert getattr(ours, field) == pytest.approx(getattr(theirs, field), abs=PROBABILITY_TOLERANCE)
    alone, batched = onnx_model.predict(pairs[2:3])[0], onnx_model.predict(pairs)[2]  # padding changes nothing
    assert alone.entailment == pytest.approx(batched.entailment, abs=1e-5)
    assert onnx_model.predict([]) == []


def test_the_embedder_reproduces_the_shipped_index_vectors(settings, retriever):
    """The shipped index was built with sentence-transformers; ONNX query vectors must live in its space."""
    vectors = OnnxEmbedder(settings.embedder).encode([passage_text(r) for r in retriever.records])
    stored = retriever.index.reconstruct_n(0, retriever.index.ntotal)
    assert np.abs(vectors - stored).max() < EMBEDDING_TOLERANCE


def test_the_embedder_matches_sentence_transformers_and_ignores_padding(settings):
    ours = OnnxEmbedder(settings.embedder)
    assert np.abs(ours.encode(DEV) - Embedder(settings.embedder).encode(DEV)).max() < EMBEDDING_TOLERANCE
    alone = ours.encode(["Dropout reduces overfitting."])
    padded = ours.encode(["Dropout reduces overfitting.", " ".join(DEV[:20])])[0]  # batched with a long text
    assert np.abs(alone[0] - padded).max() < EMBEDDING_TOLERANCE
    assert ours.encode([]).shape == (0, ours.dimension)


def test_check_and_the_app_import_no_torch_transformers_or_scikit_learn():
    script = ("import sys; from bot.interfaces import cli; import bot.interfaces.app.layout, bot.interfaces.app.serve; "
              "code = cli.main(['check', 'GPUs speed up training.', '--json']); "
              f"print(code, [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.stderr.strip().splitlines()[-1] == "0 []", done.stderr
    assert json.loads(done.stdout)["verdict"] == "true"


def test_models_without_a_graph_run_on_torch_and_onnx_only_when_it_can(settings, tmp_path):
    assert isinstance(make_nli(replace(settings, nli_int8=True)), NLIModel)  # int8 stays a PyTorch option
    assert isinstance(make_nli(replace(settings, nli_model="cross-encoder/nli-MiniLM2-L6-H768")), NLIModel)
    with pytest.raises(ModelError, match="has no ONNX graph: run `python scripts/export_onnx.py"):
        make_nli(replace(settings, nli_model=str(tmp_path), runtime="onnx"))
    with pytest.raises(ModelError, match="int8 NLI runs on PyTorch only"):
        make_nli(replace(settings, nli_int8=True, runtime="onnx"))
    with pytest.raises(ModelError, match="the embedder other/model has no ONNX graph"):
        make_embedder(replace(settings, embedder="other/model", runtime="onnx"))
    assert isinstance(make_embedder(replace(settings, embedder=str(tmp_path))), Embedder)


@pytest.fixture
def model_copy(settings, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(settings.nli_model, folder)
    return folder


def test_a_missing_or_wrong_weight_map_is_a_model_error(model_copy):
    weight_map = model_copy / GRAPH.parent / (GRAPH.name + WEIGHT_MAP_SUFFIX)
    spec = json.loads(weight_map.read_text())
    first, second = sorted(spec["initializers"])[:2]
    spec["initializers"][first]["tensors"] = ["no.such.tensor"]
    weight_map.write_text(json.dumps(spec))
    with pytest.raises(ModelError, match="do not fit the ONNX graph .* no.such.tensor"):
        OnnxNLIModel(str(model_copy)).warm_up()
    spec["initializers"][first]["tensors"] = ["bert.encoder.layer.0.intermediate.dense.weight"]  # another shape
    weight_map.write_text(json.dumps(spec))
    with pytest.raises(ModelError, match="cannot open the ONNX graph"):
        OnnxNLIModel(str(model_copy)).warm_up()
    weight_map.unlink()
    with pytest.raises(ModelError, match="rerun `python scripts/export_onnx.py`"):
        OnnxNLIModel(str(model_copy)).warm_up()


def test_a_bad_runtime_or_thread_count_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("CLAIMCHECK_RUNTIME", "tensorflow")
    assert cli.main(["check", "GPUs speed up training."]) == 2
    assert "unknown runtime 'tensorflow'" in capsys.readouterr().err
    monkeypatch.delenv("CLAIMCHECK_RUNTIME")
    assert cli.main(["check", "GPUs speed up training.", "--threads", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "thread count" in err
