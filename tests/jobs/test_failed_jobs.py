"""Failed jobs against a real server (uvicorn, real worker processes, the fake pipeline): their
partial files are removed, posting them again soon answers the failure without a new render, and
their public detail carries no paths or internals (those go to the log)."""

from __future__ import annotations

from pathlib import Path

import httpx

from fake_server import AUTH, fake_server, rendered
from signavatar.jobs.job_table import JobTable
from signavatar.jobs.worker_pool import NO_SPACE

SMALL = {"width": 32, "height": 32, "fps": 10}


def partial_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "clips").glob("*/*/.*.part"))


def test_a_crashing_job_leaves_no_partial_files_and_stays_failed_when_posted_again(tmp_path: Path) -> None:
    body = {"glosses": "SLOW SLOW SLOW CRASH", "options": SMALL}  # SIGKILLs its worker mid-encode (after ~2 s)
    with fake_server(tmp_path, max_attempts=1, workers=1) as url:
        failed = rendered(url, body)
        assert failed["status"] == "failed" and "SIGKILL" in failed["detail"], failed
        assert partial_files(tmp_path) == []  # before the fix: the killed ffmpeg's .video.mp4.<hex>.part stayed
        again = httpx.post(f"{url}/v1/clips", json=body, headers=AUTH, timeout=30)
        assert again.status_code == 202, again.text
        assert again.json()["status"] == "failed" and again.json()["detail"] == failed["detail"]
        assert httpx.get(f"{url}/v1/clips/{failed['id']}", timeout=10).json()["status"] == "failed"
        assert rendered(url, {"glosses": "HALLO", "options": SMALL})["status"] == "done"  # the pool still works
    log = (tmp_path / "service.log").read_text()
    assert log.count(f"job {failed['id']}: attempt") == 1  # one render, not one per POST


def test_render_errors_have_a_public_detail_without_internals(tmp_path: Path) -> None:
    with fake_server(tmp_path, max_attempts=1, workers=1) as url:
        error = rendered(url, {"glosses": "HALLO FAIL", "options": SMALL})
        full = rendered(url, {"glosses": "HALLO FULL", "options": SMALL})  # ffmpeg's ENOSPC, naming a path
        again_full = httpx.post(f"{url}/v1/clips", json={"glosses": "HALLO FULL", "options": SMALL}, headers=AUTH,
                                timeout=30).json()
    assert error["status"] == "failed"
    assert error["detail"] == f"the render failed on the server; the service log has the details (clip {error['id']})"
    assert full["status"] == "failed" and full["detail"] == NO_SPACE
    # a full disk is the server's trouble, not the request's: posting it again renders it again
    assert again_full["status"] == "queued", again_full
    for info in (error, full):
        assert str(tmp_path) not in info["detail"] and "Error" not in info["detail"]
    assert partial_files(tmp_path) == []
    log = (tmp_path / "service.log").read_text()
    assert "renderer failed midway" in log and "No space left on device" in log  # the full errors are logged


def test_a_failed_job_is_queued_again_only_after_failed_retry_after_s(tmp_path: Path) -> None:
    table = JobTable(tmp_path / "jobs.sqlite")
    table.create()
    cid = "a" * 32
    table.submit(cid, "{}", 10)
    claimed = table.claim("owner", 30)
    assert claimed is not None
    table.finish(cid, "owner", "failed", "crashed", 1.0)
    held, new = table.submit(cid, "{}", 10, failed_retry_after_s=3600) or (None, None)
    assert held is not None and (held.status, held.attempts, new) == ("failed", 1, False)
    again, new = table.submit(cid, "{}", 10, failed_retry_after_s=0) or (None, None)
    assert again is not None and (again.status, again.attempts, new) == ("queued", 0, True)
