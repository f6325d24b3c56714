"""The jobs of uploaded recordings: one folder each under data_dir/recordings/<id>/ (the video,
request.json, state.json, and what recording_job.run_job leaves), run one at a time in a process
of their own (MediaPipe and the renderer load there, a crash or a hang takes only that process:
on this 2-core machine two captures at once would only both be slower).

State survives a restart: state.json is written atomically at every change; a job left "queued"
runs when the service starts again, one left "running" (the service stopped during its capture)
is queued again once, then failed with an error that says so. Finished jobs are removed after
RETENTION_S (the video shows a person: it is kept only as long as a reviewer needs it).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError, SignavatarError
from signavatar.frames_to_video.atomic import write_text_atomic
from signavatar.settings import Settings

log = logging.getLogger(__name__)

RECORDINGS_DIR = "recordings"  # under Settings.data_dir
STATE_VERSION = 1  # of state.json: docs/formats/recording-job.md
UPLOADS_DIR = ".uploads"  # under RECORDINGS_DIR: uploads being received (the HTTP app's), cleared at start
STATE_FILE = "state.json"
REQUEST_FILE = "request.json"
RESULT_FILE = "result.json"  # what the job's process reports (recording_job.run_job)
SIGN_FILE = "sign.json"
PREVIEW_FILE = "preview.mp4"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MAX_WAITING = 4  # jobs queued or running before an upload is refused (each takes ~10-60 s)
CAPTURE_TIMEOUT_S = 300.0  # one job's process, then it is killed
MAX_ATTEMPTS = 2  # processes started for one job (a restart during the capture starts another)
RETENTION_S = 7 * 24 * 3600.0
JOB_ID = re.compile(r"[0-9a-f]{16}")

Runner = Callable[[Settings, Path], None]


@dataclass(frozen=True)
class RecordingRequest:
    """What to capture: the video file (in the job folder), the gloss, and what the entry keeps of
    the sign it replaces (its lemmas and mouthing, so the new revision serves the same words)."""

    video: str
    gloss: str
    signer: str
    licence: str
    lemmas: tuple[str, ...] = ()
    mouthing: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"video": self.video, "gloss": self.gloss, "signer": self.signer, "licence": self.licence,
                "lemmas": list(self.lemmas), "mouthing": self.mouthing}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordingRequest:
        return cls(str(data["video"]), str(data["gloss"]), str(data["signer"]), str(data["licence"]),
                   tuple(str(x) for x in data.get("lemmas") or ()), data.get("mouthing"))


def run_in_process(settings: Settings, folder: Path) -> None:
    """The default runner: recording_job.run_job, imported in the job's process only (MediaPipe, SciPy
    and the renderer stay out of the service's process)."""
    from signavatar.capture.recording_job import run_job

    run_job(settings, folder)


