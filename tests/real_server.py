"""One launcher for a real `signavatar serve` (uvicorn, real pipeline) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

# one test key for every test service
from fake_server import AUTH, EDITOR_AUTH, TEST_API_KEY, TEST_EDITOR_KEY, healthy, stop  # noqa: E402

__all__ = ["AUTH", "EDITOR_AUTH", "TEST_API_KEY", "TEST_EDITOR_KEY", "ServeProcess", "free_port", "real_service",
           "serve_process"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ServeProcess:
    """A running `signavatar serve`: its base URL and process id."""

    url: str
    pid: int


@contextmanager
def serve_process(data: Path, env: dict[str, str], args: tuple[str, ...] = ()) -> Iterator[ServeProcess]:
    """Run `signavatar serve` on a free loopback port with SIGNAVATAR_DATA_DIR=data plus `env`,
    wait for /healthz, yield it, stop it afterwards (terminate, then kill after 15 s). RuntimeError
    with the log's tail (data/service.log) if it does not start. Shared by tests and benchmarks."""
    port = free_port()
    log_path = data / "service.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "signavatar.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=REPO, env={**os.environ, "SIGNAVATAR_DATA_DIR": str(data), **env}, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not healthy(url, lambda: proc.poll() is None, 60):
            raise RuntimeError(f"service did not start: {log_path.read_text(errors='replace')[-2000:]}")
        yield ServeProcess(url, proc.pid)
    finally:
        stop(proc, 15)
        log.close()


@contextmanager
def real_service(data: Path, api_key: str = TEST_API_KEY, editor_key: str = TEST_EDITOR_KEY) -> Iterator[str]:
    """The service with SIGNAVATAR_API_KEY=api_key (write requests send AUTH) and
    SIGNAVATAR_EDITOR_KEY=editor_key (editors' requests send EDITOR_AUTH): its base URL.
    Fails the test if it does not start, and if the key ever shows up in its log."""
    try:
        with serve_process(data, {"SIGNAVATAR_API_KEY": api_key, "SIGNAVATAR_EDITOR_KEY": editor_key}) as service:
            yield service.url
    except RuntimeError as exc:
        if str(exc).startswith("service did not start"):
            pytest.fail(str(exc))
        raise
    for key in (api_key, editor_key):  # structured logs must never carry a key (nor the Authorization header)
        if key:
            assert key not in (data / "service.log").read_text(errors="replace"), "a key leaked into the service log"
