"""The editor's section "4. Video" shows the rendered clip as video or in the 3D player (an <iframe> of
GET /editor/clips/{id}/player3d, api/editor_preview.py): real service, real render, real headless
Chromium with software WebGL 2. A draft is labelled "Entwurf, nicht freigegeben" in the player; after
approval the label goes; the preview's address without its ticket is refused. Screenshots go to
tests/artifacts/editor-player3d-browser/."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import SOFTWARE_WEBGL, Browser, chromium_path, headless_browser  # noqa: E402
from real_server import TEST_EDITOR_KEY, real_service  # noqa: E402

playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[dev])")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (scripts/setup-system.sh)")]

Page = Any  # playwright.sync_api.Page
Frame = Any  # playwright.sync_api.Frame
DRAFT_LABEL = "Entwurf, nicht freigegeben"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_service(tmp_path_factory.mktemp("editor-player3d")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_browser("editor-player3d-browser", args=SOFTWARE_WEBGL) as b:
        yield b


def render_in_editor(page: Page, url: str, text: str) -> str:
    page.goto(url + "/editor")
    page.fill("#editor-key", TEST_EDITOR_KEY)
    page.press("#editor-key", "Tab")
    page.fill("#text", text)
    page.click("#analyse")
    page.wait_for_function("() => document.querySelectorAll('#chips li.chip').length > 0")
    page.click("#render")
    page.wait_for_function(
        "() => { const v = document.querySelector('#video');"
        " return v && v.getAttribute('src') && v.readyState >= 2 && v.duration > 0; }", timeout=90_000)
    found = re.search(r"/v1/clips/([0-9a-f]{32})/", page.get_attribute("#video", "src") or "")
    assert found
    return found.group(1)


def player_frame(page: Page, cid: str) -> Frame:
    """The 3D player's iframe once its player is ready (3D, not the video fallback)."""
    page.wait_for_function(
        "cid => { const f = document.getElementById('player3d-frame');"
        " return !f.hidden && (f.getAttribute('src') || '').startsWith(`/editor/clips/${cid}/player3d?ticket=`); }",
        arg=cid)
    handle = page.query_selector("#player3d-frame")
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.signavatarPlayer !== undefined")
    assert frame.evaluate("() => window.signavatarPlayer.ready") == "3d", frame.inner_text("body")[:500]
    return frame


def test_the_editor_shows_the_draft_in_the_3d_player(service: str, browser: Browser) -> None:
    page = browser.new_page(1280, 1000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    cid = render_in_editor(page, service, "Wo ist das Bürgeramt?")
    assert page.locator("#view-choice").is_visible() and page.is_checked("#view-video")
    assert page.locator("#player3d-frame").is_hidden()

    # keyboard: the radio group, arrow key to "3D-Player"
    page.focus("#view-video")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#view-3d")
    frame = player_frame(page, cid)
    assert page.locator("#video").is_hidden()
    assert frame.inner_text("#draft") == DRAFT_LABEL and frame.locator("#draft").is_visible()
    assert DRAFT_LABEL in frame.title()
    assert page.get_attribute("#player3d-frame", "title")
    frame.evaluate("() => window.signavatarPlayer.seek(window.signavatarPlayer.duration / 2)")
    page.locator("#player3d-frame").scroll_into_view_if_needed()
    # the iframe is as tall as the player page says (player.js posts its height)
    page.wait_for_function("() => parseInt(document.getElementById('player3d-frame').style.height) > 300")
    browser.shot(page, "editor-3d-draft")

    # the preview's address needs its ticket: without it (or the editor key) the draft stays closed
    bare = httpx.get(f"{service}/editor/clips/{cid}/player3d", timeout=10)
    assert bare.status_code == 401 and "importmap" not in bare.text

    # back to the video: the 3D player is gone
    page.check("#view-video")
    assert page.locator("#player3d-frame").is_hidden() and page.get_attribute("#player3d-frame", "src") is None
    assert page.locator("#video").is_visible()

    # approved while the 3D view is chosen: the player comes back without the draft label
    page.check("#view-3d")
    player_frame(page, cid)
    page.fill("#editor-name", "Erika Musterfrau")
    page.click("#approve")
    page.wait_for_function("() => !document.getElementById('embed-link').hidden")
    page.wait_for_function(
        "() => { const f = document.getElementById('player3d-frame'); const d = f.contentDocument;"
        " return d && d.readyState === 'complete' && d.getElementById('label') && !d.getElementById('draft'); }")
    frame = player_frame(page, cid)
    assert frame.locator("#draft").count() == 0
    assert "geprüft und freigegeben" in frame.inner_text("#label")
    browser.shot(page, "editor-3d-approved")
    assert not errors, errors
