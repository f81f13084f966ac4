"""The `claimcheck` command line: one sub-command per way of using the checker.

Exit codes: 0 success, 1 internal error (or, for `batch`, rows that errored),
2 bad usage or unreadable input. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from bot.config import PROFILES, RUNTIMES, Settings, load_settings, quiet_libraries
from bot.errors import ClaimCheckError, UsageError
from bot.interfaces.arguments import UsageErrorParser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        embedder=args.embedder,
        nli_model=getattr(args, "nli_model", None),
        profile=getattr(args, "profile", None),
        index_dir=args.index,
        extra_knowledge=args.knowledge,
        runtime=args.runtime,
        threads=args.threads,
    )


def _emit_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


def cmd_search(args: argparse.Namespace) -> int:
    from bot.knowledge.load import source_folder
    from bot.knowledge.retrieve import Retriever
    from bot.verdict.citations import rated_as

    if not args.text.strip():
        raise UsageError("nothing to search for: the query is empty")
    settings = _settings(args)
    # The passages and rated claims themselves; the claim bank's restatements would crowd them out.
    hits = Retriever.from_settings(settings).search_many([args.text], k=args.k or settings.top_k, restatements=0)[0]
    rows = [{"id": h.record.id, "section": h.record.section, "kind": h.record.kind, "rating": h.record.rating,
             "score": round(h.score, 4), "text": h.record.text, "context": h.record.context,
             "folder": str(source_folder(h.record.path, settings.knowledge_dirs) or "")}
            for h in hits]
    if args.json:
        _emit_json(rows)
    else:
        for rank, (row, hit) in enumerate(zip(rows, hits), start=1):
            print(f"{rank}. [{row['section']}] {row['id']}  score {row['score']:.3f}  from {row['folder']}")
            if row["context"]:  # the sentence before a user's sentence, which it may lean on
                print(f"   ({row['context']})")
            # A myth ranks high for the question it answers; named, it is not read as the article's view.
            named = rated_as(hit.record)
            print(f"   {named.capitalize() + ': ' if named else ''}{row['text']}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Without folders of your own: rebuild the shipped index. With them: update their cached index."""
    from bot.knowledge.index_store import build_shipped, read_manifest
    from bot.knowledge.load import fingerprint, knowledge_files
    from bot.knowledge.retrieve import index_cache, knowledge_records
    from bot.models.runtime import make_embedder

    settings = _settings(args)
    records = knowledge_records(settings)
    embedder = make_embedder(settings)
    if not settings.own_folders:
        before = set((read_manifest(settings.index_dir) or {}).get("record_ids", []))
        build_shipped(settings.index_dir, records, fingerprint(knowledge_files(settings.knowledge_dirs)), embedder)
        ids = {record.id for record in records}
        print(f"indexed {len(records)} records ({len(ids - before)} added, {len(before - ids)} removed) "
              f"into {settings.index_dir}")
        return 0
    built = index_cache(settings, embedder).load(records, settings.knowledge_dirs)
    for change in built.changes:
        counted = f" ({change.passages} passages)" if change.status != "removed" else ""
        print(f"{change.status:<8} {change.path}{counted}")
    if not built.changes:
        print("no file added, changed or removed since the last index of these folders")
    print(f"indexed {len(records)} records from {len(settings.knowledge_dirs)} folder(s) into {built.folder}")
    return 0


def _checker(args: argparse.Namespace):
    from bot.verdict.checker import Checker

    return Checker(_settings(args))


def cmd_check(args: argparse.Namespace) -> int:
    from bot.interfaces.present import format_report

    if not args.statement.strip():
        raise UsageError("nothing to check: the statement is empty")
    report = _checker(args).check(args.statement)
    if args.json:
        _emit_json(report.to_dict())
    else:
        print(format_report(report))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.interfaces.terminal import run_chat

    checker = _checker(args)
    interactive = sys.stdin.isatty()
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not args.json
    if interactive:  # load the models before the first prompt, not after the first question
        print("claimcheck: loading the knowledge and models…", file=sys.stderr)
        checker.warm_up()
        print("Type a statement about deep learning, then ask why? or source?; help for more, quit to leave.",
              file=sys.stderr)
    return run_chat(checker.check, lambda: checker.retriever.records, stdin=sys.stdin, stdout=sys.stdout,
                    interactive=interactive, as_json=args.json, colour=colour)


