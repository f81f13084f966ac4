"""The measured figures, one JSON file per area in `bench/results/`: the single source of the
figures in README.md and docs/measurements.md (`scripts/render_docs.py` writes them there).

A file is `{"area", "about", "rows": [...]}`; a row is one measurement: an `id`, what it is
(`figure`), its `values` (column -> number or text, in the order shown), the `command` that
measures it, the `machine` and the `date`; `headline` (the label in the README's headline
table) and `note` are optional. A bench run with `--record` replaces the rows it measures,
by id, and keeps the others, so a new measurement supersedes the old one instead of sitting
beside it.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

Value = float | int | str | None


@dataclass(frozen=True)
class Row:
    """One measurement and how to repeat it."""

    id: str
    figure: str
    values: dict[str, Value]
    command: str
    machine: str
    date: str
    headline: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Row:
        return cls(**data)

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Area:
    """The rows of one area (verdicts, retrieval, speed, ...), in the order they are shown."""

    area: str
    about: str
    rows: tuple[Row, ...] = field(default=())

    @classmethod
    def read(cls, path: Path) -> Area:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["area"], data["about"], tuple(Row.from_dict(row) for row in data["rows"]))

    def with_rows(self, rows: list[Row]) -> Area:
        """These rows in place of the rows with the same ids (keeping their headline label); new ids go last."""
        new = {row.id: row for row in rows}

        def updated(old: Row) -> Row:
            row = new.pop(old.id, None)
            return old if row is None else replace(row, headline=row.headline or old.headline)

        kept = [updated(row) for row in self.rows]
        return Area(self.area, self.about, (*kept, *new.values()))

    def to_json(self) -> str:
        data = {"area": self.area, "about": self.about, "rows": [row.to_dict() for row in self.rows]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def machine() -> str:
    """This machine, in the words the tables use: "2 CPU cores, 24 GiB, Linux x86_64"."""
    gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{len(os.sched_getaffinity(0))} CPU cores, {gib:.0f} GiB, {platform.system()} {platform.machine()}"


def command() -> str:
    """The command that is running, as a reader would type it again (without --record)."""
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(RESULTS.parent.parent) if script.is_relative_to(RESULTS.parent.parent) else script
    return shlex.join(["python", str(shown), *(arg for arg in sys.argv[1:] if arg != "--record")])


def measured(id: str, figure: str, values: dict[str, Value], **extra: str) -> Row:
    """A row measured now, by the running command, on this machine."""
    return Row(id, figure, values, command(), machine(), datetime.date.today().isoformat(), **extra)


def record(area: str, rows: list[Row], folder: Path = RESULTS) -> Path:
    """Write `rows` into the area's file (which must exist: it names and describes the area)."""
    from bot.fileio import atomic_write_text

    path = folder / f"{area}.json"
    if not path.is_file():
        raise SystemExit(f"{path} does not exist: create the area's file (area, about, rows) first")
    atomic_write_text(path, Area.read(path).with_rows(rows).to_json())
    print(f"recorded {len(rows)} row(s) in {path}", file=sys.stderr)
    return path
