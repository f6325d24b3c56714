"""A lexicon that changes between submit and render never fails a job for good (real uvicorn,
real worker processes, the fake pipeline, whose lexicon version comes from a file in the data dir)."""

from __future__ import annotations

import hashlib
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


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.render
@pytest.mark.slow
def test_reviewing_a_sign_keeps_approved_clips_and_a_revision_keeps_jobs_rendering(tmp_path: Path) -> None:
    # Real `signavatar serve` with a copy of the lexicon. A review is recorded apart from the sign's
    # form: the version, the clip id and the clip's approval stay. A revision changes the version
    # (the city's overlay under the data dir): the next job of every worker must still render (before
    # an earlier fix such a change failed them for good, "pipeline versions differ"), and the clip
    # approved before stays approved under its id.
    lexicon = tmp_path / "glosses"
    shutil.copytree(REPO / "glosses", lexicon, ignore=shutil.ignore_patterns("*.npz", "*.md"))
    shipped = tree_digest(lexicon)
    data = tmp_path / "data"
    data.mkdir()
    env = {"SIGNAVATAR_API_KEY": TEST_API_KEY, "SIGNAVATAR_EDITOR_KEY": TEST_EDITOR_KEY,
           "SIGNAVATAR_LEXICON_DIR": str(lexicon), "SIGNAVATAR_WORKERS": "1", "SIGNAVATAR_MAX_ATTEMPTS": "1"}
    tiny = {"width": 64, "height": 64, "fps": 5}
    body = {"glosses": "HALLO ABHOLEN", "options": tiny}
    with serve_process(data, env) as service, httpx.Client(base_url=service.url, timeout=60) as c:
        url = service.url
        first = rendered(url, body, timeout=120)
        assert first["status"] == "done", first
        cid = first["id"]
        approve = c.post(f"/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH)
        assert approve.status_code == 200, approve.text
        version = c.get("/v1/lexicon").json()["version"]

        for gloss, review in (("ABHOLEN", {"reviewer": "Dana"}),
                              ("HALLO", {"reviewer": "Dana", "action": "rejected", "reason": "Handform"})):
            r = c.post(f"/v1/lexicon/{gloss}/review", json=review, headers=EDITOR_AUTH)
            assert r.status_code == 200 and r.json()["lexicon_version"] == version, r.text
        assert c.get("/v1/lexicon").json()["version"] == version
        again = c.post("/v1/clips", json=body, headers=AUTH)
        assert again.status_code == 200 and again.json()["id"] == cid  # same version: same clip
        assert again.json()["review_state"] == "approved"
        used = c.get("/v1/lexicon/ABHOLEN").json()
        assert used["reviewed"] is True and [u["clip_id"] for u in used["used_in"]] == [cid]
        assert used["used_in"][0]["glosses"] == ["HALLO", "ABHOLEN"]
        assert c.get("/v1/lexicon/TERMIN").json()["used_in"] == []

        sign = json.loads((lexicon / "signs" / "ABHOLEN.json").read_text(encoding="utf-8"))
        saved = c.post("/v1/lexicon/ABHOLEN/revisions", headers=EDITOR_AUTH, json={
            "editor": "Anna", "reason": "langsamer", "sign": {**sign, "duration": 0.9}})
        assert saved.status_code == 201 and saved.json()["lexicon_version"] != version, saved.text
        assert c.get("/v1/lexicon/ABHOLEN").json()["reviewed"] is False  # a new form starts unreviewed
        for glosses in ("ABHOLEN", "HALLO ABHOLEN"):
            info = rendered(url, {"glosses": glosses, "options": tiny}, timeout=120)
            assert info["status"] == "done", info
        assert info["id"] != cid and info["review_state"] == "draft"
        old = c.get(f"/v1/clips/{cid}/reviews", headers=EDITOR_AUTH).json()
        assert old["review_state"] == "approved"
        assert c.get(f"/v1/clips/{cid}").json()["review_state"] == "approved"
        assert [u["clip_id"] for u in c.get("/v1/lexicon/ABHOLEN").json()["used_in"]] == [cid]
    assert tree_digest(lexicon) == shipped  # nothing wrote into the shipped folder
