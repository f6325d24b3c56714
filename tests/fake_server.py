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


@contextmanager
def fake_server(data_dir: Path) -> Iterator[str]:
    """Start the server on a free loopback port, wait for /healthz, yield its base URL; on exit stop
    it and fail if request handling ever raised."""
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "api" / "serve_fake_app.py"), str(data_dir)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("PORT "), f"server did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}"
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
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        # Render failures are logged with their traceback on purpose; request handling must never fail.
        assert "Exception in ASGI application" not in err and "unhandled error" not in err, err
