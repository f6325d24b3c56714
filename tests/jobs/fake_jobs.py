"""A fast stand-in job for tests of the job queue, made in the worker process (so: module level).

What a job does is read from its request text: "ok", "sleep <s>", "gate" (waits for the file
`gate` in the folder), "bad" (a user error), "error" (a rendering error), "crash" (the worker
SIGKILLs itself), "ffmpeg" (starts an ffmpeg that reads stdin, writes its pid to `ffmpeg.pid`,
and waits forever). Every job start appends "<clip id> <worker pid>" to `runs.log`, and the plan
it was handed (jobs/plan.py), as one JSON line, to `plans.log`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from signavatar.errors import InvalidInputError
from signavatar.types import ClipRequest


class FakeJob:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def __call__(self, clip_id: str, request: ClipRequest, plan: object = None) -> None:
        with open(self.folder / "runs.log", "a") as f:
            f.write(f"{clip_id} {os.getpid()}\n")
        with open(self.folder / "plans.log", "a") as f:
            f.write(json.dumps(plan) + "\n")
        what, _, arg = (request.text or "ok").partition(" ")
        if what == "sleep":
            time.sleep(float(arg))
        elif what == "gate":
            while not (self.folder / "gate").exists():
                time.sleep(0.02)
        elif what == "bad":
            raise InvalidInputError("unknown gloss 'xyz'")
        elif what == "error":
            raise RuntimeError("GL context lost")
        elif what == "crash":
            os.kill(os.getpid(), signal.SIGKILL)
        elif what == "ffmpeg":
            proc = subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "8x8",
                 "-i", "pipe:", "-f", "null", "-"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            (self.folder / "ffmpeg.pid").write_text(str(proc.pid))
            time.sleep(3600)


def runs(folder: Path) -> list[tuple[str, int]]:
    """(clip id, worker pid) of every job start, in order."""
    path = folder / "runs.log"
    if not path.exists():
        return []
    return [(cid, int(pid)) for cid, pid in (line.split() for line in path.read_text().splitlines())]


def process_gone(pid: int) -> bool:
    """No such process, or only its zombie (not yet reaped by whoever adopted it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")
