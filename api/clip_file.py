"""ClipFileResponse: a stored clip file, read in the event loop (no thread hop per read).

Clip files are small (tens to hundreds of kB) and hot ones sit in the page cache, so a read of
256 kB takes microseconds; Starlette's FileResponse hands each stat/open/read/close to a worker
thread, and under 100 concurrent connections those hops (and the GIL hand-overs they cause) were
most of the latency (BENCHMARKS.md "HTTP load"). The common requests — the whole file, or one
byte range as a browser sends while seeking — are served here; several ranges go to FileResponse
(multipart/byteranges), given the ranges as parsed and merged here.

Range headers are parsed here whatever they hold (RFC 9110 §14): another unit than bytes or more
than MAX_RANGES ranges are ignored (the whole file), a malformed byte-range set is a 400 that says
the form, one with no range inside the file a 416. Numbers of any length are compared without
int() (which refuses more than 4300 digits: a 5,000-digit Range was a 500).
"""

from __future__ import annotations

import os
import re

from starlette.datastructures import Headers
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send

CHUNK_BYTES = 256 * 1024
MAX_RANGES = 100  # more in one header are ignored: the whole file (RFC 9110 §14.2 allows that)
_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
_BEYOND_ANY_FILE = 10**18  # bytes; what a number of more than 18 digits stands for
RANGE_FORM = "write Range as bytes=0-499, bytes=500- or bytes=-500 (several: bytes=0-99,200-299)"


class MalformedRange(ValueError):
    """A Range header in the bytes unit that is not a byte-range set (400)."""


class UnsatisfiableRange(ValueError):
    """A byte-range set none of whose ranges lies inside the file (416)."""


def _number(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else _BEYOND_ANY_FILE


def byte_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The ranges a Range header asks of a file of `size` bytes, as sorted, merged (start, end
    exclusive) byte offsets; None: send the whole file (another unit, too many ranges, empty file).
    Raises MalformedRange or UnsatisfiableRange."""
    unit, equals, spec = header.partition("=")
    if not equals:
        raise MalformedRange(f"the Range header has no '=': {RANGE_FORM}")
    if unit.strip().lower() != "bytes" or size == 0 or spec.count(",") >= MAX_RANGES:
        return None
    asked = 0
    wanted: list[tuple[int, int]] = []
    for part in spec.split(","):
        part = part.strip(" \t")
        if not part:
            continue  # empty list elements are allowed (RFC 9110 §5.6.1)
        m = _RANGE_SPEC.fullmatch(part)
        if m is None or m.group(1) == m.group(2) == "":
            raise MalformedRange(f"the Range {part[:40]!r} is not a byte range: {RANGE_FORM}")
        asked += 1
        first, last = m.group(1), m.group(2)
        if first == "":  # suffix: the last N bytes
            if _number(last) > 0:
                wanted.append((max(0, size - _number(last)), size))
            continue
        start = _number(first)
        if last != "" and _number(last) < start:
            raise MalformedRange(f"the Range {part[:40]!r} ends before it starts: {RANGE_FORM}")
        if start < size:
            wanted.append((start, size if last == "" else min(size, _number(last) + 1)))
    if asked == 0:
        raise MalformedRange(f"the Range header names no range: {RANGE_FORM}")
    if not wanted:
        raise UnsatisfiableRange(f"the Range lies beyond the end of the file ({size} bytes)")
    wanted.sort()
    merged = [wanted[0]]
    for start, end in wanted[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class ClipFileResponse(Response):
    """The file at `path` with `headers` (ETag, Cache-Control), 200 or 206 for one byte range."""

    def __init__(self, path: str | os.PathLike[str], media_type: str, headers: dict[str, str]) -> None:
        self.path, self.extra = os.fspath(path), headers
        self.status_code, self.media_type, self.background = 200, media_type, None
        self.init_headers(headers)

    def _ranges(self, scope: Scope, size: int) -> list[tuple[int, int]] | None:
        """The byte ranges asked for (byte_ranges); None: the whole file."""
        headers = Headers(scope=scope)
        spec = headers.get("range")
        if spec is None:
            return None
        if_range = headers.get("if-range")
        if if_range is not None and if_range != self.extra.get("ETag"):
            return None  # the client's copy is another version: send the whole file
        return byte_ranges(spec, size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            raise RuntimeError(f"stored clip file {self.path} is missing") from None
        try:
            wanted = self._ranges(scope, size)
        except MalformedRange as exc:
            await JSONResponse({"detail": str(exc)}, status_code=400)(scope, receive, send)
            return
        except UnsatisfiableRange as exc:
            await JSONResponse({"detail": str(exc)}, status_code=416,
                               headers={"Content-Range": f"bytes */{size}"})(scope, receive, send)
            return
        if wanted is not None and len(wanted) > 1:
            # FileResponse writes the multipart body; it gets the ranges as parsed here, nothing else.
            clean = ",".join(f"{start}-{end - 1}" for start, end in wanted).encode()
            kept = [(k, v) for k, v in scope["headers"] if k not in (b"range", b"if-range")]
            scope = {**scope, "headers": [*kept, (b"range", b"bytes=" + clean)]}
            several = FileResponse(self.path, media_type=self.media_type, headers=self.extra)
            await several(scope, receive, send)
            return
        start, end = (0, size) if wanted is None else wanted[0]
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
