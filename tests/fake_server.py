"""A real uvicorn process serving the app with the fake pipeline (tests/api/serve_fake_app.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
#: the API key the test services are started with; tests send it on write requests
TEST_API_KEY = "test-key-0f3a9c2e7b41d856"
AUTH = {"Authorization": f"Bearer {TEST_API_KEY}"}


@contextmanager
def fake_server(data_dir: Path, api_key: str = TEST_API_KEY, **settings: object) -> Iterator[str]:
    """Start the server on a free loopback port, wait for /healthz, yield its base URL; on exit stop
    it and fail if request handling ever raised. The service log is data_dir/service.log.

    api_key: the key write endpoints need ("" = none); settings: more Settings fields (max_queue=1).
    """
    log_path = data_dir / "service.log"
    args = [f"api_key={api_key}"] + [f"{k}={v}" for k, v in settings.items()]
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
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server never answered /healthz"
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        err = log_path.read_text(errors="replace")
        # Render failures are logged with their traceback on purpose; request handling must never fail.
        assert "Exception in ASGI application" not in err and "unhandled error" not in err, err[-5000:]
