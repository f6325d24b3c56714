"""GET /embed/{id}?player=3d: the 3D player page (api/player3d.py) against the real app under uvicorn
(fake pipeline): only for approved clips, its inline parts allowed by their CSP hashes, its scripts
from this server, the video inside for the fallback; ?player=video stays the video page."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_embed import HOSTILE, OPTS, approved, csp_hash, done, gloss_spans, inline

from api import player3d
from api.player3d import avatar_url, background
from api.player_assets import BUNDLE, PlayerAssets
from signavatar.jobs.clip_record import ClipRecord


def page_of(server: str, body: dict[str, Any]) -> tuple[str, httpx.Response]:
    cid = approved(server, body)["id"]
    return cid, httpx.get(f"{server}/embed/{cid}", params={"player": "3d"})


def test_3d_page_loads_its_scripts_from_this_server_under_its_own_csp(server: str) -> None:
    cid, r = page_of(server, {"text": "Ich brauche einen Termin.", "options": OPTS})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    page, csp = r.text, r.headers["content-security-policy"]
    importmap = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
    assert importmap
    imports = json.loads(importmap.group(1))["imports"]
    bundle = PlayerAssets().bundle_url()  # built by scripts/setup.sh; both cases: test_import_map_*
    if bundle is None:
        assert imports == {"three": "/player/vendor/three@0.187.0/three.module.js",
                           "three/addons/": "/player/vendor/three@0.187.0/addons/"}
        gltf_loader = imports["three/addons/"] + "loaders/GLTFLoader.js"
    else:
        assert imports == {"three": bundle, "three/addons/loaders/GLTFLoader.js": bundle}
        gltf_loader = bundle
    # the inline import map and CSS by hash, the modules from 'self', nothing from elsewhere
    assert f"script-src 'self' {csp_hash(importmap.group(1))};" in csp
    assert f"style-src {csp_hash(inline('style', page))};" in csp
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors" in csp
    assert "unsafe" not in csp and "http" not in re.sub(r"frame-ancestors[^;]*", "", csp)
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)
    assert imports["three"] in preloaded and gltf_loader in preloaded
    module = re.search(r'<script type="module" src="([^"]+)"></script>', page)
    assert module and module.group(1).startswith("/player/static/player.js?v=")
    for url in (unescape(module.group(1)), imports["three"], gltf_loader):
        js = httpx.get(f"{server}{url}")
        assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript"), url
        assert "immutable" in js.headers["cache-control"], url
    # what player.js reads, the clip's own files
    main = re.search(r'<main class="player" id="player" ([^>]*)>', page)
    assert main
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', main.group(1)))
    # the fake pipeline's avatar version ("rect-1") is no content hash: the player asks /v1/avatar
    assert attrs == {"clip": cid, "motion": f"/v1/clips/{cid}/motion.glb",
                     "captions": f"/v1/clips/{cid}/subtitles.vtt", "avatar": "/v1/avatar", "avatar-glb": "",
                     "background": "236,239,243"}
    assert f'<canvas id="canvas" width="{OPTS["width"]}" height="{OPTS["height"]}" role="img"' in page
    # the fallback: the video player, in a template for the script and in <noscript>
    fallback = re.search(r'<template id="fallback">(.*?)</template>', page, re.S)
    assert fallback and f'<source src="/v1/clips/{cid}/video" type="video/mp4">' in fallback.group(1)
    assert "<noscript><video" in page
    assert "<strong>Maschinell erzeugt</strong>" in page and 'id="status" aria-live="polite"' in page
    spans = gloss_spans(page)
    assert spans and all(a < b for a, b, _ in spans)


def test_3d_page_escapes_the_text(server: str) -> None:
    _, r = page_of(server, {"text": HOSTILE, "options": OPTS})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in r.text


def test_video_stays_the_default_and_bad_players_are_refused(server: str) -> None:
    cid = approved(server, {"text": "Guten Morgen", "options": OPTS})["id"]
    for params in ({}, {"player": "video"}):
        r = httpx.get(f"{server}/embed/{cid}", params=params)
        assert r.status_code == 200 and "importmap" not in r.text and '<video id="video"' in r.text
        assert "script-src 'self'" not in r.headers["content-security-policy"]
    bad = httpx.get(f"{server}/embed/{cid}", params={"player": "<b>vr</b>"})
    assert bad.status_code == 400 and "Unbekannter Player" in bad.text and "<b>vr" not in bad.text


def test_3d_page_only_for_approved_clips(server: str) -> None:
    draft = done(server, {"text": "Wo ist das Bürgeramt?", "options": OPTS})
    r = httpx.get(f"{server}/embed/{draft['id']}", params={"player": "3d"})
    assert r.status_code == 404 and "noch nicht freigegeben" in r.text and "importmap" not in r.text


def test_the_page_links_the_avatar_version_the_clip_was_made_with() -> None:
    def clip(versions: object) -> ClipRecord:
        return ClipRecord.from_dict({"clip_id": "a" * 32, "options": {"format": "mp4", "width": 8, "height": 8},
                                     "files": {}, "versions": versions})

    assert avatar_url(clip({"avatar": "3f2a9c0d1e4b"})) == "/v1/avatar/3f2a9c0d1e4b.glb"
    for versions in ({}, {"avatar": "rect-1"}, {"avatar": '"><script>'}, None):
        assert avatar_url(clip(versions)) == ""


def test_without_three_the_page_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """web/node_modules missing: the page's import map points at three@not-installed (503s), so
    player.js's import fails and it shows the video; the page itself is served."""
    monkeypatch.setattr(player3d, "assets", lambda: PlayerAssets(node_modules=tmp_path, dist=tmp_path))
    player3d._page.cache_clear()
    try:
        page = player3d.render_player3d(ClipRecord.from_dict({
            "clip_id": "b" * 32, "options": {"format": "mp4", "width": 8, "height": 8}, "files": {},
            "review_state": "approved"}), None)
        csp = player3d.player3d_csp()
    finally:
        player3d._page.cache_clear()
    assert "/player/vendor/three@not-installed/three.module.js" in page
    importmap = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
    assert importmap and csp_hash(importmap.group(1)) in csp
    assert '<template id="fallback"><video id="video"' in page


