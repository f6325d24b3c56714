"""A throw-away Celery cluster on this machine: a real redis-server on a free loopback port and N
`signavatar worker` processes (own sessions, one render process each) on one shared data folder.
Shared by tests/distributed and benchmarks/batch_throughput.py."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_server import free_port  # noqa: E402  (the one free-port finder of the tests)

SIGNAVATAR = Path(sys.executable).parent / "signavatar"


class ClusterError(RuntimeError):
    """redis-server is missing, or the cluster did not come up in time."""


@dataclass
class Cluster:
    url: str
    data_dir: Path
    workers: list[subprocess.Popen[bytes]]
    logs: list[Path]


def wait_for(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise ClusterError(f"timed out after {timeout_s} s waiting for {what}")


@contextmanager
def celery_cluster(tmp: Path, workers: int = 2, visibility_s: float = 8.0) -> Iterator[Cluster]:
    """Start redis-server and `workers` workers under `tmp`; stop them all afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        raise ClusterError("redis-server is not installed "
                           "(Debian package redis-server; scripts/setup-system.sh installs it)")
    port = free_port()
    redis = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        def redis_up() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False

        wait_for(redis_up, 10, "redis-server")
        url = f"redis://127.0.0.1:{port}/0"
        data_dir = tmp / "shared"
        data_dir.mkdir(exist_ok=True)
        logs = [tmp / f"worker{n}.log" for n in range(workers)]
        for log in logs:
            with log.open("wb") as out:  # own session: a test may kill a worker with its render process
                procs.append(subprocess.Popen(
                    [str(SIGNAVATAR), "worker", "--broker", url, "--concurrency", "1", "--data-dir", str(data_dir),
                     "--visibility-timeout", str(visibility_s)],
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp,
                ))
        for log in logs:
            wait_for(lambda log=log: b" ready." in log.read_bytes(), 60, f"the worker logging to {log}")
        yield Cluster(url, data_dir, procs, logs)
    finally:
        for w in procs:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
        for w in procs:
            try:
                w.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(w.pid, signal.SIGKILL)
                w.wait()
        redis.terminate()
        redis.wait(timeout=10)
