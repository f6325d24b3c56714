from pathlib import Path

import pytest

from signavatar.frames_to_video.webvtt import cues_from_labels, format_timestamp, write_webvtt


def test_cues_merge_runs_and_skip_empty_labels() -> None:
    labels = ["", "", "TERMIN", "TERMIN", "", "ICH", "ICH", "ICH", "BRAUCHEN"]
    cues = cues_from_labels(labels, fps=4)
    assert cues == [(0.5, 1.0, "TERMIN"), (1.25, 2.0, "ICH"), (2.0, 2.25, "BRAUCHEN")]


def test_cues_show_a_spelled_word_as_viewers_read_it() -> None:
    labels = ["", "TERMIN", "fs-MEIER", "fs-MEIER", "fs-MEIER", "fs-SCHULZE", "17", "17", ""]
    assert cues_from_labels(labels, fps=2) == [
        (0.5, 1.0, "TERMIN"), (1.0, 2.5, "M-E-I-E-R"), (2.5, 3.0, "SCH-U-L-Z-E"), (3.0, 4.0, "17"),
    ]


def test_repeated_sign_after_pause_gets_two_cues() -> None:
    assert cues_from_labels(["A", "", "A"], fps=1) == [(0.0, 1.0, "A"), (2.0, 3.0, "A")]


def test_no_labels() -> None:
    assert cues_from_labels([], fps=25) == []
    assert cues_from_labels(["", ""], fps=25) == []
    with pytest.raises(ValueError):
        cues_from_labels(["A"], fps=0)


def test_timestamp_format() -> None:
    assert format_timestamp(0) == "00:00:00.000"
    assert format_timestamp(3723.4567) == "01:02:03.457"


def test_write_webvtt(tmp_path: Path) -> None:
    out = tmp_path / "clip.vtt"
    write_webvtt([(0.0, 1.5, "TERMIN"), (1.5, 2.0, "a<b> & --> c")], out)
    assert out.read_text(encoding="utf-8") == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.500\nTERMIN\n\n"
        "2\n00:00:01.500 --> 00:00:02.000\na&lt;b&gt; &amp; --&gt; c\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["clip.vtt"]
