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


CONTRAST = """el => {
  const rgb = s => s.match(/[0-9.]+/g).slice(0, 3).map(Number);
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => { const [r, g, b] = c.map(lin); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const st = getComputedStyle(el), a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
  return {ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), underline: st.textDecorationLine,
          outline: st.outlineStyle, weight: st.fontWeight};
}"""
CURRENT = """() => [...document.querySelectorAll('#glosses .gloss')].map(g => [g.classList.contains('current'),
  g.getAttribute('aria-current')])"""
CONSISTENT = """() => { const v = document.getElementById('video'), t = v.currentTime;
  return [...document.querySelectorAll('#glosses .gloss')].every(g => {
    const inside = t >= parseFloat(g.dataset.start) && t < parseFloat(g.dataset.end);
    return inside === g.classList.contains('current')
      && inside === (g.getAttribute('aria-current') === 'true'); }); }"""
AT = "t => Math.abs(document.getElementById('video').currentTime - t) < 0.01"

# while playing: the mark may lag the video by a frame or a timeupdate (at most LAG s), never lead it
LAG = 0.12
PLAYING = """lag => { const t = document.getElementById('video').currentTime;
  const gs = [...document.querySelectorAll('#glosses .gloss')], i = gs.findIndex(g => g.classList.contains('current'));
  const span = g => [parseFloat(g.dataset.start), parseFloat(g.dataset.end)];
  const ok = i < 0 ? gs.every(g => { const [a, b] = span(g); return t < a || t >= b + lag ? true : t >= b; })
                   : (([a, b]) => t >= a && t < b + lag)(span(gs[i]));
  return [ok && gs.filter(g => g.getAttribute('aria-current') === 'true').length === (i < 0 ? 0 : 1), i,
          document.getElementById('video').ended]; }"""


def test_embed_page_highlights_the_current_sign_and_seeks_to_a_chosen_one(clip: tuple[str, str]) -> None:
    """Issue 24: the gloss line marks the sign being signed (class current, aria-current) while the
    video plays, pauses and seeks; choosing a sign by mouse or keyboard seeks to its start."""
    from browser import headless_browser

    url, cid = clip
    with headless_browser("embed-glosses") as browser:
        page = browser.new_page(width=400, height=720)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}/embed/{cid}")
        page.wait_for_function("() => document.getElementById('video').readyState >= 1")
        spans = page.eval_on_selector_all(
            "#glosses .gloss", "els => els.map(g => [parseFloat(g.dataset.start), parseFloat(g.dataset.end), "
            "g.textContent, g.tabIndex, g.getAttribute('role')])")
        assert [s[2] for s in spans] == ["ICH", "TERMIN", "BRAUCHEN"], spans  # the real translation's order
        assert all(s[3] == 0 and s[4] == "button" for s in spans)
        assert all(a < b for a, b, *_ in spans) and all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
        duration = page.evaluate("() => document.getElementById('video').duration")
        assert spans[-1][1] <= duration + 0.05, (spans, duration)

        # a click seeks to the sign's start and marks it (only it)
        page.click("#glosses .gloss:nth-child(2)")
        page.wait_for_function(AT, arg=spans[1][0])
        assert page.evaluate(CURRENT) == [[False, None], [True, "true"], [False, None]]
        assert page.evaluate(CONSISTENT)
        # the keyboard: Tab reaches the signs, Enter and Space choose one
        page.focus("#glosses .gloss:nth-child(3)")
        page.keyboard.press("Enter")
        page.wait_for_function(AT, arg=spans[2][0])
        assert page.evaluate(CURRENT)[2] == [True, "true"]
        page.focus("#glosses .gloss:nth-child(1)")
        page.keyboard.press(" ")
        page.wait_for_function(AT, arg=spans[0][0])
        assert page.evaluate("() => document.getElementById('video').paused"), "Space on a sign seeks, it does not play"
        assert page.evaluate(CURRENT)[0] == [True, "true"]

        # playing: the mark follows the video into the next signs
        page.evaluate("() => { const v = document.getElementById('video'); v.muted = true; return v.play(); }")
        seen: set[int] = set()
        for _ in range(200):
            state = page.evaluate(PLAYING, LAG)
            assert state[0], "the mark is not the sign at the video's time"
            seen.add(state[1])
            if state[2] or len(seen - {-1}) == len(spans):
                break
            page.wait_for_timeout(40)
        assert {0, 1, 2} <= seen, seen
        page.evaluate("() => document.getElementById('video').pause()")
        page.evaluate(f"() => {{ const v = document.getElementById('video'); v.currentTime = {spans[1][0] + 0.05}; }}")
        page.wait_for_function(CONSISTENT)
        assert page.evaluate(CURRENT)[1] == [True, "true"]

        # visible not by colour alone, and with enough contrast (WCAG AA, 4.5:1)
        style = page.eval_on_selector("#glosses .gloss.current", CONTRAST)
        assert style["ratio"] >= 4.5 and "underline" in style["underline"] and style["outline"] != "none", style
        page.mouse.move(0, 0)
        shot = browser.shot(page, "gloss-highlight", full_page=False)
        assert shot.is_file()
        assert errors == [], errors
