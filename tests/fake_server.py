"""A real uvicorn process serving the app with the fake pipeline (tests/api/serve_fake_app.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
#: the API key the test services are started with; tests send it on write requests
TEST_API_KEY = "test-key-0f3a9c2e7b41d856"
AUTH = {"Authorization": f"Bearer {TEST_API_KEY}"}
#: the editor key of the test services (approving, memory, lexicon review); tests send EDITOR_AUTH there
TEST_EDITOR_KEY = "test-editor-7c1e4b9a2d60f358"
EDITOR_AUTH = {"Authorization": f"Bearer {TEST_EDITOR_KEY}"}


def healthy(url: str, alive: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Wait until url/healthz answers 200: True; False when `alive()` turns false (the process
    died) or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while alive() and time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(interval)
    return False


def stop(proc: subprocess.Popen[Any], timeout: float) -> None:
    """Terminate a test server, kill it if it has not ended after `timeout` seconds, and reap it
    (communicate, so a server writing into a pipe cannot block its own exit)."""
    proc.terminate()
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def rendered(url: str, body: dict[str, Any], timeout: float = 20, poll: float = 0.05) -> dict[str, Any]:
    """POST body to url/v1/clips (with AUTH) and poll its status until it is done or failed
    (AssertionError after `timeout` s); the last status JSON. Callers assert "done" when they need it."""
    r = httpx.post(f"{url}/v1/clips", json=body, headers=AUTH, timeout=60)
    assert r.status_code in (200, 202), r.text
    info: dict[str, Any] = r.json()
    deadline = time.monotonic() + timeout
    while info["status"] not in ("done", "failed"):
        assert info["status"] in ("queued", "running") and time.monotonic() < deadline, info
        time.sleep(poll)
        info = httpx.get(f"{url}/v1/clips/{info['id']}", timeout=10).json()
    return info


@contextmanager
def fake_server(data_dir: Path, api_key: str = TEST_API_KEY, editor_key: str = TEST_EDITOR_KEY,
                **settings: object) -> Iterator[str]:
    """Start the server on a free loopback port, wait for /healthz, yield its base URL; on exit stop
    it and fail if request handling ever raised. The service log is data_dir/service.log.

    api_key: the key write endpoints need ("" = none); editor_key: the editors' key ("" = none);
    settings: more Settings fields (max_queue=1).
    """
    log_path = data_dir / "service.log"
    args = [f"api_key={api_key}", f"editor_key={editor_key}"] + [f"{k}={v}" for k, v in settings.items()]
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "api" / "serve_fake_app.py"), str(data_dir), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=log, text=True,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("PORT "), f"server did not start: {line!r} {log_path.read_text()[-2000:]}"
        url = f"http://127.0.0.1:{int(line.split()[1])}"
        assert healthy(url, lambda: True, 20, 0.05), "server never answered /healthz"
        yield url
    finally:
        stop(proc, 10)
        err = log_path.read_text(errors="replace")
        # Render failures are logged with their traceback on purpose; request handling must never fail.
        assert "Exception in ASGI application" not in err and "unhandled error" not in err, err[-5000:]
