"""The CLI shell: argument handling through a real subprocess; commands in-process with a fake pipeline
(the lead's e2e tests run the same commands with the real pipeline)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from signavatar.cli import main
from signavatar.frames_to_video.probe import probe_video

REPO = Path(__file__).resolve().parents[2]
SMALL = ["--size", "64x48", "--fps", "10"]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "signavatar.cli", *args], cwd=REPO, env=env, input=stdin,
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("command", [[], ["gloss"], ["render"], ["serve"], ["batch"]])
def test_help(command: list[str]) -> None:
    done = cli(*command, "--help")
    assert done.returncode == 0 and "usage:" in done.stdout and done.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["render", "Hallo", "-o", "x.mp4", "--format", "avi"],
        ["render", "Hallo"],
        ["render", "Hallo", "-o", "x.mp4", "--size", "big"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    done = cli(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("signavatar: error:"), done.stderr
    assert "Traceback" not in done.stderr


def test_bad_settings_from_env_are_one_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SIGNAVATAR_PORT": "eighty"}
    done = subprocess.run([sys.executable, "-m", "signavatar.cli", "gloss", "Hallo"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "signavatar: error: SIGNAVATAR_PORT must be an integer, got 'eighty'"


def test_gloss(fake_factory, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gloss", "Ich  brauche einen Termin."], fake_factory) == 0
    assert capsys.readouterr().out == "ICH BRAUCHE EINEN TERMIN\n"


def test_gloss_stdin_keeps_lines(fake_factory, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO("Hallo Welt\n\nwie geht es?\n"))
    assert main(["gloss", "-"], fake_factory) == 0
    assert capsys.readouterr().out == "HALLO WELT\n\nWIE GEHT ES\n"


def test_render(tmp_path: Path, fake_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "sub" / "clip.webm"
    assert main(["render", "Ich brauche Termin", "-o", str(out), *SMALL], fake_factory) == 0
    assert capsys.readouterr().out == f"ICH BRAUCHE TERMIN\n{out}\n"
    info = probe_video(out)
    assert (info["codec"], info["nb_frames"], info["fps"]) == ("vp9", 18, 10.0)
    assert (tmp_path / "sub" / "clip.vtt").read_text().startswith("WEBVTT")
    assert sorted(p.name for p in out.parent.iterdir()) == ["clip.vtt", "clip.webm"]


def test_render_glosses_and_errors(tmp_path: Path, fake_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "clip.mp4"
    assert main(["render", "--glosses", "TERMIN ICH BRAUCHEN", "-o", str(out), *SMALL], fake_factory) == 0
    assert probe_video(out)["codec"] == "h264"
    capsys.readouterr()
    assert main(["render", "--glosses", "termin", "-o", str(tmp_path / "b.mp4"), *SMALL], fake_factory) == 2
    assert main(["render", "Hallo", "--glosses", "A", "-o", str(tmp_path / "c.mp4")], fake_factory) == 2
    assert main(["render", "Hallo", "-o", str(tmp_path / "d.gif"), "--size", "65x64"], fake_factory) == 2
    assert main(["render", "HALLO FAIL", "-o", str(tmp_path / "e.mp4"), *SMALL], fake_factory) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4 and all(line.startswith("signavatar: error:") for line in err)
    assert "unknown gloss" in err[0] and "even" in err[2] and "midway" in err[3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4", "clip.vtt"]


def test_batch_csv_skips_on_rerun_and_survives_failures(tmp_path: Path, fake_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.csv"
    src.write_text('id,text,glosses\nA,Guten Morgen,\nB,,HALLO FAIL\nC,"Wie geht es, dir?",\nD,,\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(src), "--out", str(out), *SMALL, "--format", "gif"], fake_factory) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    items = {i["id"]: i for i in manifest["items"]}
    assert [items[k]["status"] for k in "ABCD"] == ["done", "failed", "done", "failed"]
    assert manifest["counts"] == {"done": 2, "skipped": 0, "failed": 2} and manifest["manifest_version"] == 2
    assert "midway" in items["B"]["error"] and "either text" in items["D"]["error"]
    assert items["A"]["glosses"] == "GUTEN MORGEN"
    assert probe_video(out / items["A"]["paths"]["video"])["codec"] == "gif"
    assert (out / items["C"]["paths"]["subtitles"]).read_text().startswith("WEBVTT")
    assert "2 done, 0 skipped, 2 failed" in capsys.readouterr().out

    assert main(["batch", str(src), "--out", str(out), *SMALL, "--format", "gif"], fake_factory) == 1
    again = json.loads((out / "manifest.json").read_text())
    assert [i["status"] for i in again["items"]] == ["skipped", "failed", "skipped", "failed"]
    assert [i["clip_id"] for i in again["items"][:1]] == [items["A"]["clip_id"]]
    assert fake_factory.made[1].renders == 1  # only the failing item was tried again


def test_batch_text_file(tmp_path: Path, fake_factory) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.txt"
    src.write_text("Hallo\n\nTschüss\n", encoding="utf-8")
    assert main(["batch", str(src), "--out", str(tmp_path / "o"), *SMALL], fake_factory) == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert [(i["id"], i["text"], i["status"]) for i in manifest["items"]] == [
        ("1", "Hallo", "done"), ("3", "Tschüss", "done")]


def test_batch_missing_file_is_one_line(tmp_path: Path, fake_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["batch", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")], fake_factory) == 1
    err = capsys.readouterr().err
    assert err.startswith("signavatar: error:") and err.count("\n") == 1
