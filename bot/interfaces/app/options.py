"""Command-line options of `python app.py`: where to listen and which knowledge and model to use.

Address precedence: `--host` / `--port`, then Gradio's GRADIO_SERVER_NAME / GRADIO_SERVER_PORT,
then 127.0.0.1:7860 (local only).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import UsageError
from bot.interfaces.arguments import UsageErrorParser

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
MAX_UPLOAD = "5mb"


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    knowledge: tuple[str, ...]
    nli_model: str | None


def _port(value: str, where: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise UsageError(f"{where}: {value!r} is not a port number (1-65535)")
    return int(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The app's options, for `python app.py` and `claimcheck app` alike."""
    parser.add_argument("--host", help=f"address to listen on (default $GRADIO_SERVER_NAME or {DEFAULT_HOST})")
    parser.add_argument("--port", help=f"port (default $GRADIO_SERVER_PORT or {DEFAULT_PORT})")
    parser.add_argument("--knowledge", metavar="DIR", action="append", default=[],
                        help="extra folder of your own sources (repeatable)")
    parser.add_argument("--nli-model", metavar="M", help="NLI model: Hugging Face id or folder")


def parse(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> Options:
    parser = UsageErrorParser(prog="app.py", description="The claimcheck chat app in your browser.")
    add_arguments(parser)
    return from_args(parser.parse_args(argv), environ)


def from_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Options:
    """Options from parsed arguments, with Gradio's environment variables as fallbacks."""
    environ = os.environ if environ is None else environ
    if args.port is not None:
        port = _port(args.port, "--port")
    elif environ.get("GRADIO_SERVER_PORT"):
        port = _port(environ["GRADIO_SERVER_PORT"], "GRADIO_SERVER_PORT")
    else:
        port = DEFAULT_PORT
    host = args.host or environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    return Options(host=host, port=port, knowledge=tuple(args.knowledge), nli_model=args.nli_model)