def test_the_player_draws_on_the_clips_own_background() -> None:
    def clip(options: dict[str, object]) -> ClipRecord:
        return ClipRecord.from_dict({"clip_id": "a" * 32, "files": {},
                                     "options": {"format": "webm", "width": 8, "height": 8, **options}})

    assert background(clip({"background": [255, 250, 0]})) == "255,250,0"
    assert background(clip({"background": None})) == "transparent"
    for odd in ({}, {"background": [1, 2]}, {"background": [0, 0, 256]}, {"background": '"><b>'}):
        assert background(clip(odd)) == ""  # the avatar file's colour


def clip_page(monkeypatch: pytest.MonkeyPatch, assets: PlayerAssets) -> tuple[dict[str, str], list[str]]:
    """The import map and the modulepreload URLs of a 3D page made with `assets`."""
    monkeypatch.setattr(player3d, "assets", lambda: assets)
    player3d._page.cache_clear()
    try:
        page = player3d.render_player3d(ClipRecord.from_dict({
            "clip_id": "c" * 32, "options": {"format": "mp4", "width": 8, "height": 8}, "files": {}}), None)
    finally:
        player3d._page.cache_clear()
    importmap = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
    assert importmap
    return json.loads(importmap.group(1))["imports"], re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)


def test_import_map_with_the_minified_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / BUNDLE).write_text("export const WebGLRenderer = 1;\n")
    imports, preloaded = clip_page(monkeypatch, PlayerAssets(dist=tmp_path))
    bundle = imports["three"]
    assert re.fullmatch(r"/player/static/three-player\.min\.js\?v=[0-9a-f]{16}", bundle)
    assert imports == {"three": bundle, "three/addons/loaders/GLTFLoader.js": bundle} and preloaded == [bundle]


def test_import_map_without_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    imports, preloaded = clip_page(monkeypatch, PlayerAssets(dist=tmp_path))
    assert imports == {"three": "/player/vendor/three@0.187.0/three.module.js",
                       "three/addons/": "/player/vendor/three@0.187.0/addons/"}
    assert len(preloaded) == 5 and imports["three"] in preloaded
