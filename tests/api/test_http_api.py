import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_server import AUTH
from signavatar.frames_to_video.probe import probe_video

OPTS = {"width": 64, "height": 48, "fps": 10}


def poll(url: str, status_url: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(url + status_url).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"clip never finished: {body}")


def test_create_poll_and_fetch(server: str, tmp_path: Path) -> None:
    body = {"text": "Ich brauche einen Termin.", "options": OPTS}
    r = httpx.post(f"{server}/v1/clips", json=body, headers=AUTH)
    assert r.status_code == 202, r.text
    created = r.json()
    assert created["status"] in ("queued", "running") and len(created["id"]) == 32
    done = poll(server, created["status_url"])
    assert done["status"] == "done", done
    assert [g["gloss"] for g in done["glosses"]] == ["ICH", "BRAUCHE", "EINEN", "TERMIN"]
    assert done["machine_generated"] is True and done["review_state"] == "draft"

    video = httpx.get(server + done["urls"]["video"])
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert video.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert video.headers["accept-ranges"] == "bytes"
    etag = video.headers["etag"]
    out = tmp_path / "v.mp4"
    out.write_bytes(video.content)
    info = probe_video(out)
    assert (info["codec"], info["pix_fmt"], info["width"], info["height"]) == ("h264", "yuv420p", 64, 48)

    part = httpx.get(server + done["urls"]["video"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100 and part.content == video.content[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(video.content)}"
    cached = httpx.get(server + done["urls"]["video"], headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""

    vtt = httpx.get(server + done["urls"]["subtitles"])
    assert vtt.headers["content-type"].startswith("text/vtt") and vtt.text.startswith("WEBVTT")
    poster = httpx.get(server + done["urls"]["poster"])
    assert poster.headers["content-type"] == "image/png" and poster.content[:4] == b"\x89PNG"
    meta = httpx.get(server + done["urls"]["metadata"]).json()
    assert meta["notice"].startswith("Machine-generated") and meta["clip_id"] == created["id"]

    again = httpx.post(f"{server}/v1/clips", json={**body, "text": " Ich brauche  einen Termin. "}, headers=AUTH)
    assert again.status_code == 200 and again.json()["id"] == created["id"]
    assert again.json()["urls"]["video"] == done["urls"]["video"]


def test_glosses_webm_and_cors(server: str) -> None:
    body = {"glosses": "TERMIN ICH BRAUCHEN", "options": {**OPTS, "format": "webm"}}
    r = httpx.post(f"{server}/v1/clips", json=body, headers=AUTH)  # writes from foreign pages: test_access_control
    assert r.status_code == 202
    done = poll(server, r.json()["status_url"])
    video = httpx.get(server + done["urls"]["video"], headers={"Origin": "https://example.org"})
    assert video.headers["access-control-allow-origin"] == "*"
    assert video.headers["content-type"] == "video/webm"


def test_background_colour_is_drawn(server: str, tmp_path: Path) -> None:
    body = {"glosses": "TERMIN", "options": {**OPTS, "background": "#102030"}}
    r = httpx.post(f"{server}/v1/clips", json=body, headers=AUTH)
    assert r.status_code in (200, 202), r.text
    done = poll(server, r.json()["status_url"])
    assert done["status"] == "done", done
    poster = httpx.get(server + done["urls"]["poster"]).content
    plain = httpx.post(f"{server}/v1/clips", json={"glosses": "TERMIN", "options": OPTS}, headers=AUTH).json()
    assert plain["id"] != done["id"]  # the background is part of the clip id
    assert poster[:8] == b"\x89PNG\r\n\x1a\n"
    start = poster.index(b"IDAT") + 4
    first_row = zlib.decompress(poster[start : start + int.from_bytes(poster[start - 8 : start - 4], "big")])
    assert tuple(first_row[1:4]) == (0x10, 0x20, 0x30)  # filter byte, then the top-left pixel


def test_identical_posts_share_one_job(server: str) -> None:
    body = {"text": "Wir treffen uns morgen", "options": OPTS}
    ids = {httpx.post(f"{server}/v1/clips", json=body, headers=AUTH).json()["id"] for _ in range(3)}
    assert len(ids) == 1
    assert poll(server, f"/v1/clips/{ids.pop()}")["status"] == "done"


def test_failed_render_is_reported(server: str) -> None:
    r = httpx.post(f"{server}/v1/clips", json={"glosses": "HALLO FAIL", "options": OPTS}, headers=AUTH)
    assert r.status_code == 202
    failed = poll(server, r.json()["status_url"])
    # the public detail names no internals (the renderer's own error goes to the service log)
    assert failed["status"] == "failed" and "the service log has the details" in failed["detail"]
    assert httpx.get(f"{server}/v1/clips/{r.json()['id']}/video").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"text": ""}, 400, "either text"),
        ({"text": "   "}, 400, "either text"),
        ({}, 400, "either text"),
        ({"text": "a", "glosses": "A"}, 400, "not both"),
        ({"text": "x" * 3000, "options": OPTS}, 400, "limit is 2000"),
        ({"text": "x" * 100_000}, 413, "limit"),
        ({"text": "Hallo", "options": {"format": "avi"}}, 422, "format"),
        ({"text": "Hallo", "options": {"width": 4096, "height": 64}}, 400, "too large"),
        ({"text": "Hallo", "options": {"width": 63, "height": 64}}, 400, "even"),
        ({"text": "Hallo", "options": {"speed": 100}}, 400, "speed"),
        ({"text": "Hallo", "colour": "red"}, 422, "colour"),
        ({"glosses": "termin", "options": OPTS}, 400, "unknown gloss"),
        ({"text": "Hallo", "options": {**OPTS, "background": "transparent"}}, 400, "use webm"),
        ({"text": "Hallo", "options": {**OPTS, "background": "#12345"}}, 400, "#rrggbb"),
        ({"text": 5}, 422, "text"),
    ],
)
def test_bad_input_is_a_4xx_with_a_message(server: str, body: dict[str, Any], status: int, needle: str) -> None:
    r = httpx.post(f"{server}/v1/clips", json=body, headers=AUTH)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and needle in detail and "Traceback" not in detail


def test_bad_json_and_bad_ids(server: str) -> None:
    bad = b"{not json"
    r = httpx.post(f"{server}/v1/clips", content=bad, headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    for path in ("/v1/clips/abc", "/v1/clips/abc/video", "/v1/clips/..%2F..%2Fetc%2Fpasswd/video"):
        r = httpx.get(server + path)
        assert r.status_code in (400, 404) and "detail" in r.json()
    assert httpx.get(f"{server}/v1/clips/{'0' * 32}").status_code == 404
    assert httpx.get(f"{server}/v1/clips/{'0' * 32}/poster.png").status_code == 404


def test_chunked_body_is_refused(server: str) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"text": "Hallo"}'

    r = httpx.post(f"{server}/v1/clips", content=chunks(), headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 411


def test_gloss_endpoint(server: str) -> None:
    r = httpx.get(f"{server}/v1/gloss", params={"text": "Wie  heißt du?"})
    assert r.status_code == 200
    body = r.json()
    assert body["gloss_string"] == "WIE HEISST DU" or body["gloss_string"] == "WIE HEIßT DU"
    assert body["sentence_type"] == "question-yn" and body["machine_generated"] is True
    assert httpx.get(f"{server}/v1/gloss", params={"text": " "}).status_code == 400
    assert httpx.get(f"{server}/v1/gloss").status_code == 422


def test_ffprobe_is_available() -> None:
    assert subprocess.run(["ffprobe", "-version"], capture_output=True).returncode == 0