def cmd_app(args: argparse.Namespace) -> int:
    from bot.interfaces.app.options import from_args
    from bot.interfaces.app.serve import serve

    serve(from_args(args))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.statements import evaluate, read_labelled

    rows = read_labelled(args.file)  # a bad file is reported before anything loads
    result = evaluate(_checker(args), rows)
    if args.json:
        _emit_json(result)
        return 0
    print(f"{result['count']} statements: accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}, "
          f"citation section {result['citation_section_accuracy']}, flips {len(result['flips'])}")
    print("confusion (rows gold, columns predicted):")
    labels = list(result["confusion"])
    print("  " + " ".join(f"{label:>13}" for label in ["", *labels]))
    for gold in labels:
        print("  " + f"{gold:>13} " + " ".join(f"{result['confusion'][gold][p]:>13}" for p in labels))
    for flip in result["flips"]:
        print(f"  FLIP gold {flip['gold']}, predicted {flip['predicted']}: {flip['statement']}")
    return 0


def cmd_nli_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.nli import evaluate_pairs
    from bot.evaluation.nli_pairs import read_pairs
    from bot.models.runtime import make_nli

    pairs = read_pairs(args.file)
    if not pairs:
        raise UsageError(f"{args.file}: no pairs")
    if args.limit:
        pairs = pairs[: args.limit]
    settings = _settings(args)
    result = evaluate_pairs(make_nli(settings, batch_size=args.batch_size), pairs)
    if args.json:
        _emit_json(result)
        return 0
    print(f"{result['pairs']} pairs ({result['classes']} classes): accuracy {result['accuracy']:.4f}, "
          f"{result['pairs_per_second']} pairs/s")
    print("F1: " + ", ".join(f"{label} {score:.3f}" for label, score in result["f1"].items()))
    for gold, row in result["confusion"].items():
        print(f"  gold {gold:>15}: " + ", ".join(f"{label} {count}" for label, count in row.items()))
    return 0


def _batch_engine(args: argparse.Namespace):
    from bot.interfaces.batch.job import LocalEngine

    if args.engine == "local":
        if args.address or args.workers is not None:
            raise UsageError("--address and --workers apply to --engine ray")
        return LocalEngine(lambda: _checker(args))
    if args.input == "-":
        raise UsageError("--engine ray reads a file, not standard input: save it to a file first")
    try:
        from bot.interfaces.batch.ray_engine import RayEngine, RayOptions
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("ray", "pyarrow"):
            raise UsageError("--engine ray needs Ray Data, an optional extra: pip install 'claimcheck[ray]'") from None
        raise
    return RayEngine(_settings(args), RayOptions(address=args.address, workers=args.workers))


