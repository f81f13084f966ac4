"""The app's options and chat handlers, with a fake engine (no models, no server)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import gradio as gr
import pytest

from bot.config import DEFAULT_KNOWLEDGE, Settings
from bot.conversation.dialogue import wants_help
from bot.errors import UsageError
from bot.interfaces.app.batch_tab import NO_FILE, BatchTab
from bot.interfaces.app.chat import EMPTY_STATEMENT, Chat
from bot.interfaces.app.engine import is_builtin
from bot.interfaces.app.options import DEFAULT_HOST, DEFAULT_PORT, parse
from bot.knowledge.records import Record, Source
from bot.verdict.report import Report, Verdict


def _record(path: Path) -> Record:
    return Record(id="r", section="s", heading="Topic", kind="passage", text="t", rating="true",
                  source=Source("Src"), path=str(path))


class FakeEngine:
    settings = Settings()

    def __init__(self):
        self.calls: list[list[str]] = []

    def split_records(self):
        return [_record(DEFAULT_KNOWLEDGE / "kb.yaml")], []

    def check_many(self, messages):
        self.calls.append(list(messages))
        return [Report(m, claims=(Verdict(m, m, "true", 0.9, "Fine.", None),)) for m in messages]

    def check(self, message):
        return self.check_many([message])[0]


def test_defaults_are_local_only():
    options = parse([], environ={})
    assert (options.host, options.port, options.knowledge, options.nli_model) == (DEFAULT_HOST, DEFAULT_PORT, (), None)
    assert DEFAULT_HOST == "127.0.0.1" and DEFAULT_PORT == 7860


def test_flags_beat_gradio_environment_which_beats_defaults():
    env = {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "9000"}
    assert (parse([], environ=env).host, parse([], environ=env).port) == ("0.0.0.0", 9000)
    options = parse(["--host", "localhost", "--port", "8001", "--knowledge", "a", "--knowledge", "b",
                     "--nli-model", "m"], environ=env)
    assert (options.host, options.port, options.knowledge, options.nli_model) == ("localhost", 8001, ("a", "b"), "m")


@pytest.mark.parametrize("argv, env", [(["--port", "http"], {}), (["--port", "70000"], {}),
                                       ([], {"GRADIO_SERVER_PORT": "x"}), (["--bogus"], {})])
def test_bad_options_are_usage_errors(argv, env):
    with pytest.raises(UsageError):
        parse(argv, environ=env)


@pytest.mark.parametrize("message", ["help", "Help!", "what can you do?", "What do you know?", "hello", "?"])
def test_help_requests(message):
    assert wants_help(message)


@pytest.mark.parametrize("message", ["Deep learning needs data.", "What do you know about CNNs in medicine?",
                                     "Can deep learning help doctors?"])
def test_claims_are_not_help_requests(message):
    assert not wants_help(message)


def test_respond_adds_the_turn_and_clears_the_box():
    chat = Chat(FakeEngine())
    history, box, context = chat.respond("Nets <b>learn</b>.", [], None)
    assert box == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "&lt;b&gt;learn&lt;/b&gt;" in history[0]["content"] and "✔ TRUE" in history[1]["content"]
    history, _, context = chat.respond("what can you do?", history, context)
    assert len(history) == 4 and "What I do" in history[3]["content"] and "Topic" in history[3]["content"]


def test_respond_ignores_an_empty_message():
    engine = FakeEngine()
    history = [{"role": "user", "content": "x"}]
    assert Chat(engine).respond("   ", history, None) == (history, "", None)
    assert engine.calls == []


def test_each_session_keeps_its_own_context():
    engine, chat = FakeEngine(), Chat(FakeEngine())
    chat.engine = engine
    _, _, mine = chat.respond("Deep learning requires GPUs.", [], None)
    _, _, theirs = chat.respond("Neural networks need data.", [], None)
    history, _, mine = chat.respond("what about TPUs?", [], mine)
    assert "Checking: Deep learning requires TPUs" in history[1]["content"]
    history, _, theirs = chat.respond("why?", [], theirs)
    assert "Fine." in history[1]["content"] and engine.calls[-1] == ["Deep learning requires TPUs"]
    history, _, _ = chat.respond("why?", [], None)
    assert "not judged a claim yet" in history[1]["content"]


def test_check_api_batches_and_keeps_order_with_empty_statements():
    engine = FakeEngine()
    (results,) = Chat(engine).check_api(["a", "", "b", None])
    assert engine.calls == [["a", "b"]]
    assert [r.get("verdict") for r in results] == ["true", None, "true", None]
    assert results[1] == {"statement": "", "error": EMPTY_STATEMENT} and results[3]["error"] == EMPTY_STATEMENT
    assert results[0]["statement"] == "a" and results[0]["citation"] is None


def test_builtin_records_are_told_from_added_ones(tmp_path):
    assert is_builtin(_record(DEFAULT_KNOWLEDGE / "kb.yaml"))
    assert not is_builtin(_record(tmp_path / "mine.md"))


def _no_progress(*args, **kwargs) -> None:
    return None


@pytest.fixture
def upload_folder(tmp_path, monkeypatch) -> Path:
    """Gradio's upload folder, in a temporary place."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "uploads"))
    (tmp_path / "uploads").mkdir()
    return tmp_path / "uploads"


def _final(updates):
    """The last update of a batch run, with the result files read before they are cleaned up."""
    for table, files, status, _chart in updates:
        if files is not None:
            return table, {Path(name).name: Path(name).read_text(encoding="utf-8") for name in files}, status
    raise AssertionError("no final update")


