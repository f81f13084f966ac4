"""The one `Checker` every browser session shares, made safe to call from many threads."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.config import DEFAULT_KNOWLEDGE, Settings
from bot.knowledge.records import Record
from bot.verdict.checker import Checker
from bot.verdict.report import Report


def is_builtin(record: Record, builtin_dir: Path = DEFAULT_KNOWLEDGE) -> bool:
    """Whether a record comes from the project's own knowledge folder (not one the user added)."""
    return Path(record.path).resolve().is_relative_to(builtin_dir.resolve())


class SharedChecker:
    """Runs every call into one `Checker` on one dedicated thread, one call at a time.

    Gradio runs handlers in a pool of threads. The checker's cache and the tokenizers are not
    thread-safe, and on a few CPU cores parallel inference would only contend. One thread
    also keeps memory flat: with inference spread over Gradio's threads (behind a lock), the
    app grew by 500 MB in 20 s of distinct statements; on one thread, by about 3 MB once warm.
    Callers send lists, so concurrent requests can be batched into one `check_many` pass.
    """

    def __init__(self, checker: Checker) -> None:
        self._checker = checker
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checker")

    def warm_up(self) -> None:
        """Load the knowledge and every model now, then run them once on the checking thread.

        The models load on the calling thread: run on the thread that loaded them, torch
        inference measured over twice as slow (CPU, torch 2.13), for reasons not pinned down.
        """
        self._checker.warm_up()
        self._thread.submit(self._checker.warm_up).result()

    @property
    def settings(self) -> Settings:
        return self._checker.settings

    @property
    def records(self) -> list[Record]:
        return self._checker.retriever.records

    def split_records(self) -> tuple[list[Record], list[Record]]:
        """(built-in records, records from the user's own folders)."""
        builtin = [record for record in self.records if is_builtin(record)]
        added = [record for record in self.records if not is_builtin(record)]
        return builtin, added

    def check_many(self, messages: Sequence[str]) -> list[Report]:
        return self._thread.submit(self._checker.check_many, list(messages)).result()

    def check(self, message: str) -> Report:
        return self.check_many([message])[0]
