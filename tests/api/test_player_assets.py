"""The 3D player's scripts from our own server (api/player_assets.py): only the whitelisted three.js
files, under the installed version's URL, as JavaScript, cached for a year, gzipped on request; a
clear 503 when web/node_modules is missing."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
import shutil
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.player_assets import (
    BUNDLE,
    JS,
    MISSING,
    NODE_MODULES,
    PLAYER_FILES,
    REPO,
    STATIC,
    THREE_FILES,
    PlayerAssets,
    player_assets_router,
)

THREE = NODE_MODULES / "three"
VERSION = json.loads((THREE / "package.json").read_text())["version"]
BASE = f"/player/vendor/three@{VERSION}/"


def get(assets: PlayerAssets, *paths: str, headers: dict[str, str] | None = None) -> list[httpx.Response]:
    app = FastAPI()
    app.include_router(player_assets_router(assets))

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return [await c.get(p, headers=headers or {}) for p in paths]

    return asyncio.run(run())


def test_the_whitelisted_three_files_are_served_as_cacheable_javascript() -> None:
    assert VERSION == "0.187.0"  # web/package.json pins it; a new version is a new URL
    responses = get(PlayerAssets(), *(BASE + name for name in THREE_FILES), headers={"accept-encoding": "identity"})
    for (name, source), r in zip(THREE_FILES.items(), responses, strict=True):
        assert r.status_code == 200, (name, r.text)
        assert r.headers["content-type"] == "text/javascript; charset=utf-8"
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "content-encoding" not in r.headers
        assert r.content == (THREE / source).read_bytes(), name


def test_gzip_when_accepted_and_304_for_a_known_etag() -> None:
    assets = PlayerAssets()
    (r,) = get(assets, BASE + "three.core.js", headers={"accept-encoding": "gzip, br"})
    raw = (THREE / "build" / "three.core.js").read_bytes()
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    # httpx decodes: the body is the file; on the wire it is about a quarter
    assert r.content == raw
    assert len(assets.asset(THREE / "build" / "three.core.js", "").gzipped) < len(raw) / 3
    (again,) = get(assets, BASE + "three.core.js",
                   headers={"if-none-match": r.headers["etag"], "accept-encoding": "gzip"})
    assert again.status_code == 304 and again.content == b""
    # the uncompressed bytes are another representation: another ETag, not a 304 for the gzip one's
    (plain,) = get(assets, BASE + "three.core.js", headers={"if-none-match": r.headers["etag"],
                                                             "accept-encoding": "identity"})
    assert plain.status_code == 200 and plain.headers["etag"] != r.headers["etag"] and plain.content == raw


def test_every_import_of_a_served_file_is_served_too() -> None:
    """The whitelist is closed under the files' own imports (bare 'three' goes through the import map)."""
    for name, source in THREE_FILES.items():
        text = (THREE / source).read_text(encoding="utf-8")
        for spec in re.findall(r"^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'", text, re.M | re.S):
            if spec == "three":
                continue
            target = (Path("/" + name).parent / spec).resolve().relative_to("/").as_posix()
            assert target in THREE_FILES, f"{name} imports {spec} ({target}), which is not served"


@pytest.mark.parametrize("path", [
    BASE + "build/three.cjs", BASE + "three.webgpu.js", BASE + "addons/loaders/FBXLoader.js",
    BASE + "../three/package.json", BASE + "addons/../../package.json", "/player/vendor/three@0.186.0/three.core.js",
])
def test_nothing_else_from_node_modules(path: str) -> None:
    (r,) = get(PlayerAssets(), path)
    assert r.status_code == 404, (path, r.text)
    assert "export" not in r.text and '"version"' not in r.text  # no file content leaks


def test_our_player_files_cache_by_content_hash() -> None:
    assets = PlayerAssets()
    url = assets.static_url("player.js")
    assert re.fullmatch(r"/player/static/player\.js\?v=[0-9a-f]{16}", url)
    fresh, stale, unknown = get(assets, url, "/player/static/player.js?v=0123", "/player/static/editor.js")
    assert fresh.status_code == 200 and fresh.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fresh.headers["content-type"] == PLAYER_FILES["player.js"]
    assert fresh.content == (STATIC / "player.js").read_bytes()
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
    assert unknown.status_code == 404 and "player.js" in unknown.json()["detail"]


def test_missing_node_modules_is_a_clear_503_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="api.player_assets"):
        (r,) = get(PlayerAssets(node_modules=tmp_path / "node_modules"), BASE + "three.module.js")
    assert r.status_code == 503 and r.json()["detail"] == MISSING
    assert "run scripts/setup.sh" in MISSING
    assert any("run scripts/setup.sh" in rec.getMessage() for rec in caplog.records)


def test_a_file_removed_after_start_is_a_503(tmp_path: Path) -> None:
    modules = tmp_path / "node_modules"
    shutil.copytree(THREE, modules / "three", ignore=shutil.ignore_patterns("examples", "src", "*.js"))
    (r,) = get(PlayerAssets(node_modules=modules), BASE + "three.module.js")
    assert r.status_code == 503 and "scripts/setup.sh" in r.json()["detail"]


def test_gzip_is_deterministic() -> None:
    a = PlayerAssets().asset(STATIC / "player.js", "")
    b = PlayerAssets().asset(STATIC / "player.js", "")
    assert a.gzipped == b.gzipped and gzip.decompress(a.gzipped) == a.body


def test_the_bundle_is_served_by_its_hash_once_built(tmp_path: Path) -> None:
    (tmp_path / BUNDLE).write_text("export const WebGLRenderer = 1;\n")
    assets = PlayerAssets(dist=tmp_path)
    url = assets.bundle_url()
    assert url is not None
    (r,) = get(assets, url)
    assert r.status_code == 200 and r.headers["content-type"] == JS
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable" and "WebGLRenderer" in r.text
    (none,) = get(PlayerAssets(dist=tmp_path / "empty"), f"/player/static/{BUNDLE}")
    assert none.status_code == 404 and "scripts/setup.sh" in none.json()["detail"]
    assert PlayerAssets(dist=tmp_path / "empty").bundle_url() is None


def test_the_bundle_entry_exports_what_the_player_uses() -> None:
    """web/player-three.js (what scripts/setup.sh bundles) names every THREE.x of player.js, and GLTFLoader."""
    player = (STATIC / "player.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bTHREE\.([A-Za-z0-9_]+)", player))
    assert {"WebGLRenderer", "AnimationMixer", "ShaderMaterial"} <= used
    entry = (REPO / "web" / "player-three.js").read_text(encoding="utf-8")
    blocks = re.findall(r"export\s*\{([^}]*)\}\s*from\s*\"([^\"]+)\"", entry)
    exported = {name.strip(): source for names, source in blocks for name in names.split(",") if name.strip()}
    assert used <= {n for n, src in exported.items() if src == "three"}, used - set(exported)
    assert exported.get("GLTFLoader") == "three/examples/jsm/loaders/GLTFLoader.js"
    assert "import(\"three/addons/loaders/GLTFLoader.js\")" in player and "import(\"three\")" in player
