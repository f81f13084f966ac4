"""Bad input, damaged files and failures: a clear answer or a clear error, never a crash or a hang.

Each tricky statement goes through all three ways in (the CLI, batch, the app's `/check`),
which must agree. Verdicts on covered statements are not asserted (the NLI model may be an
early checkpoint), only what the cases promise: a note, `unverifiable`, a one-line error.
"""

from __future__ import annotations

import codecs
import importlib.util
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot import fileio
from bot.config import PACKAGED_ENCODER, PROJECT_ROOT, load_settings, resolve_model_path
from bot.errors import ModelError
from bot.interfaces import cli
from bot.interfaces.app.chat import Chat
from bot.interfaces.app.engine import SharedChecker
from bot.interfaces.batch.job import BatchOptions, run_batch
from bot.knowledge.index_store import INDEX_FILE, MANIFEST_FILE
from bot.models.nli import NLIModel, save_model
from bot.models.runtime import make_nli
from bot.models.weights import DELTA_WEIGHTS
from bot.verdict.report import VERDICTS

COVERED = "Deep learning needs GPUs"  # close to the knowledge base, so NLI runs on it
NOT_ENGLISH = "does not look like English"
NOTHING = "no statement here to check"


@pytest.fixture
def no_models(monkeypatch):
    """Usage errors must stop a command before any model loads."""
    monkeypatch.setattr(cli, "_checker", lambda args: pytest.fail("the checker was built despite a usage error"))


@pytest.fixture
def use_checker(monkeypatch, checker):
    """The CLI uses the session's warm checker instead of loading the models again."""
    monkeypatch.setattr(cli, "_checker", lambda args: checker)
    return checker


def one_error_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("claimcheck: error: ") and "Traceback" not in err
    return err


# -- tricky statements, through every way in -----------------------------------------------


def _unverifiable_not_english(result: dict) -> None:
    assert result["verdict"] == "unverifiable" and result["confidence"] == 0.5 and result["citation"] is None
    assert any(NOT_ENGLISH in note for note in result["notes"])


def _nothing_to_check(result: dict) -> None:
    assert result["verdict"] == "unverifiable" and result["claim"] == "" and NOTHING in result["explanation"]


def _uncovered(result: dict) -> None:
    assert result["verdict"] == "unverifiable" and result["citation"] is None and "notes" not in result


def _claim(expected: str) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        assert result["claim"] == expected and result["verdict"] in VERDICTS and "notes" not in result

    return check


TRICKY = {
    "zero-width only": ("\u200b\u200d\ufeff", _nothing_to_check),
    "punctuation only": ("?!", _nothing_to_check),
    "quotes only": ("“”", _nothing_to_check),
    "emoji only": ("🚀🔥🤖", _uncovered),
    "emoji in a claim": (f"{COVERED} 🚀", _claim(f"{COVERED} 🚀")),
    "zero-width inside words": ("\u200bDeep\u200b learn\u200cing needs\u2060 GPUs", _claim(COVERED)),
    "bidi overrides": (f"\u202e{COVERED}\u202c", _claim(COVERED)),
    "html and script": (f"<script>alert(1)</script> {COVERED}", _claim(f"<script>alert(1)</script> {COVERED}")),
    "arabic (right to left)": ("التعلم العميق يحتاج دائما إلى وحدات معالجة الرسومات", _unverifiable_not_english),
    "hebrew (right to left)": ("למידה עמוקה דורשת תמיד כרטיס גרפי", _unverifiable_not_english),
    "german with English terms": ("Deep Learning braucht immer GPUs", _unverifiable_not_english),
    "spanish": ("El aprendizaje profundo necesita GPU", _unverifiable_not_english),
    "italian": ("Il deep learning richiede sempre GPU", _unverifiable_not_english),
    "portuguese": ("O deep learning precisa de GPUs", _unverifiable_not_english),
    "dutch": ("Deep learning heeft altijd GPUs nodig", _unverifiable_not_english),
    "chinese": ("深度学习需要GPU", _unverifiable_not_english),
}


def via_cli(statement: str, capsys) -> dict:
    assert cli.main(["check", statement, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def via_batch(statement: str, checker, tmp_path: Path) -> dict:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"statement": statement}) + "\n", encoding="utf-8")
    assert run_batch(BatchOptions(str(source), str(out)), lambda: checker).errors == 0
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record.pop("row") == 1
    return record


