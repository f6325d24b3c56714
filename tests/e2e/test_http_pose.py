"""`"pose": true` over HTTP: `signavatar serve` (real pipeline) writes and serves the clip's .pose file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from pose_format import Pose

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fake_server import rendered  # noqa: E402


def _done(url: str, body: dict[str, Any]) -> dict[str, Any]:
    status = rendered(url, body, timeout=120, poll=0.2)
    assert status["status"] == "done", status
    return status


def test_a_clip_with_pose_serves_its_pose_file(base_url: str) -> None:
    options = {"width": 64, "height": 64, "fps": 25}
    done = _done(base_url, {"glosses": "ICH", "options": {**options, "pose": True}})
    r = httpx.get(base_url + done["urls"]["pose"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["cache-control"].endswith("immutable") and r.headers["etag"]
    pose = Pose.read(r.content)
    assert pose.body.data.shape == (done["frame_count"], 1, 108, 3) and pose.body.fps == 25
    assert np.isfinite(pose.body.data.filled(0)).all()
    # without the option: another clip, no .pose, and a 404 that says how to get one
    plain = _done(base_url, {"glosses": "ICH", "options": options})
    assert "pose" not in plain["urls"] and plain["id"] != done["id"]
    missing = httpx.get(f"{base_url}/v1/clips/{plain['id']}/motion.pose")
    assert missing.status_code == 404 and "options.pose" in missing.json()["detail"]
