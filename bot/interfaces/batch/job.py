"""One batch run, from an input file to an output file: what `claimcheck batch` and the benchmark call."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, Protocol

from bot.errors import UsageError
from bot.interfaces.batch.check import CHUNK_SIZE, Outcome, check_rows
from bot.interfaces.batch.output import CsvSink, Finished, JsonlSink, Sink, open_output, output_format, resume
from bot.interfaces.batch.rows import InputRow, Table, input_format, open_input, read_table
from bot.interfaces.present import plural
from bot.verdict.report import VERDICTS

if TYPE_CHECKING:
    from bot.verdict.checker import Checker

_LABELS = (*VERDICTS, "quiz", "error")


@dataclass(frozen=True)
class BatchOptions:
    input: str  # a path, or "-" for standard input
    output: str | None = None  # a path; None or "-" for standard output
    input_format: str | None = None  # None: from the extension
    output_format: str | None = None  # None: from the extension
    column: str | None = None  # the statement column of CSV/TSV/JSONL input
    resume: bool = False
    max_chars: int = 100_000  # a longer statement is an error row
    chunk_size: int = CHUNK_SIZE


@dataclass(frozen=True)
class BatchResult:
    counts: Counter[str]  # rows written by this run, by label (verdict, `quiz` or `error`)
    earlier: Finished  # rows an earlier, interrupted run had written
    seconds: float  # checking and writing
    load_seconds: float  # starting the engine: loading the models, or starting Ray
    sections: Counter[tuple[str, str]] = field(default_factory=Counter)  # rows by (section, label)
    started: str = "models loaded"  # what the start-up did, in the summary's words

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def errors(self) -> int:
        return self.counts["error"] + self.earlier.errors


class Engine(Protocol):
    """What checks the rows of a batch: `start` gets ready, `outcomes` checks the rows still to do."""

    started: str  # what `start` does, for the summary: "models loaded"

    def start(self) -> None: ...

    def outcomes(self, options: BatchOptions, todo: Iterator[InputRow], done: int) -> Iterator[Outcome]:
        """Outcomes of `todo`, the rows after row `done`, in input order.

        An engine that reads the input elsewhere reads the same rows with `pending_rows(options, done)`.
        """
        ...


class LocalEngine:
    """Checks the rows in this process with one checker, a chunk at a time."""

    started = "models loaded"

    def __init__(self, make_checker: Callable[[], Checker]) -> None:
        self._make_checker = make_checker
        self._checker: Checker | None = None

    def start(self) -> None:
        self._checker = self._make_checker()
        self._checker.warm_up()

    def outcomes(self, options: BatchOptions, todo: Iterator[InputRow], done: int) -> Iterator[Outcome]:
        return check_rows(self._checker, todo, chunk_size=options.chunk_size)


def run_batch(options: BatchOptions, make_checker: Callable[[], Checker], *, progress: bool = False) -> BatchResult:
    """`run_engine` with the local engine: this process checks every row with the checker it builds."""
    return run_engine(options, LocalEngine(make_checker), progress=progress)


def run_engine(options: BatchOptions, engine: Engine, *, progress: bool = False) -> BatchResult:
    """Check every input row not yet in the output and append it there, in input order.

    Usage problems (formats, unreadable input, unwritable output) raise `UsageError` before the
    engine starts. `progress` shows a bar with rate and ETA on standard error.
    """
    from tqdm import tqdm

    if options.resume and options.output in (None, "-"):
        raise UsageError("--resume needs -o OUTPUT: it completes an existing output file")
    with open_input(options.input) as stream, contextlib.ExitStack() as stack:
        in_format = input_format(options.input, options.input_format)
        out_format = output_format(options.output, options.output_format)
        _refuse_same_file(options.input, options.output)
        table = _table(stream, in_format, options)
        total = _count_rows(options, in_format) if progress and options.input != "-" else None
        earlier = resume(options.output, out_format) if options.resume else Finished()
        out = open_output(options.output, append=options.resume)
        if out is not sys.stdout:
            stack.enter_context(out)
        sink: Sink = CsvSink(out, table.columns, header=earlier.header) if out_format == "csv" else JsonlSink(out)
        starting = time.perf_counter()
        engine.start()
        loaded = time.perf_counter()
        counts: Counter[str] = Counter()
        sections: Counter[tuple[str, str]] = Counter()
        todo = (row for row in table.rows if row.number > earlier.rows)
        outcomes = stack.enter_context(contextlib.closing(engine.outcomes(options, todo, earlier.rows)))
        with tqdm(total=total, initial=earlier.rows, unit=" statements", disable=not progress, file=sys.stderr,
                  dynamic_ncols=True) as bar:
            for outcome in outcomes:
                sink.write(outcome)
                counts[outcome.label] += 1
                sections[(outcome.section, outcome.label)] += 1
                bar.update()
        sink.finish()
    return BatchResult(counts, earlier, time.perf_counter() - loaded, loaded - starting, sections, engine.started)


def pending_rows(options: BatchOptions, done: int) -> Iterator[InputRow]:
    """The input's rows after row `done`, read as `run_engine` reads them, streamed."""
    with open_input(options.input) as stream:
        table = _table(stream, input_format(options.input, options.input_format), options)
        yield from (row for row in table.rows if row.number > done)


def by_section(sections: Counter[tuple[str, str]]) -> str:
    """ "myth-1 2 false, 1 true; myth-4 1 false; none 1 unverifiable": verdict counts per article section."""
    names = sorted({section for section, _ in sections}, key=lambda name: (name in ("none", "quiz", "error"), name))
    return "; ".join(f"{name} " + ", ".join(f"{sections[(name, label)]} {label}" for label in _LABELS
                                            if sections[(name, label)]) for name in names)


def summary(result: BatchResult) -> str:
    """One line for standard error: rows, time, rate and the count of each verdict."""
    rate = result.rows / result.seconds if result.seconds > 0 else 0.0
    labels = [*_LABELS, *sorted(set(result.counts) - set(_LABELS))]
    counts = ", ".join(f"{result.counts[label]} {label}" for label in labels if result.counts[label])
    text = (f"{plural(result.rows, 'row')} in {result.seconds:.1f} s, {rate:.1f} statements/s "
            f"({result.started} in {result.load_seconds:.1f} s)" + (f": {counts}" if counts else ""))
    if result.sections:
        text += f"; by section: {by_section(result.sections)}"
    if result.earlier.rows:
        text += (f"; {plural(result.earlier.rows, 'row')} {'was' if result.earlier.rows == 1 else 'were'} done "
                 f"before ({plural(result.earlier.errors, 'error')})")
    return text


def _table(stream: BinaryIO, in_format: str, options: BatchOptions) -> Table:
    name = "standard input" if options.input == "-" else options.input
    return read_table(stream, in_format, column=options.column, max_chars=options.max_chars, name=name)


def _count_rows(options: BatchOptions, in_format: str) -> int:
    """The number of data rows, for the progress bar's ETA: one quick pass that checks nothing."""
    with open_input(options.input) as stream:
        return sum(1 for _ in _table(stream, in_format, options).rows)


def _refuse_same_file(input_name: str, output_name: str | None) -> None:
    if "-" in (input_name, output_name) or output_name is None or not os.path.exists(output_name):
        return
    with contextlib.suppress(OSError):
        if os.path.samefile(input_name, output_name):
            raise UsageError(f"the output {output_name} is the input file; choose another -o")
