"""Argument parsing shared by every front door: the `claimcheck` command and `python app.py`."""

from __future__ import annotations

import argparse

from bot.errors import UsageError


class UsageErrorParser(argparse.ArgumentParser):
    """argparse, but usage errors raise UsageError (one line, exit 2)."""

    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)")
