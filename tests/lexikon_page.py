"""What the lexicon page's browser tests share: a real service on a copy of glosses/, the page opened
with the editor key and a reviewer's name, a card's state, and an approved clip that uses a sign."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from browser import Browser
from fake_server import rendered
from real_server import AUTH, EDITOR_AUTH, TEST_EDITOR_KEY, real_service

REPO = Path(__file__).resolve().parents[1]
REVIEWER = "Sam Signer"
Page = Any  # playwright.sync_api.Page


@contextmanager
def lexicon_service(root: Path) -> Iterator[str]:
    """A real `signavatar serve` whose lexicon is a copy of glosses/ under `root`: its base URL."""
    import pytest

    lexicon = root / "glosses"
    shutil.copytree(REPO / "glosses", lexicon)
    data = root / "data"
    data.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIGNAVATAR_LEXICON_DIR", str(lexicon))  # real_service passes os.environ on
        with real_service(data) as url:
            yield url


def open_lexikon(browser: Browser, url: str, reviewer: str = REVIEWER) -> Page:
    """/editor/lexikon with the editor key and the reviewer's name typed in, every card listed;
    page.errors collects the page's uncaught script errors."""
    page = browser.new_page(width=1280, height=900)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.goto(url + "/editor/lexikon")
    page.fill("#editor-key", TEST_EDITOR_KEY)
    page.fill("#reviewer", reviewer)
    page.wait_for_selector("#signs li[data-gloss]")
    return page


def card(page: Page, gloss: str) -> Any:
    """The card of `gloss` (a Locator), found with the page's search."""
    page.fill("#search", gloss.lower())
    found = page.locator(f"#signs li[data-gloss='{gloss}']")
    found.wait_for()
    found.scroll_into_view_if_needed()
    return found


def wait_state(page: Page, gloss: str, state: str) -> None:
    page.wait_for_function(
        "([g, s]) => { const li = document.querySelector(`#signs li[data-gloss='${g}']`);"
        " return li && li.dataset.state === s; }", arg=[gloss, state])


def approved_clip(url: str, glosses: str) -> str:
    """Render `glosses` (small) and approve the clip as an editor: its id."""
    info = rendered(url, {"glosses": glosses, "options": {"width": 192, "height": 192}}, timeout=120, poll=0.3)
    assert info["status"] == "done", info
    r = httpx.post(f"{url}/v1/clips/{info['id']}/approve", json={"editor": "Erika Musterfrau"},
                   headers=EDITOR_AUTH, timeout=30)
    assert r.status_code == 200, r.text
    return str(info["id"])


def clip_still_valid(url: str, cid: str, glosses: str) -> None:
    """The approved clip is still approved, served on its public embed with its video, and the same
    request still names it (the lexicon version its id is made of has not changed)."""
    status = httpx.get(f"{url}/v1/clips/{cid}", timeout=10).json()
    assert status["status"] == "done" and status["review_state"] == "approved", status
    embed = httpx.get(f"{url}/embed/{cid}", timeout=10)
    assert embed.status_code == 200 and "<video" in embed.text, embed.status_code
    video = httpx.get(f"{url}{status['urls']['video']}", timeout=30)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    again = httpx.post(f"{url}/v1/clips", json={"glosses": glosses, "options": {"width": 192, "height": 192}},
                       headers=AUTH, timeout=30)
    assert again.status_code == 200 and again.json()["id"] == cid, again.text
