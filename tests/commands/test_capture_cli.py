"""`signavatar capture` through the installed console script: a real recording in, a recorded entry
out; bad input fails with exit != 0 and one line on stderr."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signavatar.capture.alphabet import alphabet_recordings
from signavatar.settings import Settings

EXE = Path(sys.executable).with_name("signavatar")


def _capture(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), "capture", *args], cwd=cwd, capture_output=True, text=True, timeout=180)


@pytest.fixture
def glosses(tmp_path: Path) -> Path:
    folder = tmp_path / "glosses"
    (folder / "signs").mkdir(parents=True)
    return folder


def test_a_pose_recording_becomes_a_recorded_entry(tmp_path: Path, glosses: Path) -> None:
    done = _capture(str(alphabet_recordings()["V"]), "--gloss", "TEST-V", "--lemma", "vau", "--mouthing", "vau",
                    "--lexicon", str(glosses), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entry = json.loads((glosses / "signs" / "TEST-V.json").read_text(encoding="utf-8"))
    assert (entry["source"], entry["hands"], entry["lemmas"], entry["mouthing"]) == ("recorded", "one", ["vau"], "vau")
    rec = entry["recording"]
    assert rec["fps"] == 25.0 and len(rec["frames"]) >= 2
    assert all(len(f) == 4 * len(rec["joints"]) for f in rec["frames"])
    # a second capture of the same gloss needs --force
    again = _capture(str(alphabet_recordings()["V"]), "--gloss", "TEST-V", "--lexicon", str(glosses), cwd=tmp_path)
    assert again.returncode != 0 and "--force" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    forced = _capture(str(alphabet_recordings()["V"]), "--gloss", "TEST-V", "--lexicon", str(glosses), "--force",
                      cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr


def test_without_a_fitting_bank_capture_warns_and_still_writes_the_entry(tmp_path: Path, glosses: Path) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(Settings.from_env(os.environ).lexicon_dir, lexicon)
    (lexicon / "handshape_bank.npz").unlink()
    done = subprocess.run([str(EXE), "capture", str(alphabet_recordings()["V"]), "--gloss", "TEST-V", "--lemma", "vau",
                           "--lexicon", str(glosses)], cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "SIGNAVATAR_LEXICON_DIR": str(lexicon)})
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "no handshape bank" in line and "signavatar lexicon bank" in line and "finger angles alone" in line
    assert (glosses / "signs" / "TEST-V.json").is_file()


def _blank_video(path: Path) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=128x128:d=0.4:r=25",
                    "-pix_fmt", "yuv420p", str(path)], check=True)


def test_bad_input_fails_with_one_line(tmp_path: Path, glosses: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video", encoding="utf-8")
    blank = tmp_path / "blank.mp4"
    _blank_video(blank)
    cases = [
        ([str(tmp_path / "missing.mp4"), "--gloss", "X"], "no such file"),
        ([str(text), "--gloss", "X"], "not a video"),
        ([str(blank), "--gloss", "X"], "no signer found"),
        ([str(blank), "--gloss", "kleines-x"], "invalid gloss"),
        ([str(blank), "--gloss", "X", "--lexicon", str(tmp_path / "nowhere")], "not a glosses folder"),
    ]
    for args, message in cases:
        done = _capture(*args, "--lexicon", str(glosses), cwd=tmp_path) if "--lexicon" not in args else \
            _capture(*args, cwd=tmp_path)
        assert done.returncode != 0, args
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert message in done.stderr, (args, done.stderr)
    assert list((glosses / "signs").iterdir()) == []


def test_a_capture_says_when_its_hands_fit_no_handshape(tmp_path: Path, glosses: Path) -> None:
    """A real signer's N and T (spoken-to-signed's recordings: fingers folded over the thumb, the
    inventory's weakest shapes to read, README "What is not there yet") fit no handshape in most of
    their frames: the capture writes the entry and says to check it; the same signer's B reads well."""
    recordings = alphabet_recordings()
    lines = {}
    for letter in ("N", "T", "B"):
        done = _capture(str(recordings[letter]), "--gloss", f"TEST-{letter}", "--lexicon", str(glosses), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert (glosses / "signs" / f"TEST-{letter}.json").is_file()
        lines[letter] = [line for line in done.stdout.splitlines() if line.startswith("check it:")]
    for letter in ("N", "T"):
        assert lines[letter] and all("right hand matches no handshape" in line for line in lines[letter]), lines
    assert lines["B"] == [], lines


@pytest.mark.render
@pytest.mark.slow
def test_a_video_capture_of_a_flat_hand_says_nothing_to_check(tmp_path: Path, glosses: Path) -> None:
    """HALLO rendered and captured from the video: its flat hand reads well, no "check it" line (the
    avatar's own renders of nine everyday signs all read well with the handshape bank, so the warning is
    checked on a real signer above)."""
    video = tmp_path / "HALLO.mp4"
    made = subprocess.run([str(EXE), "render", "--glosses", "HALLO", "-o", str(video), "--size", "256x256"],
                          capture_output=True, text=True, timeout=180)
    assert made.returncode == 0, made.stderr
    done = _capture(str(video), "--gloss", "TEST-HALLO", "--lexicon", str(glosses), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (glosses / "signs" / "TEST-HALLO.json").is_file()
    assert [line for line in done.stdout.splitlines() if line.startswith("check it:")] == []
