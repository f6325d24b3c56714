"""Clip files over real HTTP (uvicorn, fake pipeline): content types, immutable caching, ETag
revalidation, byte ranges (206/416, multipart, thousands of ranges), HEAD."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from fake_server import rendered

OPTS = {"width": 64, "height": 48, "fps": 10}
IMMUTABLE = "public, max-age=31536000, immutable"


def done(server: str, body: dict[str, Any]) -> dict[str, Any]:
    info = rendered(server, body)
    assert info["status"] == "done", info
    return info


@pytest.fixture(scope="module")
def clip(server: str) -> dict[str, Any]:
    return done(server, {"glosses": "TERMIN ICH BRAUCHEN", "options": OPTS})


@pytest.mark.parametrize("fmt,media_type", [("mp4", "video/mp4"), ("webm", "video/webm"),
                                            ("gif", "image/gif")])
def test_video_content_types(server: str, fmt: str, media_type: str) -> None:
    info = done(server, {"glosses": "TERMIN", "options": {**OPTS, "format": fmt}})
    r = httpx.get(server + info["urls"]["video"])
    assert r.status_code == 200 and r.headers["content-type"] == media_type
    assert r.headers["cache-control"] == IMMUTABLE and r.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize(
    "name,media_type,cache",
    [
        ("subtitles", "text/vtt; charset=utf-8", IMMUTABLE),
        ("poster", "image/png", IMMUTABLE),
        ("metadata", "application/json", "no-cache"),  # the review state may change
    ],
)
def test_other_files_content_types_and_caching(server: str, clip: dict[str, Any], name: str, media_type: str,
                                               cache: str) -> None:
    r = httpx.get(server + clip["urls"][name])
    assert r.status_code == 200 and r.headers["content-type"] == media_type
    assert r.headers["cache-control"] == cache
    assert int(r.headers["content-length"]) == r.num_bytes_downloaded > 0 and r.content  # as sent (gzip or not)


def test_etag_revalidation_gives_304(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    etag = httpx.get(url).headers["etag"]
    assert etag == f'"{clip["id"]}-video.mp4"'
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        r = httpx.get(url, headers={"If-None-Match": header})
        assert r.status_code == 304 and r.content == b"", header
        assert r.headers["etag"] == etag and r.headers["cache-control"] == IMMUTABLE
    assert httpx.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_single_byte_ranges(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    full = httpx.get(url).content
    size = len(full)
    for spec, start, end in [("0-99", 0, 99), ("100-", 100, size - 1), ("-50", size - 50, size - 1),
                             (f"10-{size + 1000}", 10, size - 1)]:
        r = httpx.get(url, headers={"Range": f"bytes={spec}"})
        assert r.status_code == 206, spec
        assert r.headers["content-range"] == f"bytes {start}-{end}/{size}", spec
        assert r.content == full[start : end + 1] and int(r.headers["content-length"]) == end + 1 - start
        assert r.headers["content-type"] == "video/mp4" and r.headers["cache-control"] == IMMUTABLE


def test_unsatisfiable_range_is_416(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    size = len(httpx.get(url).content)
    r = httpx.get(url, headers={"Range": f"bytes={size}-"})
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=5-1", "bytes", "bytes=", "bytes=0-1,x", "bytes=0 -9"])
def test_malformed_range_is_a_4xx_with_a_message(server: str, clip: dict[str, Any], header: str) -> None:
    r = httpx.get(server + clip["urls"]["video"], headers={"Range": header})
    assert r.status_code == 400 and "bytes=0-499" in r.json()["detail"], header


@pytest.mark.parametrize("header", ["items=0-10", "Items=0-10", "lines=1-2"])
def test_a_range_in_another_unit_is_ignored(server: str, clip: dict[str, Any], header: str) -> None:
    """RFC 9110 §14.2: a Range in a unit the server does not know MUST be ignored."""
    url = server + clip["urls"]["video"]
    r = httpx.get(url, headers={"Range": header})
    assert r.status_code == 200 and r.content == httpx.get(url).content, header


def test_range_numbers_of_any_length(server: str, clip: dict[str, Any]) -> None:
    """Was: a 5,000-digit number was a 500 (int() refuses over 4300 digits). Now it is compared as
    the number it is: a start beyond any file is 416, an end beyond it means the end of the file."""
    url = server + clip["urls"]["video"]
    full = httpx.get(url).content
    size, huge = len(full), "9" * 5000
    r = httpx.get(url, headers={"Range": f"bytes={huge}-"})
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{size}", r.text
    assert "beyond the end" in r.json()["detail"]
    assert httpx.get(url, headers={"Range": f"bytes={huge}-{huge}"}).status_code == 416
    for spec in (f"0-{huge}", f"-{huge}", f"{'0' * 5000}-"):
        r = httpx.get(url, headers={"Range": f"bytes={spec}"})
        assert r.status_code == 206 and r.headers["content-range"] == f"bytes 0-{size - 1}/{size}", spec
        assert r.content == full
    r = httpx.get(url, headers={"Range": f"bytes={'0' * 4000}10-{'0' * 4000}19"})  # leading zeros
    assert r.status_code == 206 and r.content == full[10:20]
    r = httpx.get(url, headers={"Range": f"bytes=0-9,{huge}-"})  # one satisfiable range is enough
    assert r.status_code == 206 and r.content == full[:10]
    r = httpx.get(url, headers={"Range": f"BYTES=0-9, 20-29, {size * 2}-"})  # the unit in any case
    assert r.status_code == 206 and r.headers["content-type"].startswith("multipart/byteranges")


def test_if_range_with_our_etag_honours_the_range(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    etag = httpx.get(url).headers["etag"]
    assert httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": etag}).status_code == 206
    assert httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": '"old"'}).status_code == 200


def test_two_ranges_give_multipart_byteranges(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    full = httpx.get(url).content
    r = httpx.get(url, headers={"Range": "bytes=0-9,20-29"})
    assert r.status_code == 206 and r.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert int(r.headers["content-length"]) == len(r.content)
    size = len(full)
    assert f"Content-Range: bytes 0-9/{size}".encode() in r.content and full[20:30] in r.content
    # Overlapping ranges are merged into one.
    merged = httpx.get(url, headers={"Range": "bytes=0-9,5-19," + ",".join(["0-19"] * 50)})
    assert merged.status_code == 206 and merged.headers["content-range"] == f"bytes 0-19/{size}"


def test_thousands_of_byte_ranges_are_cheap(server: str, clip: dict[str, Any]) -> None:
    url = server + clip["urls"]["video"]
    full = httpx.get(url).content
    ranges = "bytes=" + ",".join(f"{2 * i}-{2 * i}" for i in range(1500))  # 1500 ranges, ~13 KB header
    t0 = time.perf_counter()
    r = httpx.get(url, headers={"Range": ranges})
    elapsed = time.perf_counter() - t0
    # More than 100 ranges: the whole file once, not 1500 multipart parts.
    assert r.status_code == 200 and r.content == full
    assert elapsed < 1.0, elapsed
    # 80 KB of header: over the service's limit on a request head (Settings.max_header_bytes).
    huge = httpx.get(url, headers={"Range": "bytes=" + ",".join(["0-0"] * 20000)})
    assert huge.status_code == 431 and "bytes" in huge.json()["detail"]


def test_head_requests(server: str, clip: dict[str, Any]) -> None:
    for name, media_type in [("video", "video/mp4"), ("subtitles", "text/vtt; charset=utf-8"),
                             ("poster", "image/png"), ("metadata", "application/json")]:
        url = server + clip["urls"][name]
        head = httpx.head(url)
        assert head.status_code == 200 and head.content == b"", name
        assert head.headers["content-type"] == media_type
        assert int(head.headers["content-length"]) == len(httpx.get(url).content)
    ranged = httpx.head(server + clip["urls"]["video"], headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.headers["content-length"] == "10"


def test_files_of_unknown_or_invalid_ids(server: str) -> None:
    assert httpx.get(f"{server}/v1/clips/{'0' * 32}/video").status_code == 404
    r = httpx.get(f"{server}/v1/clips/..%2F..%2Fetc/video")
    assert r.status_code == 404
    r = httpx.get(f"{server}/v1/clips/{'Z' * 32}/poster.png")
    assert r.status_code == 400 and "32 lowercase hexadecimal" in r.json()["detail"]
