"""A lexicon that changes between submit and render never fails a job for good (real uvicorn,
real worker processes, the fake pipeline, whose lexicon version comes from a file in the data dir)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_pipeline import VERSION_FILE
from fake_server import AUTH, EDITOR_AUTH, TEST_API_KEY, TEST_EDITOR_KEY, fake_server, rendered
from real_server import REPO, serve_process

SMALL = {"width": 32, "height": 32, "fps": 10}


def status(url: str, cid: str) -> dict[str, Any]:
    info: dict[str, Any] = httpx.get(f"{url}/v1/clips/{cid}", timeout=10).json()
    return info


def wait_status(url: str, cid: str, wanted: tuple[str, ...], timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (info := status(url, cid))["status"] not in wanted:
        assert time.monotonic() < deadline, info
        time.sleep(0.05)
    return info


def test_a_job_keyed_before_the_lexicon_changed_is_stored_under_its_new_id(tmp_path: Path) -> None:
    # One worker, replaced after every clip: the worker for the second job starts after the
    # lexicon file changed, so it has a newer lexicon than the one the job's id was made with.
    # Before the fix the job failed for good ("pipeline versions differ") after a full render.
    (tmp_path / VERSION_FILE).write_text("lex-1")
    with fake_server(tmp_path, workers=1, worker_recycle_after=1, max_attempts=1) as url, \
            httpx.Client(base_url=url, headers=AUTH, timeout=30) as c:
        slow = c.post("/v1/clips", json={"glosses": "SLOW SLOW SLOW", "options": SMALL})  # ~2 s
        assert slow.status_code == 202, slow.text
        wait_status(url, slow.json()["id"], ("running",))
        body = {"glosses": "HALLO TERMIN", "options": SMALL}
        queued = c.post("/v1/clips", json=body)
        assert queued.status_code == 202 and queued.json()["status"] == "queued", queued.text
        old_id = queued.json()["id"]
        (tmp_path / VERSION_FILE).write_text("lex-2")  # a sign's form was edited meanwhile
        assert wait_status(url, slow.json()["id"], ("done", "failed"))["status"] == "done"

        moved = wait_status(url, old_id, ("done", "failed"))
        assert moved["status"] == "done", moved
        new_id = moved["id"]
        assert new_id != old_id and moved["urls"]["video"].endswith(f"/v1/clips/{new_id}/video")
        assert c.get(moved["urls"]["video"]).status_code == 200
        # the service's own pipeline was told to reload: the same request now finds the stored clip
        again = c.post("/v1/clips", json=body)
        assert again.status_code == 200 and again.json()["id"] == new_id, again.text
        metrics = c.get("/metrics").text
    assert "signavatar_render_failures_total 0" in metrics


@pytest.mark.render
@pytest.mark.slow
def test_reviewing_a_sign_keeps_the_real_services_jobs_rendering(tmp_path: Path) -> None:
    # Real `signavatar serve` with a copy of the lexicon. Before the fix a review changed the
    # lexicon version in the service's pipeline only, so the next job of every worker failed for
    # good ("pipeline versions differ") after rendering in full.
    lexicon = tmp_path / "glosses"
    shutil.copytree(REPO / "glosses", lexicon, ignore=shutil.ignore_patterns("*.npz", "*.md"))
    data = tmp_path / "data"
    data.mkdir()
    env = {"SIGNAVATAR_API_KEY": TEST_API_KEY, "SIGNAVATAR_EDITOR_KEY": TEST_EDITOR_KEY,
           "SIGNAVATAR_LEXICON_DIR": str(lexicon), "SIGNAVATAR_WORKERS": "1", "SIGNAVATAR_MAX_ATTEMPTS": "1"}
    tiny = {"width": 64, "height": 64, "fps": 5}
    with serve_process(data, env) as service:
        url = service.url
        first = rendered(url, {"glosses": "HALLO", "options": tiny}, timeout=120)
        assert first["status"] == "done", first  # the worker's pipeline is loaded
        assert json.loads((lexicon / "signs" / "ABHOLEN.json").read_text())["reviewed"] is False
        review = httpx.post(f"{url}/v1/lexicon/ABHOLEN/review", json={"reviewer": "Test"}, headers=EDITOR_AUTH,
                            timeout=60)
        assert review.status_code == 200 and review.json()["changed"] is True, review.text
        assert json.loads((lexicon / "signs" / "ABHOLEN.json").read_text())["reviewed"] is True
        for glosses in ("ABHOLEN", "HALLO ABHOLEN"):
            info = rendered(url, {"glosses": glosses, "options": tiny}, timeout=120)
            assert info["status"] == "done", info
        again = httpx.post(f"{url}/v1/clips", json={"glosses": "HALLO", "options": tiny}, headers=AUTH, timeout=60)
        assert again.status_code == 200 and again.json()["id"] == first["id"]  # same version: same clip id
