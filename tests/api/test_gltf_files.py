"""The 3D player's files with a pipeline that draws no avatar (the fake one), as for clips stored
before motion.glb existed: a clear 404, and no motion URL in the status."""

from __future__ import annotations

import httpx

from fake_server import rendered


def test_a_clip_without_motion_says_why(server: str) -> None:
    info = rendered(server, {"glosses": "TERMIN", "options": {"width": 64, "height": 48, "fps": 10}})
    assert info["status"] == "done" and "motion" not in info["urls"]
    meta = httpx.get(server + info["urls"]["metadata"]).json()
    assert "motion" not in meta["files"]
    r = httpx.get(f"{server}/v1/clips/{info['id']}/motion.glb")
    assert r.status_code == 404 and "rendered before clips had one" in r.json()["detail"]
    assert httpx.get(f"{server}/v1/clips/{'0' * 32}/motion.glb").status_code == 404


def test_no_avatar_no_avatar_file(server: str) -> None:
    for path in ("/v1/avatar", "/v1/avatar/0123456789ab.glb"):
        r = httpx.get(server + path)
        assert r.status_code == 404 and r.json()["detail"] == "this server draws no avatar"
