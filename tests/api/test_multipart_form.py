"""api/multipart_form.py: a form as httpx (like a browser's FormData) encodes it, fed in chunks of
every size, gives the same fields and file; the file's byte limit and malformed forms are refused."""

from __future__ import annotations

import io

import httpx
import pytest

from api.multipart_form import FormError, FormReader, boundary_of

VIDEO = bytes(range(256)) * 40 + b"\r\n--not-the-boundary\r\n" + b"\r\n" * 3  # line breaks and a near-delimiter


def encoded(fields: dict[str, str], file: bytes | None = VIDEO) -> tuple[str, bytes]:
    files = {"file": ("clip.webm", file, "video/webm")} if file is not None else {"dummy": ("d.txt", b"x")}
    request = httpx.Request("POST", "http://x/", data=fields, files=files)
    return request.headers["content-type"], request.read()


def read(content_type: str, body: bytes, chunk: int, limit: int = 1 << 20) -> tuple[dict[str, str], bytes, int]:
    sink = io.BytesIO()
    reader = FormReader(boundary_of(content_type), "file", sink, limit)
    for i in range(0, len(body), chunk):
        reader.feed(body[i:i + chunk])
    form = reader.finish()
    return form.fields, sink.getvalue(), form.file_bytes


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1000, 1 << 20])
def test_fields_and_file_come_through_whatever_the_chunks(chunk: int) -> None:
    content_type, body = encoded({"signer": "Zoë Müller", "licence": "CC-BY-4.0", "consent": "true"})
    fields, data, size = read(content_type, body, chunk)
    assert fields == {"signer": "Zoë Müller", "licence": "CC-BY-4.0", "consent": "true"}
    assert data == VIDEO and size == len(VIDEO)


def test_a_file_over_the_limit_is_refused_with_413() -> None:
    content_type, body = encoded({"signer": "A"})
    with pytest.raises(FormError) as exc:
        read(content_type, body, 100, limit=len(VIDEO) - 1)
    assert exc.value.status == 413 and "send a shorter or smaller video" in str(exc.value)
    assert read(content_type, body, 100, limit=len(VIDEO))[2] == len(VIDEO)  # exactly the limit is fine


def test_a_cut_off_form_and_a_form_that_is_not_multipart_are_refused() -> None:
    content_type, body = encoded({"signer": "A"})
    with pytest.raises(FormError, match="ended before its closing boundary"):
        read(content_type, body[:-10], 64)
    with pytest.raises(FormError) as exc:
        boundary_of("application/json")
    assert exc.value.status == 415
    with pytest.raises(FormError, match="no boundary"):
        boundary_of("multipart/form-data")
    assert boundary_of('multipart/form-data; boundary="a b"') == b"a b"


def test_a_text_field_over_its_limit_and_a_second_file_are_refused() -> None:
    content_type, body = encoded({"signer": "x" * 5000})
    with pytest.raises(FormError, match="'signer' is over 4096 bytes"):
        read(content_type, body, 512)
    request = httpx.Request("POST", "http://x/", files=[("file", ("a", b"1")), ("file", ("b", b"2"))])
    with pytest.raises(FormError, match="one 'file' file only"):
        read(request.headers["content-type"], request.read(), 512)
