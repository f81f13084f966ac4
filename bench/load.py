"""Load test for a running app: N concurrent gradio_client users call `/check` for a while.

    python app.py &                       # the app under test
    python bench/load.py --users 8 --seconds 60
    python bench/load.py --statement "A." --statement "B."   # users cycle through several
    python bench/load.py --statements tests/data/verdicts_dev.jsonl   # every dev statement

Reports throughput, p50 / p95 / max latency, errors, and the app process's resident memory
(RSS) at the start and the end of the run, to show it stays flat; with `--warm-up S`, also
the RSS S seconds in and the largest rise after it (sampled every 5 s), so that caches and
buffers filling at first are told apart from a leak. The app's process is found by the
port it listens on (Linux /proc), or given with --pid.

The checker caches judged texts, so repeating one statement measures the serving path
(queue, batching, formatting); pass many distinct statements to measure the models too.

Two clients: `--client gradio` (default) is gradio_client, as a Python user calls the app; it
waits for each answer by polling every 50 ms, so its latencies include up to 50 ms of its own.
`--client http` calls the same endpoint over Gradio's REST API (POST `/gradio_api/call/check`,
then read the answer's event stream), as `curl` does: the app's own latency.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx
from gradio_client import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import measured, record  # noqa: E402
from bot.fileio import read_jsonl  # noqa: E402

DEFAULT_STATEMENT = "Deep learning requires massive datasets to succeed."


@dataclass
class Tally:
    """What the users saw: one latency per answered request, and the errors."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(seconds)
            else:
                self.errors.append(error)


@dataclass(frozen=True)
class Summary:
    users: int
    seconds: float
    requests: int
    errors: int
    throughput_per_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    rss_start_mb: float | None
    rss_end_mb: float | None
    rss_after_warm_up_mb: float | None
    growth_after_warm_up_mb: float | None  # the highest sample after the warm-up, less the RSS at its end
    first_errors: list[str]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port, from /proc (Linux); None if not found."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    sockets = {f"socket:[{inode}]" for inode in inodes}
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) in sockets for fd in fd_dir.iterdir()):
                return int(fd_dir.parent.name)
        except OSError:  # the process ended, or is not ours to inspect
            continue
    return None


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MiB (VmRSS), or None if unknown."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1) if match else None


def looks_like_report(result: object) -> bool:
    return isinstance(result, dict) and any(key in result for key in ("verdict", "claims", "quiz"))


Ask = Callable[[str], object]  # one user's way to send a statement to `/check` and wait for the answer


def gradio_asker(url: str) -> Ask:
    """Ask through gradio_client (a client of its own per user)."""
    # gradio_client opens a new HTTP client per request; with certificate checking on, each one
    # loads the CA bundle (~50 ms of CPU), which on a small machine would slow the app under test.
    # Plain http:// has no certificates to check, so it is off there; https:// keeps it.
    client = Client(url, verbose=False, ssl_verify=urlparse(url).scheme != "http")
    return lambda statement: client.predict(statement, api_name="/check")