def test_batch_tab_fills_the_table_and_writes_both_files(upload_folder):
    upload = upload_folder / "my list!.csv"
    upload.write_text("id,statement\n7,Nets learn.\n8,\n9,Nets <b>learn</b> fast.\n", encoding="utf-8")
    table, files, status = _final(BatchTab(FakeEngine()).check_file(str(upload), "statement", progress=_no_progress))
    assert [row[0] for row in table] == [1, 2, 3]
    assert table[1][2] == "ERROR" and "empty" in table[1][5]
    assert table[2][1] == "Nets <b>learn</b> fast." and table[2][2] == "✔ TRUE"
    assert status.startswith("Done: 3 rows")
    updates = list(BatchTab(FakeEngine()).check_file(str(upload), "statement", progress=_no_progress))
    chart = updates[-1][3]
    assert "Verdicts by article section" in chart and "2 true" in chart and "1 error" in chart
    assert list(files) == ["my_list_-checked.csv", "my_list_-checked.jsonl"]
    assert files["my_list_-checked.csv"].splitlines()[0].startswith("id,row,statement,claim,verdict")
    jsonl = [json.loads(line) for line in files["my_list_-checked.jsonl"].splitlines()]
    assert [(r["id"], r["row"], r["verdict"]) for r in jsonl] == [("7", 1, "true"), ("8", 2, "error"), ("9", 3, "true")]


def _refused(path: str | None, column: str = "statement", engine: FakeEngine | None = None) -> str:
    """The status of a file the tab will not check; it must say so in one update, with nothing else shown."""
    engine = engine or FakeEngine()
    updates = list(BatchTab(engine).check_file(path, column, progress=_no_progress))
    assert len(updates) == 1 and engine.calls == []
    table, files, status, chart = updates[0]
    assert (table, files, chart) == ([], None, "") and status.startswith("**Cannot check this file:** ")
    return status


def test_batch_tab_refuses_files_outside_the_upload_folder(upload_folder, tmp_path):
    elsewhere = tmp_path / "secret.txt"
    elsewhere.write_text("Nets learn.\n", encoding="utf-8")
    assert "uploaded here" in _refused(str(elsewhere))
    assert "uploaded here" in _refused(str(upload_folder / ".." / "secret.txt"), "")
    link = upload_folder / "link.txt"  # inside the upload folder, pointing out of it
    link.symlink_to(elsewhere)
    assert "uploaded here" in _refused(str(link), "")


def test_batch_tab_reads_utf16_uploads_and_refuses_binary_ones(upload_folder):
    excel = upload_folder / "excel.tsv"
    excel.write_bytes("\ufeffid\tstatement\r\n1\tNets learn — naïve.\r\n".encode("utf-16-le"))
    table, _, _ = _final(BatchTab(FakeEngine()).check_file(str(excel), "statement", progress=_no_progress))
    assert table == [[1, "Nets learn — naïve.", "✔ TRUE", "90%", "", "Fine."]]
    binary = upload_folder / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    # The command line's message, naming the file as the user knows it, never the server's upload path.
    assert _refused(str(binary), "") == "**Cannot check this file:** image\\.txt looks like a binary file, not text."


class FailingEngine(FakeEngine):
    """Checks the first chunk, then fails as a crashed checker would."""

    def check_many(self, messages):
        if self.calls:
            raise RuntimeError("the checker died")
        return super().check_many(messages)


def test_batch_tab_offers_no_half_written_files_and_leaves_none_when_checking_fails(upload_folder, tmp_path,
                                                                                     monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the result files are written
    upload = upload_folder / "many.txt"
    upload.write_text("".join(f"Statement number {n}.\n" for n in range(20)), encoding="utf-8")
    updates = []
    with pytest.raises(RuntimeError, match="the checker died"):
        for update in BatchTab(FailingEngine()).check_file(str(upload), "", progress=_no_progress):
            updates.append(update)
            assert len(list(scratch.iterdir())) == 1  # the files are being written, in their own folder
    assert updates and all(files is None for _, files, _, _ in updates)
    assert list(scratch.iterdir()) == []


def test_batch_tab_reports_unusable_files_as_errors(upload_folder):
    bad = upload_folder / "no-column.csv"
    bad.write_text("text\nNets learn.\n", encoding="utf-8")
    assert "no column \\`statement\\`" in _refused(str(bad))
    assert list(BatchTab(FakeEngine()).check_file(None, "statement", progress=_no_progress)) == [([], None, NO_FILE, "")]
    for name, content in (("empty.txt", ""), ("comments.txt", "# only a comment\n\n"), ("header.csv", "statement\n")):
        (upload_folder / name).write_text(content, encoding="utf-8")
        assert _refused(str(upload_folder / name)).endswith(f"{name.replace('.', chr(92) + '.')} has no statements "
                                                             "to check.")


def test_the_app_keeps_the_sessions_it_measured_flat_with(monkeypatch):
    from bot.interfaces.app.layout import SESSIONS_KEPT, launch

    seen = {}
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **options: seen.update(options))
    with gr.Blocks() as demo:
        gr.Markdown("page")
    launch(demo, host="127.0.0.1", port=7860)
    # Gradio's default (10,000 sessions, one per REST call) let the app grow by 450 MiB in 5 minutes.
    assert seen["state_session_capacity"] == SESSIONS_KEPT <= 1000
