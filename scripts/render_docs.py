"""Write the measured figures into README.md and docs/*.md from bench/results/*.json.

    python scripts/render_docs.py            # rewrite the marked blocks
    python scripts/render_docs.py --check    # exit 1 if a block is out of date (what the tests run)

A block is the text between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`. NAME is an
area (`bench/results/NAME.json`: its table, one row per measurement, with the command, machine
and date), or `headline`: the rows of every area that carry a `headline` label, in the order of
AREAS, with their first three values. The figures are therefore typed once, by the bench
script that measured them (`--record`), and cannot drift from the prose around them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import RESULTS, Area, Row, Value

# The headline table's order: how often it is right first, then how fast.
AREAS = ("verdicts", "calibration", "retrieval", "nli", "behaviour", "conversations", "own_sources", "speed", "app")
DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
BLOCK = re.compile(r"(<!-- figures:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.DOTALL)
HEADLINE_VALUES = 3


def number(value: Value) -> str:
    """A figure as the tables show it: shares to three places, counts with thousands separators."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.3f}" if abs(value) < 1 else f"{value:,}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _command(text: str) -> str:
    """A command in code font; a description of how a figure was taken (no script yet) as text."""
    return f"`{_cell(text)}`" if re.match(r"(python|claimcheck|[A-Z_]+=)\b", text) else _cell(text)


def _what(row: Row) -> str:
    return _cell(row.figure + (f" ({row.note})" if row.note else ""))


def area_table(area: Area) -> str:
    """One row per measurement: what, its values, the command, the machine and date."""
    columns = list(dict.fromkeys(key for row in area.rows for key in row.values))
    lines = ["| what | " + " | ".join(columns) + " | command | machine, date |",
             "|---" * (len(columns) + 3) + "|"]
    for row in area.rows:
        values = " | ".join(number(row.values.get(column)) for column in columns)
        lines.append(f"| {_what(row)} | {values} | {_command(row.command)} | {_cell(row.machine)}, {row.date} |")
    return "\n".join(lines) + "\n"


def headline_table(areas: dict[str, Area]) -> str:
    """The rows labelled for the headline, each with its first values and where it comes from."""
    lines = ["| what | result | measured by | date |", "|---|---|---|---|"]
    for name in AREAS:
        for row in areas[name].rows if name in areas else ():
            if row.headline:
                shown = ", ".join(f"{key} {number(value)}" for key, value in list(row.values.items())[:HEADLINE_VALUES])
                lines.append(f"| {_cell(row.headline)} | {shown} | {_command(row.command)} | {row.date} |")
    return "\n".join(lines) + "\n"


def read_areas(folder: Path = RESULTS) -> dict[str, Area]:
    return {path.stem: Area.read(path) for path in sorted(folder.glob("*.json"))}


def render(text: str, areas: dict[str, Area], where: str = "the document") -> str:
    """The text with every marked block rewritten from the results."""

    def block(match: re.Match) -> str:
        name = match.group("name")
        if name == "headline":
            body = headline_table(areas)
        elif name in areas:
            body = area_table(areas[name])
        else:
            raise SystemExit(f"{where}: no bench/results/{name}.json for the block `figures:{name}`")
        return match.group(1) + body + match.group(4)

    return BLOCK.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a document is out of date")
    args = parser.parse_args(argv)
    areas = read_areas()
    stale = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        rendered = render(text, areas, str(path.relative_to(ROOT)))
        if rendered != text:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(rendered, encoding="utf-8")
    verb = "out of date" if args.check else "rewritten"
    for path in stale:
        print(f"{path}: {verb}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
