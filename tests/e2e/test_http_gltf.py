"""The 3D player's files over HTTP, `signavatar serve` with the real pipeline: every clip's
motion.glb, the avatar's .glb (built once per version, cached under the data dir)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pygltflib

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fake_server import rendered  # noqa: E402

GLB = "model/gltf-binary"


def test_a_clip_serves_its_motion_as_gltf(base_url: str) -> None:
    status: dict[str, Any] = rendered(base_url, {"glosses": "ICH", "options": {"width": 64, "height": 64}},
                                      timeout=120, poll=0.2)
    assert status["status"] == "done", status
    url = base_url + status["urls"]["motion"]
    assert status["urls"]["motion"] == f"/v1/clips/{status['id']}/motion.glb"
    r = httpx.get(url, headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.headers["content-type"] == GLB and "content-encoding" not in r.headers
    assert r.headers["cache-control"].endswith("immutable") and r.headers["etag"] == f'"{status["id"]}-motion.glb"'
    assert httpx.get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    zipped = httpx.get(url, headers={"Accept-Encoding": "gzip"})  # httpx decodes it
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == r.content
    assert int(zipped.headers["content-length"]) < 0.7 * len(r.content)
    gltf = pygltflib.GLTF2.load_from_bytes(r.content)
    extras = gltf.asset.extras["signavatar"]
    assert extras["frames"] == status["frame_count"] and [g["gloss"] for g in extras["glosses"]] == ["ICH"]
    assert [a.name for a in gltf.animations] == ["clip"]
    meta = httpx.get(base_url + status["urls"]["metadata"]).json()
    assert meta["files"]["motion"] == "motion.glb"

    info = httpx.get(base_url + "/v1/avatar")
    assert info.status_code == 200
    avatar = info.json()
    assert avatar["version"] == extras["avatar_version"] == meta["versions"]["avatar"]
    assert avatar["url"] == f"/v1/avatar/{avatar['version']}.glb" and "CC0" in avatar["licence"]
    glb = httpx.get(base_url + avatar["url"], headers={"Accept-Encoding": "gzip"})
    assert glb.status_code == 200 and glb.headers["content-type"] == GLB and glb.headers["content-encoding"] == "gzip"
    assert glb.headers["cache-control"].endswith("immutable") and len(glb.content) == avatar["bytes"]
    served = pygltflib.GLTF2.load_from_bytes(glb.content)
    assert served.asset.extras["signavatar"]["avatar_version"] == avatar["version"]
    assert httpx.head(base_url + avatar["url"]).status_code == 200
    other = httpx.get(base_url + "/v1/avatar/0123456789ab.glb")
    assert other.status_code == 404 and "GET /v1/avatar" in other.json()["detail"]
