"""The knowledge base: complete, well-formed, and strict about malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import DEFAULT_KNOWLEDGE
from bot.errors import KnowledgeError
from bot.knowledge.load import fingerprint, knowledge_files, load_knowledge

SECTIONS = {"intro", "myth-1", "myth-2", "myth-3", "myth-4", "myth-5", "conclusion"}

# Every fact the article states must have a record that names it.
TOPICS = [
    "machine learning", "image recognition", "natural language processing", "medical diagnosis",
    "transfer learning", "ImageNet", "medical image", "data augmentation", "rotat", "flipping", "cropping",
    "colour", "synonym", "back-translation", "inserting or deleting", "few-shot", "meta-learning",
    "feature visualization", "saliency", "attention", "relevance propagation", "SHAP", "game-theoretic",
    "bias", "generalise", "computationally expensive", "interpret", "symbolic reasoning", "GPU", "TPU",
    "CPU", "size of the model", "prototypes", "cloud computing", "mathematics and programming",
    "TensorFlow", "PyTorch", "Keras", "high-level APIs", "explainability", "evolving",
]


@pytest.fixture(scope="module")
def records():
    return load_knowledge([DEFAULT_KNOWLEDGE])


def test_every_section_and_myth_is_present(records):
    assert {r.section for r in records if not r.is_restatement} == SECTIONS
    myths = {r.section for r in records if r.is_myth}
    assert {"myth-1", "myth-2", "myth-3", "myth-4", "myth-5"} <= myths


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_of_the_article_has_a_record(records, topic):
    assert any(topic.lower() in r.text.lower() for r in records), topic


def test_records_carry_ids_sections_and_source_metadata(records):
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    for record in records:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", record.id)
        assert record.text and record.heading
        assert record.source.title.startswith("Which Of The Following")
        assert record.source.author == "Holbox" and record.source.date == "2025-05-10"
        if record.kind == "claim":
            assert record.rating in {"true", "false", "nuanced"} and record.note


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


GOOD_HEAD = "source: {title: T}\nsections:\n  s1:\n    heading: H\n    records:\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("      - {id: a, kind: passage}\n", "record a: `text` must be non-empty"),
        ("      - {id: a, kind: opinion, text: x}\n", "record a: `kind` must be one of"),
        ("      - {id: a, kind: claim, text: x, rating: maybe}\n", "record a: `rating` must be one of"),
        ("      - {id: Bad Id, text: x}\n", "record #1: `id` must be"),
        ("      - {id: a, text: x, colour: red}\n", "record a: unknown field(s) colour"),
        ("      - {id: a, text: x}\n      - {id: a, text: y}\n", "record a: id already used"),
        ("      - [not, a, mapping]\n", "record #1: expected a mapping"),
        ("    - : :\n  bad: [\n", "not valid YAML"),
        ("      - {id: a, text: x, restatements: [y]}\n", "record a: `restatements` must map"),
        ("      - {id: a, text: x, restatements: {maybe: [y]}}\n", "expected a list under one of"),
        ("      - {id: a, text: x, restatements: {'true': ['']}}\n", "restatement a.t1: `text` must be non-empty"),
    ],
)
def test_malformed_files_name_the_file_and_record(tmp_path, body, message):
    folder = _write(tmp_path, "broken.yaml", GOOD_HEAD + body)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge([folder])
    assert "broken.yaml" in str(error.value)
    assert message in str(error.value)


def test_plain_sources_become_passages_with_heading_paths(tmp_path):
    folder = _write(tmp_path, "notes.md", "# My notes\n\nIntro text here.\n\n## Dropout\n\nDropout randomly zeroes "
                    "activations during training.\n\n### Rates\n\nTypical rates are 0.1 to 0.5.\n")
    records = load_knowledge([folder])
    assert [r.section for r in records] == ["My notes", "My notes > Dropout", "My notes > Dropout > Rates"]
    assert records[1].text == "Dropout randomly zeroes activations during training."
    assert all(r.kind == "passage" and r.source.title == "My notes" for r in records)
    assert records[0].id == "user-notes-1"


def test_long_paragraphs_are_split_into_bounded_passages(tmp_path):
    sentence = "Deep networks learn layered representations of their input data. "
    folder = _write(tmp_path, "long.txt", sentence * 40)
    records = load_knowledge([folder])
    assert len(records) > 1
    assert all(len(r.text.split()) <= 100 for r in records)


def test_user_sources_load_beside_the_built_in_knowledge(tmp_path, records):
    folder = _write(tmp_path, "extra.txt", "Batch normalisation stabilises training.")
    combined = load_knowledge([DEFAULT_KNOWLEDGE, folder])
    assert len(combined) == len(records) + 1


def test_non_utf8_and_missing_folders_are_refused_clearly(tmp_path):
    (tmp_path / "latin.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(KnowledgeError, match="latin.txt: not UTF-8"):
        load_knowledge([tmp_path])
    with pytest.raises(KnowledgeError, match="does not exist"):
        load_knowledge([tmp_path / "missing"])


@pytest.mark.parametrize("name", ["notes.md", "facts.yaml"])
def test_an_unreadable_file_is_named(tmp_path, monkeypatch, name):
    folder = _write(tmp_path, name, "text")
    read_text = Path.read_text

    def refuse(path, *args, **kwargs):
        if path.name == name:  # as chmod 000 does for anyone but root
            raise PermissionError(13, "Permission denied")
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(KnowledgeError, match=f"{name}: cannot read it: Permission denied"):
        load_knowledge([folder])


def test_fingerprint_changes_with_the_content(tmp_path):
    folder = _write(tmp_path, "a.txt", "one")
    before = fingerprint(knowledge_files([folder]))
    (folder / "a.txt").write_text("two")
    assert fingerprint(knowledge_files([folder])) != before


def test_restatements_become_records_that_name_the_record_they_restate(records):
    by_id = {r.id: r for r in records}
    restated = [r for r in records if r.is_restatement and r.about]
    assert len(restated) >= 500
    for record in restated:
        parent = by_id[record.about]
        assert not parent.is_restatement and record.section == parent.section
        assert record.rating in {"true", "false", "nuanced"}
        assert record.id.startswith(f"{parent.id}.{record.rating[0]}")
    # Every article record has people's wordings of it, and every myth is denied in some of them.
    assert {r.about for r in restated} == {r.id for r in records if not r.is_restatement}
    assert all(any(r.about == myth.id and r.rating == "true" for r in restated)
               for myth in records if myth.is_myth)


def test_statements_the_article_does_not_decide_are_kept_apart(records):
    uncovered = [r for r in records if r.is_restatement and r.about is None]
    assert len(uncovered) >= 50
    assert all(r.rating == "unverifiable" and r.section == "none" for r in uncovered)


def test_restatements_and_not_covered_load_from_a_users_yaml(tmp_path):
    body = GOOD_HEAD + ("      - id: gpu\n        text: GPUs are optional.\n        restatements:\n"
                        "          true: [You can skip the GPU.]\n          false: [A GPU is a must.]\n"
                        "not_covered: [Adam is an optimiser.]\n")
    loaded = load_knowledge([_write(tmp_path, "notes.yaml", body)])
    assert [(r.id, r.kind, r.rating, r.about) for r in loaded] == [
        ("gpu", "passage", "true", None),
        ("gpu.t1", "restatement", "true", "gpu"),
        ("gpu.f1", "restatement", "false", "gpu"),
        ("not-covered.1", "restatement", "unverifiable", None),
    ]
