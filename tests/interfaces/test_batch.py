"""`claimcheck batch`: input formats, pass-through fields, error rows, resuming and exit codes.

Verdicts are not asserted (the NLI model may be an early checkpoint), only the output's shape.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.interfaces import cli
from bot.interfaces.batch.check import check_rows
from bot.interfaces.batch.job import BatchOptions, run_batch
from bot.interfaces.batch.output import resume
from bot.interfaces.batch.rows import InputRow, read_table
from bot.verdict.report import VERDICTS

STATEMENTS = [
    "Deep learning is a subfield of machine learning.",
    "Dropout always prevents overfitting.",
    "Which of the following is NOT true? A) GPUs speed up training. B) You always need a GPU to train.",
    "Batch normalisation normalises layer inputs. It was proposed in 2015.",
]


@pytest.fixture
def use_checker(monkeypatch, checker):
    """The CLI uses the session's warm checker instead of loading the models again."""
    monkeypatch.setattr(cli, "_checker", lambda args: checker)
    return checker


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_checked(record: dict) -> None:
    """The `check --json` object of one message, whatever its verdicts."""
    if "quiz" in record:
        assert {option["verdict"] for option in record["quiz"]["options"]} <= set(VERDICTS)
    elif "claims" in record:
        assert len(record["claims"]) > 1 and all(claim["verdict"] in VERDICTS for claim in record["claims"])
    else:
        assert record["verdict"] in VERDICTS and "explanation" in record and "evidence" in record


def stdin_of(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# -- reading -------------------------------------------------------------------------------


def rows_of(data: bytes, fmt: str, **options) -> list[InputRow]:
    options.setdefault("column", None)
    table = read_table(io.BufferedReader(io.BytesIO(data)), fmt, max_chars=200, name="input", **options)
    return list(table.rows)


def test_text_skips_blank_lines_and_comments_and_numbers_data_rows():
    rows = rows_of(b"\xef\xbb\xbfFirst.\n\n# a comment\n  Second.  \r\nThird.", "txt")
    assert [(row.number, row.statement, row.error) for row in rows] == [
        (1, "First.", None), (2, "Second.", None), (3, "Third.", None)]


def test_rows_that_cannot_be_checked_are_error_rows_not_dropped():
    rows = rows_of(b'{"statement": "Fine."}\n{"statement": "\xe9t\xe9"}\n{broken\n[1]\n{"other": 1}\n'
                   b'{"statement": "   "}\n{"statement": "' + b"x" * 201 + b'"}\n{"statement": "Last."}\n', "jsonl")
    assert [row.number for row in rows] == list(range(1, 9))
    assert rows[0].error is None and rows[-1].error is None
    errors = [row.error for row in rows[1:-1]]
    assert all(errors)
    assert "UTF-8" in errors[0] and "JSON" in errors[1] and "object" in errors[2] and "statement" in errors[3]
    assert "empty" in errors[4] and "limit" in errors[5]
    assert rows[4].fields == {"other": 1}


def test_an_over_long_line_is_an_error_row_and_reading_goes_on():
    table = read_table(io.BufferedReader(io.BytesIO(b"Short.\n" + b"y" * 5000 + b"\nAfter.\n")), "txt",
                       column=None, max_chars=100, name="input", max_line_bytes=64)
    rows = list(table.rows)
    assert [row.statement for row in rows] == ["Short.", "", "After."]
    assert "longer than 64 bytes" in rows[1].error


def test_csv_rows_pass_other_columns_through_and_keep_quoted_newlines():
    rows = rows_of(b'id,text,topic\n1,"One line\nand another.",cnn\n\n2,Two.,rnn\n3,Three.,x,extra\n', "csv",
                   column="text")
    assert [(row.number, row.statement, row.fields) for row in rows[:2]] == [
        (1, "One line\nand another.", {"id": "1", "topic": "cnn"}), (2, "Two.", {"id": "2", "topic": "rnn"})]
    assert "4 fields" in rows[2].error


def test_reading_is_lazy_so_memory_stays_flat(checker):
    pulled = []

    def endless():
        for number in range(1, 10**9):
            pulled.append(number)
            yield InputRow(number, STATEMENTS[0])

    first = next(check_rows(checker, endless(), chunk_size=4))
    assert first.row.number == 1 and len(pulled) == 4


def test_a_chunk_checks_each_distinct_statement_once(checker):
    calls = []

    class Spy:
        def check_many(self, messages):
            calls.append(list(messages))
            return checker.check_many(messages)

    rows = [InputRow(n, text) for n, text in enumerate(STATEMENTS[:2] * 3 + ["", STATEMENTS[0]], start=1)]
    rows[6] = InputRow(7, "", error="the statement is empty")
    outcomes = list(check_rows(Spy(), rows, chunk_size=4))
    assert calls == [STATEMENTS[:2], STATEMENTS[:2]]
    assert [outcome.row.number for outcome in outcomes] == list(range(1, 9))
    assert outcomes[6].report is None and outcomes[6].label == "error"
    assert [outcome.report.statement for outcome in outcomes if outcome.report] == [
        row.statement for row in rows if not row.error]


# -- the command line ----------------------------------------------------------------------


def test_text_file_to_jsonl_file(tmp_path, use_checker, capsys):
    source, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text("# statements\n" + "\n\n".join(STATEMENTS) + "\n", encoding="utf-8")
    assert cli.main(["batch", str(source), "-o", str(out)]) == 0
    records = jsonl(out)
    assert [(record["row"], record["statement"]) for record in records] == list(enumerate(STATEMENTS, start=1))
    for record in records:
        assert_checked(record)
    assert "quiz" in records[2] and "claims" in records[3]
    err = capsys.readouterr().err
    assert "4 rows in" in err and "statements/s" in err and "1 quiz" in err and "by section: " in err


def test_csv_passes_columns_through_with_clashing_names_prefixed(tmp_path, use_checker):
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "verdict"])
        writer.writerows([[7, STATEMENTS[0], "true"], [8, STATEMENTS[1], "false"]])
    assert cli.main(["batch", str(source), "-o", str(out), "--column", "text"]) == 0
    records = jsonl(out)
    assert [(r["id"], r["input_verdict"], r["row"], r["statement"]) for r in records] == [
        ("7", "true", 1, STATEMENTS[0]), ("8", "false", 2, STATEMENTS[1])]
    assert "text" not in records[0]
    for record in records:
        assert_checked(record)


