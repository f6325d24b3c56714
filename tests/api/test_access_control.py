"""Who may do what, over real sockets against the real app under uvicorn (fake pipeline): the key is
checked before a body is read, the API key may not do editors' work, writes from foreign web pages are
refused, foreign Host names are refused, editors' names are plain text and stay out of public views,
and a decision that cannot be stored changes nothing."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from fake_server import AUTH, EDITOR_AUTH, TEST_API_KEY, fake_server, rendered

OPTS = {"width": 64, "height": 48, "fps": 10}
EVIL = "https://evil.example"
CMS = "https://cms.example"
MEMORY = {"text": "Hallo", "glosses": "HALLO", "editor": "Anna"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both keys set; CMS may write from its pages; the snippet links to a public URL."""
    with fake_server(tmp_path_factory.mktemp("access"), write_origins=CMS,
                     public_url="https://avatar.example.de/dgs/") as url:
        yield url


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """No keys at all, on loopback: the developer mode."""
    with fake_server(tmp_path_factory.mktemp("open"), api_key="", editor_key="") as url:
        yield url


def clip(url: str, glosses: str = "TERMIN") -> str:
    info = rendered(url, {"glosses": glosses, "source_text": f"{glosses.title()}?", "options": OPTS})
    assert info["status"] == "done", info
    return str(info["id"])


def raw_head(url: str, method: str, path: str, headers: dict[str, str], length: int) -> bytes:
    """Send only the request line and headers (announcing a `length`-byte body, none of which is sent)
    and return what the server answers before any body byte (generous timeout: a loaded machine)."""
    parts = urlsplit(url)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Type: application/json",
             f"Content-Length: {length}", *[f"{k}: {v}" for k, v in headers.items()], "", ""]
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass  # nothing came back while the body was outstanding: the server waited for it
        return answer


@pytest.mark.parametrize("path,headers,status", [
    ("/v1/clips", {}, 401),
    ("/v1/clips", {"Authorization": "Bearer wrong-key-wrong-key-1"}, 401),
    ("/v1/memory", {}, 401),
    ("/v1/memory", {"AUTHORIZATION": f"bEaReR {TEST_API_KEY}"}, 403),  # any case; the API key is no editor's
    # editors' writes in the routers of their areas (api/review.py, api/lexicon_api.py), not on the app itself
    (f"/v1/clips/{'0' * 32}/approve", {"Authorization": f"Bearer {TEST_API_KEY}"}, 403),
    ("/v1/lexicon/TERMIN/review", {"Authorization": f"Bearer {TEST_API_KEY}"}, 403),
    ("/v1/preview", {}, 401),
], ids=["no_key", "wrong_key", "memory_no_key", "memory_api_key", "approve_api_key", "lexicon_api_key",
        "preview_no_key"])
@pytest.mark.parametrize("length", [1_000_000, 60_000], ids=["1MB", "under_the_body_limit"])
def test_the_key_is_checked_before_any_body_byte_is_sent(server: str, path: str, headers: dict[str, str],
                                                         status: int, length: int) -> None:
    answer = raw_head(server, "POST", path, headers, length)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:300]
    assert b"www-authenticate: bearer" in answer.lower() or status == 403
    assert httpx.get(f"{server}/healthz", timeout=10).status_code == 200


def test_the_api_key_may_not_do_editors_work_and_the_editor_key_may_do_everything(server: str) -> None:
    cid = clip(server)
    writes: list[tuple[str, dict[str, Any]]] = [
        (f"/v1/clips/{cid}/approve", {"editor": "Anna"}),
        (f"/v1/clips/{cid}/reject", {"editor": "Anna", "reason": "r"}),
        ("/v1/memory", MEMORY), ("/v1/lexicon/TERMIN/review", {"reviewer": "Sam"}),
    ]
    for path, body in writes:
        r = httpx.post(server + path, json=body, headers=AUTH, timeout=10)
        assert r.status_code == 403 and "editor key" in r.json()["detail"], (path, r.text)
        assert httpx.post(server + path, json=body, timeout=10).status_code == 401, path
    r = httpx.get(f"{server}/v1/clips/{cid}/reviews", headers=AUTH, timeout=10)
    assert r.status_code == 403 and "editor key" in r.json()["detail"]
    assert httpx.get(f"{server}/v1/clips/{cid}/reviews", timeout=10).status_code == 401

    assert httpx.post(f"{server}/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH,
                      timeout=10).status_code == 200
    assert httpx.post(f"{server}/v1/memory", json=MEMORY, headers=EDITOR_AUTH, timeout=10).status_code == 201
    # the fake lexicon has no signs: past the key check, the route says so
    assert httpx.post(f"{server}/v1/lexicon/TERMIN/review", json={"reviewer": "Sam"}, headers=EDITOR_AUTH,
                      timeout=10).status_code == 404
    created = httpx.post(f"{server}/v1/clips", json={"glosses": "HALLO", "options": OPTS}, headers=EDITOR_AUTH,
                         timeout=10)
    assert created.status_code in (200, 202), created.text  # the editor key may do what the API key may


