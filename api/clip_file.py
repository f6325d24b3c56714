"""ClipFileResponse: a stored clip file, read in the event loop (no thread hop per read).

Clip files are small (tens to hundreds of kB) and hot ones sit in the page cache, so a read of
256 kB takes microseconds; Starlette's FileResponse hands each stat/open/read/close to a worker
thread, and under 100 concurrent connections those hops (and the GIL hand-overs they cause) were
most of the latency (BENCHMARKS.md "HTTP load"). The common requests — the whole file, or one
byte range as a browser sends while seeking — are served here; anything else (several ranges,
a malformed or unsatisfiable Range header) goes to FileResponse, which answers it correctly.
"""

from __future__ import annotations

import os
import re

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

CHUNK_BYTES = 256 * 1024
_SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class ClipFileResponse(Response):
    """The file at `path` with `headers` (ETag, Cache-Control), 200 or 206 for one byte range."""

    def __init__(self, path: str | os.PathLike[str], media_type: str, headers: dict[str, str]) -> None:
        self.path, self.extra = os.fspath(path), headers
        self.status_code, self.media_type, self.background = 200, media_type, None
        self.init_headers(headers)

    def _range(self, scope: Scope, size: int) -> tuple[int, int] | None | bool:
        """(start, end exclusive) of one satisfiable range; None: no range; False: let FileResponse decide."""
        headers = Headers(scope=scope)
        spec = headers.get("range")
        if spec is None:
            return None
        if_range = headers.get("if-range")
        if if_range is not None and if_range != self.extra.get("ETag"):
            return None  # the client's copy is another version: send the whole file
        m = _SINGLE_RANGE.fullmatch(spec.strip())
        if m is None or (m.group(1) == "" and m.group(2) == ""):
            return False
        first, last = m.group(1), m.group(2)
        if first == "":
            start, end = max(0, size - int(last)), size  # suffix: the last N bytes
        else:
            start = int(first)
            end = size if last == "" else min(size, int(last) + 1)
        if start >= size or start >= end or end - start <= 0:
            return False
        return start, end

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            raise RuntimeError(f"stored clip file {self.path} is missing") from None
        wanted = self._range(scope, size)
        if wanted is False:
            await FileResponse(self.path, media_type=self.media_type, headers=self.extra)(scope, receive, send)
            return
        start, end = (0, size) if wanted is None else wanted
        self.headers["content-length"] = str(end - start)
        self.headers["accept-ranges"] = "bytes"
        status = 200
        if wanted is not None:
            status = 206
            self.headers["content-range"] = f"bytes {start}-{end - 1}/{size}"
        await send({"type": "http.response.start", "status": status, "headers": self.raw_headers})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        if start >= end:  # an empty file
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        with open(self.path, "rb") as f:
            f.seek(start)
            while start < end:
                chunk = f.read(min(CHUNK_BYTES, end - start))
                if not chunk:
                    raise RuntimeError(f"stored clip file {self.path} is shorter than it was")
                start += len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": start < end})
