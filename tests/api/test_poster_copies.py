"""GET /v1/clips/{id}/poster.jpg and /poster.webp over real HTTP (the app under uvicorn, fake
pipeline): written with every clip, served like poster.png (ETag, immutable, 304, HEAD, never
gzip), made from poster.png on the first request for a clip stored before them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from fake_server import fake_server, rendered
from signavatar.jobs.store import ClipStore

OPTS = {"width": 160, "height": 120, "fps": 10}
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("posters")
    with fake_server(data) as url:
        yield url, data


def clip(url: str, glosses: str) -> dict[str, Any]:
    info = rendered(url, {"glosses": glosses, "options": OPTS})
    assert info["status"] == "done", info
    return info


@pytest.mark.parametrize("name,media,fmt", [("poster.jpg", "image/jpeg", "JPEG"),
                                            ("poster.webp", "image/webp", "WEBP")])
def test_copies_are_served_like_the_png(service: tuple[str, Path], name: str, media: str, fmt: str) -> None:
    url, data = service
    info = clip(url, "TERMIN ICH")
    meta = httpx.get(f"{url}/v1/clips/{info['id']}/metadata.json").json()
    assert meta["files"]["poster_jpeg"] == "poster.jpg" and meta["files"]["poster_webp"] == "poster.webp"
    r = httpx.get(f"{url}/v1/clips/{info['id']}/{name}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"] == media and "content-encoding" not in r.headers
    assert r.headers["cache-control"] == IMMUTABLE and r.headers["etag"] == f'"{info["id"]}-{name}"'
    image = Image.open(io.BytesIO(r.content))
    assert image.format == fmt and image.size == (160, 120)
    # (smaller than the PNG for a real render: tests/frames_to_video/test_poster_variants.py; the fake
    # pipeline's flat rectangles make a PNG of a few hundred bytes)
    again = httpx.get(f"{url}/v1/clips/{info['id']}/{name}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    head = httpx.head(f"{url}/v1/clips/{info['id']}/{name}")
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(r.content)
    assert httpx.get(f"{url}/v1/clips/{'0' * 32}/{name}").status_code == 404


def test_an_older_clip_gets_its_copies_on_first_request(service: tuple[str, Path]) -> None:
    url, data = service
    info = clip(url, "MORGEN AMT")
    folder = ClipStore(data / "clips").folder(info["id"])
    for name in ("poster.jpg", "poster.webp"):
        (folder / name).unlink()  # as a clip stored before they were written
        r = httpx.get(f"{url}/v1/clips/{info['id']}/{name}")
        assert r.status_code == 200 and r.content == (folder / name).read_bytes()
        assert Image.open(io.BytesIO(r.content)).size == (160, 120)
    assert not list(folder.glob(".*.part"))
    (folder / "poster.webp").unlink()
    (folder / "poster.png").unlink()  # nothing to make it from
    r = httpx.get(f"{url}/v1/clips/{info['id']}/poster.webp")
    assert r.status_code == 404 and "no poster" in r.json()["detail"]


def test_embed_page_uses_the_webp_poster(service: tuple[str, Path]) -> None:
    url, _ = service
    info = clip(url, "HALLO")
    page = httpx.get(f"{url}/embed/{info['id']}")  # a draft: not public, so check the template route
    assert page.status_code == 404
    r = httpx.post(f"{url}/v1/clips/{info['id']}/approve", json={"editor": "Anna"},
                   headers={"Authorization": "Bearer test-editor-7c1e4b9a2d60f358"})
    assert r.status_code == 200, r.text
    page = httpx.get(f"{url}/embed/{info['id']}")
    assert f'poster="/v1/clips/{info["id"]}/poster.webp"' in page.text
