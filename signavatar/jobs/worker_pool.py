"""Worker processes: each renders one job at a time with its own runner (pipeline, renderer).

A worker is a fresh interpreter (subprocess, not fork: the service holds threads and maybe a GL
context; not multiprocessing's spawn: it re-runs the caller's __main__ in the child), started in a
new session, so it leads its own process group: killing the group also kills the ffmpeg it
started. It kills its own group when the service process dies. It makes its runner by calling
`runner_factory()` in the child, so the factory must be picklable: a module-level callable, a
`functools.partial` of one, or a dotted path "package.module:name" (the child gets the service's
sys.path, so what the service can import, the worker can).

Messages over a socket pair, parent -> worker: first (sys.path, pickled factory, recycle_after,
parent pid, logging dictConfig or None), then (clip_id, request_dict) per job or None (stop).
Worker -> parent: ("ready", error_or_None) once, then per job ("done" | "failed" | "error",
clip_id, seconds, message, stored_as, last):
"failed" is the user's fault (InvalidInputError), "error" a rendering error (the worker then
exits, so a fresh one replaces it); stored_as: the clip id the clip was stored under when it is
not the job's (the lexicon changed since the job was keyed, clip_job.py), else None; last: True
when the worker exits after this message (recycled after `recycle_after` jobs, or after an
"error"), so the parent hands it no more jobs. The end of the socket (EOF) tells the parent the
worker is gone.

Public messages: a rendering error's message becomes the job's public `detail`, so it never
carries paths or internals (public_error); the full error goes to the log.
"""
from __future__ import annotations

import errno
import importlib
import logging
import logging.config
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.jobs.plan import PLAN_KEY
from signavatar.jobs.request import request_from_dict
from signavatar.jobs.stage_timeout import StageTimeout
from signavatar.types import ClipRequest

log = logging.getLogger(__name__)

#: renders one job (clip id, request, the plan the service made, jobs/plan.py, or None); returns
#: the clip id it stored the clip under when that is not the job's, else None
RunJob = Callable[[str, ClipRequest, "Mapping[str, Any] | None"], "str | None"]
RunnerFactory = Callable[[], RunJob]
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_PARENT_CHECK_S = 0.2


def resolve(obj: Any) -> Any:
    """`obj` itself, or the object a dotted path "package.module:name" names."""
    if isinstance(obj, str):
        module, _, name = obj.partition(":")
        target: Any = importlib.import_module(module)
        for part in name.split(".") if name else ():
            target = getattr(target, part)
        return target
    return obj


def main() -> None:
    """Worker process entry: argv = the socket's file descriptor."""
    conn = Connection(int(sys.argv[1]))
    path, factory, recycle_after, parent_pid, log_config = conn.recv()
    sys.path[:] = path
    try:
        if log_config is None:
            raise ValueError("no log configuration")
        logging.config.dictConfig(log_config)
    except Exception:  # no configuration or a broken one: still log, in plain text
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s worker %(process)d %(name)s: %(message)s"
        )
    serve_jobs(conn, factory, recycle_after, parent_pid)


def _die_with_parent(parent_pid: int) -> None:
    """A worker whose service process is gone kills its group (itself and its ffmpeg)."""
    while True:
        time.sleep(_PARENT_CHECK_S)
        if os.getppid() != parent_pid:
            os.killpg(0, signal.SIGKILL)


