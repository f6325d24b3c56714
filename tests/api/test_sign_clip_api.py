"""GET /v1/lexicon/{gloss}/clip.mp4 through the real Pipeline, in-process, on a copy of glosses/:
one sign as a small H.264 clip, slowed by its motion (not by repeated frames), cached by its form."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from api.app import create_app
from api.sign_clip_api import CLIP_DIR
from fake_server import TEST_API_KEY, TEST_EDITOR_KEY
from signavatar.frames_to_video.probe import probe_video
from signavatar.settings import Settings
from signavatar.typed import UInt8Array

REPO_GLOSSES = Path(__file__).resolve().parents[2] / "glosses"
SIZE = 288


def get(settings: Settings, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """One GET to a fresh app on `settings` (a fresh app loads the lexicon files as they are now)."""
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings)),
                                     base_url="http://127.0.0.1") as c:
            return await c.get(path, headers=headers or {})

    return asyncio.run(go())


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    lexicon = tmp_path_factory.mktemp("lexicon") / "glosses"
    shutil.copytree(REPO_GLOSSES, lexicon)
    yield Settings(data_dir=tmp_path_factory.mktemp("data"), lexicon_dir=lexicon, api_key=TEST_API_KEY,
                   editor_key=TEST_EDITOR_KEY)


def decoded(content: bytes, tmp: Path) -> UInt8Array:
    """The clip's frames (T, SIZE, SIZE, 3) uint8."""
    path = tmp / "clip.mp4"
    path.write_bytes(content)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, SIZE, SIZE, 3)


def still_pairs(frames: UInt8Array) -> int:
    """How many frames look the same as the one before (a duplicated frame, or the avatar at rest)."""
    diff = np.abs(frames[1:].astype(np.int16) - frames[:-1].astype(np.int16)).mean(axis=(1, 2, 3))
    return int((diff < 0.2).sum())


def test_a_sign_clip_is_small_h264_and_the_slowed_one_is_slowed_motion(settings: Settings, tmp_path: Path) -> None:
    normal = get(settings, "/v1/lexicon/HAUS/clip.mp4")
    assert normal.status_code == 200, normal.text
    assert normal.headers["content-type"] == "video/mp4" and normal.headers["accept-ranges"] == "bytes"
    assert 5_000 < len(normal.content) < 300_000
    (tmp_path / "n.mp4").write_bytes(normal.content)
    info = probe_video(tmp_path / "n.mp4")
    assert (info["codec"], info["width"], info["height"]) == ("h264", SIZE, SIZE), info
    assert 1.0 <= info["duration"] <= 4.0, info  # rest, the sign, rest
    frames = decoded(normal.content, tmp_path)
    # the avatar moves: the middle of the clip differs from its first frame (rest) by far more than noise
    assert np.abs(frames[len(frames) // 2].astype(np.int16) - frames[0]).mean() > 1.0

    slow = get(settings, "/v1/lexicon/HAUS/clip.mp4?speed=0.5")
    assert slow.status_code == 200 and slow.headers["etag"] != normal.headers["etag"]
    slow_frames = decoded(slow.content, tmp_path)
    assert 1.6 * len(frames) <= len(slow_frames) <= 2.4 * len(frames), (len(frames), len(slow_frames))
    # slowed motion, not each frame shown twice: about the same share of still pairs (rest) as the
    # normal clip (~1/3), where doubled frames would make it ~5/6
    still, slow_still = still_pairs(frames) / len(frames), still_pairs(slow_frames) / len(slow_frames)
    assert slow_still <= still + 0.15, (still, slow_still)


def test_speed_outside_half_to_one_and_unknown_signs_are_refused(settings: Settings) -> None:
    for speed in ("0.25", "1.5", "0", "-1"):
        r = get(settings, f"/v1/lexicon/HAUS/clip.mp4?speed={speed}")
        assert r.status_code == 400 and "speed must be between 0.5 and 1.0" in r.json()["detail"], (speed, r.text)
    r = get(settings, "/v1/lexicon/GIBTESNICHT/clip.mp4")
    assert r.status_code == 404 and "GET /v1/lexicon" in r.json()["detail"]
    assert get(settings, "/v1/lexicon/HAUS/clip.mp4?speed=nan").status_code in (400, 422)


def test_the_clip_is_cached_by_form_not_by_description(settings: Settings) -> None:
    first = get(settings, "/v1/lexicon/TERMIN/clip.mp4")
    assert first.status_code == 200
    cache = Path(settings.data_dir) / CLIP_DIR
    files = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.mp4")}
    again = get(settings, "/v1/lexicon/TERMIN/clip.mp4", {"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert get(settings, "/v1/lexicon/termin/clip.mp4").headers["etag"] == first.headers["etag"]

    sign = Path(settings.lexicon_dir) / "signs" / "TERMIN.json"
    data = json.loads(sign.read_text(encoding="utf-8"))
    data["description"] += " (described again)"
    data["description_de"] = "Neu beschrieben."
    sign.write_text(json.dumps(data, indent=1), encoding="utf-8")
    described = get(settings, "/v1/lexicon/TERMIN/clip.mp4")
    assert described.headers["etag"] == first.headers["etag"]  # words about a sign are not its form
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.mp4")} == files  # nothing rendered again

    data["duration"] = round(float(data["duration"]) * 1.5, 3)  # a new form: slower
    sign.write_text(json.dumps(data, indent=1), encoding="utf-8")
    changed = get(settings, "/v1/lexicon/TERMIN/clip.mp4")
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert len(list(cache.glob("*.mp4"))) == len(files) + 1
