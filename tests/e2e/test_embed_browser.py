"""The embed page in a real headless Chromium against a real `signavatar serve` (real render):
the page's own script runs under its CSP, the video, captions track and label are there, and a
screenshot shows the label's colour and the avatar's poster (of a clip an editor approved: drafts
are not public)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fake_server import rendered  # noqa: E402
from real_server import EDITOR_AUTH, real_service  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/setup-system.sh)")
LABEL_RGB = (0xFF, 0xF3, 0xCD)  # .label background in api/templates/embed.css


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--mute-audio",
           "--virtual-time-budget=4000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=True)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with real_service(tmp_path_factory.mktemp("embed-service")) as url:
        body = {"text": "Ich brauche einen Termin.", "options": {"width": 192, "height": 192}}
        info = rendered(url, body, timeout=120, poll=0.3)
        assert info["status"] == "done", info
        # Only approved clips are public under /embed.
        r = httpx.post(f"{url}/v1/clips/{info['id']}/approve", json={"editor": "Anna Beispiel"}, timeout=30,
                       headers=EDITOR_AUTH)
        assert r.status_code == 200, r.text
        yield url, info["id"]


def test_embed_page_runs_its_script_and_shows_video_captions_and_label(clip: tuple[str, str]) -> None:
    url, cid = clip
    dom = chromium("--dump-dom", f"{url}/embed/{cid}").stdout
    assert '<video id="video" controls=""' in dom and f'src="/v1/clips/{cid}/subtitles.vtt"' in dom
    # approved, and when; not by whom (editors' names are for editors only)
    assert "<strong>Maschinell erzeugt</strong> – Gebärdensprach-Avatar (Glossen geprüft und freigegeben am " \
        in dom and "Anna Beispiel" not in dom
    # The inline script ran (its CSP hash matched): it un-hides the controls and names the play button.
    assert 'id="controls" role="group" aria-label="Wiedergabe">' in dom, dom
    assert '<button type="button" id="play">Start</button>' in dom


def test_embed_page_screenshot(clip: tuple[str, str], tmp_path: Path) -> None:
    url, cid = clip
    shot = tmp_path / "embed.png"
    chromium(f"--screenshot={shot}", "--window-size=400,480", f"{url}/embed/{cid}")
    rgb = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int16)
    assert rgb.shape[:2] == (480, 400)
    label = np.all(np.abs(rgb[:60] - LABEL_RGB) <= 3, axis=-1)
    assert label.mean() > 0.3, "the machine-generated label is not drawn at the top"
    video = rgb[70:260, 20:380]
    assert video.std() > 20, "no poster frame drawn where the video is"
