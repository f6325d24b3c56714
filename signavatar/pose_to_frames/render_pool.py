"""Frames rendered on worker processes, returned in order: both CPU cores draw (DESIGN.md, speed).

Each worker loads the avatar once and keeps its renderers (one per frame size and background)
for its whole life. The frame range of a clip is cut into short chunks dealt out in turn, so the
workers draw side by side while the caller consumes frames in order: chunk k comes from worker
k mod N, and every worker answers its chunks in the order it received them.

Messages: caller -> worker `(width, height, background, rotations, root, face)` for one chunk,
or None to stop; worker -> caller one `send_bytes` per frame, or an empty message followed by the
error text when drawing failed.
"""

from __future__ import annotations

import multiprocessing
import socket
import subprocess
import sys
from collections import OrderedDict, deque
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.errors import RenderError
from signavatar.typed import UInt8Array
from signavatar.types import PoseTrack

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
CHUNK = 4  # frames per message: small enough that both workers start at once
AHEAD = 2  # chunks queued per worker, so a worker never waits for the caller to ask
MAX_RENDERERS = 2  # per worker: sizes/backgrounds kept ready; older ones are closed (bounded memory)
REPLY_TIMEOUT_S = 120.0


def main() -> None:
    """Worker process entry: argv = socket fd, avatar path, GL platform."""
    fd, avatar_path, platform = sys.argv[1:4]
    _worker(Connection(int(fd)), avatar_path, platform)


def _worker(conn: Connection, avatar_path: str, platform: str) -> None:
    """Draw the chunks the caller sends until it sends None."""
    from signavatar.avatar.rig import load_avatar
    from signavatar.pose_to_frames.renderer import OffscreenRenderer

    renderers: OrderedDict[tuple[Any, ...], OffscreenRenderer] = OrderedDict()
    try:
        avatar = load_avatar(Path(avatar_path))
        while (message := conn.recv()) is not None:
            width, height, background, rotations, root, face = message
            key = (width, height, background)
            try:
                if key not in renderers:
                    renderers[key] = OffscreenRenderer(avatar, width, height, platform=platform, background=background)
                    while len(renderers) > MAX_RENDERERS:
                        renderers.popitem(last=False)[1].close()
                renderers.move_to_end(key)
                world_r, world_p = avatar.skeleton.forward(rotations, root)
                for i in range(len(rotations)):
                    frame = renderers[key].render(*avatar.deform(world_r[i], world_p[i], face[i]))
                    # 1-D: send_bytes counts len(), i.e. rows; .data is the memoryview send_bytes takes of it
                    conn.send_bytes(frame.reshape(-1).data)
            except Exception as exc:  # reported to the caller, which stops this pool
                conn.send_bytes(b"")
                conn.send(f"{type(exc).__name__}: {exc}")
    except (EOFError, KeyboardInterrupt):  # the caller went away
        pass
    finally:
        for renderer in renderers.values():
            renderer.close()


class RenderPool:
    """N worker processes drawing avatar frames; build once per Pipeline and reuse for every clip."""

    def __init__(self, avatar_path: Path, platform: str, processes: int) -> None:
        if processes < 2:
            raise ValueError("a render pool needs at least 2 processes; draw in-process for 1")
        # A fresh interpreter per worker (not fork: the caller may hold threads or a GL context; not
        # multiprocessing's spawn: it re-runs the caller's __main__ script in the child).
        self._conns: list[Connection] = []
        self._procs: list[subprocess.Popen[bytes]] = []
        for _ in range(processes):
            ours, theirs = socket.socketpair()
            code = f"import sys; sys.path.insert(0, {str(_PACKAGE_ROOT)!r}); from {__name__} import main; main()"
            proc = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(avatar_path), platform],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
            )
            theirs.close()
            self._conns.append(Connection(ours.detach()))
            self._procs.append(proc)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._procs]

    def frames(
        self, track: PoseTrack, width: int, height: int, background: tuple[int, int, int] | None
    ) -> Iterator[UInt8Array]:
        """The frames of `track` in order, each (H, W, 3) uint8, or (H, W, 4) when background is None."""
        if not self._procs:
            raise RenderError("this render pool is closed")
        shape = (height, width, 3 if background is not None else 4)
        starts = list(range(0, track.num_frames, CHUNK))
        pending: deque[tuple[int, int]] = deque()  # (worker, frames) of chunks sent, in order
        sent = 0
        ok = False
        try:
            while sent < len(starts) or pending:
                while sent < len(starts) and len(pending) < AHEAD * len(self._conns):
                    s = starts[sent]
                    e = min(s + CHUNK, track.num_frames)
                    worker = sent % len(self._conns)
                    self._conns[worker].send(
                        (width, height, background, track.rotations[s:e], track.root[s:e], track.face[s:e])
                    )
                    pending.append((worker, e - s))
                    sent += 1
                worker, count = pending[0]
                for _ in range(count):
                    yield self._receive(worker, shape)
                pending.popleft()
            ok = True
        finally:
            if not ok:  # stopped early or failed: replies still in flight would mix with the next clip
                self.close(wait=False)

    def _receive(self, worker: int, shape: tuple[int, int, int]) -> UInt8Array:
        conn = self._conns[worker]
        try:
            if not conn.poll(REPLY_TIMEOUT_S):
                raise RenderError(f"render worker {worker} gave no frame for {REPLY_TIMEOUT_S:.0f} s")
            frame = bytearray(shape[0] * shape[1] * shape[2])
            size = conn.recv_bytes_into(frame)
            if size == 0:
                raise RenderError(f"render worker {worker} failed: {conn.recv()}")
        except (EOFError, OSError, multiprocessing.BufferTooShort) as exc:
            raise RenderError(f"render worker {worker} stopped ({exc!r}); see its log") from None
        if size != len(frame):
            raise RenderError(f"render worker {worker} sent {size} bytes, expected {len(frame)}")
        return np.frombuffer(frame, dtype=np.uint8).reshape(shape)

    @property
    def closed(self) -> bool:
        return not self._procs

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers; with `wait` they finish their chunk and close their renderers first.
        A closed pool draws nothing."""
        for conn in self._conns:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        for proc in self._procs:
            if not wait:
                proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for conn in self._conns:
            conn.close()
        self._conns, self._procs = [], []