def via_app(statement: str, checker) -> dict:
    (results,) = Chat(SharedChecker(checker)).check_api([statement])
    return results[0]


@pytest.mark.parametrize("statement, expect", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_statements_get_the_same_clear_answer_everywhere(statement, expect, use_checker, tmp_path, capsys):
    results = [via_cli(statement, capsys), via_batch(statement, use_checker, tmp_path), via_app(statement, use_checker)]
    for result in results:
        assert result["statement"] == statement
        expect(result)
    assert results[0] == results[1] == results[2]


def test_html_in_a_statement_is_printed_as_plain_text(use_checker, capsys):
    assert cli.main(["check", f"<b>Bold</b> <script>alert(1)</script> {COVERED} &amp;"]) == 0
    out = capsys.readouterr().out
    assert f"<b>Bold</b> <script>alert(1)</script> {COVERED} &amp;" in out and "&lt;" not in out


def test_the_app_escapes_markup_from_a_real_check(checker):
    reply = Chat(SharedChecker(checker)).reply(f'<img src=x onerror="alert(1)"> {COVERED}')
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in reply and "<img" not in reply


PIECES = [*" ?!.,;:\"'“”()-\n\u200b\u202e", "A)", "B)", "Which", "not", "GPUs", "é", "🚀", "deep learning", "is"]


@hypothesis_settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=80))
def test_any_message_gets_a_report(checker, message):
    report = checker.check(message).to_dict()
    verdicts = ([option["verdict"] for option in report["quiz"]["options"]] if "quiz" in report
                else [claim["verdict"] for claim in report.get("claims", [report])])
    assert verdicts and set(verdicts) <= set(VERDICTS)


# -- very long input -----------------------------------------------------------------------

LONG = " ".join(f"Deep learning needs GPUs number {n}." for n in range(4000))[:100_000]


def test_a_100000_character_statement_is_cut_with_a_notice_in_bounded_time(use_checker, capsys):
    assert len(LONG) == 100_000
    started = time.monotonic()
    assert cli.main(["check", LONG, "--json"]) == 0
    assert time.monotonic() - started < 60
    result = json.loads(capsys.readouterr().out)
    assert any("only the first 2000 were checked" in note for note in result["notes"])
    assert len(result["claims"]) > 1 and all(claim["verdict"] in VERDICTS for claim in result["claims"])


def test_the_app_cuts_a_100000_character_message_too(checker):
    started = time.monotonic()
    (results,) = Chat(SharedChecker(checker)).check_api([LONG])
    assert time.monotonic() - started < 60
    assert any("only the first 2000 were checked" in note for note in results[0]["notes"])


@pytest.mark.parametrize("suffix", ["txt", "jsonl"])
def test_a_1_mb_line_in_a_batch_is_an_error_row_and_the_rest_are_checked(suffix, use_checker, tmp_path, capsys):
    statements = [COVERED, LONG, "x" * 1_000_000, "Keras simplifies building models."]
    source, out = tmp_path / f"in.{suffix}", tmp_path / "out.jsonl"
    lines = statements if suffix == "txt" else [json.dumps({"statement": text}) for text in statements]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    assert cli.main(["batch", str(source), "-o", str(out)]) == 1
    assert time.monotonic() - started < 120
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [record["row"] for record in records] == [1, 2, 3, 4]
    assert records[2]["verdict"] == "error" and "1000000 characters long; the limit is 100000" in records[2]["error"]
    assert any("only the first 2000 were checked" in note for note in records[1]["notes"])
    assert records[0]["verdict"] in VERDICTS and records[3]["verdict"] in VERDICTS
    assert "1 error" in capsys.readouterr().err


# -- input and output files ----------------------------------------------------------------


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_input_with_a_byte_order_mark_is_decoded(encoding, bom, use_checker, tmp_path):
    source, out = tmp_path / "excel.tsv", tmp_path / "out.jsonl"
    source.write_bytes(bom + f"id\tstatement\r\n1\t{COVERED} — naïve 🚀\r\n2\tKeras simplifies models.\r\n"
                       .encode(encoding))
    assert cli.main(["batch", str(source), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["statement"]) for r in records] == [
        ("1", f"{COVERED} — naïve 🚀"), ("2", "Keras simplifies models.")]
    assert all(record["verdict"] in VERDICTS for record in records)


