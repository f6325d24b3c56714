"""Crashes against real services on loopback: a worker SIGKILLed mid-render, the whole service
SIGKILLed and restarted, a poison job, a timed-out job; ffmpeg never outlives its job and a
video URL serves 404 or a complete, ffprobe-valid file, never a partial one."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from signavatar.frames_to_video.probe import probe_video

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fake_server import fake_server  # noqa: E402
from real_server import AUTH, real_service  # noqa: E402

# About 270 frames at 25 fps: a few seconds of rendering at 128x128, long enough to be killed midway.
LONG = {
    "text": "Ich brauche einen neuen Personalausweis. Wann habe ich einen Termin? "
            "Bitte bringen Sie Ihre Unterlagen mit.",
    "options": {"width": 128, "height": 128, "fps": 25},
}
SMALL = {"width": 64, "height": 48, "fps": 10}


# -- the process tree, read from /proc ---------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # [state, ppid, pgrp, ...]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _live_pids() -> Iterator[int]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] not in ("Z", "X"):
                yield int(entry.name)


def service_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for pid in _live_pids():
        cmd = _cmdline(pid)
        if "serve" in cmd and "--port" in cmd and cmd[cmd.index("--port") + 1] == port:
            return pid
    raise AssertionError(f"no service process listens on port {port}")


def worker_pids(service: int) -> list[int]:
    return [
        pid for pid in _live_pids()
        if (_stat(pid) or ["", ""])[1] == str(service) and any("worker_pool" in part for part in _cmdline(pid))
    ]


def ffmpeg_pids(data: Path) -> list[int]:
    """Live ffmpeg processes writing into `data` (their output path is under it)."""
    return [
        pid for pid in _live_pids()
        if (cmd := _cmdline(pid)) and Path(cmd[0]).name == "ffmpeg" and any(str(data) in part for part in cmd)
    ]


def wait_until(what: str, check: Any, timeout: float = 60, every: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


# -- the HTTP side -----------------------------------------------------------------------------

def post(url: str, body: dict[str, Any]) -> str:
    r = httpx.post(url + "/v1/clips", json=body, headers=AUTH, timeout=30)
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def status(url: str, cid: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{url}/v1/clips/{cid}", timeout=10).json()
    return body


def wait_finished(url: str, cid: str, timeout: float = 90) -> dict[str, Any]:
    return wait_until(  # type: ignore[no-any-return]
        f"clip {cid} to finish", lambda: (s := status(url, cid))["status"] in ("done", "failed") and s, timeout, 0.1
    )


class VideoWatcher:
    """Polls a clip's video URL on a thread; every answer must be 404 (or no service) or a
    complete video that ffprobe reads with all its frames."""

    def __init__(self, cid: str, folder: Path) -> None:
        self.cid, self.folder = cid, folder
        self.url = ""
        self.answers: dict[str, int] = {}
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            if self.url:
                try:
                    r = httpx.get(f"{self.url}/v1/clips/{self.cid}/video", timeout=10)
                    meta = httpx.get(f"{self.url}/v1/clips/{self.cid}/metadata.json", timeout=10)
                except httpx.TransportError:  # the service is down (killed, restarting, stopped)
                    self.answers["no service"] = self.answers.get("no service", 0) + 1
                    self._stop.wait(0.05)
                    continue
                self.answers[str(r.status_code)] = self.answers.get(str(r.status_code), 0) + 1
                if r.status_code == 200:
                    n += 1
                    path = self.folder / f"seen-{n}.mp4"
                    path.write_bytes(r.content)
                    try:
                        frames = meta.json()["frame_count"]
                        info = probe_video(path)
                        if info["nb_frames"] != frames:
                            self.problems.append(f"{path.name}: {info['nb_frames']} of {frames} frames")
                    except Exception as exc:
                        self.problems.append(f"{path.name}: {exc}")
                elif r.status_code != 404:
                    self.problems.append(f"HTTP {r.status_code}: {r.text[:200]}")
            self._stop.wait(0.05)

    @contextmanager
    def running(self) -> Iterator[VideoWatcher]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
        assert not self.problems, self.problems


def check_video(url: str, done: dict[str, Any], folder: Path) -> None:
    video = httpx.get(url + done["urls"]["video"], timeout=30)
    assert video.status_code == 200
    path = folder / "final.mp4"
    path.write_bytes(video.content)
    info = probe_video(path)
    assert info["codec"] == "h264" and info["nb_frames"] == done["frame_count"] > 100


# -- the tests ---------------------------------------------------------------------------------

def test_worker_sigkilled_mid_render_job_is_retried_and_ffmpeg_is_gone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with real_service(data) as url:
        service = service_pid(url)
        first_workers = wait_until("the worker process", lambda: worker_pids(service))
        cid = post(url, LONG)
        watcher = VideoWatcher(cid, tmp_path)
        watcher.url = url
        with watcher.running():
            ffmpeg = wait_until("ffmpeg to encode", lambda: ffmpeg_pids(data))
            worker = int((_stat(ffmpeg[0]) or ["", "0"])[1])  # ffmpeg's parent
            assert worker in first_workers
            assert status(url, cid)["status"] == "running"
            os.kill(worker, signal.SIGKILL)
            wait_until("the killed worker's ffmpeg to end", lambda: not set(ffmpeg) & set(ffmpeg_pids(data)), 10)
            done = wait_finished(url, cid)
        assert done["status"] == "done", done
        assert worker not in worker_pids(service)
        check_video(url, done, tmp_path)
    assert watcher.answers.get("404", 0) > 0
    assert "render failed" not in (data / "service.log").read_text(errors="replace")
    assert not list((data / "clips").glob("*/*/.*.part")), "temp files left in the clip folder"


def test_service_sigkilled_mid_render_resumes_after_restart_never_serving_a_partial_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with real_service(data) as url:
        cid = post(url, LONG)
        watcher = VideoWatcher(cid, tmp_path)
        watcher.url = url
        with watcher.running():
            wait_until("ffmpeg to encode", lambda: ffmpeg_pids(data))
            service = service_pid(url)
            workers = worker_pids(service)
            os.kill(service, signal.SIGKILL)
            # its orphaned workers kill their own process groups (themselves and their ffmpeg)
            wait_until("orphaned workers and ffmpeg to end", lambda: not ffmpeg_pids(data)
                       and not set(workers) & set(_live_pids()), 10)
            assert not (data / "clips" / cid[:2] / cid / "clip.json").exists()
            with real_service(data) as url2:
                watcher.url = url2
                done = wait_finished(url2, cid)
                assert done["status"] == "done", done
                check_video(url2, done, tmp_path)
                time.sleep(0.3)  # a few more looks at the finished clip
    assert watcher.answers.get("404", 0) > 0 and watcher.answers.get("200", 0) > 0, watcher.answers


def test_poison_job_fails_after_max_attempts_naming_them(tmp_path: Path) -> None:
    with fake_server(tmp_path, max_attempts=2, workers=1) as url:
        cid = post(url, {"glosses": "HALLO CRASH", "options": SMALL})
        failed = wait_finished(url, cid, timeout=30)
        assert failed["status"] == "failed", failed
        assert "after 2 attempts" in failed["detail"] and "SIGKILL" in failed["detail"], failed
        # the service goes on rendering
        ok = post(url, {"glosses": "HALLO", "options": SMALL})
        assert wait_finished(url, ok, timeout=30)["status"] == "done"


def test_timed_out_job_is_failed_and_leaves_no_ffmpeg(tmp_path: Path) -> None:
    with fake_server(tmp_path, job_timeout_s=1, max_attempts=1, workers=1) as url:
        cid = post(url, {"glosses": "SLOW " * 6, "options": SMALL})  # 36 frames, 0.1 s each
        wait_until("ffmpeg to encode", lambda: ffmpeg_pids(tmp_path), 20)
        failed = wait_finished(url, cid, timeout=30)
        assert failed["status"] == "failed" and "job_timeout_s (1 s)" in failed["detail"], failed
        wait_until("ffmpeg of the timed-out job to end", lambda: not ffmpeg_pids(tmp_path), 5)
        assert httpx.get(f"{url}/v1/clips/{cid}/video").status_code == 404


@pytest.fixture(autouse=True)
def _no_ffmpeg_left(tmp_path: Path) -> Iterator[None]:
    yield
    assert not ffmpeg_pids(tmp_path), "an ffmpeg process outlived its test"
