"""Batch output: one JSONL or CSV row per input row, flushed as it is written, and resuming.

A JSONL row is the input's own fields, `row`, then the `check --json` object; an error row has
`verdict: "error"` and `error`. A CSV row has the same fields flattened: the citation becomes
`citation_*` columns and the myth `myth_*` ones, lists and objects compact JSON; a row of several
claims has the overall verdict in the usual columns, and it or a quiz keeps its whole JSON
object in `details`. An input field whose name the output uses itself is
passed through as `input_<name>`.

Rows are appended in input order and flushed one by one, so a killed run leaves a file of
finished rows and at worst a torn last row; `resume` cuts that row off and says how many are done.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol, TextIO

from bot.errors import UsageError
from bot.interfaces.batch.check import Outcome

OUTPUT_FORMATS = ("jsonl", "csv")
CSV_FIELDS = ("statement", "claim", "verdict", "confidence", "explanation", "citation_id", "citation_section",
              "citation_source", "citation_text", "myth_id", "myth_text", "evidence", "notes", "error", "details")
# Holds the fields of JSONL input rows that the first row, which fixed the CSV header, lacked.
OTHER_FIELDS = "other_fields"
_OUTPUT_NAMES = frozenset({"row", "citation", "myth", "claims", "quiz", OTHER_FIELDS, *CSV_FIELDS})


def output_format(name: str | None, given: str | None) -> str:
    """The output format: as given, else from the extension; standard output gets JSONL."""
    if given:
        return given
    if name in (None, "-"):
        return "jsonl"
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix == "csv":
        return "csv"
    raise UsageError(f"cannot tell the format of {name} from its extension; use --format {'|'.join(OUTPUT_FORMATS)}")


def passthrough(fields: dict[str, object]) -> dict[str, object]:
    """The input's own fields, renamed `input_<name>` where the output uses the name itself."""
    return {f"input_{key}" if key in _OUTPUT_NAMES else key: value for key, value in fields.items()}


def json_record(outcome: Outcome) -> dict:
    row, report = outcome.row, outcome.report
    record = {**passthrough(row.fields), "row": row.number}
    if report is None:
        return {**record, "statement": row.statement, "verdict": "error", "error": row.error}
    return {**record, **report.to_dict()}


def csv_record(outcome: Outcome) -> dict[str, object]:
    """The row's values by CSV column, before they become text."""
    row, report, head = outcome.row, outcome.report, outcome.headline
    record: dict[str, object] = {**passthrough(row.fields), "row": row.number, "statement": row.statement}
    if report is None:
        record.update(verdict="error", error=row.error)
    elif report.quiz is not None:
        record.update(claim=report.quiz.question, verdict="quiz", explanation=report.quiz.explanation,
                      notes=list(report.notes) or None, details=report.to_dict())
    else:
        claim = head.to_dict()
        citation, myth = claim["citation"] or {}, claim["myth"] or {}
        record.update(
            claim=claim["claim"], verdict=claim["verdict"], confidence=claim["confidence"],
            explanation=claim["explanation"], citation_id=citation.get("id"),
            citation_section=citation.get("section"), citation_source=citation.get("source"),
            citation_text=citation.get("text"), myth_id=myth.get("id"), myth_text=myth.get("text"),
            evidence=claim["evidence"] or None,
            notes=sorted(set(head.notes) | set(report.notes)) or None,
            details=report.to_dict() if len(report.claims) > 1 else None,
        )
    return record


def csv_header(columns: tuple[str, ...], *, open_ended: bool) -> tuple[str, ...]:
    """Pass-through columns, `row`, the check's fields; `other_fields` when rows may add fields."""
    return (*passthrough(dict.fromkeys(columns)), "row", *CSV_FIELDS, *((OTHER_FIELDS,) if open_ended else ()))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Sink(Protocol):
    def write(self, outcome: Outcome) -> None: ...

    def finish(self) -> None: ...


