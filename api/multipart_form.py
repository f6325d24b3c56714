"""A multipart/form-data body read as it streams in: the one file field written to a file, with a
hard byte limit, and the small text fields kept (each at most MAX_FIELD_BYTES, at most MAX_PARTS).

The service has no python-multipart (Starlette's request.form() needs it), and a recording must
not be held in memory anyway: at most one network chunk plus a delimiter's length is buffered.
Enough of RFC 7578 for browsers' FormData and curl -F: parts delimited by "--boundary", headers
up to a blank line, a Content-Disposition with name= and filename=; no nested multipart, no
Content-Transfer-Encoding.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

MAX_FIELD_BYTES = 4096
MAX_HEADER_BYTES = 8192
MAX_PARTS = 16
_BOUNDARY = re.compile(r'boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))', re.IGNORECASE)
_PARAM = re.compile(r';\s*([a-zA-Z*]+)="((?:[^"\\]|\\.)*)"|;\s*([a-zA-Z*]+)=([^;\s]*)')


class FormError(ValueError):
    """The body is not a form we take; `status` 400 (malformed) or 413 (the file is too large)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Form:
    """The text fields (name -> value) and the file: its size in bytes and the name the client gave
    (None when the body had no file part)."""

    fields: dict[str, str] = field(default_factory=dict)
    file_bytes: int = 0
    file_name: str | None = None


def boundary_of(content_type: str) -> bytes:
    """The boundary of a multipart/form-data Content-Type; FormError otherwise."""
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        given = content_type or "no type"
        raise FormError(f"send the recording as multipart/form-data (a form with a file), not {given}", 415)
    found = _BOUNDARY.search(content_type)
    if found is None:
        raise FormError("the multipart/form-data Content-Type has no boundary")
    return (found.group(1) or found.group(2)).encode("latin-1")


class FormReader:
    """Feed the body's chunks in order, then `finish()`; the file part named `file_field` goes to
    `sink` (at most `max_file_bytes`, else FormError 413), every other part is a text field."""

    def __init__(self, boundary: bytes, file_field: str, sink: BinaryIO, max_file_bytes: int) -> None:
        self.delimiter = b"\r\n--" + boundary
        self.file_field, self.sink, self.max_file_bytes = file_field, sink, max_file_bytes
        self.form = Form()
        # the body starts with "--boundary" (no CRLF before it): pretend one was there
        self._buf = b"\r\n"
        self._state = "preamble"
        self._part: str | None = None
        self._is_file = False
        self._value = bytearray()
        self._parts = 0

    def feed(self, chunk: bytes) -> None:
        self._buf += chunk
        while self._step():
            pass

    def finish(self) -> Form:
        if self._state != "end":
            raise FormError("the form ended before its closing boundary: send the whole form")
        return self.form

    def _step(self) -> bool:
        """Consume what the buffer allows; True when it may allow more."""
        if self._state == "preamble":
            at = self._buf.find(self.delimiter)
            if at < 0:
                self._buf = self._buf[-len(self.delimiter):]
                return False
            self._buf = self._buf[at + len(self.delimiter):]
            self._state = "after-delimiter"
            return True
        if self._state == "after-delimiter":
            if len(self._buf) < 2:
                return False
            if self._buf.startswith(b"--"):
                self._state, self._buf = "end", b""
                return False
            self._state = "headers"
            return True
        if self._state == "headers":
            return self._headers()
        if self._state == "body":
            return self._body()
        self._buf = b""  # epilogue after the closing boundary: ignored
        return False

    def _headers(self) -> bool:
        at = self._buf.find(b"\r\n\r\n")
        if at < 0:
            if len(self._buf) > MAX_HEADER_BYTES:
                raise FormError("a form part's headers are too long")
            return False
        head, self._buf = self._buf[:at].decode("utf-8", "replace"), self._buf[at + 4:]
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise FormError(f"the form has more than {MAX_PARTS} parts")
        name, filename = None, None
        for line in head.split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                params = {(m.group(1) or m.group(3)).lower(): m.group(2) if m.group(1) else m.group(4)
                          for m in _PARAM.finditer(value)}
                name, filename = params.get("name"), params.get("filename")
        if name is None:
            raise FormError("a form part has no Content-Disposition name")
        self._part, self._is_file = name, name == self.file_field
        if self._is_file:
            if self.form.file_name is not None:
                raise FormError(f"send one {self.file_field!r} file only")
            self.form.file_name = filename or ""
        self._value.clear()
        self._state = "body"
        return True

    def _body(self) -> bool:
        at = self._buf.find(self.delimiter)
        if at < 0:
            keep = len(self.delimiter) - 1  # the delimiter may start in this chunk's tail
            if len(self._buf) > keep:
                self._take(self._buf[:-keep])
                self._buf = self._buf[-keep:]
            return False
        self._take(self._buf[:at])
        self._buf = self._buf[at + len(self.delimiter):]
        if not self._is_file:
            assert self._part is not None
            self.form.fields[self._part] = self._value.decode("utf-8", "replace")
        self._state = "after-delimiter"
        return True

    def _take(self, data: bytes) -> None:
        if not data:
            return
        if self._is_file:
            self.form.file_bytes += len(data)
            if self.form.file_bytes > self.max_file_bytes:
                raise FormError(f"the video is over the limit of {self.max_file_bytes / 1024 / 1024:.0f} MB: "
                                "send a shorter or smaller video", 413)
            self.sink.write(data)
        else:
            self._value += data
            if len(self._value) > MAX_FIELD_BYTES:
                raise FormError(f"the form field {self._part!r} is over {MAX_FIELD_BYTES} bytes")


async def read_form(chunks: AsyncIterator[bytes], content_type: str, file_field: str, path: Path,
                    max_file_bytes: int) -> Form:
    """Stream a multipart/form-data body into a Form, its file part written to `path`."""
    reader_boundary = boundary_of(content_type)
    with open(path, "wb") as sink:
        reader = FormReader(reader_boundary, file_field, sink, max_file_bytes)
        async for chunk in chunks:
            reader.feed(chunk)
        return reader.finish()