def serve_jobs(conn: Connection, runner_factory: bytes, recycle_after: int, parent_pid: int) -> None:
    """Make the runner (`runner_factory` pickled), then take jobs from `conn` until told to stop
    or `recycle_after` are done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the service, which stops the workers
    threading.Thread(target=_die_with_parent, args=(parent_pid,), daemon=True, name="parent-watch").start()
    runner: RunJob | None = None
    init_error: str | None = None
    try:
        runner = resolve(pickle.loads(runner_factory))()
    except Exception as exc:  # told to the service, which fails the job with it
        log.exception("worker could not start")
        init_error = f"the render worker could not start; the service log has the details ({type(exc).__name__})"
    conn.send(("ready", init_error))
    done = 0
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            break
        if msg is None:
            break
        clip_id, request = msg
        t0 = time.monotonic()
        if runner is None:
            conn.send(("error", clip_id, 0.0, init_error, None, True))
            break
        done += 1
        last = done >= recycle_after
        try:
            stored_as = runner(clip_id, request_from_dict(request), request.get(PLAN_KEY))
        except InvalidInputError as exc:
            conn.send(("failed", clip_id, time.monotonic() - t0, str(exc), None, last))
        except Exception as exc:  # a rendering error: report it, then let a fresh worker take over
            log.exception("render of clip %s failed", clip_id)
            conn.send(("error", clip_id, time.monotonic() - t0, public_error(exc, clip_id), None, True))
            break
        else:
            conn.send(("done", clip_id, time.monotonic() - t0, None, stored_as, last))
        if last:
            break
    close = getattr(runner, "close", None)
    if close is not None:
        close()
    conn.close()


NO_SPACE = "the render failed on the server (no space left on the device); try again later"


def public_error(exc: BaseException, clip_id: str) -> str:
    """The job's public detail for a rendering error: a short, stable text without paths or
    internals (the full error is logged); a stage timeout keeps its message (it names the stage
    and the setting, nothing else)."""
    if isinstance(exc, StageTimeout):
        return str(exc)
    seen: BaseException | None = exc
    while seen is not None:  # ffmpeg's error wraps the OSError, or only quotes it
        if (isinstance(seen, OSError) and seen.errno == errno.ENOSPC) or "No space left on device" in str(seen):
            return NO_SPACE
        seen = seen.__cause__ or seen.__context__
    return f"the render failed on the server; the service log has the details (clip {clip_id})"


@dataclass
class Worker:
    """The service's handle on one worker process."""

    process: subprocess.Popen[bytes]
    conn: Connection
    ready: bool = False
    job: str | None = None  # the clip id it renders now
    started: float = 0.0  # time.monotonic() when that job was sent, or when the process started
    kill_reason: str | None = None  # why the service killed it (a timeout), for the job's error
    stopping: bool = False  # told to exit
    jobs: int = 0  # jobs sent to it
    retiring: bool = False  # it exits after its current job (recycled, or after an error): no more jobs
    exit_code: int | None = None  # set by reap()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def idle(self) -> bool:
        """Ready for a job: started, not rendering, not about to exit."""
        return self.ready and self.job is None and not self.retiring and not self.stopping

    def send(self, clip_id: str, request: dict[str, Any], recycle_after: int) -> None:
        self.job, self.started = clip_id, time.monotonic()
        self.jobs += 1
        if self.jobs >= recycle_after:  # the worker exits after this one (it counts the same way)
            self.retiring = True
        self.conn.send((clip_id, request))

    def kill(self, reason: str | None = None) -> None:
        """SIGKILL the worker's whole process group (it and any ffmpeg it started)."""
        if reason and self.kill_reason is None:
            self.kill_reason = reason
        kill_group(self.pid)

    def stop(self) -> None:
        """Ask the worker to exit once its current job is done."""
        if self.stopping:
            return
        self.stopping = True
        try:
            self.conn.send(None)
        except OSError:
            pass

    def reap(self) -> str:
        """After the worker's socket closed: kill what is left of its group, wait for it, say why it ended."""
        kill_group(self.pid)  # before wait(): until reaped, its pid (= the group id) cannot be reused
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.conn.close()
        self.exit_code = code
        if self.kill_reason:
            return self.kill_reason
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the worker process was killed by {name} (a crash, out of memory, or killed)"
        return f"the worker process exited with status {code}"


def kill_group(pid: int) -> None:
    """SIGKILL process group `pid` (a worker leads its own), which also ends the ffmpeg it started."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def spawn_worker(runner_factory: Any, recycle_after: int, log_config: dict[str, Any] | None = None) -> Worker:
    """Start a worker process; it answers ("ready", ...) once its runner is made. `log_config`:
    a logging.config.dictConfig dict for the worker (else plain text on stderr)."""
    factory = pickle.dumps(runner_factory)  # fails here, in the service, when it is not picklable
    ours, theirs = socket.socketpair()
    code = f"import sys; sys.path.insert(0, {str(_PACKAGE_ROOT)!r}); from {__name__} import main; main()"
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, start_new_session=True,
        )
    finally:
        theirs.close()
    conn = Connection(ours.detach())
    conn.send((list(sys.path), factory, recycle_after, os.getpid(), log_config))
    return Worker(process, conn, started=time.monotonic())
