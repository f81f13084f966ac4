"""The `claimcheck` command line: one sub-command per way of using the checker.

Exit codes: 0 success, 1 internal error (or, for `batch`, rows that errored),
2 bad usage or unreadable input. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from bot.config import Settings, load_settings
from bot.errors import ClaimCheckError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors raise UsageError (one line, exit 2)."""

    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def quiet_libraries() -> None:
    """Offline by default, and no progress bars or warnings from the model libraries."""
    for name, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error",
                        "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(name, value)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        embedder=args.embedder,
        nli_model=getattr(args, "nli_model", None) or getattr(args, "model", None),
        index_dir=args.index,
        extra_knowledge=args.knowledge,
    )


def _emit_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


def cmd_search(args: argparse.Namespace) -> int:
    from bot.retrieve import Retriever

    if not args.text.strip():
        raise UsageError("nothing to search for: the query is empty")
    hits = Retriever.from_settings(_settings(args)).search(args.text, k=args.k)
    rows = [{"id": h.record.id, "section": h.record.section, "score": round(h.score, 4), "text": h.record.text}
            for h in hits]
    if args.json:
        _emit_json(rows)
    else:
        for rank, row in enumerate(rows, start=1):
            print(f"{rank}. [{row['section']}] {row['id']}  score {row['score']:.3f}\n   {row['text']}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from bot.retrieve import Retriever

    settings = _settings(args)
    retriever = Retriever.from_settings(settings, rebuild=True)
    print(f"indexed {len(retriever.records)} records from {len(settings.knowledge_dirs)} folder(s) into {settings.index_dir}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("configuration (overrides CLAIMCHECK_* environment variables)")
    group.add_argument("--embedder", help="sentence-transformers model id or path")
    group.add_argument("--index", metavar="DIR", help="index folder")
    group.add_argument("--knowledge", metavar="DIR", action="append", help="extra folder of your own sources (repeatable)")

    parser = _Parser(prog="claimcheck", description="Check statements about deep learning against a cited knowledge base.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    search = commands.add_parser("search", parents=[common], help="show the knowledge passages closest to a text")
    search.add_argument("text")
    search.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(run=cmd_search)

    index = commands.add_parser("index", parents=[common], help="rebuild the index of the knowledge base")
    index.set_defaults(run=cmd_index)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    quiet_libraries()
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "k", 1) <= 0:
            raise UsageError("-k must be a positive number")
        return args.run(args)
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("claimcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        print(f"claimcheck: internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)",
              file=sys.stderr)
        return 1
