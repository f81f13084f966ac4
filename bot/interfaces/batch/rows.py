"""Batch input: statements from text, CSV, TSV or JSONL, read one typed row at a time.

The input is streamed line by line, so memory does not grow with the file. A row that cannot
be checked (undecodable bytes, broken JSON, no statement, too long) is still a row, with
`error` set; only a problem with the input as a whole raises `UsageError`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from bot.errors import UsageError

INPUT_FORMATS = ("txt", "csv", "tsv", "jsonl")
DEFAULT_COLUMN = "statement"
# A memory guard, not a content rule: a longer line becomes an error row without being held.
MAX_LINE_BYTES = 1 << 24
_SNIFF_BYTES = 8192
_NOTHING = "{name} has no statements to check"


@dataclass(frozen=True)
class InputRow:
    """One data row: its 1-based number, the statement, and the input's other fields."""

    number: int
    statement: str
    fields: dict[str, object] = field(default_factory=dict)
    error: str | None = None  # why the row cannot be checked


@dataclass(frozen=True)
class Table:
    """An opened input and its rows, lazily.

    `columns` are the fields every row passes through, when known before reading: a CSV/TSV
    header less the statement column, none for text; None for JSONL, whose rows vary.
    """

    columns: tuple[str, ...] | None
    rows: Iterator[InputRow]


@dataclass(frozen=True)
class _Line:
    text: str  # with its line ending
    problem: str | None  # why its bytes cannot be used


def input_format(name: str, given: str | None) -> str:
    """The input format: as given, else from the extension; standard input is text."""
    if given:
        return given
    if name == "-":
        return "txt"
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in INPUT_FORMATS:
        return suffix
    raise UsageError(f"cannot tell the format of {name} from its extension; "
                     f"use --input-format {'|'.join(INPUT_FORMATS)}")


@contextlib.contextmanager
def open_input(name: str, shown: str | None = None) -> Iterator[BinaryIO]:
    """The input as a stream of UTF-8 bytes (`-` is standard input, left open).

    UTF-16 text with a byte-order mark is re-encoded; binary files are refused. Messages name
    the file as `shown` (the app passes the uploaded file's own name, not its temporary path).
    """
    shown = shown or name
    if name == "-":
        stream = sys.stdin.buffer
        yield _checked_text(stream if hasattr(stream, "peek") else io.BufferedReader(stream), "standard input")
        return
    if Path(name).is_dir():
        raise UsageError(f"{shown} is a directory, not a file")
    try:
        handle = open(name, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror}") from None
    with handle:
        yield _checked_text(handle, shown)


def _checked_text(stream: BinaryIO, name: str) -> BinaryIO:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # e.g. Excel's "Unicode text"
        return io.BufferedReader(_Utf16AsUtf8(stream))
    # Text never holds NUL bytes; binary files almost always do, early on.
    if b"\0" in head:
        raise UsageError(f"{name} looks like a binary file, not text")
    return stream


