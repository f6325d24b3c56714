"""api/compression.py: text answers gzip-compressed over real HTTP (the app under uvicorn, fake
pipeline), decoded equal to the identity answer; video, images, byte ranges, HEAD and small bodies
untouched; Vary and weak ETags so caches keep the variants apart."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, StreamingResponse

from api.compression import MIN_BYTES, GzipMiddleware, accepts_gzip
from fake_server import AUTH, EDITOR_AUTH, rendered

OPTS = {"width": 64, "height": 48, "fps": 10}
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
#: long enough that its captions (one cue a sign) are over MIN_BYTES
MANY = " ".join(["TERMIN", "ICH", "BRAUCHEN", "MORGEN", "AMT"] * 6)


def raw_get(url: str, headers: dict[str, str], method: str = "GET") -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (not decoded)."""
    with httpx.stream(method, url, headers=headers, timeout=30) as r:
        return r, b"".join(r.iter_raw())


@pytest.fixture(scope="module")
def clip(server: str) -> dict[str, Any]:
    info = rendered(server, {"glosses": MANY, "options": OPTS})
    assert info["status"] == "done", info
    r = httpx.post(f"{server}/v1/clips/{info['id']}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    return info


@pytest.mark.parametrize("path,media", [
    ("/embed/{id}", "text/html"), ("/editor/static/editor.js", "text/javascript"),
    ("/editor/static/editor.css", "text/css"), ("/editor", "text/html"),
    ("/v1/clips/{id}/subtitles.vtt", "text/vtt"), ("/v1/clips/{id}", "application/json"),
    ("/openapi.json", "application/json"),
])
def test_text_answers_are_gzip_and_decode_to_the_same_bytes(server: str, clip: dict[str, Any], path: str,
                                                            media: str) -> None:
    url = server + path.format(id=clip["id"])
    plain, plain_body = raw_get(url, IDENTITY)
    packed, packed_body = raw_get(url, GZIP)
    assert plain.status_code == packed.status_code == 200
    assert plain.headers["content-type"].startswith(media) and "content-encoding" not in plain.headers
    assert len(plain_body) >= MIN_BYTES and int(plain.headers["content-length"]) == len(plain_body)
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed_body) == plain_body
    assert len(packed_body) < 0.7 * len(plain_body), (len(packed_body), len(plain_body))
    for r in (plain, packed):
        assert "accept-encoding" in r.headers["vary"].lower()
    if "content-length" in packed.headers:
        assert int(packed.headers["content-length"]) == len(packed_body)
    print(f"{path}: {len(plain_body)} -> {len(packed_body)} bytes ({len(packed_body) / len(plain_body):.0%})")


def test_the_gzip_variant_has_a_weak_etag_and_revalidates(server: str, clip: dict[str, Any]) -> None:
    url = f"{server}/v1/clips/{clip['id']}/subtitles.vtt"
    plain, _ = raw_get(url, IDENTITY)
    packed, _ = raw_get(url, GZIP)
    strong = plain.headers["etag"]
    assert strong.startswith('"') and packed.headers["etag"] == f"W/{strong}"
    # the browser revalidates its gzip copy with the weak tag: 304, the weak tag back
    again = httpx.get(url, headers={**GZIP, "If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == f"W/{strong}"
    assert "accept-encoding" in again.headers["vary"].lower()
    # ... and the identity copy with the strong one: 304 with the strong tag
    again = httpx.get(url, headers={**IDENTITY, "If-None-Match": strong})
    assert again.status_code == 304 and again.headers["etag"] == strong


def test_video_images_ranges_and_head_are_untouched(server: str, clip: dict[str, Any]) -> None:
    base = f"{server}/v1/clips/{clip['id']}"
    video, body = raw_get(f"{base}/video", GZIP)
    assert video.headers["content-type"] == "video/mp4" and "content-encoding" not in video.headers
    assert int(video.headers["content-length"]) == len(body) and len(body) > MIN_BYTES
    assert "vary" not in video.headers
    part, part_body = raw_get(f"{base}/video", {**GZIP, "Range": "bytes=10-109"})
    assert part.status_code == 206 and "content-encoding" not in part.headers and part_body == body[10:110]
    poster, png = raw_get(f"{base}/poster.png", GZIP)
    assert "content-encoding" not in poster.headers and png.startswith(b"\x89PNG")
    # a byte range of a text file addresses the identity bytes
    vtt, whole = raw_get(f"{base}/subtitles.vtt", IDENTITY)
    part, part_body = raw_get(f"{base}/subtitles.vtt", {**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206 and "content-encoding" not in part.headers and part_body == whole[:100]
    head, head_body = raw_get(f"{base}/subtitles.vtt", GZIP, method="HEAD")
    assert head.status_code == 200 and head_body == b"" and "content-encoding" not in head.headers
    assert int(head.headers["content-length"]) == len(whole)


def test_small_bodies_and_refused_gzip_stay_identity(server: str, clip: dict[str, Any]) -> None:
    health, body = raw_get(f"{server}/healthz", GZIP)
    assert len(body) < MIN_BYTES and "content-encoding" not in health.headers
    for header in ("gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *"):
        r, _ = raw_get(f"{server}/embed/{clip['id']}", {"Accept-Encoding": header})
        assert "content-encoding" not in r.headers, header
    r, _ = raw_get(f"{server}/embed/{clip['id']}", {"Accept-Encoding": "deflate, *;q=0.5"})
    assert r.headers["content-encoding"] == "gzip"
    # an error page of a text type is compressed too (a 404 HTML page over MIN_BYTES)
    missing, missing_body = raw_get(f"{server}/embed/{'0' * 32}", GZIP)
    assert missing.status_code == 404 and missing.headers["content-encoding"] == "gzip"
    assert "Video nicht gefunden" in gzip.decompress(missing_body).decode()
    # a POST's JSON answer as well
    post = httpx.post(f"{server}/v1/clips", json={"glosses": MANY, "options": OPTS}, headers={**AUTH, **GZIP})
    assert post.status_code == 200 and post.json()["id"] == clip["id"]


@pytest.mark.parametrize("value,want", [
    ("gzip", True), ("GZIP", True), ("x-gzip", True), ("deflate, gzip;q=0.5", True), ("*", True),
    ("gzip;q=0", False), ("gzip;q=0.0, *", False), ("", False), ("identity", False), ("br, deflate", False),
    ("*;q=0", False), ("gzip;q=abc", False), ("gzip ; q=1", True),
])
def test_accept_encoding(value: str, want: bool) -> None:
    assert accepts_gzip(value) is want


def test_a_streamed_body_is_compressed_as_it_streams() -> None:
    app = FastAPI()
    chunks = [(f"Zeile {i}: Gebärdensprache für alle.\n" * 20).encode() for i in range(5)]

    @app.get("/stream")
    def stream() -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for c in chunks:
                yield c

        return StreamingResponse(body(), media_type="text/plain; charset=utf-8")

    @app.get("/tiny")
    def tiny() -> PlainTextResponse:
        return PlainTextResponse("kurz")

    app.add_middleware(GzipMiddleware)

    async def go() -> tuple[httpx.Response, bytes, httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            async with c.stream("GET", "/stream", headers=GZIP) as r:
                raw = b"".join([b async for b in r.aiter_raw()])
            return r, raw, await c.get("/tiny", headers=GZIP)

    r, raw, small = asyncio.run(go())
    assert r.headers["content-encoding"] == "gzip" and "content-length" not in r.headers
    assert gzip.decompress(raw) == b"".join(chunks) and len(raw) < len(b"".join(chunks)) / 4
    assert "content-encoding" not in small.headers and small.text == "kurz"
