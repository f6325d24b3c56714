"""BatchPool: the local process pool of `signavatar batch --workers N`, which survives killed workers.

concurrent.futures.ProcessPoolExecutor breaks for good when one worker dies (SIGKILL, the OOM
killer, a segfault in GL): every waiting future fails with BrokenProcessPool. Here each worker
process takes one call at a time over its own pipe, so the parent always knows which call a dead
worker held: that call is started again on a fresh worker, up to `max_attempts` starts, then its
future fails with WorkerDiedError; the other workers go on and the waiting calls wait.

The interface is the part of concurrent.futures.Executor the batch runner uses: submit(fn, *args)
-> Future, shutdown(wait, cancel_futures), and use as a context manager. fn and args must pickle
(fn a module-level function such as batch_item.render_item). Workers start lazily, by the
`forkserver` method: clean children, without this process's threads or GL context.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, Literal

log = logging.getLogger(__name__)


class WorkerDiedError(RuntimeError):
    """A worker process died while running a call, on every one of its `max_attempts` starts."""


class RemoteCallError(RuntimeError):
    """The call raised in the worker; the message is the worker's exception, type and text."""


@dataclass
class _Call:
    future: Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    starts: int = 0
    deaths: list[str] = field(default_factory=list)  # how the worker ended, per death


@dataclass
class _Worker:
    process: BaseProcess  # a Process of the pool's context (forkserver unless told)
    conn: Connection
    call: _Call | None = None


def _serve(conn: Connection) -> None:
    """Worker process: run (fn, args) calls from `conn` until None or the end of the pipe."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the batch process is gone
            return
        if message is None:
            return
        fn, args = message
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:  # handed back to the caller's future, as a pool would
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


def describe_exit(exitcode: int | None) -> str:
    """How a worker ended, in words: 'killed by SIGKILL' or 'exit code 3'."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


_Method = Literal["fork", "spawn", "forkserver"]


def _context(method: _Method) -> ForkContext | SpawnContext | ForkServerContext:
    """multiprocessing.get_context(method), typed by the method (a Literal union picks typeshed's
    untyped-context overload)."""
    if method == "fork":
        return multiprocessing.get_context("fork")
    if method == "spawn":
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context(method)


class BatchPool:
    """`workers` render processes; a call whose worker dies is retried (see the module docstring)."""

    def __init__(
        self, workers: int, *, max_attempts: int = 3, method: _Method = "forkserver"
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
        self.max_attempts = max_attempts
        self._ctx = _context(method)
        self._size = workers
        self._workers: list[_Worker] = []
        self._waiting: deque[_Call] = deque()
        self._lock = threading.Lock()
        self._closing = False
        self._cancelled = False  # shutdown(cancel_futures=True): a call whose worker dies is not retried
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._thread = threading.Thread(target=self._dispatch, name="batch-pool", daemon=True)
        self._thread.start()

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and memory checks)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]  # started: never None

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a BatchPool after shutdown")
            self._waiting.append(_Call(future, fn, args))
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers once the running calls are done (and, with wait, the waiting ones);
        cancel_futures cancels the calls not started yet."""
        with self._lock:
            self._closing = True
            if cancel_futures:
                self._cancelled = True
                for call in self._waiting:
                    call.future.cancel()
                self._waiting.clear()
        self._wake()
        if wait:
            self._thread.join()

    def __enter__(self) -> BatchPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=True, cancel_futures=exc[0] is not None)

    # -- the dispatcher thread ----------------------------------------------------------------

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:  # the dispatcher has ended and closed the pair
            pass

    def _dispatch(self) -> None:
        try:
            while True:
                with self._lock:
                    self._assign()
                    busy = [w for w in self._workers if w.call is not None]
                    if self._closing and not busy and not self._waiting:
                        break
                ready = wait([self._wake_r, *(w.conn for w in busy), *(w.process.sentinel for w in busy)])
                if self._wake_r in ready:
                    self._drain_wake()
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._collect(worker)
        except BaseException:  # never leave a caller waiting on a future nobody will resolve
            log.exception("the batch pool's dispatcher failed")
            with self._lock:
                calls = [w.call for w in self._workers if w.call is not None] + list(self._waiting)
                self._waiting.clear()
            for call in calls:
                if not call.future.done():
                    call.future.set_exception(RuntimeError("the batch pool's dispatcher failed; see the log"))
        finally:
            self._stop_workers()
            self._wake_r.close()
            self._wake_w.close()

    def _assign(self) -> None:
        """Give waiting calls to idle workers, starting workers up to the pool's size (lock held)."""
        while self._waiting:
            idle = next((w for w in self._workers if w.call is None), None)
            if idle is None:
                if len(self._workers) >= self._size:
                    return
                idle = self._start_worker()
            call = self._waiting.popleft()
            if call.starts == 0 and not call.future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            call.starts += 1
            idle.call = call
            try:
                idle.conn.send((call.fn, call.args))
            except OSError:  # a worker gone before its call: another one takes it
                idle.call = None
                call.starts -= 1
                self._waiting.appendleft(call)
                self._remove(idle)
            except Exception as exc:  # fn or args that do not pickle: that call fails, the pipe stays clean
                idle.call = None
                call.future.set_exception(exc)

    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        # not a daemon: a worker may start processes of its own (Settings.render_processes)
        process = self._ctx.Process(target=_serve, args=(child,), name="signavatar-batch-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        return worker

    def _collect(self, worker: _Worker) -> None:
        """A busy worker's pipe or process is ready: its result, or its death."""
        call = worker.call
        assert call is not None
        reply: tuple[str, Any] | None = None
        try:
            if worker.conn.poll():
                reply = worker.conn.recv()
        except (EOFError, OSError):
            reply = None
        if reply is None:
            worker.process.join(timeout=5)
            if worker.process.exitcode is None and worker.conn.poll() is False:
                return  # the sentinel woke us spuriously: the worker still runs
            self._died(worker, call)
            return
        worker.call = None
        kind, value = reply
        if kind == "ok":
            call.future.set_result(value)
        else:
            call.future.set_exception(RemoteCallError(value))
        self._wake()  # an idle worker: assign the next call

    def _died(self, worker: _Worker, call: _Call) -> None:
        how = describe_exit(worker.process.exitcode)
        call.deaths.append(how)
        with self._lock:
            self._remove(worker)
            if call.starts < self.max_attempts and not self._cancelled:
                log.warning("a batch worker died (%s) during a call; starting it again (%d of %d)",
                            how, call.starts + 1, self.max_attempts)
                self._waiting.appendleft(call)  # first: it was accepted before the waiting ones
                return
        log.error("a batch worker died (%s) during a call, %d times; not tried again", how, call.starts)
        call.future.set_exception(WorkerDiedError(
            f"the worker process died while rendering it ({', '.join(dict.fromkeys(call.deaths))}), "
            f"{call.starts} times; not tried again"))

    def _remove(self, worker: _Worker) -> None:
        self._workers.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=5)

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def _stop_workers(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in workers:
            worker.process.join(timeout=10)
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
