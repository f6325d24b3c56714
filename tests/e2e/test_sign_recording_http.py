"""Recording a sign through a real `signavatar serve` (uvicorn with the service's transport limits,
real pipeline): a video of the default limit's size streams through the connection's body limits
and is refused by ffprobe for its content (a file of zeros), one byte more is refused with 413 by
the multipart reader, and a rendered 3 s sign is captured by the job, its preview served; the job
state is on disk, and a service started again on the same data dir shows it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from real_server import EDITOR_AUTH, real_service
from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

pytestmark = [pytest.mark.render, pytest.mark.slow]

LIMIT = Settings().max_recording_bytes
FORM = {"signer": "Anna Beispiel", "licence": "CC0-1.0", "consent": "true"}


def post(url: str, data: bytes, name: str = "clip.mp4") -> httpx.Response:
    return httpx.post(f"{url}/v1/lexicon/DANKE/recordings", headers=EDITOR_AUTH, data=FORM,
                      files={"file": (name, data, "video/mp4")}, timeout=120)


def test_uploads_through_the_real_transport(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings())
    options = RenderOptions(width=256, height=256, fps=25, speed=0.67)  # DANKE's 2 s signed in 3 s
    video = tmp_path / "danke.mp4"
    encode_video(pipeline.frames(pipeline.motion(pipeline.parse_glosses("DANKE"), options), options), video,
                 fps=25, width=256, height=256, fmt="mp4")
    pipeline.close()
    data = tmp_path / "data"
    data.mkdir()
    with real_service(data) as url:
        started = time.monotonic()
        full = post(url, bytes(LIMIT))
        took = time.monotonic() - started
        assert full.status_code == 415 and "MP4, WebM or MOV" in full.json()["detail"], full.text
        assert took < 30, took  # 30 MB in well under the transport's body time (6 x body_timeout_s)
        over = post(url, bytes(LIMIT + 1))
        assert over.status_code == 413 and "over the limit of 30 MB" in over.json()["detail"], over.text
        r = post(url, video.read_bytes())
        assert r.status_code == 202, r.text
        state = wait(url, r.json()["status_url"])
        assert state["status"] == "done" and state["sign"]["gloss"] == "DANKE", state
        preview = httpx.get(url + state["preview_url"], headers=EDITOR_AUTH, timeout=30)
        assert preview.status_code == 200 and preview.content[4:8] == b"ftyp"
    assert list((data / "recordings" / ".uploads").glob("*")) == []
    with real_service(data) as url:  # started again: the job is still there
        again = httpx.get(url + r.json()["status_url"], headers=EDITOR_AUTH, timeout=30).json()
        assert again["status"] == "done" and again["sign"] == state["sign"]


def wait(url: str, status_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state: dict[str, Any] = httpx.get(url + status_url, headers=EDITOR_AUTH, timeout=30).json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError(f"not finished: {state}")