class _Utf16AsUtf8(io.RawIOBase):
    """A UTF-16 stream (with its byte-order mark) read as UTF-8 bytes, a chunk at a time.

    Undecodable bytes become U+FFFD, so the rows around them can still be checked.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self._stream.read(1 << 16)
            self._pending = self._decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def read_table(stream: BinaryIO, fmt: str, *, column: str | None, max_chars: int, name: str,
               max_line_bytes: int = MAX_LINE_BYTES) -> Table:
    """Open the rows of `stream` in format `fmt`; a CSV/TSV header and the first row are read (and checked) now.

    An input with no row at all (empty, or only blank lines, comments or a header) is refused
    here, before any output is written: a run that checks nothing is a mistake, not a success.
    """
    lines = _lines(stream, max_line_bytes)
    if fmt == "txt":
        if column:
            raise UsageError("--column applies to csv, tsv and jsonl input, not text")
        table = Table((), _txt_rows(lines, max_chars))
    elif fmt == "jsonl":
        table = Table(None, _jsonl_rows(lines, column or DEFAULT_COLUMN, max_chars))
    else:
        table = _csv_table(lines, column or DEFAULT_COLUMN, max_chars, "\t" if fmt == "tsv" else ",", name)
    first = next(table.rows, None)
    if first is None:
        raise UsageError(_NOTHING.format(name=name))
    return Table(table.columns, itertools.chain([first], table.rows))


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[_Line]:
    first = True
    while raw := stream.readline(max_bytes):
        if len(raw) == max_bytes and not raw.endswith(b"\n") and _skip_line(stream):
            yield _Line("", f"the line is longer than {max_bytes} bytes")
            continue
        if first:
            raw, first = raw.removeprefix(codecs.BOM_UTF8), False
        try:
            yield _Line(raw.decode("utf-8"), None)
        except UnicodeDecodeError as exc:
            yield _Line(raw.decode("utf-8", "replace"), f"undecodable bytes: not UTF-8 at byte {exc.start + 1}")


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of an over-long line; returns how many bytes that was."""
    skipped = 0
    while chunk := stream.readline(1 << 16):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _problem(statement: str, max_chars: int) -> str | None:
    if not statement:
        return "the statement is empty"
    if len(statement) > max_chars:
        return f"the statement is {len(statement)} characters long; the limit is {max_chars}"
    return None


def _txt_rows(lines: Iterator[_Line], max_chars: int) -> Iterator[InputRow]:
    number = 0
    for line in lines:
        text = line.text.strip()
        if not line.problem and (not text or text.startswith("#")):
            continue
        number += 1
        yield InputRow(number, text, {}, line.problem or _problem(text, max_chars))


def _jsonl_rows(lines: Iterator[_Line], column: str, max_chars: int) -> Iterator[InputRow]:
    number = 0
    for line in lines:
        if not line.problem and not line.text.strip():
            continue
        number += 1
        if line.problem:
            yield InputRow(number, "", {}, line.problem)
            continue
        try:
            data = json.loads(line.text)
        except json.JSONDecodeError as exc:
            yield InputRow(number, "", {}, f"broken JSON line: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(data, dict):
            yield InputRow(number, "", {}, f"expected a JSON object, found {type(data).__name__}")
            continue
        value = data.pop(column, None)
        if not isinstance(value, str):
            yield InputRow(number, "", data, f"no `{column}` text in this object")
            continue
        text = value.strip()
        yield InputRow(number, text, data, _problem(text, max_chars))


def _csv_table(lines: Iterator[_Line], column: str, max_chars: int, delimiter: str, name: str) -> Table:
    problems: list[str] = []  # of the lines read since the last record

    def texts() -> Iterator[str]:
        for line in lines:
            if line.problem:
                problems.append(line.problem)
            yield line.text

    reader = csv.reader(texts(), delimiter=delimiter)
    try:
        header = tuple(next(reader))
    except StopIteration:
        raise UsageError(_NOTHING.format(name=name)) from None
    except csv.Error:
        raise UsageError(f"{name} has no header row") from None
    if problems:
        raise UsageError(f"{name}: the header row is not readable ({problems[0]})")
    if column not in header:
        raise UsageError(f"{name} has no column `{column}` (it has: {', '.join(header)}); pick one with --column")

    def rows() -> Iterator[InputRow]:
        number = 0
        while True:
            try:
                values, problem = next(reader), None
            except StopIteration:
                return
            except csv.Error as exc:
                values, problem = [], f"unreadable record: {exc}"
            problem = problem or (problems[0] if problems else None)
            problems.clear()
            if not values and not problem:
                continue  # a blank line
            number += 1
            if len(values) > len(header):
                problem = problem or f"the record has {len(values)} fields; the header has {len(header)}"
            record = dict(zip(header, values + [""] * (len(header) - len(values))))
            text = record.pop(column).strip()
            yield InputRow(number, text, record, problem or _problem(text, max_chars))

    return Table(tuple(name for name in header if name != column), rows())
