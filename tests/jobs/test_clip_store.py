from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError
from signavatar.jobs.store import ClipStore

GOOD = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    "bad", ["../etc/passwd", "abc", GOOD.upper(), GOOD + "\n", GOOD[:31] + "/", "", "../" + GOOD[3:], GOOD + "0"]
)
def test_store_refuses_bad_ids(tmp_path: Path, bad: str) -> None:
    store = ClipStore(tmp_path)
    for call in (store.folder, store.paths, store.is_complete, store.read_metadata, store.video_path):
        with pytest.raises(InvalidInputError, match="32 lowercase"):
            call(bad)
    assert list(tmp_path.iterdir()) == []


def test_paths_and_completion(tmp_path: Path) -> None:
    store = ClipStore(tmp_path)
    p = store.paths(GOOD, "webm")
    assert p.video == tmp_path / "01" / GOOD / "video.webm"
    assert p.subtitles.name == "subtitles.vtt" and p.poster.name == "poster.png" and p.metadata.name == "clip.json"
    assert not store.is_complete(GOOD) and store.read_metadata(GOOD) is None
    meta = {"clip_id": GOOD, "options": {"format": "webm", "width": 64, "height": 48}, "files": {"video": "video.webm"}}
    store.write_metadata(GOOD, meta)
    assert store.is_complete(GOOD)
    assert store.read_metadata(GOOD) == meta
    assert store.video_path(GOOD) == p.video
    assert sorted(x.name for x in p.folder.iterdir()) == ["clip.json"]