class JsonlSink:
    """Writes one JSON object a line, flushed at once."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, outcome: Outcome) -> None:
        self._stream.write(json.dumps(json_record(outcome), ensure_ascii=False) + "\n")
        self._stream.flush()

    def finish(self) -> None:
        self._stream.flush()


class CsvSink:
    """Writes CSV rows, flushed at once; the header is written before the first row, if not there yet.

    `columns` are the pass-through columns when known in advance; None (JSONL input) takes them
    from the first row and keeps later rows' other fields in `other_fields`. `header` is the
    header of an existing file being completed.
    """

    def __init__(self, stream: TextIO, columns: tuple[str, ...] | None, *,
                 header: tuple[str, ...] | None = None) -> None:
        self._stream = stream
        self._columns = columns
        self._header = header
        self._writer = None if header is None else self._dict_writer(header)

    def _dict_writer(self, header: tuple[str, ...]) -> csv.DictWriter:
        return csv.DictWriter(self._stream, fieldnames=header, lineterminator="\n")

    def _start(self, first: Outcome | None) -> csv.DictWriter:
        if self._columns is not None:
            header = csv_header(self._columns, open_ended=False)
        else:
            header = csv_header(tuple(first.row.fields) if first else (), open_ended=True)
        writer = self._dict_writer(header)
        writer.writeheader()
        self._header = header
        return writer

    def write(self, outcome: Outcome) -> None:
        if self._writer is None:
            self._writer = self._start(outcome)
        record = csv_record(outcome)
        extra = {key: record.pop(key) for key in [key for key in record if key not in self._header]}
        if extra:
            record[OTHER_FIELDS] = extra
        self._writer.writerow({key: _cell(value) for key, value in record.items()})
        self._stream.flush()

    def finish(self) -> None:
        if self._writer is None:
            self._writer = self._start(None)
        self._stream.flush()


def open_output(name: str | None, *, append: bool) -> TextIO:
    """The output stream: the file `name` (appended to or replaced), or standard output."""
    if name in (None, "-"):
        return sys.stdout
    if Path(name).is_dir():
        raise UsageError(f"cannot write {name}: it is a directory")
    try:
        return open(name, "a" if append else "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {name}: {exc.strerror}") from None


@dataclass(frozen=True)
class Finished:
    """What an earlier run left in an output file: rows 1..rows, whole, in `size` bytes."""

    rows: int = 0
    errors: int = 0
    header: tuple[str, ...] | None = None  # of a CSV file
    size: int = 0


def resume(name: str, fmt: str) -> Finished:
    """Scan an existing output and cut off a torn last row; a missing or empty file is a fresh start."""
    path = Path(name)
    if not path.is_file():
        return Finished()
    try:
        with open(path, "rb") as stream:
            finished = _scan_csv(stream, name) if fmt == "csv" else _scan_jsonl(stream, name)
        if path.stat().st_size > finished.size:
            os.truncate(path, finished.size)
    except OSError as exc:
        raise UsageError(f"cannot resume {name}: {exc.strerror}") from None
    return finished


def _not_ours(name: str, where: str) -> UsageError:
    return UsageError(f"cannot resume {name}: {where} is not a row of `claimcheck batch` output in this format")


def _scan_jsonl(stream: BinaryIO, name: str) -> Finished:
    rows = errors = size = 0
    for number, raw in enumerate(stream, start=1):
        try:
            record = json.loads(raw) if raw.endswith(b"\n") else None
        except ValueError:
            record = None
        if record is None and not stream.read(1):
            break  # a torn last line, to be dropped
        if not isinstance(record, dict) or record.get("row") != rows + 1:
            raise _not_ours(name, f"line {number}")
        rows += 1
        errors += record.get("verdict") == "error"
        size += len(raw)
    return Finished(rows, errors, None, size)


def _scan_csv(stream: BinaryIO, name: str) -> Finished:
    read = 0  # bytes handed to the parser so far
    ended = False

    def texts() -> Iterator[str]:
        nonlocal read, ended
        for raw in stream:
            if not raw.endswith(b"\n"):
                break  # a torn last line, to be dropped
            read += len(raw)
            yield raw.decode("utf-8")
        ended = True

    reader = csv.reader(texts(), strict=True)
    try:
        header = tuple(next(reader))
    except StopIteration:
        return Finished()  # not even a whole header: start again
    except (csv.Error, UnicodeDecodeError):
        if ended:
            return Finished()
        raise _not_ours(name, "the header") from None
    if "row" not in header or "verdict" not in header:
        raise _not_ours(name, "the header")
    at_row, at_verdict = header.index("row"), header.index("verdict")
    rows = errors = 0
    size = read
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except (csv.Error, UnicodeDecodeError):
            if ended:
                break  # the data ended inside a quoted field: a torn last row
            raise _not_ours(name, f"the record after row {rows}") from None
        if len(values) != len(header) or values[at_row] != str(rows + 1):
            raise _not_ours(name, f"the record after row {rows}")
        rows += 1
        errors += values[at_verdict] == "error"
        size = read
    return Finished(rows, errors, header, size)
