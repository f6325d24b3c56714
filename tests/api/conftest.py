import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn process serving the app with the fake pipeline; yields its base URL."""
    data = tmp_path_factory.mktemp("data")
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "serve_fake_app.py"), str(data)],
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