def cmd_batch(args: argparse.Namespace) -> int:
    from bot.interfaces.batch.job import BatchOptions, run_engine, summary

    options = BatchOptions(input=args.input, output=args.output, input_format=args.input_format,
                           output_format=args.format, column=args.column, resume=args.resume,
                           max_chars=_settings(args).max_batch_chars)
    result = run_engine(options, _batch_engine(args), progress=sys.stderr.isatty())
    print(f"claimcheck: {summary(result)}", file=sys.stderr)
    return 1 if result.errors else 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("configuration (overrides CLAIMCHECK_* environment variables)")
    group.add_argument("--embedder", help="sentence-transformers model id or path")
    group.add_argument("--index", metavar="DIR", help="the shipped index folder (read-only but for `index`)")
    group.add_argument("--knowledge", metavar="DIR", action="append", help="extra folder of your own sources (repeatable)")
    group.add_argument("--runtime", choices=RUNTIMES,
                       help="auto (default): ONNX Runtime for the shipped models, PyTorch for others")
    group.add_argument("--threads", type=int, metavar="N", help="ONNX Runtime threads (default 0: one per core)")

    parser = UsageErrorParser(prog="claimcheck", description="Check statements about deep learning against a cited knowledge base.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=UsageErrorParser)

    search = commands.add_parser("search", parents=[common], help="show the knowledge passages closest to a text")
    search.add_argument("text")
    search.add_argument("-k", type=int, help="number of passages (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(run=cmd_search)

    index = commands.add_parser("index", parents=[common],
                                help="rebuild the shipped index, or with --knowledge, the cached index of your folders")
    index.set_defaults(run=cmd_index)

    nli = argparse.ArgumentParser(add_help=False)
    nli.add_argument("--nli-model", metavar="M", help="NLI model: Hugging Face id or folder")
    nli.add_argument("--profile", choices=PROFILES, help="accurate: the MPNet reader reads the deciding pairs; "
                     "fast: MiniLM reads them all (CLAIMCHECK_PROFILE)")
    nli.add_argument("--fast", dest="profile", action="store_const", const="fast", help="same as --profile fast")

    check = commands.add_parser("check", parents=[common, nli], help="check a statement, question or quiz")
    check.add_argument("statement")
    check.add_argument("--json", action="store_true", help="print the JSON object")
    check.set_defaults(run=cmd_check)

    chat = commands.add_parser("chat", parents=[common, nli], help="talk it through: follow-ups such as why? and "
                               "what about TPUs? (reads a turn a line from a pipe)")
    chat.add_argument("--json", action="store_true", help="print one JSON object per turn")
    chat.set_defaults(run=cmd_chat)

    app = commands.add_parser("app", help="serve the chat app in your browser (the options of app.py)")
    from bot.interfaces.app.options import add_arguments

    add_arguments(app)
    app.set_defaults(run=cmd_app)

    evaluation = commands.add_parser("eval", parents=[common, nli], help="score verdicts on a labelled JSONL file")
    evaluation.add_argument("file", help="JSONL with `statement`, `verdict` and optional `section`")
    evaluation.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluation.set_defaults(run=cmd_eval)

    nli_eval = commands.add_parser("nli-eval", parents=[common], help="score an NLI model on a JSONL file of pairs")
    nli_eval.add_argument("file", help="JSONL with `premise`, `hypothesis`, `label`")
    nli_eval.add_argument("--model", dest="nli_model", metavar="M", help="NLI model: Hugging Face id or folder")
    nli_eval.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    nli_eval.add_argument("--batch-size", type=int, default=64)
    nli_eval.add_argument("--json", action="store_true", help="print the metrics as JSON")
    nli_eval.set_defaults(run=cmd_nli_eval)

    batch = commands.add_parser("batch", parents=[common, nli], help="check every statement of a file",
                                description="Check a file of statements; rows are written as they finish, "
                                            "in input order. Exit 1 when some rows could not be checked.")
    batch.add_argument("input", help="a .txt, .csv, .tsv or .jsonl file, or - for standard input")
    batch.add_argument("-o", "--output", metavar="OUTPUT", help="output file (default: standard output)")
    batch.add_argument("--format", choices=("jsonl", "csv"),
                       help="output format (default: from the extension of OUTPUT; jsonl on standard output)")
    batch.add_argument("--input-format", choices=("txt", "csv", "tsv", "jsonl"),
                       help="input format (default: from the extension; standard input is txt)")
    batch.add_argument("--column", metavar="NAME", help="the statement column or field (default `statement`)")
    batch.add_argument("--resume", action="store_true",
                       help="complete an interrupted OUTPUT (needs -o): check only the rows not in it yet")
    batch.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="local (default): check in this process; ray: on a pool of Ray actors "
                            "(pip install 'claimcheck[ray]')")
    batch.add_argument("--address", metavar="ADDRESS",
                       help="with --engine ray: join this Ray cluster (auto, ray://host:port) instead of "
                            "starting Ray here with this machine's cores")
    batch.add_argument("--workers", type=int, metavar="N",
                       help="with --engine ray: checker actors, each loading the models once (default: one per CPU)")
    batch.set_defaults(run=cmd_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    quiet_libraries()
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "k", None) is not None and args.k <= 0:
            raise UsageError("-k must be a positive number")
        code = args.run(args)
        sys.stdout.flush()  # inside the try: a reader that stopped early is met here, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped (`| head`): a normal end. Standard output goes to /dev/null so that
        # the interpreter's own last flush does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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
