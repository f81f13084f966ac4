"""The shipped delta format: float16 tensors, and int8 per-row differences from a base."""

from __future__ import annotations

import json

import numpy as np
from safetensors.numpy import save_file

from bot.models.weights import read_shipped_state, save_delta


def _extras(staging):
    (staging / "config.json").write_text("{}")
    (staging / "tokenizer.json").write_text("{}")


def test_int8_differences_rebuild_the_trained_matrices_closely_and_keep_shared_ones_exact(tmp_path):
    rng = np.random.default_rng(0)
    base = {"encoder.layer.0.w": rng.normal(size=(64, 32)).astype(np.float32),
            "encoder.layer.1.w": rng.normal(size=(64, 32)).astype(np.float32),
            "encoder.layer.1.b": rng.normal(size=(64,)).astype(np.float32)}
    (tmp_path / "base").mkdir()
    save_file(base, str(tmp_path / "base" / "model.safetensors"))
    trained = base["encoder.layer.1.w"] + rng.normal(scale=0.01, size=(64, 32)).astype(np.float32)
    state = {"mpnet.encoder.layer.0.w": base["encoder.layer.0.w"], "mpnet.encoder.layer.1.w": trained,
             "mpnet.encoder.layer.1.b": base["encoder.layer.1.b"] + 0.5,
             "classifier.w": rng.normal(size=(3, 32)).astype(np.float32)}

    save_delta(state, tmp_path / "model", base=str(tmp_path / "base"), shared=["mpnet.encoder.layer.0.w"],
               write_extras=_extras, base_path=str(tmp_path / "base"))

    manifest = json.loads((tmp_path / "model" / "claimcheck.json").read_text())
    assert manifest["int8_diff"] == ["mpnet.encoder.layer.1.w"]  # vectors and new tensors stay float16
    loaded = read_shipped_state(tmp_path / "model")
    assert set(loaded) == set(state)
    np.testing.assert_array_equal(loaded["mpnet.encoder.layer.0.w"], base["encoder.layer.0.w"])
    # The difference is rounded to 1/254 of its largest value in each row, far below the change itself.
    error = np.abs(loaded["mpnet.encoder.layer.1.w"] - trained).max()
    assert error < 0.01 * 4 / 254 + 1e-6
    np.testing.assert_allclose(loaded["classifier.w"], state["classifier.w"], atol=1e-3)
