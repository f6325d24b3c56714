"""Issue 6's end-to-end acceptance against a real `signavatar serve` (uvicorn, real pipeline and
worker process) on loopback: create, poll, download, range request, ETag revalidation, cached
repeat, and 50 concurrent identical requests rendering once."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from signavatar.frames_to_video.probe import probe_video

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from real_server import AUTH  # noqa: E402

BODY = {"glosses": "TERMIN ICH BRAUCHEN", "options": {"width": 96, "height": 96, "fps": 15}}


def _metric(base_url: str, name: str) -> float:
    for line in httpx.get(base_url + "/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in /metrics")


def test_50_concurrent_identical_requests_render_once_then_download_range_304_and_cache(
        base_url: str, tmp_path: Path) -> None:
    def post(_: int) -> httpx.Response:
        return httpx.post(base_url + "/v1/clips", json=BODY, headers=AUTH, timeout=60)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(post, range(50)))
    assert {r.status_code for r in answers} <= {200, 202}, [r.text for r in answers if r.status_code >= 300][:3]
    ids = {r.json()["id"] for r in answers}
    assert len(ids) == 1
    cid = ids.pop()

    deadline = time.monotonic() + 120
    while (status := httpx.get(f"{base_url}/v1/clips/{cid}", timeout=10).json())["status"] != "done":
        assert status["status"] in ("queued", "running") and time.monotonic() < deadline, status
        time.sleep(0.2)
    assert _metric(base_url, "signavatar_renders_total") == 1, "50 identical requests, one render"

    url = base_url + status["urls"]["video"]
    whole = httpx.get(url, timeout=30)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    (tmp_path / "clip.mp4").write_bytes(whole.content)
    assert probe_video(tmp_path / "clip.mp4")["codec"] == "h264"

    part = httpx.get(url, headers={"Range": "bytes=100-1099"}, timeout=30)
    assert part.status_code == 206 and part.content == whole.content[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(whole.content)}"
    beyond = httpx.get(url, headers={"Range": f"bytes={len(whole.content) + 10}-"}, timeout=30)
    assert beyond.status_code == 416

    etag = whole.headers["etag"]
    again = httpx.get(url, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.content == b""

    started = time.monotonic()
    repeat = httpx.post(base_url + "/v1/clips", json=BODY, headers=AUTH, timeout=30)
    assert repeat.status_code == 200 and repeat.json()["id"] == cid, "a repeat is served from the store"
    assert time.monotonic() - started < 2.0
    assert _metric(base_url, "signavatar_renders_total") == 1
