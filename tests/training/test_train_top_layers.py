"""Top-layer training on cached lower layers: a tiny run, resumed, saved in the shipped format."""

from __future__ import annotations

import json

from bot.config import PROJECT_ROOT
from bot.evaluation.nli_pairs import read_pairs
from bot.models.assemble import ensure_assembled
from bot.models.nli import NLIModel
from bot.training.layer_cache import LayerCache
from bot.training.train_top_layers import main


def test_a_killed_run_resumes_from_its_checkpoint_and_saves_a_loadable_model(tmp_path):
    data = tmp_path / "pairs.jsonl"
    rows = read_pairs(PROJECT_ROOT / "data" / "nli-domain" / "train.jsonl")[:24]
    data.write_text("".join(json.dumps({"premise": r.premise, "hypothesis": r.hypothesis, "label": r.label}) + "\n"
                            for r in rows))
    base = str(ensure_assembled())
    common = ["--base", base, "--base-name", base, "--train", str(data), "--cache", str(tmp_path / "cache"),
              "--output", str(tmp_path / "run"), "--batch-size", "8", "--checkpoint-every", "1", "--max-length", "64"]

    assert main([*common, "--max-steps", "1"]) == 0  # as if killed after its first checkpoint
    assert main([*common, "--max-steps", "3", "--resume"]) == 0

    log = [json.loads(line) for line in (tmp_path / "run" / "train.log.jsonl").read_text().splitlines()]
    assert [entry["step"] for entry in log] == [1, 2, 3]  # the resumed run went on from step 1
    assert len(LayerCache(tmp_path / "cache", 8)) == 24  # the pairs were cached once, not again on resume
    assert len(list((tmp_path / "cache").glob("shard-*"))) == 1
    model = tmp_path / "run" / "model"
    assert "int8_diff" in json.loads((model / "claimcheck.json").read_text())
    scores = NLIModel(str(model)).predict([(rows[0].premise, rows[0].hypothesis)])[0]
    assert abs(scores.entailment + scores.neutral + scores.contradiction - 1.0) < 1e-5
