"""`signavatar batch` through the installed console script with the real pipeline (64x64, short glosses):
CSV, JSON Lines and a folder into one store, a failing item reported at the end, resume, bad input."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signavatar.frames_to_video.probe import probe_video

SMALL = ["--size", "64x64", "--fps", "10"]
pytestmark = pytest.mark.render


def batch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("signavatar", path=str(Path(sys.executable).parent))
    assert exe is not None, "the console script is not installed in this environment"
    return subprocess.run([exe, "batch", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SIGNAVATAR_DATA_DIR": str(cwd / "var")})


def test_csv_jsonl_and_folder_then_resume(tmp_path: Path) -> None:
    (tmp_path / "faq.csv").write_text("id,glosses,size\nc1,HALLO,48x32\nc2,HALLO NIXDA,\n", encoding="utf-8")
    (tmp_path / "faq.jsonl").write_text('{"id": "j1", "text": "Guten Morgen", "options": {"format": "webm"}}\n',
                                        encoding="utf-8")
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "f1.gloss").write_text("DANKE\n", encoding="utf-8")
    runs = {}
    for source in ("faq.csv", "faq.jsonl", "faq"):
        runs[source] = batch(source, "--out", f"out-{source}", *SMALL, cwd=tmp_path)
    assert [r.returncode for r in runs.values()] == [1, 0, 0]
    err = runs["faq.csv"].stderr.rstrip().splitlines()
    assert err[-1].startswith("signavatar: failed: c2: unknown gloss 'NIXDA'")
    assert "1/2" in err[0] and "clips/min" in err[0] and "ETA" in err[0]  # plain progress lines: not a TTY
    assert "1 done, 0 skipped, 1 failed" in runs["faq.csv"].stdout

    checks = {"faq.csv": ("c1", 48, "h264"), "faq.jsonl": ("j1", 64, "vp9"), "faq": ("f1", 64, "h264")}
    for source, (item_id, width, codec) in checks.items():
        out = tmp_path / f"out-{source}"
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        item = next(i for i in manifest["items"] if i["id"] == item_id)
        assert item["status"] == "done" and item["duration_s"] > 0
        info = probe_video(out / item["paths"]["video"])
        assert (info["width"], info["codec"]) == (width, codec)
        assert (out / item["paths"]["motion"]).read_bytes()[:4] == b"glTF"  # the 3D player's motion

    again = batch("faq.csv", "--out", "out-faq.csv", *SMALL, cwd=tmp_path)
    assert again.returncode == 1 and "0 done, 1 skipped, 1 failed" in again.stdout


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"text": "Hallo"}\n[1, 2]\n', encoding="utf-8")
    done = batch("bad.jsonl", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "bad.jsonl line 2: each line must be a JSON object" in done.stderr
    (tmp_path / "good.txt").write_text("Hallo\n", encoding="utf-8")
    workers = batch("good.txt", "--out", "out", "--workers", "0", cwd=tmp_path)
    assert workers.returncode == 2 and workers.stderr == "signavatar: error: --workers must be at least 1, got 0\n"
