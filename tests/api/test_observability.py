"""/metrics (Prometheus text format) and the JSON service log of a real uvicorn process (fake pipeline):
route templates in labels, no ids or user text there, and no API key, Authorization header or body
in the log."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fake_server import TEST_API_KEY, fake_server, rendered

SAMPLE = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+(Inf)?$')
SECRET_TEXT = "Geheimnis Quokka"  # user text that must stay out of logs and metrics


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("observed")
    with fake_server(data) as url:
        yield url, data / "service.log"


@pytest.fixture(scope="module")
def traffic(service: tuple[str, Path]) -> str:
    """Some requests: a render, status polls, a file, a 404, a 401, a gloss with user text."""
    url, _ = service
    body = {"text": SECRET_TEXT, "options": {"width": 64, "height": 48, "fps": 10}}
    info = rendered(url, body)
    assert info["status"] == "done", info
    assert httpx.get(url + info["urls"]["video"]).status_code == 200
    assert httpx.get(f"{url}/v1/clips/{'0' * 32}").status_code == 404
    wrong_key = {"Authorization": "Bearer nope-nope-nope-nope"}
    assert httpx.post(f"{url}/v1/clips", json=body, headers=wrong_key).status_code == 401
    assert httpx.get(f"{url}/v1/gloss", params={"text": SECRET_TEXT}).status_code == 200
    return str(info["id"])


def test_metrics_are_prometheus_text(service: tuple[str, Path], traffic: str) -> None:
    r = httpx.get(service[0] + "/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = [line for line in r.text.splitlines() if line and not line.startswith("#")]
    bad = [line for line in lines if not SAMPLE.match(line)]
    assert not bad, bad
    text = r.text
    for name in ("signavatar_queue_jobs{status=\"queued\"}", "signavatar_renders_total",
                 "signavatar_render_failures_total", "signavatar_job_retries_total", "signavatar_worker_restarts_total",
                 "signavatar_render_seconds_bucket{le=\"+Inf\"}", "signavatar_render_seconds_count",
                 "signavatar_http_request_duration_seconds_bucket"):
        assert name in text, name
    assert 'route="/v1/clips/{cid}",status="200"' in text and 'route="/v1/clips/{cid}",status="404"' in text
    assert 'method="POST",route="/v1/clips",status="401"' in text
    assert 'route="/v1/clips/{cid}/video"' in text
    assert traffic not in text and "0" * 32 not in text and "Quokka" not in text
    done = re.search(r'^signavatar_queue_jobs\{status="done"\} (\d+)$', text, re.M)
    assert done is not None and int(done.group(1)) >= 1


def test_log_has_one_json_line_per_request_and_no_secrets(service: tuple[str, Path], traffic: str) -> None:
    url, log_path = service
    httpx.get(f"{url}/v1/clips/{traffic}", headers={"Authorization": f"Bearer {TEST_API_KEY}"})
    time.sleep(0.2)
    text = log_path.read_text()
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    requests = [e for e in entries if e.get("event") == "request"]
    assert requests and all({"method", "route", "status", "duration_ms"} <= set(e) for e in requests)
    polls = [e for e in requests if e["route"] == "/v1/clips/{cid}" and e["status"] == 200]
    assert polls and all(e["clip_id"] == traffic for e in polls)
    assert any(e.get("event") == "job_submitted" and e.get("clip_id") == traffic for e in entries)
    assert TEST_API_KEY not in text and "Bearer" not in text and "Quokka" not in text