def http_asker(url: str) -> Ask:
    """Ask over Gradio's REST API: post the statement, then read its event stream to the answer."""
    client = httpx.Client(timeout=60.0)
    call = urljoin(url, "gradio_api/call/check")

    def ask(statement: str) -> object:
        event = client.post(call, json={"data": [statement]})
        event.raise_for_status()
        kind = None
        with client.stream("GET", f"{call}/{event.json()['event_id']}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line.removeprefix("event:").strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    data = json.loads(line.removeprefix("data:"))
                    if kind == "error":
                        raise RuntimeError(f"the app answered with an error: {data}")
                    return data[0]
        raise RuntimeError("the event stream ended without an answer")

    return ask


ASKERS = {"gradio": gradio_asker, "http": http_asker}


def user(ask: Ask, statements: list[str], number: int, users: int, deadline: float, tally: Tally) -> None:
    """One user: ask, wait for the answer, ask again, until the deadline.

    User n sends statements n, n + users, n + 2 * users, ...: with enough statements, no two
    requests repeat one before the list wraps around.
    """
    turn = number
    while time.perf_counter() < deadline:
        statement = statements[turn % len(statements)]
        turn += users
        start = time.perf_counter()
        try:
            result = ask(statement)
            error = None if looks_like_report(result) else f"unexpected result: {str(result)[:200]}"
        except Exception as exc:  # a load test counts every failure, whatever its kind
            error = f"{type(exc).__name__}: {exc}"
        tally.add(time.perf_counter() - start, error)


def sample_rss(pid: int | None, deadline: float, samples: list[tuple[float, float]], every: float = 5.0) -> None:
    """Append (seconds since start, RSS MiB) every `every` seconds until the deadline."""
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        value = rss_mb(pid)
        if value is not None:
            samples.append((time.perf_counter() - started, value))
        time.sleep(min(every, max(deadline - time.perf_counter(), 0)))


def growth_after(samples: list[tuple[float, float]], warm_up: float) -> tuple[float | None, float | None]:
    """(RSS at the end of the warm-up, highest later sample minus it), or Nones without samples."""
    before = [value for at, value in samples if at <= warm_up]
    after = [value for at, value in samples if at > warm_up]
    if not before or not after:
        return None, None
    return before[-1], round(max(after) - before[-1], 1)


def run(url: str, users: int, seconds: float, statements: list[str], pid: int | None,
        warm_up: float = 0.0, client: str = "gradio") -> Summary:
    askers = [ASKERS[client](url) for _ in range(users)]
    for ask in askers:  # connect and warm up outside the measured window
        ask(statements[0])
    tally = Tally()
    rss_start = rss_mb(pid)
    started = time.perf_counter()
    deadline = started + seconds
    samples: list[tuple[float, float]] = []
    threads = [threading.Thread(target=user, args=(ask, statements, n, users, deadline, tally))
               for n, ask in enumerate(askers)]
    threads.append(threading.Thread(target=sample_rss, args=(pid, deadline, samples)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rss_end = rss_mb(pid)
    at_warm_up, growth = growth_after(samples, warm_up) if warm_up > 0 else (None, None)
    return Summary(
        users=users,
        seconds=round(elapsed, 1),
        requests=len(tally.latencies),
        errors=len(tally.errors),
        throughput_per_s=round(len(tally.latencies) / elapsed, 1),
        p50_ms=round(percentile(tally.latencies, 0.50) * 1000, 1),
        p95_ms=round(percentile(tally.latencies, 0.95) * 1000, 1),
        max_ms=round(max(tally.latencies, default=0.0) * 1000, 1),
        rss_start_mb=rss_start,
        rss_end_mb=rss_end,
        rss_after_warm_up_mb=at_warm_up,
        growth_after_warm_up_mb=growth,
        first_errors=tally.errors[:5],
    )


def _row(summary: Summary, args: argparse.Namespace, distinct: int):
    """The app table's row of a run, named by its client, users and length."""
    what = "one statement" if distinct <= 1 else f"{distinct:,} statements in turn"
    values = {"requests/s": summary.throughput_per_s, "p50 ms": summary.p50_ms, "p95 ms": summary.p95_ms,
              "errors": summary.errors}
    if summary.growth_after_warm_up_mb is not None:
        values["RSS growth after warm-up MiB"] = summary.growth_after_warm_up_mb
    return measured(f"{args.client}-{args.users}-users-{args.seconds:g}s",
                    f"{args.users} users for {args.seconds:g} s, {what}, {args.client} client", values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/", help="the running app (default %(default)s)")
    parser.add_argument("--users", type=int, default=8, help="concurrent users (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured duration (default %(default)s)")
    parser.add_argument("--statement", action="append", help="statement to send (repeatable; users cycle)")
    parser.add_argument("--statements", metavar="JSONL", help="also send the `statement` of every line of a file")
    parser.add_argument("--pid", type=int, help="the app's process id (default: found by the URL's port)")
    parser.add_argument("--warm-up", type=float, default=0.0, metavar="S",
                        help="also report the RSS S seconds in and the largest rise after it")
    parser.add_argument("--client", choices=list(ASKERS), default="gradio",
                        help="gradio_client (polls every 50 ms) or plain HTTP (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/app.json")
    args = parser.parse_args(argv)
    if args.users <= 0 or args.seconds <= 0:
        parser.error("--users and --seconds must be positive")
    if not 0 <= args.warm_up < args.seconds:
        parser.error("--warm-up must be at least 0 and shorter than --seconds")
    port = urlparse(args.url).port or 80
    pid = args.pid or listening_pid(port)
    statements = list(args.statement or [])
    if args.statements:
        statements += [row["statement"] for _, row in read_jsonl(args.statements)]
    summary = run(args.url, args.users, args.seconds, statements or [DEFAULT_STATEMENT], pid, args.warm_up,
                  args.client)
    if args.record:
        record("app", [_row(summary, args, len(statements))])
    if args.json:
        print(json.dumps(asdict(summary), indent=2))
    else:
        print(f"{summary.users} users ({args.client} client), {summary.seconds} s: {summary.requests} requests, {summary.errors} errors, "
              f"{summary.throughput_per_s} req/s")
        print(f"latency p50 {summary.p50_ms} ms, p95 {summary.p95_ms} ms, max {summary.max_ms} ms")
        print(f"app RSS (pid {pid}): {summary.rss_start_mb} MiB at start, {summary.rss_end_mb} MiB at end")
        if summary.rss_after_warm_up_mb is not None:
            print(f"after {args.warm_up:g} s of warm-up: {summary.rss_after_warm_up_mb} MiB, "
                  f"then at most +{summary.growth_after_warm_up_mb} MiB")
        for error in summary.first_errors:
            print(f"  error: {error}")
    return 1 if summary.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
