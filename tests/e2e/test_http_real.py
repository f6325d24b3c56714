"""The foundation issue's HTTP acceptance: `signavatar serve` (real uvicorn, real pipeline) on loopback."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from signavatar.frames_to_video.probe import probe_video

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fake_server import rendered  # noqa: E402
from real_server import AUTH  # noqa: E402


def _wait_done(base_url: str, body: dict) -> dict:
    info = rendered(base_url, body, timeout=120, poll=0.3)
    assert info["status"] == "done", info
    return info


def test_post_text_returns_a_playable_mp4(base_url: str, tmp_path: Path) -> None:
    body = {"text": "Ich brauche einen neuen Personalausweis.", "options": {"width": 192, "height": 192}}
    info = _wait_done(base_url, body)
    video_url = info["urls"]["video"]
    video = httpx.get(base_url + video_url if video_url.startswith("/") else video_url, timeout=30)
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    path = tmp_path / "clip.mp4"
    path.write_bytes(video.content)
    meta = probe_video(path)
    assert meta["codec"] == "h264" and meta["pix_fmt"] == "yuv420p" and meta["duration"] >= 1.5
    # the same request again is served from the store at once
    again = httpx.post(base_url + "/v1/clips", json=body, timeout=30, headers=AUTH)
    assert again.status_code == 200 and again.json()["id"] == info["id"]
    assert again.json()["machine_generated"] is True and again.json()["review_state"] == "draft"


@pytest.mark.parametrize(
    "case,body",
    [
        ("empty_text", {"text": ""}),
        ("text_100000_chars", {"text": "Termin " * 14286}),
        ("unknown_gloss", {"glosses": "TERMIN QUATSCHWORT"}),
        ("unknown_format", {"text": "Hallo", "options": {"format": "avi"}}),
        ("neither_text_nor_glosses", {}),
        ("clip_longer_than_max_duration", {"glosses": "TERMIN " * 59, "options": {"speed": 0.25}}),
    ],
)
def test_bad_requests_get_4xx_with_a_message(base_url: str, case: str, body: dict) -> None:
    r = httpx.post(base_url + "/v1/clips", json=body, timeout=30, headers=AUTH)
    assert 400 <= r.status_code < 500, (case, r.status_code, r.text)
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail, case
    assert "Traceback" not in r.text
