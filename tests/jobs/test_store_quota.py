"""The clip store's quota (store_max_bytes) against a real server (uvicorn, real worker
processes, the fake pipeline): drafts are evicted oldest first, approved clips never; a store full
of approved clips refuses new renders with 507."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx

from fake_server import AUTH, EDITOR_AUTH, fake_server, rendered
from signavatar.jobs.store_quota import walk_store

SMALL = {"width": 32, "height": 32, "fps": 10}


def settled(url: str, timeout: float = 20) -> None:
    """Wait until no job is queued or running. A clip's status reads done as soon as its clip.json is
    stored; its job is marked done only after the store's quota counted it (jobs/queue.py)."""
    deadline = time.monotonic() + timeout
    while True:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        active = re.findall(r'^signavatar_queue_jobs\{status="(?:queued|running)"\} (\d+)', text, re.M)
        if active and not any(int(n) for n in active):
            return
        assert time.monotonic() < deadline, text
        time.sleep(0.05)


def rendered_and_counted(url: str, body: dict[str, Any]) -> dict[str, Any]:
    info = rendered(url, body)
    settled(url)
    return info


def body(n: int) -> dict[str, Any]:
    return {"glosses": f"ZEICHEN{n} HALLO", "options": SMALL}  # same length: clips of (nearly) one size


def test_drafts_are_evicted_oldest_first_and_a_store_full_of_approved_clips_refuses_renders(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.mkdir()
    with fake_server(probe, workers=1, store_max_bytes=0) as url:  # no quota: one clip's size
        assert rendered(url, body(0))["status"] == "done"
    one = walk_store(probe / "clips")[0]
    assert one > 0

    data = tmp_path / "data"
    data.mkdir()
    quota = int(one * 2.5)
    with fake_server(data, workers=1, store_max_bytes=quota) as url, httpx.Client(base_url=url, timeout=30) as c:
        ids = []
        for n in (1, 2, 3):
            info = rendered_and_counted(url, body(n))
            assert info["status"] == "done", info
            ids.append(info["id"])
        assert walk_store(data / "clips")[0] <= quota
        assert c.get(f"/v1/clips/{ids[0]}").status_code == 404  # the oldest draft went (before the fix: kept)
        for cid in ids[1:]:
            assert c.get(f"/v1/clips/{cid}").json()["status"] == "done"
            approve = c.post(f"/v1/clips/{cid}/approve", json={"editor": "Cem"}, headers=EDITOR_AUTH)
            assert approve.status_code == 200, approve.text

        fourth = rendered_and_counted(url, body(4))  # the new draft is kept: approved clips alone are under the quota
        assert fourth["status"] == "done"
        approved = c.post(f"/v1/clips/{fourth['id']}/approve", json={"editor": "Cem"}, headers=EDITOR_AUTH)
        assert approved.status_code == 200
        assert rendered_and_counted(url, body(5))["status"] == "done"  # stored; now the approved clips alone are over
        full = c.post("/v1/clips", json=body(6), headers=AUTH)
        assert full.status_code == 507, full.text
        assert "store_max_bytes" in full.json()["detail"]
        for cid in [*ids[1:], fourth["id"]]:  # approved clips are never evicted
            assert c.get(f"/v1/clips/{cid}").json()["status"] == "done"
