"""Benchmark `claimcheck batch` engines on one file: the local engine, then Ray with 1 and 2 workers.

    .venv/bin/python bench/batch_engines.py [--limit N] [--workers 1 2] [--rounds R]

The input is bench/batch.py's deterministic statements (the first N with --limit). Each engine
runs as its own `claimcheck batch` process, as a user starts it, while this script samples every
process of that run (the driver, and for Ray its actors and its own services) for its peak
resident set (`VmHWM`). It prints one JSON line and a readable summary:
`statements_per_second` counts the rows after the first chunk written, from then to the last
row, so start-up (Ray, loading the models in each actor) is left out; `with_startup_per_second` counts the whole command.
Every engine's output must be byte-identical to the local engine's, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from batch import statements

from bot.config import PROJECT_ROOT

_SAMPLE_SECONDS = 0.2


@dataclass
class Run:
    """What one engine's run gave."""

    name: str
    rows: int = 0
    seconds: float = 0.0  # the whole command
    first_row: float | None = None  # seconds from the start to the first rows written
    first_rows: int = 0  # how many came out then (a chunk at a time)
    last_row: float | None = None
    peaks_mb: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (title, peak RSS)

    def figures(self) -> dict:
        after_first = self.last_row - self.first_row
        steady = (self.rows - self.first_rows) / after_first if after_first > 0 else 0.0
        groups: dict[str, list[float]] = {}
        for title, peak in self.peaks_mb.values():
            groups.setdefault(_role(title), []).append(round(peak, 1))
        return {"engine": self.name, "statements": self.rows, "seconds": round(self.seconds, 2),
                "first_row_seconds": round(self.first_row, 2), "statements_per_second": round(steady, 1),
                "with_startup_per_second": round(self.rows / self.seconds, 1),
                "peak_rss_mb": {role: sorted(peaks, reverse=True) for role, peaks in sorted(groups.items())}}


def _role(title: str) -> str:
    """A process's part in the run, from its title: the driver, a checker actor, Ray's reader or services."""
    if "MapWorker" in title:
        return "checker actor"
    if title.startswith("ray::"):
        return "other ray workers (the reader, idle ones)"
    if "claimcheck" in title or " -m bot " in title:
        return "driver"
    return "ray services"


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parent = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _sample(root: int, run: Run) -> None:
    """Record the peak RSS of `root` and its descendants: VmHWM is kept by the kernel, so sampling misses no peak."""
    tree, todo = _children(), [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        peak = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)
        if peak:
            run.peaks_mb[pid] = (title, max(peak, run.peaks_mb.get(pid, ("", 0.0))[1]))


def measure(name: str, argv: list[str], output: Path) -> Run:
    run = Run(name)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bot", "batch", *argv], cwd=PROJECT_ROOT,
                             stderr=subprocess.PIPE, text=True)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(child.stderr))
    reader.start()
    while child.poll() is None:
        _sample(child.pid, run)
        rows = output.read_bytes().count(b"\n") if output.exists() else 0
        now = time.perf_counter() - started
        if rows and run.first_row is None:
            run.first_row, run.first_rows = now, rows
        if rows > run.rows:
            run.rows, run.last_row = rows, now
        time.sleep(_SAMPLE_SECONDS)
    run.seconds = time.perf_counter() - started
    reader.join()
    if child.returncode != 0:
        raise SystemExit(f"{name} failed ({child.returncode}): {''.join(errors)[-2000:]}")
    run.rows = output.read_bytes().count(b"\n")
    run.last_row = run.last_row if run.last_row is not None else run.seconds
    print(f"{name}: {''.join(line for line in errors if line.startswith('claimcheck:')).strip()}", file=sys.stderr)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N statements")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Ray actor counts to measure")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every engine this many times, in turn: a busy machine's drift shows")
    args = parser.parse_args()
    texts = statements()[: args.limit]
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "statements.jsonl"
        source.write_text("".join(json.dumps({"statement": text}) + "\n" for text in texts), encoding="utf-8")
        configs = args.rounds * ([("local", [])] + [(f"ray, {n} worker{'s' if n > 1 else ''}",
                                                     ["--engine", "ray", "--workers", str(n)]) for n in args.workers])
        reference = None
        for number, (name, flags) in enumerate(configs):
            output = Path(folder) / f"out{number}.jsonl"
            runs.append(measure(name, [str(source), "-o", str(output), *flags], output))
            reference = reference or output.read_bytes()
            if output.read_bytes() != reference:
                raise SystemExit(f"{name}: the output differs from the local engine's")
    figures = {"statements": len(texts), "cpus": len(os.sched_getaffinity(0)),
               "load_average_1min": round(os.getloadavg()[0], 2), "identical_outputs": True,
               "runs": [run.figures() for run in runs]}
    print(json.dumps(figures))
    for run in figures["runs"]:
        peaks = "; ".join(f"{role} {', '.join(f'{mb:.0f}' for mb in mbs)} MB" for role, mbs in run["peak_rss_mb"].items())
        print(f"{run['engine']}: {run['statements_per_second']} statements/s from the first row "
              f"({run['first_row_seconds']} s to it), {run['with_startup_per_second']} with start-up; peak RSS: {peaks}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
