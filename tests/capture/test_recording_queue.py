"""capture/recording_queue.py: the jobs of uploaded recordings, each run in a fresh process, one at a
time, their state on disk. The runners here are small module-level functions standing in for the
capture (tests/api/test_sign_recording_api.py runs the real one): they report, crash, or hang."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from signavatar.capture.recording_queue import (
    DONE,
    FAILED,
    QUEUED,
    RESULT_FILE,
    RUNNING,
    STATE_FILE,
    STATE_VERSION,
    RecordingQueue,
    RecordingQueueFull,
    RecordingRequest,
)
from signavatar.settings import Settings


def reports(settings: Settings, folder: Path) -> None:
    """Writes what run_job writes, with the pid, so the test sees each job ran in a process of its own."""
    request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    (folder / RESULT_FILE).write_text(json.dumps({"ok": True, "pid": os.getpid(), "video": request["video"],
                                                  "started": time.time()}))
    time.sleep(0.3)
    (folder / "sign.json").write_text(json.dumps({"gloss": request["gloss"]}))


def crashes(settings: Settings, folder: Path) -> None:
    os._exit(3)


def hangs(settings: Settings, folder: Path) -> None:
    time.sleep(60)


def submit(queue: RecordingQueue, tmp_path: Path, name: str = "v") -> str:
    video = tmp_path / f"{name}.upload"
    video.write_bytes(b"video bytes")
    return queue.submit(video, ".mp4", RecordingRequest("", "TELEFON", "Anna", "CC0-1.0")).job_id


def test_jobs_run_one_at_a_time_each_in_its_own_process(tmp_path: Path) -> None:
    queue = RecordingQueue(tmp_path / "rec", Settings(data_dir=tmp_path), runner=reports)
    ids = [submit(queue, tmp_path, f"v{i}") for i in range(3)]
    assert not (tmp_path / "v0.upload").exists() and (tmp_path / "rec" / ids[0] / "video.mp4").read_bytes()
    queue.start()
    assert queue.wait_idle(60)
    queue.close()
    states = [queue.get(i) for i in ids]
    assert all(s is not None and s.status == DONE and s.attempts == 1 for s in states), states
    results = [s.result for s in states if s is not None and s.result is not None]
    assert len({r["pid"] for r in results}) == 3 and os.getpid() not in {r["pid"] for r in results}
    spans = sorted((s.started, s.finished) for s in states if s is not None and s.started and s.finished)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # never two at once
    assert queue.sign(ids[0]) == {"gloss": "TELEFON"}


def test_a_crash_and_a_hang_fail_their_jobs_and_the_next_job_still_runs(tmp_path: Path) -> None:
    crash = RecordingQueue(tmp_path / "rec", Settings(data_dir=tmp_path), runner=crashes)
    crashed = submit(crash, tmp_path)
    crash.start()
    assert crash.wait_idle(60)
    crash.close()
    state = crash.get(crashed)
    assert state is not None and state.status == FAILED and state.error is not None
    assert "stopped without a result (exit code 3)" in state.error
    hang = RecordingQueue(tmp_path / "rec2", Settings(data_dir=tmp_path), runner=hangs, timeout_s=2.0)
    hung, after = submit(hang, tmp_path, "a"), submit(hang, tmp_path, "b")
    started = time.monotonic()
    hang.start()
    assert hang.wait_idle(60)
    hang.close()
    assert time.monotonic() - started < 20  # two jobs of 2 s each, both killed
    for job in (hung, after):
        state = hang.get(job)
        assert state is not None and state.status == FAILED and "longer than 2 s" in (state.error or "")


def test_state_survives_a_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = RecordingQueue(tmp_path / "rec", settings, runner=reports)
    waiting, interrupted, twice = (submit(first, tmp_path, n) for n in "abc")
    # as a service killed during a capture leaves them: one running once, one running for the second time
    for job, attempts in ((interrupted, 1), (twice, 2)):
        path = tmp_path / "rec" / job / STATE_FILE
        path.write_text(json.dumps({**json.loads(path.read_text()), "status": RUNNING, "attempts": attempts}))
    second = RecordingQueue(tmp_path / "rec", settings, runner=reports)
    assert second.get(waiting) is not None and second.get(waiting).status == QUEUED  # type: ignore[union-attr]
    second.start()
    assert second.wait_idle(60)
    second.close()
    done = [second.get(j) for j in (waiting, interrupted, twice)]
    assert [s.status if s else None for s in done] == [DONE, DONE, FAILED]
    assert done[1] is not None and done[1].attempts == 2
    assert done[2] is not None and "stopped during this capture twice" in (done[2].error or "")


def test_a_full_queue_refuses_before_the_upload_is_read(tmp_path: Path) -> None:
    queue = RecordingQueue(tmp_path / "rec", Settings(data_dir=tmp_path), runner=reports, max_waiting=2)
    submit(queue, tmp_path, "a")
    submit(queue, tmp_path, "b")
    with pytest.raises(RecordingQueueFull, match="2 recordings are waiting"):
        queue.check_room()
    assert queue.get("../../etc") is None and queue.get("0" * 16) is None


def test_state_json_is_what_its_spec_says(tmp_path: Path) -> None:
    spec = (Path(__file__).resolve().parents[2] / "docs" / "formats" / "recording-job.md").read_text(encoding="utf-8")
    version = re.search(r"^Version: (\d+)$", spec, re.MULTILINE)
    assert version is not None and int(version.group(1)) == STATE_VERSION
    documented = set(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| always \|", spec, re.MULTILINE))
    queue = RecordingQueue(tmp_path / "rec", Settings(data_dir=tmp_path), runner=reports)
    job = submit(queue, tmp_path)
    written = json.loads((tmp_path / "rec" / job / STATE_FILE).read_text(encoding="utf-8"))
    assert set(written) == documented and written["state_version"] == STATE_VERSION
    example = json.loads(re.findall(r"```json\n(.*?)\n```", spec, re.DOTALL)[-1])
    assert set(example) == documented
