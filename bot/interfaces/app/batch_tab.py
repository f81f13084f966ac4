"""The Batch tab: upload a file of statements, watch the table fill, download CSV and JSONL.

Reading, checking and writing are `claimcheck batch`'s own (`bot.interfaces.batch`), so the tab accepts
the same inputs and writes the same files; this module only drives them and shows progress.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from bot.errors import UsageError
from bot.interfaces.app import format
from bot.interfaces.app.engine import SharedChecker
from bot.interfaces.batch.check import check_rows
from bot.interfaces.batch.output import CsvSink, JsonlSink, csv_record
from bot.interfaces.batch.rows import DEFAULT_COLUMN, INPUT_FORMATS, InputRow, input_format, open_input, read_table
from bot.interfaces.present import BADGES, plural

# Small chunks: the table fills steadily, and chat messages get the checker between chunks.
CHUNK_SIZE = 8
UPDATE_SECONDS = 0.5  # at most two table updates a second
SHOWN_ROWS = 1000  # on screen; the downloads hold every row
COLUMNS = ["Row", "Statement", "Verdict", "Confidence", "Section", "Explanation"]
# Gradio's table takes pixels or percentages of its own width (any other unit reads as pixels: "5em"
# became 5 px). The narrow columns fit their header and "? UNVERIFIABLE" in pixels; the text
# columns share what is left (430 px fixed + 64% fits the 1,214 px table of a 1,280 px window).
COLUMN_WIDTHS = ["56px", "26%", "150px", "112px", "112px", "38%"]
TABLE_HEIGHT = 640  # pixels: several wrapped rows at once

Shown = list[list[object]]
Update = tuple[Shown, list[str] | None, str, str]


def table_row(record: dict[str, object]) -> list[object]:
    """One line of the on-screen table, from the row's CSV record (the same values as the file)."""
    verdict = str(record.get("verdict") or "")
    explanation = record.get("error") or record.get("explanation") or ""
    confidence = record.get("confidence")
    # As in the chat and the files: a percentage for every verdict; a quiz or an error row has none.
    shown = f"{confidence:.0%}" if confidence is not None else ""
    return [record["row"], record["statement"], BADGES.get(verdict, verdict.upper()), shown,
            record.get("citation_section") or "", explanation]


NO_FILE = "Upload a .txt, .csv, .tsv or .jsonl file first."


def _uploaded(path: str) -> Path:
    """The uploaded file; anything outside Gradio's upload folder is refused."""
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(Path(get_upload_folder()).resolve()):
        raise UsageError("only files uploaded here can be checked")
    return resolved


def refusal(exc: UsageError) -> Update:
    """A file that cannot be checked: the command line's one-line message in the status, the table empty.

    Shown rather than raised: a raised `gr.Error` marks every output with an error badge and
    logs a traceback, for what is the user's file, not a fault of the app.
    """
    return [], None, f"**Cannot check this file:** {format.markdown_text(str(exc))}.", ""


def _result_stem(upload: Path) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", upload.stem)[:80] or "statements"


class BatchTab:
    """The tab's components and its one event: check the uploaded file."""

    def __init__(self, engine: SharedChecker) -> None:
        self.engine = engine

    def render(self) -> None:
        gr.Markdown("Upload a file of statements: **.txt** (one per line; `#` starts a comment), **.csv** / "
                    "**.tsv** (a header row with a statement column) or **.jsonl** (objects with a statement "
                    "field). Results are the same as `claimcheck batch`; other columns are passed through.")
        with gr.Row():
            upload = gr.File(label="Statements file (up to 5 MB)", file_types=[f".{fmt}" for fmt in INPUT_FORMATS],
                             type="filepath", elem_id="cc-batch-file", scale=3)
            with gr.Column(scale=1):
                column = gr.Textbox(value=DEFAULT_COLUMN, label="Statement column (CSV / JSONL)")
                run = gr.Button("Check file", variant="primary", elem_id="cc-batch-run")
        status = gr.Markdown(elem_id="cc-batch-status")
        chart = gr.HTML(elem_id="cc-batch-chart")
        results = gr.Dataframe(headers=COLUMNS, value=[], interactive=False, wrap=True, elem_id="cc-batch-table",
                               label="Results", column_widths=COLUMN_WIDTHS, max_height=TABLE_HEIGHT)
        downloads = gr.File(label="Download (CSV and JSONL)", file_count="multiple", interactive=False,
                            elem_id="cc-batch-downloads")
        run.click(self.check_file, inputs=[upload, column], outputs=[results, downloads, status, chart],
                  api_visibility="private", concurrency_limit=2, concurrency_id="batch")

    def check_file(self, path: str | None, column: str, progress: gr.Progress = gr.Progress()) -> Iterator[Update]:
        """Check every row of the upload, yielding the growing table; the files come with the last update."""
        if not path:
            yield [], None, NO_FILE, ""
            return
        try:
            upload = _uploaded(path)
            columns, rows = self._read(upload, column)
        except UsageError as exc:
            yield refusal(exc)
            return
        shown: Shown = []
        counts: Counter[str] = Counter()
        sections: Counter[tuple[str, str]] = Counter()
        last_update = float("-inf")  # the first chunk shows at once
        with tempfile.TemporaryDirectory(prefix="claimcheck-batch-") as folder:
            files = [str(Path(folder) / f"{_result_stem(upload)}-checked.{ext}") for ext in ("csv", "jsonl")]
            with open(files[0], "w", encoding="utf-8", newline="") as csv_out, \
                    open(files[1], "w", encoding="utf-8") as jsonl_out:
                sinks = (CsvSink(csv_out, columns), JsonlSink(jsonl_out))
                progress((0, len(rows)), desc="Checking", unit="rows")
                for done, outcome in enumerate(check_rows(self.engine, rows, chunk_size=CHUNK_SIZE), start=1):
                    for sink in sinks:
                        sink.write(outcome)
                    counts[outcome.label] += 1
                    sections[(outcome.section, outcome.label)] += 1
                    if len(shown) < SHOWN_ROWS:
                        shown.append(table_row(csv_record(outcome)))
                    if done % CHUNK_SIZE == 0 and time.monotonic() - last_update >= UPDATE_SECONDS:
                        last_update = time.monotonic()
                        progress((done, len(rows)), desc="Checking", unit="rows")
                        yield shown, None, f"Checked {done} of {len(rows)} rows…", format.section_chart(sections)
                for sink in sinks:
                    sink.finish()
            summary = ", ".join(f"{n} {label}" for label, n in counts.most_common())
            more = f" The table shows the first {SHOWN_ROWS}; the files have them all." if len(rows) > SHOWN_ROWS else ""
            # Gradio copies the files into its own cache before the folder is removed.
            yield (shown, files, f"Done: {plural(len(rows), 'row')}" + (f" ({summary})." if summary else ".") + more,
                   format.section_chart(sections))

    def _read(self, upload: Path, column: str) -> tuple[tuple[str, ...] | None, list[InputRow]]:
        """The upload's pass-through columns and rows, read as `claimcheck batch` reads them (UsageError if not)."""
        fmt = input_format(upload.name, None)
        with open_input(str(upload), upload.name) as stream:
            statement_column = (column.strip() or None) if fmt != "txt" else None
            table = read_table(stream, fmt, column=statement_column,
                               max_chars=self.engine.settings.max_batch_chars, name=upload.name)
            return table.columns, list(table.rows)  # bounded by the upload size limit
