"""The API and editor keys on write endpoints, `signavatar serve`'s refusal to listen on a public address
without a strong key, and CORS preflights from allowed and other origins (in-process; the same rules over
real sockets: test_access_control.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.auth import is_loopback, key_problem, serve_refusal
from fake_pipeline import FakePipeline
from fake_server import AUTH, TEST_API_KEY, TEST_EDITOR_KEY, healthy
from real_server import free_port
from signavatar.settings import Settings

REPO = Path(__file__).resolve().parents[2]
WRITES = [("/v1/clips", {"glosses": "TERMIN"}, "API"),
          ("/v1/memory", {"text": "Hallo", "glosses": "HALLO", "editor": "anna"}, "editor")]


def ask(settings: Settings, method: str, path: str, lifespan: bool = False, **kw: object) -> httpx.Response:
    """One request to create_app(settings) in this process (without `lifespan` the job queue is not
    started: enough for requests that never reach it)."""

    async def go() -> httpx.Response:
        app = create_app(settings, FakePipeline)
        async with AsyncExitStack() as stack:
            if lifespan:
                await stack.enter_async_context(app.router.lifespan_context(app))
            c = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"))
            return await c.request(method, path, **kw)  # type: ignore[arg-type]
        raise AssertionError("unreachable")

    return asyncio.run(go())


@pytest.mark.parametrize("path,body,role", WRITES, ids=["clips", "memory"])
@pytest.mark.parametrize("headers,why", [
    ({}, "needs the {role} key"),
    ({"Authorization": "Bearer wrong-key-wrong-key"}, "wrong {role} key"),
    ({"X-API-Key": TEST_API_KEY[:-1]}, "wrong {role} key"),
    ({"Authorization": f"Basic {TEST_API_KEY}"}, "needs the {role} key"),
    ({"Authorization": "Bearer"}, "needs the {role} key"),
    ({"Authorization": "Bearer ünïcödé-kéy-1234".encode("latin-1")}, "wrong {role} key"),
], ids=["no_header", "wrong_bearer", "wrong_x_api_key", "basic_scheme", "bearer_without_key", "non_ascii_key"])
def test_write_without_the_right_key_is_401(tmp_path: Path, path: str, body: dict[str, str], role: str,
                                            headers: dict[str, str | bytes], why: str) -> None:
    settings = Settings(data_dir=tmp_path, api_key=TEST_API_KEY, editor_key=TEST_EDITOR_KEY)
    r = ask(settings, "POST", path, json=body, headers=headers)
    assert r.status_code == 401, r.text
    assert why.format(role=role) in r.json()["detail"] and "Authorization: Bearer <key>" in r.json()["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert TEST_API_KEY not in r.text and TEST_EDITOR_KEY not in r.text


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_x_api_key_header_and_any_case_of_bearer_are_accepted(tmp_path: Path, scheme: str) -> None:
    body = {"text": "Hallo", "glosses": "HALLO", "editor": "anna"}
    settings = Settings(data_dir=tmp_path, api_key=TEST_API_KEY, editor_key=TEST_EDITOR_KEY)
    r = ask(settings, "POST", "/v1/memory", json=body, headers={"X-API-Key": TEST_EDITOR_KEY})
    assert r.status_code == 201, r.text
    r = ask(settings, "POST", "/v1/memory", json=body, headers={"authorization": f"{scheme} {TEST_EDITOR_KEY}"})
    assert r.status_code == 201, r.text


def test_reads_need_no_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_key=TEST_API_KEY)
    for path in ("/healthz", "/metrics", "/openapi.json", "/docs", f"/v1/clips/{'0' * 32}"):
        assert ask(settings, "GET", path, lifespan=path == "/metrics").status_code in (200, 404), path


def test_without_a_key_writes_are_open_on_loopback(tmp_path: Path) -> None:
    body = {"text": "Hallo", "glosses": "HALLO", "editor": "anna"}
    assert ask(Settings(data_dir=tmp_path), "POST", "/v1/memory", json=body).status_code == 201


def test_openapi_marks_every_write_endpoint_with_the_key(tmp_path: Path) -> None:
    spec = ask(Settings(data_dir=tmp_path), "GET", "/openapi.json").json()
    writes = [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()
              if m in ("post", "put", "patch", "delete")]
    assert {p for p, _, _ in writes} >= {"/v1/clips", "/v1/memory"}
    for path, method, op in writes:
        assert {"HTTPBearer": []} in op.get("security", []), (method, path)
        assert "401" in op["responses"], (method, path)
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
                                           ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                           ("192.168.1.5", False), ("example.org", False)])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("key", ["", "changeme", "secret", "short-key-15chr", "aaaaaaaaaaaaaaaaaaaa",
                                 "1234567890123456", "CHANGEME"])
def test_weak_keys_are_refused_off_loopback(key: str) -> None:
    assert key_problem(key) is not None
    assert serve_refusal("0.0.0.0", Settings(api_key=key)) is not None
    assert serve_refusal("127.0.0.1", Settings(api_key=key)) is None


def test_the_editor_key_must_be_strong_off_loopback_and_differ_from_the_api_key() -> None:
    strong = Settings(api_key=TEST_API_KEY, editor_key=TEST_EDITOR_KEY)
    assert serve_refusal("0.0.0.0", strong) is None
    assert serve_refusal("0.0.0.0", Settings(api_key=TEST_API_KEY)) is None  # no editor role at all
    weak = serve_refusal("0.0.0.0", Settings(api_key=TEST_API_KEY, editor_key="changeme"))
    assert weak is not None and "editor key" in weak and "SIGNAVATAR_EDITOR_KEY" in weak
    assert serve_refusal("127.0.0.1", Settings(api_key=TEST_API_KEY, editor_key="changeme")) is None
    for host in ("127.0.0.1", "0.0.0.0"):
        same = serve_refusal(host, Settings(api_key=TEST_API_KEY, editor_key=TEST_API_KEY))
        assert same is not None and "equals" in same, host


def _serve(host: str, port: int, key: str | None, data: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "SIGNAVATAR_API_KEY"}
    env["SIGNAVATAR_DATA_DIR"] = str(data)
    if key is not None:
        env["SIGNAVATAR_API_KEY"] = key
    return subprocess.Popen([sys.executable, "-m", "signavatar.cli", "serve", "--host", host, "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("key", [None, "changeme", "short"], ids=["no_key", "default_key", "short_key"])
def test_serve_on_a_public_address_without_a_strong_key_refuses_to_start(tmp_path: Path, key: str | None) -> None:
    proc = _serve("0.0.0.0", free_port(), key, tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "SIGNAVATAR_API_KEY" in lines[0] and "0.0.0.0" in lines[0], err
    assert out == ""


def test_serve_on_a_public_address_with_a_strong_key_starts(tmp_path: Path) -> None:
    port = free_port()
    proc = _serve("0.0.0.0", port, TEST_API_KEY, tmp_path)
    try:
        if not healthy(f"http://127.0.0.1:{port}", lambda: proc.poll() is None, 60):
            assert proc.poll() is None, proc.communicate()[1]
            raise AssertionError("service never answered")
        assert httpx.post(f"http://127.0.0.1:{port}/v1/clips", json={"glosses": "HALLO"}).status_code == 401
        # no editor key configured: the editor endpoints are off, and say how to turn them on
        r = httpx.post(f"http://127.0.0.1:{port}/v1/memory", json={"text": "Hallo", "glosses": "HALLO", "editor": "a"},
                       headers=AUTH)
        assert r.status_code == 403 and "SIGNAVATAR_EDITOR_KEY" in r.json()["detail"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert TEST_API_KEY not in err


@pytest.mark.parametrize("origin,method,allowed", [
    ("https://city.example", "GET", True), ("https://city.example", "POST", False),  # reads only
    ("https://cms.example", "POST", True),
    ("https://evil.example", "GET", False), ("https://evil.example", "POST", False),
])
def test_cors_preflight(tmp_path: Path, origin: str, method: str, allowed: bool) -> None:
    settings = Settings(data_dir=tmp_path, cors_origins="https://city.example, https://other.example",
                        write_origins="https://cms.example")
    r = ask(settings, "OPTIONS", "/v1/clips", headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type"})
    if allowed:
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == origin
        assert "authorization" in r.headers["access-control-allow-headers"].lower()
        assert method in r.headers["access-control-allow-methods"]
    else:
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        setting = "SIGNAVATAR_WRITE_ORIGINS" if method == "POST" else "SIGNAVATAR_CORS_ORIGINS"
        assert setting in r.json()["detail"]
    simple = ask(settings, "GET", "/healthz", headers={"Origin": origin})
    assert (simple.headers.get("access-control-allow-origin") == origin) is (origin != "https://evil.example")


def test_cors_default_allows_every_origin(tmp_path: Path) -> None:
    r = ask(Settings(data_dir=tmp_path), "GET", "/healthz", headers={"Origin": "https://any.example"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_auth_header_constant_is_the_test_key() -> None:
    assert AUTH == {"Authorization": f"Bearer {TEST_API_KEY}"} and key_problem(TEST_API_KEY) is None
