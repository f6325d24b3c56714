"""parse_webvtt / read_webvtt: the cues the writer wrote come back (the embed page's gloss line is
timed by them), other writers' common forms are read, broken files fail with the line named."""

from pathlib import Path

import pytest

from signavatar.frames_to_video.webvtt import parse_timestamp, parse_webvtt, read_webvtt, webvtt_text, write_webvtt


def test_written_cues_read_back(tmp_path: Path) -> None:
    cues = [(0.5, 1.0, "TERMIN"), (1.25, 2.0, "M-E-I-E-R"), (2.0, 3661.125, "A & <B> -->")]
    path = tmp_path / "s.vtt"
    write_webvtt(cues, path)
    assert read_webvtt(path) == cues


def test_other_writers_forms() -> None:
    text = (
        "\ufeffWEBVTT - Glossen\r\n\r\nNOTE geschrieben von Hand\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\n"
        "01:02.500 --> 01:03.000 align:start line:0\r\n<v Avatar>ICH</v>\r\nBRAUCHEN\r\n\r\n"
        "id-2\r\n00:01:03.000 --> 00:01:04.250\r\nTERMIN &amp; MEHR\r\n"
    )
    assert parse_webvtt(text) == [(62.5, 63.0, "ICH BRAUCHEN"), (63.0, 64.25, "TERMIN & MEHR")]
    assert parse_webvtt("WEBVTT\n") == []


@pytest.mark.parametrize("text,what", [
    ("", "first line"),
    ("1\n00:00:00.000 --> 00:00:01.000\nA\n", "first line"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nA\n", "line 3: the cue ends"),
    ("WEBVTT\n\n00:00:00,000 --> 00:00:01.000\nA\n", "line 3: not a WebVTT timestamp"),
    ("WEBVTT\n\n00:00:00.000 -->\nA\n", "line 3: a cue timing without an end time"),
    ("WEBVTT\n\n00:00:00.000 --> 00:61:00.000\nA\n", "line 3: not a WebVTT timestamp"),
])
def test_broken_files_name_the_line(text: str, what: str) -> None:
    with pytest.raises(ValueError, match=what):
        parse_webvtt(text)


def test_read_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_webvtt(tmp_path / "missing.vtt")
    binary = tmp_path / "b.vtt"
    binary.write_bytes(b"WEBVTT\n\n\xff\xfe")
    with pytest.raises(ValueError, match="b.vtt: not UTF-8"):
        read_webvtt(binary)
    broken = tmp_path / "c.vtt"
    broken.write_text("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nA\n")
    with pytest.raises(ValueError, match="c.vtt: line 3"):
        read_webvtt(broken)


def test_timestamps() -> None:
    assert parse_timestamp("00:00:01.234") == pytest.approx(1.234)
    assert parse_timestamp("10:00:00.001") == pytest.approx(36000.001)
    assert parse_timestamp("59:59.999") == pytest.approx(3599.999)
    for bad in ("1.000", "00:00:01", "00:00:01.1", "aa:00.000"):
        with pytest.raises(ValueError):
            parse_timestamp(bad)
    assert webvtt_text([]).startswith("WEBVTT")