def test_jsonl_in_csv_out_flattens_the_report(tmp_path, use_checker):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.csv"
    lines = [{"statement": text, "id": n, "tags": ["a"]} for n, text in enumerate(STATEMENTS)]
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n{not json\n", encoding="utf-8")
    assert cli.main(["batch", str(source), "-o", str(out)]) == 1
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [row["row"] for row in table] == ["1", "2", "3", "4", "5"]
    assert [row["id"] for row in table[:4]] == ["0", "1", "2", "3"] and table[0]["tags"] == '["a"]'
    for row in table[:2]:
        assert row["verdict"] in VERDICTS and row["details"] == ""
        assert isinstance(json.loads(row["evidence"]), list)
        assert row["citation_id"] == "" or row["citation_text"]
    assert table[2]["verdict"] == "quiz" and "quiz" in json.loads(table[2]["details"])
    assert table[3]["verdict"] in VERDICTS and len(json.loads(table[3]["details"])["claims"]) == 2
    assert table[4]["verdict"] == "error" and "JSON" in table[4]["error"]


def test_tsv_from_standard_input_to_standard_output(monkeypatch, use_checker, capsys):
    stdin_of(monkeypatch, f"statement\tsource\n{STATEMENTS[0]}\tbook\n".encode())
    assert cli.main(["batch", "-", "--input-format", "tsv"]) == 0
    out, err = capsys.readouterr()
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["source"] == "book" and record["row"] == 1
    assert_checked(record)
    assert "1 row in" in err


def test_standard_input_is_text_and_csv_goes_to_standard_output(monkeypatch, use_checker, capsys):
    stdin_of(monkeypatch, f"{STATEMENTS[1]}\n\n{STATEMENTS[0]}\n".encode())
    assert cli.main(["batch", "-", "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["row"], row["statement"]) for row in table] == [("1", STATEMENTS[1]), ("2", STATEMENTS[0])]


def test_error_rows_are_written_and_exit_1(tmp_path, use_checker, capsys):
    source, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_bytes(STATEMENTS[0].encode() + b"\nna\xefve bytes\n" + b"z" * 300 + b"\n")
    result = run_batch(BatchOptions(str(source), str(out), max_chars=250), lambda: use_checker)
    assert result.errors == 2 and result.rows == 3
    records = jsonl(out)
    assert [record["verdict"] == "error" for record in records] == [False, True, True]
    assert "UTF-8" in records[1]["error"] and "limit" in records[2]["error"]
    assert cli.main(["batch", str(source), "-o", str(out)]) == 1
    assert "1 error" in capsys.readouterr().err


@pytest.mark.parametrize("case, message", [
    ("missing", "No such file"), ("directory", "is a directory"), ("no column", "no column `statement`"),
    ("unwritable", "cannot write"), ("binary", "binary"), ("resume to stdout", "--resume needs -o"),
    ("unknown extension", "--format"), ("column for text", "--column"), ("bad format", "invalid choice"),
    ("empty", "in.txt has no statements to check"), ("comments only", "has no statements to check"),
    ("header only", "in.csv has no statements to check"), ("empty stdin", "standard input has no statements"),
])
def test_usage_errors_exit_2_with_one_line(case, message, tmp_path, no_checker, capsys, monkeypatch):
    text = tmp_path / "in.txt"
    text.write_text({"empty": "", "comments only": "# a comment\n\n"}.get(case, STATEMENTS[0] + "\n"), encoding="utf-8")
    stdin_of(monkeypatch, b"")
    table = tmp_path / "in.csv"
    table.write_text("statement\n" if case == "header only" else "id,text\n1,hello\n", encoding="utf-8")
    binary = tmp_path / "in.jsonl"
    binary.write_bytes(b'{"statement"\x00\x01\x02: 1}\n')
    argv = {
        "missing": [str(tmp_path / "nope.txt")],
        "directory": [str(tmp_path)],
        "no column": [str(table)],
        "unwritable": [str(text), "-o", str(tmp_path / "no" / "such" / "out.jsonl")],
        "binary": [str(binary)],
        "resume to stdout": [str(text), "--resume"],
        "unknown extension": [str(text), "-o", str(tmp_path / "out.xlsx")],
        "column for text": [str(text), "--column", "text"],
        "bad format": [str(text), "--format", "xml"],
        "empty": [str(text)],
        "comments only": [str(text)],
        "header only": [str(table), "-o", str(tmp_path / "out.csv")],
        "empty stdin": ["-"],
    }[case]
    assert cli.main(["batch", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("claimcheck: error: ") and err.count("\n") == 1 and message in err
    assert not (tmp_path / "out.csv").exists()  # nothing checked, nothing written


# -- resuming ------------------------------------------------------------------------------


def test_resume_after_sigkill_writes_every_row_exactly_once(tmp_path, settings, checker, monkeypatch, capsys):
    """A real run is killed while it waits for more input after its first chunk; --resume finishes it."""
    lines = [STATEMENTS[n % 3] for n in range(70)]
    data = "".join(f"{line}\n" for line in lines).encode()
    out = tmp_path / "out.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "bot", "batch", "-", "-o", str(out), "--index",
                              str(settings.index_dir)], stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             cwd=PROJECT_ROOT, env={**os.environ})
    child.stdin.write(data)  # 64 rows make a chunk; the last 6 wait for more input or its end
    child.stdin.flush()
    deadline = time.monotonic() + 120
    while (not out.exists() or out.read_bytes().count(b"\n") < 64) and child.poll() is None:
        assert time.monotonic() < deadline, "the first chunk never came out"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    child.stdin.close()
    assert [record["row"] for record in jsonl(out)] == list(range(1, 65))
    with open(out, "a", encoding="utf-8") as handle:
        handle.write('{"row": 65, "statement": "Dropo')  # as if killed in the middle of a write

    monkeypatch.setattr(cli, "_checker", lambda args: checker)
    stdin_of(monkeypatch, data)
    assert cli.main(["batch", "-", "-o", str(out), "--resume"]) == 0
    records = jsonl(out)
    assert [record["row"] for record in records] == list(range(1, 71))
    assert [record["statement"] for record in records] == lines
    err = capsys.readouterr().err
    assert "6 rows in" in err and "64 rows were done before" in err


def test_resume_cuts_a_torn_csv_row_and_completes_the_file(tmp_path, use_checker):
    source, out = tmp_path / "in.txt", tmp_path / "out.csv"
    source.write_text("\n".join(STATEMENTS[:3]) + "\n", encoding="utf-8")
    assert cli.main(["batch", str(source), "-o", str(out)]) == 0
    whole = out.read_bytes()
    second = whole.index(b"\n2,")  # rows start with `row` (a text input has no columns of its own)
    torn = whole[: second + 40] + b',"an explanation\nthat goes on'  # killed inside a quoted field
    out.write_bytes(torn)

    assert resume(str(out), "csv").rows == 1
    assert out.read_bytes() == whole[: second + 1]
    out.write_bytes(torn)
    assert cli.main(["batch", str(source), "-o", str(out), "--resume"]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [row["row"] for row in table] == ["1", "2", "3"]
    assert [row["statement"] for row in table] == STATEMENTS[:3]


def test_resume_of_a_missing_output_starts_it(tmp_path, use_checker):
    source, out = tmp_path / "in.txt", tmp_path / "new.jsonl"
    source.write_text(STATEMENTS[0] + "\n", encoding="utf-8")
    assert cli.main(["batch", str(source), "-o", str(out), "--resume"]) == 0
    assert [record["row"] for record in jsonl(out)] == [1]


def test_resume_counts_earlier_error_rows_in_the_exit_code(tmp_path, use_checker, capsys):
    source, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_bytes(b"na\xefve bytes\n" + STATEMENTS[0].encode() + b"\n")
    assert cli.main(["batch", str(source), "-o", str(out)]) == 1
    out.write_text(out.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    assert cli.main(["batch", str(source), "-o", str(out), "--resume"]) == 1
    assert [record["row"] for record in jsonl(out)] == [1, 2]
    assert "1 row was done before (1 error)" in capsys.readouterr().err


@pytest.mark.parametrize("foreign", [b'{"name": "not ours"}\n{"row": 1}\n', b"plain text\n{\"row\": 1}\n"])
def test_resume_refuses_a_file_that_is_not_batch_output(foreign, tmp_path, no_checker, capsys):
    source, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text(STATEMENTS[0] + "\n", encoding="utf-8")
    out.write_bytes(foreign)
    assert cli.main(["batch", str(source), "-o", str(out), "--resume"]) == 2
    assert out.read_bytes() == foreign
    assert "cannot resume" in capsys.readouterr().err
