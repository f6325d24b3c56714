"""Hostile input against a real uvicorn process (fake pipeline, API key set): every case is answered
quickly with a 4xx (or a correct 200/206/304/416), never a 5xx, and no file outside the store is
ever served. One test id per hostile input."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fake_server import AUTH, EDITOR_AUTH, rendered

OPTS = {"width": 64, "height": 48, "fps": 10}
QUICK_S = 3.0  # seconds; generous for a loaded 2-core machine, far below any render


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def clip(server: str) -> dict[str, Any]:
    info = rendered(server, {"glosses": "TERMIN ICH", "options": OPTS})
    assert info["status"] == "done", info
    return info


class RawResponse:
    """What raw_get read: the status and the body (as text)."""

    def __init__(self, status_code: int, text: str) -> None:
        self.status_code, self.text = status_code, text


def raw_get(base_url: str, path: str) -> RawResponse:
    """GET `path` exactly as written (httpx would resolve '..' segments before sending)."""
    url = httpx.URL(base_url)
    with socket.create_connection((url.host, url.port or 80), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {url.host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return RawResponse(int(head.split(b" ", 2)[1]), body.decode("utf-8", "replace"))


def timed(call: Any) -> Any:
    start = time.monotonic()
    r: httpx.Response = call()
    assert time.monotonic() - start < QUICK_S, "answer took too long"
    assert r.status_code < 500, (r.status_code, r.text[:500])
    assert "Traceback" not in r.text and "root:" not in r.text
    return r


TRAVERSAL_IDS = {
    "dotdot_etc_passwd": "../../etc/passwd",
    "dotdot_url_encoded": "..%2F..%2Fetc%2Fpasswd",
    "dotdot_double_encoded": "%252e%252e%252fetc%252fpasswd",
    "dot_segments_encoded": "%2e%2e/%2e%2e/etc/passwd",
    "absolute_path": "/etc/passwd",
    "absolute_path_encoded": "%2Fetc%2Fpasswd",
    "nul_byte": "0123456789abcdef0123456789abcdef%00",
    "nul_then_traversal": "%00../../etc/passwd",
    "backslashes": "..%5C..%5Cwindows%5Cwin.ini",
    "upper_case_hex": "0123456789ABCDEF0123456789ABCDEF",
    "fullwidth_dots": "%EF%BC%8E%EF%BC%8E%2Fetc%2Fpasswd",
    "clip_id_then_dotdot": "0123456789abcdef0123456789abcdef/../../../etc/passwd",
}


@pytest.mark.parametrize("suffix", ["", "/video", "/subtitles.vtt", "/poster.png", "/metadata.json", "/motion.pose"])
@pytest.mark.parametrize("raw_id", TRAVERSAL_IDS.values(), ids=TRAVERSAL_IDS.keys())
def test_path_traversal_ids(server: str, raw_id: str, suffix: str) -> None:
    r = timed(lambda: raw_get(server, "/v1/clips/" + raw_id + suffix))
    assert r.status_code in (400, 404), r.text
    embed = timed(lambda: raw_get(server, "/embed/" + raw_id))
    assert embed.status_code in (400, 404)


def _post_or_cut_off(client: httpx.Client, body: bytes, headers: dict[str, str]) -> httpx.Response | None:
    """The server answers 413 without reading the whole body and closes the connection; the client
    then sees the answer, or, when it was still sending, a closed connection (None)."""
    try:
        return timed(lambda: client.post("/v1/clips", content=body, headers=headers))
    except (httpx.RemoteProtocolError, httpx.WriteError, httpx.ReadError):
        return None


def _survives(client: httpx.Client) -> bool:
    """The health check on a new connection: whether the service survives is what is asked here.
    (That a pooled client goes on after a 413, which says `connection: close` since the refused
    connection is drained and closed, is tests/api/test_transport_limits.py's.)"""
    with httpx.Client(base_url=client.base_url, timeout=30) as fresh:
        return fresh.get("/healthz").status_code == 200


def test_body_of_10_mb(client: httpx.Client) -> None:
    body = json.dumps({"text": "Hallo " * (10 * 1024 * 1024 // 6)}).encode()
    r = _post_or_cut_off(client, body, {**AUTH, "content-type": "application/json"})
    assert r is None or (r.status_code == 413 and "limit" in r.json()["detail"])
    assert _survives(client), "the service survives"


def test_body_of_10_mb_without_a_key(client: httpx.Client) -> None:
    r = _post_or_cut_off(client, b"x" * (10 * 1024 * 1024), {})
    assert r is None or r.status_code in (401, 413)
    assert _survives(client), "the service survives"


HOSTILE_TEXT = {
    "nul_and_c0_controls": "Hallo\x00\x01\x02\x1b[31mWelt",
    "bidi_override": "Hallo \u202eTLEW\u202c Termin",
    "bidi_isolates": "\u2066Hallo\u2069 \u2067Termin\u2069",
    "zero_width_only": "\u200b\u200c\u200d\ufeff",
    "lone_high_surrogate": "Hallo \ud800 Termin",
    "lone_low_surrogate": "\udfff",
    "combining_marks_flood": "a" + "\u0301" * 1500,
    "line_and_paragraph_separators": "Hallo\u2028Termin\u2029",
    "emoji_and_private_use": "Hallo 👋\ue000",
    "only_controls": "\x01\x02\x03",
}


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_unicode_control_characters_in_text(client: httpx.Client, text: str) -> None:
    body = json.dumps({"text": text, "options": OPTS}).encode()  # ensure_ascii: surrogates travel as \ud800
    headers = {**AUTH, "content-type": "application/json"}
    r = timed(lambda: client.post("/v1/clips", content=body, headers=headers))
    assert r.status_code in (200, 202, 400), r.text
    assert timed(lambda: client.get("/v1/gloss", params={"text": text.encode("utf-8", "replace").decode()})
                 ).status_code in (200, 400)
    memory = json.dumps({"text": text, "glosses": "HALLO", "editor": text, "comment": text}).encode()
    editor = {**EDITOR_AUTH, "content-type": "application/json"}  # the memory is the editors'
    assert timed(lambda: client.post("/v1/memory", content=memory, headers=editor)).status_code in (201, 400, 422)


HUGE = {
    "width_1e9": ({"width": 10**9}, "limit is 256"),
    "width_1e30": ({"width": 10**30}, "limit is 256"),
    "height_huge": ({"height": 2**62}, "limit is 256"),
    "fps_1e6": ({"fps": 10**6}, "limit is 60"),
    "speed_1e308": ({"speed": 1e308}, "speed"),
    "duration_over_limit": ({"fps": 1, "_glosses": 60}, "max_duration_s"),  # fake: 6 frames a gloss
    "glosses_over_limit": ({"_glosses": 100}, "limit is 60"),
    "gloss_text_over_limit": ({"_glosses": 500}, "limit is 2000"),
}


@pytest.mark.parametrize("case", HUGE.values(), ids=HUGE.keys())
def test_huge_sizes_fps_speed_duration(client: httpx.Client, case: tuple[dict[str, Any], str]) -> None:
    options, needle = case
    options = dict(options)
    count = options.pop("_glosses", 1)
    body = {"glosses": " ".join(["TERMIN"] * count), "options": {**OPTS, **options}}
    r = timed(lambda: client.post("/v1/clips", json=body, headers=AUTH))
    assert r.status_code in (400, 422) and needle in r.json()["detail"], r.text


RAW_BODIES = {
    "speed_infinity": '{"glosses": "TERMIN", "options": {"speed": Infinity}}',
    "speed_nan": '{"glosses": "TERMIN", "options": {"speed": NaN}}',
    "width_negative": '{"glosses": "TERMIN", "options": {"width": -64}}',
    "fps_negative": '{"glosses": "TERMIN", "options": {"fps": -1}}',
    "fps_zero": '{"glosses": "TERMIN", "options": {"fps": 0}}',
    "speed_negative": '{"glosses": "TERMIN", "options": {"speed": -1}}',
    "width_non_numeric": '{"glosses": "TERMIN", "options": {"width": "wide"}}',
    "fps_non_numeric": '{"glosses": "TERMIN", "options": {"fps": "fast"}}',
    "width_fraction": '{"glosses": "TERMIN", "options": {"width": 64.5}}',
    "width_boolean": '{"glosses": "TERMIN", "options": {"width": true}}',
    "width_1e400": '{"glosses": "TERMIN", "options": {"width": 1e400}}',
    "background_out_of_range": '{"glosses": "TERMIN", "options": {"background": [999, -1, 0]}}',
    "options_not_an_object": '{"glosses": "TERMIN", "options": [1, 2]}',
    "text_is_a_list": '{"text": ["Hallo"]}',
    "deeply_nested_json": '{"text": ' + "[" * 5000 + "]" * 5000 + "}",
    "body_is_not_json": "text=Hallo",
    "body_is_json_null": "null",
}


@pytest.mark.parametrize("raw", RAW_BODIES.values(), ids=RAW_BODIES.keys())
def test_negative_and_non_numeric_values(client: httpx.Client, raw: str) -> None:
    r = timed(lambda: client.post("/v1/clips", content=raw.encode(),
                                  headers={**AUTH, "content-type": "application/json"}))
    assert r.status_code in (400, 422) and isinstance(r.json()["detail"], str), r.text


def test_thousands_of_byte_ranges(client: httpx.Client, clip: dict[str, Any]) -> None:
    ranges = ",".join(f"{i}-{i}" for i in range(0, 20000, 2))  # ~100 KB: over the head limit (431)
    r = timed(lambda: client.get(clip["urls"]["video"], headers={"Range": f"bytes={ranges}"}))
    assert r.status_code in (200, 206, 416, 431)
    ranges = ",".join(f"{i}-{i}" for i in range(0, 3000, 2))  # ~13 KB: parsed, ignored (> 100 ranges)
    r = timed(lambda: client.get(clip["urls"]["video"], headers={"Range": f"bytes={ranges}"}))
    assert r.status_code == 200


def test_thousands_of_overlapping_byte_ranges(client: httpx.Client, clip: dict[str, Any]) -> None:
    ranges = ",".join("0-" for _ in range(3000))
    r = timed(lambda: client.get(clip["urls"]["video"], headers={"Range": f"bytes={ranges}"}))
    assert r.status_code in (200, 206, 416)


MALFORMED_RANGES = {
    "not_a_number": "bytes=abc-def", "reversed": "bytes=500-100", "unknown_unit": "items=0-10",
    "only_a_dash": "bytes=-", "empty_spec": "bytes=", "no_equals": "bytes 0-10", "trailing_comma": "bytes=0-1,",
    "huge_numbers": "bytes=99999999999999999999999999-", "negative_start": "bytes=--5", "spaces": "bytes = 0 - 10",
    "suffix_zero": "bytes=-0", "past_the_end": "bytes=100000000-100000010", "float": "bytes=0.5-1.5",
}


@pytest.mark.parametrize("header", MALFORMED_RANGES.values(), ids=MALFORMED_RANGES.keys())
def test_malformed_range_headers(client: httpx.Client, clip: dict[str, Any], header: str) -> None:
    r = timed(lambda: client.get(clip["urls"]["video"], headers={"Range": header}))
    assert r.status_code in (200, 206, 400, 416)


GARBAGE_ETAGS = {
    "unquoted": "abc", "lone_quote": '"', "many_quotes": '"' * 2000, "only_commas": ",,,,,,", "weak_prefix_only": "W/",
    "thousands_of_tags": ", ".join(f'"{i}"' for i in range(2000)), "latin1_bytes": "\xff\xfe\xe9",
    "star_and_tags": '*, "x"',
}


@pytest.mark.parametrize("header", GARBAGE_ETAGS.values(), ids=GARBAGE_ETAGS.keys())
def test_if_none_match_garbage(client: httpx.Client, clip: dict[str, Any], header: str) -> None:
    r = timed(lambda: client.get(clip["urls"]["video"], headers={"If-None-Match": header.encode("latin-1")}))
    assert r.status_code in (200, 304)


@pytest.mark.parametrize("path", [
    "/v1/clips/" + "a" * 100_000, "/v1/gloss?text=" + "Hallo%20" * 12_000, "/embed/" + "0" * 50_000,
    "/" + "x/" * 20_000,
], ids=["clip_id_100k", "gloss_query_96k", "embed_id_50k", "deep_path_40k"])
def test_very_long_urls(server: str, path: str) -> None:
    r = timed(lambda: raw_get(server, path))
    assert 400 <= r.status_code < 500