def start_runner(runner: Runner, settings: Settings, folder: Path) -> subprocess.Popen[bytes]:
    """`runner(settings, folder)` in a fresh interpreter (not fork: the service holds threads; not
    multiprocessing's spawn: it re-runs the caller's __main__), in a session of its own so that
    kill_group stops its ffmpeg too. The settings go over stdin (they hold the keys: never on disk)."""
    code = ("import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
            "runner, settings, folder = pickle.load(sys.stdin.buffer); runner(settings, folder)")
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, start_new_session=True)
    assert process.stdin is not None
    with process.stdin:
        process.stdin.write(pickle.dumps(list(sys.path)) + pickle.dumps((runner, settings, Path(folder))))
    return process


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process and everything it started (its session's group); wait for it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # gone already
    process.wait()


class RecordingQueueFull(SignavatarError):
    """Too many recordings are waiting; try again when one is done."""


@dataclass(frozen=True)
class RecordingState:
    """One job as state.json keeps it (docs/formats/recording-job.md). Times are Unix seconds;
    result: what run_job reported (capture_s, uncertain, ...) when done; saved: the revision it was saved as."""

    job_id: str
    gloss: str
    status: str
    created: float
    signer: str
    licence: str
    video: str
    attempts: int = 0
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    result: dict[str, Any] | None = None
    saved: dict[str, Any] | None = None
    state_version: int = STATE_VERSION


class RecordingQueue:
    """Submit, look up and run the recording jobs under `folder`. `runner(settings, job_folder)` does
    the work in a fresh process (a module-level function, pickled by name: start_runner)."""

    def __init__(self, folder: Path, settings: Settings, runner: Runner | None = None,
                 timeout_s: float = CAPTURE_TIMEOUT_S, max_waiting: int = MAX_WAITING) -> None:
        self.folder, self.settings = Path(folder), settings
        self.runner: Runner = runner or run_in_process
        self.timeout_s, self.max_waiting = timeout_s, max_waiting
        self._cond = threading.Condition()
        self._states: dict[str, RecordingState] = {}
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._closing = False

    # -- the jobs ---------------------------------------------------------------------------
    def check_room(self) -> None:
        """RecordingQueueFull when no job may be added now (asked before an upload is read)."""
        with self._cond:
            self._load()
            waiting = sum(1 for s in self._states.values() if s.status in (QUEUED, RUNNING))
        if waiting >= self.max_waiting:
            raise RecordingQueueFull(f"{waiting} recordings are waiting for their capture; "
                                     "send this one again when one of them is done")

    def submit(self, video: Path, suffix: str, request: RecordingRequest) -> RecordingState:
        """Queue a job for `video` (moved into the job's folder as video<suffix>)."""
        self.check_room()
        job_id = secrets.token_hex(8)
        folder = self.folder / job_id
        folder.mkdir(parents=True)
        name = "video" + suffix
        shutil.move(str(video), folder / name)
        request = replace(request, video=name)
        write_text_atomic(folder / REQUEST_FILE, json.dumps(request.to_dict(), ensure_ascii=False))
        state = RecordingState(job_id, request.gloss, QUEUED, time.time(), request.signer, request.licence, name)
        with self._cond:
            self._put(state)
            self._cond.notify_all()
        return state

    def get(self, job_id: str) -> RecordingState | None:
        if not JOB_ID.fullmatch(job_id):
            return None
        with self._cond:
            self._load()
            return self._states.get(job_id)

    def job_folder(self, job_id: str) -> Path:
        if not JOB_ID.fullmatch(job_id):
            raise InvalidInputError(f"{job_id!r} is not a recording job id")
        return self.folder / job_id

    def sign(self, job_id: str) -> dict[str, Any]:
        """The captured entry of a done job."""
        data: dict[str, Any] = json.loads((self.job_folder(job_id) / SIGN_FILE).read_text(encoding="utf-8"))
        return data

    def preview(self, job_id: str) -> Path:
        return self.job_folder(job_id) / PREVIEW_FILE

    def video(self, job_id: str) -> Path:
        state = self.get(job_id)
        if state is None:
            raise InvalidInputError(f"no recording job {job_id}")
        return self.job_folder(job_id) / state.video

    def mark_saved(self, job_id: str, saved: dict[str, Any]) -> RecordingState:
        with self._cond:
            state = replace(self._states[job_id], saved=saved)
            self._put(state)
            return state

    # -- the runner -------------------------------------------------------------------------
    def start(self) -> None:
        """Load the jobs a previous service left (queued again or failed, see the module), remove
        old ones and unfinished uploads, and start the thread that runs them (before the app serves)."""
        shutil.rmtree(self.folder / UPLOADS_DIR, ignore_errors=True)  # cut off by the stop: never to be finished
        with self._cond:
            self._load()
            for state in list(self._states.values()):
                if state.status == RUNNING:
                    if state.attempts >= MAX_ATTEMPTS:
                        self._finish(state, FAILED, "the service stopped during this capture twice; "
                                                    "upload the video again")
                    else:
                        self._put(replace(state, status=QUEUED))
                elif state.status in (DONE, FAILED) and (state.finished or 0.0) < time.time() - RETENTION_S:
                    shutil.rmtree(self.folder / state.job_id, ignore_errors=True)
                    del self._states[state.job_id]
            self._closing = False
        self._thread = threading.Thread(target=self._run, name="recordings", daemon=True)
        self._thread.start()

    def close(self, wait: bool = True) -> None:
        """Stop the thread; a capture under way is stopped too (its job runs again at the next start)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            process = self._process
        if process is not None:
            kill_group(process)
        if wait and self._thread is not None:
            self._thread.join(timeout=10.0)

    def wait_idle(self, timeout_s: float) -> bool:
        """True once no job is queued or running (for tests and shut-down), False after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while any(s.status in (QUEUED, RUNNING) for s in self._states.values()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.5))
        return True

    def _run(self) -> None:
        while True:
            with self._cond:
                state = self._next()
                while state is None and not self._closing:
                    self._cond.wait(5.0)
                    state = self._next()
                if self._closing or state is None:
                    return
                state = replace(state, status=RUNNING, attempts=state.attempts + 1, started=time.time(), error=None)
                self._put(state)
            try:
                status, error, result = self._work(state)
            except Exception as exc:  # noqa: BLE001 - the thread must outlive any one job
                log.exception("recording job %s", state.job_id)
                status, error, result = FAILED, f"the capture could not be started: {exc}", None
            with self._cond:
                if self._stopped():
                    return  # stopped by close(): stays "running", queued again at the next start
                self._finish(state, status, error, result)

    def _stopped(self) -> bool:
        return self._closing  # a method: read anew after the job (mypy keeps the check before it)

    def _work(self, state: RecordingState) -> tuple[str, str | None, dict[str, Any] | None]:
        folder = self.folder / state.job_id
        (folder / RESULT_FILE).unlink(missing_ok=True)
        process = start_runner(self.runner, self.settings, folder)
        with self._cond:
            self._process = process
        try:
            process.wait(self.timeout_s)
        except subprocess.TimeoutExpired:
            kill_group(process)
            return FAILED, f"the capture took longer than {self.timeout_s:g} s; try a shorter recording", None
        finally:
            with self._cond:
                self._process = None
        try:
            result: dict[str, Any] = json.loads((folder / RESULT_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return FAILED, f"the capture process stopped without a result (exit code {process.returncode})", None
        if "error" in result:
            return FAILED, str(result["error"]), None
        return DONE, None, result

    # -- state files ------------------------------------------------------------------------
    def _next(self) -> RecordingState | None:
        queued = [s for s in self._states.values() if s.status == QUEUED]
        return min(queued, key=lambda s: s.created) if queued else None

    def _finish(self, state: RecordingState, status: str, error: str | None,
                result: dict[str, Any] | None = None) -> None:
        self._put(replace(state, status=status, error=error, result=result, finished=time.time()))
        self._cond.notify_all()

    def _put(self, state: RecordingState) -> None:
        self._states[state.job_id] = state
        write_text_atomic(self.folder / state.job_id / STATE_FILE, json.dumps(asdict(state), ensure_ascii=False))

    def _load(self) -> None:
        """Read the state files of jobs not yet known (once each: after that memory is current)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob(f"*/{STATE_FILE}"):
            job_id = path.parent.name
            if job_id in self._states or not JOB_ID.fullmatch(job_id):
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("state_version") != STATE_VERSION:
                    raise ValueError(f"state_version {data.get('state_version')!r}, this service reads {STATE_VERSION}")
                self._states[job_id] = RecordingState(**data)
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                log.warning("recording job %s: unreadable %s (%s); skipped", job_id, path, exc)