def _inside_a_file(tmp_path: Path, name: str) -> str:
    """A path under a regular file: unreadable and unwritable even for root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    return str(blocker / name)


@pytest.mark.parametrize("argv, message", [
    (["batch", "{bad}"], "cannot read"),
    (["batch", "{good}", "-o", "{bad}"], "cannot write"),
    (["batch", "{good}", "-o", "{bad}", "--resume"], "cannot write"),
    (["eval", "{bad}"], "cannot read"),
    (["nli-eval", "{bad}"], "cannot read"),
    (["batch", "{folder}"], "is a directory"),
    (["eval", "{folder}"], "cannot read"),
    (["batch", "{good}", "-o", "{folder}"], "is a directory"),
])
def test_unusable_paths_are_one_line_usage_errors(argv, message, tmp_path, capsys, no_models):
    good = tmp_path / "in.txt"
    good.write_text(COVERED + "\n", encoding="utf-8")
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    paths = {"{good}": str(good), "{bad}": _inside_a_file(tmp_path, "x.jsonl"), "{folder}": str(folder)}
    assert cli.main([paths.get(arg, arg) for arg in argv]) == 2
    assert message in one_error_line(capsys.readouterr().err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes files whatever their mode")
def test_files_without_permission_are_one_line_usage_errors(tmp_path, capsys, no_models):
    locked = tmp_path / "locked.txt"
    locked.write_text(COVERED + "\n", encoding="utf-8")
    locked.chmod(0)
    assert cli.main(["batch", str(locked)]) == 2
    assert "Permission denied" in one_error_line(capsys.readouterr().err)
    good, read_only = tmp_path / "in.txt", tmp_path / "read-only"
    good.write_text(COVERED + "\n", encoding="utf-8")
    read_only.mkdir(mode=0o500)
    assert cli.main(["batch", str(good), "-o", str(read_only / "out.jsonl")]) == 2
    assert "Permission denied" in one_error_line(capsys.readouterr().err)


# -- a damaged index, damaged models -------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage index", "empty manifest", "missing index"])
def test_a_damaged_shipped_index_exits_1_with_the_rebuild_command(damage, settings, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    if damage == "garbage index":
        (index / INDEX_FILE).write_bytes(b"\x00garbage" * 100)
    elif damage == "empty manifest":
        (index / MANIFEST_FILE).write_text("", encoding="utf-8")
    else:
        (index / INDEX_FILE).unlink()
    damaged = {path.name: path.read_bytes() for path in index.iterdir()}
    assert cli.main(["search", "do I need a GPU", "-k", "1", "--json", "--index", str(index)]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert "corrupt" in err and "rebuild it with `claimcheck index`" in err
    assert {path.name: path.read_bytes() for path in index.iterdir()} == damaged  # read-only at run time


@pytest.fixture
def shipped_copy(settings, tmp_path) -> Path:
    """A copy of the configured NLI model folder, to damage."""
    folder = tmp_path / "model"
    shutil.copytree(settings.nli_model, folder)
    return folder


@pytest.mark.parametrize("damage, message", [
    ("empty folder", "there is no NLI model in"),
    ("no weights", "is incomplete (no delta.safetensors)"),
    ("no tokenizer", "is incomplete (no tokenizer.json)"),
    ("corrupt weights", "is damaged (SafetensorError"),
    ("corrupt manifest", "is damaged (JSONDecodeError"),
    ("missing folder", "does not exist"),
])
@pytest.mark.parametrize("runtime", ["auto", "torch"])  # auto: ONNX Runtime while the folder has its graph
def test_a_damaged_nli_model_folder_is_named_with_what_to_do(damage, message, runtime, settings, shipped_copy):
    if damage == "empty folder":
        shutil.rmtree(shipped_copy)
        shipped_copy.mkdir()
    elif damage == "no weights":
        (shipped_copy / DELTA_WEIGHTS).unlink()
    elif damage == "no tokenizer":
        (shipped_copy / "tokenizer.json").unlink()
    elif damage == "corrupt weights":
        weights = shipped_copy / DELTA_WEIGHTS
        weights.write_bytes(weights.read_bytes()[:1000])
    elif damage == "corrupt manifest":
        (shipped_copy / "claimcheck.json").write_text("{", encoding="utf-8")
    else:
        shutil.rmtree(shipped_copy)
    with pytest.raises(ModelError) as error:
        make_nli(replace(settings, nli_model=str(shipped_copy), runtime=runtime)).warm_up()
    assert message in str(error.value) and str(shipped_copy) in str(error.value)
    assert "CLAIMCHECK_NLI_MODEL" in str(error.value) or "restore" in str(error.value)


def test_a_damaged_shipped_model_says_how_to_restore_it(shipped_copy, monkeypatch):
    monkeypatch.setattr("bot.models.weights.DEFAULT_NLI_MODEL", str(shipped_copy))
    (shipped_copy / DELTA_WEIGHTS).unlink()
    with pytest.raises(ModelError, match=r"restore the shipped model \(git checkout -- models/nli-minilm-l6"):
        NLIModel(str(shipped_copy)).warm_up()


def test_check_with_a_broken_nli_model_exits_1_with_one_line(settings, retriever, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty-model"
    empty.mkdir()
    monkeypatch.setenv("CLAIMCHECK_NLI_MODEL", str(empty))
    assert cli.main(["check", COVERED, "--index", str(settings.index_dir)]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert str(empty) in err and "point CLAIMCHECK_NLI_MODEL or --nli-model at a complete model folder" in err


def test_the_app_refuses_to_start_with_a_broken_model(settings, retriever, tmp_path, monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("claimcheck_app", PROJECT_ROOT / "app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    empty = tmp_path / "empty-model"
    empty.mkdir()
    monkeypatch.setenv("CLAIMCHECK_NLI_MODEL", str(empty))
    monkeypatch.setenv("CLAIMCHECK_INDEX", str(settings.index_dir))
    monkeypatch.setattr("bot.interfaces.app.layout.launch", lambda *args, **kwargs: pytest.fail("the app started"))
    assert app.main([]) == 1
    assert str(empty) in one_error_line(capsys.readouterr().err)


def test_broken_thresholds_beside_the_model_exit_1_with_one_line(shipped_copy, monkeypatch, capsys):
    (shipped_copy / "thresholds.json").write_text("{\"support\": ", encoding="utf-8")
    monkeypatch.setenv("CLAIMCHECK_NLI_MODEL", str(shipped_copy))
    assert cli.main(["check", COVERED]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert str(shipped_copy / "thresholds.json") in err and "tune_thresholds.py" in err


def test_broken_note_thresholds_beside_the_notes_model_exit_1_with_one_line(shipped_copy, monkeypatch, capsys):
    (shipped_copy / "thresholds_notes.json").write_text("{\"support\": \"high\"}", encoding="utf-8")
    monkeypatch.setenv("CLAIMCHECK_NOTES_NLI_MODEL", str(shipped_copy))
    assert cli.main(["check", COVERED]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert str(shipped_copy / "thresholds_notes.json") in err and "tune_note_thresholds.py" in err


def test_a_broken_notes_model_stops_only_checks_against_notes(settings, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "empty-model"
    empty.mkdir()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "notes.md").write_text("# Regularisation\n\nDropout randomly zeroes activations during training.\n")
    monkeypatch.setenv("CLAIMCHECK_NOTES_NLI_MODEL", str(empty))
    # The article's checks never load the notes' model.
    assert cli.main(["check", COVERED, "--index", str(settings.index_dir)]) == 0
    assert cli.main(["index", "--knowledge", str(notes)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "Dropout zeroes activations during training.", "--knowledge", str(notes)]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert str(empty) in err and "point CLAIMCHECK_NOTES_NLI_MODEL at a complete model folder" in err


def test_a_damaged_shipped_notes_model_says_how_to_restore_it(settings, shipped_copy, monkeypatch):
    monkeypatch.setattr("bot.models.weights.DEFAULT_NOTES_NLI_MODEL", str(shipped_copy))
    (shipped_copy / DELTA_WEIGHTS).unlink()
    with pytest.raises(ModelError, match=r"restore the shipped model \(git checkout -- models/nli-notes-minilm-l6"):
        make_nli(replace(settings, notes_nli_model=str(shipped_copy)), notes=True).warm_up()


def test_a_corrupt_embedder_folder_exits_1_with_one_line_and_no_rebuild(settings, retriever, tmp_path, capsys):
    packaged = Path(resolve_model_path(PACKAGED_ENCODER))
    broken = tmp_path / "embedder"
    shutil.copytree(packaged, broken, ignore=shutil.ignore_patterns("model.safetensors"))
    (broken / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}")
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    before = (index / MANIFEST_FILE).read_bytes()
    assert cli.main(["search", "GPU", "--embedder", str(broken), "--index", str(index)]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert f"cannot load embedding model '{broken}'" in err and "--embedder" in err
    assert (index / MANIFEST_FILE).read_bytes() == before


@pytest.mark.parametrize("runtime", ["onnx", "torch"])
def test_a_damaged_shipped_embedder_exits_1_with_one_line(tmp_path, capsys, runtime):
    broken = tmp_path / "embedder"
    shutil.copytree(load_settings(environ={}).embedder, broken)
    (broken / DELTA_WEIGHTS).write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}")
    assert cli.main(["search", "GPU", "--embedder", str(broken), "--runtime", runtime]) == 1
    err = one_error_line(capsys.readouterr().err)
    assert f"the embedder in {broken} is damaged" in err and "point CLAIMCHECK_EMBEDDER or --embedder" in err


# -- whole-file writes are atomic ----------------------------------------------------------


def _fail(*args, **kwargs):
    raise OSError(28, "No space left on device")


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name not in keep)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "data.json"
    fileio.atomic_write_text(target, "old and good")
    monkeypatch.setattr(os, "fsync", _fail)  # the new bytes are written, not yet in place
    with pytest.raises(OSError):
        fileio.atomic_write_text(target, "new " * 10_000)
    assert target.read_text(encoding="utf-8") == "old and good"
    assert _leftovers(tmp_path, {"data.json"}) == []


def test_a_failed_index_save_keeps_the_old_index_usable(settings, retriever, tmp_path, monkeypatch, capsys):
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    before = {name: (index / name).read_bytes() for name in (INDEX_FILE, MANIFEST_FILE)}
    monkeypatch.setattr(os, "fsync", _fail)
    assert cli.main(["index", "--index", str(index)]) == 1
    assert "cannot write the index" in one_error_line(capsys.readouterr().err)
    assert {name: (index / name).read_bytes() for name in before} == before
    assert _leftovers(index, set(before)) == []
    monkeypatch.undo()
    assert cli.main(["search", "GPU", "-k", "1", "--index", str(index)]) == 0  # the old index is still current


@pytest.fixture(scope="module")
def tiny_classifier():
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=32, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=8, max_position_embeddings=16, num_labels=3,
                        id2label={0: "entailment", 1: "neutral", 2: "contradiction"})
    return BertForSequenceClassification(config)


class _Tokenizer:
    """Writes one file, as a real tokenizer's save_pretrained does; or fails."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def save_pretrained(self, folder) -> None:
        if self.fail:
            _fail()
        (Path(folder) / "tokenizer.json").write_text("{}", encoding="utf-8")


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_failed_model_save_leaves_the_old_model_and_no_staging_folder(tiny_classifier, tmp_path):
    folder = tmp_path / "model"
    save_model(tiny_classifier, _Tokenizer(), folder, base="base", shared=[])
    before = _contents(folder)
    assert set(before) >= {"claimcheck.json", "config.json", DELTA_WEIGHTS, "tokenizer.json"}
    with pytest.raises(OSError):
        save_model(tiny_classifier, _Tokenizer(fail=True), folder, base="other", shared=[])
    assert _contents(folder) == before
    assert _leftovers(tmp_path, {"model"}) == []


def test_a_model_save_replaces_the_folder_whole_and_clears_a_killed_save(tiny_classifier, tmp_path):
    folder = tmp_path / "model"
    save_model(tiny_classifier, _Tokenizer(), folder, base="first", shared=[])
    (folder / "stale.txt").write_text("from the old model", encoding="utf-8")
    killed = tmp_path / ".model.partial"  # what a save killed half-way leaves
    killed.mkdir()
    (killed / DELTA_WEIGHTS).write_bytes(b"half")
    save_model(tiny_classifier, _Tokenizer(), folder, base="second", shared=[])
    assert json.loads((folder / "claimcheck.json").read_text(encoding="utf-8"))["base"] == "second"
    assert not (folder / "stale.txt").exists()
    assert _leftovers(tmp_path, {"model"}) == []
