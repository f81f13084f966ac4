"""Checking a batch on Ray Data (`claimcheck batch --engine ray`): a pool of actors, each with one loaded checker.

One Ray task on the driver's node reads the input with the local engine's reader and streams it
as chunks of `chunk_size` rows, the very chunks the local engine checks, so every `check_many`
call and so every verdict is the same. Each actor builds its checker once, from the driver's
settings, and checks a chunk with `check_rows`. Chunks finish out of order; the driver puts
them back in input order and drops a chunk it has already had, so a chunk that Ray checks again
after a worker died is written once.

This module needs Ray (`pip install 'claimcheck[ray]'`); `claimcheck batch` imports it only for
`--engine ray` and says how to install it when the import fails.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

import pyarrow
import ray
import ray.data
from ray.data import DataContext, Datasource, ReadTask
from ray.data.block import BlockMetadata

from bot.errors import UsageError
from bot.interfaces.batch.check import Outcome, check_rows
from bot.interfaces.batch.job import BatchOptions, pending_rows
from bot.interfaces.batch.rows import InputRow

if TYPE_CHECKING:
    from bot.config import Settings


@dataclass(frozen=True)
class RayOptions:
    address: str | None = None  # an existing cluster: "auto", "ray://host:port", "host:port"; None starts one here
    workers: int | None = None  # checker actors; None: one per CPU of the cluster

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise UsageError("--workers must be 1 or more")


@dataclass(frozen=True)
class Pool:
    """The actor pool for a cluster: how many actors, the CPUs each reserves, the threads each runs."""

    workers: int
    cpus: float
    threads: int


def plan_pool(options: RayOptions, settings: Settings, cluster_cpus: float, node_cpus: float) -> Pool:
    """Share the cluster's CPUs among the actors, none asking for more than one node has.

    Without --threads, each actor's ONNX Runtime gets as many threads as CPUs it reserves: its
    default, one per core of the machine, would run every actor on every core at once.
    """
    workers = options.workers or max(1, int(cluster_cpus))
    cpus = min(cluster_cpus / workers, node_cpus)
    return Pool(workers, cpus, settings.threads or max(1, int(cpus)))


class RayEngine:
    """Starts or joins Ray, then checks the rows on a pool of checker actors."""

    started = "Ray started"

    def __init__(self, settings: Settings, options: RayOptions) -> None:
        self._settings = settings
        self._options = options
        self._own_instance = False

    def start(self) -> None:
        if not ray.is_initialized():
            cpus = None if self._options.address else len(os.sched_getaffinity(0))
            try:
                # Errors only: the checker's one-line summary is the output on standard error.
                ray.init(address=self._options.address, num_cpus=cpus, include_dashboard=False,
                         logging_level=logging.ERROR, log_to_driver=False)
            except ConnectionError as exc:
                raise UsageError(f"cannot join the Ray cluster at {self._options.address}: {exc}") from None
            self._own_instance = True
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        context = DataContext.get_current()
        context.enable_progress_bars = False  # the batch job has its own bar
        context.print_on_execution_start = False

    def outcomes(self, options: BatchOptions, todo: Iterator[InputRow], done: int) -> Iterator[Outcome]:
        try:
            yield from self._checked(options, done)
        finally:
            if self._own_instance:
                ray.shutdown()

    def _checked(self, options: BatchOptions, done: int) -> Iterator[Outcome]:
        nodes = [node["Resources"].get("CPU", 0.0) for node in ray.nodes() if node["Alive"]]
        pool = plan_pool(self._options, self._settings, sum(nodes), max(nodes, default=0.0))
        # Workers may run in another folder, or on another node that shares the file system.
        options = replace(options, input=os.path.abspath(options.input))
        dataset = ray.data.read_datasource(ChunkSource(options, done), num_cpus=0).map_batches(
            CheckerActor, fn_constructor_kwargs={"settings": replace(self._settings, threads=pool.threads)},
            batch_size=1, batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=pool.workers),
            num_cpus=pool.cpus)
        waiting: dict[int, list[Outcome]] = {}  # chunks that came before an earlier one, by first row
        next_row = done + 1
        for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
            for first, blob in zip(batch["first"].to_pylist(), batch["outcomes"].to_pylist()):
                if first >= next_row and first not in waiting:
                    waiting[first] = pickle.loads(blob)
            while next_row in waiting:
                chunk = waiting.pop(next_row)
                yield from chunk
                next_row += len(chunk)
        if waiting:
            raise RuntimeError(f"Ray returned no outcome for rows {next_row} to {min(waiting) - 1}")


class ChunkSource(Datasource):
    """The rows after row `done` as blocks of one chunk each, read by one task on the driver's node."""

    def __init__(self, options: BatchOptions, done: int) -> None:
        super().__init__()
        self._options = options
        self._done = done

    @property
    def supports_distributed_reads(self) -> bool:
        return False  # the input is a path on the driver's node

    def estimate_inmemory_data_size(self) -> None:
        return None

    def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                       data_context: DataContext | None = None) -> list[ReadTask]:
        unknown = BlockMetadata(num_rows=None, size_bytes=None, exec_stats=None, input_files=None)
        # One task: rows are numbered by reading from the start, and one reader keeps the order.
        return [ReadTask(self._read, unknown, per_task_row_limit=per_task_row_limit)]

    def _read(self) -> Iterator[pyarrow.Table]:
        rows = pending_rows(self._options, self._done)
        while chunk := list(islice(rows, self._options.chunk_size)):
            # Rows carry arbitrary pass-through fields: pickled whole rather than mapped to Arrow types.
            yield pyarrow.table({"first": [chunk[0].number], "rows": [pickle.dumps(chunk)]})


class CheckerActor:
    """A Ray Data actor: builds one checker as the local engine does, then checks a chunk a call."""

    def __init__(self, settings: Settings) -> None:
        from bot.config import quiet_libraries
        from bot.verdict.checker import Checker

        quiet_libraries()
        self._checker = Checker(settings)
        self._checker.warm_up()

    def __call__(self, batch: pyarrow.Table) -> pyarrow.Table:
        outcomes = []
        for blob in batch["rows"].to_pylist():
            rows: list[InputRow] = pickle.loads(blob)
            outcomes.append(pickle.dumps(list(check_rows(self._checker, rows, chunk_size=len(rows)))))
        return pyarrow.table({"first": batch["first"], "outcomes": outcomes})
