"""`claimcheck batch --engine ray` for real: a local Ray instance of 2 CPUs, 2 checker actors, the shipped models.

Its output is compared byte for byte with the local engine's on the same file, also after one
actor's process is killed mid-run and after the driver is killed and the run resumed. The files
are small so that the module stays within CI's time; bench/batch_engines.py measures at scale.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("ray.data", reason="Ray is an optional extra: pip install 'claimcheck[ray]'")

import ray

from bot.config import PROJECT_ROOT
from bot.interfaces import cli
from bot.interfaces.batch.job import BatchOptions, run_batch, run_engine
from bot.interfaces.batch.ray_engine import ChunkSource, RayEngine, RayOptions, plan_pool

pytestmark = pytest.mark.ray

ACTOR_TITLE = "ray::MapWorker(MapBatches(CheckerActor))"


def statements(count: int) -> list[str]:
    """Distinct statements of the labelled set, the same ones every time."""
    lines = (PROJECT_ROOT / "tests" / "data" / "verdicts_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["statement"] for line in lines if line.strip()][:count]


@pytest.fixture(scope="module")
def cluster(cache_dir):
    """One local Ray instance for the module, with the 2 CPUs of the machine it was measured on."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture
def local_output(tmp_path, checker):
    """The local engine's output for an input, as bytes: what the Ray engine must write too."""

    def run(source: Path, suffix: str, **options) -> bytes:
        out = tmp_path / f"local.{suffix}"
        run_batch(BatchOptions(str(source), str(out), **options), lambda: checker)
        return out.read_bytes()

    return run


def ray_engine(settings, workers: int = 2) -> RayEngine:
    return RayEngine(settings, RayOptions(workers=workers))


def rows_of(path: Path) -> list[int]:
    return [json.loads(line)["row"] for line in path.read_text(encoding="utf-8").splitlines()]


def descendants_titled(title: str) -> list[int]:
    """Processes of this test's Ray instance (our descendants) whose title starts with `title`."""
    def parent(pid: int) -> int:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parent(pid)
        return False

    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(title.encode()) \
                    and ours(int(entry.name)):
                found.append(int(entry.name))
        except (OSError, StopIteration):
            continue  # gone meanwhile
    return found


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_workers_share_the_cluster_cpus_and_threads_follow(settings):
    pool = plan_pool(RayOptions(), settings, 2, 2)  # one worker per CPU by default
    assert (pool.workers, pool.cpus, pool.threads) == (2, 1.0, 1)
    one = plan_pool(RayOptions(workers=1), settings, 2, 2)
    assert (one.workers, one.cpus, one.threads) == (1, 2.0, 2)
    # No actor asks for more CPUs than one node has, nor fewer than a share of a crowded node.
    assert plan_pool(RayOptions(workers=1), settings, 64, 16).cpus == 16
    assert plan_pool(RayOptions(workers=8), settings, 2, 2).cpus == 0.25


def test_zero_workers_is_a_usage_error(tmp_path, capsys):
    source = tmp_path / "in.txt"
    source.write_text("Dropout always prevents overfitting.\n", encoding="utf-8")
    assert cli.main(["batch", str(source), "--engine", "ray", "--workers", "0"]) == 2
    assert "--workers must be 1 or more" in capsys.readouterr().err


def test_the_reader_streams_chunks_before_the_input_ends(tmp_path):
    """A read task gives its first chunk while the input is still being written: it never holds the file."""
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    lines = statements(6)

    def write_and_hold():
        with open(fifo, "w", encoding="utf-8") as pipe:
            pipe.write("".join(f"{line}\n" for line in lines[:5]))
            pipe.flush()
            time.sleep(2)  # the reader must not wait for this
            pipe.write(lines[5] + "\n")

    writer = threading.Thread(target=write_and_hold)
    writer.start()
    [task] = ChunkSource(BatchOptions(str(fifo), chunk_size=4), 1).get_read_tasks(1)
    started = time.monotonic()
    blocks = iter(task.read_fn())
    first = next(blocks)
    assert time.monotonic() - started < 1.5 and first["first"].to_pylist() == [2]  # row 1 was done before
    assert next(blocks)["first"].to_pylist() == [6]
    writer.join()


def test_same_output_as_the_local_engine_with_pass_through_columns_and_error_rows(
        tmp_path, settings, cluster, local_output, capsys):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "statement", "topic"])
        writer.writerows([[n, text, "dl"] for n, text in enumerate(statements(30))])
        writer.writerow([30, "   ", "empty"])
        writer.writerow([31, "x" * 300, "too long"])
    expected = local_output(source, "csv", chunk_size=8, max_chars=250)

    out = tmp_path / "ray.csv"
    result = run_engine(BatchOptions(str(source), str(out), chunk_size=8, max_chars=250), ray_engine(settings),
                        progress=True)
    assert out.read_bytes() == expected
    assert result.rows == 32 and result.errors == 2 and result.started == "Ray started"
    bar = capsys.readouterr().err
    assert "32/32" in bar and "statements/s" in bar  # the progress bar: rows done, rate, ETA


def test_a_worker_killed_mid_run_loses_and_repeats_no_row(tmp_path, settings, cluster, local_output):
    source = tmp_path / "in.txt"
    texts = statements(72)
    source.write_bytes("".join(f"{text}\n" for text in texts[:36]).encode() + b"na\xefve bytes\n"
                       + "".join(f"{text}\n" for text in texts[36:]).encode())
    expected = local_output(source, "jsonl", chunk_size=4)
    out = tmp_path / "ray.jsonl"
    with ThreadPoolExecutor(1) as runner:
        run = runner.submit(run_engine, BatchOptions(str(source), str(out), chunk_size=4), ray_engine(settings))
        wait_for(lambda: out.exists() and out.read_bytes().count(b"\n") >= 4, "the first chunk")
        wait_for(lambda: descendants_titled(f"{ACTOR_TITLE}.submit"), "an actor at work")
        os.kill(descendants_titled(f"{ACTOR_TITLE}.submit")[0], signal.SIGKILL)
        written_at_kill = out.read_bytes().count(b"\n")
        run.result(timeout=180)  # raises what the run raised
    assert written_at_kill < 73, "the run ended before the kill: nothing was tested"
    assert rows_of(out) == list(range(1, 74))
    assert out.read_bytes() == expected


def test_a_killed_run_resumed_writes_every_row_once(tmp_path, settings, cluster, local_output):
    """The driver is killed after its first chunk of 64 rows; --resume on the Ray engine completes the file.

    Five chunks, each of 8 distinct statements written 8 times: a chunk checks a statement once,
    so the file costs 40 checks, yet at least one chunk is left when the first one comes out.
    """
    texts = statements(40)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"statement": texts[8 * (n // 64) + n % 8], "n": n}) + "\n"
                              for n in range(320)), encoding="utf-8")
    expected = local_output(source, "jsonl")
    out = tmp_path / "ray.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "bot", "batch", str(source), "-o", str(out), "--engine", "ray",
                              "--workers", "2", "--address", cluster, "--index", str(settings.index_dir)],
                             stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT, env={**os.environ})
    wait_for(lambda: child.poll() is not None or (out.exists() and out.read_bytes().count(b"\n") >= 64),
             "the first chunk")
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    done = len(rows_of(out))
    assert 64 <= done < 320, "the run ended before the kill: nothing was tested"

    result = run_engine(BatchOptions(str(source), str(out), resume=True), ray_engine(settings))
    assert (result.earlier.rows, result.rows) == (done, 320 - done)
    assert rows_of(out) == list(range(1, 321))
    assert out.read_bytes() == expected
