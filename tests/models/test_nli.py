"""The shipped NLI model: loads offline, gets clear cases right, holds its held-out accuracy;
and the training code still runs end to end."""

from __future__ import annotations

import json
import math
import time

import pytest

from bot.config import DEFAULT_NLI_MODEL, PROJECT_ROOT, SHARED_NLI_DATA
from bot.errors import ModelError
from bot.evaluation.nli import evaluate_pairs
from bot.evaluation.nli_pairs import read_pairs
from bot.models.nli import NLIModel, label_index, load_classifier
from bot.training.train_nli import main as train_main

needs_shared = pytest.mark.skipif(not SHARED_NLI_DATA.is_dir(), reason="../shared/data/nli is not beside the project")


@pytest.fixture(scope="module")
def nli():
    model = NLIModel(DEFAULT_NLI_MODEL)
    model.warm_up()
    return model


@pytest.mark.parametrize(
    ("premise", "hypothesis", "label"),
    [
        ("Deep learning models can be trained on ordinary CPUs, although training is slower than on GPUs or TPUs.",
         "You can train a neural network on a normal CPU.", "entailment"),
        ("Specialized hardware such as GPUs and TPUs significantly speeds up deep learning training, but it is not "
         "strictly necessary.", "Deep learning is impossible without specialized hardware.", "contradiction"),
        ("Deep learning models often benefit from large datasets, but they do not strictly need them; saying that "
         "deep learning depends entirely on huge datasets is an oversimplification.",
         "Deep learning does not strictly require massive datasets.", "entailment"),
        ("Saliency maps highlight the parts of an input that contribute most to a model's prediction, pinpointing "
         "the features that matter for a given decision.", "Saliency maps were invented in 2013 at Oxford.", "neutral"),
        ("Libraries such as TensorFlow, PyTorch and Keras offer high-level APIs that make building and training deep "
         "learning models simpler.", "Keras makes it harder to build deep learning models.", "contradiction"),
    ],
)
def test_clear_domain_cases(nli, premise, hypothesis, label):
    assert nli.predict([(premise, hypothesis)])[0].label == label


def test_probabilities_are_a_distribution_and_batching_does_not_change_them(nli):
    pairs = [("Deep learning is a branch of machine learning.", "Deep learning is part of machine learning."),
             ("GPUs speed up training.", "The sky is green."), ("A cat sleeps.", "A dog barks loudly at night.")]
    batched = nli.predict(pairs)
    for pair, scores in zip(pairs, batched):
        assert math.isclose(scores.entailment + scores.neutral + scores.contradiction, 1.0, abs_tol=1e-5)
        single = nli.predict([pair])[0]
        assert math.isclose(single.entailment, scores.entailment, abs_tol=1e-4)


def test_domain_pairs_accuracy(nli):
    """The shipped model was trained on every domain record, so this guards its fit, not held-out
    accuracy (measured 0.986; the split run that never saw these records reached 0.725: model card)."""
    result = evaluate_pairs(nli, read_pairs(PROJECT_ROOT / "data" / "nli-domain" / "dev.jsonl"))
    assert result["accuracy"] >= 0.95


@needs_shared
@pytest.mark.parametrize(("path", "floor"), [("snli/test.jsonl", 0.78), ("mnli_taxinli/dev_mismatched_subset.jsonl", 0.79),
                                             ("negation_nli/test_snli.jsonl", 0.47)])
def test_held_out_sample_accuracy(nli, path, floor):
    """The first 400 pairs of each held-out set (measured 0.805, 0.815, 0.503) stay above a margin."""
    pairs = read_pairs(SHARED_NLI_DATA / path)[:400]
    assert evaluate_pairs(nli, pairs)["accuracy"] >= floor


def test_label_order_comes_from_id2label():
    assert label_index({0: "CONTRADICTION", 1: "ENTAILMENT", 2: "NEUTRAL"}) == {
        "contradiction": 0, "entailment": 1, "neutral": 2}
    with pytest.raises(ModelError, match="no label for: neutral"):
        label_index({0: "entailment", 1: "contradiction"})


def test_missing_hub_model_offline_says_what_to_do(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE=1"):
        load_classifier("cross-encoder/nli-deberta-v3-xsmall-not-on-disk")


def test_tiny_training_run_end_to_end(tmp_path):
    data = tmp_path / "pairs.jsonl"
    rows = read_pairs(PROJECT_ROOT / "data" / "nli-domain" / "train.jsonl")[:64]
    data.write_text("".join(json.dumps({"premise": r.premise, "hypothesis": r.hypothesis, "label": r.label}) + "\n"
                            for r in rows))
    output = tmp_path / "model"
    started = time.time()
    assert train_main(["--train", str(data), "--dev", str(data), "--dev-limit", "16", "--output", str(output),
                       "--max-steps", "4", "--batch-size", "16", "--max-length", "64"]) == 0
    assert time.time() - started < 60
    log = [json.loads(line) for line in output.with_name("model.log.jsonl").read_text().splitlines()]
    assert log[-1]["step"] == 4 and str(data) in log[-1]["dev"]
    trained = NLIModel(str(output))
    scores = trained.predict([("A man is sleeping.", "A person rests.")])[0]
    assert math.isclose(scores.entailment + scores.neutral + scores.contradiction, 1.0, abs_tol=1e-5)
    assert (output / "delta.safetensors").stat().st_size < 30 * 1024 * 1024