def test_without_an_editor_key_the_editor_endpoints_say_how_to_turn_them_on(tmp_path: Path) -> None:
    with fake_server(tmp_path, editor_key="") as url:
        cid = clip(url)
        r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=AUTH, timeout=10)
        assert r.status_code == 403 and "SIGNAVATAR_EDITOR_KEY" in r.json()["detail"]
        assert httpx.post(f"{url}/v1/memory", json=MEMORY, headers=AUTH, timeout=10).status_code == 403


def test_writes_from_foreign_pages_are_refused_even_with_the_right_key(server: str) -> None:
    body = {"glosses": "TERMIN", "options": OPTS}
    r = httpx.post(f"{server}/v1/clips", json=body, headers={**AUTH, "Origin": EVIL}, timeout=10)
    assert r.status_code == 403 and "SIGNAVATAR_WRITE_ORIGINS" in r.json()["detail"]
    assert "access-control-allow-origin" not in r.headers
    r = httpx.post(f"{server}/v1/memory", json=MEMORY, headers={**EDITOR_AUTH, "Origin": "null"}, timeout=10)
    assert r.status_code == 403  # a sandboxed frame or a file:// page
    r = httpx.post(f"{server}/v1/clips", json=body, headers={**AUTH, "Sec-Fetch-Site": "cross-site"}, timeout=10)
    assert r.status_code == 403
    preflight = httpx.options(f"{server}/v1/clips", timeout=10, headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers
    # a configured write origin, the service's own pages and a non-browser client may write
    for origin in (CMS, server):
        r = httpx.post(f"{server}/v1/clips", json=body, headers={**AUTH, "Origin": origin}, timeout=10)
        assert r.status_code in (200, 202), (origin, r.text)
    assert r.headers.get("access-control-allow-origin") is None  # same origin: no CORS needed
    r = httpx.post(f"{server}/v1/clips", json=body, headers={**AUTH, "Origin": CMS}, timeout=10)
    assert r.headers["access-control-allow-origin"] == CMS
    preflight = httpx.options(f"{server}/v1/clips", timeout=10, headers={
        "Origin": CMS, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == CMS
    # reading stays open to every origin (cors_origins "*")
    read = httpx.get(f"{server}/healthz", headers={"Origin": EVIL}, timeout=10)
    assert read.status_code == 200 and read.headers["access-control-allow-origin"] == "*"


def test_without_keys_on_loopback_writes_are_open_but_not_to_foreign_pages(open_server: str) -> None:
    url = open_server
    assert httpx.post(f"{url}/v1/memory", json=MEMORY, timeout=10).status_code == 201
    r = httpx.post(f"{url}/v1/memory", json=MEMORY, headers={"Origin": EVIL}, timeout=10)
    assert r.status_code == 403 and "SIGNAVATAR_WRITE_ORIGINS" in r.json()["detail"]
    preflight = httpx.options(f"{url}/v1/lexicon/TERMIN/review", timeout=10, headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers
    assert httpx.post(f"{url}/v1/memory", json=MEMORY, headers={"Origin": url}, timeout=10).status_code == 201


def test_a_foreign_host_name_is_refused(server: str, tmp_path: Path) -> None:
    port = urlsplit(server).port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
        for path in ("/healthz", "/v1/lexicon"):
            r = httpx.get(server + path, headers={"Host": host}, timeout=10)
            assert r.status_code == 421 and "SIGNAVATAR_ALLOWED_HOSTS" in r.json()["detail"], (host, path)
    r = httpx.post(f"{server}/v1/clips", json={"glosses": "TERMIN"}, headers={**AUTH, "Host": "evil.example"})
    assert r.status_code == 421
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "avatar.example.de"):  # loopback, public_url
        assert httpx.get(f"{server}/healthz", headers={"Host": host}, timeout=10).status_code == 200, host
    with fake_server(tmp_path, allowed_hosts="avatar.example.de,127.0.0.1") as url:  # the names given, no others
        assert httpx.get(f"{url}/healthz", headers={"Host": "Avatar.Example.DE:443"}, timeout=10).status_code == 200
        assert httpx.get(f"{url}/healthz", headers={"Host": f"localhost:{port}"}, timeout=10).status_code == 421


@pytest.mark.parametrize("host", ["127.0.0.1:" + "9" * 5000, "127.0.0.1:\u00b2\u00b3", "127.0.0.1:" + "0" * 6 + "80",
                                  "[::1]:" + "1" * 40, "127.0.0.1:-1", "127.0.0.1:"])
def test_a_host_port_of_any_form_never_breaks_the_origin_check(open_server: str, host: str) -> None:
    """The origin check compares the Origin's port with the Host header's: a port that is no port
    (5,000 digits, superscript digits, a sign) is not this service's, a 403, never a 500."""
    port = urlsplit(open_server).port
    r = httpx.post(f"{open_server}/v1/memory", json=MEMORY, timeout=10,
                   headers={"Host": host.encode("latin-1"), "Origin": f"http://127.0.0.1:{port}"})
    assert r.status_code in (403, 421), (r.status_code, r.text[:200])


@pytest.mark.parametrize("field,value,where", [
    ("editor", "Anna\u202egnuberp", "U+202E"), ("editor", "An\u200bna", "U+200B"), ("editor", " Anna", "space"),
    ("editor", "Anna\n", "U+000A"), ("editor", "Anna\ue000", "U+E000"), ("editor", "Anna\u2028", "U+2028"),
    ("comment", "gut\u2067x", "U+2067"), ("comment", "gut\x07", "U+0007"),
], ids=["rtl_override", "zero_width", "leading_space", "newline", "private_use", "line_separator",
        "comment_bidi_isolate", "comment_bell"])
def test_names_with_hidden_or_reordering_characters_are_refused(server: str, field: str, value: str,
                                                                where: str) -> None:
    cid = clip(server, "ICH")
    bodies = {
        f"/v1/clips/{cid}/approve": {"editor": "Anna", "comment": "", field: value},
        "/v1/memory": {**MEMORY, field: value},
        "/v1/lexicon/TERMIN/review": {"reviewer": "Anna", "comment": "", field.replace("editor", "reviewer"): value},
    }
    for path, body in bodies.items():
        r = httpx.post(server + path, json=body, headers=EDITOR_AUTH, timeout=10)
        assert r.status_code == 422 and where in r.json()["detail"], (path, r.text)
    assert httpx.get(f"{server}/v1/clips/{cid}").json()["review_state"] == "draft"


def test_names_are_nfc_and_comments_keep_their_lines(server: str) -> None:
    cid = clip(server, "DU")
    body = {"editor": "Rene\u0301 Mu\u0308ller", "comment": "Zeile 1\n\tZeile 2"}
    r = httpx.post(f"{server}/v1/clips/{cid}/approve", json=body, headers=EDITOR_AUTH, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["editor"] == "René Müller" and r.json()["comment"] == "Zeile 1\n\tZeile 2"


def test_public_views_show_the_state_and_date_but_no_names_or_reasons(server: str) -> None:
    approved, rejected = clip(server, "WANN"), clip(server, "WO")
    ok = httpx.post(f"{server}/v1/clips/{approved}/approve", json={"editor": "Erika Geheim", "comment": "Notiz-A"},
                    headers=EDITOR_AUTH, timeout=10).json()
    httpx.post(f"{server}/v1/clips/{rejected}/reject", json={"editor": "Erika Geheim", "reason": "Grund-B"},
               headers=EDITOR_AUTH, timeout=10).raise_for_status()
    public = [httpx.get(f"{server}{p}", timeout=10) for p in (
        f"/v1/clips/{approved}", f"/v1/clips/{approved}/metadata.json", f"/embed/{approved}",
        f"/v1/clips/{rejected}", f"/v1/clips/{rejected}/metadata.json", f"/embed/{rejected}",
        f"/v1/clips/{approved}/reviews")]
    for r in public:
        assert "Erika" not in r.text and "Notiz-A" not in r.text and "Grund-B" not in r.text, (r.url, r.text[:500])
    assert public[-1].status_code == 401
    assert public[0].json()["review_state"] == "approved" and "approved by an editor" in public[0].json()["notice"]
    assert public[1].json()["review"] == {"action": "approved", "time": ok["time"]}
    day = ok["time"][:10].split("-")
    assert f"Glossen geprüft und freigegeben am {day[2]}.{day[1]}.{day[0]}" in public[2].text
    assert public[4].json()["review_state"] == "rejected"
    entries = httpx.get(f"{server}/v1/clips/{rejected}/reviews", headers=EDITOR_AUTH, timeout=10).json()["entries"]
    assert [(e["editor"], e["reason"]) for e in entries] == [("Erika Geheim", "Grund-B")]


def test_clip_json_written_before_names_were_kept_out_shows_none_publicly(tmp_path: Path) -> None:
    """A clip approved by an older version has the editor's name, comment and a naming notice in
    its clip.json: status and metadata.json serve the public view of it, without them."""
    with fake_server(tmp_path) as url:
        cid = clip(url, "HALLO")
        path = (next((tmp_path / "clips").glob(f"*/{cid}/clip.json"), None)
                or next((tmp_path / "clips").rglob("clip.json")))
        meta = json.loads(path.read_text())
        meta.update(review_state="approved", notice="Machine-generated DGS translation; glosses approved by "
                    "Erika Geheim on 2026-11-30.", review={"action": "approved", "editor": "Erika Geheim",
                                                           "note": "Notiz-A", "time": "2026-11-30T10:00:00+00:00"})
        path.write_text(json.dumps(meta))
        status = httpx.get(f"{url}/v1/clips/{cid}", timeout=10)
        metadata = httpx.get(f"{url}/v1/clips/{cid}/metadata.json", timeout=10)
        embed = httpx.get(f"{url}/embed/{cid}", timeout=10)
    for r in (status, metadata, embed):
        assert r.status_code == 200 and "Erika" not in r.text and "Notiz-A" not in r.text, (r.url, r.text[:300])
    assert status.json()["notice"] == "Machine-generated DGS translation; glosses approved by an editor on 2026-11-30."
    assert metadata.json()["review"] == {"action": "approved", "time": "2026-11-30T10:00:00+00:00"}
    assert metadata.headers["cache-control"] == "no-cache"


def test_the_snippet_links_to_the_public_url(server: str, tmp_path: Path) -> None:
    cid = clip(server, "HALLO")
    # a draft's snippet, asked for as one (?draft=1): only approved clips have one otherwise (issue 24)
    r = httpx.get(f"{server}/embed/{cid}/snippet", params={"draft": "1"}, headers={"Host": "localhost"}, timeout=10)
    assert r.json()["embed_url"] == f"https://avatar.example.de/dgs/embed/{cid}"
    assert 'src="https://avatar.example.de/dgs/embed/' in r.json()["embed_html"]
    with fake_server(tmp_path) as url:  # no public_url: the (checked) request's own base URL
        cid = clip(url, "HALLO")
        snippet = httpx.get(f"{url}/embed/{cid}/snippet", params={"draft": "1"}, timeout=10).json()
        assert snippet["embed_url"] == f"{url}/embed/{cid}"


def test_a_decision_that_cannot_be_stored_changes_nothing(tmp_path: Path) -> None:
    with fake_server(tmp_path) as url:
        cid = clip(url, "DANKE")
        (tmp_path / "reviews.sqlite").mkdir()  # the review log cannot be opened: as a broken disk would do
        (tmp_path / "reviews.sqlite" / "keep").write_text("x")
        r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH, timeout=10)
        assert r.status_code in (503, 507) and "not recorded" in r.json()["detail"], r.text
        assert str(tmp_path) not in r.text and "Traceback" not in r.text
        status = httpx.get(f"{url}/v1/clips/{cid}", timeout=10).json()
        assert status["review_state"] == "draft"  # clip.json was put back: no decision anywhere
        meta = json.loads((tmp_path / "clips").glob(f"**/{cid}/clip.json").__next__().read_text())
        assert meta["review_state"] == "draft" and "review" not in meta
        assert httpx.get(f"{url}/embed/{cid}", timeout=10).status_code == 404
        shutil.rmtree(tmp_path / "reviews.sqlite")
        r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH, timeout=10)
        assert r.status_code == 200, r.text
